"""Explorer of notebook 05: a deep net at initialization and in training, with or without batch
normalization and gradient clipping.

`normalization_run(...)` (training_run.py) does the maths (pure, seeded);
`normalization_explorer()` wires sliders to it.
"""
from __future__ import annotations

import numpy as np

from ..core.stats import fmt
from ..ui.explorer import Explorer, dropdown, log_slider, slider
from ..ui.plotting import log_axis, log_limits, panel_grid, plot_curves, plot_per_layer
from .training_run import NormalizationRun, normalization_run

__all__ = ["normalization_explorer"]

INITS = {"N(0, 1)": "standard_normal", "N(0, 0.05²) (too small)": 0.05, "Glorot normal": "glorot_normal",
         "He normal": "he_normal", "LeCun normal": "lecun_normal"}
CLIPPING = {"by global norm": "norm", "by value": "value", "none": "none"}


def _log_axis(ax, *arrays):
    """A log y-axis over whole decades that holds every finite positive value (at least one decade)."""
    log_axis(ax, log_limits(*arrays, decades=0, margin=0, whole=True))


def _draw(fig, run: NormalizationRun):
    grid = panel_grid(fig, 2, 2, left=6.3, right=1.6, bottom=4.1, top=2.8, wgap=7.1, hgap=6.8)
    (ax1, ax2), (ax3, ax4) = grid.subplots()
    s, h = run.stats, run.history
    plot_per_layer(ax1, s.a_std[:-1], color="C0")  # hidden layers: the last one is the linear output
    ax1.axhline(1, color="0.6", lw=0.8, ls="--")
    _log_axis(ax1, s.a_std[:-1], [0.1, 10])
    ax1.set(title="forward, at initialization", ylabel="std of activations a_l", xlabel="hidden layer")
    plot_per_layer(ax2, s.grad_norm, color="C3")
    _log_axis(ax2, s.grad_norm)
    ax2.set(title="backward, at initialization", ylabel="gradient norm ||dW_l||")
    steps = np.arange(len(h.loss))
    plot_curves(ax3, {"training loss": h.loss})
    ax3.axhline(np.log(2), color="0.6", lw=0.8, ls="--", label="chance (log 2)")
    _log_axis(ax3, h.loss, [np.log(2)])
    ax3.set(title=f"training: {len(steps)} steps of mini-batch SGD, lr {run.lr:.3g}", ylabel="cross-entropy loss",
            xlim=(-1, len(steps)))
    ax3.legend(loc="upper right")
    ok = np.isfinite(run.norm_before) & (run.norm_before > 0)
    marker = "o" if ok.sum() < 3 else None  # a run that diverged at once leaves a point or two
    ax4.plot(steps[ok], run.norm_before[ok], color="0.55", marker=marker, label="before clipping")
    if run.clip != "none":
        ax4.plot(steps[ok], run.norm_after[ok], color="C2", ls="--", marker=marker, label="after clipping")
    if run.clip == "norm":
        ax4.axhline(run.threshold, color="C2", lw=0.8, ls=":", label="threshold")
    _log_axis(ax4, run.norm_before[ok], run.norm_after[ok], [run.threshold] if run.clip == "norm" else [])
    clip = "no clipping" if run.clip == "none" else f"clipped by {run.clip} at {run.threshold:.3g}"
    ax4.set(title=f"gradient norm per step ({clip})", xlabel="step", ylabel="||dW|| over all layers",
            xlim=(-1, len(steps)))
    ax4.legend(loc="upper right")
    if h.diverged:
        for ax in (ax3, ax4):
            ax.text(0.5, 0.5, f"diverged at step {h.diverged_at}", transform=ax.transAxes, ha="center",
                    color="C3", fontsize="x-large")
    depth = s.depth
    out = (f"diverged at step {h.diverged_at}" if h.diverged else
           f"final loss {fmt(np.nanmean(h.loss[-10:]), 2)}, accuracy {100 * np.nanmean(h.accuracy[-10:]):.0f}%")
    clipped = int(np.sum(run.norm_after[ok] < run.norm_before[ok] * (1 - 1e-9))) if run.clip != "none" else 0
    return (f"<b>{depth} layers.</b> At initialization: std of the last hidden layer's activations "
            f"{fmt(s.a_std[-2] if depth > 1 else s.a_std[-1])}; ||dW_1|| / ||dW_{depth}|| = "
            f"{fmt(s.grad_norm[0] / s.grad_norm[-1])}.<br>Training: {out}; clipping changed "
            f"{clipped} of {int(ok.sum())} steps.")


def normalization_explorer(depth=10, init="he_normal", activation="relu", batch_norm=False, clip="norm",
                           threshold=1.0, lr=0.5):
    """Depth, initialization, activation, batch norm on/off, clipping and its threshold, learning rate."""
    controls = {
        "depth": slider("depth (weight layers)", depth, 2, 50),
        # options as (label, value) pairs: tests/widget_checks.py reads pairs, not dicts
        "init": dropdown("initialization", list(INITS.items()), init),
        "activation": dropdown("activation", ["relu", "tanh", "selu"], activation),
        "batch_norm": dropdown("batch norm", [("off", False), ("on", True)], batch_norm),
        "clip": dropdown("gradient clipping", list(CLIPPING.items()), clip),
        "threshold": log_slider("clip threshold", threshold, 0.01, 100),
        "lr": log_slider("learning rate", lr, 0.001, 10),
    }
    base = dict(depth=30, activation="relu", clip="none", threshold=1.0, lr=0.3)
    presets = {
        "N(0,1), plain": {**base, "init": "standard_normal", "batch_norm": False},
        "N(0,1) + BN": {**base, "init": "standard_normal", "batch_norm": True},
        "too small + BN": {**base, "init": 0.05, "batch_norm": True},
        "lr 0.5, no clip": dict(depth=10, init="he_normal", activation="relu", batch_norm=False, clip="none",
                                threshold=1.0, lr=0.5),
        "lr 0.5, clip norm 1": dict(depth=10, init="he_normal", activation="relu", batch_norm=False, clip="norm",
                                    threshold=1.0, lr=0.5),
        "SELU + LeCun": dict(depth=30, init="lecun_normal", activation="selu", batch_norm=False, clip="none",
                             threshold=1.0, lr=0.05),
    }
    return Explorer(controls, normalization_run, _draw, presets=presets, figsize=(11, 6.4),
                    title="A deep net with or without batch norm, trained with or without gradient clipping",
                    enabled={"threshold": lambda v: v["clip"] != "none"})


# the slowest settings the controls allow: deepest, batch norm, SELU, norm clipping, nothing diverging early
BENCH = {"normalization_explorer": {"depth": 50, "init": "he_normal", "activation": "selu", "batch_norm": True,
                                    "clip": "norm", "threshold": 100.0, "lr": 0.001}}
