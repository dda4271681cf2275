"""Explorers: what one slider move costs, compute then draw (nothing here passes or fails).

For every explorer of the series (each notebook package's explorer module and its BENCH dict):
- at the default settings, each control is moved to another value and back; the median update;
- at the biggest settings (BENCH), the first update there, then each control moved to each end of
  its range (or each option) and back: the worst single update, which issue 16 wants under 500 ms.
Caches stay as a student would have them, so a move back to a value already seen is cheap.
Times are CPU seconds of this process (time.process_time, one BLAS thread under `make bench`): on an idle
machine they are the wall-clock times, and other sessions' load on a shared machine does not inflate them.
"""
from __future__ import annotations

import importlib
import io
import time

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from helpers.ui import explorer as hw
from helpers.ui import raster
from helpers.ui.plotting import style

NOTEBOOKS = ("nb01_saturation", "nb02_variance", "nb03_initialization", "nb04_dying_relu",
             "nb05_normalization", "nb06_papers", "nb07_residual", "nb08_edge_of_chaos")
TARGET = 0.5  # seconds: the worst update at the biggest settings


def builders():
    """(notebook package, builder name, builder, biggest settings) for every explorer of the series."""
    for package in NOTEBOOKS:
        module = importlib.import_module(f"helpers.{package}.explorer")
        bench = getattr(module, "BENCH", {})
        for name in getattr(module, "__all__", []):
            if name.endswith("_explorer"):
                yield package, name, getattr(module, name), bench.get(name, {})


def choices(w):
    """Values worth moving control `w` to: both ends of a slider, every option of a dropdown."""
    if hasattr(w, "options") and w.options:
        options = w.options.values() if isinstance(w.options, dict) else w.options
        return [o[1] if isinstance(o, tuple) else o for o in options]
    if hasattr(w, "base"):  # FloatLogSlider: min/max are exponents
        return [w.base ** w.min, w.base ** w.max]
    return [w.min, w.max]


def timed(ex, name, value):
    """Set one control, return (compute, draw, total) seconds of the update it caused (wall clock)."""
    t0 = time.process_time()
    ex.controls[name].value = value
    total = time.process_time() - t0
    return (*ex.last_timing, total)


def same(a, b) -> bool:
    return a == b if isinstance(a, str) or isinstance(b, str) else bool(np.isclose(a, b))


def moves(ex, ends: bool):
    """Time moving every enabled control away (to another value, or to each end) and back."""
    rows = []
    for name, w in ex.controls.items():
        if w.disabled:
            continue
        home = w.value
        targets = [v for v in choices(w) if not same(v, home)]
        for v in targets if ends else targets[:1]:
            rows.append((name, v, *timed(ex, name, v)))
            rows.append((name, home, *timed(ex, name, home)))
    return rows


def plain_png(canvas) -> tuple[bytes, np.ndarray]:
    """matplotlib's own way, as the explorers rendered before raster.py: an Agg draw, Pillow's PNG (level 1)."""
    canvas.figure.set_canvas(canvas)
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba()).copy()
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, format="png", compress_level=1)
    return buf.getvalue(), pixels


def renders(ex, repeats: int = 7) -> dict:
    """CPU ms to render the explorer's current figure, both ways (alternating), the PNG sizes, and whether
    the pixels are the same."""
    plain, fast = [], []
    with style(ex.large.value):
        canvas = FigureCanvasAgg(ex.fig)
        plain_png(canvas)  # its text metrics cached, as a kept canvas has them
        for _ in range(repeats):
            t0 = time.process_time()
            old, pixels = plain_png(canvas)
            t1 = time.process_time()
            new = raster.render_png(ex.fig, ex.dpi)
            fast.append(time.process_time() - t1)
            plain.append(t1 - t0)
    same = np.array_equal(np.asarray(Image.open(io.BytesIO(new)).convert("RGBA")), pixels)
    return dict(plain=float(np.median(plain)), fast=float(np.median(fast)), plain_kb=len(old) / 1024,
                fast_kb=len(new) / 1024, same=same)


def measure():
    hw.CLOCK = time.process_time
    results = []
    for package, name, build, biggest in builders():
        t0 = time.process_time()
        ex = build()
        first = time.process_time() - t0
        default = moves(ex, ends=False)
        row = dict(name=name, first=first, biggest=biggest,
                   compute=float(np.median([r[2] for r in default])), draw=float(np.median([r[3] for r in default])),
                   median=float(np.median([r[4] for r in default])), failed="could not update" in ex.readout.value,
                   render=renders(ex))
        if biggest:
            ex.presets["__bench__"] = biggest
            t0 = time.process_time()
            ex.apply("__bench__")
            row["big_first"] = time.process_time() - t0
            big = moves(ex, ends=True)
            worst = max(big, key=lambda r: r[4])
            row.update(big_compute=float(np.median([r[2] for r in big])), big_draw=float(np.median([r[3] for r in big])),
                       worst=worst[4], worst_move=f"{worst[0]}={worst[1]:.3g}" if not isinstance(worst[1], str)
                       else f"{worst[0]}={worst[1]}")
            row["failed"] = row["failed"] or "could not update" in ex.readout.value
        results.append(row)
    return results


def report(lines):
    lines.append("## Explorers: one control move, compute then draw (target: every update under 500 ms)\n")
    lines.append("Default settings: the median over moving each control away and back. Biggest settings (each "
                 "explorer's BENCH): the first update there, the medians, and the worst single update over moving "
                 "each control to each end of its range (or each option) and back.\n")
    lines.append("| explorer | compute (ms) | draw (ms) | update (ms) | BENCH first (ms) | BENCH compute / draw (ms) "
                 "| worst update at BENCH (ms) | caused by | verdict |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    results = measure()
    for r in results:
        worst = r.get("worst", np.nan)
        verdict = ("update failed" if r["failed"] else "no BENCH settings" if not r["biggest"]
                   else "meets 500 ms" if worst <= TARGET and r.get("big_first", 0) <= TARGET
                   else "over 500 ms")
        lines.append(f"| {r['name']} | {r['compute'] * 1e3:.0f} | {r['draw'] * 1e3:.0f} | {r['median'] * 1e3:.0f} | "
                     f"{r.get('big_first', np.nan) * 1e3:.0f} | {r.get('big_compute', np.nan) * 1e3:.0f} / "
                     f"{r.get('big_draw', np.nan) * 1e3:.0f} | {worst * 1e3:.0f} | {r.get('worst_move', '-')} | "
                     f"{verdict} |")
    lines.append("")
    lines.append("### Rendering one figure: matplotlib's own Agg draw and Pillow's PNG, against helpers/ui/raster.py\n")
    lines.append("At the default settings, CPU ms per render (median of 7, the two alternating), the PNG's size, and "
                 "whether the decoded pixels are identical.\n")
    lines.append("| explorer | matplotlib + Pillow (ms) | raster.py (ms) | ratio | PNG kB, before / after | same pixels |")
    lines.append("|---|---|---|---|---|---|")
    for r in results:
        g = r["render"]
        lines.append(f"| {r['name']} | {g['plain'] * 1e3:.1f} | {g['fast'] * 1e3:.1f} | {g['fast'] / g['plain']:.2f} | "
                     f"{g['plain_kb']:.0f} / {g['fast_kb']:.0f} | {'yes' if g['same'] else 'NO'} |")
    lines.append("")
    return lines


if __name__ == "__main__":
    for line in report([]):
        print(line)
