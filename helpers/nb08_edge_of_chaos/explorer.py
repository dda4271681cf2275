"""The explorer of notebook 08: sigma_w, sigma_b, depth, activation and weight distribution; where the setting
sits on the phase diagram, q^l and c^l against the mean-field theory, the gradient ratio per layer against
chi_1, and the histogram of the input-output Jacobian's singular values.

One fixed random net per weight distribution (netrun: drawn once, rescaled by sigma_w and sigma_b), so moving a
slider changes the scale of the same net, and deeper nets keep their lower layers. Each stage is cached apart
(issue 16): the net's runs per setting, as deep as asked so far (netrun); the theory by (sigma_w, sigma_b,
activation), not depth; the critical line by sigma_b; the figure keeps its axes and artists.
"""
from __future__ import annotations

import functools

import numpy as np
from matplotlib.ticker import MaxNLocator, NullLocator

from ..core.activations import get_activation
from ..core.checks import check_choice
from ..core.stats import fmt
from ..ui import explorer as hw
from ..ui.plotting import log_axis, log_limits, panel_grid
from .figures import SB2_RANGE, SW2_RANGE, phase_background
from .isometry import propagate, theory_curves
from .meanfield import critical_sw2, mean_field
from .netrun import C0, MAX_DEPTH, Q0, WIDTH, base_net, frozen, net_run

__all__ = ["edge_of_chaos_explorer"]

EDGES = np.logspace(-4, 4, 49)  # singular-value histogram bins, log-spaced
ACTIVATIONS = [("tanh", "tanh"), ("ReLU", "relu"), ("linear", "linear")]
WEIGHT_CHOICES = [("Gaussian", "gaussian"), ("orthogonal", "orthogonal")]
BENCH = {"edge_of_chaos_explorer": {"sigma_w": 3.0, "sigma_b": 0.6, "depth": MAX_DEPTH, "activation": "tanh",
                                    "weights": "orthogonal"}}


@functools.lru_cache(maxsize=64)
def _critical(activation: str, sigma_b: float) -> float:
    return float(critical_sw2(sigma_b ** 2)) if activation == "tanh" else 2.0 if activation == "relu" else 1.0


@functools.lru_cache(maxsize=32)
def _theory(sw2: float, sb2: float, activation: str):
    """Mean-field theory at a point, and the input length q the Jacobian is taken at (isometry.start_length:
    q*, or 1 where q* is 0 or infinite); depth plays no part."""
    th = mean_field(sw2, sb2, activation)
    return th, th.q_star if np.isfinite(th.q_star) and th.q_star > 0 else 1.0


@functools.lru_cache(maxsize=32)
def _curves(sw2: float, sb2: float, activation: str, layers: int):
    """Theory's q^l, c^l for `layers` layers (read-only): each layer's value depends only on the ones before."""
    with np.errstate(all="ignore"):
        return tuple(frozen(a) for a in theory_curves(Q0, C0, sw2, sb2, layers, activation))


