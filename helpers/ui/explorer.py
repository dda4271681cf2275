"""The widget layer: controls wired to "compute, then draw", with presets, reset and A/B views.

No maths here. An explorer is built from
- controls: {name: widget}, whose values are passed to compute as keyword arguments;
- compute(**values) -> result, a pure function of helpers (timed apart from drawing);
- draw(fig, result) -> str | None (an HTML readout), on a Figure kept for the explorer's life; with keep=True,
  draw(kept, result) keeps its axes and artists too (Kept). The figure is rendered to PNG into an
  `ipywidgets.Image`: every front end (JupyterLab, Notebook 7, VS Code, Colab, Voila) shows it the same way.

Accessibility: the image carries a text alternative (its `title`: the explorer's title, every
control's setting and the readout's numbers), renewed with every figure; every control has a name
(its description). Known limit of ipywidgets 8.1: a FloatLogSlider's handle announces its exponent
(aria-valuetext "0" for 1.00); its readout box beside it shows and accepts the value itself.
"""
from __future__ import annotations

import functools
import html
import io
import re
import time
import warnings

import ipywidgets as widgets
import numpy as np
import traitlets
from .raster import render_png
from matplotlib.figure import Figure
from PIL import Image

from ..core.stats import fmt
from .kept import Kept
from .plotting import style

STYLE = {"description_width": "150px"}
CLOCK = time.perf_counter  # what last_timing measures; benchmarks set time.process_time on a shared machine


def _layout():
    return widgets.Layout(width="420px", max_width="100%")  # one per control: a shared Layout would tie them


def slider(description, value, lo, hi, step=1, **kw):
    """An integer slider that updates on release (continuous_update=False)."""
    return widgets.IntSlider(value=value, min=lo, max=hi, step=step, description=description,
                             continuous_update=False, layout=_layout(), style=STYLE, **kw)


def float_slider(description, value, lo, hi, step=0.01, **kw):
    """A float slider that updates on release."""
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                               continuous_update=False, layout=_layout(), style=STYLE, **kw)


def log_slider(description, value, lo, hi, steps_per_decade: int = 10, **kw):
    """A log-scaled float slider from lo to hi (both > 0), for quantities that span decades."""
    return widgets.FloatLogSlider(value=value, base=10, min=np.log10(lo), max=np.log10(hi),
                                  step=1 / steps_per_decade, description=description,
                                  continuous_update=False, readout_format=".3g",
                                  layout=_layout(), style=STYLE, **kw)


def dropdown(description, options, value=None):
    """A dropdown of options (a list, or {label: value}); the first is selected unless `value` is given."""
    if value is None:
        first = next(iter(options))
        value = options[first] if isinstance(options, dict) else first
    return widgets.Dropdown(options=options, value=value, description=description,
                            layout=_layout(), style=STYLE)


class AltImage(widgets.Image):
    """An Image whose `tooltip` is its text alternative. ipywidgets 8.1's DOMWidgetView writes the tooltip
    into the <img>'s title (an accessible name, shown on hover too) only where the model's description
    is empty, and fails where the model has none, as Image's has not: this adds the empty one."""

    description = traitlets.Unicode("").tag(sync=True)


def plain_text(markup: str) -> str:
    """The text of a readout's HTML, tags dropped and entities decoded, on one line."""
    text = " ".join(html.unescape(re.sub(r"<br\s*/?>", ". ", re.sub(r"<(?!br)[^>]+>", "", markup))).split())
    return re.sub(r"([.;:])\s*\.(\s|$)", r"\1\2", text)


def setting(w) -> str:
    """'description = value' of a control, with a dropdown's label rather than its value."""
    value = w.label if hasattr(w, "label") and getattr(w, "options", None) else w.value
    return f"{w.description} = {fmt(value) if isinstance(value, float) else value}"


