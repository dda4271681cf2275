"""Per-layer statistics of a forward and backward pass: what the plots of the series show."""
from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .checks import check_array, check_rng, check_size
from .network import backward_pass, forward


@dataclass(frozen=True)
class LayerStats:
    """One value per layer l = 1..L (arrays of shape (L,)); inf or NaN where they overflowed (`diverged`).

    z_mean, z_std, a_mean, a_std: of z_l and a_l over batch and units;  grad_norm: ||dW_l||;  grad_std: std of dz_l.
    saturated: fraction of a_l within `threshold` of an asymptote (NaN if f has none);  dead: fraction of units
    whose f'(z) is 0 for every example of the batch.
    """

    z_mean: np.ndarray
    z_std: np.ndarray
    a_mean: np.ndarray
    a_std: np.ndarray
    saturated: np.ndarray
    dead: np.ndarray
    grad_norm: np.ndarray
    grad_std: np.ndarray

    @property
    def depth(self) -> int:
        return len(self.z_std)

    @property
    def diverged(self) -> bool:
        return not (np.all(np.isfinite(self.a_std)) and np.all(np.isfinite(self.grad_norm)))


def saturated_fraction(a, activation, threshold: float = 0.01) -> float:
    """Fraction of entries of a = f(z) within `threshold` of an asymptote of f, as a share of its range
    (sigmoid: a < t or a > 1 - t; tanh: |a| > 1 - 2t; 0.01 marks f' under 4% of its maximum); NaN if f has none."""
    activation = get_activation(activation)
    if activation.bounds is None:
        return float("nan")
    lo, hi = activation.bounds
    with np.errstate(all="ignore"):
        u = (check_array("a", a, ndim=None, allow_nonfinite=True) - lo) / (hi - lo)
        return float(np.mean((u < threshold) | (u > 1 - threshold)))


def dead_fraction(z, activation, a=None) -> float:
    """Fraction of units (columns of z) whose f'(z) is exactly 0 for every example (rows); a = f(z), if given,
    makes f' cheaper to get (the answer is the same)."""
    activation = get_activation(activation)
    z = check_array("z", z, allow_nonfinite=True)
    with np.errstate(all="ignore"):
        return float(np.mean(~np.any(activation.slope(z, a), axis=0)))


def finite_mean_std(x):
    """(mean, std) of an array, or (NaN, inf) once it holds inf or NaN: the series' one per-layer statistic."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        if not np.all(np.isfinite(x)):
            return np.nan, np.inf
        m = np.max(np.abs(x)) if x.size else 0.0
        if m == 0:
            return 0.0, 0.0
        return float(x.mean()), float(m * (x / m).std())  # scaled: no overflow in the squares near 1e154


def frobenius(x) -> float:
    """sqrt(sum x^2) without overflow or underflow in the squares; inf if x itself is not finite."""
    x = np.asarray(x, dtype=np.float64).ravel()
    with np.errstate(all="ignore"):
        fast = float(np.sqrt(x @ x))  # one BLAS dot: the training loop's hot path (make bench)
    if 1e-140 < fast < 1e140:
        return fast
    if not np.all(np.isfinite(x)):
        return np.inf
    m = np.max(np.abs(x)) if x.size else 0.0  # squares out of range: scale first
    return float(m * np.sqrt(np.sum(np.square(x / m)))) if m > 0 else 0.0


def layer_stats(params, X, activation="relu", dout=None, threshold: float = 0.01, *, rng=None,
                norm=None, residual=None) -> LayerStats:
    """LayerStats of one forward and backward pass of X through params (any net of the series); dout defaults to
    standard normal noise from `rng`, to show how the net scales a unit-size gradient on its way down. z is what
    feeds f: the normalized z for norm="batch" or "layer", the stream x_l for residual=alpha."""
    out, cache = forward(params, X, activation, norm=norm, residual=residual)
    if dout is None:
        dout = check_rng(rng).standard_normal(out.shape)
    back = backward_pass(params, cache, dout)
    act, L = cache.activation, len(params)
    rows = {k: np.full(L, np.nan) for k in LayerStats.__dataclass_fields__}
    with np.errstate(all="ignore"):
        for l in range(L):
            rows["z_mean"][l], rows["z_std"][l] = finite_mean_std(cache.ys[l])
            rows["a_mean"][l], rows["a_std"][l] = finite_mean_std(cache.acts[l])
            if l < L - 1:
                rows["saturated"][l] = saturated_fraction(cache.acts[l], act, threshold)
                rows["dead"][l] = dead_fraction(cache.ys[l], act, cache.acts[l])
            rows["grad_norm"][l] = frobenius(back.grads[l][0])
            rows["grad_std"][l] = finite_mean_std(back.dzs[l])[1]
    return LayerStats(**rows)


def fmt(x, digits: int = 3) -> str:
    """A number rounded to `digits` significant figures for printing, or 'diverged' if not finite."""
    if isinstance(x, np.ndarray) and x.size == 1:
        x = x.item()
    if x is not None and (isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, float, np.number))):
        raise TypeError(f"fmt formats one number, got {type(x).__name__}")
    digits = check_size("digits", digits)
    if x is None or not np.isfinite(x):
        return "diverged"
    return f"{float(x):.{digits}g}"
