#!/usr/bin/env python3
"""Offline checks of deploy/kubernetes/ that kubernetes-validate cannot do.

Run by scripts/validate-deploy.sh (which also runs kubernetes-validate on the core kinds):

    validate.py core-files MANIFEST_DIR   print the files whose documents are all core
                                          Kubernetes kinds, one per line
    validate.py check MANIFEST_DIR        everything below; exit 1 on any error

`check` does:
  * KEDA custom resources (keda.sh/v1alpha1 ScaledObject, TriggerAuthentication) against
    the committed CRD schemas in deploy/schemas/keda.sh/, strictly: every object that lists
    its properties rejects unknown ones (as `kubectl apply --validate=strict` would), and
    int32 fields must fit in 32 bits;
  * kustomization.yaml: each listed resource exists, each manifest is listed (except the
    example Secret), one namespace everywhere;
  * the worker's TOML in the ConfigMap: parses, and every key exists in config/default.toml
    with the same type (the worker refuses unknown keys at start), no amqp.url in it;
  * the references between files: Deployment <-> ConfigMap, Secret, Service, PDB,
    ScaledObject, TriggerAuthentication; NEWS_ENRICHER__* variables are known keys;
    terminationGracePeriodSeconds above worker.shutdown_timeout_ms; the queue KEDA watches
    is topology.input_queue.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11
    sys.exit("validate.py needs Python 3.11 or later (tomllib)")

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parent.parent  # the repository
SCHEMA_DIR = ROOT / "deploy" / "schemas"
DEFAULT_TOML = ROOT / "config" / "default.toml"

# Custom kinds and their committed schemas. Anything else must be a core kind, validated
# by kubernetes-validate (which only warns, and passes, on kinds it has no schema for).
CUSTOM = {
    ("keda.sh/v1alpha1", "ScaledObject"): SCHEMA_DIR / "keda.sh" / "scaledobject_v1alpha1.yaml",
    ("keda.sh/v1alpha1", "TriggerAuthentication"): SCHEMA_DIR
    / "keda.sh"
    / "triggerauthentication_v1alpha1.yaml",
}
KUSTOMIZATION = ("kustomize.config.k8s.io/v1beta1", "Kustomization")
# Files that exist for people to copy, not for `kubectl apply -k`.
NOT_IN_KUSTOMIZATION = {"secret.example.yaml"}

# The part of ObjectMeta a manifest may set (the CRD schemas say only `type: object`; the
# API server validates metadata on its own, with these field names).
_STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}
OBJECT_META = {
    "type": "object",
    "required": ["name"],
    "properties": {
        "name": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", "maxLength": 253},
        "namespace": {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63},
        "labels": _STRING_MAP,
        "annotations": _STRING_MAP,
        "generateName": {"type": "string"},
        "finalizers": {"type": "array", "items": {"type": "string"}},
    },
}

errors: list[str] = []


def error(where: str, message: str) -> None:
    errors.append(f"ERROR {where}: {message}")


# ---------------------------------------------------------------------------------------
# Loading


def load_documents(manifest_dir: Path) -> list[tuple[Path, dict]]:
    docs = []
    for path in sorted(manifest_dir.glob("*.yaml")) + sorted(manifest_dir.glob("*.yml")):
        try:
            loaded = list(yaml.safe_load_all(path.read_text()))
        except yaml.YAMLError as e:
            error(str(path), f"not valid YAML: {e}")
            continue
        for doc in loaded:
            if doc is None:
                continue
            if not isinstance(doc, dict) or "apiVersion" not in doc or "kind" not in doc:
                error(str(path), "every document must be a mapping with apiVersion and kind")
                continue
            docs.append((path, doc))
    return docs


def ident(path: Path, doc: dict) -> str:
    name = (doc.get("metadata") or {}).get("name", "?")
    return f"{path.name}: {doc['kind']}/{name}"


def is_core(doc: dict) -> bool:
    key = (doc["apiVersion"], doc["kind"])
    return key not in CUSTOM and key != KUSTOMIZATION


def core_files(manifest_dir: Path) -> list[Path]:
    by_file: dict[Path, list[dict]] = {}
    for path, doc in load_documents(manifest_dir):
        by_file.setdefault(path, []).append(doc)
    files = []
    for path, docs in by_file.items():
        core = [is_core(d) for d in docs]
        if all(core):
            files.append(path)
        elif any(core):
            error(str(path), "mixes core Kubernetes kinds with custom ones; keep them in separate files")
    return files


# ---------------------------------------------------------------------------------------
# Custom resources against the committed CRD schemas


def strict(schema):
    """Copy of an OpenAPI v3 (CRD) schema in which every object that lists `properties` and
    neither `additionalProperties` nor `x-kubernetes-preserve-unknown-fields` rejects
    unknown fields: the API server's strict field validation."""
    if isinstance(schema, list):
        return [strict(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {k: strict(v) for k, v in schema.items()}
    if (
        "properties" in out
        and "additionalProperties" not in out
        and not out.get("x-kubernetes-preserve-unknown-fields")
    ):
        out["additionalProperties"] = False
    return out


FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("int32")
def _int32(value) -> bool:
    return not isinstance(value, int) or -(2**31) <= value < 2**31


@FORMATS.checks("int64")
def _int64(value) -> bool:
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def crd_validator(schema_path: Path) -> jsonschema.protocols.Validator:
    schema = yaml.safe_load(schema_path.read_text())
    schema = copy.deepcopy(schema)
    schema["properties"]["metadata"] = OBJECT_META
    schema = strict(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=FORMATS)


def check_custom(docs: list[tuple[Path, dict]]) -> None:
    validators = {key: crd_validator(path) for key, path in CUSTOM.items()}
    for path, doc in docs:
        key = (doc["apiVersion"], doc["kind"])
        if key not in validators:
            continue
        found = sorted(validators[key].iter_errors(doc), key=lambda e: list(e.absolute_path))
        for e in found:
            where = ".".join(str(p) for p in e.absolute_path) or "(root)"
            error(ident(path, doc), f"{where}: {e.message}")
        if not found:
            schema = CUSTOM[key].relative_to(ROOT)
            print(f"INFO {ident(path, doc)} passed against {schema}")


# ---------------------------------------------------------------------------------------
# Cross-file checks


def one(docs, kind, where):
    found = [(p, d) for p, d in docs if d["kind"] == kind]
    if len(found) != 1:
        error(where, f"expected exactly one {kind}, found {len(found)}")
        return None, None
    return found[0]


def toml_type(value) -> str:
    return {bool: "boolean", int: "integer", float: "float", str: "string", dict: "table"}.get(
        type(value), type(value).__name__
    )


def check_config_keys(where: str, override: dict, defaults: dict, prefix: str = "") -> None:
    for key, value in override.items():
        path = f"{prefix}{key}"
        if key not in defaults:
            error(where, f"unknown key `{path}` (not in config/default.toml; the worker would refuse to start)")
            continue
        want, got = toml_type(defaults[key]), toml_type(value)
        if want != got:
            error(where, f"`{path}` is a {got}, config/default.toml has a {want}")
        elif isinstance(value, dict):
            check_config_keys(where, value, defaults[key], f"{path}.")


def check_kustomization(manifest_dir: Path, docs) -> None:
    found = [(p, d) for p, d in docs if (d["apiVersion"], d["kind"]) == KUSTOMIZATION]
    if len(found) != 1:
        error(str(manifest_dir), f"expected one kustomization.yaml, found {len(found)}")
        return
    path, kust = found[0]
    allowed = {"apiVersion", "kind", "namespace", "resources", "labels", "commonAnnotations", "images"}
    for key in kust:
        if key not in allowed:
            error(path.name, f"unexpected field `{key}` (this checker knows {sorted(allowed)})")
    resources = kust.get("resources") or []
    for res in resources:
        if not (manifest_dir / res).is_file():
            error(path.name, f"resource {res} does not exist")
    manifests = {p.name for p, d in docs if p != path}
    for name in sorted(manifests - set(resources) - NOT_IN_KUSTOMIZATION):
        error(path.name, f"{name} is not listed in resources")
    for name in sorted(set(resources) & NOT_IN_KUSTOMIZATION):
        error(path.name, f"{name} must not be listed (it would overwrite the real Secret)")
    ns = kust.get("namespace")
    for p, d in docs:
        if p == path:
            continue
        meta = d.get("metadata") or {}
        actual = meta.get("name") if d["kind"] == "Namespace" else meta.get("namespace")
        if actual != ns:
            error(ident(p, d), f"namespace {actual!r} differs from kustomization.yaml's {ns!r}")
    print(f"INFO {path.name}: {len(resources)} resources listed, all present")


def check_references(docs) -> None:
    defaults = tomllib.loads(DEFAULT_TOML.read_text())

    dpath, deploy = one(docs, "Deployment", "Deployment")
    cpath, cmap = one(docs, "ConfigMap", "ConfigMap")
    spath, secret = one(docs, "Secret", "Secret")
    if deploy is None:
        return
    where = ident(dpath, deploy)
    pod = deploy["spec"]["template"]["spec"]
    pod_labels = deploy["spec"]["template"]["metadata"].get("labels", {})
    selector = deploy["spec"]["selector"].get("matchLabels", {})
    if any(pod_labels.get(k) != v for k, v in selector.items()):
        error(where, "spec.selector.matchLabels does not match the pod template's labels")
    if "replicas" in deploy["spec"]:
        error(where, "spec.replicas is set; KEDA's HPA owns the replica count")
    containers = pod.get("containers") or []
    if len(containers) != 1:
        error(where, "expected exactly one container")
        return
    c = containers[0]

    # The configuration file: mounted where --config points, from the ConfigMap.
    args = c.get("args") or []
    config_path = args[args.index("--config") + 1] if "--config" in args[:-1] else None
    if not args or args[0] != "run" or config_path is None:
        error(where, 'args must be ["run", "--config", FILE]')
    override: dict = {}
    if cmap is not None:
        cwhere = ident(cpath, cmap)
        text = (cmap.get("data") or {}).get("config.toml")
        if text is None:
            error(cwhere, "no data key config.toml")
        else:
            try:
                override = tomllib.loads(text)
            except tomllib.TOMLDecodeError as e:
                error(cwhere, f"config.toml is not valid TOML: {e}")
            check_config_keys(cwhere, override, defaults)
            if "url" in override.get("amqp", {}):
                error(cwhere, "amqp.url belongs in the Secret (env AMQP_URL), not in the ConfigMap")
        volumes = {v["name"]: v for v in pod.get("volumes") or []}
        mounted = False
        for m in c.get("volumeMounts") or []:
            vol = volumes.get(m["name"], {})
            if m.get("mountPath") == config_path and vol.get("configMap", {}).get("name") == cmap["metadata"]["name"]:
                items = {i["path"]: i["key"] for i in vol["configMap"].get("items") or []}
                file_in_volume = m.get("subPath", "")
                key = items.get(file_in_volume, file_in_volume) if items else file_in_volume
                mounted = key == "config.toml"
        if not mounted:
            error(where, f"--config {config_path} is not the ConfigMap's config.toml mounted as a file")

    def setting(section: str, key: str):
        return override.get(section, {}).get(key, defaults[section][key])

    # Environment: AMQP_URL from the Secret; NEWS_ENRICHER__* must be known keys.
    env = {e["name"]: e for e in c.get("env") or []}
    ref = env.get("AMQP_URL", {}).get("valueFrom", {}).get("secretKeyRef", {})
    if secret is not None:
        if ref.get("name") != secret["metadata"]["name"] or ref.get("key") not in (secret.get("stringData") or secret.get("data") or {}):
            error(where, "env AMQP_URL must come from the Secret's AMQP_URL key")
    for name in env:
        if name.startswith("NEWS_ENRICHER__"):
            section, _, key = name[len("NEWS_ENRICHER__"):].lower().partition("__")
            if key not in defaults.get(section, {}):
                error(where, f"env {name}: unknown key `{section}.{key}` (the worker would refuse to start)")
    if env.get("NEWS_ENRICHER__LOG__FORMAT", {}).get("value") != "json":
        error(where, "env NEWS_ENRICHER__LOG__FORMAT must be json")

    # Shutdown: the kubelet must not SIGKILL before the worker's own drain deadline.
    grace = pod.get("terminationGracePeriodSeconds", 30)
    drain_ms = setting("worker", "shutdown_timeout_ms")
    if grace * 1000 <= drain_ms:
        error(where, f"terminationGracePeriodSeconds {grace} must exceed worker.shutdown_timeout_ms {drain_ms} ms")

    # HTTP port: the one the worker listens on, named http, used by probes and the Service.
    listen_port = int(str(setting("http", "listen")).rsplit(":", 1)[1])
    ports = {p.get("name"): p["containerPort"] for p in c.get("ports") or []}
    if ports.get("http") != listen_port:
        error(where, f"container port `http` must be {listen_port} (http.listen)")
    for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz"), ("startupProbe", "/healthz")):
        got = (c.get(probe) or {}).get("httpGet", {}).get("path")
        if got != path:
            error(where, f"{probe} must GET {path}, has {got}")

    for kind in ("Service", "PodDisruptionBudget"):
        path, doc = one(docs, kind, kind)
        if doc is None:
            continue
        sel = doc["spec"].get("selector") or {}
        sel = sel.get("matchLabels", sel) if kind == "PodDisruptionBudget" else sel
        if not sel or any(pod_labels.get(k) != v for k, v in sel.items()):
            error(ident(path, doc), "selector does not select the Deployment's pods")

    # KEDA: scales this Deployment on topology.input_queue, authenticated from the Secret.
    opath, so = one(docs, "ScaledObject", "ScaledObject")
    if so is None:
        return
    owhere = ident(opath, so)
    spec = so.get("spec") or {}
    target = spec.get("scaleTargetRef") or {}
    if target.get("name") != deploy["metadata"]["name"] or target.get("kind", "Deployment") != "Deployment":
        error(owhere, "scaleTargetRef must name the Deployment")
    lo, hi = spec.get("minReplicaCount", 0), spec.get("maxReplicaCount", 100)
    if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
        error(owhere, f"minReplicaCount {lo} exceeds maxReplicaCount {hi}")
    auths = {d["metadata"]["name"]: d for p, d in docs if d["kind"] == "TriggerAuthentication"}
    rabbit = [t for t in spec.get("triggers") or [] if isinstance(t, dict) and t.get("type") == "rabbitmq"]
    if not rabbit:
        error(owhere, "no rabbitmq trigger")
    for t in rabbit:
        md = t.get("metadata") or {}
        if md.get("queueName") != setting("topology", "input_queue"):
            error(owhere, f"rabbitmq trigger queueName must be topology.input_queue ({setting('topology', 'input_queue')})")
        if md.get("mode") not in ("QueueLength", "MessageRate"):
            error(owhere, "rabbitmq trigger mode must be QueueLength or MessageRate")
        try:
            if float(md.get("value", "")) <= 0:
                raise ValueError
        except (TypeError, ValueError):
            error(owhere, "rabbitmq trigger value must be a positive number (as a string)")
        if "host" in md:
            error(owhere, "rabbitmq trigger: the host (with credentials) must come from the TriggerAuthentication")
        auth = auths.get((t.get("authenticationRef") or {}).get("name"))
        if auth is None:
            error(owhere, "rabbitmq trigger authenticationRef names no TriggerAuthentication here")
            continue
        refs = {r.get("parameter"): r for r in (auth.get("spec") or {}).get("secretTargetRef") or []}
        host = refs.get("host", {})
        if secret is not None and (host.get("name") != secret["metadata"]["name"] or host.get("key") != ref.get("key")):
            error(ident(opath, auth), "parameter host must come from the worker's Secret and key")


# ---------------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("core-files", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    manifest_dir = Path(argv[2])
    if argv[1] == "core-files":
        for path in core_files(manifest_dir):
            print(path)
    else:
        docs = load_documents(manifest_dir)
        core_files(manifest_dir)  # reports files that mix core and custom kinds
        check_custom(docs)
        check_kustomization(manifest_dir, docs)
        try:
            check_references([(p, d) for p, d in docs if (d["apiVersion"], d["kind"]) != KUSTOMIZATION])
        except (KeyError, TypeError, AttributeError, IndexError, ValueError) as e:
            # A manifest too broken to follow; kubernetes-validate or the schemas say why.
            error(str(manifest_dir), f"cross-file checks stopped at a missing or malformed field: {e!r}")
        if not errors:
            print(f"INFO {manifest_dir}: cross-file checks passed")
    # In core-files mode stdout is the file list, so errors go to stderr.
    out = sys.stderr if argv[1] == "core-files" else sys.stdout
    for line in errors:
        print(line, file=out)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
