"""`make bench`: run every benchmark and write benchmarks/RESULTS.md (nothing here passes or fails).

    python -m benchmarks.run_all                                   # everything, into RESULTS.md (~15 min)
    python -m benchmarks.run_all --only browser --notebooks 02     # one notebook's sliders in the browser
    python -m benchmarks.run_all --only explorers design axe       # some sections (printed only)

Sections: core (the maths against bare matrix products), explorers (compute + draw of every control move, and
the worst update at the biggest settings), browser (every slider of every explorer in JupyterLab + Chromium,
key press to new figure), design (PNG vs ipympl's canvas; skipped without ipympl), axe (the accessibility
counts the browser tests wrote), notebooks (run time and memory of each notebook).
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import time
from pathlib import Path

import matplotlib
import numpy as np

from . import bench_axe, bench_browser, bench_core, bench_design, bench_explorers, bench_notebooks

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
        f"- load average at the start: {os.getloadavg()[0]:.1f} (another job on the cores inflates every time here)"
        if hasattr(os, "getloadavg") else "- load average: unknown",
        "",
    ]
    return lines


KEPT = "<!-- written by hand below this line; make bench keeps it -->"


SECTIONS = ("core", "explorers", "browser", "design", "axe", "notebooks")


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run_all", description="Run the benchmarks; with "
                                     "every section and every notebook, write benchmarks/RESULTS.md.")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, metavar="SECTION",
                        help="only these sections (" + ", ".join(SECTIONS) + "): printed, RESULTS.md untouched")
    parser.add_argument("--notebooks", nargs="+", metavar="NN",
                        help="browser: only these notebooks (stem prefixes: 00 02); RESULTS.md untouched")
    parser.add_argument("--presses", type=int, default=3, help="browser: key presses per slider (default 3)")
    parser.add_argument("--design-presses", type=int, default=15, help="design: key presses per variant")
    parser.add_argument("--skip-notebooks", action="store_true", help="leave out the notebooks section")
    return parser.parse_args(argv)


def main(argv):
    """All sections into RESULTS.md; a part (--only, --notebooks, --skip-notebooks) prints and writes nothing."""
    args = parse(argv)
    lines = header([])
    reports = {"core": bench_core.report, "explorers": bench_explorers.report,
               "browser": lambda ls: bench_browser.report(ls, args.notebooks, args.presses),
               "design": lambda ls: bench_design.report(ls, args.design_presses),
               "axe": bench_axe.report, "notebooks": bench_notebooks.report}
    chosen = [s for s in SECTIONS if (not args.only or s in args.only)
              and not (s == "notebooks" and args.skip_notebooks)]
    t0 = time.monotonic()
    for name in chosen:
        print(f"{name} ...", flush=True)
        reports[name](lines)
    lines.append(f"_This run took {time.monotonic() - t0:.0f} s._\n")
    print("\n".join(lines))
    if not (args.only or args.notebooks or args.skip_notebooks):
        path = HERE / "RESULTS.md"
        kept = path.read_text().partition(KEPT)[2] if path.exists() else ""
        path.write_text("\n".join(lines) + "\n" + (KEPT + kept if kept else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
