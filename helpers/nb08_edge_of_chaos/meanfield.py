"""Mean-field signal propagation (Poole et al. 2016; Schoenholz et al. 2017): the length map, the correlation
map, chi_1, xi_c and the critical line, with Gaussian integrals done by Gauss-Hermite quadrature.

A net with W ~ N(0, sigma_w^2 / N), b ~ N(0, sigma_b^2) and activation f, at width N -> infinity:
    length map       q^l     = sigma_w^2 E[f(sqrt(q^{l-1}) z)^2] + sigma_b^2                  (z ~ N(0, 1))
    slope            chi_1   = sigma_w^2 E[f'(sqrt(q*) z)^2]          (each layer multiplies |grad|^2 by chi_1)
    correlation map  c^l     = (sigma_w^2 E[f(u1) f(u2)] + sigma_b^2) / q*,
                     u1 = sqrt(q*) z1,  u2 = sqrt(q*) (c z1 + sqrt(1 - c^2) z2)
    depth scale      xi_c    = -1 / ln chi_c,  chi_c = sigma_w^2 E[f'(u1) f'(u2)] at c = c*
                     (c* = 1 and chi_c = chi_1 in the ordered phase, chi_1 < 1; c* < 1 in the chaotic one)
Arguments called sw2 and sb2 are the variances sigma_w^2 and sigma_b^2.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from ..core.activations import get_activation
from ..core.checks import check_array, check_memory, check_nonnegative, check_positive, check_size

N_QUAD = 151   # 1-D nodes: E[tanh'(sqrt(q) z)^2] to 1e-4 relative for q <= 5 (q* stays below 5 on our grids)
N_QUAD_2D = 61  # per axis of the 2-D (correlation) integrals
MAX_ITERS = 1000  # bisection halves the bracket each time: far beyond 60 steps nothing changes


def check_variances(sw2, sb2) -> None:
    """sigma_w^2 and sigma_b^2 (numbers or arrays) must be finite and >= 0 (checked, not converted)."""
    for name, v in (("sw2 (sigma_w^2)", sw2), ("sb2 (sigma_b^2)", sb2)):
        if np.any(check_array(name, v, ndim=None) < 0):
            raise ValueError(f"{name} is a variance: it must be >= 0, got {v!r}")


def _check_iters(iters) -> int:
    if check_size("iters", iters) > MAX_ITERS:
        raise ValueError(f"iters must be at most {MAX_ITERS}, got {iters}")
    return iters


@functools.lru_cache(maxsize=4)
def gauss_hermite(n: int = N_QUAD):
    """Nodes z and weights w with sum(w g(z)) = E[g(Z)], Z ~ N(0, 1) (probabilists' Hermite, weights / sqrt(2 pi))."""
    z, w = np.polynomial.hermite_e.hermegauss(n)
    z.flags.writeable = False
    w = w / np.sqrt(2 * np.pi)
    w.flags.writeable = False
    return z, w


def gaussian_mean(g, q, n: int = N_QUAD):
    """E[g(sqrt(q) Z)] for Z ~ N(0, 1), for a scalar or an array q (broadcast over its shape)."""
    if not callable(g):
        raise TypeError(f"g must be a function of an array, got {type(g).__name__}")
    check_memory("n quadrature nodes", 2.0 * check_size("n", n) ** 2)
    z, w = gauss_hermite(n)
    q = check_array("q", q, ndim=None, allow_nonfinite=True)  # an overflowed length gives inf/NaN: data
    if np.any(q < 0):
        raise ValueError("q is a variance: it must be >= 0")
    with np.errstate(all="ignore"):
        return g(np.sqrt(q)[..., None] * z) @ w


def length_map(q, sw2, sb2, activation="tanh"):
    """One step of the length map: sigma_w^2 E[f(sqrt(q) z)^2] + sigma_b^2."""
    f = get_activation(activation).f
    check_variances(sw2, sb2)
    with np.errstate(all="ignore"):  # huge variances overflow to inf: data, not a warning
        return sw2 * gaussian_mean(lambda u: f(u) ** 2, q) + sb2


def q_star(sw2, sb2, activation="tanh", iters: int = 52):
    """The fixed point q* of the length map, by bisection on length_map(q) - q (arrays broadcast).

    q* >= sigma_b^2; at sigma_b = 0 q* = 0 unless the map pushes small q up (sigma_w^2 f'(0)^2 > 1).
    The bracket's top, sigma_w^2 max f^2 + sigma_b^2, holds for bounded f; for ReLU the map is linear
    (q -> sigma_w^2 q / 2 + sigma_b^2) and q* is its closed form (inf beyond sigma_w^2 = 2).
    """
    check_variances(sw2, sb2)
    iters = _check_iters(iters)
    sw2, sb2 = np.broadcast_arrays(np.asarray(sw2, dtype=np.float64), np.asarray(sb2, dtype=np.float64))
    act = get_activation(activation)
    if act.name in ("relu", "linear"):
        slope = sw2 / 2 if act.name == "relu" else sw2
        with np.errstate(all="ignore"):
            out = np.where(slope < 1, sb2 / (1 - slope), np.inf)
        return np.where((sb2 == 0) & (slope <= 1), 0.0, out)[()]
    if act.bounds is None:
        raise ValueError(f"q_star handles bounded activations, relu and linear, got {act.name!r}")
    with np.errstate(all="ignore"):  # huge variances overflow to inf: data, not a warning
        lo = np.maximum(sb2, 1e-12)
        hi = sw2 * max(abs(b) for b in act.bounds) ** 2 + sb2 + 1.0
        grows = length_map(lo, sw2, sb2, act) > lo  # false only when sigma_b = 0 and q = 0 is stable
        for _ in range(iters):
            mid = (lo + hi) / 2
            up = length_map(mid, sw2, sb2, act) > mid
            lo, hi = np.where(up, mid, lo), np.where(up, hi, mid)
    return np.where(grows | (sb2 > 0), (lo + hi) / 2, 0.0)[()]


def _length(q, sw2, sb2, f):
    """length_map at one length q (floats), the same operations without its checks (callers check once)."""
    z, w = gauss_hermite()
    u = f(z * math.sqrt(q))  # sqrt(q) z, f of it, squared: the same roundings as np.sqrt(q) * z and u ** 2
    u *= u
    return sw2 * (u @ w) + sb2


def length_chain(q, sw2, sb2, f, n):
    """[q, L(q), L(L(q)), ...]: n floats, the length map iterated from q with activation function f (a kernel
    without checks: callers check q, sw2, sb2 and n, and ignore floating-point errors)."""
    out = [q]
    for _ in range(n - 1):
        out.append(float(_length(out[-1], sw2, sb2, f)))
    return out


def _q_star1(sw2, sb2, act, iters=52):
    """q_star at one point (floats, checked by the caller): the same bisection and operations, ~20x faster."""
    if act.name in ("relu", "linear"):
        slope = sw2 / 2 if act.name == "relu" else sw2
        return 0.0 if sb2 == 0 and slope <= 1 else sb2 / (1 - slope) if slope < 1 else np.inf
    if act.bounds is None:
        raise ValueError(f"q_star handles bounded activations, relu and linear, got {act.name!r}")
    lo, hi = max(sb2, 1e-12), sw2 * max(abs(b) for b in act.bounds) ** 2 + sb2 + 1.0
    grows = _length(lo, sw2, sb2, act.f) > lo
    for _ in range(iters):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if _length(mid, sw2, sb2, act.f) > mid else (lo, mid)
    return (lo + hi) / 2 if grows or sb2 > 0 else 0.0


def _chi1(q, sw2, act):
    """chi_1 at one point given its q* (floats, checked by the caller): chi_1's operations."""
    if act.name in ("relu", "linear"):
        return sw2 * (0.5 if act.name == "relu" else 1.0)
    return sw2 * ((act.df(np.sqrt(max(q, 1e-24)) * gauss_hermite()[0]) ** 2) @ gauss_hermite()[1])


def chi_1(sw2, sb2, activation="tanh"):
    """chi_1 = sigma_w^2 E[f'(sqrt(q*) z)^2]: the factor by which each layer multiplies |dL/dz|^2.
    At q* = 0 it is the limit q -> 0+ (sigma_w^2 f'(0)^2 for smooth f); ReLU gives sigma_w^2 / 2 at every q."""
    act = get_activation(activation)
    check_variances(sw2, sb2)
    if act.name in ("relu", "linear"):
        return (np.asarray(sw2, dtype=np.float64) * (0.5 if act.name == "relu" else 1.0))[()]
    q = np.maximum(q_star(sw2, sb2, act), 1e-24)
    with np.errstate(all="ignore"):
        return sw2 * gaussian_mean(lambda u: act.df(u) ** 2, q)


def _pair_means(g, q, c, n=N_QUAD_2D):
    """E[g(u1) g(u2)] for the pair (u1, u2) of variance q and correlation c (scalars)."""
    z, w = gauss_hermite(n)
    z1, z2 = z[:, None], z[None, :]
    u1 = np.sqrt(q) * z1
    u2 = np.sqrt(q) * (c * z1 + np.sqrt(max(1 - c * c, 0.0)) * z2)
    return float(w @ (g(u1) * g(u2)) @ w)


def correlation_map(c, sw2, sb2, activation="tanh", q=None):
    """One step of the correlation map at the length q (q* by default): c^{l+1} as a function of c^l."""
    act = get_activation(activation)
    check_variances(sw2, sb2)
    if isinstance(c, bool) or not np.ndim(c) == 0 or not -1 - 1e-9 <= check_array("c", c, ndim=None) <= 1 + 1e-9:
        raise ValueError(f"c is a correlation: one number in [-1, 1], got {c!r}")
    q = float(q_star(sw2, sb2, act)) if q is None else check_nonnegative("q", q)
    if q == 0:
        return 1.0
    with np.errstate(all="ignore"):  # an overflowed length (huge variances) gives inf/NaN: data
        return _correlation(float(c), sw2, sb2, act.f, q)


def _correlation(c, sw2, sb2, f, q):
    """One step of the correlation map (floats, q > 0, checked by the caller)."""
    return (sw2 * _pair_means(f, q, c) + sb2) / q


@dataclass(frozen=True)
class MeanField:
    """Theory at one (sigma_w^2, sigma_b^2): fixed points q* and c*, slopes chi_1 and chi_c, depth scale xi_c."""

    sw2: float
    sb2: float
    activation: str
    q_star: float
    chi_1: float
    c_star: float
    chi_c: float
    xi_c: float

    @property
    def phase(self) -> str:
        """"ordered" (chi_1 < 0.995), "chaotic" (chi_1 > 1.005) or "critical" in between (|ln chi_1| < 0.005)."""
        return "ordered" if self.chi_1 < 0.995 else ("chaotic" if self.chi_1 > 1.005 else "critical")


def mean_field(sw2, sb2, activation="tanh", iters: int = 300) -> MeanField:
    """q*, chi_1, c*, chi_c and xi_c = -1 / ln chi_c at one point (c* by iterating the correlation map)."""
    sw2, sb2 = check_positive("sw2 (sigma_w^2)", sw2), check_nonnegative("sb2 (sigma_b^2)", sb2)
    act = get_activation(activation)
    iters = check_size("iters", iters)
    with np.errstate(all="ignore"):  # q_star, chi_1 and correlation_map's operations, q* found once
        q = float(_q_star1(sw2, sb2, act))
        chi = float(_chi1(q, sw2, act))
        c, chi_c = 1.0, chi
        if chi > 1 and np.isfinite(q) and q > 0:  # c = 1 is unstable: the map falls to c* < 1
            c = 0.5
            for _ in range(iters):
                c_new = _correlation(c, sw2, sb2, act.f, q)
                if abs(c_new - c) < 1e-12:
                    break
                c = c_new
            c = float(c_new)
            chi_c = sw2 * _pair_means(act.df, q, c)
    with np.errstate(divide="ignore"):
        xi = float(np.inf) if chi_c >= 1 or chi_c <= 0 else float(-1 / np.log(chi_c))
    return MeanField(sw2, sb2, act.name, q, chi, c, float(chi_c), xi)


def critical_sw2(sb2, activation="tanh", lo: float = 0.5, hi: float = 10.0, iters: int = 46):
    """sigma_w^2 on the critical line chi_1 = 1 at this sigma_b^2 (bisection; arrays of sb2 broadcast)."""
    check_variances(1.0, sb2)
    if not check_positive("lo", lo) < check_positive("hi", hi):
        raise ValueError(f"the bracket [lo, hi] must have lo < hi, got [{lo!r}, {hi!r}]")
    iters = _check_iters(iters)
    if np.ndim(sb2) == 0:  # one point: the same bisection and operations on floats, ~10x faster
        act, lo, hi, sb2 = get_activation(activation), float(lo), float(hi), float(sb2)
        with np.errstate(all="ignore"):
            for _ in range(iters):
                mid = (lo + hi) / 2
                lo, hi = (lo, mid) if _chi1(_q_star1(mid, sb2, act), mid, act) > 1 else (mid, hi)
        return np.float64((lo + hi) / 2)
    sb2 = np.asarray(sb2, dtype=np.float64)
    lo, hi = np.full(sb2.shape, lo), np.full(sb2.shape, hi)
    for _ in range(iters):
        mid = (lo + hi) / 2
        chaotic = chi_1(mid, sb2, activation) > 1
        lo, hi = np.where(chaotic, lo, mid), np.where(chaotic, mid, hi)
    return ((lo + hi) / 2)[()]


def critical_point_for_q(q, activation="tanh"):
    """(sigma_w^2, sigma_b^2) on the critical line whose fixed point is q* = q (Pennington et al.'s family):
    sigma_w^2 = 1 / E[f'(sqrt(q) z)^2], sigma_b^2 = q - sigma_w^2 E[f(sqrt(q) z)^2]."""
    act = get_activation(activation)
    q = check_positive("q", q)
    sw2 = 1 / float(gaussian_mean(lambda u: act.df(u) ** 2, q))
    return sw2, q - sw2 * float(gaussian_mean(lambda u: act.f(u) ** 2, q))
