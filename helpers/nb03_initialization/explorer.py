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

from ..core.activations import ACTIVATIONS, get_activation
from ..core.initializers import SCHEMES, scheme_variance, uniform_limit
from ..core.network import Cache, backward_pass, forward
from ..core.stats import finite_mean_std, fmt, saturated_fraction
from ..ui import explorer as hw
from ..ui.kept import kept_per_layer
from ..ui.plotting import LINESTYLES, factor, layer_histograms, log_axis, log_limits, panel_grid
from .experiments import grid_verdict

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
    """The seeded draws every scheme of SCHEME_OPTIONS makes, in one kind: N(0, 1) (the normal schemes draw s * z
    from it) or U[0, 1) (the uniform ones draw -r + 2r * u). numpy draws one number after the other whatever the
    shape asked for, so the layers of every width are one flat sequence: layer l of a width-w net is numbers
    l w^2 .. (l + 1) w^2. Drawn as far as a net needs, into one growing buffer: a deeper or a wider net only draws
    the numbers it has beyond the ones drawn already."""

    def __init__(self, uniform: bool):
        self.rng, self.uniform, self.buffer, self.drawn = np.random.default_rng(SEED), uniform, np.empty(0), 0

    def first(self, n, width):
        """The first n layers of a width-`width` net, as (width, width) views."""
        size = width * width
        if n * size > self.drawn:
            if n * size > len(self.buffer):  # room for the sliders' biggest net at once (or twice what is asked)
                grown = np.empty(max(n * size, min(2 * len(self.buffer), MAX_NUMBERS), MAX_NUMBERS // 8))
                grown[:self.drawn] = self.buffer[:self.drawn]
                self.buffer = grown
            draw = self.rng.random if self.uniform else self.rng.standard_normal
            draw(out=self.buffer[self.drawn:n * size])
            self.drawn = n * size
        return [self.buffer[l * size:(l + 1) * size].reshape(width, width) for l in range(n)]


MAX_NUMBERS = 50 * 512 * 512  # the sliders' biggest net (depth 50, width 512)


@functools.lru_cache(maxsize=2)
def _stream(uniform: bool):
    return _Stream(uniform)


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
    for l, x in enumerate(_stream(distribution == "uniform").first(depth, width)):
        if l not in kept:
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


@functools.lru_cache(maxsize=1)
def _inputs(width):
    """The seeded batch X and dout of a width-`width` net."""
    data = np.random.default_rng(SEED + 1)
    batch = _batch(width)
    return data.standard_normal((batch, width)), data.standard_normal((batch, width))


@functools.lru_cache(maxsize=4)  # a few MB each (13 MB at the biggest settings)
def _kept_pass(activation, scheme, width, gain):
    """The forward pass of the deepest net seen with these settings, kept: {"zs": z_1.., "acts": a_1.. (hidden),
    "std": std of a_l, "sat": saturated share of a_l}. A net of depth D is the first D layers of a deeper one
    (its weights come first from the same stream), except that its layer D is linear: a depth move only runs
    the layers it adds."""
    return {"zs": [], "acts": [], "std": [], "sat": []}


def _forward(activation, scheme, depth, width, gain):
    """(cache, std of a_1..a_{D-1}, their saturated shares) of forward(params, X, activation), to the last bit."""
    Ws, (X, _) = _weights(scheme, depth, width, gain), _inputs(width)
    run, act = _kept_pass(activation, scheme, width, gain), get_activation(activation)
    zs, acts = run["zs"], run["acts"]
    while len(acts) < min(len(zs), depth - 1):  # a_l = f(z_l), as forward computes it for a hidden layer
        acts.append(act.f(zs[len(acts)]))
    if len(zs) < depth:
        start = len(zs) if not zs or np.all(np.isfinite(acts[-1])) else 0  # forward takes a finite input only
        del zs[start:], acts[start:], run["std"][start:], run["sat"][start:]
        zeros = np.zeros(width)
        out, cache = forward([(W, zeros) for W in Ws[start:depth]], acts[-1] if start else X, activation)
        zs += cache.zs
        acts += cache.acts[:-1]
    for a in acts[len(run["std"]):depth - 1]:
        run["std"].append(finite_mean_std(a)[1])
        run["sat"].append(saturated_fraction(a, act))
    hidden = acts[:depth - 1]
    cache = Cache(X, zs[:depth], hidden + [zs[depth - 1]], act, zs[:depth], [None] * depth)
    return cache, run["std"][:depth - 1], run["sat"][:depth - 1]


def _compute(activation, scheme, depth, width, gain):
    Ws, (X, dout) = _weights(scheme, depth, width, gain), _inputs(width)
    cache, hidden_std, hidden_sat = _forward(activation, scheme, depth, width, gain)
    zeros = np.zeros(width)
    back = backward_pass([(W, zeros) for W in Ws], cache, dout, weights=False)  # dz only: no dW or dX to draw
    # pass_std_profile(cache, back, saturation=True), with the hidden layers' statistics kept
    a_std = np.array(hidden_std + [finite_mean_std(cache.acts[-1])[1]])
    grad_std = np.array([finite_mean_std(dz)[1] for dz in back.dzs])
    return _summary(activation, scheme, depth, width, gain, cache.acts, a_std, grad_std, float(np.mean(hidden_sat)))


def _summary(activation, scheme, depth, width, gain, acts, a_std, grad_std, sat):
    """The result the figure draws: the per-layer stds and the histograms of up to 4 hidden layers' acts."""
    # histograms of up to 4 hidden layers, on the activation's range (+-3 for the unbounded ones)
    lo, hi = _RANGES.get(activation, (-3.0, 3.0))
    edges = np.linspace(lo, hi, 61)
    hidden = max(depth - 1, 1)
    picks = sorted({int(round(x)) for x in np.linspace(1, hidden, min(4, hidden))})
    arrays = [acts[l - 1] for l in picks]
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
