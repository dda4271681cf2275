"""A multilayer perceptron in numpy: forward and backward passes as pure functions.

A net is `params = [(W1, b1), ..., (WL, bL)]` with W_l of shape (n_{l-1}, n_l).
Forward, for l = 1..L:   z_l = a_{l-1} @ W_l + b_l,   a_l = f(z_l)   (a_0 = X; the last layer is linear).
Backward, from dout = dLoss/d(out):   dz_L = dout,
    dW_l = a_{l-1}.T @ dz_l,   db_l = sum over examples of dz_l,   da_{l-1} = dz_l @ W_l.T,
    dz_{l-1} = da_{l-1} * f'(z_{l-1})   -- one factor f' (and one W) per layer: the product that vanishes or explodes.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._memory import keep_freed_memory
from ._checks import check_array, check_choice, check_positive, check_rng, check_size
from .activations import Activation, get_activation
from .initializers import SCHEMES, init_weights

keep_freed_memory()  # see _memory.py: halves the cost of a forward pass on Linux


@dataclass
class Cache:
    """What the backward pass needs: the input, each layer's z and a, and the activation.

    zs[l] and acts[l] have shape (batch, n_{l+1}); acts[-1] is the output (= zs[-1]).
    """

    X: np.ndarray
    zs: list
    acts: list
    activation: Activation


@dataclass
class Backward:
    """Gradients of one backward pass: grads [(dW, db)], dX, and dzs[l] = dLoss/dz of layer l+1."""

    grads: list
    dX: np.ndarray
    dzs: list


def init_mlp(sizes, init="glorot_uniform", rng=None, *, gain: float = 1.0, bias: float = 0.0):
    """Parameters [(W, b)] of an MLP with layer sizes [n0, n1, ..., nL].

    init: a scheme name of `init_weights`, or a positive number used as the std of N(0, std^2)
    weights. gain multiplies every weight; bias is every b's initial value (usually 0).
    """
    sizes = list(sizes) if not isinstance(sizes, (str, bytes)) else sizes
    if not isinstance(sizes, list) or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layer sizes [n_in, ..., n_out], got {sizes!r}")
    sizes = [check_size(f"layer size sizes[{i}]", n) for i, n in enumerate(sizes)]
    rng = check_rng(rng)
    if isinstance(init, str):
        check_choice("scheme", init, SCHEMES)
        draw = lambda m, n: init_weights(m, n, init, rng, gain=gain)
    else:
        std = check_positive("init (a weight std)", init) * check_positive("gain", gain)
        draw = lambda m, n: rng.normal(0.0, std, size=(m, n))
    bias = float(bias)
    return [(draw(m, n), np.full(n, bias)) for m, n in zip(sizes[:-1], sizes[1:])]


def _check_params(params):
    if not isinstance(params, (list, tuple)) or not params:
        raise ValueError("params must be a non-empty list of (W, b) pairs, as made by init_mlp")
    for i, layer in enumerate(params):
        if len(layer) != 2 or np.ndim(layer[0]) != 2 or np.shape(layer[1]) != (np.shape(layer[0])[1],):
            raise ValueError(f"params[{i}] must be (W, b) with W of shape (n_in, n_out) and b of shape (n_out,)")
        if i and np.shape(layer[0])[0] != np.shape(params[i - 1][0])[1]:
            raise ValueError(f"params[{i}] takes {np.shape(layer[0])[0]} inputs but layer {i - 1} gives "
                             f"{np.shape(params[i - 1][0])[1]}")


def forward(params, X, activation="tanh"):
    """Run X (batch, n0) through the net; return (out (batch, nL), cache).

    `activation` (a name or an Activation) follows every layer but the last, which is linear.
    Large values overflow to inf quietly: blow-up is data here, not an error.
    """
    _check_params(params)
    act = get_activation(activation)
    X = check_array("X", X, width=params[0][0].shape[0])
    zs, acts, a = [], [], X
    with np.errstate(over="ignore", invalid="ignore"):
        for i, (W, b) in enumerate(params):
            z = a @ W
            z += b
            a = z if i == len(params) - 1 else act.f(z)
            zs.append(z)
            acts.append(a)
    return a, Cache(X, zs, acts, act)


def backward_pass(params, cache: Cache, dout) -> Backward:
    """The backward pass, keeping each layer's dLoss/dz as well as the parameter gradients."""
    _check_params(params)
    dout = np.asarray(dout, dtype=np.float64)
    if dout.shape != cache.acts[-1].shape:
        raise ValueError(f"dout must have the output's shape {cache.acts[-1].shape}, got {dout.shape}")
    act, grads, dzs = cache.activation, [], []
    dz = dout
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for i in range(len(params) - 1, -1, -1):
            W = params[i][0]
            a_prev = cache.acts[i - 1] if i else cache.X
            dzs.append(dz)
            grads.append((a_prev.T @ dz, np.ones(len(dz)) @ dz))  # db as a product: faster than sum
            da = dz @ W.T
            if i:
                dz = act.backprop(da, cache.zs[i - 1], cache.acts[i - 1])
    return Backward(grads[::-1], da, dzs[::-1])


def backward(params, cache: Cache, dout):
    """Gradients (grads, dX): grads[l] = (dW, db) shaped like params[l]; dX = dLoss/dX. Changes nothing."""
    result = backward_pass(params, cache, dout)
    return result.grads, result.dX
