"""Notebook 05: one test per claim (C18, C19, C20) and the explorer (checkers: test_exercises.py)."""
import numpy as np
import pytest

import helpers as hp

from tests.bn_net import bn_evaluate, bn_layer_stats, bn_train, init_bn_mlp
from helpers.nb05_normalization import BENCH, normalization_run
from tests.widget_checks import apply_every_preset, move_every_control

WIDTH, DEPTH = 100, 1000


@pytest.fixture(scope="module")
def selu_inputs():
    return np.random.default_rng(0).standard_normal((500, WIDTH))


def test_C18_selu_self_normalizes_through_1000_layers(selu_inputs):
    s = hp.nb05_normalization.deep_signal(selu_inputs, DEPTH, "lecun_normal", "selu", rng=np.random.default_rng(1))
    # fixed point (mean 0, std 1); with 100 units and 500 examples each layer's estimate wanders by a few percent
    assert np.all(np.abs(s.std - 1) < 0.25), (s.std.min(), s.std.max())
    assert np.all(np.abs(s.mean) < 0.2)
    assert abs(np.median(s.std[100:]) - 1) < 0.15 and abs(np.mean(s.mean[100:])) < 0.05


def test_C18_what_breaks_self_normalization(selu_inputs):
    X, depth = selu_inputs[:200], DEPTH
    recipe = hp.nb05_normalization.deep_signal(X, depth, "lecun_normal", "selu", rng=np.random.default_rng(1))
    # He doubles Var(W): the second moment is multiplied by about 2 * E[selu(z)^2] / E[z^2] > 1 at every layer
    he = hp.nb05_normalization.deep_signal(X, depth, "he_normal", "selu", rng=np.random.default_rng(1))
    assert he.std[-1] > 1e6 and np.all(np.diff(np.log(he.std[::100])) > 0)
    # ReLU halves the second moment and shifts the mean; SELU layers in between do not restore it
    mixed = hp.nb05_normalization.deep_signal(X, depth, "lecun_normal", ["relu" if (l + 1) % 10 == 0 else "selu" for l in range(depth)],
                           rng=np.random.default_rng(1))
    assert np.mean(mixed.std[100:]) < 0.5
    # the fixed point attracts: raw inputs are far off at first, then join the recipe
    raw = hp.nb05_normalization.deep_signal(5 + 10 * X, depth, "lecun_normal", "selu", rng=np.random.default_rng(1))
    assert raw.std[0] > 3
    assert np.all(np.abs(raw.std[200:] - recipe.std[200:]) < 0.1)


@pytest.fixture(scope="module")
def moons():
    return hp.make_moons(512, np.random.default_rng(0))


@pytest.mark.parametrize("init", ["standard_normal", 0.05], ids=["too_large", "too_small"])
def test_C19_batch_norm_keeps_a_badly_initialized_net_in_range(init, moons):
    X, y = moons
    sizes = [2] + [64] * 29 + [2]
    plain = hp.init_mlp(sizes, init, np.random.default_rng(1))
    bn, _ = init_bn_mlp(sizes, init, np.random.default_rng(1))
    s_plain, s_bn = hp.layer_stats(plain, X, "relu", rng=np.random.default_rng(0)), bn_layer_stats(bn, X, "relu")
    # without BN the std is multiplied by about sqrt(64 Var(W) / 2) per layer: 5.7 for N(0, 1), 0.28 for std 0.05
    ratio = s_plain.a_std[-2] / s_plain.a_std[0]
    assert ratio > 1e15 if init == "standard_normal" else ratio < 1e-12
    # with BN every y is standardized, so relu(y) has std close to sqrt(1/2 - 1/(2 pi)) = 0.58 in every layer
    assert np.all(np.abs(s_bn.a_std[:-1] - 0.58) < 0.1)
    # gradients: all finite, within a few decades of each other (they grow toward the input, Yang et al. 2019)
    g = s_bn.grad_norm
    assert np.all(np.isfinite(g)) and 1 < g[0] / g[-1] < 1e4
    assert s_plain.grad_norm.min() > 1e15 if init == "standard_normal" else s_plain.grad_norm.max() < 1e-10
    kw = dict(lr=0.3, steps=200, batch_size=64, rng=np.random.default_rng(2))
    _, h_plain = hp.train(plain, X, y, "relu", **kw)
    kw["rng"] = np.random.default_rng(2)
    params, state, h_bn = bn_train(bn, X, y, "relu", **kw)
    if init == "standard_normal":
        assert h_plain.diverged
    else:  # the output does not depend on the input: the loss stays at chance, log 2
        assert abs(np.mean(h_plain.loss[-20:]) - np.log(2)) < 0.01
    assert not h_bn.diverged and np.mean(h_bn.loss[-20:]) < 0.3
    assert bn_evaluate(params, state, X, y, "relu")[1] > 0.9


