"""The exercise checkers of notebook 02 (helpers/exercises/ex02.py): right answers pass, usual slips are named."""
import warnings

import numpy as np

import helpers as hp


def _verdict(feedback):
    return bool(feedback), str(feedback)


def test_check_layer_variance():
    ex = hp.ex02
    assert ex.check_layer_variance(lambda a, s: a.shape[1] * s ** 2 * np.mean(a ** 2))
    ok, msg = _verdict(ex.check_layer_variance(lambda a, s: a.shape[1] * s ** 2 * a.var()))
    assert not ok and "E[a^2] = Var(a) + mean(a)^2" in msg
    ok, msg = _verdict(ex.check_layer_variance(lambda a, s: a.shape[1] * s * np.mean(a ** 2)))
    assert not ok and "weight_std**2" in msg
    ok, msg = _verdict(ex.check_layer_variance(lambda a, s: s ** 2 * np.mean(a ** 2)))
    assert not ok and "left out fan_in" in msg
    ok, msg = _verdict(ex.check_layer_variance(lambda a, s: a.shape[0] * s ** 2 * np.mean(a ** 2)))
    assert not ok and "batch size" in msg
    ok, msg = _verdict(ex.check_layer_variance(lambda a, s: None))
    assert not ok and "returned None" in msg
    ok, msg = _verdict(ex.check_layer_variance(lambda a, s: np.ones(3)))
    assert not ok and "single number" in msg and "(3,)" in msg
    ok, msg = _verdict(ex.check_layer_variance(lambda a, s: 1 / 0))
    assert not ok and "ZeroDivisionError" in msg
    ok, msg = _verdict(ex.check_layer_variance(3.0))
    assert not ok and "pass your function itself" in msg
    ok, msg = _verdict(ex.check_layer_variance(lambda a, s: 7.0))
    assert not ok and "you return 7" in msg


def test_check_spectral_radius():
    ex = hp.ex02
    assert ex.check_spectral_radius(lambda W: np.max(np.abs(np.linalg.eigvals(W))))
    assert ex.check_spectral_radius(hp.nb02_variance.spectral_radius)
    ok, msg = _verdict(ex.check_spectral_radius(lambda W: np.max(np.linalg.eigvals(W))))
    assert not ok and "complex number" in msg
    ok, msg = _verdict(ex.check_spectral_radius(lambda W: np.max(np.linalg.eigvals(W).real)))
    assert not ok and "largest real part" in msg
    ok, msg = _verdict(ex.check_spectral_radius(lambda W: np.linalg.norm(W, 2)))
    assert not ok and "largest singular value" in msg
    ok, msg = _verdict(ex.check_spectral_radius(lambda W: np.max(np.abs(np.linalg.eigvalsh(W)))))
    assert not ok and "eigvalsh" in msg
    ok, msg = _verdict(ex.check_spectral_radius(lambda W: None))
    assert not ok and "returned None" in msg


def test_check_relu_std():
    ex = hp.ex02
    assert ex.check_relu_std(np.sqrt(2 / 250))
    for answer, hint in [(2 / 250, "the variance"), (np.sqrt(1 / 250), "halves E[a^2]"), (1.0, "too large"),
                         (0.01, "too small"), (0.0, "positive"), (np.inf, "not a finite number"),
                         (None, "still None"), ("0.09", "single number"), (1e300, "too large")]:
        ok, msg = _verdict(ex.check_relu_std(answer))
        assert not ok and hint in msg, (answer, msg)


def test_check_steps_to_grow():
    ex = hp.ex02
    assert ex.check_steps_to_grow(np.log(1000) / np.log(1.05)) and ex.check_steps_to_grow(142)
    for answer, hint in [(1000 / 0.05, "multiplicative"), (np.log10(1000) / np.log(1.05), "base-10"),
                         (100, "1.05^100"), (None, "still None"), (1e6, "not 1000")]:
        ok, msg = _verdict(ex.check_steps_to_grow(answer))
        assert not ok and hint in msg, (answer, msg)


def test_checkers_raise_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hp.ex02.check_relu_std(1e300)
        hp.ex02.check_relu_std(1e-300)
        hp.ex02.check_steps_to_grow(1e300)
        hp.ex02.check_layer_variance(lambda a, s: np.inf)
