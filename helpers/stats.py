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


def mean_offset_stats(cache, threshold: float = 0.01) -> dict:
    """What a non-zero mean does to each hidden layer of a forward pass (arrays of shape (L - 1,)).

    Split z_j = c_j + s_j, c_j = z_j's mean over the batch (a per-unit offset, the same for every
    input) and s_j the part that depends on the input. Then:
    offset_share: Var over units of c_j / Var(z), the share of z's variance that ignores the input;
    offset_theory: the same predicted from the layer's inputs a_i = m_i + d_i (with independent
        weights): sum_i m_i^2 W_ij^2 over sum_i E[a_i^2] W_ij^2, i.e. mean(m^2) / E[a^2]
        (for layer 1, the data's column means);
    stuck: fraction of units within `threshold` of the same asymptote for every example
        (saturated whatever the input: they carry no information and pass no gradient);
    spread: mean over units of the std over examples of a_j, as a share of f's range.
    """
    act = cache.activation
    if act.bounds is None:
        raise ValueError(f"mean_offset_stats needs a saturating activation (sigmoid, tanh, logistic - 0.5), "
                         f"got {act.name!r}")
    lo, hi = act.bounds
    hidden = len(cache.zs) - 1
    out = {k: np.empty(hidden) for k in ("offset_share", "offset_theory", "stuck", "spread")}
    inputs = [cache.X] + cache.acts[:-1]
    with np.errstate(all="ignore"):
        for l in range(hidden):
            z, a, a_in = cache.zs[l], cache.acts[l], inputs[l]
            out["offset_share"][l] = z.mean(axis=0).var() / z.var()
            out["offset_theory"][l] = np.mean(a_in.mean(axis=0) ** 2) / np.mean(a_in ** 2)
            u = (a - lo) / (hi - lo)
            out["stuck"][l] = np.mean(np.all(u < threshold, axis=0) | np.all(u > 1 - threshold, axis=0))
            out["spread"][l] = np.mean(u.std(axis=0))
    return out


def fmt(x, digits: int = 3) -> str:
    """A number rounded to `digits` significant figures for printing, or 'diverged' if not finite."""
    if x is None or not np.isfinite(x):
        return "diverged"
    return f"{float(x):.{digits}g}"
