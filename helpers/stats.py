"""Per-layer statistics of a forward and backward pass: what the plots of the series show."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import backward_pass, forward


@dataclass
class LayerStats:
    """One value per hidden-or-output layer l = 1..L (arrays of shape (L,)).

    z_mean, z_std, a_mean, a_std: of pre-activations z_l and activations a_l over batch and units.
    saturated: fraction of a_l within `threshold` of an asymptote (sigmoid/tanh; NaN for others).
    dead: fraction of units whose derivative f'(z) is 0 for every example of the batch.
    grad_norm: Frobenius norm of dW_l;  grad_std: std of dLoss/dz_l (the back-propagated gradient).
    Values that overflowed are inf or NaN; `diverged` says so.
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
    """Fraction of entries of a = f(z) within `threshold` of an asymptote of f, as a share of its range.

    For sigmoid that is a < t or a > 1 - t; for tanh |a| > 1 - 2t. The default 0.01 marks units whose
    derivative is under 4% of its maximum. NaN for activations that do not saturate.
    """
    if activation.bounds is None:
        return float("nan")
    lo, hi = activation.bounds
    u = (np.asarray(a) - lo) / (hi - lo)
    return float(np.mean((u < threshold) | (u > 1 - threshold)))


def dead_fraction(z, activation, a=None) -> float:
    """Fraction of units (columns of z) whose derivative f'(z) is exactly 0 for every example (rows).

    Pass a = f(z) too when you have it: the derivative is then cheaper to get.
    """
    with np.errstate(all="ignore"):
        slope = activation.df(z) if a is None else activation.df_from_a(z, a)
        return float(np.mean(~np.any(slope, axis=0)))


def _safe_mean_std(x):
    with np.errstate(all="ignore"):
        if not np.all(np.isfinite(x)):
            return np.nan, np.inf
        return float(x.mean()), float(x.std())


def layer_stats(params, X, activation="tanh", dout=None, threshold: float = 0.01, rng=None) -> LayerStats:
    """Per-layer statistics of one forward and backward pass of X through params.

    dout defaults to a standard-normal dLoss/d(out) drawn from `rng` (or a fixed seed), so the
    backward statistics show how the net scales a unit-size gradient on its way down.
    """
    out, cache = forward(params, X, activation)
    if dout is None:
        dout = (rng or np.random.default_rng(0)).standard_normal(out.shape)
    back = backward_pass(params, cache, dout)
    act = cache.activation
    L = len(params)
    rows = {k: np.empty(L) for k in LayerStats.__dataclass_fields__}
    with np.errstate(all="ignore"):
        for l in range(L):
            z, a = cache.zs[l], cache.acts[l]
            rows["z_mean"][l], rows["z_std"][l] = _safe_mean_std(z)
            rows["a_mean"][l], rows["a_std"][l] = _safe_mean_std(a)
            hidden = l < L - 1
            rows["saturated"][l] = saturated_fraction(a, act, threshold) if hidden else np.nan
            rows["dead"][l] = dead_fraction(z, act, a) if hidden else np.nan
            dW = back.grads[l][0]
            rows["grad_norm"][l] = np.sqrt(np.sum(dW * dW)) if np.all(np.isfinite(dW)) else np.inf
            rows["grad_std"][l] = _safe_mean_std(back.dzs[l])[1]
    return LayerStats(**rows)


def fmt(x, digits: int = 3) -> str:
    """A number rounded to `digits` significant figures for printing, or 'diverged' if not finite."""
    if x is None or not np.isfinite(x):
        return "diverged"
    return f"{float(x):.{digits}g}"