def test_C20_clipping_trains_where_plain_sgd_diverges(moons):
    X, y = moons
    params0 = hp.init_mlp([2] + [64] * 7 + [2], "he_normal", np.random.default_rng(1))
    lr, kw = 0.5, dict(steps=200, batch_size=64)
    _, plain = hp.train(params0, X, y, "relu", lr=lr, rng=np.random.default_rng(2), **kw)
    assert plain.diverged and plain.diverged_at < 20
    finite = plain.grad_norm[np.all(np.isfinite(plain.grad_norm), axis=1)]
    assert hp.frobenius(finite[-1]) > 1e3 * hp.frobenius(finite[0])  # the gradient explodes before the end
    for clip in (dict(clip_norm=1.0), dict(clip_value=0.1)):
        params, h = hp.train(params0, X, y, "relu", lr=lr, rng=np.random.default_rng(2), **clip, **kw)
        assert not h.diverged and np.mean(h.loss[-20:]) < 0.05
        assert hp.evaluate(params, X, y, "relu")[1] > 0.97
        before = np.sqrt(np.sum(h.grad_norm ** 2, axis=1))
        after = np.sqrt(np.sum(h.update_norm ** 2, axis=1)) / lr
        clipped = after < before * (1 - 1e-9)
        assert 0 < clipped.sum() < 100  # clipping acts on some steps, not on most
        if "clip_norm" in clip:  # the global norm (biases included) is at most clip_norm after clipping
            assert after.max() <= 1.0 + 1e-9 and before.max() > 3.0
            np.testing.assert_allclose(after[~clipped], before[~clipped])


def test_normalization_run_is_seeded_and_reports_clipping():
    a = normalization_run(depth=10, clip="norm", threshold=1.0, lr=0.5, seed=0)
    b = normalization_run(depth=10, clip="norm", threshold=1.0, lr=0.5, seed=0)
    np.testing.assert_array_equal(a.history.loss, b.history.loss)
    assert not a.history.diverged and np.all(a.norm_after <= 1.0 + 1e-9)
    assert normalization_run(depth=10, clip="none", lr=0.5, seed=0).history.diverged
    bn = normalization_run(depth=30, init="standard_normal", batch_norm=True, clip="none", lr=0.3, seed=0)
    assert not bn.history.diverged and np.all(np.abs(bn.stats.a_std[:-1] - 0.58) < 0.15)


def test_explorer_moves_every_control_and_preset():
    ex = hp.nb05_normalization.normalization_explorer()
    assert bytes(ex.image.value)[:4] == b"\x89PNG" and "could not update" not in ex.readout.value
    move_every_control(ex)
    apply_every_preset(ex)
    for control, value in BENCH["normalization_explorer"].items():
        ex.controls[control].value = value  # the biggest settings draw without error
    assert "could not update" not in ex.readout.value
    ex.large.value = True
    assert ex.fig.get_size_inches()[0] > 11


def test_side_by_side_batch_norm():
    box = hp.ui.explorer.side_by_side(hp.nb05_normalization.normalization_explorer, a=dict(depth=30, init="standard_normal", clip="none"),
                                  b=dict(depth=30, init="standard_normal", clip="none", batch_norm=True))
    a, b = box.children
    assert "diverged" in a.readout.value and "diverged" not in b.readout.value
