"""Losses with their gradients: each returns (loss, dLoss/d(output)), averaged over the batch."""
from __future__ import annotations

import numpy as np

from ._checks import check_choice


def softmax(logits):
    """Row-wise softmax, shifted by the row max so exp never overflows."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of integer labels y (batch,) under softmax(logits (batch, classes)).

    loss = -mean log p[y];  dlogits = (p - onehot(y)) / batch.
    Returns (inf, NaN gradient) once the logits themselves are not finite: the run diverged.
    """
    logits = np.asarray(logits, dtype=np.float64)
    y = np.asarray(y)
    if logits.ndim != 2 or y.shape != (logits.shape[0],):
        raise ValueError(f"logits must be (batch, classes) and y (batch,), got {logits.shape} and {y.shape}")
    if y.size and (y.min() < 0 or y.max() >= logits.shape[1]):
        raise ValueError(f"labels y must lie in 0..{logits.shape[1] - 1}")
    n = logits.shape[0]
    with np.errstate(all="ignore"):
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_p[np.arange(n), y].mean()
        dlogits = np.exp(log_p)
        dlogits[np.arange(n), y] -= 1.0
        dlogits /= n
    if not np.isfinite(loss):
        loss = np.inf
    return float(loss), dlogits


def mse(y_hat, y):
    """Mean squared error 0.5 * mean over examples of ||y_hat - y||^2; d = (y_hat - y) / batch."""
    y_hat = np.asarray(y_hat, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(y_hat.shape)
    n = y_hat.shape[0]
    with np.errstate(all="ignore"):
        diff = y_hat - y
        loss = 0.5 * float(np.sum(diff * diff)) / n
    return (loss if np.isfinite(loss) else np.inf), diff / n


LOSSES = {"cross_entropy": softmax_cross_entropy, "mse": mse}


def get_loss(name):
    """The loss function called `name`: "cross_entropy" or "mse"."""
    if callable(name):
        return name
    return LOSSES[check_choice("loss", name, LOSSES)]


def accuracy(logits, y) -> float:
    """Fraction of rows whose largest logit is the label."""
    return float(np.mean(np.argmax(logits, axis=1) == np.asarray(y)))
