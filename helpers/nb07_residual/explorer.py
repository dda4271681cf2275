"""Explorer of notebook 07: a deep net with or without skips, at initialization and in its first steps on
the digits.

Left: rms of the stream x_l per layer (forward, circles) and of dLoss/dx_l (backward, squares), both relative
to their first/top value, with the theory as dashed lines when it applies (He-initialized ReLU branches).
Right: the training loss of the same architecture over its first steps on scikit-learn's digits.
"""
from __future__ import annotations

import functools

import numpy as np
from matplotlib.ticker import MaxNLocator, NullLocator

from ..core.checks import check_choice, check_size
from ..core.data import load_digits_split
from ..core.network import init_mlp
from ..core.stats import fmt
from ..core.training import train
from ..ui import explorer as hw
from ..ui.plotting import log_axis, log_limits, panel_grid
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


def _frozen(params):
    for layer in params:
        for p in layer:
            p.flags.writeable = False
    return params


@functools.lru_cache(maxsize=8)  # the nets a depth, init or norm move needs; activation and alpha reuse them
def _nets(depth: int, init: str, norm):
    """The stream panel's net (seed 2) and the digits panel's net (seed 4), read-only (train copies its own)."""
    Xd = _digits()[0]
    return (_frozen(init_mlp(residual_sizes(STATS_WIDTH, STATS_WIDTH, depth, STATS_WIDTH), init,
                             np.random.default_rng(2), norm=norm)),
            _frozen(init_mlp(residual_sizes(Xd.shape[1], TRAIN_WIDTH, depth, 10), init, np.random.default_rng(4),
                             norm=norm)))


@functools.lru_cache(maxsize=32)
def _stream(depth: int, a, norm, activation: str, init: str):
    """rms of the stream and of its gradient per layer (relative), and the theory where it applies."""
    X, params = _stats_inputs(), _nets(depth, init, norm)[0]
    fwd, bwd = stream_sizes(params, X, activation, rng=np.random.default_rng(3), norm=norm, residual=a)
    with np.errstate(all="ignore"):
        fwd, bwd = fwd / fwd[0], bwd / bwd[-1]
    theory = None
    if a is not None and activation == "relu" and init == "he_normal" and norm != "batch":
        q0 = float(np.mean((X @ params[0][0]) ** 2))
        theory = stream_theory(depth, a, norm, q0)
    return fwd, bwd, theory


@functools.lru_cache(maxsize=32)
def _training(depth: int, a, norm, activation: str, init: str):
    """The first TRAIN_STEPS losses on the digits: (losses, diverged)."""
    Xd, yd, _, _ = _digits()
    _, h = train(_nets(depth, init, norm)[1], Xd, yd, activation, lr=TRAIN_LR, steps=TRAIN_STEPS,
                 batch_size=TRAIN_BATCH, rng=np.random.default_rng(5), record=False, norm=norm, residual=a)
    return h.loss, h.diverged


def residual_compute(depth=30, alpha="1/sqrt(L)", norm="none", activation="relu", init="he_normal"):
    """Stream sizes at initialization and the first TRAIN_STEPS losses on the digits for `depth` blocks.
    Each stage is cached by what it depends on (issue 16): alpha's choices that give the same number share."""
    a = alpha_value(alpha, depth)
    nrm = None if norm == "none" else check_choice("normalization", norm, NORMS.values())
    fwd, bwd, theory = (None if t is None else t.copy() for t in _stream(depth, a, nrm, activation, init))
    loss, diverged = _training(depth, a, nrm, activation, init)
    return dict(depth=depth, alpha=a, norm=nrm, activation=activation, init=init, forward=fwd, backward=bwd,
                theory=theory, loss=loss.copy(), diverged=diverged)


