"""The recurrent case: one matrix W applied again and again, h_t = f(h_{t-1} @ W).

Unrolled over T steps a recurrent net is a T-layer net whose layers all share W. Going
forward, h_T = h_0 W^T for a linear f; going backward, dL/dh_0 = dL/dh_T (W^T)^T. Both
behave like rho(W)^T, where the spectral radius rho(W) = max |eigenvalue of W|
(Gelfand: ||W^t||^(1/t) -> rho(W)). rho > 1 explodes, rho < 1 vanishes, and even
rho = 1.1 gives 1.1^100 ~ 1.4e4 over 100 steps. A feed-forward net draws a fresh W per
layer; here the same direction is amplified at every step.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.checks import check_array, check_choice, check_memory, check_nonnegative, check_rng, check_size
from ..core.activations import get_activation
from ..core.network import Cache
from ..core.stats import frobenius

MATRIX_KINDS = ("normal", "orthogonal")


def spectral_radius(W) -> float:
    """rho(W) = max |lambda| over the (possibly complex) eigenvalues of a square matrix W."""
    W = check_array("W", W)
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be square (n, n) to be applied repeatedly, got shape {W.shape}")
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def recurrent_matrix(n, radius, rng, kind: str = "normal"):
    """A random (n, n) matrix rescaled so that its spectral radius is exactly `radius`.

    kind "normal": N(0, 1) entries, rescaled (before rescaling rho ~ sqrt(n), the circular law);
    kind "orthogonal": radius * Q with Q orthogonal, so every singular value is `radius` too
    and ||h W^t|| = radius^t ||h|| exactly.
    """
    n = check_size("n", n)
    check_memory("an (n, n) matrix", 2.0 * n * n)
    radius = check_nonnegative("radius", radius)
    check_choice("matrix kind", kind, MATRIX_KINDS)
    rng = check_rng(rng)
    A = rng.standard_normal((n, n))
    if kind == "orthogonal":
        Q, R = np.linalg.qr(A)
        return radius * Q * np.sign(np.diag(R))  # sign fix: Q uniformly distributed (Haar)
    return A * (radius / spectral_radius(A))


@dataclass
class RecurrentRun:
    """Norms along an unrolled recurrence, arrays of shape (steps + 1,), index t = 0..T.

    h_norm[t]: root-mean-square over the batch of ||h_t||.
    grad_norm[t]: the same for ||dL/dh_t||, back-propagated from dL/dh_T = `dout` at t = T.
    Values that overflowed are inf or NaN; `diverged` says so.
    """

    h_norm: np.ndarray
    grad_norm: np.ndarray

    @property
    def steps(self) -> int:
        return len(self.h_norm) - 1

    @property
    def diverged(self) -> bool:
        return not (np.all(np.isfinite(self.h_norm)) and np.all(np.isfinite(self.grad_norm)))


def _rms_norm(h) -> float:
    """Root-mean-square over the batch (rows) of ||h_row||: the Frobenius norm / sqrt(batch)."""
    return frobenius(h) / np.sqrt(len(h))


def unroll_recurrent(W, h0, steps, activation="linear", dout=None) -> RecurrentRun:
    """Apply W `steps` times from h0 (batch, n) or (n,): h_t = f(h_{t-1} @ W); norms both ways.

    Backward (the same W at every step): dz_t = dh_t * f'(z_t), dh_{t-1} = dz_t @ W.T.
    dout, dL/dh_T, defaults to (1, ..., 1) / sqrt(n) for every example: a unit-size gradient.
    Overflow gives inf/NaN norms quietly, never a warning.
    """
    W = check_array("W", W)
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"W must be square (n, n) to be applied repeatedly, got shape {W.shape}")
    h = check_array("h0", np.atleast_2d(h0), width=W.shape[0])
    steps = check_size("steps", steps)
    check_memory("the unrolled steps", 2.0 * (steps + 1) * h.size)
    act = get_activation(activation)
    h_norm, grad_norm, zs, acts = np.empty(steps + 1), np.empty(steps + 1), [], []
    with np.errstate(all="ignore"):
        h_norm[0] = _rms_norm(h)
        for t in range(1, steps + 1):
            z = h @ W
            h = act.f(z)
            zs.append(z)
            acts.append(h)
            h_norm[t] = _rms_norm(h)
        if dout is None:
            dh = np.full(h.shape, 1.0 / np.sqrt(W.shape[0]))
        else:
            dh = np.array(np.broadcast_to(check_array("dout", np.atleast_2d(dout), width=W.shape[0]), h.shape))
        grad_norm[steps] = _rms_norm(dh)
        for t in range(steps, 0, -1):
            dz = act.backprop(np.array(dh), zs[t - 1], acts[t - 1])
            dh = dz @ W.T
            grad_norm[t - 1] = _rms_norm(dh)
    return RecurrentRun(h_norm, grad_norm)


def growth_per_step(norms, start: int = 0) -> float:
    """Geometric-mean growth factor per step, (norms[T] / norms[start]) ** (1 / (T - start)); inf if diverged."""
    norms = check_array("norms", norms, ndim=1, allow_nonfinite=True)
    if not isinstance(start, (int, np.integer)) or isinstance(start, bool) or start < 0:
        raise ValueError(f"start must be a whole number >= 0, got {start!r}")
    if len(norms) < start + 2:
        raise ValueError(f"norms must be 1-D with more than start + 1 = {start + 1} values, got shape {norms.shape}")
    if not np.all(np.isfinite(norms[:start + 1])) or np.any(norms < 0) or np.isnan(norms).any():
        raise ValueError("norms must be sizes (>= 0), finite at the start")
    with np.errstate(all="ignore"):
        if norms[start] == 0:
            return float("nan") if norms[-1] == 0 else float("inf")  # 0 -> 0 has no growth rate
        ratio = norms[-1] / norms[start]
        if not np.isfinite(ratio):
            return float("inf")
        return float(ratio ** (1.0 / (len(norms) - 1 - start)))


@dataclass(frozen=True)
class MeanOffset:
    """Per hidden layer (arrays of shape (L - 1,)): see mean_offset_stats."""

    offset_share: np.ndarray
    offset_theory: np.ndarray
    stuck: np.ndarray
    spread: np.ndarray


def mean_offset_stats(cache, threshold: float = 0.01) -> MeanOffset:
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
    if not isinstance(cache, Cache):
        raise TypeError(f"cache must be the Cache of a forward pass (hp.forward(...)[1]), got {type(cache).__name__}")
    check_nonnegative("threshold", threshold)
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
    return MeanOffset(**out)
