#!/usr/bin/env bash
# Offline validation of the Kubernetes manifests in deploy/kubernetes/ (no cluster needed).
#
#   scripts/validate-deploy.sh [MANIFEST_DIR]      (default: deploy/kubernetes)
#
# 1. Installs the pinned tools of deploy/requirements-validate.txt from PyPI into a private
#    virtualenv (nothing else is downloaded; the Kubernetes schemas ship inside
#    kubernetes-validate, the KEDA ones are committed in deploy/schemas/).
# 2. Core kinds (Namespace, ConfigMap, Secret, Deployment, Service, PodDisruptionBudget):
#    kubernetes-validate --strict (unknown fields are errors) against each Kubernetes
#    version in K8S_VERSIONS. A kind it has no schema for is an error here, not a warning.
# 3. KEDA ScaledObject / TriggerAuthentication against deploy/schemas/keda.sh/ (strict),
#    kustomization.yaml, the worker's TOML in the ConfigMap against config/default.toml,
#    and the references between the files: deploy/validate.py.
# Exits non-zero on any error.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MANIFESTS="${1:-$ROOT/deploy/kubernetes}"
# The oldest Kubernetes the manifests support and the newest kubernetes-validate 1.37.0 bundles.
K8S_VERSIONS="${K8S_VERSIONS:-1.30.0 1.37.0}"
VENV="${DEPLOY_VALIDATE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/news-enricher/deploy-validate-venv}"
REQUIREMENTS="$ROOT/deploy/requirements-validate.txt"

[ -d "$MANIFESTS" ] || { echo "validate-deploy: no directory $MANIFESTS" >&2; exit 2; }

# A virtualenv, so the pins neither change nor depend on the machine's own Python packages.
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    -r "$REQUIREMENTS"
echo "validate-deploy: kubernetes-validate $("$VENV/bin/kubernetes-validate" --version)," \
    "jsonschema $("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("jsonschema"))')," \
    "PyYAML $("$VENV/bin/python" -c 'import yaml; print(yaml.__version__)')"

status=0

# Core kinds. kubernetes-validate exits 0 on a kind or apiVersion it has no schema for
# (it prints WARN), so every line that is not INFO counts as a failure.
core_list="$("$VENV/bin/python" "$ROOT/deploy/validate.py" core-files "$MANIFESTS")" || status=1
core=()
while IFS= read -r f; do [ -n "$f" ] && core+=("$f"); done <<<"$core_list"
if [ "${#core[@]}" -eq 0 ]; then
    echo "ERROR no core manifests found in $MANIFESTS" >&2
    status=1
fi
k_args=()
for v in $K8S_VERSIONS; do k_args+=(-k "$v"); done
for f in "${core[@]}"; do
    rc=0
    out="$("$VENV/bin/kubernetes-validate" --strict "${k_args[@]}" "$f" 2>&1)" || rc=$?
    printf '%s\n' "$out"
    if [ "$rc" -ne 0 ] || grep -qv '^INFO ' <<<"$out"; then
        echo "ERROR kubernetes-validate rejected $f" >&2
        status=1
    fi
done

# KEDA objects, kustomization, worker config, cross-references.
"$VENV/bin/python" "$ROOT/deploy/validate.py" check "$MANIFESTS" || status=1

if [ "$status" -eq 0 ]; then
    echo "validate-deploy: all manifests in $MANIFESTS passed"
else
    echo "validate-deploy: FAILED" >&2
fi
exit "$status"
