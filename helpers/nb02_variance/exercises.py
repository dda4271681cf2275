"""Exercise checkers of notebook 02: each says what is wrong (type, shape, value) and why.

    hp.ex02.check_layer_variance(predicted_var_z)   # Var(z) = fan_in Var(W) E[a^2]
    hp.ex02.check_spectral_radius(spectral_radius)  # max |eigenvalue|
    hp.ex02.check_relu_std(weight_std)              # the std that keeps a ReLU net of width 250 steady
    hp.ex02.check_steps_to_grow(steps)              # steps until rho = 1.05 multiplies a norm by 1000

Function answers are tried on the checker's own cases (properties, not one seed's arrays).
"""
from __future__ import annotations

import numbers

import numpy as np

from ..ui.feedback import Feedback

RELU_WIDTH = 250
RELU_DEPTH = 50
GROWTH_RADIUS = 1.05
GROWTH_FACTOR = 1000.0


def _as_number(name, value, returned=False):
    """(float, None) if value is one real number, else (None, Feedback saying what it is)."""
    if value is None or value is Ellipsis:
        if returned:
            return None, _no(f"{name} returned {value!r}: is the `return` line still missing?")
        return None, _no(f"{name} is still {value!r}: put your answer there")
    if callable(value):
        return None, _no(f"{name} should be a number; you gave a function (did you forget to call it?)")
    if isinstance(value, (bool, np.bool_)):
        return None, _no(f"{name} should be a number, got the boolean {value}")
    if isinstance(value, np.ndarray) and value.size == 1:
        value = value.item()
    if not isinstance(value, (numbers.Real, np.floating, np.integer)):
        shape = f" of shape {np.shape(value)}" if hasattr(value, "shape") else ""
        what = "returned" if returned else "is"
        return None, _no(f"{name} should give a single number; it {what} {type(value).__name__}{shape}")
    value = np.float64(value)
    if not np.isfinite(value):
        return None, _no(f"{name} is {value}, not a finite number")
    return value, None


def _no(message: str) -> Feedback:
    return Feedback(False, message if message.endswith((".", "?", "!")) else message + ".")


def _close(x, y, rtol=1e-6):
    return bool(np.isclose(x, y, rtol=rtol, atol=1e-12))


def _call(fn, fname, checker, *args):
    """(result, None) or (None, Feedback) if fn is not a function or raises."""
    if not callable(fn):
        return None, _no(f"pass your function itself, as in hp.ex02.{checker}({fname}); got {type(fn).__name__}")
    try:
        with np.errstate(all="ignore"):
            return fn(*args), None
    except Exception as err:  # the student's code: report, never raise
        return None, _no(f"{fname} raised {type(err).__name__}: {err}")


def _variance_cases():
    rng = np.random.default_rng(2)
    logistic = 1 / (1 + np.exp(-3 * rng.standard_normal((400, 60))))  # mean near 0.5, like a sigmoid layer
    centred = np.tanh(2 * rng.standard_normal((300, 80)))             # mean near 0
    shifted = 0.3 * rng.standard_normal((500, 40)) + 1.0              # mean 1: the mean dominates
    return [(logistic, 1.0), (centred, 0.5), (shifted, 0.1)]


def check_layer_variance(predicted_var_z) -> Feedback:
    """Check predicted_var_z(a, weight_std) = fan_in * weight_std**2 * mean(a**2), fan_in = a.shape[1].

    a (batch, fan_in) are a layer's inputs; the weights are N(0, weight_std^2), independent of a.
    """
    for a, std in _variance_cases():
        got, bad = _call(predicted_var_z, "predicted_var_z", "check_layer_variance", a.copy(), std)
        if bad is not None:
            return bad
        got, bad = _as_number("predicted_var_z", got, returned=True)
        if bad is not None:
            return bad
        n, batch = a.shape[1], a.shape[0]
        expected = n * std ** 2 * np.mean(a ** 2)
        if _close(got, expected):
            continue
        mistakes = [
            (n * std ** 2 * a.var(), "you used Var(a); the sum of fan_in terms a_i W_ij has variance "
                                     "fan_in Var(W) E[a^2], and E[a^2] = Var(a) + mean(a)^2. The mean matters: "
                                     "for a logistic layer it is about 0.5 (Claim C05)"),
            (n * std * np.mean(a ** 2), "you used weight_std where the formula needs the variance weight_std**2"),
            (std ** 2 * np.mean(a ** 2), "you left out fan_in: each z_j adds up fan_in = a.shape[1] terms"),
            (batch * std ** 2 * np.mean(a ** 2), "you used a.shape[0], the batch size; fan_in is a.shape[1]"),
            (n * std ** 2 * np.mean(a) ** 2, "you used mean(a)^2; the formula needs the mean of a^2, E[a^2]"),
            (n * std ** 2 * np.mean(np.abs(a)), "you used mean(|a|); the formula needs the mean of a^2"),
        ]
        for value, why in mistakes:
            if _close(got, value):
                return _no(why)
        return _no(f"for a of shape {a.shape} and weight_std = {std} you return {got:.4g}; "
                               f"fan_in * weight_std**2 * E[a^2] is {expected:.4g}")
    return Feedback(True, "Var(z) = fan_in * Var(W) * E[a^2] on every test case, means included.")


def _radius_cases():
    theta = 0.7
    rotation = 1.2 * np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]])
    negative = np.diag([-2.0, 1.5, 0.5])                 # the largest |eigenvalue| is a negative one
    non_normal = np.array([[0.5, 10.0], [0.0, 0.5]])     # rho = 0.5, but the largest singular value is ~10
    rng = np.random.default_rng(3)
    random = rng.standard_normal((30, 30)) / np.sqrt(30)
    return [("a scaled rotation (complex eigenvalues)", rotation), ("diag(-2, 1.5, 0.5)", negative),
            ("[[0.5, 10], [0, 0.5]]", non_normal), ("a random 30 x 30 matrix", random)]


