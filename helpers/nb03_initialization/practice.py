"""Initialization in practice (notebook 03): symmetry (Claim C21), framework defaults and gains (C22),
and the loss at initialization (C24).

C21  With constant weights every unit of a layer computes the same z and receives the same gradient
     dW[:, j] = a_prev.T @ dz[:, j], so gradient descent keeps the units identical; all-zero tanh
     weights pass no gradient at all (tanh(0) = 0), and the loss stays at ln 2 on two balanced classes.
C22  PyTorch's nn.Linear draws W and b from U(-1/sqrt(fan_in), 1/sqrt(fan_in)): Var(W) = 1 / (3 fan_in),
     the "standard" init of Glorot & Bengio (scheme "standard_uniform"). calculate_gain(f) multiplies the std.
C24  A C-class softmax over near-equal logits gives loss ln C; large logits give a larger first loss.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.activations import get_activation
from ..core.checks import (check_array, check_choice, check_labels, check_memory, check_nonnegative, check_positive,
                           check_rng, check_size)
from ..core.initializers import fan, init_weights
from ..core.network import backward_pass, check_params, forward, init_mlp
from ..core.losses import softmax_cross_entropy
from ..core.training import train
from .experiments import KERAS_INITIALIZERS, TABLE_11_1, TABLE_PAIRING, std_profile


def _layer_sizes(sizes) -> list:
    """sizes as a list of at least two positive whole numbers (the net must fit in memory)."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or np.ndim(sizes) != 1 or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layer sizes [n_in, ..., n_out], got {sizes!r}")
    sizes = [check_size(f"layer size sizes[{i}]", n) for i, n in enumerate(sizes)]
    check_memory("a net of these sizes", sum(m * n for m, n in zip(sizes[:-1], sizes[1:])))
    return sizes


# --- C21: symmetry ------------------------------------------------------------------------------------------
def constant_mlp(sizes, value: float):
    """Parameters [(W, b)] of an MLP whose every weight is `value` and every bias 0."""
    sizes = _layer_sizes(sizes)
    value = check_nonnegative("value", value, low=-np.inf)
    return [(np.full((m, n), value), np.zeros(n)) for m, n in zip(sizes[:-1], sizes[1:])]


def unit_spread(params) -> float:
    """Largest difference between two units of the same hidden layer: max over hidden layers l and
    units j of |W_l[:, j] - W_l[:, 0]| and |b_l[j] - b_l[0]|. 0 means every layer is a copy of one unit."""
    check_params(params)
    spread = 0.0
    with np.errstate(all="ignore"):  # inf - inf after a blow-up is data (NaN), not a warning
        for W, b in params[:-1]:
            spread = max(spread, float(np.max(np.abs(W - W[:, :1]))), float(np.max(np.abs(b - b[0]))))
    return spread


@dataclass(frozen=True)
class SymmetryRun:
    """One training run for the symmetry experiment: spread of the hidden units before and after,
    the spread of the first gradient (dW of the hidden layers), and the loss per step."""

    label: str
    spread_before: float
    grad_spread: float
    spread_after: float
    loss: np.ndarray
    diverged: bool


def symmetry_run(X, y, sizes, init, activation="tanh", *, lr=0.5, steps=300, rng=None, label=None):
    """Train an MLP from `init` (a number: every weight equals it; or a scheme name, drawn with rng)."""
    if isinstance(init, str):
        params = init_mlp(sizes, init, check_rng(rng))
    else:
        params = constant_mlp(sizes, init)
    X = check_array("X", X, width=params[0][0].shape[0])
    y = check_labels("y", y, len(X), classes=params[-1][0].shape[1])
    with np.errstate(all="ignore"):  # a huge constant init overflows: blow-up is data
        out, cache = forward(params, X, activation)
        _, dout = softmax_cross_entropy(out, y)
        grads = backward_pass(params, cache, dout).grads
    trained, h = train(params, X, y, activation, lr=lr, steps=steps, record=False)
    return SymmetryRun(label or str(init), unit_spread(params), unit_spread(grads), unit_spread(trained),
                       h.loss, h.diverged)


# --- C22: framework defaults and gains ----------------------------------------------------------------------
def torch_gain(activation: str, negative_slope: float = 0.01) -> float:
    """torch.nn.init.calculate_gain: linear/sigmoid 1, tanh 5/3, relu sqrt(2),
    leaky_relu sqrt(2 / (1 + slope^2)), selu 3/4 (the values of PyTorch's table, computed here)."""
    check_choice("activation", activation, ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "selu"))
    slope = check_nonnegative("negative_slope", negative_slope)
    return {"linear": 1.0, "sigmoid": 1.0, "tanh": 5 / 3, "relu": np.sqrt(2.0),
            "leaky_relu": float(np.sqrt(2.0 / (1.0 + slope * slope))), "selu": 0.75}[activation]


