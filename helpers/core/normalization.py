"""Normalization layers: batch norm (Ioffe & Szegedy 2015) and layer norm (Ba, Kiros & Hinton 2016).

Both compute zhat = (z - mu) / sqrt(var + eps) and y = gamma * zhat + beta, with mu and var per unit over the
batch (batch norm, axis 0: 2 or more examples) or per example over its units (layer norm, axis 1). Backward:
    dgamma = sum_i dy * zhat,   dbeta = sum_i dy,
    dz = gamma / sqrt(var + eps) * (dy - mean(dy) - zhat * mean(dy * zhat))   (means along the same axis).
At inference batch norm uses running averages, so dz = gamma / sqrt(running_var + eps) * dy; they are updated as
new = momentum * old + (1 - momentum) * batch value (Keras' convention; PyTorch's momentum is 1 - ours, and
PyTorch averages the unbiased variance). Layer norm behaves the same in training and at inference.
"""
from dataclasses import dataclass

import numpy as np

from .checks import check_array, check_nonnegative, check_positive

MOMENTUM, EPS = 0.9, 1e-5
NORMS = ("batch", "layer")


@dataclass(frozen=True)
class NormCache:
    """What a normalization layer's backward pass needs; `running` is the (mean, var) after this call."""

    zhat: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    axis: int | None  # 0 batch norm in training, 1 layer norm, None batch norm at inference
    running: tuple | None


def normalize(z, gamma, beta, kind="batch", *, training=True, running=None, momentum=MOMENTUM, eps=EPS):
    """y = gamma * zhat + beta without input checks (inf and NaN pass through: blow-up is data)."""
    if kind == "layer":
        axis, mu = 1, z.mean(axis=1, keepdims=True)
        zhat = z - mu
        var = (zhat * zhat).mean(axis=1, keepdims=True)
    elif training:  # batch statistics; means as products with 1/m: faster than .mean(axis=0) on small batches
        axis, w = 0, np.full(len(z), 1.0 / len(z))
        mu = w @ z
        zhat = z - mu
        var = w @ (zhat * zhat)
        running = (momentum * running[0] + (1 - momentum) * mu, momentum * running[1] + (1 - momentum) * var)
    else:  # inference: the running averages
        axis, zhat, var = None, z - running[0], running[1]
    inv_std = 1.0 / np.sqrt(var + eps)
    zhat *= inv_std
    y = zhat * gamma
    y += beta
    return y, NormCache(zhat, inv_std, gamma, axis, running)


def normalize_backward(dy, cache: NormCache):
    """(dz, dgamma, dbeta) from dy = dLoss/dy, for the layer and mode the forward pass ran in."""
    ones = np.ones(len(dy))
    dgamma, dbeta = ones @ (dy * cache.zhat), ones @ dy
    if cache.axis is None:  # inference: y is affine in z
        return dy * (cache.gamma * cache.inv_std), dgamma, dbeta
    if cache.axis == 0:  # batch norm: gamma is constant along the batch, so it factors out
        dz = dy - dbeta / len(dy)
        dz -= cache.zhat * (dgamma / len(dy))
        dz *= cache.gamma * cache.inv_std
        return dz, dgamma, dbeta
    dzhat = dy * cache.gamma  # layer norm: means over each example's units
    dz = dzhat - dzhat.mean(axis=1, keepdims=True)
    dz -= cache.zhat * (dzhat * cache.zhat).mean(axis=1, keepdims=True)
    return dz * cache.inv_std, dgamma, dbeta


def check_running(running, n, where="running"):
    """(mean, var) arrays of shape (n,) with var >= 0, or zeros and ones when running is None."""
    if running is None:
        return np.zeros(n), np.ones(n)
    try:
        mean, var = (np.asarray(r, dtype=np.float64) for r in running)
    except (TypeError, ValueError):
        mean = var = None
    if mean is None or not mean.shape == var.shape == (n,) or not np.all(var >= 0):
        raise ValueError(f"{where} must be a pair (mean, var) of arrays of shape ({n},) with var >= 0")
    return mean, var


def check_state(state, params, training):
    """Batch norm's running averages, one (mean, var) per hidden layer of params (zeros and ones if None)."""
    hidden = len(params) - 1
    if state is None and not training:
        raise ValueError("inference mode (training=False) needs the state (running averages) from training")
    if state is not None and (not isinstance(state, (list, tuple)) or len(state) != hidden):
        raise ValueError(f"state must list (running_mean, running_var) for each of the {hidden} hidden layers")
    return [check_running(None if state is None else state[i], np.shape(params[i][0])[1], f"state[{i}]")
            for i in range(hidden)]


def _norm_forward(kind, z, gamma, beta, eps, training=True, **kw):
    z = check_array("z", z)
    gamma = check_array("gamma", gamma, ndim=1, shape=z.shape[1:])
    beta = check_array("beta", beta, ndim=1, shape=z.shape[1:])
    if z.shape[kind == "layer"] < 2 and training:  # layer norm: over units; batch norm: over examples
        what = "units per example" if kind == "layer" else "examples in training mode (a batch of at least 2)"
        raise ValueError(f"{kind} norm needs at least 2 {what} to estimate a variance")
    if kind == "batch":
        kw["running"] = check_running(kw["running"], z.shape[1])
    with np.errstate(all="ignore"):
        return normalize(z, gamma, beta, kind, training=training, eps=check_positive("eps", eps), **kw)


def batchnorm_forward(z, gamma, beta, *, training=True, running=None, momentum=MOMENTUM, eps=EPS):
    """Normalize z (batch, n) unit by unit; return (y, NormCache), y = gamma * zhat + beta. training=True uses the
    batch's statistics and updates `running` (default zeros and ones) into cache.running; False normalizes by it."""
    if not training and running is None:
        raise ValueError("inference mode (training=False) needs running=(mean, var) from training")
    momentum = check_nonnegative("momentum", momentum, high=1.0)
    return _norm_forward("batch", z, gamma, beta, eps, bool(training), running=running, momentum=momentum)


def layernorm_forward(z, gamma, beta, *, eps=EPS):
    """Normalize each example (row of z, shape (batch, n)) over its n units; return (y, NormCache)."""
    return _norm_forward("layer", z, gamma, beta, eps)


def norm_backward(dy, cache: NormCache):
    """(dz, dgamma, dbeta) of a batch-norm or layer-norm layer from dy = dLoss/dy (batch, n)."""
    if not isinstance(cache, NormCache):
        raise TypeError(f"cache must be the NormCache the forward pass returned, got {type(cache).__name__}")
    dy = check_array("dy", dy, shape=cache.zhat.shape, allow_nonfinite=True)
    with np.errstate(all="ignore"):
        return normalize_backward(dy, cache)


batchnorm_backward = layernorm_backward = norm_backward
