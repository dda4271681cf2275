"""The notebook 06 explorers' kept random streams and passes give, to the last bit, what the plain computation
gives (init_mlp, forward, backward_pass)."""
import numpy as np

from helpers.core.losses import softmax_cross_entropy
from helpers.core.network import backward_pass, forward, init_mlp
from helpers.core.stats import finite_mean_std
from helpers.nb06_papers import explorer as ex
from helpers.ui.plotting import layer_histograms


def plain_histogram_pass(init, width, depth, activation):
    """_histogram_pass computed the plain way, with nothing kept between calls."""
    rng = np.random.default_rng(ex.SEED)
    X, y = rng.standard_normal((ex.BATCH, width)), rng.integers(0, ex.CLASSES, ex.BATCH)
    params = init_mlp([width] * (depth + 1) + [ex.CLASSES], init, rng)
    out, cache = forward(params, X, activation)
    dzs = backward_pass(params, cache, softmax_cross_entropy(out, y)[1]).dzs
    acts, grads = cache.acts[:-1], dzs[:-1]
    a_std = np.array([finite_mean_std(a)[1] for a in acts])
    g_std = np.array([finite_mean_std(g)[1] for g in grads])
    lo = 0.0 if activation in ("sigmoid", "relu") else -1.0
    hi = 1.0 if activation in ("sigmoid", "tanh") else max(4 * a_std.max(), 1e-12)
    a_edges = np.linspace(lo, hi, 61)
    g_lim = 3 * g_std.max() if np.all(np.isfinite(g_std)) and g_std.max() > 0 else 1.0
    g_edges = np.linspace(-g_lim, g_lim, 61)
    return {"init": init, "activation": activation, "depth": depth, "width": width,
            "a_counts": layer_histograms(acts, a_edges), "a_edges": a_edges,
            "g_counts": layer_histograms(grads, g_edges), "g_edges": g_edges, "a_std": a_std, "g_std": g_std}


def assert_same(fast, slow):
    assert fast.keys() == slow.keys()
    for key, value in slow.items():
        if isinstance(value, str):
            assert fast[key] == value, key
        else:
            assert np.array_equal(np.asarray(fast[key]), np.asarray(value), equal_nan=True), key


def test_histogram_pass_matches_the_plain_computation_along_a_walk():
    walk = [("standard_uniform", 200, 5, "tanh"), ("standard_uniform", 200, 8, "tanh"),
            ("standard_uniform", 200, 3, "tanh"), ("standard_uniform", 200, 10, "tanh"),
            ("standard_uniform", 100, 10, "tanh"), ("glorot_uniform", 100, 2, "sigmoid"),
            ("glorot_uniform", 100, 9, "sigmoid"), ("he_uniform", 300, 4, "relu"), ("he_uniform", 300, 6, "relu"),
            ("he_uniform", 200, 5, "tanh"), ("standard_uniform", 200, 6, "relu")]
    for settings in walk:
        assert_same(ex._histogram_pass(*settings), plain_histogram_pass(*settings))

