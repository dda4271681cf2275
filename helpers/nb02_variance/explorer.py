"""Explorers of notebook 02 (variance blow-up): how the weight scale sets each layer's signal.

`variance_explorer()` stacks `depth` hidden layers of `width` units, all with N(0, std^2)
weights and the chosen activation, then a linear read-out; it shows, per hidden layer, the
activation std, the gradients (||dW_l|| and the std of dLoss/dz_l, log scales) and the
activation histograms. The notebook's Claim C05 helpers live in activations.py
(CENTERED_SIGMOID, the logistic function minus 0.5) and stats.py (`mean_offset_stats`).
"""
from __future__ import annotations

import functools

import matplotlib as mpl
import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from ..ui import explorer as hw
from ..core.activations import CENTERED_SIGMOID, get_activation
from ..core.network import backward_pass, forward
from ..ui.plotting import layer_histograms, plot_histograms, plot_per_layer
from ..core.stats import fmt, saturated_fraction

__all__ = ["variance_explorer"]

BATCH = 64  # examples per update: 6400 values per histogram at width 100, and width 500 x depth 50 stays fast
SEED = 0
ACTIVATION_CHOICES = {"logistic (sigmoid)": "sigmoid", "logistic - 0.5": "logistic - 0.5", "tanh": "tanh",
                      "ReLU": "relu", "linear": "linear"}
BINS = 40
BENCH = {"variance_explorer": {"weight_std": 10.0, "depth": 50, "width": 500, "activation": "sigmoid"}}

_weights: dict = {}  # width -> list of N(0, 1) matrices (float32 to halve the memory), reused and extended
_scaled: dict = {"key": None, "mats": []}  # the last std * Z, so moving depth or activation rescales nothing


def _standard_weights(width: int, n_layers: int):
    """The first n_layers N(0, 1) matrices (width, width) of a fixed sequence: layer l's weights
    depend only on (width, l), so adding layers keeps the lower ones."""
    for w in [w for w in _weights if w != width]:  # one width in memory: 50 MB at 500 x 50
        del _weights[w]
    mats = _weights.setdefault(width, [])
    while len(mats) < n_layers:
        rng = np.random.default_rng([SEED, width, len(mats)])
        mats.append(rng.standard_normal((width, width), dtype=np.float32))
    return mats[:n_layers]


def _scaled_weights(width: int, n_layers: int, std: float):
    """std * Z_l for l < n_layers, reusing the matrices of the previous call when width and std agree."""
    if _scaled["key"] != (width, std):
        _scaled["key"], _scaled["mats"] = (width, std), []
    mats = _scaled["mats"]
    if len(mats) < n_layers:
        mats.extend(np.multiply(Z, std, dtype=np.float64) for Z in _standard_weights(width, n_layers)[len(mats):])
    return mats[:n_layers]


@functools.lru_cache(maxsize=4)
def _inputs(width: int):
    """X and dout (BATCH, width), standard normal, fixed per width (read-only: forward and backward copy)."""
    rng = np.random.default_rng([SEED, width])
    return rng.standard_normal((BATCH, width)), rng.standard_normal((BATCH, width))


def _histogram_edges(activation, acts):
    """Fixed edges for bounded activations; for unbounded ones, a / std(a) on [-4, 4]."""
    if activation.bounds is not None:
        lo, hi = activation.bounds
        return np.linspace(lo, hi, BINS + 1), acts, "a"
    scaled = []
    with np.errstate(all="ignore"):
        for a in acts:
            s = a.std() if np.all(np.isfinite(a)) else np.nan
            scaled.append(a / s if np.isfinite(s) and s > 0 else np.full(1, np.nan))
    return np.linspace(-4, 4, BINS + 1), scaled, "a / std(a) of its layer"


def _norm(x) -> float:
    """Frobenius norm without overflow in the squares (inf only if x itself is not finite)."""
    if not np.all(np.isfinite(x)):
        return np.inf
    m = np.max(np.abs(x))
    return float(m * np.sqrt(np.sum((x / m) ** 2))) if m > 0 else 0.0


