"""The explorer of notebook 08: sigma_w, sigma_b, depth, activation and weight distribution; where the setting
sits on the phase diagram, q^l and c^l against the mean-field theory, the gradient ratio per layer against
chi_1, and the histogram of the input-output Jacobian's singular values.

One fixed random net per weight distribution (unit-scale matrices and biases, drawn once, rescaled by sigma_w
and sigma_b), so moving a slider changes the scale of the same net, and deeper nets keep their lower layers.
"""
from __future__ import annotations

import functools

import numpy as np
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from ..core.activations import get_activation
from ..core.initializers import init_weights
from ..core.stats import fmt
from ..ui import explorer as hw
from .figures import plot_phase_diagram
from .isometry import input_pair, jacobian, propagate, start_length, theory_curves
from .meanfield import critical_sw2, mean_field

__all__ = ["edge_of_chaos_explorer"]

WIDTH = 128       # units per layer: 64 layers, their Jacobian and its SVD stay well under 100 ms
MAX_DEPTH = 64
BATCH = 8         # random top gradients back-propagated for the gradient ratio
Q0, C0 = 1.0, 0.5  # the two inputs' length |x|^2 / N and correlation
SEED = 8
EDGES = np.logspace(-4, 4, 49)  # singular-value histogram bins, log-spaced
ACTIVATIONS = [("tanh", "tanh"), ("ReLU", "relu"), ("linear", "linear")]
WEIGHT_CHOICES = [("Gaussian", "gaussian"), ("orthogonal", "orthogonal")]
BENCH = {"edge_of_chaos_explorer": {"sigma_w": 3.0, "sigma_b": 0.6, "depth": MAX_DEPTH, "activation": "tanh",
                                    "weights": "orthogonal"}}


@functools.lru_cache(maxsize=2)
def _base(weights: str):
    """Unit-scale matrices (MAX_DEPTH, WIDTH, WIDTH), unit biases, inputs and top gradients, fixed per distribution."""
    rng = np.random.default_rng([SEED, weights == "orthogonal"])
    scheme = "orthogonal" if weights == "orthogonal" else "lecun_normal"
    W = np.stack([init_weights(WIDTH, WIDTH, scheme, rng) for _ in range(MAX_DEPTH)])
    b = rng.standard_normal((MAX_DEPTH, WIDTH))
    X = np.vstack([input_pair(WIDTH, Q0, C0, rng=rng), np.sqrt(Q0) * rng.standard_normal((BATCH, WIDTH))])
    x_jac = rng.standard_normal(WIDTH)
    dtop = rng.standard_normal((BATCH, WIDTH))
    for a in (W, b, X, x_jac, dtop):
        a.flags.writeable = False
    return W, b, X, x_jac, dtop


@functools.lru_cache(maxsize=4)
def _critical(activation: str, sigma_b: float) -> float:
    return float(critical_sw2(sigma_b ** 2, activation)) if activation == "tanh" else (
        2.0 if activation == "relu" else 1.0)


def edge_compute(sigma_w=1.0, sigma_b=0.3, depth=32, activation="tanh", weights="gaussian"):
    """Theory and one simulated net (WIDTH units) at a setting: a dict for the figure and the readout."""
    act = get_activation(activation)
    sw2, sb2 = float(sigma_w) ** 2, float(sigma_b) ** 2
    theory = mean_field(sw2, sb2, act.name)
    W0, b0, X, x_unit, dtop = _base(weights)
    params = [(sigma_w * W0[l], sigma_b * b0[l]) for l in range(depth)]
    with np.errstate(all="ignore"):
        q, c, ratio = propagate(params, X, dtop, act)
        q_th, c_th = theory_curves(Q0, C0, sw2, sb2, depth, act)
        q_jac = start_length(sw2, sb2, act.name)
        J = jacobian(params, np.sqrt(q_jac) * x_unit, act)
        s = np.linalg.svd(J, compute_uv=False) if np.all(np.isfinite(J)) else np.full(WIDTH, np.nan)
        counts = np.histogram(np.clip(s[np.isfinite(s)], EDGES[0], EDGES[-1]), bins=EDGES)[0] / WIDTH
    return dict(sigma_w=sigma_w, sigma_b=sigma_b, depth=depth, activation=act.name, weights=weights,
                theory=theory, critical=_critical(act.name, round(float(sigma_b), 6)), q=q, c=c, ratio=ratio,
                q_theory=q_th, c_theory=c_th, s=s, counts=counts, q_jac=q_jac)


def _finite_plot(ax, x, y, *args, **kw):
    y = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(y) & (np.abs(y) < 1e300)
    ax.plot(np.asarray(x)[ok], y[ok], *args, **kw)


_DECADES = FuncFormatter(lambda v, _: f"{v:g}" if 1e-3 <= v <= 1e3 else f"1e{int(round(np.log10(v)))}" if v > 0 else "")


def _light(ax):
    """No minor ticks and plain-text decade labels: most of a redraw is otherwise spent making tick labels."""
    for axis, scale in ((ax.xaxis, ax.get_xscale()), (ax.yaxis, ax.get_yscale())):
        axis.set_minor_locator(NullLocator())
        if scale == "log":
            axis.set_major_locator(LogLocator(base=10, numticks=5))
            axis.set_major_formatter(_DECADES)


