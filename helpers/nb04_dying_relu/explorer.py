"""Explorer of notebook 04 (dying ReLUs): train the spiral MLP on every change and show its dead units.

The experiment's compute lives in experiments.py and its static figures in figures.py. For speed (issue 16) the
figure keeps its axes and artists (draw(kept, result)), and compute runs in stages cached apart: the initial
weights by seed and bias; each training run by (lr, activation, alpha, bias, seed), grown as the steps slider asks:
its records so far (loss and dead units per step) and its weights every CHUNK steps, so that fewer steps cost no
training and more steps continue from the weights kept nearest below. Training is train_stacked on one net, the
very numbers of hp.train without its per-step checks and unused records; full-batch descent has no randomness and
each step depends only on the weights before it, so every result is bit-identical to one hp.train run
(tests/nb04_dying_relu/test_explorer_stages.py pins it, runs that diverge included).
"""
from __future__ import annotations

import functools

import numpy as np

from ..ui import explorer as hw
from ..ui.plotting import LINESTYLES, panel_grid
from ..core.activations import get_activation
from .boundary import decision_grid
from .experiments import CHANCE_LOSS, DYING_SIZES, spiral_split, train_stacked
from ..core.network import init_mlp
from ..core.training import History, evaluate

__all__ = ["dying_relu_explorer"]

_ACTIVATIONS = {"ReLU": "relu", "leaky ReLU": "leaky_relu", "ELU": "elu", "SELU": "selu"}
CHUNK = 20  # a run keeps its weights every CHUNK steps: the steps slider's step


@functools.lru_cache(maxsize=1)
def _explorer_data():
    return spiral_split(np.random.default_rng(0), n=400)


@functools.lru_cache(maxsize=8)
def _activation(activation, alpha):
    return get_activation(activation, alpha)


@functools.lru_cache(maxsize=16)
def _initial(seed, bias):
    """The net's He-normal weights: they depend on the seed and the initial bias only."""
    return init_mlp(list(DYING_SIZES), "he_normal", np.random.default_rng(seed), bias=bias)


@functools.lru_cache(maxsize=8)
def _run(lr, activation, alpha, bias, seed):
    """One run as far as trained: weights {steps: weights after that many steps}, the loss and dead fractions of
    each step so far, and stop: the step whose loss was not finite (None while it has not diverged)."""
    return {"weights": {0: _initial(seed, bias)}, "loss": np.empty(0), "dead": np.empty((0, len(DYING_SIZES) - 2)),
            "stop": None}


