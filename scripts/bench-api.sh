#!/usr/bin/env bash
# Benchmark of POST /v1/enrich: requests/s and latency percentiles with 8 concurrent clients.
#
#   scripts/bench-api.sh [ARTICLE.json] [DURATION]   (default: the bundled sample, 30s)
#
# Starts the release binary's `serve` on a free loopback port and drives it with wrk
# (Debian's `wrk`; apt-get install wrk), 8 connections on 2 threads, every request the same
# article. Client and server share the machine, so on 2 cores the figures include wrk's own
# CPU. Prints wrk's report (with --latency: p50/p75/p90/p99).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ARTICLE="${1:-$ROOT/tests/data/iran-talks.json}"
DURATION="${2:-30s}"
BIN="${NEWS_ENRICHER_BIN:-$ROOT/target/release/news-enricher}"
CONNECTIONS=8

command -v wrk >/dev/null || { echo "bench-api: wrk missing (apt-get install wrk)" >&2; exit 2; }
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
lua="$(mktemp --suffix=.lua)"
# The body as a Lua long string; the sample has no "]==]".
python3 - "$ARTICLE" >"$lua" <<'PY'
import json, sys
body = json.dumps(json.load(open(sys.argv[1], encoding="utf-8")), ensure_ascii=False)
assert "]==]" not in body
print('wrk.method = "POST"')
print('wrk.headers["Content-Type"] = "application/json"')
print("wrk.body = [==[" + body + "]==]")
print("""
done = function(summary, latency, requests)
  io.write(string.format("non-200 responses: %d\\n", summary.errors.status))
end
""")
PY
RUST_LOG=warn "$BIN" serve --listen "127.0.0.1:$port" &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$lua"' EXIT
for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
echo "bench-api: $(wc -c <"$ARTICLE") bytes per request, $CONNECTIONS connections, $DURATION"
# Warm-up, then the measured run.
wrk -t 2 -c "$CONNECTIONS" -d 3s -s "$lua" "http://127.0.0.1:$port/v1/enrich" >/dev/null
wrk -t 2 -c "$CONNECTIONS" -d "$DURATION" --latency -s "$lua" "http://127.0.0.1:$port/v1/enrich"
