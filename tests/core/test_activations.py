import warnings

import numpy as np
import pytest

import helpers as hp

ALL = [("linear", None), ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
       ("leaky_relu", 0.2), ("elu", None), ("elu", 0.5), ("selu", None)]


@pytest.mark.parametrize("name,alpha", ALL)
def test_derivative_matches_finite_differences(name, alpha, rng):
    act = hp.get_activation(name, alpha=alpha)
    z = rng.uniform(-6, 6, size=2000)
    z = z[np.abs(z) > 1e-4]  # away from the kink of the ReLU family
    eps = 1e-6
    numeric = (act.f(z + eps) - act.f(z - eps)) / (2 * eps)
    assert hp.relative_error(act.df(z), numeric) < 1e-7
    # the backward pass's shortcut from a = f(z) gives the same derivative
    np.testing.assert_allclose(act.slope(z, act.f(z)), act.df(z), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name,alpha", ALL)
def test_finite_and_warning_free_for_large_inputs(name, alpha):
    act = hp.get_activation(name, alpha=alpha)
    z = np.array([-1e3, -745.0, -50.0, 0.0, 50.0, 745.0, 1e3])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            values, slopes = act.f(z), act.df(z)
    assert np.all(np.isfinite(values)) and np.all(np.isfinite(slopes))
    assert values.dtype == np.float64 and slopes.dtype == np.float64


def test_sigmoid_values_and_limits():
    s = hp.get_activation("sigmoid")
    np.testing.assert_allclose(s.f(np.array([0.0])), [0.5])
    assert s.f(np.array([1e3]))[0] == 1.0 and s.f(np.array([-1e3]))[0] == 0.0
    z = np.linspace(-30, 30, 1001)
    np.testing.assert_allclose(s.f(z), 1 / (1 + np.exp(-z)), rtol=1e-12)


def test_definitions():
    z = np.array([-2.0, -0.5, 0.5, 2.0])
    np.testing.assert_allclose(hp.get_activation("leaky_relu").f(z), np.maximum(0.01 * z, z))
    np.testing.assert_allclose(hp.get_activation("leaky_relu", alpha=0.2).f(z), np.maximum(0.2 * z, z))
    np.testing.assert_allclose(hp.get_activation("elu").f(z), np.where(z > 0, z, np.exp(z) - 1))
    selu = hp.get_activation("selu")
    assert selu.params == {"lambda": 1.0507009873554805, "alpha": 1.6732632423543772}
    np.testing.assert_allclose(selu.f(z), 1.0507009873554805 * np.where(z > 0, z, 1.6732632423543772 * (np.exp(z) - 1)))
    assert hp.get_activation("relu").df(np.array([0.0]))[0] == 0.0


def test_default_alphas():
    assert hp.get_activation("leaky_relu").params["alpha"] == 0.01
    assert hp.get_activation("elu").params["alpha"] == 1.0


@pytest.mark.parametrize("kwargs,match", [
    (dict(name="swoosh"), "unknown activation 'swoosh'.*relu"),
    (dict(name="leaky_relu", alpha=-0.1), "alpha must be"),
    (dict(name="relu", alpha=0.1), "takes no alpha"),
    (dict(name=None), "unknown activation"),
])
def test_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        hp.get_activation(**kwargs)


def test_activation_object_passes_through():
    act = hp.get_activation("elu", alpha=0.5)
    assert hp.get_activation(act) is act


@pytest.mark.parametrize("name,alpha", ALL)
def test_inplace_backprop_equals_derivative(name, alpha, rng):
    act = hp.get_activation(name, alpha=alpha)
    z = rng.normal(0, 3, size=(5, 7))
    da = rng.normal(size=z.shape)
    expected = da * act.df(z)
    out = act.backprop(da.copy(), z, act.f(z))
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", hp.ACTIVATIONS)
def test_scalars_work_too(name):
    act = hp.get_activation(name)
    assert np.isfinite(act.f(np.float64(-3.0))) and np.isfinite(act.df(0.5))
    assert hp.sigmoid(0.0) == 0.5 and hp.sigmoid(np.array(-1e3)) == 0.0


def test_adding_an_activation_is_one_registry_entry(rng):
    """Register a new activation (softsign z / (1 + |z|)) in one call; the whole net then uses it, and the
    backward pass through it matches finite differences."""
    hp.register("softsign_test", f=lambda z: np.asarray(z) / (1 + np.abs(z)),
                df=lambda z: 1 / (1 + np.abs(np.asarray(z))) ** 2, bounds=(-1.0, 1.0))
    assert "softsign_test" in hp.activation_names()
    act = hp.get_activation("softsign_test")
    z = rng.uniform(-5, 5, size=200)
    assert hp.relative_error(act.df(z), (act.f(z + 1e-6) - act.f(z - 1e-6)) / 2e-6) < 1e-7
    params = hp.init_mlp([3, 5, 4, 2], "glorot_normal", rng=rng)
    X, y = rng.normal(size=(6, 3)), rng.integers(0, 2, size=6)
    assert hp.check_gradients(params, X, y, activation="softsign_test", loss="cross_entropy") < 1e-6
    assert 0 <= hp.saturated_fraction(hp.forward(params, X, "softsign_test")[1].acts[0], act) <= 1


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "elu", "selu", "gelu", "swish", "mish"])
def test_derivatives_are_exact_in_both_tails(name):
    """No cancellation: f'(z) at |z| = 40 is the tiny positive number it should be (or the exact limit), the
    same from z as from a = f(z), and symmetric where f is."""
    act = hp.get_activation(name)
    z = np.array([-40.0, 40.0])
    slope = act.df(z)
    assert np.all(np.isfinite(slope)) and (name in ("swish", "mish") or np.all(slope >= 0))  # those two dip below 0
    np.testing.assert_array_equal(act.slope(z, act.f(z)), slope)
    if name in ("sigmoid", "tanh"):
        assert slope[0] == slope[1] > 0
        expected = np.exp(-40.0) if name == "sigmoid" else 4 * np.exp(-80.0)
        np.testing.assert_allclose(slope, expected, rtol=1e-12)


def test_centered_sigmoid_keeps_precision_near_zero():
    assert hp.CENTERED_SIGMOID.f(1e-17) == pytest.approx(0.25e-17, rel=1e-12)
    z = np.linspace(-30, 30, 61)
    np.testing.assert_allclose(hp.CENTERED_SIGMOID.f(z), hp.sigmoid(z) - 0.5, atol=1e-15)


@pytest.mark.parametrize("name,minimum,at", [("gelu", -0.17, -0.75), ("swish", -0.278, -1.28), ("mish", -0.309, -1.19)])
def test_smooth_relu_variants_have_the_documented_minimum(name, minimum, at):
    """Claim C23: GELU's minimum is about -0.17 near z = -0.75, Swish's -0.278, Mish's -0.309."""
    act = hp.get_activation(name)
    z = np.linspace(-4, 0, 40001)
    f = act.f(z)
    assert f.min() == pytest.approx(minimum, abs=0.005) and z[np.argmin(f)] == pytest.approx(at, abs=0.02)
    assert abs(act.df(z[np.argmin(f)])) < 1e-3
