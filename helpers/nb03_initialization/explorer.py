"""Explorer of notebook 03: which initialization keeps which activation's signal and gradient in range.

initialization_explorer(): activation, scheme, depth, width and a gain on the weights' std; shows the
per-layer std of the activations a_l and of the back-propagated gradients dLoss/dz_l at initialization,
and histograms of a few layers' activations. The notebook's two static figures (plot_std_grid, plot_race)
are in helpers/plot_init.py.
"""
from __future__ import annotations

import functools

import numpy as np
from matplotlib.ticker import MaxNLocator

from ..core.activations import ACTIVATIONS
from ..core.initializers import SCHEMES, scheme_variance, uniform_limit
from ..core.network import backward_pass, forward
from ..core.stats import fmt
from ..ui import explorer as hw
from ..ui.kept import kept_per_layer
from ..ui.plotting import LINESTYLES, factor, layer_histograms, log_axis, log_limits, panel_grid
from .experiments import grid_verdict, pass_std_profile

__all__ = ["initialization_explorer"]

# (label, scheme) pairs rather than a dict: tests/widget_checks.other_value reads pairs
SCHEME_OPTIONS = [("N(0, 1)", "standard_normal"), ("Glorot (1 / fan_avg)", "glorot_normal"),
                  ("He (2 / fan_in)", "he_normal"), ("LeCun (1 / fan_in)", "lecun_normal"),
                  ("Glorot uniform", "glorot_uniform"), ("He uniform", "he_uniform")]
ACTIVATION_OPTIONS = [a for a in ACTIVATIONS if a != "linear"] + ["linear"]
SEED = 0
VALUES_PER_LAYER = 16384  # batch x width: the batch shrinks as the layers widen, so a wide net stays fast
# the biggest settings the sliders allow (for `make bench`)
BENCH = {"initialization_explorer": {"activation": "selu", "scheme": "standard_normal", "depth": 50,
                                     "width": 512, "gain": 10.0}}
_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}  # histogram range of the saturating ones


