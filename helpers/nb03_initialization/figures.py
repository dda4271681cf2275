"""The static figures of notebook 03, drawn from helpers.init_compare results on a figure or axis given."""
from __future__ import annotations

import numpy as np

from ..ui.plotting import LINESTYLES, factor, styled
from .experiments import TABLE_PAIRING, StdGrid

__all__ = ["plot_std_grid", "plot_race"]


VERDICT_COLORS = {"stable": "#dff3e3", "saturated": "#fbefd0", "vanishes": "#fde0dd", "explodes": "#fde0dd"}


@styled
def plot_std_grid(fig, grid: StdGrid, labels=None, band: float = 10.0, ylim=(1e-4, 1e4)):
    """One panel per (activation, scheme): per-layer std of hidden activations (solid) and gradients
    (dashed) on a shared log axis; background by verdict, thick frame on Table 11-1's pairings."""
    if not isinstance(grid, StdGrid):
        raise TypeError(f"grid must be a StdGrid (from std_grid), got {type(grid).__name__}")
    A, S = len(grid.activations), len(grid.schemes)
    axes = fig.subplots(A, S, sharex=True, sharey=True, squeeze=False)
    verdicts, (fwd, bwd) = grid.verdicts(band), grid.change()
    L = grid.a_std.shape[-1]
    for i, act in enumerate(grid.activations):
        for j, scheme in enumerate(grid.schemes):
            ax = axes[i, j]
            ax.set_facecolor(VERDICT_COLORS[verdicts[i, j]])
            with np.errstate(all="ignore"):  # beyond the axis (inf too) clipped just past it: the line leaves the
                # panel instead of overflowing matplotlib's log autoscale near the float limit
                a = np.clip(grid.a_std[i, j, :-1], ylim[0] * 1e-3, ylim[1] * 1e3)
                g = np.clip(grid.grad_std[i, j], ylim[0] * 1e-3, ylim[1] * 1e3)
                ax.plot(np.arange(1, L), a, color="C0", lw=2)
                ax.plot(np.arange(1, L + 1), g, color="C3", lw=2, ls="--")
            ax.axhline(1.0, color="0.6", lw=0.8, zorder=0)
            ax.set_yscale("log")
            ax.set_ylim(*ylim)
            ticks = 10.0 ** np.arange(np.ceil(np.log10(ylim[0])), np.log10(ylim[1]) + 1, 2)
            ax.set_yticks(ticks, [f"{t:g}" for t in ticks])  # plain labels: mathtext on 24 panels is slow
            ax.minorticks_off()
            text = f"{verdicts[i, j]}\nfwd {factor(fwd[i, j], 2)}\nbwd {factor(bwd[i, j], 2)}"
            if np.isfinite(grid.saturated[i, j]):
                text += f"\nsat. {100 * grid.saturated[i, j]:.0f}%"
            ax.text(0.03, 0.04, text, transform=ax.transAxes, fontsize=8.5, va="bottom")
            if TABLE_PAIRING.get(act) == _family(scheme):
                for side in ax.spines.values():
                    side.set_linewidth(3)
            if i == 0:
                ax.set_title((labels or {}).get(scheme, scheme))
            if j == 0:
                ax.set_ylabel(act, fontsize=11, fontweight="bold")
            if i == A - 1:
                ax.set_xlabel("layer")
    return axes


def _family(scheme: str) -> str:
    return {"glorot": "Glorot", "he": "He", "lecun": "LeCun"}.get(scheme.split("_")[0], "")


@styled
def plot_race(ax, race: dict, target=None, colors=None):
    """Loss curves of init_race: one thin line per seed, one colour and line style per init; x marks a diverged run."""
    if not isinstance(race, dict):
        raise TypeError(f"race must be a dict {{init label: [training histories]}}, got {type(race).__name__}")
    for k, (label, histories) in enumerate(race.items()):
        color = (colors or {}).get(label, f"C{k}")
        for s, h in enumerate(histories):
            loss = np.asarray(h.loss, dtype=np.float64)
            with np.errstate(all="ignore"):  # a loss past 1e100 has diverged: not drawn (log autoscale would overflow)
                loss = np.where(np.isfinite(loss) & (np.abs(loss) < 1e100), loss, np.nan)
            ok = np.flatnonzero(np.isfinite(loss))
            ax.plot(np.arange(len(loss)), loss, color=color, ls=LINESTYLES[k % 4], alpha=0.85, lw=1.6,
                    label=label if s == 0 else None)
            if h.diverged and ok.size:
                ax.plot(ok[-1], loss[ok[-1]], "x", color=color, ms=10, mew=2)
    if target is not None:
        ax.axhline(target, color="0.3", ls="--", lw=1)
    ax.set_yscale("log")
    ax.set_xlabel("step (full-batch gradient descent)")
    ax.set_ylabel("training loss (cross-entropy)")
    return ax
