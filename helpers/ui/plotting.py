"""Plot functions: each draws on an axis it is given and returns it.

Nothing here calls plt.show() or changes matplotlib's global settings. The series' colours are
set in one place: PALETTE (Okabe & Ito's, told apart with every common colour-vision deficiency)
is the colour cycle C0..C7 inside `style(large)`, the context every explorer draws in, and inside
`styled`, which wraps every figure function. Lines compared on one axis also differ by line style,
marker or a label on the line, never by colour alone.
"""
from __future__ import annotations

import contextlib
import functools
import inspect

import matplotlib as mpl
import numpy as np
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import FigureBase
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from ..core.activations import get_activation
from ..core.checks import check_array
from ..core.stats import fmt
from .alt import install as install_alt_text

# Okabe & Ito (2008), in the order C0..C7: blue, orange, bluish green, vermillion, reddish purple, sky blue,
# black, yellow (last: too light for thin lines on white)
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, BLACK, YELLOW = PALETTE
LINESTYLES = ("-", "--", "-.", ":")  # the k-th of several compared lines: LINESTYLES[k % 4]
COLORS = {"axes.prop_cycle": cycler(color=PALETTE), "image.cmap": "viridis"}
NORMAL = {**COLORS, "font.size": 10, "lines.linewidth": 1.8, "axes.titlesize": 11}
LARGE = {**COLORS, "font.size": 16, "lines.linewidth": 3.0, "axes.titlesize": 18, "axes.labelsize": 16,
         "xtick.labelsize": 14, "ytick.labelsize": 14, "legend.fontsize": 14, "lines.markersize": 9}


@contextlib.contextmanager
def style(large: bool = False):
    """Draw with the series' normal or large (presentation) style, restored afterwards. In IPython, the
    figures then shown carry a text alternative (helpers/ui/alt.py)."""
    install_alt_text()
    with mpl.rc_context(LARGE if large else NORMAL):
        yield


def _check_target(where, name, value, default):
    """TypeError naming `name` unless an ax / ax_* argument is an Axes, axes a sequence of them, fig / *_fig
    a Figure (None where that is the default)."""
    if value is None and default is None:
        return
    if name == "ax" or name.startswith("ax_"):
        ok, kind = isinstance(value, Axes), "a matplotlib Axes"
    elif name == "axes":
        ok = np.iterable(value) and all(isinstance(a, Axes) for a in np.ravel(np.asarray(value, dtype=object)))
        kind = "a sequence of matplotlib Axes"
    elif name == "fig" or name.endswith("_fig"):
        ok, kind = isinstance(value, FigureBase), "a matplotlib Figure"
    else:
        return
    if not ok:
        raise TypeError(f"{where}: {name} must be {kind}, got {type(value).__name__} {value!r:.40}")


def checked(plot):
    """Decorator for plot functions: a TypeError naming the parameter when an axis or figure argument is not one."""
    signature = inspect.signature(plot)

    @functools.wraps(plot)
    def wrapper(*args, **kwargs):
        install_alt_text()  # in IPython: the figure drawn on is shown with its text alternative (alt.py)
        for name, value in signature.bind_partial(*args, **kwargs).arguments.items():
            _check_target(plot.__name__, name, value, signature.parameters[name].default)
        return plot(*args, **kwargs)
    return wrapper


def styled(plot):
    """Decorator for figure functions: checked arguments, drawn in the series' palette. An axis given as the
    first argument gets its colour cycle too (it was made outside, with matplotlib's default one)."""
    plot = checked(plot)

    @functools.wraps(plot)
    def wrapper(*args, **kwargs):  # no named first parameter: plot_race has a keyword `target`
        with mpl.rc_context(COLORS):
            if args and isinstance(args[0], Axes):
                args[0].set_prop_cycle(COLORS["axes.prop_cycle"])
            return plot(*args, **kwargs)
    return wrapper


def factor(x, digits: int = 3) -> str:
    """A ratio as 'x0.125' (fmt's rounding), or 'diverged' if it is not finite."""
    return fmt(x, digits) if x is None or not np.isfinite(x) else "x" + fmt(x, digits)


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
# '10⁻⁶' for a tick at 1e-6: plain text, because parsing mathtext labels costs most of a redraw
POW10 = FuncFormatter(lambda y, _=None: "10" + str(int(round(np.log10(y)))).translate(_SUPERSCRIPT) if y > 0 else "")


def log_limits(*arrays, decades: float = 2.0, margin: float = 0.2, whole: bool = False, empty=(0.1, 10.0)):
    """(low, high) for a log axis that holds every finite positive value of `arrays`.

    The span is widened about its middle to at least `decades` (so that a flat profile looks flat),
    then by `margin` decades on each side (lines never touch the frame); `whole` rounds out to decades.
    """
    v = np.concatenate([np.ravel(np.asarray(a, dtype=np.float64)) for a in arrays]) if arrays else np.empty(0)
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        return empty
    lo, hi = np.log10(v.min()), np.log10(v.max())
    pad = max(0.0, decades - (hi - lo)) / 2 + margin
    lo, hi = lo - pad, hi + pad
    if whole:
        lo, hi = np.floor(lo), np.ceil(hi)
        hi = max(hi, lo + 1)
    return 10.0 ** lo, 10.0 ** hi


