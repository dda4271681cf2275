"""Claims C21 (symmetry), C22 (framework defaults and gains) and C24 (the loss at initialization), as notebook 03
shows them. Thresholds come from the theory in helpers/nb03_initialization/practice.py; seeds are fixed."""
import numpy as np
import pytest

import helpers as hp
from helpers import nb03_initialization as nb

SPIRAL_SIZES = [2, 16, 16, 2]


@pytest.fixture(scope="module")
def spirals():
    return hp.make_spirals(200, np.random.default_rng(0))


def test_C21_zero_tanh_net_never_leaves_ln2(spirals):
    X, y = spirals
    run = nb.symmetry_run(X, y, SPIRAL_SIZES, 0.0, "tanh", lr=0.5, steps=100)
    # tanh(0) = 0 passes no signal and no gradient; the output bias's gradient is mean(p - onehot) = 0 on
    # balanced classes, so every step keeps the loss of a 50/50 guess
    assert np.bincount(y).tolist() == [100, 100]
    np.testing.assert_allclose(run.loss, np.log(2), rtol=0, atol=1e-12)


def test_C21_constant_init_keeps_units_identical(spirals):
    X, y = spirals
    run = nb.symmetry_run(X, y, SPIRAL_SIZES, 0.5, "tanh", lr=0.5, steps=100)
    assert run.spread_before == 0 and run.grad_spread == 0 and run.spread_after == 0
    assert run.loss[-1] < run.loss[0]  # it does train (as a net of one unit per layer), yet stays symmetric


def test_C21_random_init_breaks_symmetry(spirals):
    X, y = spirals
    run = nb.symmetry_run(X, y, SPIRAL_SIZES, "glorot_uniform", "tanh", lr=0.5, steps=100,
                          rng=np.random.default_rng(0))
    assert run.grad_spread > 1e-3 and run.spread_after > 1e-2
    assert run.loss[-1] < np.log(2) - 0.05


def test_C22_torch_linear_default_is_the_standard_init():
    rng = np.random.default_rng(0)
    fan_in = 400
    (W, b), = nb.torch_linear_default([fan_in, 300], rng)
    r = 1 / np.sqrt(fan_in)
    assert np.abs(W).max() <= r and np.abs(b).max() <= r
    # Var(U[-r, r]) = r^2 / 3 = 1 / (3 fan_in); 120,000 draws: relative error of the variance ~ 0.4%
    assert W.var() == pytest.approx(1 / (3 * fan_in), rel=0.03)
    assert hp.scheme_variance(fan_in, 300, "standard_uniform") == pytest.approx(1 / (3 * fan_in))


def test_C22_torch_default_fades_in_deep_tanh_and_relu_nets():
    # per layer the std is multiplied by about sqrt(fan_in Var(W) E[f'^2]) <= sqrt(1/3) for tanh and sqrt(1/6)
    # for ReLU: over 18 layers far below 1e-3
    for act in ("tanh", "relu"):
        params = nb.torch_linear_default([128] * 21, np.random.default_rng(0))
        a_std, grad_std, _ = nb.profile(params, act, width=128, rng=np.random.default_rng(1))
        assert grad_std[0] / grad_std[-1] < 1e-3, act


def test_C22_gains():
    assert nb.torch_gain("tanh") == pytest.approx(5 / 3)
    assert nb.torch_gain("relu") == pytest.approx(np.sqrt(2))
    assert nb.torch_gain("leaky_relu", 0.2) == pytest.approx(np.sqrt(2 / 1.04))
    assert nb.torch_gain("selu") == 0.75 and nb.torch_gain("sigmoid") == 1.0
    with pytest.raises(ValueError, match="activation"):
        nb.torch_gain("softsign")


def test_C22_tanh_gain_keeps_signal_but_saturates_more():
    runs = {}
    for gain in (1.0, 5 / 3):
        params = hp.init_mlp([128] * 21, "glorot_normal", np.random.default_rng(0), gain=gain)
        runs[gain] = nb.profile(params, "tanh", width=128, rng=np.random.default_rng(1))
    (a1, g1, s1), (a2, g2, s2) = runs[1.0], runs[5 / 3]
    assert a2[-2] / a2[0] > 0.5 > a1[-2] / a1[0]           # gain 5/3 keeps the forward std, gain 1 lets it fade
    assert g2[0] / g2[-1] > 1 > g1[0] / g1[-1]              # ... and tips the gradient into growing
    assert s2 > 10 * s1                                      # more units at the asymptotes


def test_C22_cheat_sheet_agrees_with_the_tables():
    rows = nb.cheat_sheet(["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu"])
    for row in rows:
        assert row.var_keras == pytest.approx(row.var_table)
        assert row.var_torch == pytest.approx(row.var_table, rel=1e-3)  # leaky slope 0.01: 1 / (1 + 1e-4)
    assert [r.family for r in rows] == ["Glorot", "Glorot", "He", "He", "He", "LeCun"]


@pytest.fixture(scope="module")
def digits():
    return hp.load_digits_split(np.random.default_rng(0))


def test_C24_initial_loss_is_ln_C_with_a_small_last_layer(digits):
    X, y, _, _ = digits
    for kwargs in ({"last_scale": 0.01}, {"last_scale": 1e-4, "prior_bias": True}):
        _, h = nb.initial_loss_run(X, y, [64, 64, 10], lr=0.1, steps=1, rng=np.random.default_rng(0), **kwargs)
        # logits of order 0.01: loss = ln C + O(0.01^2); with prior biases: the entropy of the class prior
        prior = np.bincount(y) / len(y)
        assert h.loss[0] == pytest.approx(np.log(10), abs=0.01)
        if kwargs.get("prior_bias"):
            assert h.loss[0] == pytest.approx(-np.sum(prior * np.log(prior)), abs=1e-3)


def test_C24_large_last_layer_starts_overconfident_hockey_stick(digits):
    X, y, _, _ = digits
    _, h = nb.initial_loss_run(X, y, [64, 64, 10], 10.0, lr=0.1, steps=6, rng=np.random.default_rng(0))
    assert h.loss[0] > 2 * np.log(10)       # logits of std >> 1: -log p[y] grows like the logits' spread
    assert h.loss[5] < h.loss[0] / 4        # the first few steps only shrink the logits: the hockey stick


def test_C24_large_last_layer_stays_overconfident_on_held_out_digits(digits):
    X, y, X_te, y_te = digits
    losses = {}
    for scale in (0.01, 10.0):
        params, _ = nb.initial_loss_run(X, y, [64, 64, 10], scale, lr=0.1, steps=150, rng=np.random.default_rng(0))
        losses[scale] = hp.evaluate(params, X_te, y_te, "relu")[0]
    assert losses[10.0] > 2 * losses[0.01]
