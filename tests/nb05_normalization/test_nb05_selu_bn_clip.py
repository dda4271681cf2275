"""Notebook 05: one test per claim (C18, C19, C20), the explorer, and the exercise checkers."""
import numpy as np
import pytest

import helpers as hp


# The batch-normalized net is the core net with norm="batch"; these name the calls the tests make most.
def init_bn_mlp(sizes, init="he_normal", rng=None, **kw):
    params = hp.init_mlp(sizes, init, rng, norm="batch", **kw)
    return params, [(np.zeros(W.shape[1]), np.ones(W.shape[1])) for W, *_ in params[:-1]]


def bn_forward(params, X, activation="relu", **kw):
    return hp.forward(params, X, activation, norm="batch", **kw)


def bn_train(params, X, y, activation="relu", **kw):
    trained, h = hp.train(params, X, y, activation, norm="batch", **kw)
    return trained, h.state, h


def bn_evaluate(params, state, X, y, activation="relu", **kw):
    return hp.evaluate(params, X, y, activation, norm="batch", state=state, **kw)


def bn_layer_stats(params, X, activation="relu", **kw):
    kw.setdefault("rng", np.random.default_rng(0))
    return hp.layer_stats(params, X, activation, norm="batch", **kw)
from helpers.nb05_normalization import BENCH, normalization_run
from tests.widget_checks import move_every_control

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
    a = normalization_run(depth=10, clip="norm", threshold=1.0, lr=0.5)
    b = normalization_run(depth=10, clip="norm", threshold=1.0, lr=0.5)
    np.testing.assert_array_equal(a.history.loss, b.history.loss)
    assert not a.history.diverged and np.all(a.norm_after <= 1.0 + 1e-9)
    assert normalization_run(depth=10, clip="none", lr=0.5).history.diverged
    bn = normalization_run(depth=30, init="standard_normal", batch_norm=True, clip="none", lr=0.3)
    assert not bn.history.diverged and np.all(np.abs(bn.stats.a_std[:-1] - 0.58) < 0.15)


def test_explorer_moves_every_control_and_preset():
    ex = hp.nb05_normalization.normalization_explorer()
    assert bytes(ex.image.value)[:4] == b"\x89PNG" and "could not update" not in ex.readout.value
    move_every_control(ex)
    for name in ex.presets:
        before = bytes(ex.image.value)
        ex.apply(name)
        assert "could not update" not in ex.readout.value, (name, ex.readout.value)
        assert name == "reset" or bytes(ex.image.value) != before, name
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


# ---- exercise checkers -------------------------------------------------------------------------------

def _bn(z, gamma, beta, eps=1e-5):
    return gamma * (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + eps) + beta


def _not_implemented(*args):
    raise NotImplementedError


@pytest.mark.parametrize("answer,expect", [
    (_bn, None),
    (lambda z, g, b: g * (z - z.mean(1, keepdims=True)) / np.sqrt(z.var(1, keepdims=True) + 1e-5) + b, "axis=0"),
    (lambda z, g, b: g * (z - z.mean(0)) / np.sqrt(z.var(0, ddof=1) + 1e-5) + b, "ddof"),
    (lambda z, g, b: g * (z - z.mean(0)) / z.std(0) + b, "left out eps"),
    (lambda z, g, b: g * (z - z.mean(0)) / (z.std(0) + 1e-5) + b, "not by std + eps"),
    (lambda z, g, b: b * (z - z.mean(0)) / np.sqrt(z.var(0) + 1e-5) + g, "swapped"),
    (lambda z, g, b: (z - z.mean(0)) / np.sqrt(z.var(0) + 1e-5), "returned zhat"),
    (lambda z, g, b: _bn(z, g, b).T, "transposed"),
    (lambda z, g, b: _bn(z, g, b)[:3], "shape"),
    (lambda z, g, b: None, "returned None"),
    (lambda z, g, b: z.__isub__(z.mean(0)), "in place"),
    (_not_implemented, "NotImplementedError"),
    (lambda z, g, b: 1 / 0, "ZeroDivisionError"),
    (lambda z, g, b: _bn(z, g, b) + 0.1, "differs"),
])
def test_check_batchnorm_forward(answer, expect):
    result = hp.ex05.check_batchnorm_forward(answer)
    assert bool(result) is (expect is None), result
    assert expect is None or expect in result, result


def _bn_back(dy, zhat, inv_std, gamma):
    dgamma, dbeta = (dy * zhat).sum(0), dy.sum(0)
    return gamma * inv_std * (dy - dy.mean(0) - zhat * (dy * zhat).mean(0)), dgamma, dbeta


