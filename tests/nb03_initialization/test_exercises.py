"""Notebook 03's exercise checkers (hp.ex03): right answers in any reasonable form pass, each known slip gets its
hint, and garbage gets a sentence, never an exception or a warning."""
import numpy as np
import pytest

import helpers as hp
from tests.checker_checks import accepts_every_form, not_yet, rejects_garbage, verdict


@pytest.mark.parametrize("answer,words", [
    (lambda i, o: np.sqrt(6 / (i - o)), "typo"),
    (lambda i, o: np.sqrt(3 / (i + o / 2)), "precedence"),
    (lambda i, o: np.sqrt(2 / (i + o)), "std"),
    (lambda i, o: 6 / (i + o), "square root"),
    (lambda i, o: np.sqrt(3 / i), "LeCun"),
    (lambda i, o: np.sqrt(3 / (i + o)), "fan_avg is (fan_in + fan_out) / 2"),
    (lambda i, o: np.sqrt(6 / i), "He's limit"),
    (lambda i, o: None, "returned None"),
    (lambda i, o: [1.0, 2.0], "single number"),
    (lambda i, o: 1 / 0, "ZeroDivisionError"),
    (lambda i, o: 0.1, "expected 0.07385"),
    (0.07, "function glorot_limit itself"),
])
def test_glorot_limit(answer, words):
    check = hp.ex03.check_glorot_limit
    for right in (lambda i, o: np.sqrt(6 / (i + o)), lambda i, o: (3 / ((i + o) / 2)) ** 0.5,
                  lambda i, o: np.float32(np.sqrt(6 / (i + o))), lambda i, o: np.array([np.sqrt(6 / (i + o))])):
        assert verdict(check, right)
    not_yet(check, answer, words=words)


def test_glorot_limit_typo_on_a_widening_layer():
    """sqrt(6 / (fan_in - fan_out)) with numpy ints is nan for fan_in < fan_out: the typo is still named."""
    not_yet(hp.ex03.check_glorot_limit, lambda i, o: float(np.sqrt(np.float64(6) / (i - o))) if i < o else
            np.sqrt(6 / (i + o)), words="typo")
    rejects_garbage(hp.ex03.check_glorot_limit, functions=True)


def test_fan_out_ratios(rng):
    check = hp.ex03.check_fan_out_ratios
    W = hp.variance_scaling(1000, 100, 1.0, "fan_out", "untruncated_normal", rng=rng)
    x, dz = rng.standard_normal((500, 1000)), rng.standard_normal((500, 100))
    assert verdict(check, (x @ W).var() / x.var(), (dz @ W.T).var() / dz.var())
    assert verdict(check, np.float64(10.2), np.array(0.97)) and verdict(check, [10.2], np.array([0.97]))
    for f, b, words in [(1.0, 0.1, "1 / fan_in"), (1.0, 10.0, "swapped"), (0.1, 1.0, "upside down"),
                        (3.16, 1.0, "stds"), (1.82, 0.18, "fan_avg"), (10, 3, "backward"), (5, 1, "forward"),
                        (None, 1, "still None"), (-1, 1, "positive"), ("10", 1, "without quotes"),
                        (10, None, "backward is still None")]:
        not_yet(check, f, b, words=words)
    rejects_garbage(check, 1.0)
    for answer in (None, "abc", [1, [2]], np.float32):
        not_yet(check, 10.0, answer, words="backward")


def test_keras_he_avg(rng):
    check = hp.ex03.check_keras_he_avg
    vs = lambda *a, **k: hp.variance_scaling(*a, rng=rng, **k)  # noqa: E731
    right = vs(300, 100, 2.0, "fan_avg", "uniform")
    assert verdict(check, right) and verdict(check, right.tolist()) and verdict(check, right.astype(np.float32))
    for W, words in [(vs(300, 100, 2.0, "fan_in", "uniform"), "fan_in"),
                     (vs(300, 100, 2.0, "fan_out", "uniform"), "fan_out"),
                     (vs(300, 100, 1.0, "fan_avg", "uniform"), "scale=1"),
                     (vs(300, 100, 2.0, "fan_avg", "truncated_normal"), "not uniform"),
                     (vs(100, 300, 2.0, "fan_avg", "uniform"), "PyTorch"),
                     (0.3 * vs(300, 100, 2.0, "fan_avg", "uniform"), "expected scale / fan_avg"),
                     (np.zeros((3, 3)), "shape"), (None, "still None"), ("W", "string"),
                     (np.full((300, 100), np.nan), "NaN"), (right + 0.05, "mean"), (right + 0j, "complex"),
                     ([[0.1, 0.2], [0.3]], "ragged")]:
        not_yet(check, W, words=words)
    rejects_garbage(check)


def test_relu_gain():
    check = hp.ex03.check_relu_gain
    accepts_every_form(check, lambda form: form(np.sqrt(2)))
    assert verdict(check, 10 ** 0.15)  # the gain slider's nearest value
    for g, words in [(2, "variance"), (2 ** -0.5, "shrinks"), (1, "leaves Glorot"), (3.0, "2 / n"),
                     (None, "still None"), ("1.41", "without quotes"), (True, "boolean"), (np.nan, "finite")]:
        not_yet(check, g, words=words)
    rejects_garbage(check)