def _batch(width):
    return int(min(256, max(32, VALUES_PER_LAYER // width)))


class _Stream:
    """The seeded draws every scheme of SCHEME_OPTIONS makes, layer after layer, in one kind: N(0, 1) (the normal
    schemes draw s * z from it) or U[0, 1) (the uniform ones draw -r + 2r * u). Drawn as far as a net needs, so a
    deeper net keeps the lower layers (init_mlp draws them first, from the same stream)."""

    def __init__(self, uniform: bool, width: int):
        self.rng, self.uniform, self.width, self.layers = np.random.default_rng(SEED), uniform, width, []

    def first(self, n):
        shape = (self.width, self.width)
        while len(self.layers) < n:
            self.layers.append(self.rng.random(shape) if self.uniform else self.rng.standard_normal(shape))
        return self.layers[:n]


@functools.lru_cache(maxsize=2)
def _stream(uniform: bool, width: int):
    return _Stream(uniform, width)


@functools.lru_cache(maxsize=1)
def _scaled(scheme, width, gain):
    """{layer: gain * W_layer} of the scheme's net, kept: moving the activation or the depth multiplies nothing.
    W = s * z (normal) or -r + 2r * u (uniform) is what init_mlp(..., scheme, rng) draws, to the last bit."""
    return {}


def _weights(scheme, depth, width, gain):
    """gain * (the weights init_mlp([width] * (depth + 1), scheme, default_rng(SEED)) draws), to the last bit
    (gain * W is what init_mlp(..., gain=gain) draws too)."""
    _, _, distribution = SCHEMES[scheme]
    variance = scheme_variance(width, width, scheme)
    kept = _scaled(scheme, width, gain)
    for l, x in enumerate(_stream(distribution == "uniform", width).first(depth)):
        if l not in kept:  # in place: one new array per layer (a 2 MB array is page faults before it is maths)
            if SCHEMES[scheme][0] is None:  # N(0, 1): normal(0, 1) draws z itself
                W = x if gain == 1.0 else np.multiply(x, gain)
            else:
                if distribution == "uniform":  # numpy's uniform(low, high): low + (high - low) * u
                    r = uniform_limit(variance)
                    W = np.multiply(x, r - -r)
                    W += -r
                else:  # numpy's normal(0, s): 0 + s * z
                    W = np.multiply(x, np.sqrt(variance))
                if gain != 1.0:  # (1.0 * W is W, to the last bit)
                    W *= gain
            kept[l] = W
    return [kept[l] for l in range(depth)]


def _compute(activation, scheme, depth, width, gain):
    zeros = np.zeros(width)
    params = [(W, zeros) for W in _weights(scheme, depth, width, gain)]
    data = np.random.default_rng(SEED + 1)
    batch = _batch(width)
    X = data.standard_normal((batch, width))
    dout = data.standard_normal((batch, width))
    out, cache = forward(params, X, activation)
    back = backward_pass(params, cache, dout, weights=False)  # dz only: no dW or dX to draw
    a_std, grad_std, sat = pass_std_profile(cache, back, saturation=True)
    # histograms of up to 4 hidden layers, on the activation's range (+-3 for the unbounded ones)
    lo, hi = _RANGES.get(activation, (-3.0, 3.0))
    edges = np.linspace(lo, hi, 61)
    hidden = max(depth - 1, 1)
    picks = sorted({int(round(x)) for x in np.linspace(1, hidden, min(4, hidden))})
    arrays = [cache.acts[l - 1] for l in picks]
    with np.errstate(all="ignore"):
        outside = [float(np.mean(~((a >= lo) & (a <= hi)))) for a in arrays]
    return dict(activation=activation, scheme=scheme, depth=depth, width=width, gain=gain, a_std=a_std,
                grad_std=grad_std, saturated=sat, picks=picks, edges=edges,
                counts=layer_histograms(arrays, edges), outside=outside)


_LABELS = {v: k for k, v in SCHEME_OPTIONS}


def _axes(fig):
    grid = panel_grid(fig, 1, 2, width_ratios=[1.25, 1], left=6.5, right=1.3, bottom=6.6, top=2.5, wgap=7.1)
    return fig.add_subplot(grid[0]), fig.add_subplot(grid[1])


def _draw(kept, r):
    """Draw on the kept axes: each update gives the kept artists new data (issue 16)."""
    ax1, ax2 = kept.layout("one", _axes)
    L = r["depth"]
    lines = [kept_per_layer(kept, "a", ax1, r["a_std"][:-1], label="activations a_l (hidden layers)", color="C0"),
             kept_per_layer(kept, "g", ax1, r["grad_std"], label="gradients dLoss/dz_l", color="C3", ls="--")]
    kept.get("one", lambda: ax1.axhline(1.0, color="0.6", lw=1, zorder=0))
    lo, hi = log_limits(r["a_std"], r["grad_std"], decades=0, margin=np.log10(3))
    log_axis(ax1, (min(1e-3, lo), max(1e3, hi)))  # at least 1e-3 .. 1e3 so that a flat profile looks flat
    ax1.set_xlim(0.5, L + 0.5)
    ax1.set_ylabel("std over batch and units")
    ax1.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax1.set_title(f"{r['activation']}, {_LABELS.get(r['scheme'], r['scheme'])}, gain {fmt(r['gain'])}")
    kept.get("legend", lambda: ax1.legend(handles=lines, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2,
                                          frameon=False))
    shown = []
    for k, (layer, c) in enumerate(zip(r["picks"], r["counts"])):
        label = f"layer {layer}" + (f" ({100 * r['outside'][k]:.0f}% off range)" if r["outside"][k] > 0.005 else "")
        shown.append(kept.get(("hist", k), lambda: ax2.stairs(c, r["edges"], color=f"C{k + 1}", ls=LINESTYLES[k % 4],
                                                              lw=2, label=label),
                              lambda a: (a.set_data(c, r["edges"]), a.set_label(label))))
    log_axis(ax2, (1e-4, 1.5))
    ax2.set_xlabel("activation a")
    ax2.set_ylabel("fraction of values per bin")
    ax2.set_title("activations of a few hidden layers")
    ax2.legend(handles=shown, loc="upper right", fontsize="small")  # new labels: a new legend
    fwd = r["a_std"][-2] / r["a_std"][0] if L > 1 else 1.0
    bwd = r["grad_std"][0] / r["grad_std"][-1]
    verdict = grid_verdict(fwd, bwd, r["saturated"])
    colour = {"stable": "#1a7f37", "saturated": "#9a6700"}.get(verdict, "#b00")
    sat = "" if not np.isfinite(r["saturated"]) else f"; saturated: {100 * r['saturated']:.0f}%"
    return (f"<b>forward</b> (layer 1 to {max(L - 1, 1)}): activation std {fmt(r['a_std'][0])} to "
            f"{fmt(r['a_std'][-2] if L > 1 else r['a_std'][0])} ({factor(fwd)})<br>"
            f"<b>backward</b> (layer {L} to 1): gradient std {fmt(r['grad_std'][-1])} to "
            f"{fmt(r['grad_std'][0])} ({factor(bwd)}){sat}<br>"
            f"verdict: <b style='color:{colour}'>{verdict}</b> (stable = both within x10 over the net)")


def initialization_explorer(large: bool = False, figsize=(12, 4.6)):
    """Per-layer std of activations and gradients at initialization for any activation x scheme.

    Controls: activation, scheme, depth (weight layers), width (units per layer), gain (multiplies
    the weights' std). Presets "N(0, 1)", "Glorot", "He", "LeCun + SELU"; "reset" restores the defaults.
    """
    controls = {
        "activation": hw.dropdown("activation", ACTIVATION_OPTIONS, "relu"),
        "scheme": hw.dropdown("initialization", SCHEME_OPTIONS, "glorot_normal"),
        "depth": hw.slider("depth (layers)", 20, 2, 50),
        "width": hw.slider("width (units)", 128, 16, 512, step=16),
        "gain": hw.log_slider("gain (x weight std)", 1.0, 0.1, 10.0, steps_per_decade=20),
    }
    presets = {
        "N(0, 1)": {"scheme": "standard_normal", "gain": 1.0},
        "Glorot": {"activation": "tanh", "scheme": "glorot_normal", "gain": 1.0},
        "He": {"activation": "relu", "scheme": "he_normal", "gain": 1.0},
        "LeCun + SELU": {"activation": "selu", "scheme": "lecun_normal", "gain": 1.0},
    }
    return hw.Explorer(controls, _compute, _draw, presets=presets, figsize=figsize, large=large, keep=True,
                       title="Initialization x activation: std of activations and gradients per layer")
