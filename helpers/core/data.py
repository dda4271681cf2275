"""Two-dimensional toy datasets drawn from an explicit rng: X (n, 2) standardized, y (n,) int labels."""
from __future__ import annotations

import numpy as np

from .checks import check_nonnegative, check_rng, check_size


def standardize(X):
    """Scale each column to mean 0 and std 1 (the inputs SELU and the init theory assume)."""
    X = np.asarray(X, dtype=np.float64)
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)


def _split(n, classes):
    n, classes = check_size("n", n), check_size("classes", classes)
    return np.arange(n) % classes


def make_spirals(n, rng, classes: int = 2, noise: float = 0.2, turns: float = 1.5):
    """Interleaved spiral arms, one per class (n points in all)."""
    rng, y = check_rng(rng), _split(n, classes)
    noise = check_nonnegative("noise", noise)
    r = rng.uniform(0.1, 1.0, size=len(y))
    theta = 2 * np.pi * (turns * r + y / classes)
    X = np.c_[r * np.cos(theta), r * np.sin(theta)] + noise * 0.1 * rng.standard_normal((len(y), 2))
    return standardize(X), y


def make_moons(n, rng, noise: float = 0.1):
    """Two interleaving half circles."""
    rng, y = check_rng(rng), _split(n, 2)
    noise = check_nonnegative("noise", noise)
    t = rng.uniform(0, np.pi, size=len(y))
    X = np.where(y[:, None] == 0, np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return standardize(X + noise * rng.standard_normal(X.shape)), y


def make_circles(n, rng, noise: float = 0.05, factor: float = 0.5):
    """A small circle (class 1) inside a large one (class 0)."""
    rng, y = check_rng(rng), _split(n, 2)
    noise = check_nonnegative("noise", noise)
    t = rng.uniform(0, 2 * np.pi, size=len(y))
    radius = np.where(y == 0, 1.0, factor)
    X = radius[:, None] * np.c_[np.cos(t), np.sin(t)]
    return standardize(X + noise * rng.standard_normal(X.shape)), y


DATASETS = {"spirals": make_spirals, "moons": make_moons, "circles": make_circles}