def variance_compute(weight_std=1.0, depth=10, width=100, activation="sigmoid"):
    """Per-hidden-layer statistics of a depth x width net with N(0, weight_std^2) weights.

    Returns a dict: a_std (depth,), dz_std (depth,) = std of dLoss/dz_l (back-propagated from a
    standard-normal dout), grad_norm (depth,) = ||dW_l||, saturated (depth,) (NaN if f does not
    saturate), gain = the theory's per-layer factor sqrt(width std^2 c) for ReLU (c = 1/2) and
    linear (c = 1) (None otherwise), counts (depth, BINS) and edges (BINS + 1,) of the histograms.
    """
    act = CENTERED_SIGMOID if activation == CENTERED_SIGMOID.name else get_activation(activation)
    X, dout = _inputs(width)
    zeros = np.zeros(width)
    params = [(W, zeros) for W in _scaled_weights(width, depth + 1, float(weight_std))]
    _, cache = forward(params, X, act)
    back = backward_pass(params, cache, dout)
    hidden = cache.acts[:-1]
    a_std = np.empty(depth)
    dz_std = np.empty(depth)
    grad_norm = np.empty(depth)
    saturated = np.full(depth, np.nan)
    with np.errstate(all="ignore"):
        for l, a in enumerate(hidden):
            a_std[l] = a.std() if np.all(np.isfinite(a)) else np.inf
            dz = back.dzs[l]
            dz_std[l] = dz.std() if np.all(np.isfinite(dz)) else np.inf
            grad_norm[l] = _norm(back.grads[l][0])
            if act.bounds is not None:
                saturated[l] = saturated_fraction(a, act)
    edges, values, xlabel = _histogram_edges(act, hidden)
    counts = layer_histograms(values, edges)
    # ReLU keeps half of E[z^2], linear all of it: each layer scales the std by sqrt(width std^2 c), both ways
    c = {"relu": 0.5, "linear": 1.0}.get(act.name)
    gain = None if c is None else float(np.sqrt(width * weight_std ** 2 * c))
    return dict(activation=act, weight_std=weight_std, width=width, a_std=a_std, dz_std=dz_std,
                grad_norm=grad_norm, saturated=saturated, gain=gain, counts=counts, edges=edges,
                hist_xlabel=xlabel)


_SUPERSCRIPT = str.maketrans("-0123456789", "\u207b\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")
_POW10 = FuncFormatter(lambda y, _: "10" + str(int(round(np.log10(y)))).translate(_SUPERSCRIPT) if y > 0 else "")


def _log_limits(ax, values):
    """At least two decades around the finite values, so small changes do not look like big ones."""
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v) & (v > 0)]
    if not v.size:
        ax.set_ylim(0.1, 10)
    else:
        lo, hi = np.log10(v.min()), np.log10(v.max())
        mid = (lo + hi) / 2
        lo, hi = min(lo, mid - 1), max(hi, mid + 1)
        ax.set_ylim(10 ** np.floor(lo - 0.2), 10 ** np.ceil(hi + 0.2))  # a margin so lines never touch the frame
    # Decades only, labelled in plain text: minor ticks and mathtext labels cost most of a redraw.
    ax.yaxis.set_major_locator(LogLocator(base=10, numticks=8))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(_POW10)


def _panels(fig, compact: bool):
    """Three axes (std, gradients, histograms) with margins sized by the font: in a row, or for
    side-by-side views two above one. Cheaper than the constrained layout, which re-measures every
    label on every redraw, and steady while sliding."""
    fig.set_layout_engine("none")
    w, h = fig.get_size_inches()
    em = mpl.rcParams["font.size"] / 72  # inches
    left, right, gap, bottom, top = 5.0 * em / w, 1.0 * em / w, 6.5 * em / w, 3.4 * em / h, 2.2 * em / h
    if not compact:
        width = (1 - left - right - 2 * gap) / 3
        return [fig.add_axes((left + i * (width + gap), bottom, width, 1 - bottom - top)) for i in range(3)]
    vgap = 5.6 * em / h
    height = (1 - bottom - top - vgap) / 2
    width = (1 - left - right - gap) / 2
    upper = bottom + height + vgap
    return [fig.add_axes((left, upper, width, height)), fig.add_axes((left + width + gap, upper, width, height)),
            fig.add_axes((left, bottom, 1 - left - right, height))]


def _theory(ax, values, gain, anchor, color):
    """Dashed line gain^(l - anchor) * values[anchor]: the theory's straight line on a log scale."""
    if gain is None or not (np.isfinite(values[anchor]) and values[anchor] > 0):
        return
    layers = np.arange(1, len(values) + 1)
    with np.errstate(all="ignore"):
        line = values[anchor] * np.float64(gain) ** (layers - 1 - anchor)
        line[~((line > 1e-300) & (line < 1e300))] = np.nan  # beyond float range: not drawn
    ax.plot(layers, line, "--", color=color, lw=1.2, alpha=0.8)


def _label_end(ax, values, text, color):
    """Name a line at its last finite point (cheaper than a legend, and read where the eye is)."""
    ok = np.flatnonzero(np.isfinite(values) & (values > 0))
    if ok.size:
        ax.annotate(text, (ok[-1] + 1, values[ok[-1]]), xytext=(-4, 5), textcoords="offset points",
                    ha="right", va="bottom", color=color, fontsize="small")


