"""What an explorer keeps drawn between updates (issue 16): its axes, made once per layout, and its artists,
made once and then given new data. Redrawing a figure from scratch costs more than its maths: building the
axes and artists again on every slider move was a third of an update.
"""
from __future__ import annotations

import contextlib

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import StepPatch
from matplotlib.path import Path


class Kept:
    """What an explorer keeps drawn (issue 16): its axes, made once per layout, and its artists by key,
    made once and then given new data. An artist not asked for in an update is hidden, so nothing stale shows.
    draw(kept, result) with Explorer(keep=True): kept.fig, kept.layout(key, make), kept.get(key, make, update)."""

    def __init__(self, fig):
        self.fig, self.key, self.axes, self.artists, self.used = fig, None, {}, {}, set()

    def reset(self):
        self.fig.clear()
        self.key, self.axes, self.artists = None, {}, {}

    def layout(self, key, make):
        """The axes {name: Axes} made by make(fig); made again (on a cleared figure) only when `key` changes."""
        if key != self.key:
            self.reset()
            self.key, self.axes = key, make(self.fig)
        return self.axes

    def get(self, key, make, update=None):
        """The artist `key`: make() the first time, else update(artist) (new data); visible either way."""
        self.used.add(key)
        artist = self.artists.get(key)
        if artist is None:
            with _limits_at_sweep():
                artist = self.artists[key] = make()
        elif update is not None:
            update(artist)
        artist.set_visible(True)
        return artist

    def sweep(self):
        """Hide the artists this update did not ask for, then autoscale (from what shows) every axis whose
        limits the draw did not set, as a fresh figure would."""
        for key, artist in self.artists.items():
            artist.set_visible(key in self.used)
        self.used = set()
        for ax in self.fig.axes:
            relim(ax)
            ax.autoscale_view()


def _straight(patch) -> bool:
    """A visible stairs patch in data coordinates, of straight segments in one piece, every vertex finite."""
    if not (isinstance(patch, StepPatch) and patch.get_visible() and patch.get_transform() is patch.axes.transData):
        return False
    path = patch.get_path()
    codes = path.codes
    return (len(path.vertices) > 1 and np.isfinite(path.vertices).all()
            and (codes is None or (codes[0] == Path.MOVETO and (codes[1:] == Path.LINETO).all())))


@contextlib.contextmanager
def _limits_at_sweep():
    """While an artist is made: a new stairs patch leaves the data limits to sweep's relim, which reads its vertices
    (Axes.add_patch would walk its every segment as a Bezier curve, ~2 ms a histogram, for limits relim redoes)."""
    update = Axes._update_patch_limits
    Axes._update_patch_limits = lambda ax, patch: None if _straight(patch) else update(ax, patch)
    try:
        yield
    finally:
        Axes._update_patch_limits = update


def relim(ax):
    """ax.relim(visible_only=True), the same limits, with stairs read from their vertices: matplotlib walks
    every segment of a patch as a Bezier curve, which made a histogram's relim 15-70 ms of an update (make bench).
    A straight segment's extremes are its ends, so the vertices give the same bounds and smallest positive value."""
    stairs = [p for p in ax.patches if _straight(p)]
    for p in stairs:
        p.set_visible(False)
    ax.relim(visible_only=True)
    for p in stairs:
        p.set_visible(True)
        ax.update_datalim(p.get_path().vertices)  # in data coordinates (_straight)


def kept_per_layer(kept, key, ax, values, log: bool = True, **kwargs):
    """plot_per_layer on a kept figure (artists `key`, (key, "at"), (key, "word")), given new data."""
    values = np.asarray(values, dtype=np.float64)
    layers = np.arange(1, len(values) + 1)
    finite = np.isfinite(values) & ((values > 0) if log else True)
    x, y = layers[finite], values[finite]
    line = kept.get(key, lambda: ax.plot(x, y, **{"marker": "o", "ms": 3, **kwargs})[0], lambda a: a.set_data(x, y))
    if not finite.all():  # under the lines (zorder 1.5): drawn in the same order however the artists were made
        at = int(np.argmin(finite)) + 1
        word = "diverged" if not np.isfinite(values[at - 1]) else "0"
        kept.get((key, "at"), lambda: ax.axvline(at, color=line.get_color(), ls=":", lw=1, zorder=1.5),
                 lambda a: a.set_xdata([at, at]))
        kept.get((key, "word"), lambda: ax.annotate(word, (at, 0.5), xycoords=("data", "axes fraction"),
                                                    color=line.get_color(), rotation=90, va="center"),
                 lambda a: (a.set_text(word), setattr(a, "xy", (at, 0.5))))
    if ax.get_yscale() != ("log" if log else "linear"):
        ax.set_yscale("log" if log else "linear")
    ax.set_xlabel("layer")
    return line


def kept_histograms(kept, key, ax, counts, edges, cmap="viridis"):
    """plot_histograms on a kept figure: one stairs artist per layer, (key, i), given new counts and colours."""
    colors = mpl.colormaps[cmap](np.linspace(0, 0.9, len(counts)))
    for i, c in enumerate(counts):
        kept.get((key, i), lambda: ax.stairs(c, edges, color=colors[i]),
                 lambda a: (a.set_data(c, edges), a.set_edgecolor(colors[i])))
