"""Vanishing gradients, measured: a chain of one-unit layers, and a deep net's saturation profile.

Chain of `depth` one-unit layers (notebook 01, claim C02), read out by a linear unit of weight 1:
    z_1 = w x + b,   a_l = f(z_l),   z_{l+1} = w a_l + b,   out = a_L.
Backward from dLoss/d(out) = 1, one factor per layer:
    dLoss/dz_l = f'(z_l) * w * f'(z_{l+1}) * ... * w * f'(z_L) = w^(L-l) * prod_{k=l..L} f'(z_k),
so with the sigmoid (f' <= 1/4) and w = 1 the gradient reaching layer 1 is at most 0.25^L.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.checks import check_memory, check_nonnegative, check_positive, check_rng, check_size
from ..core.activations import get_activation
from ..core.network import backward_pass, forward, init_mlp
from ..ui.plotting import layer_histograms
from ..core.stats import LayerStats, layer_stats


@dataclass
class ChainGradient:
    """One forward and backward pass through a chain, for n inputs (arrays of shape (n, depth)).

    z[:, l-1] = z_l;  slope[:, l-1] = f'(z_l), the factor layer l contributes;
    dz[:, l-1] = dLoss/dz_l with dLoss/da_L = 1.  `first` is dz[:, 0], the gradient reaching layer 1.
    """

    z: np.ndarray
    slope: np.ndarray
    dz: np.ndarray

    @property
    def first(self) -> np.ndarray:
        return self.dz[:, 0]


def chain_gradient(x, depth, activation="sigmoid", weight: float = 1.0, bias: float = 0.0) -> ChainGradient:
    """Forward and backward pass of inputs x (a number or shape (n,)) through a chain of `depth` units.

    Uses hp.forward / hp.backward_pass on 1 x 1 weight matrices, so the numbers are those of the
    package's MLP; see the module docstring for the formula.
    """
    depth = check_size("depth", depth)
    x = np.atleast_1d(np.asarray(x, dtype=np.float64))
    if x.ndim != 1:
        raise ValueError(f"x must be a number or a 1-D array of inputs, got shape {x.shape}")
    check_memory("a chain of this depth and these inputs", 8.0 * depth * max(x.size, 1))
    w, b = np.full((1, 1), float(weight)), np.full(1, float(bias))
    params = [(w, b)] * depth + [(np.ones((1, 1)), np.zeros(1))]  # the read-out passes dLoss/da_L = 1
    out, cache = forward(params, x[:, None], activation)
    back = backward_pass(params, cache, np.ones_like(out))
    z = np.hstack(cache.zs[:-1])
    with np.errstate(all="ignore"):
        slope = cache.activation.df(z)
    return ChainGradient(z=z, slope=slope, dz=np.hstack(back.dzs[:-1]))


@dataclass
class SaturationProfile:
    """A deep net at initialization: per-layer statistics and histograms of the hidden activations.

    stats: LayerStats of the net (layers 1..depth; the last one is the linear output);
    hist: (depth - 1, bins) fraction of each hidden layer's activations per bin of `edges`,
    whose first and last bins are exactly the saturated bands (within 1% of the range of an asymptote).
    """

    stats: LayerStats
    hist: np.ndarray
    edges: np.ndarray
    activation: str
    std: float

    @property
    def depth(self) -> int:
        return self.stats.depth

    @property
    def saturated(self) -> float:
        """Fraction of all hidden units' activations that are saturated."""
        return float(np.mean(self.stats.saturated[:-1]))

    @property
    def first_to_last(self) -> float:
        """||dW_1|| / ||dW_L||: below 1 the gradient vanishes on its way down, above 1 it grows."""
        with np.errstate(all="ignore"):
            return float(self.stats.grad_norm[0] / self.stats.grad_norm[-1])


def saturation_edges(activation, bins: int = 40, threshold: float = 0.01) -> np.ndarray:
    """Histogram edges over the activation's range whose two outer bins are its saturated bands."""
    bounds = get_activation(activation).bounds
    if bounds is None:
        raise ValueError(f"activation {activation!r} does not saturate: it has no saturated bands")
    lo, hi = bounds
    bins = check_size("bins", bins)
    check_memory("bins", bins)
    if bins < 3:
        raise ValueError(f"bins must be at least 3 (two saturated bands and the range between), got {bins}")
    if not check_nonnegative("threshold", threshold) < 0.5:
        raise ValueError(f"threshold must be a share of the range in [0, 0.5), got {threshold!r}")
    t = threshold * (hi - lo)
    return np.r_[lo, np.linspace(lo + t, hi - t, bins - 1), hi]


def saturation_profile(std, depth, activation="sigmoid", width: int = 64, batch: int = 256, *,
                       rng) -> SaturationProfile:
    """A net of `depth` layers of `width` units with N(0, std^2) weights, at initialization.

    Inputs X (batch, width) and the gradient dLoss/d(out) (batch, width) are standard normal, drawn
    with the weights from `rng` (a np.random.Generator): the same seed gives the same net.
    activation: "sigmoid" or "tanh" (the saturating ones, whose saturation the profile measures).
    """
    if activation not in ("sigmoid", "tanh"):
        raise ValueError(f"activation must be 'sigmoid' or 'tanh' (a saturating one), got {activation!r}")
    std, depth = check_positive("std", std), check_size("depth", depth)
    if depth < 2:
        raise ValueError(f"depth must be at least 2 (one hidden layer and the output), got {depth}")
    width, batch = check_size("width", width), check_size("batch", batch)
    check_memory("a net of this depth, width and batch", float(depth) * width * (width + 6.0 * batch))
    rng = check_rng(rng)
    X = rng.standard_normal((batch, width))
    params = init_mlp([width] * (depth + 1), std, rng)
    dout = rng.standard_normal((batch, width))
    stats = layer_stats(params, X, activation, dout=dout)
    _, cache = forward(params, X, activation)
    edges = saturation_edges(activation)
    return SaturationProfile(stats, layer_histograms(cache.acts[:-1], edges), edges, activation, std)
