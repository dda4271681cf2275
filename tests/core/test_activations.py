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