def edge_compute(sigma_w=1.0, sigma_b=0.3, depth=32, activation="tanh", weights="gaussian"):
    """Theory and one simulated net (WIDTH units) at a setting: a dict for the figure and the readout."""
    act = get_activation(activation)
    check_choice("weights", weights, dict(WEIGHT_CHOICES).values())
    sw2, sb2 = float(sigma_w) ** 2, float(sigma_b) ** 2
    theory, q_jac = _theory(sw2, sb2, act.name)
    # theory curves for a whole block of 16 layers: a depth move within it computes nothing new
    q_th, c_th = (a[:depth].copy() for a in _curves(sw2, sb2, act.name, min(MAX_DEPTH, -(-depth // 16) * 16)))
    _, _, X, _, dtop = base_net(weights)
    params, zs, J = net_run(weights, sigma_w, sigma_b, act.name, depth, q_jac)
    with np.errstate(all="ignore"):
        q, c, ratio = propagate(params, X, dtop, act, zs=zs)
        s = np.linalg.svd(J, compute_uv=False) if np.all(np.isfinite(J)) else np.full(WIDTH, np.nan)
        counts = np.histogram(np.clip(s[np.isfinite(s)], EDGES[0], EDGES[-1]), bins=EDGES)[0] / WIDTH
    return dict(sigma_w=sigma_w, sigma_b=sigma_b, depth=depth, activation=act.name, weights=weights,
                theory=theory, critical=_critical(act.name, round(float(sigma_b), 6)), q=q, c=c, ratio=ratio,
                q_theory=q_th, c_theory=c_th, s=s, counts=counts, q_jac=q_jac)


def _light(ax):
    """No minor ticks and four major ones on a linear axis: drawing tick labels is most of a redraw."""
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "linear":
            axis.set_major_locator(MaxNLocator(4))
            axis.set_minor_locator(NullLocator())


def _axes(fig):
    """The five panels, their scales, fixed labels and fixed lines: made once per figure size (issue 16)."""
    grid = panel_grid(fig, 2, 6, left=5.2, right=1.2, bottom=3.4, top=2.2, wgap=5.6, hgap=6.4)
    ax = dict(p=fig.add_subplot(grid[0, :2]), q=fig.add_subplot(grid[0, 2:4]), c=fig.add_subplot(grid[0, 4:]),
              g=fig.add_subplot(grid[1, :3]), s=fig.add_subplot(grid[1, 3:]))
    ax["p"].text(0.04, 0.94, "ordered\n(vanishing)", transform=ax["p"].transAxes, va="top", fontsize="small")
    ax["p"].text(0.96, 0.94, "chaotic\n(exploding)", transform=ax["p"].transAxes, va="top", ha="right",
                 fontsize="small")
    ax["p"].set(xlim=SW2_RANGE, ylim=SB2_RANGE, xlabel="σ_w²", ylabel="σ_b²")
    ax["c"].set(ylim=(-0.3, 1.05))
    for name in "qcg":
        ax[name].set_xlabel("layer l")
    for a, title in ((ax["q"], "length qˡ (mean z²): ○ net, - - theory"),
                     (ax["c"], "correlation cˡ: ○ net, - - theory"), (ax["g"], "gradient ratio |δˡ|² / |δˡ⁺¹|²: △ net")):
        a.set_title(title, y=1.0)  # a fixed place: an automatic one is measured on every redraw
    ax["s"].axvline(1.0, color="k", ls=":", lw=1)
    ax["s"].set(xlabel="singular value", ylabel="fraction")
    log_axis(ax["s"], numticks=5, axis="x")
    for a in ax.values():
        _light(a)
    return ax


def _line(kept, key, ax, x, y, *args, **kw):
    """A line of the finite points of y (a kept artist, given new data)."""
    y = np.asarray(y, dtype=np.float64)
    ok = np.isfinite(y) & (np.abs(y) < 1e300)
    x, y = np.asarray(x)[ok], y[ok]
    return kept.get(key, lambda: ax.plot(x, y, *args, **kw)[0], lambda a: a.set_data(x, y))


def edge_draw(kept, r):
    """Five panels: phase diagram, q^l, c^l, gradient ratio, singular values; returns the readout (HTML)."""
    ax = kept.layout("five", _axes)
    th, depth, act = r["theory"], r["depth"], r["activation"]
    sw2, sb2 = r["sigma_w"] ** 2, r["sigma_b"] ** 2
    sw, sb, log_chi, crit = phase_background(act)
    kept.get("phase", lambda: ax["p"].imshow(log_chi, origin="lower", aspect="auto", cmap="PuOr_r", vmin=-1.2,
                                             vmax=1.2, extent=(sw[0], sw[-1], sb[0], sb[-1])),
             lambda a: a.set_data(log_chi))
    kept.get("critical", lambda: ax["p"].plot(crit, sb, "k-", lw=2)[0], lambda a: a.set_data(crit, sb))
    x = min(sw2, SW2_RANGE[1])  # beyond the map's right edge: marked on the edge, the label says where
    you = "you" if sw2 <= SW2_RANGE[1] else f"you: σ_w² = {sw2:.3g} →"
    kept.get("you", lambda: ax["p"].plot(x, sb2, "o", color="w", mec="k", ms=8, clip_on=False)[0],
             lambda a: a.set_data([x], [sb2]))
    kept.get("you label", lambda: ax["p"].annotate(you, (x, sb2), xytext=(5, 5) if x == sw2 else (-5, 5),
                                                   textcoords="offset points", ha="left" if x == sw2 else "right",
                                                   fontsize="small", annotation_clip=False,
                                                   bbox=dict(boxstyle="round,pad=0.15", fc="w", ec="none", alpha=0.8)),
             lambda a: (setattr(a, "xy", (x, sb2)), a.set_text(you), a.set_ha("left" if x == sw2 else "right"),
                        a.set_position((5, 5) if x == sw2 else (-5, 5))))
    ax["p"].set_title(f"phase diagram ({act})", fontsize="medium", y=1.0)
    layers = np.arange(1, depth + 1)  # lines named in the titles and on the line: legends cost a third of a redraw
    _line(kept, "q", ax["q"], layers, r["q"], "o", ms=3, mfc="none")
    _line(kept, "q theory", ax["q"], layers, r["q_theory"], "k--")
    _line(kept, "c", ax["c"], layers, r["c"], "o", ms=3, mfc="none")
    _line(kept, "c theory", ax["c"], layers, r["c_theory"], "k--")
    _line(kept, "ratio", ax["g"], layers[:-1], r["ratio"], "^", ms=4, mfc="none")
    kept.get("chi", lambda: ax["g"].axhline(th.chi_1, color="k", ls="--"), lambda a: a.set_ydata([th.chi_1] * 2))
    chi = f"theory χ₁ = {th.chi_1:.3f}"
    kept.get("chi label", lambda: ax["g"].text(0.99, th.chi_1, chi, transform=ax["g"].get_yaxis_transform(),
                                               ha="right", va="bottom", fontsize="small"),
             lambda a: (a.set_text(chi), a.set_y(th.chi_1)))
    log_axis(ax["q"], log_limits(r["q"], r["q_theory"], decades=2), numticks=5)
    log_axis(ax["g"], log_limits(r["ratio"], [th.chi_1], decades=2), numticks=5)
    kept.get("spectrum", lambda: ax["s"].stairs(r["counts"], EDGES, lw=1.8, color="C0"),
             lambda a: a.set_data(r["counts"], EDGES))
    ax["s"].set_title(f"Jacobian spectrum ({depth} x {WIDTH})", y=1.0)
    return _readout(r)


def _readout(r):
    th, depth, s = r["theory"], r["depth"], r["s"]
    sw2, sb2 = r["sigma_w"] ** 2, r["sigma_b"] ** 2
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
    for weights in dict(WEIGHT_CHOICES).values():  # drawn now (0.1 s for the orthogonal), not on a first press
        base_net(weights)
    presets = {
        "edge of chaos": dict(sigma_w=round(edge_sw, 3), sigma_b=0.224, activation="tanh", weights="orthogonal"),
        "ordered": dict(sigma_w=1.0, sigma_b=0.224, activation="tanh", weights="gaussian"),
        "chaotic": dict(sigma_w=2.0, sigma_b=0.224, activation="tanh", weights="gaussian"),
        "PyTorch tanh gain": dict(sigma_w=round(5 / 3, 3), sigma_b=0.0, activation="tanh", weights="gaussian"),
    }
    return hw.Explorer(controls, edge_compute, edge_draw, presets=presets, large=large, figsize=(11, 6.2),
                       keep=True, title="Edge of chaos: signal propagation, gradients and the Jacobian's spectrum")
