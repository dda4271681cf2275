"""Weight initializers (fan_in, fan_out): N(0, 1), Glorot, He, LeCun, orthogonal, and Keras' variance scaling.

Every scheme but orthogonal is variance scaling: Var(W) = scale / n with n = fan_in, fan_out or fan_avg, drawn
from a normal (std sqrt(scale / n)) or a uniform on [-r, r] with the same variance, r = sqrt(3 scale / n).
"""
import numpy as np

from .checks import check_choice, check_memory, check_nonnegative, check_positive, check_rng, check_size

# scheme -> (scale, mode, distribution); "standard_*" are the pre-2010 heuristics
SCHEMES = {
    "standard_normal": (None, None, "untruncated_normal"),  # N(0, 1) whatever the fans
    "standard_uniform": (1 / 3, "fan_in", "uniform"),        # U[-1/sqrt(n), 1/sqrt(n)], Glorot & Bengio eq. 1
    "glorot_normal": (1.0, "fan_avg", "untruncated_normal"),
    "glorot_uniform": (1.0, "fan_avg", "uniform"),
    "he_normal": (2.0, "fan_in", "untruncated_normal"),
    "he_uniform": (2.0, "fan_in", "uniform"),
    "lecun_normal": (1.0, "fan_in", "untruncated_normal"),
    "lecun_uniform": (1.0, "fan_in", "uniform"),
    "orthogonal": (1.0, "fan_max", "orthogonal"),  # Var(W) = 1 / max(fan_in, fan_out), see orthogonal()
}
MODES = ("fan_in", "fan_out", "fan_avg")
DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")
# std of a standard normal truncated to [-2, 2]; Keras divides by it so the variance stays scale / n
TRUNCATED_STD = 0.87962566103423978


def _shape(fan_in, fan_out):
    """(fan_in, fan_out) checked: positive whole numbers whose matrix fits in memory."""
    shape = check_size("fan_in", fan_in), check_size("fan_out", fan_out)
    check_memory(f"a {shape[0]} x {shape[1]} weight matrix", shape[0] * shape[1])
    return shape


def fan(fan_in: int, fan_out: int, mode: str) -> float:
    """The n of Var(W) = scale / n: fan_in, fan_out, fan_avg = (fan_in + fan_out) / 2, or fan_max (orthogonal's)."""
    fan_in, fan_out = check_size("fan_in", fan_in), check_size("fan_out", fan_out)
    fans = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2, "fan_max": max(fan_in, fan_out)}
    return fans[check_choice("mode", mode, fans)]


def scheme_variance(fan_in: int, fan_out: int, scheme: str) -> float:
    """The variance a scheme gives each weight of a fan_in x fan_out layer."""
    scale, mode, _ = SCHEMES[check_choice("scheme", scheme, SCHEMES)]
    return 1.0 if scale is None else scale / fan(fan_in, fan_out, mode)


def uniform_limit(variance: float) -> float:
    """The r of U[-r, r] with the given variance: r = sqrt(3 variance)."""
    return float(np.sqrt(3.0 * check_nonnegative("variance", variance)))


def variance_scaling(fan_in, fan_out, scale=1.0, mode="fan_in", distribution="truncated_normal", *, rng):
    """Weights (fan_in, fan_out) with Var = scale / fan(mode), as Keras' VarianceScaling; "truncated_normal"
    is cut at 2 std and widened by 1 / TRUNCATED_STD to keep that variance."""
    shape, scale, rng = _shape(fan_in, fan_out), check_positive("scale", scale), check_rng(rng)
    check_choice("distribution", distribution, DISTRIBUTIONS)
    variance = scale / fan(*shape, mode)
    if distribution == "uniform":
        return rng.uniform(-uniform_limit(variance), uniform_limit(variance), size=shape)
    if distribution == "untruncated_normal":
        return rng.normal(0.0, np.sqrt(variance), size=shape)
    std = np.sqrt(variance) / TRUNCATED_STD
    W = rng.normal(0.0, 1.0, size=shape)
    bad = np.abs(W) > 2.0
    while bad.any():  # redraw the tails, as tf.random.truncated_normal does
        W[bad] = rng.normal(0.0, 1.0, size=int(bad.sum()))
        bad = np.abs(W) > 2.0
    return std * W


def orthogonal(fan_in, fan_out, gain: float = 1.0, *, rng) -> np.ndarray:
    """Weights (fan_in, fan_out), Haar-random with orthonormal columns (fan_in >= fan_out: W.T @ W = gain^2 I)
    or rows (fan_in < fan_out: W @ W.T = gain^2 I), drawn as Keras' Orthogonal and PyTorch's (on W.T) do:
    QR of a Gaussian (max, min) matrix, Q's columns times sign(diag(R)) (without it Q is not Haar)."""
    (fan_in, fan_out), gain = _shape(fan_in, fan_out), check_positive("gain", gain)
    A = check_rng(rng).normal(0.0, 1.0, size=(max(fan_in, fan_out), min(fan_in, fan_out)))
    Q, R = np.linalg.qr(A)
    Q *= np.sign(np.diag(R))
    return gain * (Q if fan_in >= fan_out else Q.T)


def init_weights(fan_in, fan_out, scheme, rng, gain: float = 1.0) -> np.ndarray:
    """Weights (fan_in, fan_out) drawn by a scheme of SCHEMES (normals not truncated); `gain` multiplies their std."""
    scale, mode, distribution = SCHEMES[check_choice("scheme", scheme, SCHEMES)]
    gain = check_positive("gain", gain)
    if distribution == "orthogonal":
        return orthogonal(fan_in, fan_out, gain, rng=rng)
    if scale is None:
        return gain * check_rng(rng).normal(0.0, 1.0, size=_shape(fan_in, fan_out))
    return gain * variance_scaling(fan_in, fan_out, scale, mode, distribution, rng=rng)
