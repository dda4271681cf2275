"""Explorer of notebook 07: a deep net with or without skips, at initialization and in its first steps on
the digits.

Left: rms of the stream x_l per layer (forward, circles) and of dLoss/dx_l (backward, squares), both relative
to their first/top value, with the theory as dashed lines when it applies (He-initialized ReLU branches).
Right: the training loss of the same architecture over its first steps on scikit-learn's digits.
"""
from __future__ import annotations

import functools

import numpy as np

from ..core.checks import check_choice, check_size
from ..core.data import load_digits_split
from ..core.network import init_mlp
from ..core.stats import fmt
from ..core.training import train
from ..ui import explorer as hw
from .experiments import CHANCE_LOSS, residual_sizes, stream_sizes, stream_theory

__all__ = ["residual_explorer"]

STATS_WIDTH, STATS_BATCH = 64, 32  # the stream panel: 64 units, 32 standard-normal inputs
TRAIN_WIDTH, TRAIN_BATCH, TRAIN_STEPS, TRAIN_LR = 32, 32, 12, 0.1  # the digits panel: the first 12 steps
MAX_DEPTH = 50
ALPHAS = {"plain net (no skips)": "plain", "α = 0 (identity blocks)": "0", "α = 1/√L": "1/sqrt(L)",
          "α = 0.1": "0.1", "α = 0.5": "0.5", "α = 1": "1"}
NORMS = {"none": "none", "batch norm": "batch", "layer norm": "layer"}
ACTIVATIONS = {"ReLU": "relu", "leaky ReLU": "leaky_relu", "ELU": "elu", "tanh": "tanh", "logistic": "sigmoid"}
INITS = {"He normal": "he_normal", "Glorot normal": "glorot_normal", "LeCun normal": "lecun_normal",
         "N(0, 1)": "standard_normal"}


def alpha_value(choice: str, depth: int):
    """The skip's alpha for a dropdown choice (None for the plain net); '1/sqrt(L)' uses L = depth."""
    check_choice("residual scale", choice, ALPHAS.values())
    if choice == "1/sqrt(L)":
        check_size("depth", depth)
    return None if choice == "plain" else 1 / np.sqrt(depth) if choice == "1/sqrt(L)" else float(choice)


@functools.lru_cache(maxsize=1)
def _digits():
    return load_digits_split(np.random.default_rng(0))


@functools.lru_cache(maxsize=1)
def _stats_inputs():
    return np.random.default_rng(1).standard_normal((STATS_BATCH, STATS_WIDTH))


@functools.lru_cache(maxsize=32)  # every setting's result is a few small arrays: 32 of them stay small
def residual_compute(depth=30, alpha="1/sqrt(L)", norm="none", activation="relu", init="he_normal"):
    """Stream sizes at initialization and the first TRAIN_STEPS losses on the digits for `depth` blocks."""
    a = alpha_value(alpha, depth)
    nrm = None if norm == "none" else norm
    X = _stats_inputs()
    params = init_mlp(residual_sizes(STATS_WIDTH, STATS_WIDTH, depth, STATS_WIDTH), init,
                      np.random.default_rng(2), norm=nrm)
    fwd, bwd = stream_sizes(params, X, activation, rng=np.random.default_rng(3), norm=nrm, residual=a)
    with np.errstate(all="ignore"):
        fwd, bwd = fwd / fwd[0], bwd / bwd[-1]
    theory = None
    if a is not None and activation == "relu" and init == "he_normal" and nrm != "batch":
        q0 = float(np.mean((X @ params[0][0]) ** 2))
        theory = stream_theory(depth, a, nrm, q0)
    Xd, yd, _, _ = _digits()
    net = init_mlp(residual_sizes(Xd.shape[1], TRAIN_WIDTH, depth, 10), init, np.random.default_rng(4), norm=nrm)
    _, h = train(net, Xd, yd, activation, lr=TRAIN_LR, steps=TRAIN_STEPS, batch_size=TRAIN_BATCH,
                 rng=np.random.default_rng(5), record=False, norm=nrm, residual=a)
    return dict(depth=depth, alpha=a, norm=nrm, activation=activation, init=init, forward=fwd, backward=bwd,
                theory=theory, loss=h.loss, diverged=h.diverged)


def _per_layer(ax, values, marker, ls, label):
    layers = np.arange(len(values))
    ok = np.isfinite(values) & (values > 0)
    line, = ax.plot(layers[ok], values[ok], marker=marker, ls=ls, ms=3.5, label=label, color="C0" if marker == "o"
                    else "C3")
    if not ok.all():
        ax.annotate("diverged", (0.5, 0.5), xycoords="axes fraction", ha="center", color="#b00")
    return line


