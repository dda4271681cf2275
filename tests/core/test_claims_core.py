"""Claims of CLAIMS.md that the core package shows on its own (the notebooks' tests pin the rest)."""
import numpy as np
import pytest

import helpers as hp


def test_C01_sigmoid_saturates_and_peaks_at_a_quarter():
    s = hp.get_activation("sigmoid")
    z = np.linspace(-10, 10, 200001)
    slope = s.df(z)
    assert slope.max() == pytest.approx(0.25, abs=1e-12) and z[slope.argmax()] == pytest.approx(0, abs=1e-4)
    # sigma'(z) = sigma(1 - sigma) < e^-|z|, so for |z| > 5 the slope is below 0.007 and the value within 0.007 of 0 or 1
    far = np.abs(z) > 5
    assert slope[far].max() < np.exp(-5)
    assert np.all(np.minimum(s.f(z[far]), 1 - s.f(z[far])) < np.exp(-5))


def test_C04_variance_grows_forward_under_standard_normal(rng):
    width, depth = 100, 10
    params = hp.init_mlp([width] * (depth + 1), "standard_normal", rng)
    X = rng.standard_normal((500, width))
    out, cache = hp.forward(params, X, "sigmoid")
    var_z = np.array([z.var() for z in cache.zs])
    # Var(z_l) = fan_in * Var(W) * E[a_{l-1}^2]: for layer 1 that is 100 * 1 * 1 = 100 times Var(X)
    assert var_z[0] / X.var() == pytest.approx(width, rel=0.15)
    inputs = [X] + cache.acts[:-1]
    theory = np.array([width * np.mean(a ** 2) for a in inputs])
    np.testing.assert_allclose(var_z, theory, rtol=0.2)
    assert np.all(var_z > 10)  # every layer's pre-activation variance is far above the input's 1
    stats = hp.layer_stats(params, X, "sigmoid", rng=np.random.default_rng(0))
    assert np.all(stats.saturated[:-1] > 0.3)  # a third or more of the top layers' units are saturated


def test_C08_glorot_formulas_and_the_typo_in_note_002():
    fan_in, fan_out = 600, 250
    var = hp.scheme_variance(fan_in, fan_out, "glorot_normal")
    assert var == pytest.approx(1 / ((fan_in + fan_out) / 2)) == pytest.approx(2 / (fan_in + fan_out))
    assert hp.uniform_limit(hp.scheme_variance(fan_in, fan_out, "glorot_uniform")) == pytest.approx(
        np.sqrt(6 / (fan_in + fan_out)))
    typo = 2 / (fan_in - fan_out)  # note 002's sqrt(2 / (n_in - n_out)), squared
    assert abs(typo / var - 1) > 1  # off by more than 100% here, and negative when fan_in < fan_out
    assert 2 / (250 - 600) < 0


def test_C09_lecun_equals_glorot_for_square_layers():
    assert hp.scheme_variance(300, 300, "lecun_normal") == hp.scheme_variance(300, 300, "glorot_normal")
    assert hp.scheme_variance(300, 100, "lecun_normal") != hp.scheme_variance(300, 100, "glorot_normal")
    assert hp.scheme_variance(300, 100, "lecun_normal") == pytest.approx(1 / 300)


def test_C10_he_is_two_over_fan_in():
    assert hp.scheme_variance(300, 100, "he_normal") == pytest.approx(2 / 300)
    assert hp.scheme_variance(300, 100, "he_uniform") == pytest.approx(2 / 300)


@pytest.mark.parametrize("family,scale,mode", [("glorot", 1, "fan_avg"), ("he", 2, "fan_in"), ("lecun", 1, "fan_in")])
def test_C11_schemes_differ_only_by_scale_and_fan(family, scale, mode, rng):
    fan_in, fan_out = 600, 250
    n = hp.fan(fan_in, fan_out, mode)
    for dist in ("normal", "uniform"):
        assert hp.scheme_variance(fan_in, fan_out, f"{family}_{dist}") == pytest.approx(scale / n)
    normal = hp.init_weights(fan_in, fan_out, f"{family}_normal", rng)
    uniform = hp.init_weights(fan_in, fan_out, f"{family}_uniform", rng)
    assert normal.var() == pytest.approx(uniform.var(), rel=0.03)  # r = sqrt(3 sigma^2) keeps the variance
    assert np.abs(uniform).max() <= np.sqrt(3 * scale / n)


def _forward_std_ratio(scheme, rng, width=256, depth=30):
    params = hp.init_mlp([width] * (depth + 1), scheme, rng)
    X = rng.standard_normal((512, width))
    _, cache = hp.forward(params, X, "relu")
    std = np.array([z.std() for z in cache.zs])
    return np.exp(np.mean(np.log(std[1:] / std[:-1])))  # geometric mean of the per-layer ratio


def test_R2_relu_glorot_shrinks_by_one_over_sqrt2_he_keeps(rng):
    # Var(z_l) = fan_in Var(W) E[relu(z)^2] = fan_in Var(W) Var(z_{l-1}) / 2:
    # Glorot on square layers (Var(W) = 1/n) halves the variance; He (2/n) keeps it.
    assert _forward_std_ratio("glorot_normal", rng) == pytest.approx(1 / np.sqrt(2), rel=0.05)
    assert _forward_std_ratio("he_normal", rng) == pytest.approx(1.0, rel=0.05)
