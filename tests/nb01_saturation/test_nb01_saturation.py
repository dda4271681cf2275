"""Notebook 01 (sigmoid saturation): its claims C01-C03 and its explorer (checkers: test_exercises.py).

Thresholds come from the theory: sigma' = sigma(1 - sigma) <= 1/4, one factor f'(z_l) per layer, and for
square layers with Var(W) = 1/n (Glorot) the back-propagated gradient's rms shrinks by at most f'_max per layer.
"""

import numpy as np
import pytest

import helpers as hp
from helpers.nb01_saturation import explorer as sat_module
from tests.widget_checks import move_every_control

SIZES = [2] + [64] * 9 + [2]  # the notebook's net: 9 hidden layers of 64 units, 10 weight layers


def _notebook_nets(seed=0):
    """The data and the nets of notebook 01, section 3.3, drawn in the notebook's order."""
    rng = np.random.default_rng(seed)
    X, y = hp.make_moons(256, rng)
    nets = {"N(0, 1)": hp.init_mlp(SIZES, "standard_normal", rng),
            "Glorot": hp.init_mlp(SIZES, "glorot_normal", rng),
            "small": hp.init_mlp(SIZES, 0.01, rng)}
    return X, y, nets


def _stats(params, X, y, activation):
    out, _ = hp.forward(params, X, activation)
    _, dout = hp.softmax_cross_entropy(out, y)
    return hp.layer_stats(params, X, activation, dout=dout)


# ---------------------------------------------------------------- claims

def test_C01_saturation_threshold_and_tanh_comparison():
    s, t = hp.get_activation("sigmoid"), hp.get_activation("tanh")
    z = np.linspace(-8, 8, 1601)
    assert s.df(z).max() == 0.25 and z[np.argmax(s.df(z))] == 0
    # saturated (sigma within 0.01 of 0 or 1) exactly when |z| > ln 99; the slope there is 0.99 * 0.01
    z_sat = np.log(99)
    assert s.f(z_sat) == pytest.approx(0.99) and s.df(z_sat) == pytest.approx(0.0099)
    assert s.df(z_sat) / 0.25 < 0.04
    zz = np.random.default_rng(0).normal(0, 5, size=(200, 50))
    assert hp.saturated_fraction(s.f(zz), s) == pytest.approx(np.mean(np.abs(zz) > z_sat), abs=1e-3)
    # the slope keeps falling below e^-|z| in the tails
    tail = np.abs(z) > z_sat
    assert np.all(s.df(z[tail]) < np.exp(-np.abs(z[tail])))
    # tanh = 2 sigma(2z) - 1: slope 1 at 0, four times the sigmoid's, and it saturates sooner (|z| > atanh 0.98)
    np.testing.assert_allclose(t.f(z), 2 * s.f(2 * z) - 1, atol=1e-12)
    assert t.df(z).max() == 1.0 == 4 * s.df(z).max()
    assert np.arctanh(0.98) < z_sat and t.df(np.arctanh(0.98)) == pytest.approx(1 - 0.98 ** 2)


def test_C02_chain_gradient_never_above_quarter_power():
    s = hp.get_activation("sigmoid")
    xs = np.linspace(-10, 10, 81)
    for L in range(1, 31):
        chain = hp.nb01_saturation.chain_gradient(xs, L)
        # one factor per layer: the gradient reaching layer 1 is the product of the L slopes ...
        # (the backward pass takes sigma' as a (1 - a), which keeps eps / (1 - a) relative precision: 5e-12 at z = 10)
        np.testing.assert_allclose(chain.first, np.prod(s.df(chain.z), axis=1), rtol=1e-10)
        # ... each at most 1/4, so it is at most 0.25^L (equal only for L = 1 at x = 0)
        assert np.all(chain.first <= 0.25 ** L * (1 + 1e-12))
        assert np.all(chain.first > 0)


def test_C02_chain_settles_on_the_fixed_point_slope():
    # after layer 1 every z_l is in (0, 1) and converges to z* = sigma(z*); the factor per layer -> sigma'(z*) < 1/4
    z_star = 0.0
    for _ in range(200):
        z_star = float(hp.sigmoid(z_star))
    slope_star = z_star * (1 - z_star)
    chain = hp.nb01_saturation.chain_gradient(np.array([0.0, 2.0, 5.0]), 30)
    np.testing.assert_allclose(chain.slope[:, -1], slope_star, rtol=1e-9)
    factor = (hp.nb01_saturation.chain_gradient(0.0, 30).first / hp.nb01_saturation.chain_gradient(0.0, 10).first) ** (1 / 20)
    assert factor == pytest.approx(slope_star, rel=1e-6) and factor < 0.25
    # the chain is hp.forward / hp.backward_pass on 1 x 1 matrices: it agrees with a by-hand loop
    z, grad = 0.7, 1.0
    for _ in range(12):
        a = float(hp.sigmoid(z))
        grad *= a * (1 - a)
        z = a
    assert hp.nb01_saturation.chain_gradient(0.7, 12).first[0] == pytest.approx(grad, rel=1e-12)


