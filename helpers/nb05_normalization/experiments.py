"""Deep self-normalizing stacks (notebook 05): per-layer signal statistics of thousands of square layers."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.checks import check_array, check_rng, check_size
from ..core.activations import Activation, get_activation
from ..core.normalization import normalize
from ..core.network import init_mlp


@dataclass
class Signal:
    """Per-layer statistics of a deep stack, layer l = 1..depth: each unit's mean and std over the batch,
    averaged over units (as Geron prints them). A std near 1 means the examples still differ."""

    mean: np.ndarray
    std: np.ndarray


def deep_signal(X, depth, init="lecun_normal", activation="selu", rng=None, *, batch_norm=False) -> Signal:
    """Push X (batch, width) through `depth` square layers a_l = f(a_{l-1} @ W_l), keeping only statistics.

    Weights are drawn layer by layer from `rng` (so thousands of layers need no memory); `activation` is
    a name or a list of one name per layer; batch_norm=True normalizes each z (gamma 1, beta 0) first.
    """
    X = check_array("X", X)
    depth, rng = check_size("depth", depth), check_rng(rng)
    names = [activation] * depth if isinstance(activation, (str, Activation)) else list(activation)
    if len(names) != depth:
        raise ValueError(f"activation must be one name or a list of {depth} names, got {len(names)}")
    acts = [get_activation(name) for name in names]
    width, a = X.shape[1], X
    mean, std = np.empty(depth), np.empty(depth)
    one, zero = np.ones(width), np.zeros(width)
    with np.errstate(all="ignore"):
        for l in range(depth):
            z = a @ init_mlp([width, width], init, rng)[0][0]
            if batch_norm:
                z = normalize(z, one, zero, "batch", running=(zero, one))[0]
            a = acts[l].f(z)
            mean[l], std[l] = a.mean(axis=0).mean(), a.std(axis=0).mean()
    return Signal(mean, std)
