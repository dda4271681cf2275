"""Notebook 08, claim R5 (Saxe et al. 2014; Pennington, Schoenholz & Ganguli 2017): Jacobian singular values
with Gaussian and orthogonal weights, and training time of deep linear nets against depth.

Thresholds from theory: an orthogonal linear net is an orthogonal map times sigma_w^L (all singular values equal);
a product of L Gaussian (Ginibre) matrices has largest squared singular value (L+1)^(L+1) / L^L at large width
(Fuss-Catalan edge), about e (L + 1); tanh near the critical point with small q* behaves almost linearly.
"""
import numpy as np
import pytest

import helpers as hp
from helpers import nb08_edge_of_chaos as nb


def _fuss_catalan_edge(L):
    return np.sqrt((L + 1) ** (L + 1) / L ** L)


def test_R5_linear_orthogonal_is_exactly_isometric():
    s = nb.jacobian_singular_values(200, 32, 1.0, 0.0, "linear", "orthogonal", rng=np.random.default_rng(0))
    np.testing.assert_allclose(s, 1.0, atol=1e-10)


def test_jacobian_matches_finite_differences():
    rng = np.random.default_rng(0)
    params = nb.random_net(6, 4, 1.5, 0.1, rng=rng)
    x = rng.standard_normal(6)
    J = nb.jacobian(params, x, "tanh")
    out = lambda v: hp.forward(params + [(np.eye(6), np.zeros(6))], v[None, :], "tanh")[0][0]  # noqa: E731
    eps = 1e-6
    numeric = np.array([(out(x + eps * e) - out(x - eps * e)) / (2 * eps) for e in np.eye(6)])
    np.testing.assert_allclose(J, numeric, rtol=1e-6, atol=1e-8)  # row i: d out / d x_i (row-vector layout)


def test_R5_tanh_near_criticality_orthogonal_stays_near_one_gaussian_spreads():
    sw2, sb2 = nb.critical_point_for_q(1 / 64)
    orth = nb.jacobian_singular_values(300, 32, sw2, sb2, "tanh", "orthogonal", rng=np.random.default_rng(0))
    gauss = nb.jacobian_singular_values(300, 32, sw2, sb2, "tanh", "gaussian", rng=np.random.default_rng(0))
    assert orth.max() < 1.5 and np.median(orth) > 0.5
    # almost linear: the Gaussian product's edge, sqrt(e (L + 1)) ~ 9.5 at large width (finite width: a bit less)
    assert 0.6 * _fuss_catalan_edge(32) < gauss.max() < 1.2 * _fuss_catalan_edge(32)
    assert np.min(gauss) < 1e-3  # and the small end collapses: far from isometry


def test_R5_relu_has_no_isometry_with_either():
    for weights in ("gaussian", "orthogonal"):
        s = nb.jacobian_singular_values(300, 32, 2.0, 0.0, "relu", weights, rng=np.random.default_rng(0))
        assert s.max() > 4 and np.min(s) < 1e-2, (weights, s.max(), s.min())


def test_R5_spread_grows_with_depth_for_gaussian_not_for_orthogonal_tanh():
    sw2, sb2 = nb.critical_point_for_q(1 / 64)
    depths = [2, 8, 32]
    g = nb.spectrum_by_depth("g", 200, depths, sw2, sb2, "tanh", "gaussian", rng=np.random.default_rng(1))
    o = nb.spectrum_by_depth("o", 200, depths, sw2, sb2, "tanh", "orthogonal", rng=np.random.default_rng(1))
    assert np.all(np.diff(g.s_max) > 0) and g.s_max[-1] > 2.5 * g.s_max[0]
    assert o.s_max[-1] < 1.5 and o.s_max[-1] < 1.3 * o.s_max[0]


@pytest.mark.slow
def test_R5_reference_values_at_width_1000_depth_32():
    """The reference computations of CLAIMS.md R5 at N = 1000, L = 32 (about a minute on one core)."""
    sw2, sb2 = nb.critical_point_for_q(1 / 64)
    run = lambda *a: nb.jacobian_singular_values(1000, 32, *a, rng=np.random.default_rng(0))  # noqa: E731
    np.testing.assert_allclose(run(1.0, 0.0, "linear", "orthogonal"), 1.0, atol=1e-9)
    assert run(sw2, sb2, "tanh", "orthogonal").max() == pytest.approx(1.2, abs=0.15)
    assert run(sw2, sb2, "tanh", "gaussian").max() == pytest.approx(9, abs=1.5)
    assert run(2.0, 0.0, "relu", "gaussian").max() == pytest.approx(16, abs=4)
    assert run(2.0, 0.0, "relu", "orthogonal").max() == pytest.approx(11, abs=3)


def test_R5_saxe_orthogonal_training_time_flat_in_depth_gaussian_grows():
    X, y, _, _ = hp.load_digits_split(np.random.default_rng(0))
    race = nb.linear_depth_race(X[:128], y[:128], [1, 8, 32], rng=np.random.default_rng(0), steps=80)
    orth, gauss = race.steps_to["orthogonal"], race.steps_to["Gaussian"]
    assert np.all(np.isfinite(orth)) and orth.max() <= 1.25 * orth.min()
    assert gauss[-1] > 1.3 * orth[-1]
