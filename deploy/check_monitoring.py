#!/usr/bin/env python3
"""Check that the dashboard and the alert rules only use metrics that exist.

    check_monitoring.py METRICS_FILE DASHBOARD.json RULES.yml

METRICS_FILE is what the worker's /metrics served (scripts/validate-monitoring.sh fetches it
from the release binary). From its `# TYPE` lines this derives every series name a query may
use (counters as NAME_total, histograms as NAME_bucket/_sum/_count, gauges as NAME). Then:

  * the dashboard parses as JSON, has panels, and every panel has at least one query;
  * every metric name in a dashboard query is one the worker serves;
  * every metric name in an alert rule is one the worker serves, or one of BROKER_METRICS
    (RabbitMQ's own exporter, which the worker cannot serve);
  * the counter of unroutable outputs has a panel.

Metric names are found by stripping label matchers, grouping clauses, ranges and string
literals from each PromQL expression, then taking the identifiers that are not functions or
keywords. Exit 1 on any problem, with every problem listed.
"""

from __future__ import annotations

import json
import re
import sys

import yaml

# Series from RabbitMQ's rabbitmq_prometheus plugin (per-object metrics) the rules may use.
BROKER_METRICS = {"rabbitmq_queue_messages_ready"}
# Panels the issue asks for, by the metric they must show.
REQUIRED = {
    "news_enricher_messages_unroutable_total": "unroutable outputs",
    "news_enricher_messages_dead_lettered_total": "dead-lettered by reason",
    "news_enricher_messages_in_flight": "in flight",
    "news_enricher_broker_reconnects_total": "reconnects",
    "news_enricher_consume_to_confirm_seconds_bucket": "latency histogram",
    "news_enricher_messages_published_total": "throughput",
}
KEYWORDS = {
    "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
    "bool", "offset", "inf", "nan", "atan2",
    # aggregation operators, which may be followed by `by (...)` instead of `(`
    "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values",
    "bottomk", "topk", "quantile", "limitk", "limit_ratio",
}
SUFFIXES = {
    "counter": ["_total", "_created"],
    "histogram": ["_bucket", "_sum", "_count", "_created"],
    "summary": ["", "_sum", "_count", "_created"],
    "gauge": [""],
    "unknown": [""],
    "info": ["_info"],
    "stateset": [""],
    "gaugehistogram": ["_bucket", "_gsum", "_gcount"],
}


def served_series(text: str) -> set[str]:
    names = set()
    for line in text.splitlines():
        m = re.match(r"# TYPE (\S+) (\S+)", line)
        if m:
            name, kind = m.groups()
            names.update(name + s for s in SUFFIXES.get(kind, [""]))
        elif line and not line.startswith("#"):
            names.add(re.match(r"[a-zA-Z_:][a-zA-Z0-9_:]*", line).group(0))
    return names


def metric_names(expr: str) -> set[str]:
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # string literals
    e = re.sub(r"\{[^}]*\}", "", e)  # label matchers
    e = re.sub(r"\[[^\]]*\]", "", e)  # ranges and subqueries
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", r"\1", e)
    e = re.sub(r"\$\{?\w+\}?", "", e)  # Grafana variables ($__rate_interval, ${instance})
    names = set()
    for m in re.finditer(r"[a-zA-Z_:][a-zA-Z0-9_:]*", e):
        word = m.group(0)
        after = e[m.end():].lstrip()
        if after.startswith("(") or word.lower() in KEYWORDS:
            continue  # a function or a keyword
        if re.fullmatch(r"\d+(ms|s|m|h|d|w|y)?", word):
            continue
        if m.start() > 0 and (e[m.start() - 1].isdigit() or e[m.start() - 1] == "."):
            continue  # exponent or duration suffix of a number (1e-9, 5m)
        names.add(word)
    return names


def main() -> int:
    metrics_file, dashboard_file, rules_file = sys.argv[1:4]
    served = served_series(open(metrics_file, encoding="utf-8").read())
    errors: list[str] = []
    if not any(n.startswith("news_enricher_") for n in served):
        errors.append(f"{metrics_file}: no news_enricher_ metric in it")

    try:
        dashboard = json.load(open(dashboard_file, encoding="utf-8"))
    except json.JSONDecodeError as e:
        print(f"{dashboard_file}: not JSON: {e}", file=sys.stderr)
        return 1
    panels = dashboard.get("panels") or []
    if not panels:
        errors.append(f"{dashboard_file}: no panels")
    used: dict[str, list[str]] = {}
    for panel in panels:
        title = panel.get("title", "?")
        exprs = [t.get("expr", "") for t in panel.get("targets", []) if t.get("expr")]
        if not exprs:
            errors.append(f"{dashboard_file}: panel {title!r} has no query")
        for expr in exprs:
            for name in metric_names(expr):
                used.setdefault(name, []).append(title)
    for var in dashboard.get("templating", {}).get("list", []):
        q = var.get("query")
        q = q.get("query", "") if isinstance(q, dict) else q or ""
        m = re.match(r"label_values\((\w+)", q)
        if m:
            used.setdefault(m.group(1), []).append(f"variable {var.get('name')}")
    for name, where in sorted(used.items()):
        if name not in served:
            errors.append(f"{dashboard_file}: {name} (in {', '.join(sorted(set(where)))}) is not served by /metrics")
    for name, what in REQUIRED.items():
        if name not in used:
            errors.append(f"{dashboard_file}: no panel shows {what} ({name})")

    rules = yaml.safe_load(open(rules_file, encoding="utf-8"))
    count = 0
    for group in rules.get("groups", []):
        for rule in group.get("rules", []):
            count += 1
            name = rule.get("alert") or rule.get("record")
            for metric in metric_names(rule.get("expr", "")):
                if metric not in served and metric not in BROKER_METRICS:
                    errors.append(f"{rules_file}: {name}: {metric} is neither served by /metrics nor a known broker metric")
    if count == 0:
        errors.append(f"{rules_file}: no rules")

    for e in errors:
        print("ERROR", e, file=sys.stderr)
    if errors:
        return 1
    print(f"check_monitoring: {len(panels)} panels and {count} rules use {len(used)} metric names, all served")
    return 0


if __name__ == "__main__":
    sys.exit(main())
