"""Losses with their gradients: each returns (loss, dLoss/d(output)), averaged over the batch."""
import numpy as np

from .checks import check_array, check_choice, check_labels


def softmax(logits):
    """Row-wise softmax of logits (batch, classes), shifted by the row max so exp never overflows; NaN if diverged."""
    logits = check_array("logits", logits, allow_nonfinite=True, allow_empty=True)
    with np.errstate(all="ignore"):
        shifted = logits - logits.max(axis=1, keepdims=True) if logits.size else logits
        e = np.exp(shifted)
        return e / e.sum(axis=1, keepdims=True)


def softmax_cross_entropy(logits, y):
    """Mean cross-entropy of labels y (batch,) under softmax(logits (batch, classes)), and its gradient:
    loss = -mean log p[y],  dlogits = (p - onehot(y)) / batch;  (inf, NaN) once the logits are not finite."""
    logits = check_array("logits", logits, allow_nonfinite=True)
    y = check_labels("y", y, len(logits), logits.shape[1])
    n = logits.shape[0]
    with np.errstate(all="ignore"):
        shifted = logits - logits.max(axis=1, keepdims=True)
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        loss = -log_p[np.arange(n), y].mean()
        dlogits = np.exp(log_p)
        dlogits[np.arange(n), y] -= 1.0
        dlogits /= n
    return float(loss) if np.isfinite(loss) else np.inf, dlogits


def mse(y_hat, y):
    """Mean squared error 0.5 * mean over examples of ||y_hat - y||^2; d = (y_hat - y) / batch."""
    y_hat = check_array("y_hat", y_hat, ndim=None, allow_nonfinite=True)
    y = check_array("y", y, ndim=None, allow_nonfinite=True)
    if y.size != y_hat.size or y_hat.ndim == 0:
        raise ValueError(f"y must hold one target per output: y_hat has shape {y_hat.shape}, y {y.shape}")
    n = y_hat.shape[0]
    with np.errstate(all="ignore"):
        diff = y_hat - y.reshape(y_hat.shape)
        loss = 0.5 * float(np.sum(diff * diff)) / n
    return (loss if np.isfinite(loss) else np.inf), diff / n


LOSSES = {"cross_entropy": softmax_cross_entropy, "mse": mse}


def get_loss(name):
    """The loss function called `name`: "cross_entropy" or "mse"."""
    return name if callable(name) else LOSSES[check_choice("loss", name, LOSSES)]


def accuracy(logits, y) -> float:
    """Fraction of rows whose largest logit is the label; NaN ("diverged") if any logit is not finite."""
    logits = check_array("logits", logits, allow_nonfinite=True)
    y = check_labels("y", y, len(logits), logits.shape[1])
    if not np.all(np.isfinite(logits)):
        return float("nan")  # argmax of NaN is class 0: a diverged net has no accuracy, not chance level
    return float(np.mean(np.argmax(logits, axis=1) == y))