def _trained(lr, activation, alpha, bias, seed, steps):
    """(weights, History) after `steps` full-batch steps, as one hp.train run gives them (accuracy, grad_norm and
    update_norm are not recorded: NaN, as record=False leaves them)."""
    run, act, (X, y) = _run(lr, activation, alpha, bias, seed), _activation(activation, alpha), _explorer_data()[:2]
    weights = run["weights"]
    while run["stop"] is None and len(run["loss"]) < steps:  # train on, a chunk at a time, keeping the weights
        k = len(run["loss"])
        end = min(steps, (k // CHUNK + 1) * CHUNK)
        (params,), loss, dead, diverged = train_stacked([weights[k]], X, y, act, lr=lr, steps=end - k)
        done = k + int(np.isfinite(loss[0]).sum())  # a diverged run stops before its first non-finite loss
        run["loss"], run["dead"] = np.concatenate([run["loss"], loss[0, :done - k]]), np.concatenate(
            [run["dead"], dead[0, :done - k]])
        weights[done], run["stop"] = params, done if diverged[0] else None
    stop = run["stop"] if run["stop"] is not None and run["stop"] < steps else None
    at = steps if stop is None else stop  # a diverged run keeps the weights it had before the bad step
    if at not in weights:  # between two kept weights (not a slider position): train on from the one below
        k = max(s for s in weights if s < at)
        weights[at] = train_stacked([weights[k]], X, y, act, lr=lr, steps=at - k)[0][0]
    shown = min(steps, len(run["loss"]))
    loss, dead = np.full(steps, np.nan), np.full((steps, run["dead"].shape[1]), np.nan)
    loss[:shown], dead[:shown] = run["loss"][:shown], run["dead"][:shown]
    nan = np.full((steps, len(DYING_SIZES) - 1), np.nan)
    return weights[at], History(loss, nan[:, 0], nan, nan, dead, diverged=stop is not None, diverged_at=stop)


def _compute(lr, activation, alpha, bias, steps, seed):
    X, y, X_test, y_test = _explorer_data()
    alpha = alpha if activation in ("leaky_relu", "elu") else None
    act = _activation(activation, alpha)
    trained, h = _trained(lr, activation, alpha, bias, seed, steps)
    grid = decision_grid(trained, X, act, resolution=60, margin=0.3)
    test_acc = evaluate(trained, X_test, y_test, act)[1]
    return dict(h=h, grid=grid, X=X, y=y, test_acc=test_acc, label=act.label, lr=lr, bias=bias, seed=seed)


def _axes(fig, ncols):
    ratios = [1, 1.2] if ncols == 2 else [1, 1.2, 1]
    grid = panel_grid(fig, 1, ncols, width_ratios=ratios, left=1.9, right=1.9, bottom=4.5, top=3.6, wgap=7.5)
    axes = [fig.add_subplot(grid[i]) for i in range(ncols)]
    axes[0].set(xticks=[], yticks=[])
    return axes


def _boundary(kept, ax, g, X, y, points=300):
    """boundary.plot_decision_boundary on kept artists: p(class 1) as an image, its 0.5 contour (made again:
    a contour cannot take new data), the points (the same every time) and 'diverged' if the grid overflowed."""
    p = g.proba[..., 1]
    kept.get("image", lambda: ax.imshow(p, origin="lower", extent=g.extent, cmap="RdBu", vmin=0, vmax=1, alpha=0.55,
                                        aspect="auto", interpolation="bilinear"),
             lambda a: (a.set_data(p), a.set_extent(g.extent)))
    old = kept.artists.pop("contour", None)
    if old is not None:
        old.remove()
    p1 = np.nan_to_num(p, nan=0.5)
    if p1.min() < 0.5 < p1.max():
        kept.get("contour", lambda: ax.contour(g.x1, g.x2, p1, levels=[0.5], colors="k", linewidths=1.2))
    kept.get("points", lambda: ax.scatter(X[:points, 0], X[:points, 1], s=12, edgecolors="k", linewidths=0.3,
                                          c=y[:points], cmap="RdBu", vmin=0, vmax=max(1, g.proba.shape[-1] - 1)))
    if g.diverged:
        kept.get("grid diverged", lambda: ax.text(0.5, 0.5, "diverged", transform=ax.transAxes, ha="center",
                                                  va="center", fontsize=14, color="C3"))
    ax.set(xlim=g.extent[:2], ylim=g.extent[2:])


def _draw(kept, r, compact=False):
    h = r["h"]
    ax1, ax2, *ax3 = kept.layout(compact, lambda fig: _axes(fig, 2 if compact else 3))
    _boundary(kept, ax1, r["grid"], r["X"], r["y"])
    acc = f"{r['test_acc']:.2f}" if np.isfinite(r["test_acc"]) else "diverged"  # a diverged net's is NaN
    ax1.set_title(f"decision boundary (test accuracy {acc})")
    steps = np.arange(len(h.loss))
    for l in range(h.dead.shape[1]):
        dead = h.dead[:, l]
        kept.get(("dead", l), lambda: ax2.plot(steps, dead, ls=LINESTYLES[l % 4], label=f"layer {l + 1}")[0],
                 lambda a: a.set_data(steps, dead))
    ax2.set(ylim=(-0.03, 1.03), xlabel="step", ylabel="fraction of units dead",
            title=f"{r['label']}, lr {r['lr']:.3g}, initial bias {r['bias']:+.2f}, seed {r['seed']}")
    kept.get("legend", lambda: ax2.legend(loc="upper right", frameon=False))
    if ax3:
        ax3 = ax3[0]
        with np.errstate(all="ignore"):
            loss = np.where(np.isfinite(h.loss), h.loss, np.nan)
        kept.get("loss", lambda: ax3.plot(steps, loss, color="k")[0], lambda a: a.set_data(steps, loss))
        kept.get("chance", lambda: ax3.axhline(CHANCE_LOSS, color="0.6", ls=":", lw=1))
        xy = (len(steps) - 1, CHANCE_LOSS)
        kept.get("guess", lambda: ax3.annotate("50/50 guess", xy, color="0.4", va="bottom", ha="right"),
                 lambda a: (setattr(a, "xy", xy), a.set_position(xy)))  # the text stands at xy: move both
        ax3.set(ylim=(0, 1.2), xlabel="step", ylabel="training loss", title="training loss")
    if h.diverged:
        text = f"diverged at step {h.diverged_at}"
        kept.get("diverged", lambda: ax2.annotate(text, (0.5, 0.5), xycoords="axes fraction", ha="center",
                                                  color="C3", fontsize=12), lambda a: a.set_text(text))
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
    return hw.Explorer(controls, _compute, draw, presets=presets, large=large, figsize=figsize, keep=True,
                       title="Dying ReLUs: full-batch gradient descent on the spirals",
                       enabled={"alpha": lambda v: v["activation"] in ("leaky_relu", "elu")})


# the slowest settings: most steps, an activation with an exp, a rate small enough never to diverge
BENCH = {"dying_relu_explorer": {"lr": 0.01, "activation": "selu", "alpha": 1.0, "bias": 0.5, "steps": 600,
                                 "seed": 9}}
