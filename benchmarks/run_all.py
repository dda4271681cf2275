"""`make bench`: run every benchmark and write benchmarks/RESULTS.md (nothing here passes or fails).

    python -m benchmarks.run_all [--skip-notebooks] [--only explorers]
"""
from __future__ import annotations

import datetime
import json
import os
import platform
import sys
from pathlib import Path

import matplotlib
import numpy as np

from . import bench_core, bench_explorers, bench_notebooks

HERE = Path(__file__).resolve().parent


def header(lines):
    try:
        import ipywidgets
        widgets_version = ipywidgets.__version__
    except ImportError:
        widgets_version = "missing"
    lines += [
        "# Benchmark results\n",
        "Written by `make bench` (python -m benchmarks.run_all). Figures are medians of repeated runs or ratios;",
        "nothing here is a pass/fail test. Rerun on your machine to compare.\n",
        f"- date: {datetime.date.today().isoformat()}",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        f"- python {platform.python_version()}, numpy {np.__version__}, matplotlib {matplotlib.__version__}, "
        f"ipywidgets {widgets_version}",
        "",
    ]
    return lines


def browser_latency(lines):
    lines.append("## Sliders in a real browser: key press to new figure (targets: median 150 ms, p95 250 ms, max 500 ms)\n")
    path = HERE / "browser_latency.json"
    if not path.exists():
        lines.append("No measurements: run the browser tests first (`make test` writes benchmarks/browser_latency.json).\n")
        return lines
    data = json.loads(path.read_text())
    groups = {}
    for row in data.get("sliders", []):
        if row.get("latency_ms") is not None:
            key = (row.get("where", "?"), row.get("notebook", "?"), row.get("label", row.get("slider", "?")))
            groups.setdefault(key, []).append(row["latency_ms"])
    if not groups:
        lines.append("The browser tests recorded no slider latencies.\n")
        return lines
    lines.append(f"Measured {data.get('when', '?')} ({data.get('cpus', '?')} cores); each key press waits for the new "
                 "figure to be decoded in the page.\n")
    lines.append("| front end | notebook | slider | presses | median (ms) | p95 (ms) | max (ms) | verdict |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for (where, notebook, label), values in sorted(groups.items()):
        median, p95 = float(np.median(values)), float(np.percentile(values, 95))
        verdict = "meets targets" if median <= 150 and p95 <= 250 and max(values) <= 500 else "misses"
        lines.append(f"| {where} | {notebook} | {label} | {len(values)} | {median:.0f} | {p95:.0f} | {max(values):.0f} "
                     f"| {verdict} |")
    everything = [v for values in groups.values() for v in values]
    overall = float(np.median(everything))
    p95 = float(np.percentile(everything, 95))
    lines.append(f"\nAll {len(everything)} presses: median {overall:.0f} ms (target 150), p95 {p95:.0f} ms (target 250), "
                 f"max {max(everything):.0f} ms (target 500).\n")
    return lines


KEPT = "<!-- written by hand below this line; make bench keeps it -->"


def main(argv):
    """All sections into RESULTS.md; `--only core|explorers|notebooks` prints one section and writes nothing."""
    only = argv[argv.index("--only") + 1] if "--only" in argv else None
    lines = header([])
    sections = [("core", bench_core.report), ("explorers", bench_explorers.report), ("browser", browser_latency)]
    if "--skip-notebooks" not in argv:
        sections.append(("notebooks", bench_notebooks.report))
    for name, report in sections:
        if only in (None, name):
            print(f"{name} ...", flush=True)
            report(lines)
    print("\n".join(lines))
    if only is None:
        path = HERE / "RESULTS.md"
        kept = path.read_text().partition(KEPT)[2] if path.exists() else ""
        path.write_text("\n".join(lines) + "\n" + (KEPT + kept if kept else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
