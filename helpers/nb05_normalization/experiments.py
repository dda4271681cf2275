"""Deep self-normalizing stacks (notebook 05): per-layer signal statistics of thousands of square layers."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.checks import check_array, check_labels, check_memory, check_positive, check_rng, check_size
from ..core.activations import Activation, get_activation
from ..core.losses import softmax_cross_entropy
from ..core.normalization import normalize
from ..core.network import backward, check_params, forward, init_mlp


@dataclass
class Signal:
    """Per-layer statistics of a deep stack, layer l = 1..depth: each unit's mean and std over the batch,
    averaged over units (as Geron prints them). A std near 1 means the examples still differ."""

    mean: np.ndarray
    std: np.ndarray


def deep_signal(X, depth, init="lecun_normal", activation="selu", rng=None, *, batch_norm=False) -> Signal:
    """Push X (batch, width) through `depth` square layers a_l = f(a_{l-1} @ W_l), keeping only statistics.

    Weights are drawn layer by layer from `rng` (so thousands of layers need no memory); `activation` is
    a name or a list of one name per layer; batch_norm=True normalizes each z (gamma 1, beta 0) first.
    """
    X = check_array("X", X)
    depth, rng = check_size("depth", depth), check_rng(rng)
    check_memory(f"the statistics of {depth} layers", 2 * depth)
    names = [activation] * depth if isinstance(activation, (str, Activation)) else list(activation)
    if len(names) != depth:
        raise ValueError(f"activation must be one name or a list of {depth} names, got {len(names)}")
    acts = [get_activation(name) for name in names]
    width, a = X.shape[1], X
    mean, std = np.empty(depth), np.empty(depth)
    one, zero = np.ones(width), np.zeros(width)
    with np.errstate(all="ignore"):
        for l in range(depth):
            z = a @ init_mlp([width, width], init, rng)[0][0]
            if batch_norm:
                z = normalize(z, one, zero, "batch", running=(zero, one))[0]
            a = acts[l].f(z)
            mean[l], std[l] = a.mean(axis=0).mean(), a.std(axis=0).mean()
    return Signal(mean, std)


@dataclass(frozen=True)
class ScaleCheck:
    """One training-mode forward and backward pass of a batch-normalized net on (X, y), per hidden layer
    l = 1..L-1 (the layers batch norm follows): `w_norm` ||W_l||, `grad_norm` ||dL/dW_l|| and `cosine`
    W_l . dW_l / (||W_l|| ||dW_l||). For each c in `scales` every hidden W_l is multiplied by c:
    `loss_change[i]` is |L(cW) - L(W)| and `grad_ratio[i]` is c ||dW_l(cW)|| / ||dW_l(W)|| per layer.
    Scale invariance predicts cosine 0, loss_change 0 and grad_ratio 1 (up to batch norm's eps)."""

    loss: float
    w_norm: np.ndarray
    grad_norm: np.ndarray
    cosine: np.ndarray
    scales: tuple
    loss_change: np.ndarray
    grad_ratio: np.ndarray


def _loss_and_grads(params, X, y, activation):
    out, cache = forward(params, X, activation, norm="batch")
    loss, dout = softmax_cross_entropy(out, y)
    return loss, [g[0] for g in backward(params, cache, dout)[0][:-1]]


def scale_check(params, X, y, activation="relu", scales=(2.0, 10.0)) -> ScaleCheck:
    """Measure batch norm's scale invariance on a net made by init_mlp(..., norm="batch") (see ScaleCheck)."""
    check_params(params, "batch")
    X = check_array("X", X, width=np.shape(params[0][0])[0])
    y = check_labels("y", y, len(X))
    scales = tuple(check_positive("scales", c) for c in np.atleast_1d(scales))
    with np.errstate(all="ignore"):  # a huge scale overflows: blow-up is data
        return _scale_check(params, X, y, activation, scales)


def _scale_check(params, X, y, activation, scales) -> ScaleCheck:
    loss, grads = _loss_and_grads(params, X, y, activation)
    weights = [layer[0] for layer in params[:-1]]
    w_norm = np.array([np.linalg.norm(W) for W in weights])
    grad_norm = np.array([np.linalg.norm(g) for g in grads])
    cosine = np.array([np.sum(W * g) for W, g in zip(weights, grads)]) / (w_norm * grad_norm)
    changes, ratios = [], []
    for c in scales:
        scaled = [(c * W, *rest) for W, *rest in params[:-1]] + [params[-1]]
        loss_c, grads_c = _loss_and_grads(scaled, X, y, activation)
        changes.append(abs(loss_c - loss))
        ratios.append(c * np.array([np.linalg.norm(g) for g in grads_c]) / grad_norm)
    return ScaleCheck(float(loss), w_norm, grad_norm, cosine, scales, np.array(changes), np.array(ratios))
