"""Notebook 04's exercise checkers (hp.ex04): right answers in any reasonable form pass, each known slip gets its
hint, and garbage gets a sentence, never an exception or a warning."""
import numpy as np
import pytest

import helpers as hp
from tests.checker_checks import not_yet, rejects_garbage, verdict


def _leaky(z, a):
    return np.maximum(a * z, z)


def _leaky_grad(z, a):
    return np.where(z > 0, 1.0, a)


@pytest.mark.parametrize("f,df,words", [
    (lambda z, a: np.maximum(z, 0), _leaky_grad, "ReLU's max(0, z)"),
    (lambda z, a: np.minimum(a * z, z), _leaky_grad, "min(alpha z, z)"),
    (lambda z, a: a * z, _leaky_grad, "positive side too"),
    (lambda z, a: np.maximum(a, z), _leaky_grad, "not a floor"),
    (lambda z, a: np.maximum(0.01 * z, z), _leaky_grad, "use the argument alpha"),
    (lambda z, a: None, _leaky_grad, "returned None"),
    (lambda z, a: _leaky(z, a).ravel(), _leaky_grad, "shape"),
    (lambda z, a: 1 / 0, _leaky_grad, "raised ZeroDivisionError"),
    (lambda z, a: np.multiply(z, np.where(z > 0, 1, a), out=z), _leaky_grad, "changed its input in place"),
    (lambda z, a: _leaky(z, a) + (z > 10), _leaky_grad, "at z = 50 (positive side)"),
    (_leaky, lambda z, a: (z > 0).astype(float), "0 for z < 0"),
    (_leaky, lambda z, a: np.where(z > 0, 1.0, a * z), "the value alpha * z"),
    (_leaky, lambda z, a: _leaky(z, a), "value, not its slope"),
    (_leaky, lambda z, a: np.where(z > 0, a, 1.0), "sides are swapped"),
    (_leaky, lambda z, a: np.where(z > 0, 1.0, 0.01), "use the argument alpha"),
    (_leaky, 3.0, "function leaky_relu_grad itself"),
])
def test_leaky_relu(f, df, words):
    assert verdict(hp.ex04.check_leaky_relu, _leaky, _leaky_grad)
    assert verdict(hp.ex04.check_leaky_relu, lambda z, a: _leaky(z, a).tolist(), lambda z, a: _leaky_grad(z, a) + 0 * z)
    not_yet(hp.ex04.check_leaky_relu, f, df, words=words)


def test_leaky_relu_garbage():
    rejects_garbage(hp.ex04.check_leaky_relu, _leaky_grad, functions=True)
    for answer in (None, "abc", [1, [2]], np.float32, lambda z, a: [1, [2]]):
        not_yet(hp.ex04.check_leaky_relu, _leaky, answer, words="leaky_relu_grad")


def test_dead_units():
    check = hp.ex04.check_dead_units
    z = np.array([[-1.0, 2.0, -3.0, 0.0], [-2.0, -1.0, 1.0, 0.0], [-0.5, 3.0, -1.0, -1.0]])
    right = np.array([True, False, False, True])
    assert "2 of 4 units are dead" in verdict(check, right, z) and verdict(check, right.tolist(), z.tolist())
    cases = {
        "still None": None,
        "for *some* example": np.any(z <= 0, axis=0),
        "*on* for every example": np.all(z > 0, axis=0),
        "inverted": ~right,
        "0/1 values": right.astype(int),
        "one value per unit": right[:2],
        "marked wrongly": np.array([True, False, False, False]),
        "axis=0": np.all(z <= 0, axis=1),  # one value per example, shape (3,)
        "boolean mask": np.array([0.5, 0.0, 0.0, 1.0]),
        "ragged": [[True], [False, True]],
    }
    for words, answer in cases.items():
        not_yet(check, answer, z, words=words)
    not_yet(check, right, z[0], words="(examples, units)")
    not_yet(check, right, "z", words="second argument")
    rejects_garbage(check, z)


@pytest.fixture(scope="module")
def half_dead_net():
    """The notebook's net shape, units 0-9 of hidden layer 2 killed by a bias of -100 (others may die on their own)."""
    X, y, _, _ = hp.nb04_dying_relu.spiral_split(np.random.default_rng(0))
    params = hp.init_mlp(list(hp.nb04_dying_relu.DYING_SIZES), "he_normal", np.random.default_rng(1))
    params[1][1][:10] = -100.0
    out, cache = hp.forward(params, X, "relu")
    grads, _ = hp.backward(params, cache, hp.softmax_cross_entropy(out, y)[1])
    return params, X, y, grads, int(np.all(cache.zs[1] <= 0, axis=0).sum())


def test_unit_gradients(half_dead_net):
    params, X, y, grads, n_dead = half_dead_net
    check = hp.ex04.check_unit_gradients
    dW2 = grads[1][0]
    ok = verdict(check, np.linalg.norm(dW2, axis=0), params, X, y)
    assert n_dead >= 10 and f"{n_dead} units have a gradient of exactly 0" in ok
    assert f"the {n_dead} dead units: the same set" in ok
    assert verdict(check, list(np.linalg.norm(dW2, axis=0)), params, X, y.astype(float))  # float labels
    cases = {
        "axis=0": np.linalg.norm(dW2, axis=1),
        "layer 1": np.linalg.norm(grads[0][0], axis=0),
        "layer 3": np.linalg.norm(grads[2][0], axis=0),
        "shape (32,)": np.linalg.norm(dW2),
        "still None": None,
        "differs": np.linalg.norm(dW2, axis=0) * 2,
        "array of numbers": "norms",
        "ragged": [[1.0], [2.0, 3.0]],
        "NaN": np.full(32, np.nan),
    }
    for words, answer in cases.items():
        not_yet(check, answer, params, X, y, words=words)
    rejects_garbage(check, params, X, y)
    not_yet(check, np.linalg.norm(dW2, axis=0), "params", X, y, words="pass the trained net")
    not_yet(check, np.linalg.norm(dW2, axis=0), params, X, y, layer=9, words="pass the trained net")


def _elu_right(z, a, alpha):
    return np.where(z > 0, 1.0, a + alpha)


@pytest.mark.parametrize("answer,words", [
    (lambda z, a, al: np.where(z > 0, 1.0, a), "a itself"),
    (lambda z, a, al: np.where(z > 0, 1.0, a - al), "a - alpha"),
    (lambda z, a, al: (z > 0).astype(float), "ReLU's slope"),
    (lambda z, a, al: np.where(z > 0, 1.0, al), "leaky ReLU's slope"),
    (lambda z, a, al: a + al, "positive side too"),
    (lambda z, a, al: None, "returned None"),
    ("elu_grad", "function elu_grad itself"),
    # issue 13: the task says "without calling np.exp"; this right-valued slope recomputes e^z from z
    (lambda z, a, al: np.where(z > 0, 1.0, al * np.exp(np.minimum(z, 0))), "without np.exp"),
    (lambda z, a, al: np.where(z > 0, 1.0, al * np.exp(z)), "without np.exp"),
])
def test_elu_grad(answer, words):
    assert verdict(hp.ex04.check_elu_grad, _elu_right)
    assert verdict(hp.ex04.check_elu_grad, lambda z, a, al: np.where(a > 0, 1.0, a + al).tolist())
    not_yet(hp.ex04.check_elu_grad, answer, words=words)


def test_elu_grad_garbage():
    rejects_garbage(hp.ex04.check_elu_grad, functions=True)