@pytest.mark.parametrize("answer,expect", [
    (_bn_back, None),
    (lambda dy, zh, i, g: (g * i * dy, (dy * zh).sum(0), dy.sum(0)), "inference-mode"),
    (lambda dy, zh, i, g: (g * i * (dy - dy.mean(0)), (dy * zh).sum(0), dy.sum(0)), "not the variance"),
    (lambda dy, zh, i, g: (g * i * (dy - zh * (dy * zh).mean(0)), (dy * zh).sum(0), dy.sum(0)), "not the mean"),
    (lambda dy, zh, i, g: (i * (dy - dy.mean(0) - zh * (dy * zh).mean(0)), (dy * zh).sum(0), dy.sum(0)), "forgot gamma"),
    (lambda dy, zh, i, g: (_bn_back(dy, zh, i, g)[0] / len(dy), (dy * zh).sum(0), dy.sum(0)), "1/n"),
    (lambda dy, zh, i, g: (_bn_back(dy, zh, i, g)[0], dy.sum(0), (dy * zh).sum(0)), "swapped"),
    (lambda dy, zh, i, g: (_bn_back(dy, zh, i, g)[0], dy * zh, dy.sum(0)), "axis=0"),
    (lambda dy, zh, i, g: (_bn_back(dy, zh, i, g)[0], (dy * zh).mean(0), dy.sum(0)), "dgamma differs"),
    (lambda dy, zh, i, g: _bn_back(dy, zh, i, g)[0], "three arrays"),
    (lambda dy, zh, i, g: (2 * _bn_back(dy, zh, i, g)[0], (dy * zh).sum(0), dy.sum(0)), "dz differs"),
    (_not_implemented, "NotImplementedError"),
])
def test_check_batchnorm_backward(answer, expect):
    result = hp.ex05.check_batchnorm_backward(answer)
    assert bool(result) is (expect is None), result
    assert expect is None or expect in result, result


def _norm(grads):
    return np.sqrt(sum(np.sum(a ** 2) for pair in grads for a in pair))


@pytest.mark.parametrize("answer,expect", [
    (lambda gs, c: [(min(1, c / _norm(gs)) * a, min(1, c / _norm(gs)) * b) for a, b in gs], None),
    (lambda gs, c: [(c / _norm(gs) * a, c / _norm(gs) * b) for a, b in gs], "already below"),
    (lambda gs, c: [(np.clip(a, -c, c), np.clip(b, -c, c)) for a, b in gs], "clipping by value"),
    (lambda gs, c: [tuple(x * min(1, c / _norm([(a, b)])) for x in (a, b)) for a, b in gs], "on its own"),
    (lambda gs, c: [tuple(x * min(1, c / np.sqrt(sum(np.sum(w ** 2) for w, _ in gs))) for x in (a, b))
                    for a, b in gs], "biases"),
    (lambda gs, c: [(a * min(1, c / _norm(gs)), b) for a, b in gs], "global norm should be"),
    (lambda gs, c: [(np.roll(a * min(1, c / _norm(gs)), 1), b * min(1, c / _norm(gs))) for a, b in gs], "direction"),
    (lambda gs, c: [(a * 0.5 * min(1, c / _norm(gs)), b * 0.5 * min(1, c / _norm(gs))) for a, b in gs], "global norm"),
    (lambda gs, c: gs[:2], "pairs"),
    (lambda gs, c: [(a.T, b) for a, b in gs], "transposed"),
    (lambda gs, c: [(a.__imul__(0.5), b) for a, b in gs], "in place"),
    (_not_implemented, "NotImplementedError"),
])
def test_check_clip_by_global_norm(answer, expect):
    result = hp.ex05.check_clip_by_global_norm(answer)
    assert bool(result) is (expect is None), result
    assert expect is None or expect in result, result


@pytest.fixture(scope="module")
def moments():
    z = np.random.default_rng(0).standard_normal(1_000_000)
    s, r = hp.get_activation("selu").f(z), np.maximum(z, 0)
    return s.mean(), s.var(), r.mean(), r.var()


def test_check_selu_moments(moments):
    sm, sv, rm, rv = moments
    ok = hp.ex05.check_selu_moments(sm, sv, rm, rv)
    assert ok and "fixed point" in ok
    assert "relu's" in hp.ex05.check_selu_moments(rm, sv, rm, rv)
    assert "standard deviation" in hp.ex05.check_selu_moments(sm, sv, rm, np.sqrt(rv))
    assert "one number" in hp.ex05.check_selu_moments(np.zeros(3), sv, rm, rv)
    assert "finite number" in hp.ex05.check_selu_moments(None, sv, rm, rv)
    assert "finite number" in hp.ex05.check_selu_moments(sm, float("nan"), rm, rv)
    assert "about" in hp.ex05.check_selu_moments(sm + 0.1, sv, rm, rv)
    assert not hp.ex05.check_selu_moments(sm, sv, rm, rv + 0.1)
