"""Centred finite differences, to check every analytic gradient of the series."""
import numpy as np

from .losses import get_loss
from .checks import check_array, check_positive
from .network import backward, forward
from .stats import frobenius


def numerical_gradient(f, x, eps: float = 1e-6):
    """d f / d x by centred differences (f(x + eps) - f(x - eps)) / (2 eps); x (float) is nudged and restored."""
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments returning the loss, got {type(f).__name__}")
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("x must be a float numpy array that f reads (an int array cannot be nudged by eps), "
                        f"got {getattr(x, 'dtype', type(x).__name__)}")
    eps = check_positive("eps", eps)
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f()
        x[i] = old - eps
        grad[i] = (up - f()) / (2 * eps)
        x[i] = old
    return grad


def relative_error(a, b, floor: float = 1e-12) -> float:
    """||a - b|| / max(||a|| + ||b||, floor): near 0 when two gradient arrays agree."""
    a = check_array("a", a, ndim=None, allow_nonfinite=True)
    b = check_array("b", b, ndim=None, shape=a.shape, allow_nonfinite=True)
    with np.errstate(all="ignore"):
        return float(frobenius(a - b) / max(frobenius(a) + frobenius(b), check_positive("floor", floor)))


def check_gradients(params, X, y, activation="relu", loss="mse", eps: float = 1e-6) -> float:
    """Largest relative error between backward() and finite differences over every W, b and X."""
    loss_fn, X = get_loss(loss), np.array(X, dtype=np.float64)
    value = lambda: loss_fn(forward(params, X, activation)[0], y)[0]  # noqa: E731
    out, cache = forward(params, X, activation)
    grads, dX = backward(params, cache, loss_fn(out, y)[1])
    pairs = [(dX, X)] + [(g, p) for layer, dlayer in zip(params, grads) for g, p in zip(dlayer, layer)]
    return max(relative_error(g, numerical_gradient(value, p, eps)) for g, p in pairs)
