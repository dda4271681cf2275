"""Explorer of notebook 04 (dying ReLUs): train the spiral MLP on every change and show its dead units.

The experiment's compute lives in experiments.py and its static figures in figures.py.
"""
from __future__ import annotations

import functools

import numpy as np

from ..ui import explorer as hw
from ..ui.plotting import LINESTYLES, panel_grid
from ..core.activations import get_activation
from .boundary import decision_grid, plot_decision_boundary
from .experiments import CHANCE_LOSS, DYING_SIZES, spiral_split
from ..core.network import init_mlp
from ..core.training import evaluate, train

__all__ = ["dying_relu_explorer"]

_ACTIVATIONS = {"ReLU": "relu", "leaky ReLU": "leaky_relu", "ELU": "elu", "SELU": "selu"}


@functools.lru_cache(maxsize=1)
def _explorer_data():
    return spiral_split(np.random.default_rng(0), n=400)


def _compute(lr, activation, alpha, bias, steps, seed):
    X, y, X_test, y_test = _explorer_data()
    act = get_activation(activation, alpha if activation in ("leaky_relu", "elu") else None)
    params = init_mlp(list(DYING_SIZES), "he_normal", np.random.default_rng(seed), bias=bias)
    trained, h = train(params, X, y, act, lr=lr, steps=steps)
    grid = decision_grid(trained, X, act, resolution=60, margin=0.3)
    test_acc = evaluate(trained, X_test, y_test, act)[1]
    return dict(h=h, grid=grid, X=X, y=y, test_acc=test_acc, label=act.label, lr=lr, bias=bias, seed=seed)


def _draw(fig, r, compact=False):
    h = r["h"]
    ncols, ratios = (2, [1, 1.2]) if compact else (3, [1, 1.2, 1])
    grid = panel_grid(fig, 1, ncols, width_ratios=ratios, left=1.9, right=1.9, bottom=4.5, top=3.6, wgap=7.5)
    ax1, ax2, ax3 = [fig.add_subplot(grid[i]) for i in range(ncols)] + [None] * (3 - ncols)
    plot_decision_boundary(ax1, r["grid"], r["X"], r["y"])
    acc = f"{r['test_acc']:.2f}" if np.isfinite(r["test_acc"]) else "diverged"  # a diverged net's is NaN
    ax1.set_title(f"decision boundary (test accuracy {acc})")
    ax1.set(xlabel=None, ylabel=None, xticks=[], yticks=[])
    steps = np.arange(len(h.loss))
    for l in range(h.dead.shape[1]):
        ax2.plot(steps, h.dead[:, l], ls=LINESTYLES[l % 4], label=f"layer {l + 1}")
    ax2.set(ylim=(-0.03, 1.03), xlabel="step", ylabel="fraction of units dead",
            title=f"{r['label']}, lr {r['lr']:.3g}, initial bias {r['bias']:+.2f}, seed {r['seed']}")
    ax2.legend(loc="upper right", frameon=False)
    if ax3 is not None:
        with np.errstate(all="ignore"):
            loss = np.where(np.isfinite(h.loss), h.loss, np.nan)
        ax3.plot(steps, loss, color="k")
        ax3.axhline(CHANCE_LOSS, color="0.6", ls=":", lw=1)
        ax3.annotate("50/50 guess", (len(steps) - 1, CHANCE_LOSS), color="0.4", va="bottom", ha="right")
        ax3.set(ylim=(0, 1.2), xlabel="step", ylabel="training loss", title="training loss")
    if h.diverged:
        ax2.annotate(f"diverged at step {h.diverged_at}", (0.5, 0.5), xycoords="axes fraction",
                     ha="center", color="C3", fontsize=12)
    finite = np.isfinite(h.dead).all(axis=1)
    dead = h.dead[finite][-1] if finite.any() else []
    per_layer = ", ".join(f"{d:.0%}" for d in dead)
    return (f"dead units per layer at the end: <b>{per_layer or '-'}</b>; final training loss "
            f"<b>{'diverged' if h.diverged else f'{h.final_loss:.3g}'}</b>; "
            f"test accuracy <b>{acc}</b>")


def dying_relu_explorer(large=False, figsize=(13, 4.2)):
    """Train the notebook's spiral MLP on every change: dead units per layer, loss and decision boundary.

    The net is the notebook's [2, 32, 32, 32, 2] (He normal) on 200 training spiral points, full batch. A figure narrower than 10 inches (side_by_side) leaves out the loss panel.
    """
    controls = {
        "lr": hw.log_slider("learning rate", 1.0, 0.01, 3.0),
        "activation": hw.dropdown("activation", list(_ACTIVATIONS.items()), "relu"),
        "alpha": hw.float_slider("alpha (leaky, ELU)", 0.01, 0.0, 1.0, step=0.01),
        "bias": hw.float_slider("initial bias", 0.0, -0.5, 0.5, step=0.05),
        "steps": hw.slider("steps", 80, 20, 600, step=20),
        "seed": hw.slider("seed (initial weights)", 0, 0, 9),
    }
    base = {name: w.value for name, w in controls.items()}
    presets = {name: {**base, **values} for name, values in {
        "ReLU, small lr": {"lr": 0.1},
        "ReLU, large lr": {"lr": 1.0},
        "leaky 0.01": {"activation": "leaky_relu", "alpha": 0.01},
        "leaky 0.2": {"activation": "leaky_relu", "alpha": 0.2},
        "ELU, lr 0.3": {"activation": "elu", "alpha": 1.0, "lr": 0.3},
        "negative bias": {"lr": 0.1, "bias": -0.3},
    }.items()}
    draw = functools.partial(_draw, compact=figsize[0] < 10)
    return hw.Explorer(controls, _compute, draw, presets=presets, large=large, figsize=figsize,
                       title="Dying ReLUs: full-batch gradient descent on the spirals",
                       enabled={"alpha": lambda v: v["activation"] in ("leaky_relu", "elu")})


# the slowest settings: most steps, an activation with an exp, a rate small enough never to diverge
BENCH = {"dying_relu_explorer": {"lr": 0.01, "activation": "selu", "alpha": 1.0, "bias": 0.5, "steps": 600,
                                 "seed": 9}}
