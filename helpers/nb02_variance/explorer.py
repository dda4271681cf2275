"""Explorers of notebook 02 (variance blow-up): how the weight scale sets each layer's signal.

`variance_explorer()` stacks `depth` hidden layers of `width` units, all with N(0, std^2)
weights and the chosen activation, then a linear read-out; it shows, per hidden layer, the
activation std, the gradients (||dW_l|| and the std of dLoss/dz_l, log scales) and the
activation histograms. The notebook's Claim C05 helpers live in activations.py
(CENTERED_SIGMOID, the logistic function minus 0.5) and stats.py (`mean_offset_stats`).
"""
from __future__ import annotations

import functools

import numpy as np

from ..core.activations import CENTERED_SIGMOID, get_activation
from ..core.stats import finite_mean_std, fmt, frobenius, saturated_fraction
from ..ui import explorer as hw
from ..ui.kept import kept_histograms, kept_per_layer
from ..ui.plotting import layer_histograms, log_axis, log_limits, panel_grid

__all__ = ["variance_explorer"]

BATCH = 64  # examples per update: 6400 values per histogram at width 100, and width 500 x depth 50 stays fast
SEED = 0
ACTIVATION_CHOICES = {"logistic (sigmoid)": "sigmoid", "logistic - 0.5": "logistic - 0.5", "tanh": "tanh",
                      "ReLU": "relu", "linear": "linear"}
BINS = 40
BENCH = {"variance_explorer": {"weight_std": 10.0, "depth": 50, "width": 500, "activation": "sigmoid"}}

@functools.lru_cache(maxsize=2)
def _standard(width: int):
    """{layer: N(0, 1) matrix (width, width)} of a fixed sequence, kept per width (not per layer: a visit to
    another width must not evict the wide net's layers); 51 MB for a net at the widest."""
    return {}


def _standard_weights(width: int, layer: int):
    """Layer `layer`'s N(0, 1) matrix of a fixed sequence (float32: half the memory), so adding layers keeps the
    lower ones."""
    kept = _standard(width)
    if layer not in kept:
        kept[layer] = np.random.default_rng([SEED, width, layer]).standard_normal((width, width), dtype=np.float32)
    return kept[layer]


@functools.lru_cache(maxsize=1)
def _scaled(width: int, std: float):
    return {}


def _scaled_weights(width: int, layer: int, std: float):
    """std * Z_layer, kept so that moving depth or activation rescales nothing."""
    kept = _scaled(width, std)
    if layer not in kept:
        kept[layer] = np.multiply(_standard_weights(width, layer), std, dtype=np.float64)
    return kept[layer]


@functools.lru_cache(maxsize=4)
def _inputs(width: int):
    """X and dout (BATCH, width), standard normal, fixed per width (read-only: forward and backward copy)."""
    rng = np.random.default_rng([SEED, width])
    return rng.standard_normal((BATCH, width)), rng.standard_normal((BATCH, width))


@functools.lru_cache(maxsize=3)
def _hidden(width: int, std: float, activation: str):
    """{layer: (z, a, std of a, saturated fraction, histogram)} of the hidden layers, kept: a hidden layer does
    not depend on the depth, so a depth change computes only the layers not seen yet, and the backward pass."""
    return {}


def _layer(width, std, activation, act, l):
    """Hidden layer l as forward computes it (z = a @ W + b with b = 0, a = f(z)), with its statistics.
    Histograms: fixed edges for bounded activations; for unbounded ones, of a / std(a) on [-4, 4]."""
    kept = _hidden(width, std, activation)
    if l not in kept:
        a = _inputs(width)[0] if l == 0 else kept[l - 1][1]
        with np.errstate(over="ignore", invalid="ignore"):
            z = a @ _scaled_weights(width, l, std)
            z += np.zeros(width)
            a = act.f(z)
        s = finite_mean_std(a)[1]
        if act.bounds is None:
            with np.errstate(all="ignore"):
                values = a / s if np.isfinite(s) and s > 0 else np.full(1, np.nan)
        else:
            values = a
        kept[l] = (z, a, s, saturated_fraction(a, act), layer_histograms([values], _edges(act.bounds))[0])
    return kept[l]


def _edges(bounds):
    return np.linspace(-4, 4, BINS + 1) if bounds is None else np.linspace(*bounds, BINS + 1)


def _backward(width, std, act, hidden):
    """backward_pass's dLoss/dz_l and ||dW_l|| of the hidden layers (from dout at the read-out), without the
    read-out's dW, the db and the dX nobody draws; every dW is written into one buffer (no 2 MB page faults each)."""
    depth, dz = len(hidden), _inputs(width)[1]
    dzs, norms, buf = [None] * depth, np.empty(depth), np.empty((width, width))
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for i in range(depth, 0, -1):
            dz = act.backprop(dz @ _scaled_weights(width, i, std).T, hidden[i - 1][0], hidden[i - 1][1])
            a_prev = hidden[i - 2][1] if i > 1 else _inputs(width)[0]
            dzs[i - 1], norms[i - 1] = dz, frobenius(np.matmul(a_prev.T, dz, out=buf))
    return dzs, norms


