"""The initialization explorer's staged caches (shared random streams, kept weights, kept forward passes) give,
to the last bit, what the plain computation gives: init_mlp, forward, backward_pass and the statistics."""
import numpy as np
import pytest

from helpers.core.network import backward_pass, forward, init_mlp
from helpers.nb03_initialization import explorer as ex
from helpers.nb03_initialization.experiments import pass_std_profile
from tests.widget_checks import assert_same


def plain(activation, scheme, depth, width, gain):
    """The explorer's result computed the plain way, with nothing kept between calls."""
    params = init_mlp([width] * (depth + 1), scheme, np.random.default_rng(ex.SEED), gain=gain)
    data = np.random.default_rng(ex.SEED + 1)
    batch = ex._batch(width)
    X, dout = data.standard_normal((batch, width)), data.standard_normal((batch, width))
    out, cache = forward(params, X, activation)
    a_std, grad_std, sat = pass_std_profile(cache, backward_pass(params, cache, dout), saturation=True)
    return ex._summary(activation, scheme, depth, width, gain, cache.acts, a_std, grad_std, sat)


# a walk over the controls as a student moves them: deeper and back, wider and narrower, every scheme kind,
# gains that make the net vanish or blow up (inf), each activation kind
WALK = [("relu", "glorot_normal", 20, 128, 1.0), ("relu", "glorot_normal", 23, 128, 1.0),
        ("relu", "glorot_normal", 7, 128, 1.0), ("relu", "glorot_normal", 24, 128, 1.0),
        ("relu", "glorot_normal", 24, 144, 1.0), ("relu", "glorot_normal", 24, 64, 1.0),
        ("tanh", "glorot_uniform", 24, 64, 1.0), ("tanh", "he_uniform", 30, 96, 1.0),
        ("sigmoid", "standard_normal", 30, 96, 1.0), ("sigmoid", "standard_normal", 30, 96, 10.0),
        ("selu", "standard_normal", 40, 96, 10.0), ("selu", "standard_normal", 45, 96, 10.0),
        ("linear", "lecun_normal", 2, 16, 0.1), ("elu", "he_normal", 3, 16, 1.1220184543019633),
        ("leaky_relu", "he_normal", 12, 32, 0.1), ("leaky_relu", "he_normal", 13, 32, 0.1)]


@pytest.mark.parametrize("start", [0, 5])
def test_compute_matches_the_plain_computation_along_a_walk(start):
    for settings in WALK[start:] + WALK[:start]:
        assert_same(ex._compute(*settings), plain(*settings))


def test_a_diverged_net_is_handled_like_the_plain_one():
    settings = ("linear", "standard_normal", 200, 48, 10.0)  # beyond the sliders: overflows to inf, then NaN
    with np.errstate(all="ignore"):
        slow = plain(*settings)
    assert not np.all(np.isfinite(slow["a_std"]))
    assert_same(ex._compute(*settings[:2], 40, *settings[3:]), plain(*settings[:2], 40, *settings[3:]))
    assert_same(ex._compute(*settings), slow)
