"""Batch normalization (Ioffe & Szegedy 2015) in numpy and an MLP built with it.

One layer, per unit j over the batch (training mode):
    mu = mean_i z_i,  var = mean_i (z_i - mu)^2,  zhat = (z - mu) / sqrt(var + eps),  y = gamma * zhat + beta.
Backward, from dy = dLoss/dy (the batch statistics depend on every example, hence the two mean terms):
    dgamma = sum_i dy * zhat,   dbeta = sum_i dy,
    dz = gamma / sqrt(var + eps) * (dy - mean_i dy - zhat * mean_i (dy * zhat)).
Inference mode uses running averages instead of the batch's mu and var, so y is affine in z and
    dz = gamma / sqrt(running_var + eps) * dy.
Running averages: new = momentum * old + (1 - momentum) * batch value, Keras' convention (Keras
defaults to momentum=0.99; PyTorch's momentum=0.1 is 1 - ours, and PyTorch averages the unbiased variance).

The batch-normalized MLP puts batch norm before each hidden activation:
    z_l = a_{l-1} @ W_l,   y_l = BN(z_l; gamma_l, beta_l),   a_l = f(y_l)    (no b_l: beta_l does its job)
and ends with a linear layer out = a_{L-1} @ W_L + b_L. Its parameters and running averages are
    params = [(W_1, gamma_1, beta_1), ..., (W_{L-1}, gamma_{L-1}, beta_{L-1}), (W_L, b_L)]
    state  = [(running_mean_1, running_var_1), ..., (running_mean_{L-1}, running_var_{L-1})]
and, as in network.py, every function is pure: params and state are never changed in place.
Training and evaluation of such a net (bn_train, bn_evaluate) are in helpers/bn_training.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_array, check_positive
from .activations import Activation, get_activation
from .network import Backward, init_mlp
from .stats import LayerStats, dead_fraction, saturated_fraction

MOMENTUM, EPS = 0.9, 1e-5


@dataclass
class BNCache:
    """What one batch-norm layer's backward pass needs; `running` is the (mean, var) after this call."""

    zhat: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    training: bool
    running: tuple


def _check_momentum_eps(momentum, eps):
    if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0.0 <= momentum < 1.0:
        raise ValueError(f"momentum must be a number in [0, 1), got {momentum!r}")
    return float(momentum), check_positive("eps", eps)


def _check_running(running, n, where="running"):
    if running is None:
        return np.zeros(n), np.ones(n)
    try:
        mean, var = (np.asarray(r, dtype=np.float64) for r in running)
    except (TypeError, ValueError):
        raise ValueError(f"{where} must be a pair (mean, var) of arrays of shape ({n},)") from None
    if mean.shape != (n,) or var.shape != (n,) or np.any(var < 0):
        raise ValueError(f"{where} must be a pair (mean, var) of shape ({n},) with var >= 0, "
                         f"got shapes {mean.shape} and {var.shape}")
    return mean, var


def _bn(z, gamma, beta, training, running, momentum, eps):
    """batchnorm_forward without the input checks (inf and NaN pass through: blow-up is data)."""
    mean_r, var_r = running
    if training:
        w = np.full(len(z), 1.0 / len(z))  # means as products: faster than .mean(axis=0) on small batches
        mu = w @ z
        zhat = z - mu
        var = w @ (zhat * zhat)
        running = (momentum * mean_r + (1 - momentum) * mu, momentum * var_r + (1 - momentum) * var)
    else:
        zhat, var = z - mean_r, var_r
    inv_std = 1.0 / np.sqrt(var + eps)
    zhat *= inv_std
    y = zhat * gamma
    y += beta
    return y, BNCache(zhat, inv_std, gamma, training, running)


def _bn_backward(dy, cache):
    ones = np.ones(len(dy))
    dgamma, dbeta = ones @ (dy * cache.zhat), ones @ dy
    if not cache.training:
        return dy * (cache.gamma * cache.inv_std), dgamma, dbeta
    dz = dy - dbeta / len(dy)
    dz -= cache.zhat * (dgamma / len(dy))
    dz *= cache.gamma * cache.inv_std
    return dz, dgamma, dbeta


