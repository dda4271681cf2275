"""Centred finite differences, to check every analytic gradient of the series."""
from __future__ import annotations

import numpy as np

from .losses import get_loss
from .network import backward, forward


def numerical_gradient(f, x, eps: float = 1e-6):
    """d f / d x by centred differences (f(x + eps) - f(x - eps)) / (2 eps); x is changed and restored."""
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        down = f()
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def relative_error(a, b, floor: float = 1e-12) -> float:
    """||a - b|| / max(||a|| + ||b||, floor): near 0 when two gradient arrays agree."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), floor))


def check_gradients(params, X, y, activation="tanh", loss="mse", eps: float = 1e-6) -> float:
    """Largest relative error between backward() and finite differences over every W, b and X."""
    loss_fn = get_loss(loss)
    X = np.array(X, dtype=np.float64)

    def value():
        return loss_fn(forward(params, X, activation)[0], y)[0]

    out, cache = forward(params, X, activation)
    grads, dX = backward(params, cache, loss_fn(out, y)[1])
    errors = [relative_error(dX, numerical_gradient(value, X, eps))]
    for (W, b), (dW, db) in zip(params, grads):
        errors.append(relative_error(dW, numerical_gradient(value, W, eps)))
        errors.append(relative_error(db, numerical_gradient(value, b, eps)))
    return max(errors)
