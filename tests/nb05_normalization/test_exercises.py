"""Notebook 05's exercise checkers (hp.ex05): right answers in any reasonable form pass, each known slip gets its
hint, and garbage gets a sentence, never an exception or a warning."""
import numpy as np
import pytest

import helpers as hp
from tests.checker_checks import not_yet, rejects_garbage, verdict


def _judged(checker, answer, expect):
    """expect None: the answer is right; else the checker says 'Not yet', with `expect` in the sentence."""
    if expect is None:
        assert verdict(checker, answer)
    else:
        not_yet(checker, answer, words=expect)


def _bn(z, gamma, beta, eps=1e-5):
    return gamma * (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + eps) + beta


def _not_implemented(*args):
    raise NotImplementedError


@pytest.mark.parametrize("answer,expect", [
    (_bn, None),
    (lambda z, g, b: _bn(z, g, b).tolist(), None),
    (lambda z, g, b: g * (z - z.mean(1, keepdims=True)) / np.sqrt(z.var(1, keepdims=True) + 1e-5) + b, "axis=0"),
    (lambda z, g, b: g * (z - z.mean(0)) / np.sqrt(z.var(0, ddof=1) + 1e-5) + b, "ddof"),
    (lambda z, g, b: g * (z - z.mean(0)) / z.std(0) + b, "left out eps"),
    (lambda z, g, b: g * (z - z.mean(0)) / (z.std(0) + 1e-5) + b, "not by std + eps"),
    (lambda z, g, b: b * (z - z.mean(0)) / np.sqrt(z.var(0) + 1e-5) + g, "swapped"),
    (lambda z, g, b: (z - z.mean(0)) / np.sqrt(z.var(0) + 1e-5), "returned zhat"),
    (lambda z, g, b: g * (z - z.mean(0)) / (z.var(0) + 1e-5) + b, "not by the variance"),
    (lambda z, g, b: _bn(z, g, b).T, "transposed"),
    (lambda z, g, b: _bn(z, g, b)[:3], "shape"),
    (lambda z, g, b: None, "returned None"),
    (lambda z, g, b: z.__isub__(z.mean(0)), "in place"),
    (_not_implemented, "NotImplementedError"),
    (lambda z, g, b: 1 / 0, "ZeroDivisionError"),
    (lambda z, g, b: _bn(z, g, b) + 0.1, "differs"),
    (lambda z, g, b: np.exp(1000 * z), "NaN or inf"),
])
def test_batchnorm_forward(answer, expect):
    _judged(hp.ex05.check_batchnorm_forward, answer, expect)


def _bn_back(dy, zhat, inv_std, gamma):
    dgamma, dbeta = (dy * zhat).sum(0), dy.sum(0)
    return gamma * inv_std * (dy - dy.mean(0) - zhat * (dy * zhat).mean(0)), dgamma, dbeta


@pytest.mark.parametrize("answer,expect", [
    (_bn_back, None),
    (lambda *a: [x.tolist() for x in _bn_back(*a)], None),
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
    (lambda dy, zh, i, g: (_bn_back(dy, zh, i, g)[0], [1, [2]], dy.sum(0)), "ragged"),
    (_not_implemented, "NotImplementedError"),
    (lambda *a: None, "returned None"),
])
def test_batchnorm_backward(answer, expect):
    _judged(hp.ex05.check_batchnorm_backward, answer, expect)


def _norm(grads):
    return np.sqrt(sum(np.sum(a ** 2) for pair in grads for a in pair))


def _clip(gs, c):
    return [(min(1, c / _norm(gs)) * a, min(1, c / _norm(gs)) * b) for a, b in gs]


@pytest.mark.parametrize("answer,expect", [
    (_clip, None),
    (lambda gs, c: [[a.tolist(), b.tolist()] for a, b in _clip(gs, c)], None),
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
    (lambda gs, c: [(a, [1, [2]]) for a, b in gs], "ragged"),
    (_not_implemented, "NotImplementedError"),
    (lambda *a: None, "returned None"),
])
def test_clip_by_global_norm(answer, expect):
    _judged(hp.ex05.check_clip_by_global_norm, answer, expect)


@pytest.mark.parametrize("checker", [hp.ex05.check_batchnorm_forward, hp.ex05.check_batchnorm_backward,
                                     hp.ex05.check_clip_by_global_norm])
def test_function_checkers_garbage(checker):
    rejects_garbage(checker, functions=True)
    not_yet(checker, lambda *a: np.exp(np.full((16, 5), 1000.0)))  # the student's own overflow stays in


@pytest.fixture(scope="module")
def moments():
    z = np.random.default_rng(0).standard_normal(1_000_000)
    s, r = hp.get_activation("selu").f(z), np.maximum(z, 0)
    return s.mean(), s.var(), r.mean(), r.var()


def test_selu_moments(moments):
    check = hp.ex05.check_selu_moments
    sm, sv, rm, rv = moments
    ok = verdict(check, sm, sv, rm, rv)
    assert ok and "SELU maps N(0, 1) to mean 0.00, variance 1.00" in ok and "mean 0.40, variance 0.34" in ok
    assert verdict(check, np.float32(sm), np.array(sv), [rm], np.array([rv]))
    not_yet(check, rm, sv, rm, rv, words="relu's")
    not_yet(check, sm, sv, rm, np.sqrt(rv), words="standard deviation")
    not_yet(check, np.zeros(3), sv, rm, rv, words="single number")
    not_yet(check, None, sv, rm, rv, words="selu_mean is still None")
    not_yet(check, sm, float("nan"), rm, rv, words="finite number")
    not_yet(check, sm + 0.1, sv, rm, rv, words="about")
    not_yet(check, sm, sv, rm, rv + 0.1, words="relu_var should be about")
    for garbage in (None, "abc", [1, [2]], np.array([8]), np.float32):
        not_yet(check, garbage, sv, rm, rv)
        not_yet(check, sm, sv, rm, garbage)