def _axes(fig):
    """The two panels, their fixed labels, lines and notes: made once per figure size (issue 16)."""
    grid = panel_grid(fig, 1, 2, left=5.6, right=1.2, bottom=3.6, top=2.4, wgap=6.4)
    ax_s, ax_t = grid.subplots()
    ax_s.set(xlabel="layer l (0: the stem)", ylabel="size relative to the reference layer")
    ax_s.grid(True, alpha=0.3)
    ax_t.axhline(CHANCE_LOSS, color="0.5", ls=":", lw=1)
    ax_t.annotate("ln 10: a uniform guess", (0, CHANCE_LOSS), xytext=(2, 3), textcoords="offset points",
                  color="0.35", fontsize="small", va="bottom")
    ax_t.set(xlabel="step", ylabel="training loss (batch of 32)", xlim=(-0.5, TRAIN_STEPS - 0.5))
    ax_t.set_title(f"first {TRAIN_STEPS} steps on the digits (lr {TRAIN_LR})", y=1.0)
    for axis in (ax_s.xaxis, ax_t.xaxis, ax_t.yaxis):  # few tick labels: laying out text is most of a redraw
        axis.set_major_locator(MaxNLocator(4, integer=axis is not ax_t.yaxis))
        axis.set_minor_locator(NullLocator())
    return ax_s, ax_t


def _per_layer(kept, key, ax, values, marker, ls, label):
    layers = np.arange(len(values))
    ok = np.isfinite(values) & (values > 0)
    x, y = layers[ok], values[ok]
    line = kept.get(key, lambda: ax.plot(x, y, marker=marker, ls=ls, ms=3.5, label=label,
                                         color="C0" if marker == "o" else "C3")[0], lambda a: a.set_data(x, y))
    if not ok.all():
        kept.get("diverged", lambda: ax.annotate("diverged", (0.5, 0.5), xycoords="axes fraction", ha="center",
                                                 color="#b00"))
    return line


def _draw(kept, r):
    ax_s, ax_t = kept.layout("two", _axes)
    with np.errstate(all="ignore"):
        lines = [_per_layer(kept, "forward", ax_s, r["forward"], "o", "-", "forward: rms(x_l) ÷ layer 0"),
                 _per_layer(kept, "backward", ax_s, r["backward"], "s", "--", "backward: rms(dL/dx_l) ÷ top")]
        t = r["theory"]
        if t is not None:  # dotted and dash-dotted, as the notebook's text says
            layers, back = np.arange(len(t)), t[-1] / t
            lines += [kept.get("theory", lambda: ax_s.plot(layers, t, ":", color="k", lw=1.2,
                                                           label="theory, forward")[0],
                               lambda a: a.set_data(layers, t)),
                      kept.get("theory back", lambda: ax_s.plot(layers, back, "-.", color="0.4", lw=1.2,
                                                                label="theory, backward")[0],
                               lambda a: a.set_data(layers, back))]
        ax_s.set_xlim(-0.5, r["depth"] + 0.5)
        shown = [r["forward"], r["backward"]] + ([] if t is None else [t, t[-1] / t])
        log_axis(ax_s, log_limits(*shown, decades=2), numticks=5)
    legend = ax_s.get_legend()
    if legend is None or len(legend.legend_handles) != len(lines):  # a new legend only when the lines shown change
        ax_s.legend(handles=lines, loc="upper left", fontsize="small", frameon=False)
    alpha = "plain" if r["alpha"] is None else f"α = {r['alpha']:.3g}"
    ax_s.set_title(f"{r['depth']} blocks, {alpha}, norm {r['norm'] or 'none'}, {r['activation']}, {r['init']}",
                   fontsize="medium", y=1.0)
    loss = np.where(np.isfinite(r["loss"]), r["loss"], np.nan)
    steps = np.arange(len(loss))
    kept.get("loss", lambda: ax_t.plot(steps, loss, "k-o", ms=4)[0], lambda a: a.set_data(steps, loss))
    if r["diverged"]:
        kept.get("loss diverged", lambda: ax_t.annotate("diverged", (0.5, 0.5), xycoords="axes fraction",
                                                        ha="center", color="#b00", fontsize=12))
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
    return hw.Explorer(controls, residual_compute, _draw, presets=presets, large=large, figsize=(12, 4.4), keep=True,
                       title="Residual connections: the stream at initialization and the first steps on the digits")


# the slowest settings: the deepest net, batch norm (the most work per layer), an activation with an exp
BENCH = {"residual_explorer": {"depth": MAX_DEPTH, "alpha": "1/sqrt(L)", "norm": "batch", "activation": "elu",
                               "init": "he_normal"}}
