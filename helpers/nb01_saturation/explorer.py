"""Explorers of notebook 01 (sigmoid saturation): a deep net at initialization, live.

saturation_explorer(): sliders for the weight std, the depth and the activation (sigmoid / tanh);
shows each hidden layer's activation histogram (saturated bands shaded), the gradient norm per
layer (log scale) and the saturated fraction per layer, with a readout of the saturated fraction
and of ||dW_1|| / ||dW_L||.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..core.activations import get_activation
from ..core.checks import check_positive, check_size
from ..core.stats import fmt, frobenius, saturated_fraction
from ..ui import explorer as hw
from ..ui.kept import kept_histograms, kept_per_layer
from ..ui.plotting import VERMILLION, layer_histograms, log_axis, log_limits, panel_grid
from .experiments import SaturationProfile, saturation_edges, saturation_profile

__all__ = ["saturation_explorer", "SATURATION_PRESETS"]

SEED = 0  # the explorer draws every net from this seed, so moving a slider changes one thing only
WIDTH = 64  # every layer is 64 x 64, so Glorot's std 1 / sqrt(fan_avg) is exactly 1/8
BATCH = 256  # saturation_profile's batch
MAX_DEPTH = 50  # the depth slider's top
SATURATION_PRESETS = {
    "N(0, 1)": {"std": 1.0},
    "Glorot": {"std": 1 / WIDTH ** 0.5},  # 1 / sqrt(fan_avg) = 0.125
    "small weights": {"std": 0.01},
}
BENCH = {"saturation_explorer": {"std": 10.0, "depth": 50, "activation": "tanh"}}
SAT_COLOR = VERMILLION


@dataclass(frozen=True)
class _Rows:
    """The two rows of the net's LayerStats the explorer draws (layer_stats computes them the same way)."""

    grad_norm: np.ndarray
    saturated: np.ndarray  # NaN for the linear output layer

    @property
    def depth(self) -> int:
        return len(self.grad_norm)


@functools.lru_cache(maxsize=1)
def _normals():
    """The N(0, 1) stream saturation_profile(std, depth, rng=default_rng(SEED)) draws from, for the deepest net:
    X (BATCH, WIDTH), then layer after layer, then dout. normal(0, std) is 0 + std * z, so the same z serve every
    std, and a net of depth D takes its D layers, then its dout, from the stream in order."""
    return np.random.default_rng(SEED).standard_normal(2 * BATCH * WIDTH + MAX_DEPTH * WIDTH * WIDTH)


@functools.lru_cache(maxsize=2)
def _forward(std, activation):
    """{layer: (W, z, a, saturated fraction, histogram)} of the hidden layers for this std and activation, kept:
    a depth change computes only the layers not seen yet (a hidden layer does not depend on the depth)."""
    return {}


def _layer(std, activation, l):
    kept, act = _forward(std, activation), get_activation(activation)
    if l not in kept:
        n, size = BATCH * WIDTH, WIDTH * WIDTH
        a = _normals()[:n].reshape(BATCH, WIDTH) if l == 0 else kept[l - 1][2]
        W = std * _normals()[n + l * size:n + (l + 1) * size].reshape(WIDTH, WIDTH)  # what init_mlp draws
        with np.errstate(over="ignore", invalid="ignore"):  # as forward: z = a @ W + b (b = 0), a = f(z)
            z = a @ W
            z += 0.0
            f = act.f(z)
        hist = layer_histograms([f], _edges(activation))[0]
        kept[l] = (W, z, f, saturated_fraction(f, act, 0.01), hist)
    return kept[l]


@functools.lru_cache(maxsize=2)
def _edges(activation):
    return saturation_edges(activation)


def _compute(std, depth, activation):
    """saturation_profile(std, depth, activation, width=WIDTH, rng=default_rng(SEED)), to the last bit, keeping
    only what is drawn: the saturated fraction and the histogram of each hidden layer, and ||dW_l||."""
    std, depth = check_positive("std", std), check_size("depth", depth)
    if activation not in ("sigmoid", "tanh") or not 2 <= depth <= MAX_DEPTH:
        return saturation_profile(std, depth, activation, width=WIDTH, rng=np.random.default_rng(SEED))
    hidden = [_layer(std, activation, l) for l in range(depth - 1)]
    n, size, act = BATCH * WIDTH, WIDTH * WIDTH, get_activation(activation)
    W_out = std * _normals()[n + (depth - 1) * size:n + depth * size].reshape(WIDTH, WIDTH)
    start = n + depth * size
    dz = _normals()[start:start + n].reshape(BATCH, WIDTH)  # dout
    Ws = [W for W, *_ in hidden] + [W_out]
    inputs = [_normals()[:n].reshape(BATCH, WIDTH)] + [a for _, _, a, *_ in hidden]
    grad_norm = np.full(depth, np.nan)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):  # as backward_pass, without db and dX
        for i in range(depth - 1, -1, -1):
            grad_norm[i] = frobenius(inputs[i].T @ dz)
            if i:
                dz = act.backprop(dz @ Ws[i].T, hidden[i - 1][1], hidden[i - 1][2])
    rows = _Rows(grad_norm, np.r_[[sat for *_, sat, _ in hidden], np.nan])
    return SaturationProfile(rows, np.array([h for *_, h in hidden]), _edges(activation), activation, std)


