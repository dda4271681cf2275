"""Deep, narrow ReLU nets that are dead at initialization (Lu et al. 2019): Monte Carlo against the formula.

A net of `depth` hidden ReLU layers of `width` units, zero biases and weights drawn from a continuous
distribution symmetric about 0, is *dead at an input x* when its last hidden layer is all zeros there.
For one input x != 0:
    each unit of a layer whose input a != 0 has z_j = a . w_j, symmetric and independent across j,
    so the whole layer is zero with probability 2^-width;  a zero layer gives z = 0 @ W + 0 = 0: it stays dead.
Hence  P(dead after `depth` layers) = 1 - (1 - 2^-width)^depth  (e.g. width 2, depth 10: 0.944).
`simulate_dead_nets` runs many whole random nets at once and counts; it never uses the formula.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.checks import check_array, check_choice, check_memory, check_nonnegative, check_rng, check_size

WEIGHT_DISTRIBUTIONS = ("normal", "uniform")
MAX_NETS = 10**7


def dead_net_probability(width, depth):
    """P(the last of `depth` hidden layers of `width` units is all zeros at one input) = 1 - (1 - 2^-width)^depth.

    width and depth are positive integers or integer arrays (they broadcast). Exact for zero biases and
    continuous weights symmetric about 0; computed as -expm1(depth * log1p(-2^-width)) so that tiny
    probabilities keep their digits.
    """
    w, d = np.asarray(width), np.asarray(depth)
    for name, v in (("width", w), ("depth", d)):
        if v.size == 0 or not np.issubdtype(v.dtype, np.integer) or np.any(v <= 0):
            raise ValueError(f"{name} must be a positive integer (or an array of them), got {v.tolist()!r}")
    p = -np.expm1(d * np.log1p(-np.exp2(-w.astype(np.float64))))
    return float(p) if p.ndim == 0 else p


def binomial_band(p, n_nets, k: float = 4.0):
    """(low, high) = p -/+ k sqrt(p (1 - p) / n_nets): where a Monte-Carlo fraction of n_nets nets
    falls with probability > 99.99% (k = 4) if the true probability is p."""
    n_nets, k = check_size("n_nets", n_nets), check_nonnegative("k", k)
    p = check_array("p", p, ndim=None)
    if np.any(p < 0) or np.any(p > 1):
        raise ValueError("p must hold probabilities in [0, 1]")
    half = k * np.sqrt(p * (1 - p) / n_nets)
    return p - half, p + half


@dataclass
class DeadNets:
    """A Monte-Carlo run over n_nets random nets, each fed one random input.

    dead[l]: fraction of nets whose hidden layer l+1 is all zeros (shape (depth,)); dead[-1] is the answer.
    collapsed[l]: fraction of nets with an all-zero layer among layers 1..l+1; from such a layer on, the
    net no longer depends on its input near x. Equal to `dead` when biases are 0 (a dead layer stays dead).
    revived: how many times an all-zero layer was followed by a living one (0 whenever biases are 0).
    smallest_alive: over nets still alive at the last layer, the smallest largest activation there;
    far above 1e-308 means no living net was counted dead by floating-point underflow.
    """

    width: int
    depth: int
    n_nets: int
    dead: np.ndarray
    collapsed: np.ndarray
    revived: int
    smallest_alive: float

    @property
    def fraction(self) -> float:
        """Fraction of nets dead at the last hidden layer."""
        return float(self.dead[-1])

    @property
    def stderr(self) -> float:
        """Binomial standard error of `fraction`."""
        return float(np.sqrt(self.fraction * (1 - self.fraction) / self.n_nets))


def simulate_dead_nets(width, depth, n_nets, rng, *, input_dim=None, bias_std=0.0, weights="normal",
                       chunk: int = 20000) -> DeadNets:
    """Run n_nets random ReLU nets (depth hidden layers of `width` units) on one random input each.

    Weights: He-scaled, N(0, 2/fan_in) ("normal") or U[-r, r] with the same variance ("uniform"); their
    scale does not change which units are positive. Biases: 0, or N(0, bias_std^2) if bias_std > 0
    (which breaks "a dead layer stays dead"). The input of each net is N(0, I) of size input_dim
    (default width), nonzero with probability 1. All nets run at once as batched products
    (n_nets, fan_in) x (n_nets, fan_in, width), in chunks of `chunk` nets to bound memory.
    """
    width, depth, n_nets = check_size("width", width), check_size("depth", depth), check_size("n_nets", n_nets)
    input_dim = width if input_dim is None else check_size("input_dim", input_dim)
    bias_std = check_nonnegative("bias_std", bias_std)
    check_choice("weights", weights, WEIGHT_DISTRIBUTIONS)
    rng, chunk = check_rng(rng), check_size("chunk", chunk)
    if n_nets > MAX_NETS:
        raise ValueError(f"n_nets must be at most {MAX_NETS:,} (the binomial error is then below 0.0002), got {n_nets}")
    check_memory("a chunk of nets", 3.0 * min(chunk, n_nets) * max(input_dim, width) * width + 2.0 * depth)
    dead_counts, collapsed_counts, revived, smallest = np.zeros(depth), np.zeros(depth), 0, np.inf
    for start in range(0, n_nets, chunk):
        m = min(chunk, n_nets - start)
        a = rng.standard_normal((m, input_dim))
        was_dead = np.zeros(m, dtype=bool)
        ever_dead = np.zeros(m, dtype=bool)
        with np.errstate(over="ignore", invalid="ignore"):  # a huge bias std overflows: data, not a warning
            for l in range(depth):
                fan_in = a.shape[1]
                if weights == "normal":
                    W = rng.standard_normal((m, fan_in, width)) * np.sqrt(2.0 / fan_in)
                else:
                    W = rng.uniform(-1.0, 1.0, (m, fan_in, width)) * np.sqrt(6.0 / fan_in)
                z = np.matmul(a[:, None, :], W)[:, 0, :]  # one (1, fan_in) x (fan_in, width) product per net
                if bias_std > 0:
                    z += bias_std * rng.standard_normal((m, width))
                a = np.maximum(z, 0.0)
                dead = ~np.any(a > 0, axis=1)
                revived += int(np.sum(was_dead & ~dead))
                was_dead = dead
                ever_dead |= dead
                dead_counts[l] += dead.sum()
                collapsed_counts[l] += ever_dead.sum()
        if (~dead).any():
            smallest = min(smallest, float(a[~dead].max(axis=1).min()))
    return DeadNets(width, depth, n_nets, dead_counts / n_nets, collapsed_counts / n_nets, revived, smallest)


def dead_net_grid(widths, max_depth, n_nets, rng, *, progress=None, **kwargs):
    """Monte-Carlo fractions (len(widths), max_depth): entry [i, d-1] is the fraction of n_nets nets of
    width widths[i] dead after d hidden layers. One run per width gives every depth (the first d layers
    of a deeper net are a net of depth d), so the columns of a row share their nets.
    progress(i, width), if given, is called before each width (for a progress print).
    """
    widths = [check_size("width", w) for w in np.atleast_1d(widths).tolist()]
    check_memory("the grid", len(widths) * float(check_size("max_depth", max_depth)))
    out = np.empty((len(widths), check_size("max_depth", max_depth)))
    for i, w in enumerate(widths):
        if progress is not None:
            progress(i, w)
        out[i] = simulate_dead_nets(w, max_depth, n_nets, rng, **kwargs).dead
    return out
