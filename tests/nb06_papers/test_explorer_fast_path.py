"""The notebook 06 explorers' kept random streams and passes give, to the last bit, what the plain computation
gives (init_mlp, forward, backward_pass)."""
import numpy as np

from helpers.core.losses import softmax_cross_entropy
from helpers.core.network import backward_pass, forward, init_mlp
from helpers.nb06_papers import explorer as ex
from tests.widget_checks import assert_same


def plain_histogram_pass(init, width, depth, activation):
    """_histogram_pass computed the plain way, with nothing kept between calls."""
    rng = np.random.default_rng(ex.SEED)
    X, y = rng.standard_normal((ex.BATCH, width)), rng.integers(0, ex.CLASSES, ex.BATCH)
    params = init_mlp([width] * (depth + 1) + [ex.CLASSES], init, rng)
    out, cache = forward(params, X, activation)
    dzs = backward_pass(params, cache, softmax_cross_entropy(out, y)[1]).dzs
    return ex._summary(init, activation, depth, width, cache.acts[:-1], dzs[:-1])


def test_histogram_pass_matches_the_plain_computation_along_a_walk():
    walk = [("standard_uniform", 200, 5, "tanh"), ("standard_uniform", 200, 8, "tanh"),
            ("standard_uniform", 200, 3, "tanh"), ("standard_uniform", 200, 10, "tanh"),
            ("standard_uniform", 100, 10, "tanh"), ("glorot_uniform", 100, 2, "sigmoid"),
            ("glorot_uniform", 100, 9, "sigmoid"), ("he_uniform", 300, 4, "relu"), ("he_uniform", 300, 6, "relu"),
            ("he_uniform", 200, 5, "tanh"), ("standard_uniform", 200, 6, "relu")]
    for settings in walk:
        assert_same(ex._histogram_pass(*settings), plain_histogram_pass(*settings))

