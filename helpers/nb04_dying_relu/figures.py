"""Figures of notebook 04 (dying ReLUs): unit activity, dead-unit rasters, first-layer lines, seed spreads."""
from __future__ import annotations

import matplotlib as mpl
import numpy as np

from ..core.checks import check_array, check_choice, check_labels, check_size
from ..core.network import check_params
from ..ui.plotting import LINESTYLES, VERMILLION, styled
from .experiments import DeadTrace, SeedRuns


@styled
def plot_unit_activity(ax, active, title=""):
    """A (units, examples) activity array as an image: white where z > 0, dark grey where not, and
    vermillion rows for dead units (off for every example). Units are sorted by how often they are active."""
    active = check_array("active", active) != 0
    order = np.argsort(-active.mean(axis=1), kind="stable")
    active = active[order]
    dead = ~active.any(axis=1)
    rgb = np.where(active[..., None], 1.0, 0.25) * np.ones(3)
    rgb[dead] = mpl.colors.to_rgb(VERMILLION)
    ax.imshow(rgb, aspect="auto", interpolation="nearest")
    n_dead = int(dead.sum())
    ax.set(title=f"{title}: {n_dead} of {len(active)} dead" if title else f"{n_dead} dead",
           xlabel="training example", ylabel="unit (sorted)")
    return ax


@styled
def plot_dead_raster(ax, trace: DeadTrace, layer: int, every: int = 1):
    """Unit x step picture of one hidden layer: dark where the unit is dead (layer counts from 1)."""
    if not isinstance(trace, DeadTrace):
        raise TypeError(f"trace must be a DeadTrace (as trace_dead_units returns), got {type(trace).__name__}")
    layer, every = check_size("layer", layer), check_size("every", every)
    if layer > trace.dead.shape[1]:
        raise ValueError(f"layer must be 1..{trace.dead.shape[1]} (hidden layers of the trace), got {layer}")
    d = trace.dead[::every, layer - 1, :].T.astype(int)
    order = np.lexsort((np.arange(len(d)), -d[:, -1], -d.sum(axis=1)))  # most often dead first
    ax.imshow(d[order], aspect="auto", cmap="Greys", vmin=0, vmax=1, interpolation="nearest",
              extent=(0, trace.dead.shape[0] - 1, len(d), 0))
    ax.set(xlabel="step", ylabel="unit", title=f"layer {layer}: {int(trace.revivals()[layer - 1])} revivals")
    return ax


@styled
def plot_first_layer_lines(ax, params, X, y, dead):
    """The data and, for each unit j of hidden layer 1, its line w_j . x + b_j = 0 (2-D inputs only).

    A dead unit (dead[j] True, vermillion, thick) has every example on the negative side of its line: the shading
    marks the half-plane where it would be active, and no data lies there.
    """
    check_params(params)
    W, b = params[0]
    if W.shape[0] != 2:
        raise ValueError(f"params must be a net with 2 inputs (lines in the plane), got W of shape {W.shape}")
    X = check_array("X", X, width=2)
    y = check_labels("y", y, len(X))
    dead = check_array("dead", dead, ndim=1) != 0
    if len(dead) != W.shape[1]:
        raise ValueError(f"dead must have one flag per unit of layer 1 ({W.shape[1]}), got {len(dead)}")
    lo, hi = X.min(axis=0) - 0.6, X.max(axis=0) + 0.6
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", s=10, edgecolors="none", vmin=0, vmax=1, zorder=3)
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200))
    for j in np.argsort(dead, kind="stable"):  # dead units drawn last, on top
        w1, w2 = W[:, j]
        if dead[j]:
            ax.contourf(g1, g2, w1 * g1 + w2 * g2 + b[j], levels=[0, np.inf], colors=[VERMILLION], alpha=0.08)
        ax.contour(g1, g2, w1 * g1 + w2 * g2 + b[j], levels=[0], colors=[VERMILLION if dead[j] else "0.55"],
                   linewidths=2.2 if dead[j] else 0.8)
    ax.set(xlim=(lo[0], hi[0]), ylim=(lo[1], hi[1]), xlabel="$x_1$", ylabel="$x_2$", aspect="equal",
           title=f"layer 1: {int(np.sum(dead))} of {len(dead)} units dead (thick lines)")
    return ax


@styled
def plot_seed_spread(ax, runs, key="loss", log=True, colors=None):
    """Median over seeds (line) and min-max band of a per-step quantity, one colour per SeedRuns."""
    check_choice("key", key, ("loss", "dead"))
    if isinstance(runs, SeedRuns) or not isinstance(runs, (list, tuple)) or not all(
            isinstance(r, SeedRuns) for r in runs):
        raise TypeError(f"runs must be a list of SeedRuns (as run_seeds returns), got {runs!r:.80}")
    for i, r in enumerate(runs):
        v = getattr(r, key)
        v = v.mean(axis=2) if v.ndim == 3 else v
        with np.errstate(all="ignore"):
            v = np.where(np.isfinite(v) & (np.abs(v) < 1e6), v, np.nan)
            ok = np.isfinite(v).any(axis=0)
            lo, mid, hi = (np.full(v.shape[1], np.nan) for _ in range(3))
            lo[ok], mid[ok], hi[ok] = np.nanmin(v[:, ok], 0), np.nanmedian(v[:, ok], 0), np.nanmax(v[:, ok], 0)
        steps = np.arange(v.shape[1])
        n_bad = int(r.failed.sum())
        line, = ax.plot(steps, mid, color=None if colors is None else colors[i], ls=LINESTYLES[i % 4],
                        label=r.label + (f"  ({n_bad} of {len(r.seeds)} failed)" if n_bad else ""))
        ax.fill_between(steps, lo, hi, color=line.get_color(), alpha=0.18, lw=0)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    return ax
