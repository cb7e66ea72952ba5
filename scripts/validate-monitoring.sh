#!/usr/bin/env bash
# Validate the monitoring files against the real worker (no broker needed):
#
#   scripts/validate-monitoring.sh [BINARY]      (default: target/release/news-enricher)
#
# 1. `promtool check rules` and `promtool test rules` on deploy/prometheus/ (promtool comes
#    with Debian's `prometheus` package; .ci/run installs it);
# 2. starts BINARY's worker (`run`) pointed at a closed broker port, so it serves /metrics
#    while it retries, and saves what /metrics serves;
# 3. deploy/check_monitoring.py: the Grafana dashboard parses, and every metric name in it
#    and in the alert rules is served (PyYAML from the pinned virtualenv of
#    scripts/validate-deploy.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${1:-$ROOT/target/release/news-enricher}"
VENV="${DEPLOY_VALIDATE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/news-enricher/deploy-validate-venv}"

[ -x "$BIN" ] || { echo "validate-monitoring: no binary $BIN (cargo build --release)" >&2; exit 2; }
command -v promtool >/dev/null || { echo "validate-monitoring: promtool missing (apt-get install prometheus)" >&2; exit 2; }

promtool check rules "$ROOT/deploy/prometheus/alerts.yml"
(cd "$ROOT/deploy/prometheus" && promtool test rules alerts.test.yml)

if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    -r "$ROOT/deploy/requirements-validate.txt"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
broker_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
metrics="$(mktemp)"
AMQP_URL="amqp://guest:guest@127.0.0.1:$broker_port/%2f" \
    NEWS_ENRICHER__HTTP__LISTEN="127.0.0.1:$port" NEWS_ENRICHER__LOG__LEVEL=error \
    "$BIN" run &
worker=$!
trap 'kill "$worker" 2>/dev/null || true; rm -f "$metrics"' EXIT
for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/metrics" -o "$metrics" 2>/dev/null; then break; fi
    sleep 0.1
done
[ -s "$metrics" ] || { echo "validate-monitoring: the worker served no /metrics" >&2; exit 1; }
kill "$worker"
wait "$worker" || true

"$VENV/bin/python" "$ROOT/deploy/check_monitoring.py" "$metrics" \
    "$ROOT/deploy/grafana/news-enricher.json" "$ROOT/deploy/prometheus/alerts.yml"
echo "validate-monitoring: passed"