def edge_draw(fig, r):
    """Five panels: phase diagram, q^l, c^l, gradient ratio, singular values; returns the readout (HTML)."""
    grid = fig.add_gridspec(2, 6)
    ax_p, ax_q, ax_c = fig.add_subplot(grid[0, :2]), fig.add_subplot(grid[0, 2:4]), fig.add_subplot(grid[0, 4:])
    ax_g, ax_s = fig.add_subplot(grid[1, :3]), fig.add_subplot(grid[1, 3:])
    th, depth = r["theory"], r["depth"]
    sw2, sb2 = r["sigma_w"] ** 2, r["sigma_b"] ** 2
    plot_phase_diagram(ax_p, r["activation"], {"you": (sw2, sb2)})
    ax_p.set_title(f"phase diagram ({r['activation']})", fontsize="medium")
    layers = np.arange(1, depth + 1)
    _finite_plot(ax_q, layers, r["q"], "o", ms=3, mfc="none", label="net")
    _finite_plot(ax_q, layers, r["q_theory"], "k--", label="theory")
    ax_q.set(yscale="log", xlabel="layer l", title="length $q^l$ (mean $z^2$)")
    _finite_plot(ax_c, layers, r["c"], "s", ms=3, mfc="none", label="net")
    _finite_plot(ax_c, layers, r["c_theory"], "k--", label="theory")
    ax_c.set(ylim=(-0.3, 1.05), xlabel="layer l", title="correlation $c^l$ of two inputs")
    if depth > 1:
        _finite_plot(ax_g, layers[:-1], r["ratio"], "^", ms=4, mfc="none", label="net: |δ^l|² / |δ^{l+1}|²")
    ax_g.axhline(th.chi_1, color="k", ls="--", label=f"theory χ₁ = {th.chi_1:.3f}")
    ax_g.set(yscale="log", xlabel="layer l", title="gradient ratio per layer (going down)")
    ax_s.stairs(r["counts"], EDGES, lw=1.8, color="C0")
    ax_s.axvline(1.0, color="k", ls=":", lw=1)
    ax_s.set(xscale="log", xlabel="singular value of the Jacobian", ylabel="fraction",
             title=f"Jacobian spectrum, {depth} layers x {WIDTH} units")
    for ax in (ax_q, ax_c, ax_g):
        ax.legend(fontsize="small")
    for ax in (ax_p, ax_q, ax_c, ax_g, ax_s):
        _light(ax)
    s = r["s"]
    setting = (f"<b>{r['activation']}</b>, {r['weights']} weights, σ_w² = {sw2:.3g}, σ_b² = {sb2:.3g}, "
               f"{depth} layers of {WIDTH} units.")
    phase = (f"Theory: <b>{th.phase}</b> phase (critical σ_w² = {r['critical']:.3g} at this σ_b²); "
             f"q* = {fmt(th.q_star)}, χ₁ = {th.chi_1:.3f}, c* = {th.c_star:.3f}, ξ_c = {fmt(th.xi_c)} layers.")
    ratio = r["ratio"][np.isfinite(r["ratio"]) & (r["ratio"] > 0)]
    tail = ratio[len(ratio) // 2:]
    grad = (f"Measured gradient ratio (geometric mean, upper half of the layers): {fmt(np.exp(np.mean(np.log(tail))))}."
            if tail.size else "Gradient ratio: <b>diverged</b> (or a single layer).")
    spec = (f"Jacobian singular values: largest {fmt(np.max(s))}, median {fmt(np.median(s))}, smallest "
            f"{fmt(np.min(s))} (input length q = {fmt(r['q_jac'])})." if np.all(np.isfinite(s))
            else "Jacobian: <b>diverged</b> (overflow).")
    return "<br>".join([setting, phase, grad, spec])


def edge_of_chaos_explorer(large: bool = False):
    """Sliders for sigma_w, sigma_b and depth, dropdowns for activation and weight distribution; four presets."""
    controls = {
        "sigma_w": hw.log_slider("weight scale σ_w", 1.0, 0.3, 3.0, steps_per_decade=100),
        "sigma_b": hw.float_slider("bias scale σ_b", 0.3, 0.0, 0.6, step=0.001),
        "depth": hw.slider("depth (layers)", 32, 2, MAX_DEPTH),
        "activation": hw.dropdown("activation", ACTIVATIONS, value="tanh"),
        "weights": hw.dropdown("weights", WEIGHT_CHOICES, value="gaussian"),
    }
    edge_sw = float(np.sqrt(critical_sw2(0.05, "tanh")))
    presets = {
        "edge of chaos": dict(sigma_w=round(edge_sw, 3), sigma_b=0.224, activation="tanh", weights="orthogonal"),
        "ordered": dict(sigma_w=1.0, sigma_b=0.224, activation="tanh", weights="gaussian"),
        "chaotic": dict(sigma_w=2.0, sigma_b=0.224, activation="tanh", weights="gaussian"),
        "PyTorch tanh gain": dict(sigma_w=round(5 / 3, 3), sigma_b=0.0, activation="tanh", weights="gaussian"),
    }
    return hw.Explorer(controls, edge_compute, edge_draw, presets=presets, large=large, figsize=(11.5, 6.6),
                       title="Edge of chaos: signal propagation, gradients and the Jacobian's spectrum")
