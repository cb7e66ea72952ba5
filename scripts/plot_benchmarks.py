#!/usr/bin/env python3
"""Plot throughput and latency against the number of workers from the CSV that
`cargo run --release --example throughput -- --csv FILE` appends to.

    python3 -m venv .venv && .venv/bin/pip install matplotlib==3.9.2
    .venv/bin/python scripts/plot_benchmarks.py docs/benchmarks.csv docs/benchmarks.png
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(src, out):
    rows = list(csv.DictReader(open(src)))
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for mode, label in (("false", "enrich"), ("true", "pass-through")):
        sel = sorted((r for r in rows if r["passthrough"] == mode), key=lambda r: int(r["workers"]))
        if not sel:
            continue
        w = [int(r["workers"]) for r in sel]
        ax1.plot(w, [float(r["articles_per_s"]) for r in sel], "o-", label=label)
        ax2.plot(w, [float(r["p50_ms"]) for r in sel], "o-", label=f"{label} p50")
        ax2.plot(w, [float(r["p99_ms"]) for r in sel], "o--", label=f"{label} p99")
    ax1.set(title="Throughput (persistent, confirmed)", xlabel="worker processes", ylabel="articles/s")
    ax2.set(title="Consume to confirmed publish", xlabel="worker processes", ylabel="ms")
    for ax in (ax1, ax2):
        ax.set_xticks([1, 2, 4])
        ax.grid(alpha=0.3)
        ax.legend()
    ax1.set_ylim(bottom=0)
    ax2.set_ylim(bottom=0)
    fig.suptitle("news-enricher on a 2-core machine, RabbitMQ on the same machine")
    fig.tight_layout()
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