def check_spectral_radius(spectral_radius) -> Feedback:
    """Check spectral_radius(W) = max |eigenvalue of W| on complex, negative and non-normal cases."""
    for label, W in _radius_cases():
        got, bad = _call(spectral_radius, "spectral_radius", "check_spectral_radius", W.copy())
        if bad is not None:
            return bad
        if isinstance(got, (complex, np.complexfloating)):
            return _no(f"for {label} you return the complex number {got:.4g}; the spectral "
                                   "radius is the largest modulus |lambda|, a real number")
        got, bad = _as_number("spectral_radius", got, returned=True)
        if bad is not None:
            return bad
        eig = np.linalg.eigvals(W)
        expected = float(np.max(np.abs(eig)))
        if _close(got, expected):
            continue
        mistakes = [
            (np.max(eig.real), "you took the largest real part; eigenvalues can be negative or complex, "
                               "so take the largest modulus np.abs(...)"),
            (np.max(np.abs(eig.real)), "you took |real part|; a complex eigenvalue's modulus is "
                                       "sqrt(re^2 + im^2): use np.abs on the complex eigenvalues"),
            (np.linalg.norm(W, 2), "that is the largest singular value ||W||_2; it bounds rho from above and "
                                   "equals it only for normal (e.g. symmetric) matrices. The long-run growth "
                                   "per step is rho = max |eigenvalue|"),
            (np.max(np.abs(np.linalg.eigvalsh(W))), "np.linalg.eigvalsh assumes a symmetric matrix; use "
                                                     "np.linalg.eigvals for a general W"),
            (np.max(np.abs(W)), "that is the largest entry of W, not of its eigenvalues"),
            (np.linalg.norm(W), "that is the Frobenius norm of W, not an eigenvalue"),
        ]
        for value, why in mistakes:
            if _close(got, value):
                return _no(f"for {label}: " + why)
        return _no(f"for {label} you return {got:.4g}; max |eigenvalue| is {expected:.4g}")
    return Feedback(True, "rho(W) = max |eigenvalue| on rotations, negative and non-normal matrices.")


def check_relu_std(weight_std) -> Feedback:
    """Check the std of N(0, std^2) weights that keeps a ReLU net of width 250 steady: sqrt(2 / 250)."""
    got, bad = _as_number("weight_std", weight_std)
    if bad is not None:
        return bad
    if got <= 0:
        return _no(f"weight_std must be positive, got {got:g}")
    n, L = RELU_WIDTH, RELU_DEPTH
    expected = np.sqrt(2 / n)
    with np.errstate(over="ignore", under="ignore"):
        gain = np.sqrt(n * got ** 2 / 2)  # ReLU keeps E[a^2] = Var(z) / 2
        total = gain ** L
    if abs(gain - 1) < 0.02:
        return Feedback(True, f"sqrt(2 / fan_in) = {expected:.4g}: fan_in * std^2 * 1/2 = 1, so each layer "
                              "keeps the std (He initialization, notebook 03).")
    over = f"each layer multiplies the std by sqrt({n} * std^2 / 2) = {gain:.3g}, so over {L} layers by {total:.3g}"
    if _close(got, 2 / n):
        return _no(f"{got:.4g} is 2 / fan_in, the variance; the question asks for the std, its square root")
    if _close(got, np.sqrt(1 / n)):
        return _no("sqrt(1 / fan_in) keeps z's variance for a linear or tanh layer, but ReLU sets half "
                               f"of z to 0 and so halves E[a^2]: {over}. Double the variance.")
    if _close(got, 1 / n):
        return _no(f"1 / fan_in = {got:.4g} is far too small: {over}")
    if _close(got, np.sqrt(2 / RELU_DEPTH)):
        return _no("the variance depends on fan_in (the width), not on the depth")
    return _no(f"too {'large' if gain > 1 else 'small'}: {over}. Find std with fan_in * std^2 * 1/2 = 1")


def check_steps_to_grow(steps) -> Feedback:
    """Check the steps after which rho = 1.05 multiplies a norm by 1000: ln(1000) / ln(1.05) ~ 141.6."""
    got, bad = _as_number("steps", steps)
    if bad is not None:
        return bad
    expected = np.log(GROWTH_FACTOR) / np.log(GROWTH_RADIUS)
    if abs(got - expected) <= 1.0:
        return Feedback(True, f"ln(1000) / ln(1.05) = {expected:.1f} steps: 1.05^{round(expected)} = "
                              f"{GROWTH_RADIUS ** round(expected):.0f}.")
    if _close(got, GROWTH_FACTOR / (GROWTH_RADIUS - 1), 1e-3) or _close(got, GROWTH_FACTOR * (GROWTH_RADIUS - 1), 1e-3):
        return _no("growth is multiplicative: after t steps the norm is 1.05^t times larger; solve "
                               "1.05^t = 1000 with logarithms")
    if _close(got, np.log10(GROWTH_FACTOR) / np.log(GROWTH_RADIUS), 1e-3) or _close(
            got, np.log(GROWTH_FACTOR) / np.log10(GROWTH_RADIUS), 1e-3):
        return _no("you mixed a base-10 and a natural logarithm; use the same base above and below")
    if _close(got, np.log(GROWTH_FACTOR) / GROWTH_RADIUS, 1e-3):
        return _no("divide by ln(1.05), not by 1.05")
    with np.errstate(over="ignore", under="ignore"):
        grown = np.float64(GROWTH_RADIUS) ** got
    return _no(f"{got:g} steps multiply the norm by 1.05^{got:g} = {grown:.4g}, not 1000")
