"""Explorer of notebook 05: a deep net at initialization and in training, with or without batch
normalization and gradient clipping.

`normalization_run(...)` (training_run.py) does the maths (pure, seeded);
`normalization_explorer()` wires sliders to it.
"""
from __future__ import annotations

import functools

import numpy as np

from ..core.stats import fmt
from ..ui.explorer import Explorer, dropdown, log_slider, slider
from ..ui.kept import kept_per_layer
from ..ui.plotting import log_axis, log_limits, panel_grid
from .training_run import NormalizationRun, normalization_run

__all__ = ["normalization_explorer"]

SEED = 0  # every net of the explorer is drawn from this seed (weights from SEED + 1, batches from SEED + 2)
INITS = {"N(0, 1)": "standard_normal", "N(0, 0.05²) (too small)": 0.05, "Glorot normal": "glorot_normal",
         "He normal": "he_normal", "LeCun normal": "lecun_normal"}
CLIPPING = {"by global norm": "norm", "by value": "value", "none": "none"}


def _log_axis(ax, *arrays):
    """A log y-axis over whole decades that holds every finite positive value (at least one decade)."""
    log_axis(ax, log_limits(*arrays, decades=0, margin=0, whole=True))


def _axes(fig):
    grid = panel_grid(fig, 2, 2, left=6.3, right=1.6, bottom=4.1, top=2.8, wgap=7.1, hgap=6.8)
    return grid.subplots()


def _draw(kept, run: NormalizationRun):
    """Draw on the kept axes: each update gives the kept artists new data (issue 16)."""
    (ax1, ax2), (ax3, ax4) = kept.layout("one", _axes)
    s, h = run.stats, run.history
    kept_per_layer(kept, "a", ax1, s.a_std[:-1], color="C0")  # hidden layers: the last one is the linear output
    kept.get("one", lambda: ax1.axhline(1, color="0.6", lw=0.8, ls="--"))
    _log_axis(ax1, s.a_std[:-1], [0.1, 10])
    ax1.set(title="forward, at initialization", ylabel="std of activations a_l", xlabel="hidden layer")
    kept_per_layer(kept, "g", ax2, s.grad_norm, color="C3")
    _log_axis(ax2, s.grad_norm)
    ax2.set(title="backward, at initialization", ylabel="gradient norm ||dW_l||")
    steps = np.arange(len(h.loss))
    loss = np.asarray(h.loss, dtype=np.float64)
    line = kept.get("loss", lambda: ax3.plot(steps, loss, label="training loss")[0], lambda a: a.set_data(steps, loss))
    finite = np.flatnonzero(np.isfinite(loss))
    if finite.size < len(loss):  # as plot_curves marks a run that diverged after its last finite value
        xy = (finite[-1], loss[finite[-1]]) if finite.size else (0, 0.0)
        kept.get("x", lambda: ax3.plot(*xy, "x", color=line.get_color(), ms=10, zorder=2.5)[0],
                 lambda a: a.set_data([xy[0]], [xy[1]]))
        kept.get("x word", lambda: ax3.annotate(" diverged", xy, color=line.get_color()),
                 lambda a: (setattr(a, "xy", xy), a.set_position(xy)))  # the text stands at xy: move both
    chance = kept.get("chance", lambda: ax3.axhline(np.log(2), color="0.6", lw=0.8, ls="--", label="chance (log 2)"))
    _log_axis(ax3, h.loss, [np.log(2)])
    ax3.set(title=f"training: {len(steps)} steps of mini-batch SGD, lr {run.lr:.3g}", ylabel="cross-entropy loss",
            xlim=(-1, len(steps)), xlabel="step")
    kept.get("legend", lambda: ax3.legend(handles=[line, chance], loc="upper right"))
    ok = np.isfinite(run.norm_before) & (run.norm_before > 0)
    marker = "o" if ok.sum() < 3 else "None"  # a run that diverged at once leaves a point or two
    x, before, after = steps[ok], run.norm_before[ok], run.norm_after[ok]
    shown = [kept.get("before", lambda: ax4.plot(x, before, color="0.55", marker=marker, label="before clipping")[0],
                      lambda a: (a.set_data(x, before), a.set_marker(marker)))]
    if run.clip != "none":
        shown.append(kept.get("after", lambda: ax4.plot(x, after, color="C2", ls="--", marker=marker,
                                                        label="after clipping")[0],
                              lambda a: (a.set_data(x, after), a.set_marker(marker))))
    if run.clip == "norm":
        shown.append(kept.get("threshold", lambda: ax4.axhline(run.threshold, color="C2", lw=0.8, ls=":",
                                                               label="threshold"),
                              lambda a: a.set_ydata([run.threshold] * 2)))
    _log_axis(ax4, run.norm_before[ok], run.norm_after[ok], [run.threshold] if run.clip == "norm" else [])
    clip = "no clipping" if run.clip == "none" else f"clipped by {run.clip} at {run.threshold:.3g}"
    ax4.set(title=f"gradient norm per step ({clip})", xlabel="step", ylabel="||dW|| over all layers",
            xlim=(-1, len(steps)))
    ax4.legend(handles=shown, loc="upper right")
    if h.diverged:
        for k, ax in enumerate((ax3, ax4)):
            kept.get(("diverged", k), lambda: ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", color="C3",
                                                      fontsize="x-large")).set_text(f"diverged at step {h.diverged_at}")
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
    return Explorer(controls, functools.partial(normalization_run, seed=SEED), _draw, presets=presets, figsize=(11, 6.4), keep=True,
                    title="A deep net with or without batch norm, trained with or without gradient clipping",
                    enabled={"threshold": lambda v: v["clip"] != "none"})


# the slowest settings the controls allow: deepest, batch norm, SELU, norm clipping, nothing diverging early
BENCH = {"normalization_explorer": {"depth": 50, "init": "he_normal", "activation": "selu", "batch_norm": True,
                                    "clip": "norm", "threshold": 100.0, "lr": 0.001}}