def _axes(fig, compact):
    """The three axes: in a row, or for side-by-side views the histograms above the other two."""
    margins = dict(left=5.2, right=1.0, bottom=3.6, top=2.2, wgap=5.6)
    if compact:
        grid = panel_grid(fig, 2, 2, hgap=7.5, **margins)
        return {"hist": fig.add_subplot(grid[0, :]), "grad": fig.add_subplot(grid[1, 0]),
                "sat": fig.add_subplot(grid[1, 1])}
    grid = panel_grid(fig, 1, 3, **margins)
    return {"hist": fig.add_subplot(grid[0]), "grad": fig.add_subplot(grid[1]), "sat": fig.add_subplot(grid[2])}


def _draw(kept, prof, compact):
    """Draw on the kept axes: each update gives the kept artists new data (issue 16)."""
    ax = kept.layout(compact, lambda fig: _axes(fig, compact))
    L, name = prof.depth, prof.activation
    edges = prof.edges

    h = ax["hist"]
    for i, (lo, hi) in enumerate(((edges[0], edges[1]), (edges[-2], edges[-1]))):  # under the histograms
        kept.get(("band", name, i), lambda: h.axvspan(lo, hi, color=SAT_COLOR, alpha=0.25, lw=0, zorder=0.9))
    kept_histograms(kept, "hist", h, prof.hist, edges)
    h.set_ylim(0, 1.15 * max(float(prof.hist.max()), 0.05))
    h.set_xlabel(f"activation a = {name}(z)   (saturated bands shaded)")
    h.set_ylabel("fraction of units")
    h.set_title(f"hidden layers 1 (dark) to {L - 1} (light)")

    g = ax["grad"]
    kept_per_layer(kept, "grad", g, prof.stats.grad_norm, color="C0")
    g.set_title("gradient norm ‖dW_l‖ (log scale)")
    log_axis(g, log_limits(prof.stats.grad_norm, decades=3))
    g.set_xlabel("layer l (1 = input side)")

    s = ax["sat"]
    x = np.arange(0.5, L)
    kept.get("sat", lambda: s.stairs(prof.stats.saturated[:-1], x, fill=True, color=SAT_COLOR),  # one artist
             lambda a: a.set_data(prof.stats.saturated[:-1], x))
    s.set_ylim(0, 1)
    s.set_xlim(0.5, L - 0.5)
    s.set_xlabel("hidden layer l")
    s.set_title("saturated fraction per layer")
    if prof.stats.saturated[:-1].max() < 0.005:
        kept.get("none", lambda: s.text(0.5, 0.5, "no saturated units", transform=s.transAxes, ha="center",
                                        color="0.4"))

    ratio = prof.first_to_last
    trend = "vanishing toward layer 1" if ratio < 0.1 else "growing toward layer 1" if ratio > 10 else "balanced"
    return (f"{name}, weights N(0, {fmt(prof.std)}²), {L} layers of {WIDTH} units<br>"
            f"saturated: <b>{100 * prof.saturated:.0f}%</b> of hidden activations<br>"
            f"gradient norm, layer 1 / layer {L}: <b>{fmt(ratio)}</b> ({trend}; "
            f"‖dW_1‖ = {fmt(prof.stats.grad_norm[0])}, ‖dW_{L}‖ = {fmt(prof.stats.grad_norm[-1])})")


def saturation_explorer(compact: bool = False):
    """Sliders: weight std (log), depth, activation; presets N(0, 1), Glorot, small weights; reset.

    compact=True stacks the panels in a narrower figure (for side_by_side).
    """
    controls = {
        "std": hw.log_slider("weight std σ", 1.0, 0.01, 10),
        "depth": hw.slider("depth L (layers)", 10, 2, MAX_DEPTH),
        "activation": hw.dropdown("activation", ["sigmoid", "tanh"]),
    }
    return hw.Explorer(controls, _compute, lambda fig, prof: _draw(fig, prof, compact),
                       presets=SATURATION_PRESETS,
                       title=f"A deep net at initialization: {WIDTH} standard-normal inputs, layers of {WIDTH} "
                             f"units, weights N(0, σ²), 256 examples (Glorot: σ = 1/√{WIDTH})",
                       figsize=(6.4, 6.4) if compact else (12.5, 4.2), keep=True)