def test_C03_layers_get_gradients_orders_of_magnitude_apart_at_init():
    X, y, nets = _notebook_nets()
    glorot = _stats(nets["Glorot"], X, y, "sigmoid")
    # Var(W) = 1/n on 64 x 64 layers: each hidden layer scales the gradient's rms by rms(sigma') <= 1/4
    rms = glorot.grad_std[:-1]  # dLoss/dz of the 9 hidden layers
    per_layer = np.exp(np.mean(np.log(rms[:-1] / rms[1:])))
    assert per_layer <= 0.25 * 1.15
    assert glorot.grad_norm[-1] / glorot.grad_norm[0] > 1e3  # three orders of magnitude and more
    assert np.all(np.diff(np.log(glorot.grad_norm[1:])) > 0)  # every layer's gradient larger than the one below
    small = _stats(nets["small"], X, y, "sigmoid")
    assert small.grad_norm[-1] / small.grad_norm[0] > 1e10  # sqrt(64) * 0.01 * 1/4 = 0.02 per layer
    n01 = _stats(nets["N(0, 1)"], X, y, "sigmoid")
    assert n01.grad_norm[-1] / n01.grad_norm[0] > 10 and np.nanmean(n01.saturated) > 0.2
    # the same Glorot weights with tanh (slope 1 at 0) keep every layer within a factor of 10
    tanh = _stats(nets["Glorot"], X, y, "tanh")
    assert 0.1 < tanh.grad_norm[-1] / tanh.grad_norm[0] < 10


def test_C03_training_moves_the_top_layers_and_not_the_bottom_ones():
    X, y, nets = _notebook_nets()
    moved, hist = {}, {}
    for act in ("sigmoid", "tanh"):
        after, hist[act] = hp.train(nets["Glorot"], X, y, act, lr=0.2, steps=300)
        moved[act] = np.array([np.linalg.norm(W1 - W0) / np.linalg.norm(W0)
                               for (W0, _), (W1, _) in zip(nets["Glorot"], after)])
    sig, tanh = hist["sigmoid"], hist["tanh"]
    assert not sig.diverged and not tanh.diverged
    assert sig.update_norm[0, -1] / sig.update_norm[0, 0] > 1e3  # update sizes orders of magnitude apart
    assert moved["sigmoid"][0] < 1e-3 and moved["sigmoid"][-1] / moved["sigmoid"][0] > 100
    assert sig.final_loss == pytest.approx(np.log(2), abs=0.01)  # stuck at the 50/50 answer
    assert 0.1 < tanh.update_norm[0, -1] / tanh.update_norm[0, 0] < 10
    assert np.all(moved["tanh"] > 0.01) and tanh.final_loss < 0.1


# ---------------------------------------------------------------- helpers of the notebook

def test_chain_gradient_and_profile_validate_input():
    with pytest.raises(ValueError, match="depth"):
        hp.nb01_saturation.chain_gradient(0.0, 0)
    with pytest.raises(ValueError, match="1-D"):
        hp.nb01_saturation.chain_gradient(np.zeros((2, 2)), 3)
    with pytest.raises(ValueError, match="saturating"):
        hp.nb01_saturation.saturation_profile(1.0, 5, "relu", rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="at least 2"):
        hp.nb01_saturation.saturation_profile(1.0, 1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="std"):
        hp.nb01_saturation.saturation_profile(0.0, 5, rng=np.random.default_rng(0))
    prof = hp.nb01_saturation.saturation_profile(1.0, 6, "tanh", rng=np.random.default_rng(0))
    assert prof.hist.shape == (5, len(prof.edges) - 1)
    np.testing.assert_allclose(prof.hist.sum(axis=1), 1.0)  # tanh's outputs all lie in [-1, 1]
    # the outer bins are exactly the saturated bands, so their mass is the saturated fraction
    np.testing.assert_allclose(prof.hist[:, 0] + prof.hist[:, -1], prof.stats.saturated[:-1], atol=1e-12)


# ---------------------------------------------------------------- explorer

def test_saturation_explorer_moves_every_control_and_preset():
    ex = hp.nb01_saturation.saturation_explorer()
    assert bytes(ex.image.value)[:4] == b"\x89PNG" and "saturated" in ex.readout.value
    move_every_control(ex)
    for name in ex.presets:
        ex.controls["std"].value = 0.3  # a value no preset has, so each preset must change the picture
        before = bytes(ex.image.value)
        ex.apply(name)
        assert "could not update" not in ex.readout.value
        assert bytes(ex.image.value) != before, name
    ex.large.value = True
    assert "could not update" not in ex.readout.value


def test_saturation_explorer_readout_follows_the_theory():
    ex = hp.nb01_saturation.saturation_explorer()
    ex.apply("Glorot")
    assert "vanishing" in ex.readout.value and "saturated: <b>0%</b>" in ex.readout.value
    ex.controls["activation"].value = "tanh"
    assert "balanced" in ex.readout.value
    ex.apply("reset")
    ex.controls["std"].value = 10.0
    assert "growing" in ex.readout.value


def test_saturation_explorer_extreme_settings_and_side_by_side():
    ex = hp.nb01_saturation.saturation_explorer()
    for values in (sat_module.BENCH["saturation_explorer"],
                   {"std": 0.01, "depth": 50, "activation": "sigmoid"}):
        ex.presets["extreme"] = values
        ex.apply("extreme")
        assert "could not update" not in ex.readout.value
    box = hp.ui.explorer.side_by_side(lambda: hp.nb01_saturation.saturation_explorer(compact=True),
                                  a={**hp.nb01_saturation.SATURATION_PRESETS["Glorot"], "activation": "sigmoid"},
                                  b={**hp.nb01_saturation.SATURATION_PRESETS["Glorot"], "activation": "tanh"})
    a, b = box.children
    assert a.controls["activation"].value == "sigmoid" and b.controls["activation"].value == "tanh"
    assert bytes(a.image.value) != bytes(b.image.value)
