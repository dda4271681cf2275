"""Notebook 02 (variance blow-up): one test per claim it shows, and its explorer.

helpers/recurrent.py and the exercise checkers are tested in test_nb02_recurrent.py and test_nb02_exercises.py.

Thresholds come from the formulas the notebook teaches:
  forward   Var(z_l) = fan_in Var(W) E[a_{l-1}^2],
  backward  Var(dL/dz_{l-1}) = fan_out Var(W) E[f'(z_{l-1})^2] Var(dL/dz_l),
  recurrent ||h_t|| ~ rho(W)^t.
"""
import warnings

import numpy as np
import pytest

from matplotlib.figure import Figure

import helpers as hp
from helpers.nb02_variance import explorer as V
from helpers.ui.kept import Kept
from tests.widget_checks import move_every_control

SIZES = [2] + [100] * 10 + [2]  # the notebook's net: 10 hidden layers of 100 units
HIDDEN = len(SIZES) - 2


@pytest.fixture
def spirals(rng):
    return hp.make_spirals(500, rng)


def _standard_normal_net(rng):
    return hp.init_mlp(SIZES, "standard_normal", rng)


# --- Claim C04 ---------------------------------------------------------------------------------

def test_C04_logistic_variance_grows_forward_until_the_top_layers_saturate(rng, spirals):
    X, _ = spirals
    params = _standard_normal_net(rng)
    sigmoid = hp.get_activation("sigmoid")
    _, cache = hp.forward(params, X, sigmoid)
    inputs = [X] + cache.acts[:HIDDEN - 1]
    var_in = np.array([a.var() for a in inputs])
    var_z = np.array([z.var() for z in cache.zs[:HIDDEN]])
    theory = np.array([W.shape[0] * 1.0 * np.mean(a ** 2) for (W, _), a in zip(params, inputs)])
    # the formula is an average over random weights; 100 units per layer scatter it by ~sqrt(2/100) = 14%
    assert np.all((var_z / theory > 0.6) & (var_z / theory < 1.6))
    assert var_z[0] == pytest.approx(2.0, rel=0.3)  # fan_in 2, E[x^2] = 1
    # every layer with 100 inputs: Var(z) / Var(a) = 100 E[a^2] / Var(a) >= 100 (1 + mean^2 / Var(a)) >> 100
    assert np.all(var_z[1:] / var_in[1:] > 100)
    # it grows from layer 1 on, and stays under the ceiling fan_in Var(W) max(a^2) = 100
    assert var_z[1] > 10 * var_z[0] and np.all(var_z < 100)
    saturated = np.array([hp.saturated_fraction(a, sigmoid) for a in cache.acts[:HIDDEN]])
    # layer 1: |z| > ln 99 = 4.6 is 3.3 std of z_1 (std ~1.4): rare. Above: std ~6.5, so P(|z| > 4.6) ~ 0.48
    assert saturated[0] < 0.05
    assert np.all(saturated[1:] > 0.3)


# --- Claim C05 ---------------------------------------------------------------------------------

def test_C05_the_logistic_mean_makes_a_hidden_bias_tanh_has_none(rng, spirals):
    X, _ = spirals
    params = _standard_normal_net(rng)
    z = np.linspace(-10, 10, 2001)
    np.testing.assert_allclose(hp.CENTERED_SIGMOID.f(z), 0.5 * np.tanh(z / 2), atol=1e-12)
    np.testing.assert_allclose(hp.CENTERED_SIGMOID.df(z), hp.get_activation("sigmoid").df(z))
    effects, saturated = {}, {}
    for name in ("sigmoid", "logistic - 0.5", "tanh"):
        act = hp.CENTERED_SIGMOID if name == "logistic - 0.5" else name
        _, cache = hp.forward(params, X, act)
        effects[name] = hp.nb02_variance.mean_offset_stats(cache)
        saturated[name] = hp.layer_stats(params, X, act, rng=np.random.default_rng(0)).saturated[:-1]
    logistic = effects["sigmoid"]
    # the per-unit offset c_j = sum_i m_i W_ij has the predicted share mean(m^2) / E[a^2] of Var(z) ...
    np.testing.assert_allclose(logistic.offset_share[1:], logistic.offset_theory[1:], atol=0.1)
    # ... which, with m ~ 0.5 and Var(a) <= 0.25, is above 1/2 from layer 2 and dominates higher up
    assert logistic.offset_share[1] > 0.5 and np.all(logistic.offset_share[3:] > 0.8)
    assert np.mean(logistic.stuck[2:]) > 0.1  # units pinned at one end for every input
    for centred in ("logistic - 0.5", "tanh"):
        assert np.all(effects[centred].offset_share < 0.05)
        assert np.all(effects[centred].stuck == 0)
        assert effects[centred].spread[-1] > 3 * logistic.spread[-1]
    # only the mean differs from the logistic to logistic - 0.5: it alone doubles the saturation at the top
    assert np.mean(saturated["sigmoid"][3:]) > 1.5 * np.mean(saturated["logistic - 0.5"][3:])
    # and tanh is only "slightly better": with N(0, 1) weights it saturates more (slope 1 at 0, not 1/4)
    assert np.mean(saturated["tanh"][3:]) > np.mean(saturated["sigmoid"][3:])


