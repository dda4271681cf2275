"""Notebook 08, claim R4 (Poole et al. 2016; Schoenholz et al. 2017): the mean-field maps, chi_1, xi_c, the critical
line, simulated nets against the theory, and trainability. Thresholds come from the theory, with fixed seeds:
the reference values of CLAIMS.md R4 to their printed precision, and sampling errors of O(1/sqrt(width)).
"""
import numpy as np
import pytest

import helpers as hp
from helpers import nb08_edge_of_chaos as nb


def _mc_mean(g, q, n=2_000_000, seed=0):
    z = np.random.default_rng(seed).standard_normal(n)
    return np.mean(g(np.sqrt(q) * z)), np.std(g(np.sqrt(q) * z)) / np.sqrt(n)


@pytest.mark.parametrize("q", [0.01, 0.3, 1.0, 3.0])
def test_quadrature_agrees_with_monte_carlo(q):
    for g in (lambda u: np.tanh(u) ** 2, lambda u: (1 - np.tanh(u) ** 2) ** 2):
        mc, se = _mc_mean(g, q)
        assert abs(nb.gaussian_mean(g, q) - mc) < 5 * se


def test_R4_critical_line_reference_values():
    # sigma_b = 0: q* = 0 for sigma_w^2 <= 1, so chi_1 = sigma_w^2 tanh'(0)^2 and the line crosses at exactly 1
    assert nb.critical_sw2(0.0) == pytest.approx(1.0, abs=1e-3)
    assert nb.critical_sw2(0.05) == pytest.approx(1.76, abs=0.005)  # CLAIMS.md R4: about 1.76
    crit = nb.critical_sw2(np.array([0.0, 0.05, 0.1, 0.2]))
    assert np.all(np.diff(crit) > 0)  # more bias, larger q*, smaller tanh': the line moves right
    assert nb.chi_1(crit, np.array([0.0, 0.05, 0.1, 0.2])) == pytest.approx(np.ones(4), abs=1e-3)


def test_R4_chi1_and_depth_scale_at_reference_point():
    m = nb.mean_field(1.25, 0.05)
    assert m.chi_1 == pytest.approx(0.863, abs=5e-4)
    assert m.xi_c == pytest.approx(6.8, abs=0.05)
    assert m.c_star == 1.0 and m.phase == "ordered" and m.xi_c == pytest.approx(-1 / np.log(m.chi_1))
    assert nb.length_map(m.q_star, 1.25, 0.05) == pytest.approx(m.q_star, rel=1e-9)  # q* is a fixed point


def test_R4_pytorch_tanh_gain_is_chaotic():
    m = nb.mean_field((5 / 3) ** 2, 0.0)
    assert (5 / 3) ** 2 == pytest.approx(2.78, abs=0.005)
    assert m.chi_1 == pytest.approx(1.21, abs=0.005) and m.phase == "chaotic"
    assert m.c_star < 0.01  # no bias: chaos decorrelates completely
    assert nb.correlation_map(m.c_star, m.sw2, m.sb2) == pytest.approx(m.c_star, abs=1e-6)


def test_critical_family_for_small_q():
    sw2, sb2 = nb.critical_point_for_q(1 / 64)
    assert nb.q_star(sw2, sb2) == pytest.approx(1 / 64, rel=1e-6)
    assert nb.chi_1(sw2, sb2) == pytest.approx(1.0, abs=1e-9)


def test_relu_and_linear_closed_forms():
    assert nb.chi_1(1.5, 0.1, "relu") == 0.75 and nb.chi_1(1.5, 0.1, "linear") == 1.5
    assert nb.q_star(1.0, 0.1, "relu") == pytest.approx(0.2)  # q = q / 2 + 0.1
    assert np.isinf(nb.q_star(2.5, 0.1, "relu"))


@pytest.mark.parametrize("sw2,sb2", [(1.25, 0.05), (2.5, 0.05)])
def test_simulated_net_follows_q_c_and_chi1(sw2, sb2):
    width, depth = 1000, 20
    p = nb.propagation(width, depth, sw2, sb2, rng=np.random.default_rng(0), batch=16)
    # q^l: an average of 2 x 1000 squares, relative error about sqrt(2 / 2000) = 3% per layer, plus drift
    assert np.all(np.abs(p.q / p.q_theory - 1) < 0.15), (p.q, p.q_theory)
    assert abs(np.mean(p.q[5:]) / np.mean(p.q_theory[5:]) - 1) < 0.06
    # c^l: a correlation of 1000 pairs, standard error about 1 / sqrt(1000) = 0.03 per layer; the errors
    # accumulate (damped by chi_c < 1), so compare the first layers tightly, the rest loosely
    assert np.max(np.abs(p.c[:8] - p.c_theory[:8])) < 0.1
    assert np.max(np.abs(p.c - p.c_theory)) < 0.25
    # |dL/dz^l|^2 / |dL/dz^{l+1}|^2 is chi_1 on average over layers once q^l is near q*
    assert np.exp(np.mean(np.log(p.grad_ratio[5:]))) == pytest.approx(p.chi_1, rel=0.04)


def test_ordered_correlations_go_to_one_chaotic_to_c_star():
    ordered = nb.propagation(500, 40, 1.0, 0.05, rng=np.random.default_rng(1))
    assert ordered.c[-1] > 0.99
    m = nb.mean_field(4.0, 0.05)
    chaotic = nb.propagation(500, 40, 4.0, 0.05, rng=np.random.default_rng(1))
    assert abs(np.mean(chaotic.c[-10:]) - m.c_star) < 0.1 and m.c_star < 0.5


def test_orthogonal_random_net_scales_norms_by_sigma_w():
    params = nb.random_net(50, 3, 1.7, 0.0, "orthogonal", rng=np.random.default_rng(0))
    for W, b in params:
        np.testing.assert_allclose(W @ W.T, 1.7 * np.eye(50), atol=1e-12)
        assert np.all(b == 0)


def test_R4_trainability_deep_ordered_nets_fail_near_critical_ones_train():
    X_train, y_train, X_test, y_test = hp.load_digits_split(np.random.default_rng(0))
    grid = nb.trainability_grid(X_train, y_train, X_test, y_test, [0.5, 1.75], [4, 20],
                                rng=np.random.default_rng(0), steps=40, batch_size=64)
    assert 6 * grid.xi_c[0] < 20 < 6 * grid.xi_c[1]
    assert grid.accuracy[1, 0] < 0.2     # 20 layers > 6 xi_c = 7: chance level (0.1) and a little
    assert grid.accuracy[0, 1] > 0.5     # 4 layers near the critical line: trains
    assert grid.predicted(6.0)[1, 1] and not grid.predicted(6.0)[1, 0]
    lo, hi, score = grid.best_k(0.3)
    assert 0 < lo <= hi and 0 <= score <= 1


@pytest.mark.parametrize("call", [lambda: nb.mean_field(0, 0.05), lambda: nb.mean_field(1.0, -0.1),
                                  lambda: nb.random_net(10, 2, 1.0, 0.0, "uniform", rng=np.random.default_rng(0)),
                                  lambda: nb.q_star(1.0, 0.0, "elu")])
def test_bad_input(call):
    with pytest.raises(ValueError):
        call()