def variance_compute(weight_std=1.0, depth=10, width=100, activation="sigmoid"):
    """Per-hidden-layer statistics of a depth x width net with N(0, weight_std^2) weights.

    Returns a dict: a_std (depth,), dz_std (depth,) = std of dLoss/dz_l (back-propagated from a
    standard-normal dout), grad_norm (depth,) = ||dW_l||, saturated (depth,) (NaN if f does not
    saturate), gain = the theory's per-layer factor sqrt(width std^2 c) for ReLU (c = 1/2) and
    linear (c = 1) (None otherwise), counts (depth, BINS) and edges (BINS + 1,) of the histograms.
    Computed in stages kept apart (weights, hidden layers, backward): the numbers of forward and backward_pass.
    """
    act = CENTERED_SIGMOID if activation == CENTERED_SIGMOID.name else get_activation(activation)
    std = float(weight_std)
    hidden = [_layer(width, std, activation, act, l) for l in range(depth)]
    dzs, grad_norm = _backward(width, std, act, hidden)  # the read-out's output is not drawn: not computed
    a_std = np.array([h[2] for h in hidden])
    dz_std = np.array([finite_mean_std(dz)[1] for dz in dzs])
    saturated = np.array([h[3] for h in hidden])  # NaN if f does not saturate
    edges, counts = _edges(act.bounds), np.array([h[4] for h in hidden])
    xlabel = "a" if act.bounds is not None else "a / std(a) of its layer"
    # ReLU keeps half of E[z^2], linear all of it: each layer scales the std by sqrt(width std^2 c), both ways
    c = {"relu": 0.5, "linear": 1.0}.get(act.name)
    gain = None if c is None else float(np.sqrt(width * weight_std ** 2 * c))
    return dict(activation=act, weight_std=weight_std, width=width, a_std=a_std, dz_std=dz_std,
                grad_norm=grad_norm, saturated=saturated, gain=gain, counts=counts, edges=edges,
                hist_xlabel=xlabel)


def _panels(fig, compact: bool):
    """Three axes (std, gradients, histograms): in a row, or for side-by-side views two above one."""
    margins = dict(left=5.0, right=1.0, bottom=3.4, top=2.2, wgap=6.5)
    if not compact:
        grid = panel_grid(fig, 1, 3, **margins)
        return [fig.add_subplot(grid[i]) for i in range(3)]
    grid = panel_grid(fig, 2, 2, hgap=5.6, **margins)
    return [fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1]), fig.add_subplot(grid[1, :])]


def _theory(kept, key, ax, values, gain, anchor, color):
    """Dashed line gain^(l - anchor) * values[anchor]: the theory's straight line on a log scale (under the
    measured lines, so the kept figure draws it in the same order as a fresh one)."""
    if gain is None or not (np.isfinite(values[anchor]) and values[anchor] > 0):
        return
    layers = np.arange(1, len(values) + 1)
    with np.errstate(all="ignore"):
        line = values[anchor] * np.float64(gain) ** (layers - 1 - anchor)
        line[~((line > 1e-300) & (line < 1e300))] = np.nan  # beyond float range: not drawn
    kept.get(key, lambda: ax.plot(layers, line, "--", color=color, lw=1.2, alpha=0.8, zorder=1.8)[0],
             lambda a: a.set_data(layers, line))


def _label_end(kept, key, ax, values, text, color):
    """Name a line at its last finite point (cheaper than a legend, and read where the eye is)."""
    ok = np.flatnonzero(np.isfinite(values) & (values > 0))
    if ok.size:
        xy = (ok[-1] + 1, values[ok[-1]])
        kept.get(key, lambda: ax.annotate(text, xy, xytext=(-4, 5), textcoords="offset points", ha="right",
                                          va="bottom", color=color, fontsize="small"),
                 lambda a: setattr(a, "xy", xy))


def _draw(kept, r, compact=False):
    """Draw the three panels; returns the readout. Values near the float limit make matplotlib's own
    autoscaling overflow, so it runs under np.errstate like the compute."""
    with np.errstate(all="ignore"):
        return _draw_panels(kept, r, compact)


def _draw_panels(kept, r, compact):
    ax_std, ax_grad, ax_hist = kept.layout(compact, lambda fig: _panels(fig, compact))
    depth, gain = len(r["a_std"]), r["gain"]
    kept_per_layer(kept, "std", ax_std, r["a_std"], color="C0")
    _theory(kept, "std theory", ax_std, r["a_std"], gain, 0, "C0")
    kept.get("one", lambda: ax_std.axhline(1.0, color="0.6", lw=0.8, ls=":"))
    ax_std.set_title("forward: activation std" + (" (dashed: theory)" if gain is not None else ""), y=1.0)
    ax_std.set_ylabel("std of a_l")
    kept_per_layer(kept, "dW", ax_grad, r["grad_norm"], color="C3")
    kept_per_layer(kept, "dz", ax_grad, r["dz_std"], color="C1", marker="s", ls="-.")
    _theory(kept, "dz theory", ax_grad, r["dz_std"], None if gain is None else 1 / gain, depth - 1, "C1")
    _label_end(kept, "dW label", ax_grad, r["grad_norm"], "||dW_l||", "C3")
    _label_end(kept, "dz label", ax_grad, r["dz_std"], "std of dL/dz_l", "C1")
    ax_grad.set_title("backward: gradients", y=1.0)
    ax_grad.set_ylabel("gradient size")
    for ax in (ax_std, ax_grad):
        ax.set_xlim(0.5, depth + 0.5)
        ax.grid(True, which="major", alpha=0.3)
    log_axis(ax_std, log_limits(r["a_std"], whole=True), numticks=8)
    log_axis(ax_grad, log_limits(r["grad_norm"], r["dz_std"], whole=True), numticks=8)
    kept_histograms(kept, "hist", ax_hist, r["counts"], r["edges"])
    ax_hist.set_title("activation histograms", y=1.0)
    bounded = r["activation"].bounds is not None  # bounded: peaks at both ends; otherwise one spike in the middle
    kept.get(("key", bounded), lambda: ax_hist.text(
        0.5 if bounded else 0.03, 0.97, "dark: layer 1, light: top", transform=ax_hist.transAxes,
        ha="center" if bounded else "left", va="top", fontsize="small", color="0.35"))
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
                       figsize=(7.5, 6.6) if compact else (12, 4.2), keep=True)
