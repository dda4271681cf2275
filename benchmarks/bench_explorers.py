"""Explorers: time of one update (compute, then draw) at default settings and at the biggest
settings a slider allows (each module's BENCH dict). Targets: compute < 30 ms, draw < 150 ms
at defaults; everything < 1 s at the biggest settings. Figures are medians of repeated updates.
"""
from __future__ import annotations

import importlib
import pkgutil

import numpy as np

import helpers.explorers as explorers


def builders():
    """(module name, builder name, builder, biggest settings) for every explorer of the series."""
    for info in pkgutil.iter_modules(explorers.__path__):
        module = importlib.import_module(f"helpers.explorers.{info.name}")
        bench = getattr(module, "BENCH", {})
        for name in getattr(module, "__all__", []):
            if name.endswith("_explorer"):
                yield info.name, name, getattr(module, name), bench.get(name, {})


def time_updates(explorer, repeat=7):
    """Median (compute, draw, of which rasterizing) seconds of `repeat` updates at the current settings."""
    runs = []
    for _ in range(repeat):
        explorer.update()
        runs.append((*explorer.last_timing, explorer.last_render))
    runs = np.array(runs)
    return tuple(float(np.median(runs[:, i])) for i in range(3))


def measure():
    rows = []
    for module, name, build, biggest in builders():
        ex = build()
        failed = "could not update" in ex.readout.value
        compute, draw, render = time_updates(ex)
        big = (np.nan, np.nan, np.nan)
        if biggest:
            ex.presets["__bench__"] = biggest
            ex.apply("__bench__")
            failed = failed or "could not update" in ex.readout.value
            big = time_updates(ex, repeat=3)
        rows.append(dict(module=module, name=name, compute=compute, draw=draw, render=render,
                         big_compute=big[0], big_draw=big[1], biggest=biggest, failed=failed))
    return rows


def report(lines):
    lines.append("## Explorers: one update, compute then draw (targets: 30 ms, 150 ms; biggest settings < 1 s)\n")
    lines.append("| explorer | compute (ms) | draw (ms) | of which rasterizing + PNG (ms) | biggest settings | "
                 "compute + draw there (ms) | verdict |")
    lines.append("|---|---|---|---|---|---|---|")
    for r in measure():
        total_big = (r["big_compute"] + r["big_draw"]) * 1e3
        misses = []
        if r["compute"] > 0.030:
            misses.append("compute over 30 ms")
        if r["draw"] > 0.150:
            misses.append("draw over 150 ms")
        if np.isfinite(total_big) and total_big > 1000:
            misses.append("biggest settings over 1 s")
        if not r["biggest"]:
            misses.append("no BENCH settings")
        if r["failed"]:
            misses.append("update failed")
        big = ", ".join(f"{k}={v}" for k, v in r["biggest"].items()) or "-"
        lines.append(f"| {r['name']} | {r['compute'] * 1e3:.1f} | {r['draw'] * 1e3:.1f} | {r['render'] * 1e3:.1f} | {big} | "
                     f"{total_big:.0f} | {'; '.join(misses) or 'meets targets'} |")
    lines.append("\nWhere the draw misses its target, the rasterizing column says how much of it is Agg drawing "
                 "the pixels and encoding the PNG (fixed by the figure's size and number of artists), the rest "
                 "being matplotlib building the axes and artists.\n")
    return lines


if __name__ == "__main__":
    for line in report([]):
        print(line)