def test_mean_offset_stats_needs_a_saturating_activation(rng):
    params = hp.init_mlp([3, 4, 2], "he_normal", rng)
    _, cache = hp.forward(params, rng.standard_normal((5, 3)), "relu")
    with pytest.raises(ValueError, match="saturating activation"):
        hp.nb02_variance.mean_offset_stats(cache)


# --- Claim C03 ---------------------------------------------------------------------------------

def test_C03_badly_initialized_layers_learn_at_very_different_speeds(rng, spirals):
    X, y = spirals
    tanh = hp.get_activation("tanh")
    bad = _standard_normal_net(rng)
    _, cache = hp.forward(bad, X, tanh)
    # backward factor per hidden layer: sqrt(fan_out Var(W) E[f'(z)^2]), multiplied from layer 10 down to 1
    factors = [np.sqrt(bad[l][0].shape[1] * np.mean(tanh.df(cache.zs[l - 1]) ** 2)) for l in range(1, HIDDEN)]
    predicted = np.prod(factors)
    stats = hp.layer_stats(bad, X, tanh, rng=np.random.default_rng(0))
    measured = stats.grad_std[0] / stats.grad_std[HIDDEN - 1]
    assert predicted > 1e3 and measured == pytest.approx(predicted, rel=0.7)
    spreads = {}
    for name, net in {"N(0, 1)": bad, "1/fan_in": hp.init_mlp(SIZES, "lecun_normal", rng)}.items():
        trained, h = hp.train(net, X, y, "tanh", lr=1e-3, steps=20)
        assert not h.diverged
        g = h.grad_norm[0][:HIDDEN]
        moved = np.array([np.linalg.norm(W1 - W0) / np.linalg.norm(W0)
                          for (W0, _), (W1, _) in zip(net[:HIDDEN], trained[:HIDDEN])])
        spreads[name] = (g.max() / g.min(), moved.max() / moved.min())
    assert spreads["N(0, 1)"][0] > 100 and spreads["N(0, 1)"][1] > 100  # orders of magnitude
    assert spreads["1/fan_in"][0] < 20 and spreads["1/fan_in"][1] < 20    # layer 1 (2 inputs) aside, alike


# --- Claim C06 ---------------------------------------------------------------------------------

def test_C06_relu_with_large_weights_grows_by_the_theory_factor_both_ways(rng, spirals):
    X, _ = spirals
    std = 2 * np.sqrt(2 / 100)  # twice the steady std: sqrt(fan_in std^2 / 2) = 2 per layer
    s = hp.layer_stats(hp.init_mlp(SIZES, std, rng), X, "relu", rng=np.random.default_rng(0))
    up = np.exp(np.mean(np.log(s.a_std[1:HIDDEN] / s.a_std[:HIDDEN - 1])))
    down = np.exp(np.mean(np.log(s.grad_std[:HIDDEN - 1] / s.grad_std[1:HIDDEN])))
    assert up == pytest.approx(2.0, rel=0.1) and down == pytest.approx(2.0, rel=0.1)
    assert s.a_std[HIDDEN - 1] / s.a_std[0] > 2 ** 7 and s.grad_std[0] / s.grad_std[HIDDEN - 1] > 2 ** 7