def _draw(fig, r, compact=False):
    """Draw the three panels; returns the readout. Values near the float limit make matplotlib's own
    autoscaling overflow, so it runs under np.errstate like the compute."""
    with np.errstate(all="ignore"):
        return _draw_panels(fig, r, compact)


def _draw_panels(fig, r, compact):
    ax_std, ax_grad, ax_hist = _panels(fig, compact)
    depth, gain = len(r["a_std"]), r["gain"]
    plot_per_layer(ax_std, r["a_std"], color="C0")
    _theory(ax_std, r["a_std"], gain, 0, "C0")
    ax_std.axhline(1.0, color="0.6", lw=0.8, ls=":")
    ax_std.set_title("forward: activation std" + (" (dashed: theory)" if gain is not None else ""), y=1.0)
    ax_std.set_ylabel("std of a_l")
    plot_per_layer(ax_grad, r["grad_norm"], color="C3")
    plot_per_layer(ax_grad, r["dz_std"], color="C1")
    _theory(ax_grad, r["dz_std"], None if gain is None else 1 / gain, depth - 1, "C1")
    _label_end(ax_grad, r["grad_norm"], "||dW_l||", "C3")
    _label_end(ax_grad, r["dz_std"], "std of dL/dz_l", "C1")
    ax_grad.set_title("backward: gradients", y=1.0)
    ax_grad.set_ylabel("gradient size")
    for ax in (ax_std, ax_grad):
        ax.set_xlim(0.5, depth + 0.5)
        ax.grid(True, which="major", alpha=0.3)
    _log_limits(ax_std, r["a_std"])
    _log_limits(ax_grad, np.r_[r["grad_norm"], r["dz_std"]])
    plot_histograms(ax_hist, r["counts"], r["edges"])
    ax_hist.set_title("activation histograms", y=1.0)
    bounded = r["activation"].bounds is not None  # bounded: peaks at both ends; otherwise one spike in the middle
    ax_hist.text(0.5 if bounded else 0.03, 0.97, "dark: layer 1, light: top", transform=ax_hist.transAxes,
                 ha="center" if bounded else "left", va="top", fontsize="small", color="0.35")
    ax_hist.set_xlabel(r["hist_xlabel"])
    ax_hist.set_ylabel("fraction of values")
    finite = np.isfinite(r["a_std"])
    grads = r["grad_norm"][np.isfinite(r["grad_norm"]) & (r["grad_norm"] > 0)]
    parts = [f"<b>{r['activation'].name}</b>, weight std {fmt(r['weight_std'])}, "
             f"{depth} layers x {r['width']} units."]
    if not finite.all():
        parts.append(f"The forward pass overflowed at layer {int(np.argmin(finite)) + 1}: <b>diverged</b>.")
    else:
        parts.append(f"Activation std: layer 1 {fmt(r['a_std'][0])}, top layer {fmt(r['a_std'][-1])}.")
    if gain is not None:
        parts.append(f"Theory: each layer multiplies the std by sqrt(width &middot; std&sup2; &middot; "
                     f"{'1/2' if r['activation'].name == 'relu' else '1'}) = {fmt(gain)}, both ways.")
    if grads.size == depth and depth > 1:
        parts.append(f"||dW_l|| spans a factor {fmt(grads.max() / grads.min())} across layers.")
    if np.isfinite(r["saturated"][-1]):
        parts.append(f"Top layer: {100 * r['saturated'][-1]:.0f}% of activations saturated.")
    return "<br>".join(parts)


def variance_explorer(large: bool = False, compact: bool = False):
    """Sliders for weight std (log, 0.01 to 10), depth, width and activation; presets N(0, 1) and 1/fan_in.

    compact=True draws the three panels two above one, in a narrower figure (for side_by_side).
    """
    controls = {
        "weight_std": hw.log_slider("weight std σ", 1.0, 0.01, 10.0),
        "depth": hw.slider("depth (layers)", 10, 1, 50),
        "width": hw.slider("width (units/layer)", 100, 10, 500, step=10),
        # (label, value) pairs rather than a dict: tests/widget_checks.py reads tuples
        "activation": hw.dropdown("activation", list(ACTIVATION_CHOICES.items()), value="sigmoid"),
    }
    presets = {"N(0, 1)": {"weight_std": 1.0},
               "1/fan_in": {"width": 100, "weight_std": 0.1}}  # Var(W) = 1 / 100 for 100 inputs
    return hw.Explorer(controls, variance_compute, lambda fig, r: _draw(fig, r, compact), presets=presets,
                       large=large, title="Variance blow-up: weight scale, depth, width and activation",
                       figsize=(7.5, 6.6) if compact else (12, 4.2))
