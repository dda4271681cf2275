"""Notebook 01's exercise checkers (hp.ex01): right answers in any reasonable form pass, each known slip gets its
hint, and garbage gets a sentence, never an exception or a warning."""
import re

import numpy as np
import pytest

import helpers as hp
from tests.checker_checks import accepts_every_form, not_yet, rejects_garbage, verdict

SIZES = [2] + [64] * 9 + [2]  # the notebook's net of section 3.3


def _nets(seed=0):
    rng = np.random.default_rng(seed)
    X, _ = hp.make_moons(256, rng)
    return X, {"N(0, 1)": hp.init_mlp(SIZES, "standard_normal", rng)}


def _slope_right(z):
    s = hp.sigmoid(z)
    return s * (1 - s)


@pytest.mark.parametrize("answer,words", [
    (lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, "overflow"),
    (lambda z: 1 / (1 + np.exp(-z)) * (1 - 1 / (1 + np.exp(-z))), "overflow"),
    (lambda z: hp.sigmoid(z), "itself"),
    (lambda z: 1 - np.tanh(z) ** 2, "tanh"),
    (lambda z: 1 - hp.sigmoid(z) ** 2, "tanh"),
    (lambda z: hp.sigmoid(z) * (1 + hp.sigmoid(z)), "sign"),
    (lambda z: -_slope_right(z), "positive"),
    (lambda z: None, "return"),
    (lambda z: 0.25, "shape"),
    (lambda z: np.zeros_like(z), "placeholder"),
    (lambda z: z.undefined, "raised AttributeError"),
    (0.25, "function sigmoid_slope itself"),
])
def test_sigmoid_slope(answer, words):
    assert verdict(hp.ex01.check_sigmoid_slope, _slope_right)
    not_yet(hp.ex01.check_sigmoid_slope, answer, words=words)


def test_sigmoid_slope_garbage():
    rejects_garbage(hp.ex01.check_sigmoid_slope, functions=True)


def _chain(x, depth, slope_at="z", skip=None, combine="prod", form="sigmoid"):
    z, grad = x, 0.0 if combine == "sum" else 1.0
    for l in range(depth):
        a = float(hp.sigmoid(z))
        point = a if slope_at == "a" else z
        s = float(hp.sigmoid(point))
        factor = {"sigmoid": s * (1 - s), "values": a, "tanh": 1 - a * a}[form]
        if l != skip:
            grad = grad + factor if combine == "sum" else grad * factor
        z = a
    return grad


@pytest.mark.parametrize("answer,words", [
    (lambda x, d: _chain(x, d, slope_at="a"), "output a_l"),
    (lambda x, d: _chain(x, d, skip=0), "slope of layer 1"),
    (lambda x, d: _chain(x, d, skip=d - 1), "last layer"),
    (lambda x, d: 0.25 ** d, "upper bound"),
    (lambda x, d: _chain(x, d, form="values"), "activations"),
    (lambda x, d: _chain(x, d, form="tanh"), "tanh"),
    (lambda x, d: _chain(x, d, combine="sum"), "multiplies"),
    (lambda x, d: _chain(x, d + 1), "depth + 1"),
    (lambda x, d: None, "return"),
    (lambda x, d: np.ones(3), "single number"),
    (lambda x, d: 1 / 0, "ZeroDivisionError"),
    (lambda x, d: 0.5, "Loop over the layers"),
])
def test_chain_gradient(answer, words):
    not_yet(hp.ex01.check_chain_gradient, answer, words=words)


def test_chain_gradient_accepts_any_form_of_one_number():
    accepts_every_form(hp.ex01.check_chain_gradient, lambda form: lambda x, d: form(_chain(x, d)))
    rejects_garbage(hp.ex01.check_chain_gradient, functions=True)


def test_saturation_per_layer():
    X, nets = _nets()
    _, cache = hp.forward(nets["N(0, 1)"], X, "sigmoid")
    check = hp.ex01.check_saturation_per_layer
    right = np.array([np.mean((a < 0.01) | (a > 0.99)) for a in cache.acts[:-1]])
    assert verdict(check, right, cache) and verdict(check, list(right), cache)
    assert verdict(check, [np.mean(np.abs(z) > np.log(99)) for z in cache.zs[:-1]], cache)  # the same, on z
    wrong = {
        "output layer": [np.mean((a < 0.01) | (a > 0.99)) for a in cache.acts],
        "near 1": [np.mean(a > 0.99) for a in cache.acts[:-1]],
        "near 0": [np.mean(a < 0.01) for a in cache.acts[:-1]],
        "percentages": 100 * right,
        "counts": [np.sum((a < 0.01) | (a > 0.99)) for a in cache.acts[:-1]],
        "single number": float(right.mean()),
        "shape": [np.mean((a < 0.01) | (a > 0.99), axis=0) for a in cache.acts[:-1]],
        "differs": right * 0.5,
        "array of numbers": "lots",
        "still None": None,
        "ragged": [[0.1, 0.2], [0.3]],
        "NaN": np.full(9, np.nan),
    }
    for words, answer in wrong.items():
        not_yet(check, answer, cache, words=words)
    rejects_garbage(check, cache)
    _, tanh_cache = hp.forward(nets["N(0, 1)"], X, "tanh")
    not_yet(check, right, tanh_cache, words="sigmoid")
    not_yet(check, right, None, words="cache")


def test_balanced_scale():
    check = hp.ex01.check_balanced_scale
    ok = verdict(check, 1.0, "sigmoid")
    assert ok and "saturated" in ok
    accepts_every_form(check, lambda form: form(1.0), "sigmoid")
    not_yet(check, 1 / 8, "sigmoid", words=("vanishes", "larger"))  # Glorot: far too little for the sigmoid
    not_yet(check, 5.0, "sigmoid", words=("grows", "smaller"))
    assert verdict(check, 1 / 8, "tanh")
    not_yet(check, -1, "sigmoid", words="positive")
    not_yet(check, "big", "sigmoid", words="without quotes")
    not_yet(check, 1.0, "relu", words="'sigmoid' or 'tanh'")
    not_yet(check, 1.0, np.array(["sigmoid", "tanh"]), words="'sigmoid' or 'tanh'")
    rejects_garbage(check)


def test_balanced_scale_is_not_fooled_by_a_saturated_net():
    """Issue 13: sigma = 100 gives layer 1 / layer 10 = 0.34 only by chance, with 99% of units saturated."""
    sentence = not_yet(hp.ex01.check_balanced_scale, 100.0, "sigmoid", words=("not level", "smaller"))
    assert "99% of hidden activations are saturated" in sentence
    for std in np.geomspace(3, 1000, 6):  # no std with nearly every unit saturated is called level
        sentence = verdict(hp.ex01.check_balanced_scale, std, "sigmoid")
        assert not sentence or int(re.search(r"(\d+)% of hidden", sentence).group(1)) < 90, sentence