def test_C06_gradient_descent_diverges_and_says_so_without_warnings(rng, spirals):
    X, y = spirals
    big = hp.init_mlp(SIZES, 2 * np.sqrt(2 / 100), rng)
    steady = hp.init_mlp(SIZES, "he_normal", rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, h_big = hp.train(big, X, y, "relu", lr=0.01, steps=10)
        _, h_he = hp.train(steady, X, y, "relu", lr=0.01, steps=10)
        assert hp.fmt(h_big.final_loss) == "diverged"
    assert h_big.diverged and h_big.diverged_at is not None and h_big.diverged_at <= 8
    finite = h_big.loss[:h_big.diverged_at]
    assert np.all(np.diff(np.log(finite)) > 1)  # each step multiplies the loss by more than e
    assert not h_he.diverged and h_he.loss[-1] < h_he.loss[0]


def test_C06_recurrent_norms_follow_the_spectral_radius(rng):
    n, T = 100, 100
    h0 = rng.standard_normal((20, n))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for rho in (0.9, 1.1):
            run = hp.nb02_variance.unroll_recurrent(hp.nb02_variance.recurrent_matrix(n, rho, rng), h0, T)
            # Gelfand: ||W^t||^(1/t) -> rho; over the last 50 steps the growth per step is within 3% of rho
            assert hp.nb02_variance.growth_per_step(run.h_norm, start=50) == pytest.approx(rho, rel=0.03)
            assert hp.nb02_variance.growth_per_step(run.grad_norm[::-1], start=50) == pytest.approx(rho, rel=0.03)
            exact = hp.nb02_variance.unroll_recurrent(hp.nb02_variance.recurrent_matrix(n, rho, rng, kind="orthogonal"), h0, T)
            np.testing.assert_allclose(exact.h_norm, exact.h_norm[0] * rho ** np.arange(T + 1), rtol=1e-9)
            np.testing.assert_allclose(exact.grad_norm[::-1], rho ** np.arange(T + 1), rtol=1e-9)
        explode = hp.nb02_variance.unroll_recurrent(hp.nb02_variance.recurrent_matrix(n, 1.1, rng), h0, T)
        fade = hp.nb02_variance.unroll_recurrent(hp.nb02_variance.recurrent_matrix(n, 0.9, rng), h0, T)
    assert explode.h_norm[-1] / explode.h_norm[0] > 1e3 and explode.grad_norm[0] / explode.grad_norm[-1] > 1e3
    assert fade.h_norm[-1] / fade.h_norm[0] < 1e-3 and fade.grad_norm[0] / fade.grad_norm[-1] < 1e-3


# --- explorer (helpers/explorers/variance.py) --------------------------------------------------

def test_variance_explorer_moves_every_control_and_preset():
    ex = hp.nb02_variance.variance_explorer()
    assert bytes(ex.image.value)[:4] == b"\x89PNG"
    assert "sigmoid" in ex.readout.value and "saturated" in ex.readout.value
    move_every_control(ex)
    for preset, std in (("1/fan_in", 0.1), ("N(0, 1)", 1.0)):
        before = bytes(ex.image.value)
        ex.apply(preset)
        assert ex.controls["weight_std"].value == pytest.approx(std)
        assert bytes(ex.image.value) != before and "could not update" not in ex.readout.value
    ex.apply("reset")
    assert ex.values() == ex.defaults
    ex.large.value = True
    assert ex.fig.get_size_inches()[0] > 12


def test_variance_explorer_compact_and_every_activation():
    ex = hp.nb02_variance.variance_explorer(compact=True)
    for label, name in V.ACTIVATION_CHOICES.items():
        ex.controls["activation"].value = name
        assert "could not update" not in ex.readout.value, (label, ex.readout.value)
    assert len(ex.fig.axes) == 3


def test_variance_explorer_reports_divergence_and_theory():
    ex = hp.nb02_variance.variance_explorer()
    ex.controls["activation"].value = "relu"
    assert "sqrt(width" in ex.readout.value  # the theory's factor per layer
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # the sliders' corner: 10 sqrt(500) = 224 per layer, 50 layers: 1e117, large but finite
        r = V.variance_compute(weight_std=10.0, depth=50, width=500, activation="linear")
        assert np.all(np.isfinite(r["a_std"])) and np.all(np.isfinite(r["grad_norm"]))
        # beyond it (not reachable with the sliders) the forward pass overflows: "diverged", no warning
        r = V.variance_compute(weight_std=1e6, depth=50, width=500, activation="linear")
        kept = Kept(Figure(figsize=(12, 4.2)))  # the explorer's kept axes and artists
        text = V._draw(kept, r)
        kept.sweep()
    assert not np.all(np.isfinite(r["a_std"])) and "diverged" in text


def test_variance_compute_matches_the_theory_for_relu():
    r = V.variance_compute(weight_std=0.3, depth=20, width=200, activation="relu")
    gain = np.sqrt(200 * 0.3 ** 2 / 2)
    assert r["gain"] == pytest.approx(gain)
    up = np.exp(np.mean(np.log(r["a_std"][1:] / r["a_std"][:-1])))
    assert up == pytest.approx(gain, rel=0.1)
    assert r["counts"].shape == (20, V.BINS) and np.all(r["counts"].sum(axis=1) <= 1 + 1e-12)


def test_bench_settings_are_the_sliders_largest():
    settings = V.BENCH["variance_explorer"]
    ex = hp.nb02_variance.variance_explorer()
    assert set(settings) == set(ex.controls)
    for name in ("depth", "width"):
        assert settings[name] == ex.controls[name].max
    w = ex.controls["weight_std"]
    assert settings["weight_std"] == pytest.approx(w.base ** w.max)

