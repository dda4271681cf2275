"""Notebook 02's exercise checkers (hp.ex02): right answers in any reasonable form pass, each known slip gets its
hint, and garbage gets a sentence, never an exception or a warning."""
import numpy as np
import pytest

import helpers as hp
from tests.checker_checks import accepts_every_form, not_yet, rejects_garbage, verdict


def _var_right(a, s):
    return a.shape[1] * s ** 2 * np.mean(a ** 2)


@pytest.mark.parametrize("answer,words", [
    (lambda a, s: a.shape[1] * s ** 2 * a.var(), "E[a^2] = Var(a) + mean(a)^2"),
    (lambda a, s: a.shape[1] * s * np.mean(a ** 2), "weight_std**2"),
    (lambda a, s: s ** 2 * np.mean(a ** 2), "left out fan_in"),
    (lambda a, s: a.shape[0] * s ** 2 * np.mean(a ** 2), "batch size"),
    (lambda a, s: a.shape[1] * s ** 2 * np.mean(a) ** 2, "mean(a)^2"),
    (lambda a, s: a.shape[1] * s ** 2 * np.mean(np.abs(a)), "mean(|a|)"),
    (lambda a, s: None, "returned None"),
    (lambda a, s: np.ones(3), ("single number", "(3,)")),
    (lambda a, s: 1 / 0, "ZeroDivisionError"),
    (3.0, "pass your function predicted_var_z itself"),
    (lambda a, s: 7.0, "you return 7"),
    (lambda a, s: np.inf, "not a finite number"),
])
def test_layer_variance(answer, words):
    not_yet(hp.ex02.check_layer_variance, answer, words=words)


def test_layer_variance_accepts_any_form_of_one_number():
    accepts_every_form(hp.ex02.check_layer_variance, lambda form: lambda a, s: form(_var_right(a, s)))
    rejects_garbage(hp.ex02.check_layer_variance, functions=True)


@pytest.mark.parametrize("answer,words", [
    (lambda W: np.max(np.linalg.eigvals(W)), "complex number"),
    (lambda W: np.max(np.linalg.eigvals(W).real), "largest real part"),
    (lambda W: np.max(np.abs(np.linalg.eigvals(W).real)), "|real part|"),
    (lambda W: np.linalg.norm(W, 2), "largest singular value"),
    (lambda W: np.max(np.abs(np.linalg.eigvalsh(W))), "eigvalsh"),
    (lambda W: np.max(np.abs(W)), "largest entry"),
    (lambda W: np.linalg.norm(W), "Frobenius"),
    (lambda W: None, "returned None"),
    (lambda W: 2.5, "max |eigenvalue| is"),
])
def test_spectral_radius(answer, words):
    assert verdict(hp.ex02.check_spectral_radius, lambda W: np.max(np.abs(np.linalg.eigvals(W))))
    assert verdict(hp.ex02.check_spectral_radius, hp.nb02_variance.spectral_radius)
    assert verdict(hp.ex02.check_spectral_radius, lambda W: [np.max(np.abs(np.linalg.eigvals(W)))])
    not_yet(hp.ex02.check_spectral_radius, answer, words=words)


def test_spectral_radius_garbage():
    rejects_garbage(hp.ex02.check_spectral_radius, functions=True)


def test_relu_std():
    check = hp.ex02.check_relu_std
    accepts_every_form(check, lambda form: form(np.sqrt(2 / 250)))
    for answer, hint in [(2 / 250, "the variance"), (np.sqrt(1 / 250), "halves E[a^2]"), (1.0, "too large"),
                         (0.01, "too small"), (1 / 250, "far too small"), (np.sqrt(2 / 50), "not on the depth"),
                         (0.0, "positive"), (np.inf, "not a finite number"), (None, "still None"),
                         ("0.09", "without quotes"), (1e300, "too large"), (1e-300, "too small"), (True, "boolean")]:
        not_yet(check, answer, words=hint)
    rejects_garbage(check)


def test_steps_to_grow():
    """1.05^t = 1000 at t = 141.58: 142 whole steps get there, 141 do not (1.05^141 = 972)."""
    check = hp.ex02.check_steps_to_grow
    accepts_every_form(check, lambda form: form(142))
    for right in (np.log(1000) / np.log(1.05), 141.6, np.float32(141.58)):
        assert verdict(check, right), right
    assert 1.05 ** 141 < 1000 <= 1.05 ** 142
    for answer, hint in [(141, "round up"), (141.5, "not 1000"), (143, "fewer steps"),
                         (1000 / 0.05, "multiplicative"), (np.log10(1000) / np.log(1.05), "base-10"),
                         (np.log(1000) / 1.05, "not by 1.05"), (100, "1.05^100"), (None, "still None"),
                         (1e6, "not 1000"), (1e300, "not 1000"), (-1e300, "not 1000")]:
        not_yet(check, answer, words=hint)
    rejects_garbage(check)
