"""Two-dimensional toy datasets drawn from an explicit rng: X (n, 2) standardized, y (n,) int labels."""
import numpy as np

from .checks import check_array, check_memory, check_nonnegative, check_rng, check_size


def standardize(X):
    """Scale each column to mean 0 and std 1 (the inputs SELU and the init theory assume)."""
    X = check_array("X", X)
    if np.abs(X).max() > 1e150:  # scale first, so the squares inside std cannot overflow
        X = X / np.abs(X).max(axis=0)
    std = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)


def _split(n, classes):
    n, classes = check_size("n", n), check_size("classes", classes)
    check_memory(f"{n} points", 4 * n)
    return np.arange(n) % classes


def make_spirals(n, rng, classes: int = 2, noise: float = 0.2, turns: float = 1.5):
    """Interleaved spiral arms, one per class (n points in all)."""
    rng, y, noise = check_rng(rng), _split(n, classes), check_nonnegative("noise", noise)
    r = rng.uniform(0.1, 1.0, size=len(y))
    theta = 2 * np.pi * (turns * r + y / classes)
    X = np.c_[r * np.cos(theta), r * np.sin(theta)] + noise * 0.1 * rng.standard_normal((len(y), 2))
    return standardize(X), y


def make_moons(n, rng, noise: float = 0.1):
    """Two interleaving half circles."""
    rng, y, noise = check_rng(rng), _split(n, 2), check_nonnegative("noise", noise)
    t = rng.uniform(0, np.pi, size=len(y))
    X = np.where(y[:, None] == 0, np.c_[np.cos(t), np.sin(t)], np.c_[1 - np.cos(t), 0.5 - np.sin(t)])
    return standardize(X + noise * rng.standard_normal(X.shape)), y


def load_digits_split(rng, test_fraction: float = 0.25):
    """scikit-learn's 8x8 handwritten digits (1797 images, no download), shuffled by `rng` and split into
    (X_train, y_train, X_test, y_test): X (n, 64) standardized by the training set's columns, y the digits 0..9."""
    from sklearn.datasets import load_digits  # imported here: only notebooks 07-08 need scikit-learn

    rng, test_fraction = check_rng(rng), check_nonnegative("test_fraction", test_fraction, strict=True, high=1.0)
    data = load_digits()
    order = rng.permutation(len(data.target))
    X, y = data.data[order].astype(np.float64), data.target[order].astype(np.int64)
    n_test = int(round(test_fraction * len(y)))
    mean, std = X[n_test:].mean(axis=0), X[n_test:].std(axis=0)
    X = (X - mean) / np.where(std > 0, std, 1.0)  # the training set's statistics for both parts
    return X[n_test:], y[n_test:], X[:n_test], y[:n_test]