class Explorer(widgets.VBox):
    """Controls, preset buttons, a live figure and a readout, updated on every change.

    `enabled` maps a control's name to a rule on all the values; the control is disabled while
    the rule is False (a leak slider with plain ReLU, say), so no slider ever does nothing.
    For tests and benchmarks: controls, image (PNG), readout, fig, last_timing = (compute, draw) seconds,
    last_render (seconds of the draw spent rasterizing and encoding), update(), apply(preset_name).
    """

    def __init__(self, controls, compute, draw, *, presets=None, title="", figsize=(11, 4.2),
                 large=False, dpi=90, layout="constrained", enabled=None, cache: int = 16, keep=False):
        self.controls = dict(controls)
        # compute results by control values, the last `cache` settings: moving back costs only the drawing
        # (the series' one cache of results; explorers may keep inputs in functools.lru_cache, bounded too)
        self._compute = functools.lru_cache(maxsize=cache)(lambda items: compute(**dict(items)))
        self._draw = draw
        # {control: rule(values) -> bool}: a control that does nothing in the current setting is greyed out
        self.enabled = dict(enabled or {})
        self.defaults = {k: w.value for k, w in self.controls.items()}
        self.presets = {"reset": {}, **(presets or {})}
        self.figsize, self.dpi, self.last_timing, self._hold = figsize, dpi, (0.0, 0.0), False
        self.last_render = 0.0
        self.large = widgets.ToggleButton(value=large, description="large display",
                                          tooltip="bigger fonts and lines for presenting")
        # layout=None (with fig.subplots_adjust in draw) redraws faster than "constrained"
        self.fig = Figure(figsize=figsize, layout=layout)
        self.kept = Kept(self.fig) if keep else None  # keep=True: draw(kept, result) keeps axes and artists
        self.heading = title
        self.image = AltImage(format="png", layout=widgets.Layout(max_width="100%", height="auto"))
        self.readout = widgets.HTML()
        buttons = []
        for name in self.presets:
            button = widgets.Button(description=name, layout=widgets.Layout(width="auto"),
                                    tooltip=f"set the controls to {name}")
            button.on_click(lambda _, name=name: self.apply(name))
            buttons.append(button)
        for w in [*self.controls.values(), self.large]:
            w.observe(self.update, names="value")
        header = [widgets.HTML(f"<b>{title}</b>")] if title else []
        wrap = widgets.Layout(flex_flow="row wrap")  # narrow panels (A/B views) wrap instead of cropping
        super().__init__(header + [
            widgets.HBox([widgets.VBox(list(self.controls.values())),
                          widgets.VBox([widgets.HBox([widgets.Label("presets:"), *buttons], layout=wrap),
                                        self.large, self.readout])], layout=wrap),
            self.image,
        ])
        self.update()

    def alt_text(self, values, readout) -> str:
        """The figure's text alternative: what it shows, the current setting and the readout's numbers."""
        shown = ", ".join(setting(self.controls[k]) for k in values)
        return f"Figure: {self.heading or 'explorer'}. Setting: {shown}. {plain_text(readout or '')}".strip()

    def values(self) -> dict:
        return {k: w.value for k, w in self.controls.items()}

    def apply(self, preset: str):
        """Set the controls to a preset ("reset" gives the defaults), then update once."""
        values = {**self.defaults, **self.presets[preset]} if preset == "reset" else self.presets[preset]
        self._hold = True
        try:
            for k, v in values.items():
                self.controls[k].value = v
        finally:
            self._hold = False
        self.update()

    def update(self, *_):
        """Compute, then draw; any failure becomes a message in the readout, never a traceback."""
        if self._hold:
            return
        values = self.values()
        for name, rule in self.enabled.items():
            self.controls[name].disabled = not rule(values)
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t0 = CLOCK()
                result = self._compute(tuple(values.items()))
                t1 = CLOCK()
                scale = 1.4 if self.large.value else 1.0
                size = (self.figsize[0] * scale, self.figsize[1] * scale)
                if self.kept is None or tuple(self.fig.get_size_inches()) != size:  # new style: new artists
                    self.fig.set_size_inches(*size)
                    self.fig.clear() if self.kept is None else self.kept.reset()
                with style(self.large.value):
                    text = self._draw(self.fig if self.kept is None else self.kept, result)
                    self.kept is None or self.kept.sweep()
                    t2 = CLOCK()
                    png = render_png(self.fig, self.dpi)
                self.image.value = png
                self.image.tooltip = self.alt_text(values, text)
                t3 = CLOCK()
                self.last_timing = (t1 - t0, t3 - t1)
                self.last_render = t3 - t2  # the part of drawing spent rasterizing and encoding the PNG
            self.readout.value = text or ""
        except Exception as err:  # shown to the student, never raised into the notebook
            self.readout.value = f"<span style='color:#b00'>could not update: {type(err).__name__}: {err}</span>"


def side_by_side(make_explorer, a: dict | None = None, b: dict | None = None):
    """Two explorers next to each other (A and B, same seed), each set to its own control values."""
    panels = []
    for name, values in (("A", a or {}), ("B", b or {})):
        ex = make_explorer()
        unknown = sorted(set(values) - set(ex.controls))
        if unknown:
            raise ValueError(f"side_by_side: {name.lower()} names no control {', '.join(map(repr, unknown))}; "
                             f"valid controls: {', '.join(ex.controls)}")
        ex.presets["reset"] = dict(values)
        ex.apply("reset")
        ex.children = (widgets.HTML(f"<h3>{name}</h3>"), *ex.children)
        panels.append(ex)
    return widgets.HBox(panels)
