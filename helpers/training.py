"""A small SGD loop that records, step by step, what the series plots.

Each step: forward, loss, backward, optional clipping, then W <- W - lr * dW.
A loss that stops being finite ends the run: `History.diverged` is True and the
remaining steps are NaN. No warning is raised; blow-up is a result to show.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._checks import check_array, check_nonnegative, check_positive, check_rng, check_size
from .losses import accuracy, get_loss
from .network import _check_params, backward, forward
from .stats import dead_fraction


@dataclass
class History:
    """Per-step records of a run (arrays of length `steps`; per-layer ones (steps, L)).

    loss, accuracy: on the batch of that step, before the update.
    grad_norm: ||dW_l|| before clipping;  update_norm: ||lr * dW_l|| actually applied.
    dead: fraction of dead units per hidden layer (L - 1 columns) on the step's batch.
    """

    loss: np.ndarray
    accuracy: np.ndarray
    grad_norm: np.ndarray
    update_norm: np.ndarray
    dead: np.ndarray
    diverged: bool = False
    diverged_at: int | None = None

    @property
    def final_loss(self) -> float:
        finite = self.loss[np.isfinite(self.loss)]
        return float("inf") if self.diverged or not finite.size else float(finite[-1])

    def steps_to(self, target: float):
        """First step whose loss is at or below `target`, or None if it never gets there."""
        hit = np.flatnonzero(self.loss <= target)
        return int(hit[0]) if hit.size else None


def clip_by_value(grads, clip: float):
    """Each gradient entry limited to [-clip, clip]; grads is a list of tuples of arrays."""
    return [tuple(np.clip(g, -clip, clip) for g in layer) for layer in grads]


def global_norm(grads) -> float:
    """sqrt of the sum of squares of every gradient entry (any list of tuples of arrays)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(sum(np.sum(g * g) for layer in grads for g in layer)))


def clip_by_global_norm(grads, max_norm: float):
    """All gradients scaled by min(1, max_norm / global_norm): the direction is kept."""
    norm = global_norm(grads)
    if not np.isfinite(norm) or norm <= max_norm:
        return grads
    k = max_norm / norm
    return [tuple(k * g for g in layer) for layer in grads]


def sgd_step(params, grads, lr: float):
    """New params W - lr dW, b - lr db (the old ones are left untouched)."""
    return [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]


def train(params, X, y, activation="relu", *, lr=0.1, steps=200, batch_size=None, rng=None,
          loss="cross_entropy", clip_value=None, clip_norm=None, callback=None, record=True):
    """Train a copy of `params` with SGD; return (trained params, History).

    batch_size None means full-batch gradient descent; otherwise mini-batches drawn from rng.
    clip_value / clip_norm clip each gradient entry / the global gradient norm before the update.
    callback(step, history), if given, is called after each step (for progress bars).
    record=False skips the per-layer records (grad_norm, update_norm, dead stay NaN): faster.
    """
    _check_params(params)
    X = check_array("X", X, width=np.shape(params[0][0])[0])
    y = np.asarray(y)
    if len(y) != len(X):
        raise ValueError(f"y has {len(y)} labels but X has {len(X)} examples")
    lr = check_positive("lr", lr)
    steps = check_size("steps", steps)
    loss_fn = get_loss(loss)
    if clip_value is not None:
        clip_value = check_positive("clip_value", clip_value)
    if clip_norm is not None:
        clip_norm = check_positive("clip_norm", clip_norm)
    if batch_size is not None:
        batch_size = min(check_size("batch_size", batch_size), len(X))
        rng = check_rng(rng)
    L = len(params)
    h = History(*(np.full(steps, np.nan) for _ in range(2)), np.full((steps, L), np.nan),
                np.full((steps, L), np.nan), np.full((steps, max(L - 1, 0)), np.nan))
    params = [(W.copy(), b.copy()) for W, b in params]
    for step in range(steps):
        idx = slice(None) if batch_size is None else rng.choice(len(X), batch_size, replace=False)
        Xb, yb = X[idx], y[idx]
        with np.errstate(all="ignore"):
            out, cache = forward(params, Xb, activation)
            value, dout = loss_fn(out, yb)
            if not np.isfinite(value):
                h.diverged, h.diverged_at = True, step
                break
            grads, _ = backward(params, cache, dout)
            h.loss[step] = value
            if loss_fn is get_loss("cross_entropy"):
                h.accuracy[step] = accuracy(out, yb)
            if record:
                h.grad_norm[step] = [np.linalg.norm(dW) for dW, _ in grads]
                h.dead[step] = [dead_fraction(z, cache.activation, a)
                                for z, a in zip(cache.zs[:-1], cache.acts[:-1])]
            if clip_value is not None:
                grads = clip_by_value(grads, clip_value)
            if clip_norm is not None:
                grads = clip_by_global_norm(grads, clip_norm)
            if record:
                h.update_norm[step] = [lr * np.linalg.norm(dW) for dW, _ in grads]
            params = sgd_step(params, grads, lr)
        if callback is not None:
            callback(step, h)
    return params, h


def evaluate(params, X, y, activation="relu", loss="cross_entropy"):
    """(loss, accuracy) of params on X, y without training."""
    with np.errstate(all="ignore"):
        out, _ = forward(params, X, activation)
        value, _ = get_loss(loss)(out, y)
    return value, accuracy(out, y)
