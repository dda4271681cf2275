"""Figures of notebook 08: the phase diagram, theory against simulation, Jacobian spectra, trainability, Saxe.

Each `plot_*(ax, ...)` draws on the axes it is given and returns them; lines differ by style and marker, not
only colour; nothing here changes matplotlib settings.
"""
from __future__ import annotations

import functools

import numpy as np

from ..core.checks import check_array
from ..ui.plotting import checked
from .isometry import Propagation, Spectrum
from .meanfield import chi_1, critical_sw2, mean_field
from .trainability import DepthRace, TrainabilityGrid

SW2_RANGE, SB2_RANGE = (0.25, 4.0), (0.0, 0.3)


def _check_result(name: str, value, kind: type):
    """value as a `kind` result (as the experiments return it), else a TypeError naming `name`."""
    if not isinstance(value, kind):
        raise TypeError(f"{name} must be a {kind.__name__} result, got {type(value).__name__}")
    return value


def _check_spectra(spectra) -> dict:
    """spectra as {label: Spectrum}, else a TypeError naming the parameter."""
    if not isinstance(spectra, dict) or not all(isinstance(v, Spectrum) for v in spectra.values()):
        raise TypeError(f"spectra must be a dict {{label: Spectrum}}, got {type(spectra).__name__}")
    return spectra


@functools.lru_cache(maxsize=4)
def phase_background(activation: str = "tanh", n: int = 40):
    """(sw2 (n,), sb2 (n,), log chi_1 (n, n) rows = sb2, critical sigma_w^2 (n,)) for the phase diagram: computed
    once per activation (about a second for tanh), then read-only."""
    sw2 = np.linspace(*SW2_RANGE, n)
    sb2 = np.linspace(*SB2_RANGE, n)
    S, B = np.meshgrid(sw2, sb2)
    with np.errstate(all="ignore"):
        log_chi = np.log(chi_1(S, B, activation))
    crit = np.asarray(critical_sw2(sb2, activation), dtype=np.float64) if activation == "tanh" else np.full(n, (
        2.0 if activation == "relu" else 1.0))
    for a in (sw2, sb2, log_chi, crit):
        a.flags.writeable = False
    return sw2, sb2, log_chi, crit


@checked
def plot_phase_diagram(ax, activation="tanh", points=None, colorbar_fig=None):
    """chi_1 over the (sigma_w^2, sigma_b^2) plane: the critical line chi_1 = 1 (solid), ordered phase to its
    left, chaos to its right; `points` {label: (sw2, sb2)} are marked with distinct markers and named."""
    if points is not None and (not isinstance(points, dict) or not all(
            np.shape(p) == (2,) and all(isinstance(v, (int, float, np.number)) and np.isfinite(v) for v in p)
            for p in points.values())):
        raise TypeError(f"points must be a dict {{label: (sw2, sb2)}} of finite numbers, got {points!r}")
    sw2, sb2, log_chi, crit = phase_background(activation)
    im = ax.imshow(log_chi, origin="lower", aspect="auto", cmap="PuOr_r", vmin=-1.2, vmax=1.2,
                   extent=(sw2[0], sw2[-1], sb2[0], sb2[-1]))
    ax.plot(crit, sb2, "k-", lw=2)
    ax.text(0.04, 0.94, "ordered\n(gradients vanish)", transform=ax.transAxes, va="top", fontsize="small")
    ax.text(0.96, 0.94, "chaotic\n(gradients explode)", transform=ax.transAxes, va="top", ha="right",
            fontsize="small")
    markers = "os^Dvp*h"
    for k, (label, (x, y)) in enumerate((points or {}).items()):
        ax.plot(x, y, markers[k % len(markers)], color="w", mec="k", ms=8, clip_on=False)
        ax.annotate(label, (x, y), xytext=(5, 5), textcoords="offset points", fontsize="small",
                    bbox=dict(boxstyle="round,pad=0.15", fc="w", ec="none", alpha=0.8))
    ax.set(xlim=SW2_RANGE, ylim=SB2_RANGE, xlabel=r"$\sigma_w^2$", ylabel=r"$\sigma_b^2$",
           title=r"phase diagram of " + activation + r" nets: $\chi_1 = 1$ (black line)")
    if colorbar_fig is not None:
        colorbar_fig.colorbar(im, ax=ax, label=r"$\ln \chi_1$ (per-layer log change of $|$grad$|^2$)")
    return ax


@checked
def plot_theory_vs_sim(axes, prop, label=""):
    """Three panels: q^l, c^l (simulated markers, theory dashed) and the gradient ratio per layer against chi_1."""
    ax_q, ax_c, ax_g = axes
    prop = _check_result("prop", prop, Propagation)
    layers = np.arange(1, len(prop.q) + 1)
    ax_q.plot(layers, prop.q, "o", ms=4, mfc="none", label="simulated net")
    ax_q.plot(layers, prop.q_theory, "k--", label="mean-field theory")
    ax_q.set(xlabel="layer l", ylabel=r"$q^l$ = mean $z^2$", title=f"length {label}")
    ax_c.plot(layers, prop.c, "s", ms=4, mfc="none", label="simulated net")
    ax_c.plot(layers, prop.c_theory, "k--", label="mean-field theory")
    ax_c.set(xlabel="layer l", ylabel=r"$c^l$", ylim=(-0.25, 1.05), title=f"correlation {label}")
    ax_g.plot(layers[:-1], prop.grad_ratio, "^", ms=4, mfc="none", label=r"$|\delta^l|^2 / |\delta^{l+1}|^2$")
    ax_g.axhline(prop.chi_1, color="k", ls="--", label=rf"$\chi_1$ = {prop.chi_1:.3f}")
    ax_g.set(xlabel="layer l", ylabel="ratio of squared gradient norms", title=f"gradient ratio {label}")
    for ax in axes:
        ax.legend(fontsize="small", loc="best")
    return axes


STYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1))]


@checked
def plot_spectra(ax, spectra: dict, edges, depth_index: int = -1):
    """Histograms (ax.stairs) of Jacobian singular values, one per setting {label: Spectrum}, distinct line styles."""
    spectra = _check_spectra(spectra)
    edges = check_array("edges", edges, ndim=1)
    if len(edges) < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError(f"edges must be at least 2 increasing bin edges, got {edges!r}")
    if isinstance(depth_index, bool) or not isinstance(depth_index, (int, np.integer)) or not all(
            -len(sp.values) <= depth_index < len(sp.values) for sp in spectra.values()):
        raise ValueError(f"depth_index must be an integer index into each spectrum's depths, got {depth_index!r}")
    for k, (label, sp) in enumerate(spectra.items()):
        values = sp.values[depth_index]
        counts, _ = np.histogram(values[np.isfinite(values)], bins=edges)
        ax.stairs(counts / max(len(values), 1), edges, ls=STYLES[k % len(STYLES)], lw=1.8,
                  label=f"{label}: max {np.nanmax(values):.2f}")
    ax.set(xscale="log", xlabel="singular value of J", ylabel="fraction of singular values")
    ax.legend(fontsize="small")
    return ax


@checked
def plot_spread_by_depth(ax, spectra: dict):
    """Largest singular value of J against depth, one line per setting (log-log), distinct styles and markers."""
    spectra = _check_spectra(spectra)
    for k, (label, sp) in enumerate(spectra.items()):
        ax.plot(sp.depths, sp.s_max, ls=STYLES[k % len(STYLES)], marker="os^Dv"[k % 5], label=label)
    ax.set(xscale="log", yscale="log", xlabel="depth L", ylabel=r"largest singular value of $J$")
    ax.legend(fontsize="small")
    return ax


@checked
def plot_trainability(ax, grid, threshold, k=6.0, colorbar_fig=None):
    """Test accuracy per (sigma_w^2, depth) as a heat map; k xi_c (theory) as a curve; cells counted as trained
    (accuracy >= threshold) carry a dot, others a cross, so the map reads without colour."""
    grid = _check_result("grid", grid, TrainabilityGrid)
    nx, ny = len(grid.sw2), len(grid.depths)
    im = ax.imshow(np.nan_to_num(grid.accuracy, nan=0.0), origin="lower", aspect="auto", cmap="viridis",
                   vmin=0, vmax=1, extent=(-0.5, nx - 0.5, -0.5, ny - 0.5))
    trained = grid.trained(threshold)
    for i in range(ny):
        for j in range(nx):
            acc = grid.accuracy[i, j]
            ax.text(j, i, ("diverged" if np.isnan(acc) else f"{acc:.2f}") + ("" if trained[i, j] else " x"),
                    ha="center", va="center", fontsize="small", color="w" if not acc > 0.6 else "k")
    fine = np.linspace(grid.sw2.min(), grid.sw2.max(), 60)
    xi = np.array([mean_field(s, grid.sb2).xi_c for s in fine])
    # the axes are in cell indices: map sw2 and depth onto them by interpolation (log2 in depth)
    x = np.interp(fine, grid.sw2, np.arange(nx))
    y = np.interp(np.log2(np.minimum(k * xi, 1e6)), np.log2(grid.depths), np.arange(ny), left=-1, right=ny)
    ax.plot(x, y, "w-", lw=3)
    ax.plot(x, y, "k--", lw=1.5, label=f"depth = {k:g} $\\xi_c$ (theory)")
    ax.set(xticks=range(nx), xticklabels=[f"{s:g}" for s in grid.sw2], yticks=range(ny),
           yticklabels=[str(d) for d in grid.depths], ylim=(-0.5, ny - 0.5), xlabel=r"$\sigma_w^2$",
           ylabel="depth (hidden layers)",
           title=f"test accuracy after {grid.steps} SGD steps ($\\sigma_b^2$ = {grid.sb2:g}); x: below {threshold:g}")
    ax.legend(loc="lower center", fontsize="small")
    if colorbar_fig is not None:
        colorbar_fig.colorbar(im, ax=ax, label="test accuracy")
    return ax


@checked
def plot_depth_race(ax, race):
    """Steps to reach the target loss against depth, one line per init (distinct markers and styles)."""
    race = _check_result("race", race, DepthRace)
    for k, (label, hits) in enumerate(race.steps_to.items()):
        ax.plot(race.depths, hits, ls=STYLES[k], marker="os"[k % 2], ms=7, label=f"{label} init")
    ax.set(xscale="log", xticks=race.depths, xticklabels=[str(d) for d in race.depths], xlabel="depth L (layers)",
           ylabel=f"steps to loss {race.target:g}", ylim=(0, None),
           title=r"deep linear nets, learning rate $\eta / L$")
    ax.legend(fontsize="small")
    return ax
