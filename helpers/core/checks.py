"""Input validation shared by the helpers: every bad input becomes a clear ValueError."""
import numbers

import numpy as np


def check_choice(kind: str, value, choices) -> str:
    """Return `value` if it is one of `choices`, else raise a ValueError listing them."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"unknown {kind} {value!r}; valid choices: {', '.join(sorted(choices))}")
    return value


def check_size(name: str, value) -> int:
    """Return `value` as an int if it is a positive whole number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def check_nonnegative(name: str, value, low: float = 0.0, strict: bool = False, high: float | None = None) -> float:
    """Return `value` as a float if it is a finite number >= low (> low if strict), and < high if given."""
    if (isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value < low
            or strict and value == low or high is not None and value >= high):
        bound = f"{'>' if strict else '>='} {low:g}" + ("" if high is None else f" and < {high:g}")
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return float(value)


def check_positive(name: str, value) -> float:
    """Return `value` as a float if it is a finite number > 0."""
    return check_nonnegative(name, value, strict=True)


def check_rng(rng) -> np.random.Generator:
    """Insist on an explicit numpy Generator: randomness is never global."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy Generator such as np.random.default_rng(0), got {type(rng).__name__}")
    return rng


def check_grads(grads):
    """grads as backward returns them: a list of tuples of arrays."""
    if not isinstance(grads, (list, tuple)) or not all(isinstance(layer, (list, tuple)) for layer in grads):
        raise ValueError("grads must be a list of tuples of arrays, as backward returns")
    return grads


def check_array(name: str, X, ndim: int | None = 2, width: int | None = None, *, shape: tuple | None = None,
                allow_nonfinite: bool = False, allow_empty: bool = False) -> np.ndarray:
    """`X` as a float64 array of `ndim` dimensions (any if None) or of `shape`, by default non-empty and finite."""
    if X is None or isinstance(X, (str, bytes, dict)):
        raise TypeError(f"{name} must be an array of numbers, got {type(X).__name__}")
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError, OverflowError) as err:
        raise ValueError(f"{name} must be an array of numbers (not ragged lists): {err}") from None
    if ndim is not None and X.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {X.shape}")
    if shape is not None and X.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {X.shape}")
    if X.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty, got shape {X.shape}")
    if width is not None and X.shape[-1] != width:
        raise ValueError(f"{name} has {X.shape[-1]} columns but the first layer expects {width} (shape {X.shape})")
    if not allow_nonfinite and not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or inf; clean or standardize the data first")
    return X


def check_labels(name: str, y, n: int, classes: int | None = None) -> np.ndarray:
    """Return integer class labels y of shape (n,) (whole-number floats are accepted), in 0..classes-1."""
    y = check_array(name, y, ndim=1, allow_empty=n == 0)
    if len(y) != n:
        raise ValueError(f"{name} has {len(y)} labels but there are {n} examples")
    if np.any(y != np.round(y)) or (y.size and y.min() < 0):
        raise ValueError(f"{name} must hold class labels 0, 1, 2, ... (whole numbers >= 0)")
    if classes is not None and y.size and y.max() >= classes:
        raise ValueError(f"{name} must lie in 0..{classes - 1} for {classes} outputs, got a label {int(y.max())}")
    return y.astype(np.int64)


MAX_BYTES = 2 * 2**30  # about 2 GB: larger requests are refused before anything is allocated


def check_memory(what: str, n_values) -> None:
    """Refuse, with a clear message, a request for more than MAX_BYTES of float64 values."""
    if float(n_values) * 8 > MAX_BYTES:
        raise ValueError(f"{what} would need {float(n_values) * 8 / 2**30:.3g} GB of memory; "
                         f"the helpers refuse more than {MAX_BYTES / 2**30:.0f} GB: use smaller sizes")
