"""Notebook 07's static figures: each draws on axes it is given and returns them.

Lines differ by marker and line style and carry direct labels, so no comparison relies on colour.
"""
from __future__ import annotations

import numpy as np

from ..ui.plotting import checked
from .experiments import CHANCE_LOSS, BatchDependence, DigitRuns, Growth

MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "h")
STYLES = ("-", "--", "-.", ":")


def _check_items(name: str, items, kind: type, allow_empty: bool = False) -> list:
    """items as a list of `kind` results (as the experiments return them), else a TypeError naming `name`."""
    if isinstance(items, (str, bytes)) or not isinstance(items, (list, tuple)) or not all(
            isinstance(i, kind) for i in items):
        raise TypeError(f"{name} must be a list of {kind.__name__} results, got {type(items).__name__}")
    if not items and not allow_empty:
        raise ValueError(f"{name} must hold at least one {kind.__name__} result")
    return list(items)


def _label_end(ax, x, y, text, color, dy=0):
    ok = np.flatnonzero(np.isfinite(y) & (y > 0)) if ax.get_yscale() == "log" else np.flatnonzero(np.isfinite(y))
    if ok.size:
        ax.annotate(text, (x[ok[-1]], y[ok[-1]]), xytext=(4, dy), textcoords="offset points", va="center",
                    color=color, fontsize="small")


@checked
def plot_growth(ax_forward, ax_backward, growths):
    """Measured rms(x_l) / rms(x_0) (left) and rms(dL/dx_l) / rms(dL/dx_top) (right) per block, markers; the
    theory as a thin black dashed line; one marker shape per alpha, labelled at the line's end."""
    growths = _check_items("growths", growths, Growth)
    for k, g in enumerate(growths):
        layers = np.arange(g.blocks + 1)
        name = f"α = {g.alpha:.3g}"
        for ax, measured, theory in ((ax_forward, g.forward, g.theory_forward),
                                     (ax_backward, g.backward, g.theory_backward)):
            line, = ax.plot(layers, measured, MARKERS[k], ms=3.5, ls="none", color=f"C{k}")
            ax.plot(layers, theory, "--", color="k", lw=0.9)
            _label_end(ax, layers if ax is ax_forward else layers[::-1], measured if ax is ax_forward
                       else measured[::-1], name, line.get_color(), dy=(6, 9, -9)[k % 3])  # apart when close
    ax_forward.set(yscale="log", xlabel="block l", ylabel="rms(x_l) / rms(x_0)",
                   title="forward: the signal (markers), theory (dashed)")
    ax_backward.set(yscale="log", xlabel="block l", ylabel="rms(dL/dx_l) / rms(dL/dx_top)",
                    title="backward: the gradient (markers), theory (dashed)")
    for ax in (ax_forward, ax_backward):
        ax.grid(True, alpha=0.3)
    return ax_forward, ax_backward


@checked
def plot_loss_bands(ax, runs_list, log: bool = False):
    """Median training loss per step of each recipe (line style per recipe, labelled at its end), with the
    range over seeds shaded; a dotted line at ln 10, a uniform guess."""
    runs_list = _check_items("runs_list", runs_list, DigitRuns)
    for k, runs in enumerate(runs_list):
        steps = np.arange(runs.loss.shape[1])
        with np.errstate(all="ignore"):
            loss = np.where(np.isfinite(runs.loss), runs.loss, np.nan)
            med, lo, hi = (np.nanmedian(loss, axis=0), np.nanmin(loss, axis=0), np.nanmax(loss, axis=0))
        line, = ax.plot(steps, med, STYLES[k % len(STYLES)], color=f"C{k}", marker=MARKERS[k], markevery=25, ms=4)
        ax.fill_between(steps, lo, hi, color=line.get_color(), alpha=0.12, lw=0)
        _label_end(ax, steps, med, runs.label, line.get_color(), dy=9 * (k % 3) - 9)  # apart when lines meet
    ax.axhline(CHANCE_LOSS, color="0.5", ls=":", lw=1)
    ax.annotate("ln 10: a uniform guess", (0, CHANCE_LOSS), xytext=(2, 3), textcoords="offset points",
                color="0.35", fontsize="small", va="bottom")
    ax.set(xlabel="step", ylabel="training loss (median over seeds, range shaded)")
    if log:
        ax.set_yscale("log")
    return ax


@checked
def plot_accuracy_spread(ax, runs_list, chance: float = 0.1):
    """Test accuracy of every seed (one marker each), the mean as a bar '|', one row per recipe; diverged
    runs are written out, not drawn."""
    runs_list = _check_items("runs_list", runs_list, DigitRuns)
    for k, runs in enumerate(runs_list):
        ok = ~runs.diverged
        ax.plot(runs.test_accuracy[ok], np.full(ok.sum(), k), MARKERS[k], color=f"C{k}", ms=6, alpha=0.8)
        if ok.any():
            ax.plot([runs.test_accuracy[ok].mean()], [k], "|", color="k", ms=16, mew=2)
        if runs.diverged.any():
            ax.annotate(f"{int(runs.diverged.sum())} diverged", (1.0, k), xytext=(-4, 0), textcoords="offset points",
                        ha="right", va="center", fontsize="small", color="#b00")
    ax.axvline(chance, color="0.5", ls=":", lw=1)
    ax.set_yticks(range(len(runs_list)), [r.label for r in runs_list])
    ax.set(xlim=(0, 1.02), ylim=(len(runs_list) - 0.5, -0.5), xlabel="test accuracy (markers: seeds; |: mean)")
    ax.grid(True, axis="x", alpha=0.3)
    return ax


@checked
def plot_batch_dependence(ax_stat, ax_loss, deps):
    """Per batch size: the spread of the statistic each normalization subtracts (left, log scale; 0 drawn at the
    bottom) and the loss of the same examples (right), batch norm and layer norm with different markers."""
    deps = _check_items("deps", deps, BatchDependence)
    for k, d in enumerate(deps):
        label = f"{d.norm} norm"
        floor = np.where(d.stat_spread < 1e-12, 1e-18, d.stat_spread)  # rounding noise: one fixed floor, any machine
        ax_stat.plot(d.batch_sizes, floor, MARKERS[k] + STYLES[k], color=f"C{k}", label=label)
        ax_loss.plot(d.batch_sizes, d.loss, MARKERS[k] + STYLES[k], color=f"C{k}", label=label)
        if np.all(d.stat_spread < 1e-12):  # exactly 0 up to rounding: say so rather than show a tiny number
            ax_stat.annotate(f"{label}: 0 (below 1e-12)", (d.batch_sizes[min(1, len(d.batch_sizes) - 1)], 1e-18), xytext=(0, 8),
                             textcoords="offset points", ha="center", color=f"C{k}", fontsize="small")
    for ax in (ax_stat, ax_loss):
        ax.set_xscale("log", base=2)
        ax.set_xticks(deps[0].batch_sizes, [str(b) for b in deps[0].batch_sizes])
        ax.set_xlabel("batch size")
        ax.legend(frameon=False)
        ax.grid(True, alpha=0.3)
    ax_stat.set(yscale="log", ylabel="spread of the subtracted mean", title="the statistic depends on the batch?")
    ax_loss.set(ylabel="loss of the same examples", title="the loss depends on the batch?")
    return ax_stat, ax_loss
