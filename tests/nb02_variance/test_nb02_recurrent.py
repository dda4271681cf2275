"""helpers/recurrent.py (notebook 02): the same matrix applied again and again, and its spectral radius."""
import warnings

import numpy as np
import pytest

import helpers as hp


def test_spectral_radius_is_the_largest_modulus():
    theta = 0.3
    rotation = 2.0 * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    assert hp.nb02_variance.spectral_radius(rotation) == pytest.approx(2.0)
    assert hp.nb02_variance.spectral_radius(np.diag([-3.0, 1.0])) == pytest.approx(3.0)
    non_normal = np.array([[0.5, 10.0], [0.0, 0.5]])
    assert hp.nb02_variance.spectral_radius(non_normal) == pytest.approx(0.5)
    assert np.linalg.norm(non_normal, 2) > 10  # one step can stretch 20 times more than rho says


@pytest.mark.parametrize("kind", hp.nb02_variance.MATRIX_KINDS)
def test_recurrent_matrix_has_the_requested_radius(kind, rng):
    W = hp.nb02_variance.recurrent_matrix(50, 1.3, rng, kind=kind)
    assert W.shape == (50, 50) and hp.nb02_variance.spectral_radius(W) == pytest.approx(1.3, rel=1e-9)
    if kind == "orthogonal":
        np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 1.3)
    W2 = hp.nb02_variance.recurrent_matrix(50, 1.3, np.random.default_rng(0), kind=kind)
    np.testing.assert_array_equal(W2, hp.nb02_variance.recurrent_matrix(50, 1.3, np.random.default_rng(0), kind=kind))


def test_unroll_linear_matches_matrix_powers(rng):
    n, T = 6, 7
    W = hp.nb02_variance.recurrent_matrix(n, 1.2, rng)
    h0 = rng.standard_normal(n)
    dout = rng.standard_normal(n)
    run = hp.nb02_variance.unroll_recurrent(W, h0, T, dout=dout)
    for t in range(T + 1):
        assert run.h_norm[t] == pytest.approx(np.linalg.norm(h0 @ np.linalg.matrix_power(W, t)))
        assert run.grad_norm[t] == pytest.approx(np.linalg.norm(dout @ np.linalg.matrix_power(W.T, T - t)))
    assert run.steps == T and not run.diverged


def test_unroll_tanh_gradient_matches_finite_differences(rng):
    n, T = 5, 6
    W = hp.nb02_variance.recurrent_matrix(n, 1.5, rng)
    h0 = 0.5 * rng.standard_normal(n)
    dout = rng.standard_normal(n)

    def loss(h):
        for _ in range(T):
            h = np.tanh(h @ W)
        return dout @ h

    eps = 1e-6
    numeric = np.array([(loss(h0 + eps * e) - loss(h0 - eps * e)) / (2 * eps) for e in np.eye(n)])
    run = hp.nb02_variance.unroll_recurrent(W, h0, T, activation="tanh", dout=dout)
    assert run.grad_norm[0] == pytest.approx(np.linalg.norm(numeric), rel=1e-6)
    assert np.all(run.h_norm[1:] <= np.sqrt(n))  # tanh keeps every entry in (-1, 1)


def test_unroll_overflow_is_reported_not_warned(rng):
    W = hp.nb02_variance.recurrent_matrix(20, 3.0, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = hp.nb02_variance.unroll_recurrent(W, rng.standard_normal((4, 20)), 1000)
        assert hp.nb02_variance.growth_per_step(run.h_norm) == np.inf
    assert run.diverged and np.isinf(run.h_norm[-1])


def test_recurrent_bad_input_names_the_valid_choices(rng):
    with pytest.raises(ValueError, match="valid choices: normal, orthogonal"):
        hp.nb02_variance.recurrent_matrix(10, 1.0, rng, kind="gaussian")
    with pytest.raises(ValueError, match="valid choices: .*relu.*tanh"):
        hp.nb02_variance.unroll_recurrent(np.eye(3), np.ones(3), 5, activation="swoosh")
    with pytest.raises(ValueError, match="square"):
        hp.nb02_variance.unroll_recurrent(np.ones((3, 4)), np.ones(3), 5)
    with pytest.raises(ValueError, match="square"):
        hp.nb02_variance.spectral_radius(np.ones((2, 3)))
    with pytest.raises(ValueError, match="h0 has 4 columns"):
        hp.nb02_variance.unroll_recurrent(np.eye(3), np.ones(4), 5)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        hp.nb02_variance.unroll_recurrent(np.eye(3), np.ones(3), 0)
    with pytest.raises(ValueError, match="radius must be a finite number >= 0"):
        hp.nb02_variance.recurrent_matrix(10, -1.0, rng)
    with pytest.raises(ValueError, match="rng must be a numpy Generator"):
        hp.nb02_variance.recurrent_matrix(10, 1.0, 0)
    with pytest.raises(ValueError, match="norms must be 1-D"):
        hp.nb02_variance.growth_per_step([1.0])