def _draw(fig, r):
    fig.set_layout_engine("none")
    ax_s, ax_t = fig.subplots(1, 2, gridspec_kw=dict(left=0.07, right=0.98, bottom=0.14, top=0.86, wspace=0.25))
    with np.errstate(all="ignore"):
        _per_layer(ax_s, r["forward"], "o", "-", "forward: rms(x_l) / rms(x_0)")
        _per_layer(ax_s, r["backward"], "s", "--", "backward: rms(dL/dx_l) / rms(dL/dx_top)")
        if r["theory"] is not None:
            t = r["theory"]
            ax_s.plot(np.arange(len(t)), t, ":", color="k", lw=1.2, label="theory, forward")
            ax_s.plot(np.arange(len(t)), t[-1] / t, "-.", color="0.4", lw=1.2, label="theory, backward")
        ax_s.set_yscale("log")
    ax_s.set(xlabel="layer l (0: the stem)", ylabel="size relative to the reference layer")
    alpha = "plain" if r["alpha"] is None else f"α = {r['alpha']:.3g}"
    ax_s.set_title(f"{r['depth']} blocks, {alpha}, norm {r['norm'] or 'none'}, {r['activation']}, {r['init']}",
                   fontsize="medium")
    ax_s.legend(loc="upper left", fontsize="small", frameon=False)
    ax_s.grid(True, alpha=0.3)
    loss = np.where(np.isfinite(r["loss"]), r["loss"], np.nan)
    ax_t.plot(np.arange(len(loss)), loss, "k-o", ms=4)
    ax_t.axhline(CHANCE_LOSS, color="0.5", ls=":", lw=1)
    ax_t.annotate("ln 10: a uniform guess", (0, CHANCE_LOSS), xytext=(2, 3), textcoords="offset points",
                  color="0.35", fontsize="small", va="bottom")
    if r["diverged"]:
        ax_t.annotate("diverged", (0.5, 0.5), xycoords="axes fraction", ha="center", color="#b00", fontsize=12)
    ax_t.set(xlabel="step", ylabel="training loss (batch of 32)",
             title=f"first {TRAIN_STEPS} steps on the digits (lr {TRAIN_LR})")
    return _readout(r, alpha)


def _readout(r, alpha):
    parts = [f"<b>{r['depth']} blocks, {alpha}</b>, normalization {r['norm'] or 'none'}, {r['activation']}, "
             f"{r['init']} (stream: {STATS_WIDTH} units)."]
    fwd, bwd = r["forward"][-1], r["backward"][0]
    parts.append(f"Forward: the signal at the top is {fmt(fwd)} times the stem's. Backward: the gradient at the "
                 f"stem is {fmt(bwd)} times the top's.")
    if r["theory"] is not None:
        parts.append(f"Theory (He-initialized ReLU branches): {fmt(r['theory'][-1])} both ways.")
    else:
        parts.append("No theory line: the formula assumes a residual net with He-initialized ReLU branches, "
                     "without batch norm (which couples the examples of a batch).")
    loss = r["loss"]
    if r["diverged"]:
        parts.append("Training on the digits <b>diverged</b>.")
    else:
        parts.append(f"Training loss on the digits: {fmt(loss[0])} at step 0, {fmt(loss[-1])} at step "
                     f"{len(loss) - 1} (ln 10 = {fmt(CHANCE_LOSS)} is a uniform guess).")
    return "<br>".join(parts)


def residual_explorer(large: bool = False):
    """Depth (blocks), residual scale alpha (plain, 0, 1/sqrt(L), 0.1, 0.5, 1), normalization, activation and
    initialization; presets for the notebook's cases."""
    controls = {
        "depth": hw.slider("depth L (blocks)", 30, 2, MAX_DEPTH),
        "alpha": hw.dropdown("residual scale α", list(ALPHAS.items()), "1/sqrt(L)"),
        "norm": hw.dropdown("normalization", list(NORMS.items()), "none"),
        "activation": hw.dropdown("activation", list(ACTIVATIONS.items()), "relu"),
        "init": hw.dropdown("initialization", list(INITS.items()), "he_normal"),
    }
    presets = {"α = 1 explodes": {"alpha": "1"}, "α = 1/√L": {"alpha": "1/sqrt(L)"},
               "plain net": {"alpha": "plain"}, "pre-layer-norm": {"alpha": "1", "norm": "layer"}}
    base = {k: w.value for k, w in controls.items()}
    presets = {name: {**base, **values} for name, values in presets.items()}
    return hw.Explorer(controls, residual_compute, _draw, presets=presets, large=large, figsize=(12, 4.4),
                       title="Residual connections: the stream at initialization and the first steps on the digits")


# the slowest settings: the deepest net, batch norm (the most work per layer), an activation with an exp
BENCH = {"residual_explorer": {"depth": MAX_DEPTH, "alpha": "1/sqrt(L)", "norm": "batch", "activation": "elu",
                               "init": "he_normal"}}