def batchnorm_forward(z, gamma, beta, *, training=True, running=None, momentum=MOMENTUM, eps=EPS):
    """Normalize z (batch, n) unit by unit; return (y, BNCache) with y = gamma * zhat + beta.

    training=True uses the batch's mean and variance (at least 2 examples) and returns updated running
    averages in cache.running (starting from zeros and ones if `running` is None); training=False
    normalizes with running = (mean, var) from training.
    """
    z = check_array("z", z)
    n = z.shape[1]
    gamma, beta = np.asarray(gamma, dtype=np.float64), np.asarray(beta, dtype=np.float64)
    if gamma.shape != (n,) or beta.shape != (n,):
        raise ValueError(f"gamma and beta must have shape ({n},) for z of shape {z.shape}, "
                         f"got {gamma.shape} and {beta.shape}")
    momentum, eps = _check_momentum_eps(momentum, eps)
    if not training and running is None:
        raise ValueError("inference mode (training=False) needs running=(mean, var) from training")
    if training and len(z) < 2:
        raise ValueError("training mode needs a batch of at least 2 examples to estimate a variance")
    return _bn(z, gamma, beta, training, _check_running(running, n), momentum, eps)


def batchnorm_backward(dy, cache: BNCache):
    """(dz, dgamma, dbeta) from dy = dLoss/dy (batch, n), for the mode the forward pass ran in."""
    dy = np.asarray(dy, dtype=np.float64)
    if dy.shape != cache.zhat.shape:
        raise ValueError(f"dy must have the shape of the layer's output {cache.zhat.shape}, got {dy.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        return _bn_backward(dy, cache)


@dataclass
class BNNetCache:
    """A batch-normalized net's forward pass: input, each layer's z (before BN), y (after), a = f(y).

    zs and acts cover every layer (the last one's z is the output); ys and bn the hidden layers;
    state is the running averages after this pass.
    """

    X: np.ndarray
    zs: list
    ys: list
    acts: list
    bn: list
    activation: Activation
    state: list


def init_bn_mlp(sizes, init="he_normal", rng=None, *, gain: float = 1.0):
    """(params, state) of a batch-normalized MLP with layer sizes [n0, ..., nL].

    The weights are those init_mlp draws with the same rng; gamma = 1, beta = 0, b_L = 0;
    running means 0 and variances 1.
    """
    plain = init_mlp(sizes, init, rng, gain=gain)
    params = [(W, np.ones(W.shape[1]), np.zeros(W.shape[1])) for W, _ in plain[:-1]] + [plain[-1]]
    return params, [(np.zeros(W.shape[1]), np.ones(W.shape[1])) for W, _ in plain[:-1]]


def _check_bn_params(params):
    if not isinstance(params, (list, tuple)) or not params:
        raise ValueError("params must be a non-empty list [(W, gamma, beta), ..., (W_L, b_L)], as init_bn_mlp makes")
    for i, layer in enumerate(params):
        last = i == len(params) - 1
        kind = "(W_L, b_L)" if last else "(W, gamma, beta)"
        if len(layer) != (2 if last else 3) or np.ndim(layer[0]) != 2 or any(
                np.shape(v) != (np.shape(layer[0])[1],) for v in layer[1:]):
            raise ValueError(f"params[{i}] must be {kind} with W of shape (n_in, n_out) and vectors of shape (n_out,)")
        if i and np.shape(layer[0])[0] != np.shape(params[i - 1][0])[1]:
            raise ValueError(f"params[{i}] takes {np.shape(layer[0])[0]} inputs but layer {i - 1} gives "
                             f"{np.shape(params[i - 1][0])[1]}")


def _prepare(params, X, activation, state, training, momentum, eps):
    """The checked inputs of a batch-normalized net's forward pass: (X, act, state, momentum, eps)."""
    _check_bn_params(params)
    act = get_activation(activation)
    X = check_array("X", X, width=params[0][0].shape[0])
    momentum, eps = _check_momentum_eps(momentum, eps)
    hidden = len(params) - 1
    if state is None and not training:
        raise ValueError("inference mode (training=False) needs the state (running averages) from training")
    if state is not None and (not isinstance(state, (list, tuple)) or len(state) != hidden):
        raise ValueError(f"state must list (running_mean, running_var) for each of the {hidden} hidden layers")
    state = [_check_running(None if state is None else state[i], params[i][0].shape[1], f"state[{i}]")
             for i in range(hidden)]
    if training and hidden and len(X) < 2:
        raise ValueError("training mode needs a batch of at least 2 examples to estimate a variance")
    return X, act, state, momentum, eps


def bn_forward(params, X, activation="relu", *, state=None, training=True, momentum=MOMENTUM, eps=EPS):
    """Run X (batch, n0) through a batch-normalized net; return (out (batch, nL), BNNetCache).

    training=True normalizes with batch statistics and returns the updated running averages in
    cache.state (starting from `state`, or zeros and ones); training=False normalizes with `state`.
    """
    X, act, state, momentum, eps = _prepare(params, X, activation, state, training, momentum, eps)
    return _net_forward(params, X, act, state, training, momentum, eps)


def _net_forward(params, X, act, state, training, momentum=MOMENTUM, eps=EPS):
    zs, ys, acts, bns, a, hidden = [], [], [], [], X, len(params) - 1
    with np.errstate(over="ignore", invalid="ignore"):
        for i, (W, *rest) in enumerate(params):
            z = a @ W
            if i == hidden:
                z += rest[0]
                a = z
            else:
                y, bn = _bn(z, *rest, training, state[i], momentum, eps)
                a = act.f(y)
                ys.append(y), bns.append(bn)
            zs.append(z), acts.append(a)
    return a, BNNetCache(X, zs, ys, acts, bns, act, [bn.running for bn in bns])


def bn_backward_pass(params, cache: BNNetCache, dout) -> Backward:
    """The backward pass, keeping each layer's dLoss/dz (z before batch norm) as well as the gradients."""
    _check_bn_params(params)
    dout = np.asarray(dout, dtype=np.float64)
    if dout.shape != cache.acts[-1].shape:
        raise ValueError(f"dout must have the output's shape {cache.acts[-1].shape}, got {dout.shape}")
    return _net_backward(params, cache, dout)


def _net_backward(params, cache, dout) -> Backward:
    grads, dzs, dz, L = [], [], dout, len(params)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for i in range(L - 1, -1, -1):
            a_prev = cache.acts[i - 1] if i else cache.X
            if i < L - 1:  # dz holds dLoss/da_i, a fresh array: backprop may write into it
                dy = cache.activation.backprop(dz, cache.ys[i], cache.acts[i])
                dz, dgamma, dbeta = _bn_backward(dy, cache.bn[i])
                grads.append((a_prev.T @ dz, dgamma, dbeta))
            else:
                grads.append((a_prev.T @ dz, np.ones(len(dz)) @ dz))
            dzs.append(dz)
            dz = dz @ params[i][0].T
    return Backward(grads[::-1], dz, dzs[::-1])


def bn_backward(params, cache: BNNetCache, dout):
    """Gradients (grads, dX): grads[l] is (dW, dgamma, dbeta), or (dW, db) for the last layer. Changes nothing."""
    result = bn_backward_pass(params, cache, dout)
    return result.grads, result.dX


def _mean_std(x):
    """(mean, std) of an array, or (NaN, inf) once it holds inf or NaN (as hp.layer_stats reports it)."""
    return (float(x.mean()), float(x.std())) if np.all(np.isfinite(x)) else (np.nan, np.inf)


def bn_layer_stats(params, X, activation="relu", dout=None, rng=None, threshold: float = 0.01) -> LayerStats:
    """Per-layer statistics of one training-mode pass, the LayerStats hp.layer_stats gives a plain net.

    z_mean and z_std describe what feeds the activation (y, after batch norm); grad_std is the std of
    dLoss/dz before batch norm. dout defaults to standard normal from `rng` (or a fixed seed).
    """
    out, cache = bn_forward(params, X, activation)
    if dout is None:
        dout = (rng or np.random.default_rng(0)).standard_normal(out.shape)
    back = bn_backward_pass(params, cache, dout)
    L, act = len(params), cache.activation
    rows = {k: np.full(L, np.nan) for k in LayerStats.__dataclass_fields__}
    with np.errstate(all="ignore"):
        for l in range(L):
            feed = cache.ys[l] if l < L - 1 else cache.zs[l]
            rows["z_mean"][l], rows["z_std"][l] = _mean_std(feed)
            rows["a_mean"][l], rows["a_std"][l] = _mean_std(cache.acts[l])
            if l < L - 1:
                rows["saturated"][l] = saturated_fraction(cache.acts[l], act, threshold)
                rows["dead"][l] = dead_fraction(feed, act)
            dW = back.grads[l][0]
            rows["grad_norm"][l] = np.sqrt(np.sum(dW * dW)) if np.all(np.isfinite(dW)) else np.inf
            rows["grad_std"][l] = _mean_std(back.dzs[l])[1]
    return LayerStats(**rows)