def torch_linear_default(sizes, rng):
    """[(W, b)] as PyTorch's nn.Linear initializes them: W and b both from U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    (kaiming_uniform_ with a = sqrt(5)), so Var(W) = 1 / (3 fan_in), the scheme "standard_uniform"."""
    sizes, rng = _layer_sizes(sizes), check_rng(rng)
    params = []
    for m, n in zip(sizes[:-1], sizes[1:]):
        W = init_weights(m, n, "standard_uniform", rng)
        params.append((W, rng.uniform(-1 / np.sqrt(m), 1 / np.sqrt(m), size=n)))
    return params


def profile(params, activation, *, width: int, batch: int = 256, rng):
    """(a_std, grad_std, saturated share) per layer for standard-normal inputs and output gradients."""
    check_params(params)
    get_activation(activation)
    batch, rng = check_size("batch", batch), check_rng(rng)
    check_memory(f"a batch of {batch}", batch * (params[0][0].shape[0] + params[-1][0].shape[1]))
    X = rng.standard_normal((batch, params[0][0].shape[0]))
    dout = rng.standard_normal((batch, params[-1][0].shape[1]))
    return std_profile(params, X, activation, dout, saturation=True)


# How to ask each library for the Table 11-1 scheme: (PyTorch function, its nonlinearity argument).
# kaiming_* uses fan_in and std = gain / sqrt(fan_in); xavier_* uses fan_avg and std = gain / sqrt(fan_avg).
_TORCH_CALL = {"Glorot": ("xavier_uniform_", None), "He": ("kaiming_uniform_", "relu"),
               "LeCun": ("kaiming_normal_", "linear")}


@dataclass(frozen=True)
class CheatRow:
    """One line of the cheat sheet: activation -> Table 11-1 family -> Keras string -> PyTorch call, with the
    variance each gives a fan_in x fan_out layer (they should agree)."""

    activation: str
    family: str
    formula: str
    keras: str
    torch: str
    var_table: float
    var_keras: float
    var_torch: float


def cheat_sheet(activations, fan_in: int = 300, fan_out: int = 100):
    """CheatRow per activation, from TABLE_PAIRING, TABLE_11_1 and KERAS_INITIALIZERS (nothing typed twice)."""
    fan_in, fan_out = check_size("fan_in", fan_in), check_size("fan_out", fan_out)
    if isinstance(activations, (str, bytes)) or not hasattr(activations, "__iter__"):
        raise TypeError(f"activations must be a list of activation names, got {activations!r}")
    rows = []
    for act in activations:
        family = TABLE_PAIRING[check_choice("activation", act, TABLE_PAIRING)]
        scale, mode, _ = TABLE_11_1[family]
        keras = f"{family.lower()}_{'normal' if family == 'LeCun' else 'uniform'}"
        k_scale, k_mode, _ = KERAS_INITIALIZERS[keras]
        func, nonlin = _TORCH_CALL[family]
        if func.startswith("xavier"):
            torch, var_torch = f"nn.init.{func}(w)", 2.0 / (fan_in + fan_out)
        else:
            slope = 0.01 if act == "leaky_relu" else None
            nonlin = "leaky_relu" if slope else nonlin
            gain = torch_gain(nonlin, slope or 0.0)
            arg = f"a={slope}, " if slope else ""
            torch, var_torch = f"nn.init.{func}(w, {arg}nonlinearity='{nonlin}')", gain ** 2 / fan_in
        rows.append(CheatRow(act, family, f"{scale:g} / {mode}", keras, torch,
                             scale / fan(fan_in, fan_out, mode), k_scale / fan(fan_in, fan_out, k_mode), var_torch))
    return rows


# --- C24: the loss at initialization ------------------------------------------------------------------------
def initial_loss_run(X, y, sizes, last_scale: float = 1.0, *, prior_bias: bool = False, activation="relu",
                     lr: float = 0.1, steps: int = 200, rng):
    """Train a He-initialized MLP whose last layer's weights are multiplied by last_scale; with
    prior_bias=True the last biases start at log(class frequency) (softmax of them = the class prior).
    Returns (trained params, History) as train does (History.loss[0] is the loss at initialization)."""
    last_scale = check_positive("last_scale", last_scale)
    params = init_mlp(sizes, "he_normal", check_rng(rng))
    X = check_array("X", X, width=params[0][0].shape[0])
    y = check_labels("y", y, len(X), classes=params[-1][0].shape[1])
    W, b = params[-1]
    with np.errstate(all="ignore"):  # an absent class gives log 0 = -inf, a huge last_scale inf: both data
        if prior_bias:
            b = np.log(np.bincount(y, minlength=len(b)) / len(y))
        params[-1] = (last_scale * W, b)
    return train(params, X, y, activation, lr=lr, steps=steps, record=False)

