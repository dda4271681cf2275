"""Notebook 06's exercise checkers (hp.ex06): right answers in any reasonable form pass, each known slip gets its
hint, and garbage gets a sentence, never an exception or a warning."""
import numpy as np

import helpers as hp
from tests.checker_checks import accepts_every_form, not_yet, rejects_garbage, verdict

ex06 = hp.ex06


def test_standard_variance_factor():
    accepts_every_form(ex06.check_standard_variance_factor, lambda form: form(1 / 81))  # issue 12
    for answer, words in [(None, "factor is still None"), ("1/81", "without quotes"), (1 / 9, "standard deviations"),
                          (1 / 3, "four layers"), ((1 / 3) ** 5, "four steps"), (81, "upside down"),
                          (1, "normalized init"), (0.5, "how many layers")]:
        not_yet(ex06.check_standard_variance_factor, answer, words=words)
    rejects_garbage(ex06.check_standard_variance_factor)


def test_glorot_relu_depth():
    accepts_every_form(ex06.check_glorot_relu_depth, lambda form: form(14))
    assert verdict(ex06.check_glorot_relu_depth, np.int64(14))
    assert 2 ** (-13 / 2) >= 0.01 > 2 ** (-14 / 2)
    for answer, words in [(13, "0.011"), (15, "fewer"), (13.5, "whole"), (None, "still None"), (0, "positive"),
                          (-3000, "positive"), (1e300, "fewer"), (True, "boolean")]:
        not_yet(ex06.check_glorot_relu_depth, answer, words=words)
    rejects_garbage(ex06.check_glorot_relu_depth)


def test_min_width():
    accepts_every_form(ex06.check_min_width, lambda form: form(13))
    assert verdict(ex06.check_min_width, np.int64(13))
    for answer, words in [(12, "0.0121"), (20, "smallest"), (0, "whole number >= 1"), (None, "still None"),
                          (12.5, "whole"), (10 ** 30, "smallest"), (np.array([8]), "0.178")]:
        not_yet(ex06.check_min_width, answer, words=words)
    rejects_garbage(ex06.check_min_width)


def _right(width, depth, n_nets, rng):
    a = rng.standard_normal((n_nets, width))
    for _ in range(depth):
        a = np.maximum(np.matmul(a[:, None, :], rng.standard_normal((n_nets, a.shape[1], width)))[:, 0], 0)
    return float(np.mean(np.all(a == 0, axis=1)))


def _shared_w(width, depth, n_nets, rng):
    """The pitfall the task warns about: one weight matrix per layer, shared by all the nets."""
    a = rng.standard_normal((n_nets, width))
    for _ in range(depth):
        a = np.maximum(a @ rng.standard_normal((width, width)), 0)
    return float(np.mean(np.all(a == 0, axis=1)))


def _shared_w_and_input(width, depth, n_nets, rng):
    a = np.repeat(rng.standard_normal((1, width)), n_nets, axis=0)
    for _ in range(depth):
        a = np.maximum(a @ rng.standard_normal((width, width)), 0)
    return float(np.mean(np.all(a == 0, axis=1)))


def test_dead_fraction():
    check = ex06.check_dead_fraction
    ok = verdict(check, _right)
    assert ok and "N=2, D=10" in ok
    assert verdict(check, lambda *a: np.array([_right(*a)]))
    not_yet(check, None, words="function my_dead_fraction itself")
    not_yet(check, lambda w, d, n, r: None, words="returned None")
    not_yet(check, lambda w, d, n, r: hp.nb06_papers.dead_net_probability(w, d), words="formula")
    not_yet(check, lambda w, d, n, r: 2.0, words="between 0 and 1")
    not_yet(check, lambda w, d, n, r: 1 / 0, words="ZeroDivisionError")
    not_yet(check, lambda w, d, n, r: _right(w, d + 1, n, r), words=("formula gives", "own weights"))
    not_yet(check, _right, n_nets=10 ** 9, words="n_nets")


def test_dead_fraction_diagnoses_a_shared_w():
    """Issue 13: sharing one W across all nets is named, not mistaken for 'computing the formula'."""
    sentence = not_yet(ex06.check_dead_fraction, _shared_w, words=("not independent", "one W per layer"))
    assert "formula instead" not in sentence
    not_yet(ex06.check_dead_fraction, _shared_w_and_input, words="share their weights")


def test_dead_fraction_garbage():
    rejects_garbage(ex06.check_dead_fraction, functions=True)
    not_yet(ex06.check_dead_fraction, lambda w, d, n, r: np.exp(np.float64(1000)))  # its own overflow stays in