def log_axis(ax, limits=None, numticks: int = 7, axis: str = "y"):
    """A log axis labelled at whole decades only, in plain text (POW10), with no minor ticks:
    minor ticks and mathtext labels cost most of a redraw. `limits` from log_limits, if given."""
    getattr(ax, f"set_{axis}scale")("log")
    if limits is not None:
        getattr(ax, f"set_{axis}lim")(*limits)
    which = ax.yaxis if axis == "y" else ax.xaxis
    which.set_major_locator(LogLocator(base=10, numticks=numticks))
    which.set_minor_locator(NullLocator())
    which.set_major_formatter(POW10)
    return ax


def panel_grid(fig, nrows: int = 1, ncols: int = 1, *, left=5.0, right=1.0, bottom=3.5, top=2.2, wgap=6.0,
               hgap=6.0, **kw):
    """A GridSpec with margins and gaps measured in ems (the font size), so the large display keeps
    room for its bigger labels. A fixed layout: the constrained one re-measures every label on every
    redraw and would cost more than the rest of an update. kw: width_ratios, height_ratios."""
    fig.set_layout_engine("none")
    w, h = fig.get_size_inches()
    em = mpl.rcParams["font.size"] / 72  # inches
    l, r, b, t = left * em / w, 1 - right * em / w, bottom * em / h, 1 - top * em / h
    wspace = wgap * em / w / (((r - l) - (ncols - 1) * wgap * em / w) / ncols)  # a share of the mean panel
    hspace = hgap * em / h / (((t - b) - (nrows - 1) * hgap * em / h) / nrows)
    return fig.add_gridspec(nrows, ncols, left=l, right=r, bottom=b, top=t, wspace=wspace, hspace=hspace, **kw)


@styled
def plot_activation(ax, activation, z=None, derivative: bool = True, color=None):
    """The activation (a name such as "tanh", or an Activation) f(z) (solid) and, optionally, f'(z) (dashed)."""
    activation = get_activation(activation)
    z = np.linspace(-6, 6, 601) if z is None else np.asarray(z)
    line, = ax.plot(z, activation.f(z), color=color, label=f"{activation.label}")
    if derivative:
        ax.plot(z, activation.df(z), "--", color=line.get_color(), label=f"{activation.name}'")
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0, color="0.8", lw=0.8, zorder=0)
    ax.set_xlabel("z")
    return ax


@styled
def plot_per_layer(ax, values, label=None, log: bool = True, **kwargs):
    """One value per layer (x = 1..L), on a log y-axis by default; non-finite layers marked 'diverged'."""
    values = check_array("values", values, ndim=1, allow_nonfinite=True, allow_empty=True)
    layers = np.arange(1, len(values) + 1)
    finite = np.isfinite(values) & ((values > 0) if log else True)
    line, = ax.plot(layers[finite], values[finite], label=label, **{"marker": "o", "ms": 3, **kwargs})
    if not finite.all():
        first = int(np.argmin(finite))
        ax.axvline(first + 1, color=line.get_color(), ls=":", lw=1)
        ax.annotate("diverged" if not np.isfinite(values[first]) else "0", (first + 1, 0.5),
                    xycoords=("data", "axes fraction"), color=line.get_color(), rotation=90, va="center")
    if not finite.any():  # nothing to scale the y-axis by (a log axis would fail): a neutral span
        ax.update_datalim([(1, 0.1 if log else -1.0), (1, 10.0 if log else 1.0)], updatex=False)
    ax.set(yscale="log" if log else "linear", xlabel="layer")
    return ax


def layer_histograms(arrays, edges):
    """Histogram counts (layers, bins) of each array over the same bin edges, as fractions."""
    out = np.empty((len(arrays), len(edges) - 1))
    with np.errstate(all="ignore"):
        for i, a in enumerate(arrays):
            counts, _ = np.histogram(np.asarray(a)[np.isfinite(a)], bins=edges)
            out[i] = counts / max(np.size(a), 1)
    return out


@styled
def plot_histograms(ax, counts, edges, labels=None, cmap="viridis"):
    """Per-layer histograms (from layer_histograms) drawn as outlines with `stairs`, coloured by layer."""
    counts = check_array("counts", counts, ndim=2, allow_nonfinite=True)
    edges = check_array("edges", edges, ndim=1)
    if len(edges) != counts.shape[1] + 1:
        raise ValueError(f"edges must have one more value than counts has bins ({counts.shape[1] + 1}), "
                         f"got {len(edges)}")
    colors = mpl.colormaps[cmap](np.linspace(0, 0.9, len(counts)))
    for i, c in enumerate(counts):
        ax.stairs(c, edges, color=colors[i], label=None if labels is None else labels[i])
    return ax


@styled
def plot_curves(ax, curves: dict, log: bool = False, xlabel="step"):
    """Several per-step curves {label: values}; diverged runs end where their values stop being finite."""
    if not isinstance(curves, dict):
        raise TypeError(f"curves must be a dict {{label: per-step values}}, got {type(curves).__name__}")
    for k, (label, values) in enumerate(curves.items()):
        values = check_array(f"curves[{label!r}]", values, ndim=1, allow_nonfinite=True, allow_empty=True)
        line, = ax.plot(np.arange(len(values)), values, ls=LINESTYLES[k % 4], label=label)
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
