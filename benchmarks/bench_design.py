"""The wider design space (issue 16): our inline PNG in an ipywidgets.Image vs ipympl's canvas, end to end.

One generated notebook, run in JupyterLab + headless Chromium (as benchmarks/bench_browser.py runs the series),
draws the same explorer-like figure (three panels, 1125 x 378 pixels at dpi 90: a per-layer std on a log axis
with markers, a 200-point curve, a 40-bin histogram as stairs; titles carrying the value) four ways, each behind
its own FloatSlider:

- png: what the explorers do: update the kept artists, autoscale, Agg draw, PNG (compress_level 1) into an
  ipywidgets.Image (helpers.ui.raster.render_png);
- png blit: the same transport, but fixed limits and animated artists: restore the Agg background, draw_artist,
  encode (what blitting saves in the kernel, apart from how the pixels travel);
- ipympl draw_idle: the same figure on ipympl's Canvas (`%matplotlib widget`), updated artists, autoscale,
  fig.canvas.draw_idle() (the idiomatic call: the page asks back for the frame, then the kernel draws it);
- ipympl draw: fig.canvas.draw() at once (no round trip);
- ipympl blit: fixed limits, animated artists: restore the background, draw_artist, canvas.blit (ipympl then
  sends only the changed pixels, as it does for every frame after the first: its "diff" image mode).

Each key press is timed from keydown to the new pixels in the page (the <img> decoded, or ipympl's canvas
drawn). The variants take turns in rounds, so a busy machine slows them alike. Skipped when ipympl is absent.

    python -m benchmarks.bench_design [--presses 15]
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import time

import nbformat
import numpy as np

NAME = "zz_design_space.ipynb"
LOG = "design_timings.jsonl"
VARIANTS = ("png", "png_blit", "ipympl_idle", "ipympl_draw", "ipympl_blit")
LABELS = {"png": "PNG in ipywidgets.Image (ours)", "png_blit": "PNG in ipywidgets.Image, blitting in Agg (fixed limits)", "ipympl_idle": "ipympl canvas, draw_idle()",
          "ipympl_draw": "ipympl canvas, draw()", "ipympl_blit": "ipympl canvas, blitting (fixed limits)"}

SETUP = '''
import io, json, time
import numpy as np
import ipywidgets as widgets
from matplotlib.figure import Figure
from helpers.ui.raster import render_png
from helpers.ui.plotting import style

LOG, FIGSIZE, DPI = %r, (12.5, 4.2), 90
layers, x, edges = np.arange(1, 21), np.linspace(-4, 4, 200), np.linspace(-1, 1, 41)
sample = np.random.default_rng(0).normal(size=4000)

def log(variant, part, t0, nbytes=None):  # CPU time of this kernel: fair on a shared machine
    with open(LOG, "a") as f:
        f.write(json.dumps({"variant": variant, "part": part, "ms": (time.process_time() - t0) * 1e3,
                            "bytes": nbytes}) + "\\n")

def data(gain):
    hist, _ = np.histogram(np.tanh(gain * sample), bins=edges)
    return gain ** (layers / 4), np.tanh(gain * x), hist

def build(fig, animated=False):
    with style():
        axes = fig.subplots(1, 3)
        std, curve, hist = data(1.0)
        lines = [axes[0].semilogy(layers, std, marker="o", animated=animated)[0],
                 axes[1].plot(x, curve, animated=animated)[0],
                 axes[2].stairs(hist, edges, animated=animated)]
        for ax, t, xl in zip(axes, ("activation std per layer", "activation tanh(g x)", "histogram, last layer"),
                             ("layer", "x", "value")):
            ax.set_title(t); ax.set_xlabel(xl)
        texts = [ax.text(0.02, 0.92, "", transform=ax.transAxes, animated=animated) for ax in axes]
        fig.tight_layout()
    return axes, lines, texts

def update(parts, gain, autoscale=True):
    axes, lines, texts = parts
    std, curve, hist = data(gain)
    lines[0].set_ydata(std); lines[1].set_ydata(curve); lines[2].set_data(hist, edges)
    for t, v in zip(texts, (std[-1], curve.max(), hist.max())):
        t.set_text(f"g = {gain:.2f}: {v:.3g}")
    if autoscale:
        for ax in axes:
            ax.relim(); ax.autoscale_view()

def slider():
    return widgets.FloatSlider(value=1.0, min=0.5, max=2.0, step=0.02, description="gain",
                               continuous_update=False)
'''

PNG = '''
fig_png = Figure(figsize=FIGSIZE, dpi=DPI)
parts_png = build(fig_png)
image = widgets.Image(value=render_png(fig_png, DPI), format="png")
s_png = slider()
def on_png(change):
    t0 = time.process_time()
    update(parts_png, change["new"])
    with style():
        png = render_png(fig_png, DPI)
    image.value = png
    log("png", "kernel", t0, len(png))
s_png.observe(on_png, "value")

from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image as PILImage
fig_pb = Figure(figsize=FIGSIZE, dpi=DPI)
canvas_pb = FigureCanvasAgg(fig_pb)
parts_pb = build(fig_pb, animated=True)
for ax, lo, hi in zip(parts_pb[0], (0.1, -1.05, 0), (40, 1.05, 1200)):
    ax.set_ylim(lo, hi)
canvas_pb.draw()
bg_pb = canvas_pb.copy_from_bbox(fig_pb.bbox)
def blit_png():
    canvas_pb.restore_region(bg_pb)
    for a in parts_pb[1] + parts_pb[2]:
        a.axes.draw_artist(a)
    buf = io.BytesIO()
    PILImage.fromarray(np.asarray(canvas_pb.buffer_rgba())).save(buf, format="png", compress_level=1)
    return buf.getvalue()
image_pb = widgets.Image(value=blit_png(), format="png")
s_pb = slider()
def on_pb(change):
    t0 = time.process_time()
    update(parts_pb, change["new"], autoscale=False)
    png = blit_png()
    image_pb.value = png
    log("png_blit", "kernel", t0, len(png))
s_pb.observe(on_pb, "value")

boxes = []
for name, s, img in (("png", s_png, image), ("png_blit", s_pb, image_pb)):
    b = widgets.VBox([s, img]); b.add_class("sg-design-" + name); boxes.append(b)
widgets.VBox(boxes)
'''

IPYMPL = '''
%matplotlib widget
import matplotlib.pyplot as plt
plt.ioff()

def ipympl_figure(variant, animated=False):
    fig = plt.figure(figsize=FIGSIZE, dpi=DPI)
    for k in ("header_visible", "toolbar_visible", "footer_visible", "resizable"):
        setattr(fig.canvas, k, False)
    parts = build(fig, animated)
    canvas, draw, diff = fig.canvas, fig.canvas.draw, fig.canvas.get_diff_image
    def timed_draw():  # Agg draw + encode + send (refresh_all)
        t0 = time.process_time(); draw(); log(variant, "draw", t0)
    canvas.draw = timed_draw
    def timed_diff():
        t0 = time.process_time(); out = diff()
        if out is not None:
            log(variant, "encode", t0, len(out))
        return out
    canvas.get_diff_image = timed_diff
    return fig, parts

fig_idle, parts_idle = ipympl_figure("ipympl_idle")
s_idle = slider()
def on_idle(change):
    t0 = time.process_time(); update(parts_idle, change["new"]); fig_idle.canvas.draw_idle(); log("ipympl_idle", "kernel", t0)
s_idle.observe(on_idle, "value")

fig_draw, parts_draw = ipympl_figure("ipympl_draw")
s_draw = slider()
def on_draw(change):
    t0 = time.process_time(); update(parts_draw, change["new"]); fig_draw.canvas.draw(); log("ipympl_draw", "kernel", t0)
s_draw.observe(on_draw, "value")

fig_blit, parts_blit = ipympl_figure("ipympl_blit", animated=True)
for ax, lo, hi in zip(parts_blit[0], (0.1, -1.05, 0), (40, 1.05, 1200)):
    ax.set_ylim(lo, hi)
background = {}
def animated_artists():
    return parts_blit[1] + parts_blit[2]
def on_full_draw(event):  # a full draw (first frame, a refresh) leaves animated artists out: keep them in
    background["bg"] = fig_blit.canvas.copy_from_bbox(fig_blit.bbox)
    for a in animated_artists():
        a.axes.draw_artist(a)
fig_blit.canvas.mpl_connect("draw_event", on_full_draw)
s_blit = slider()
def on_blit(change):
    t0 = time.process_time()
    update(parts_blit, change["new"], autoscale=False)
    if "bg" not in background:
        fig_blit.canvas.draw()
    fig_blit.canvas.restore_region(background["bg"])
    for a in animated_artists():
        a.axes.draw_artist(a)
    fig_blit.canvas.blit(fig_blit.bbox)
    log("ipympl_blit", "kernel", t0)
s_blit.observe(on_blit, "value")

boxes = []
for name, s, fig in (("ipympl_idle", s_idle, fig_idle), ("ipympl_draw", s_draw, fig_draw), ("ipympl_blit", s_blit, fig_blit)):
    b = widgets.VBox([s, fig.canvas]); b.add_class("sg-design-" + name); boxes.append(b)
widgets.VBox(boxes)
'''

# In the page: the keydown on a variant's slider, then its new pixels (the <img> decoded, or a drawImage
# onto one of its on-screen canvases: ipympl draws each frame received into an offscreen canvas, then onto it).
JS_ARM = """(v) => {
  if (!window.__sgPatched) {
    const orig = CanvasRenderingContext2D.prototype.drawImage;
    CanvasRenderingContext2D.prototype.drawImage = function (...a) {
      const r = orig.apply(this, a);
      if (window.__sgCanvasHook) window.__sgCanvasHook(this.canvas);
      return r;
    };
    window.__sgPatched = true;
  }
  const box = document.querySelector('.sg-design-' + v);
  const handle = box.querySelector('.noUi-handle');
  const img = box.querySelector('img'), canvases = [...box.querySelectorAll('canvas')];
  const w = window.__sgWatch = {t_key: null, t_img: null};
  handle.addEventListener('keydown', () => { if (w.t_key === null) w.t_key = performance.now(); },
                          {capture: true, once: true});
  const done = () => { if (w.t_img === null) w.t_img = performance.now(); };
  window.__sgCanvasHook = null;
  if (img) {
    const old = img.src;
    const obs = new MutationObserver(() => {
      if (img.src !== old) { obs.disconnect(); img.decode().then(done, done); } });
    obs.observe(img, {attributes: true, attributeFilter: ['src']});
  } else {
    window.__sgCanvasHook = (c) => { if (w.t_key !== null && canvases.includes(c)) { window.__sgCanvasHook = null; done(); } };
  }
  return {img: !!img, canvases: canvases.length};
}"""


def available() -> str | None:
    """Why this part cannot run (None when it can)."""
    if importlib.util.find_spec("ipympl") is None:
        return ("ipympl is not installed. It is not a requirement: to measure it, `.venv/bin/pip install ipympl`, "
                "run this, then `.venv/bin/pip uninstall -y ipympl` (the lock test pins this environment)")
    from . import bench_browser
    return bench_browser.unavailable()


def notebook_text() -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_code_cell(SETUP % LOG), nbformat.v4.new_code_cell(PNG),
                nbformat.v4.new_code_cell(IPYMPL)]
    return nbformat.writes(nb)


def press(page, variant: str, key: str = "ArrowRight", timeout_ms: float = 20_000):
    handle = page.locator(f".sg-design-{variant} .noUi-handle").first
    handle.scroll_into_view_if_needed()
    page.evaluate(JS_ARM, variant)
    handle.focus()
    handle.press(key)
    try:
        page.wait_for_function("() => window.__sgWatch.t_img !== null", timeout=timeout_ms, polling="raf")
    except Exception:
        return None
    w = page.evaluate("() => window.__sgWatch")
    return round(w["t_img"] - w["t_key"], 1)


def measure(presses: int = 15, per_turn: int = 3) -> dict:
    from tests import browser_support as bs

    from .bench_browser import lab_page
    latencies = {v: [] for v in VARIANTS}
    with lab_page({NAME: notebook_text()}, copy_notebooks=False) as (server, page):
        bs.lab_open(page, NAME)
        state = bs.lab_run_all(page)
        if state["errors"] or state["dialogs"]:
            raise RuntimeError(f"the design notebook failed: {state['errors'] or state['dialogs']}")
        page.wait_for_timeout(2000)  # let ipympl's canvases receive their first frames
        (server.root / LOG).write_text("")  # the first frames are not presses
        for _ in range(-(-presses // per_turn)):
            for v in VARIANTS:
                for _ in range(per_turn):
                    latencies[v].append(press(page, v))
                    page.wait_for_timeout(150)
        kernel = [json.loads(line) for line in (server.root / LOG).read_text().splitlines() if line.strip()]
        bs.lab_close(page)
    return {"latencies": latencies, "kernel": kernel}


def report(lines, presses: int = 15):
    lines.append("## The wider design space: PNG in an Image widget vs ipympl's canvas, key press to new pixels\n")
    reason = available()
    if reason:
        lines.append(f"Not measured: {reason}.\n")
        return lines
    import ipympl
    t0 = time.monotonic()
    data = measure(presses)
    lines.append(f"ipympl {ipympl.__version__}, JupyterLab + headless Chromium, one BLAS thread; the same three-panel "
                 "figure (1125 x 378 px) each way, one slider each, the variants taking turns; "
                 f"{time.monotonic() - t0:.0f} s. Kernel medians in CPU ms of the kernel: the slider's callback "
                 "(update, and for all but ipympl draw_idle the drawing and encoding too); ipympl's draw (Agg draw, "
                 "encode, send), which draw_idle leaves until the page asks for the frame; its PNG encoding "
                 "(ipympl's own, PIL's default level, of the changed pixels only).\n")
    lines.append("| variant | presses | median (ms) | p95 (ms) | max (ms) | kernel: callback (ms) | kernel: ipympl's "
                 "draw (ms) | of which encode (ms) | bytes per frame |")
    lines.append("|---|---|---|---|---|---|---|---|---|")
    med = lambda xs: f"{np.median(xs):.0f}" if xs else "-"  # noqa: E731
    for v in VARIANTS:
        got = [x for x in data["latencies"][v] if x is not None]
        lost = len(data["latencies"][v]) - len(got)
        part = lambda name: [k["ms"] for k in data["kernel"] if k["variant"] == v and k["part"] == name]  # noqa: E731
        size = [k["bytes"] for k in data["kernel"] if k["variant"] == v and k["bytes"]]
        row = (f"| {LABELS[v]} | {len(got)}{f' ({lost} no frame)' if lost else ''} | {med(got)} | "
               f"{np.percentile(got, 95):.0f} | {max(got):.0f} | " if got else f"| {LABELS[v]} | 0 | - | - | - | ")
        draws = part("draw")
        lines.append(row + f"{med(part('kernel'))} | {med(draws)}{f' (n={len(draws)})' if draws else ''} | "
                     f"{med(part('encode'))} | "
                     f"{f'{np.median(size) / 1e3:.0f} kB' if size else '-'} |")
    lines.append("")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=15)
    args = parser.parse_args(argv)
    print("\n".join(report([], args.presses)))


if __name__ == "__main__":
    main()
