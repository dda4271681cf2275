"""Training (SGD, with optional gradient clipping) and inference-mode evaluation of a batch-normalized MLP."""
from __future__ import annotations

import numpy as np

from ._checks import check_positive, check_rng, check_size
from .batchnorm import EPS, MOMENTUM, _net_backward, _net_forward, _prepare, bn_forward
from .losses import accuracy, get_loss
from .stats import dead_fraction
from .training import History, clip_by_global_norm, clip_by_value


def _dead(y, act) -> float:
    """hp.dead_fraction, faster for ReLU: a unit is dead when its largest y over the batch is <= 0."""
    return float(np.mean(y.max(axis=0) <= 0)) if act.name == "relu" else dead_fraction(y, act)


def _clip(grads, clip_value=None, clip_norm=None):
    """hp.clip_by_value, then hp.clip_by_global_norm (both take layers of any number of arrays)."""
    if clip_value is not None:
        grads = clip_by_value(grads, clip_value)
    if clip_norm is not None:
        grads = clip_by_global_norm(grads, clip_norm)
    return grads


def bn_train(params, X, y, activation="relu", *, state=None, lr=0.1, steps=200, batch_size=None, rng=None,
             loss="cross_entropy", clip_value=None, clip_norm=None, momentum=MOMENTUM, callback=None):
    """Train a copy of a batch-normalized net with SGD, as hp.train does; return (params, state, History).

    Each step normalizes with the batch's statistics and updates the running averages.
    """
    X, act, state, momentum, _ = _prepare(params, X, activation, state, True, momentum, EPS)
    lr, steps, loss_fn = check_positive("lr", lr), check_size("steps", steps), get_loss(loss)
    clip_value = None if clip_value is None else check_positive("clip_value", clip_value)
    clip_norm = None if clip_norm is None else check_positive("clip_norm", clip_norm)
    if batch_size is not None:
        batch_size, rng = min(check_size("batch_size", batch_size), len(X)), check_rng(rng)
        if batch_size < 2:
            raise ValueError("batch_size must be at least 2: batch norm estimates a variance from each batch")
    L = len(params)
    h = History(np.full(steps, np.nan), np.full(steps, np.nan), np.full((steps, L), np.nan),
                np.full((steps, L), np.nan), np.full((steps, L - 1), np.nan))
    params = [tuple(p.copy() for p in layer) for layer in params]
    for step in range(steps):
        idx = slice(None) if batch_size is None else rng.choice(len(X), batch_size, replace=False)
        Xb, yb = X[idx], np.asarray(y)[idx]
        with np.errstate(all="ignore"):
            out, cache = _net_forward(params, Xb, act, state, True, momentum)
            value, dout = loss_fn(out, yb)
            if not np.isfinite(value):
                h.diverged, h.diverged_at = True, step
                break
            grads = _net_backward(params, cache, dout).grads
            h.loss[step], state = value, cache.state
            if loss_fn is get_loss("cross_entropy"):
                h.accuracy[step] = accuracy(out, yb)
            h.grad_norm[step] = [np.linalg.norm(g[0]) for g in grads]
            h.dead[step] = [_dead(yl, act) for yl in cache.ys]
            grads = _clip(grads, clip_value, clip_norm)
            h.update_norm[step] = [lr * np.linalg.norm(g[0]) for g in grads]
            params = [tuple(p - lr * g for p, g in zip(layer, dl)) for layer, dl in zip(params, grads)]
        if callback is not None:
            callback(step, h)
    return params, state, h


def bn_evaluate(params, state, X, y, activation="relu", loss="cross_entropy"):
    """(loss, accuracy) of a trained batch-normalized net in inference mode (running averages)."""
    with np.errstate(all="ignore"):
        out, _ = bn_forward(params, X, activation, state=state, training=False)
        value, _ = get_loss(loss)(out, y)
    return value, accuracy(out, y)
