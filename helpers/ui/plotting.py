"""Plot functions: each draws on an axis it is given and returns it.

Nothing here calls plt.show() or changes matplotlib's global settings; `style(large)`
is a context manager that applies bigger fonts and lines to the figures drawn inside it.
"""
from __future__ import annotations

import contextlib

import matplotlib as mpl
import numpy as np

NORMAL = {"font.size": 10, "lines.linewidth": 1.8, "axes.titlesize": 11}
LARGE = {"font.size": 16, "lines.linewidth": 3.0, "axes.titlesize": 18, "axes.labelsize": 16,
         "xtick.labelsize": 14, "ytick.labelsize": 14, "legend.fontsize": 14, "lines.markersize": 9}


@contextlib.contextmanager
def style(large: bool = False):
    """Draw with the series' normal or large (presentation) style, restored afterwards."""
    with mpl.rc_context(LARGE if large else NORMAL):
        yield


def plot_activation(ax, activation, z=None, derivative: bool = True, color=None):
    """The activation f(z) (solid) and, optionally, f'(z) (dashed) over z."""
    z = np.linspace(-6, 6, 601) if z is None else np.asarray(z)
    line, = ax.plot(z, activation.f(z), color=color, label=f"{activation.label}")
    if derivative:
        ax.plot(z, activation.df(z), "--", color=line.get_color(), label=f"{activation.name}'")
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0, color="0.8", lw=0.8, zorder=0)
    ax.set_xlabel("z")
    return ax


def plot_per_layer(ax, values, label=None, log: bool = True, **kwargs):
    """One value per layer (x = 1..L), on a log y-axis by default; non-finite layers marked 'diverged'."""
    values = np.asarray(values, dtype=np.float64)
    layers = np.arange(1, len(values) + 1)
    finite = np.isfinite(values) & ((values > 0) if log else True)
    line, = ax.plot(layers[finite], values[finite], marker="o", ms=3, label=label, **kwargs)
    if not finite.all():
        first = int(np.argmin(finite))
        ax.axvline(first + 1, color=line.get_color(), ls=":", lw=1)
        ax.annotate("diverged" if not np.isfinite(values[first]) else "0", (first + 1, 0.5),
                    xycoords=("data", "axes fraction"), color=line.get_color(), rotation=90, va="center")
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("layer")
    return ax


def layer_histograms(arrays, edges):
    """Histogram counts (layers, bins) of each array over the same bin edges, as fractions."""
    out = np.empty((len(arrays), len(edges) - 1))
    with np.errstate(all="ignore"):
        for i, a in enumerate(arrays):
            counts, _ = np.histogram(np.asarray(a)[np.isfinite(a)], bins=edges)
            out[i] = counts / max(np.size(a), 1)
    return out


def plot_histograms(ax, counts, edges, labels=None, cmap="viridis"):
    """Per-layer histograms (from layer_histograms) drawn as outlines with `stairs`, coloured by layer."""
    colors = mpl.colormaps[cmap](np.linspace(0, 0.9, len(counts)))
    for i, c in enumerate(counts):
        ax.stairs(c, edges, color=colors[i], label=None if labels is None else labels[i])
    return ax


def plot_curves(ax, curves: dict, log: bool = False, xlabel="step"):
    """Several per-step curves {label: values}; diverged runs end where their values stop being finite."""
    for label, values in curves.items():
        values = np.asarray(values, dtype=np.float64)
        line, = ax.plot(np.arange(len(values)), values, label=label)
        finite = np.flatnonzero(np.isfinite(values))
        if finite.size < len(values):  # the run diverged after its last finite value
            last = finite[-1] if finite.size else 0
            y = values[last] if finite.size else 0.0
            ax.plot(last, y, "x", color=line.get_color(), ms=10)
            ax.annotate(" diverged", (last, y), color=line.get_color())
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    return ax
