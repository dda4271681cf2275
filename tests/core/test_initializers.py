import numpy as np
import pytest

import helpers as hp

FAN_IN, FAN_OUT = 600, 250
FAN_AVG = (FAN_IN + FAN_OUT) / 2
EXPECTED_VAR = {
    "standard_normal": 1.0,
    "standard_uniform": 1 / (3 * FAN_IN),
    "glorot_normal": 1 / FAN_AVG,
    "glorot_uniform": 1 / FAN_AVG,
    "he_normal": 2 / FAN_IN,
    "he_uniform": 2 / FAN_IN,
    "lecun_normal": 1 / FAN_IN,
    "lecun_uniform": 1 / FAN_IN,
}


@pytest.mark.parametrize("scheme", sorted(EXPECTED_VAR))
def test_variance_within_3_percent(scheme, rng):
    W = hp.init_weights(FAN_IN, FAN_OUT, scheme, rng)
    assert W.shape == (FAN_IN, FAN_OUT)
    # 150,000 draws: the sample variance's relative std is about sqrt(2/n) = 0.4%, so 3% is > 7 sigma
    assert abs(W.var() / EXPECTED_VAR[scheme] - 1) < 0.03
    assert abs(W.mean()) < 5 * np.sqrt(EXPECTED_VAR[scheme] / W.size)
    assert hp.scheme_variance(FAN_IN, FAN_OUT, scheme) == pytest.approx(EXPECTED_VAR[scheme])


@pytest.mark.parametrize("scheme", [s for s in EXPECTED_VAR if s.endswith("uniform")])
def test_uniform_stays_inside_limit(scheme, rng):
    W = hp.init_weights(FAN_IN, FAN_OUT, scheme, rng)
    r = hp.uniform_limit(EXPECTED_VAR[scheme])
    assert np.abs(W).max() <= r
    assert np.abs(W).max() > 0.99 * r  # and fills it


@pytest.mark.parametrize("scheme", [s for s in EXPECTED_VAR if s.endswith("normal")])
def test_normals_are_not_truncated(scheme, rng):
    W = hp.init_weights(FAN_IN, FAN_OUT, scheme, rng)
    # 150,000 normal draws put about 400 beyond 3 std; a truncated normal puts none
    assert np.sum(np.abs(W) > 3 * np.sqrt(EXPECTED_VAR[scheme])) > 200


@pytest.mark.parametrize("scheme", sorted(EXPECTED_VAR))
def test_same_seed_same_weights(scheme):
    a = hp.init_weights(30, 20, scheme, np.random.default_rng(7))
    b = hp.init_weights(30, 20, scheme, np.random.default_rng(7))
    c = hp.init_weights(30, 20, scheme, np.random.default_rng(8))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_gain_scales_std(rng):
    W = hp.init_weights(FAN_IN, FAN_OUT, "he_normal", rng, gain=3.0)
    assert abs(W.var() / (9 * 2 / FAN_IN) - 1) < 0.03


@pytest.mark.parametrize("mode,n", [("fan_in", FAN_IN), ("fan_out", FAN_OUT), ("fan_avg", FAN_AVG)])
@pytest.mark.parametrize("distribution", ["truncated_normal", "untruncated_normal", "uniform"])
def test_variance_scaling_keras_semantics(mode, n, distribution, rng):
    W = hp.variance_scaling(FAN_IN, FAN_OUT, scale=2.0, mode=mode, distribution=distribution, rng=rng)
    assert abs(W.var() / (2.0 / n) - 1) < 0.03
    if distribution == "truncated_normal":
        # Keras: cut at 2 std of the underlying normal, whose std is sqrt(scale / n) / 0.8796...
        assert np.abs(W).max() <= 2 * np.sqrt(2.0 / n) / hp.TRUNCATED_STD
    if distribution == "uniform":
        assert np.abs(W).max() <= np.sqrt(3 * 2.0 / n)


def test_truncated_std_constant():
    # std of N(0, 1) truncated to [-2, 2]: sqrt(1 - 2 * 2 * phi(2) / (2 * Phi(2) - 1))
    from math import erf, exp, pi, sqrt
    phi2 = exp(-2) / sqrt(2 * pi)
    mass = erf(2 / sqrt(2))
    assert hp.TRUNCATED_STD == pytest.approx(sqrt(1 - 4 * phi2 / mass), rel=1e-12)


@pytest.mark.parametrize("call,match", [
    (lambda r: hp.init_weights(10, 10, "xavier", r), "unknown scheme 'xavier'.*glorot_normal"),
    (lambda r: hp.init_weights(0, 10, "he_normal", r), "fan_in must be a positive integer"),
    (lambda r: hp.init_weights(10, 2.5, "he_normal", r), "fan_out must be a positive integer"),
    (lambda r: hp.init_weights(10, 10, "he_normal", r, gain=-1), "gain"),
    (lambda r: hp.init_weights(10, 10, "he_normal", 0), "rng must be a numpy Generator"),
    (lambda r: hp.variance_scaling(10, 10, mode="fan_mean", rng=r), "unknown mode 'fan_mean'.*fan_avg"),
    (lambda r: hp.variance_scaling(10, 10, distribution="normal", rng=r), "unknown distribution 'normal'.*uniform"),
    (lambda r: hp.variance_scaling(10, 10, scale=0, rng=r), "scale must be"),
])
def test_bad_input(call, match, rng):
    with pytest.raises(ValueError, match=match):
        call(rng)
