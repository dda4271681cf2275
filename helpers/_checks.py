"""Input validation shared by the helpers: every bad input becomes a clear ValueError."""
from __future__ import annotations

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


def check_nonnegative(name: str, value) -> float:
    """Return `value` as a float if it is a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return float(value)


def check_positive(name: str, value) -> float:
    """Return `value` as a float if it is a finite number > 0."""
    if check_nonnegative(name, value) == 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def check_rng(rng) -> np.random.Generator:
    """Insist on an explicit numpy Generator: randomness is never global."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(
            f"rng must be a numpy Generator such as np.random.default_rng(0), got {type(rng).__name__}"
        )
    return rng


def check_array(name: str, X, ndim: int = 2, width: int | None = None) -> np.ndarray:
    """Return `X` as a float64 array of `ndim` dimensions with no NaN or inf."""
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be an array of numbers: {err}") from None
    if X.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimensions, got shape {X.shape}")
    if X.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {X.shape}")
    if width is not None and X.shape[-1] != width:
        raise ValueError(f"{name} has {X.shape[-1]} columns but the first layer expects {width} (shape {X.shape})")
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} contains NaN or inf; clean or standardize the data first")
    return X
