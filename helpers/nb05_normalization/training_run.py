"""Notebook 05's experiment: a deep net on the moons, with or without batch norm and gradient clipping."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..core.checks import check_choice, check_memory, check_size
from ..core.data import make_moons
from ..core.network import init_mlp
from ..core.stats import LayerStats, layer_stats
from ..core.training import History, train

__all__ = ["normalization_run", "NormalizationRun"]

WIDTH, STEPS, BATCH, STATS_BATCH = 32, 80, 32, 128


@lru_cache(maxsize=1)
def _data():
    return make_moons(256, np.random.default_rng(0))


@lru_cache(maxsize=16)
def _initial_stats(sizes, init, activation, norm, seed) -> LayerStats:
    """The net's statistics at initialization: the same whatever the learning rate or the clipping, so
    moving those controls does not measure them again."""
    params = init_mlp(list(sizes), init, np.random.default_rng(seed + 1), norm=norm)
    return layer_stats(params, _data()[0][:STATS_BATCH], activation, rng=np.random.default_rng(0), norm=norm)


@dataclass
class NormalizationRun:
    """At initialization: per-layer `stats` (LayerStats). In training: `history` (hp.History) and the
    global weight-gradient norm of each step before and after clipping (`norm_before`, `norm_after`)."""

    stats: LayerStats
    history: History
    norm_before: np.ndarray
    norm_after: np.ndarray
    clip: str
    threshold: float
    lr: float


def normalization_run(depth=10, init="he_normal", activation="relu", batch_norm=False, clip="norm",
                      threshold=1.0, lr=0.5, *, width=WIDTH, steps=STEPS, seed: int) -> NormalizationRun:
    """Build a net of `depth` weight layers (width units each) on the two moons, measure it at initialization,
    then train it for `steps` mini-batch SGD steps, clipping gradients `clip` ("none", "norm", "value")."""
    depth, width = check_size("depth", depth), check_size("width", width)
    check_memory(f"a net of {depth} layers of width {width}", depth * width * (width + 1))
    clip = check_choice("clip", clip, ("none", "norm", "value"))
    X, y = _data()
    sizes = [2] + [width] * (depth - 1) + [2]
    kw = dict(lr=lr, steps=steps, batch_size=BATCH, rng=np.random.default_rng(seed + 2),
              clip_value=threshold if clip == "value" else None, clip_norm=threshold if clip == "norm" else None)
    norm = "batch" if batch_norm else None
    stats = _initial_stats(tuple(sizes), init, activation, norm, seed)
    history = train(init_mlp(sizes, init, np.random.default_rng(seed + 1), norm=norm), X, y,
                    activation, norm=norm, **kw)[1]
    with np.errstate(all="ignore"):
        before = np.sqrt(np.sum(history.grad_norm ** 2, axis=1))
        after = np.sqrt(np.sum(history.update_norm ** 2, axis=1)) / lr
    return NormalizationRun(stats, history, before, after, clip, threshold, lr)
