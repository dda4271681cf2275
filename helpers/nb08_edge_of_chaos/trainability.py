"""Training experiments of notebook 08: which depths train at which sigma_w^2 (Schoenholz et al. 2017, against
their 6 xi_c), and how training time of deep linear nets depends on depth and init (Saxe et al. 2014).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.checks import (check_array, check_choice, check_labels, check_memory, check_nonnegative, check_positive,
                           check_rng, check_size)
from ..core.network import init_mlp
from ..core.training import evaluate, train
from .meanfield import mean_field


def tanh_net(sizes, sw2, sb2, *, rng):
    """params of a tanh net for training: W ~ N(0, sigma_w^2 / fan_in) in every layer, b ~ N(0, sigma_b^2)."""
    sw2, sb2 = check_positive("sw2 (sigma_w^2)", sw2), check_nonnegative("sb2 (sigma_b^2)", sb2)
    rng = check_rng(rng)
    params = init_mlp(sizes, "lecun_normal", rng=rng, gain=float(np.sqrt(sw2)))
    return [(W, rng.normal(0.0, np.sqrt(sb2), len(b))) for W, b in params]


@dataclass(frozen=True)
class TrainabilityGrid:
    """Test accuracy of tanh nets after a short training, for each depth (rows) and sigma_w^2 (columns).

    accuracy (len(depths), len(sw2)) is NaN where training diverged; xi_c (len(sw2),) is the theory's depth scale.
    """

    sw2: np.ndarray
    depths: np.ndarray
    sb2: float
    accuracy: np.ndarray
    xi_c: np.ndarray
    steps: int

    def predicted(self, k: float = 6.0) -> np.ndarray:
        """True where the theory says the net trains: depth < k xi_c."""
        return self.depths[:, None] < k * self.xi_c[None, :]

    def trained(self, threshold: float) -> np.ndarray:
        """True where the measured test accuracy reached the threshold (diverged counts as untrained)."""
        with np.errstate(invalid="ignore"):
            return np.nan_to_num(self.accuracy, nan=0.0) >= threshold

    def agreement(self, threshold: float, k: float = 6.0) -> float:
        """Fraction of cells where 'depth < k xi_c' and 'accuracy >= threshold' agree."""
        return float(np.mean(self.predicted(k) == self.trained(threshold)))

    def best_k(self, threshold: float, ks=None):
        """(lowest k, highest k, agreement) of the multiples k of xi_c that separate best."""
        ks = np.round(np.arange(0.5, 20.01, 0.25), 2) if ks is None else np.asarray(ks, dtype=np.float64)
        scores = np.array([self.agreement(threshold, k) for k in ks])
        best = ks[scores == scores.max()]
        return float(best.min()), float(best.max()), float(scores.max())


def trainability_grid(X_train, y_train, X_test, y_test, sw2s, depths, *, rng, sb2: float = 0.05, width: int = 32,
                      steps: int = 60, lr: float = 0.1, batch_size: int = 128) -> TrainabilityGrid:
    """Train one tanh net per (depth, sigma_w^2) with mini-batch SGD (hp.train, record=False); test accuracy."""
    X_train, X_test = check_array("X_train", X_train), check_array("X_test", X_test)
    sw2s = np.array([check_positive("sw2", s) for s in sw2s])
    depths = np.array([check_size("depth", d) for d in depths])
    width, rng = check_size("width", width), check_rng(rng)
    y_train, y_test = check_labels("y_train", y_train, len(X_train)), check_labels("y_test", y_test, len(X_test))
    classes = int(max(np.max(y_train), np.max(y_test))) + 1
    check_memory("the read-out layer (labels up to max(y))", classes * width)
    acc = np.full((len(depths), len(sw2s)), np.nan)
    for i, depth in enumerate(depths):
        for j, sw2 in enumerate(sw2s):
            params = tanh_net([X_train.shape[1]] + [width] * int(depth) + [classes], sw2, sb2, rng=rng)
            params, history = train(params, X_train, y_train, "tanh", lr=lr, steps=steps, batch_size=batch_size,
                                    rng=rng, record=False)
            if not history.diverged:
                acc[i, j] = evaluate(params, X_test, y_test, "tanh")[1]
    xi = np.array([mean_field(s, sb2, "tanh").xi_c for s in sw2s])
    return TrainabilityGrid(sw2s, depths, float(sb2), acc, xi, int(steps))


INITS = {"orthogonal": "orthogonal", "Gaussian": "lecun_normal"}  # label -> scheme; both Var(W) = 1 / width


@dataclass(frozen=True)
class DepthRace:
    """Deep linear nets trained full-batch: steps_to[init] (len(depths),) = first step with loss <= target
    (NaN if never within `steps`), loss[init] (len(depths), steps)."""

    depths: np.ndarray
    target: float
    steps: int
    steps_to: dict
    loss: dict


def linear_depth_race(X, y, depths, *, rng, target: float = 0.5, steps: int = 110, lr: float = 0.1,
                      inits=tuple(INITS)) -> DepthRace:
    """Saxe et al.'s experiment: linear nets of L = depths layers (width = inputs, then a read-out), each init,
    trained with gradient descent at the learning rate lr / L (their depth-scaled rate). Same seed per depth."""
    X = check_array("X", X)
    depths = np.array([check_size("depth", d) for d in depths])
    target, lr, steps = check_positive("target", target), check_positive("lr", lr), check_size("steps", steps)
    rng = check_rng(rng)
    y = check_labels("y", y, len(X))
    classes = int(np.max(y)) + 1
    check_memory("the read-out layer (labels up to max(y))", classes * X.shape[1])
    seeds = rng.integers(0, 2**32, size=len(depths))
    steps_to, losses = {}, {}
    for label in inits:
        check_choice("init", label, INITS)
        hits, curves = [], []
        for depth, seed in zip(depths, seeds):
            params = init_mlp([X.shape[1]] * int(depth) + [classes], INITS[label], rng=np.random.default_rng(seed))
            _, history = train(params, X, y, "linear", lr=lr / depth, steps=steps, record=False)
            hit = history.steps_to(target)
            hits.append(np.nan if hit is None else hit)
            curves.append(history.loss)
        steps_to[label], losses[label] = np.array(hits, dtype=np.float64), np.array(curves)
    return DepthRace(depths, float(target), int(steps), steps_to, losses)
