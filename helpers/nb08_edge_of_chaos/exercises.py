"""Exercise checkers of notebook 08 (edge of chaos): each says what is wrong (type, value, reasoning).

    hp.ex08.check_critical_sw2(sw2)          exercise 1: the critical sigma_w^2 of a tanh net at sigma_b^2 = 0.1
    hp.ex08.check_depth_scale(xi)            exercise 2: xi_c from chi_1 = 0.9 in the ordered phase
    hp.ex08.check_norm_ratios(norm_ratios)   exercise 3: |x W| / |x| for orthogonal and Gaussian W
A checker never raises: any answer, even garbage, gets a sentence.
"""
from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..core.initializers import init_weights
from ..ui.feedback import Feedback
from .meanfield import critical_sw2

EX1_SB2 = 0.1            # exercise 1: sigma_b^2
EX2_CHI = 0.9            # exercise 2: chi_1
EX2_XI = float(-1 / np.log(EX2_CHI))


def as_number(name, value):
    """(float, None) if `value` is one real number (Python or numpy scalar, 0-d or one-element array or list),
    else (None, Feedback saying what is wrong)."""
    if value is None:
        return None, Feedback(False, f"set {name} to a number first (it is still None)")
    if isinstance(value, (bool, np.bool_)):
        return None, Feedback(False, f"{name} should be a number, not {value} (a True/False value)")
    if isinstance(value, (str, bytes)):
        return None, Feedback(False, f"{name} should be a number, not the text {value!r}; remove the quotes")
    if not isinstance(value, numbers.Real):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                arr = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            return None, Feedback(False, f"{name} should be a single number, got {type(value).__name__}")
        if arr.size != 1:
            return None, Feedback(False, f"{name} should be a single number, got {arr.size} values (shape {arr.shape})")
        if isinstance(value, (list, tuple)) and isinstance(np.ravel(value)[0], (bool, np.bool_)):
            return None, Feedback(False, f"{name} should be a number, not a True/False value")
        value = arr.reshape(())
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None, Feedback(False, f"{name} should be a single number, got {type(value).__name__}")
    if not np.isfinite(number):
        return None, Feedback(False, f"{name} is {number}; it should be a finite number")
    return number, None


def _close(a, b, rtol):
    return abs(a - b) <= rtol * abs(b)


def check_critical_sw2(sw2) -> Feedback:
    """Exercise 1: sigma_w^2 on the critical line chi_1 = 1 of a tanh net at sigma_b^2 = 0.1 (within 1%)."""
    value, bad = as_number("sw2", sw2)
    if bad is not None:
        return bad
    truth = float(critical_sw2(EX1_SB2, "tanh"))
    if _close(value, truth, 0.01):
        return Feedback(True, f"chi_1 crosses 1 at sigma_w^2 = {truth:.3f} when sigma_b^2 = {EX1_SB2:g}: larger "
                              f"biases push q* up, tanh' down, so the weights must be larger to reach chi_1 = 1.")
    hints = [(np.sqrt(truth), 0.01, "that looks like sigma_w, the square root; the question asks for sigma_w^2"),
             (float(critical_sw2(0.05, "tanh")), 0.01, "that is the critical point at sigma_b^2 = 0.05; use 0.1"),
             (float(critical_sw2(0.01, "tanh")), 0.01, "that is the critical point at sigma_b = 0.1, i.e. "
                                                       "sigma_b^2 = 0.01; the exercise gives the variance 0.1"),
             (1.0, 0.005, "sigma_w^2 = 1 is the critical point without biases; with sigma_b^2 > 0, q* > 0 and "
                          "E[tanh'^2] < 1, so the critical sigma_w^2 is larger")]
    for wrong, rtol, hint in hints:
        if _close(value, wrong, rtol):
            return Feedback(False, hint)
    side = "ordered (chi_1 < 1): increase it" if value < truth else "chaotic (chi_1 > 1): decrease it"
    if value <= 0:
        return Feedback(False, "sigma_w^2 is a variance, so it is positive")
    return Feedback(False, f"{value:.4g} is not on the critical line: at sigma_b^2 = {EX1_SB2:g} that point is "
                           f"{side}. Iterate the length map to q*, compute chi_1 there, and bisect on sigma_w^2.")


def check_depth_scale(xi) -> Feedback:
    """Exercise 2: xi_c = -1 / ln chi_1 for chi_1 = 0.9 (ordered phase, c* = 1), within 1%."""
    value, bad = as_number("xi", xi)
    if bad is not None:
        return bad
    if _close(value, EX2_XI, 0.01):
        return Feedback(True, f"xi_c = -1 / ln {EX2_CHI} = {EX2_XI:.2f} layers: correlations approach 1 like "
                              f"exp(-l / xi_c), and Schoenholz et al. expect training up to about 6 xi_c = "
                              f"{6 * EX2_XI:.0f} layers.")
    hints = [(-EX2_XI, 0.01, "the sign: ln 0.9 is negative, so xi_c = -1 / ln chi_1 is positive"),
             (1 / (1 - EX2_CHI), 0.01, "1 / (1 - chi_1) = 10 is the first-order approximation of -1 / ln chi_1; "
                                       "compute the logarithm itself"),
             (-1 / np.log10(EX2_CHI), 0.01, "that uses log base 10; xi_c needs the natural logarithm"),
             (6 * EX2_XI, 0.01, "that is 6 xi_c, the trainable depth; the question asks for xi_c itself"),
             (-np.log(EX2_CHI), 0.01, "that is -ln chi_1, the decay rate per layer; the depth scale is its inverse")]
    for wrong, rtol, hint in hints:
        if _close(value, wrong, rtol):
            return Feedback(False, hint)
    return Feedback(False, f"{value:.4g} is not it. In the ordered phase 1 - c^l shrinks by chi_1 per layer, so "
                           f"1 - c^l ~ chi_1^l = exp(l ln chi_1) = exp(-l / xi_c): solve for xi_c.")


def _cases():
    """(label, W, X): a 200 x 200 orthogonal and Gaussian W (Var 1/200) and 50 random inputs, fixed seeds."""
    rng = np.random.default_rng(808)
    X = rng.standard_normal((50, 200)) * rng.uniform(0.5, 3.0, size=(50, 1))
    return [("orthogonal", init_weights(200, 200, "orthogonal", rng), X),
            ("Gaussian", init_weights(200, 200, "lecun_normal", rng), X)]


def check_norm_ratios(fn) -> Feedback:
    """Exercise 3: fn(W, X) -> (n,) array of |x_i W| / |x_i|, one per row x_i of X (n, fan_in)."""
    if not callable(fn):
        return Feedback(False, f"pass your function itself (norm_ratios, no brackets), got {type(fn).__name__}")
    spreads = {}
    for label, W, X in _cases():
        truth = np.linalg.norm(X @ W, axis=1) / np.linalg.norm(X, axis=1)
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                got = fn(W.copy(), X.copy())
        except Exception as err:  # report, never raise into the notebook
            return Feedback(False, f"calling norm_ratios(W, X) with the {label} W raised {type(err).__name__}: {err}")
        if got is None:
            return Feedback(False, "your function returned None: it should return one ratio |x W| / |x| per row of X")
        try:
            got = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            return Feedback(False, f"norm_ratios should return an array of numbers, got {type(got).__name__}")
        if got.shape != truth.shape:
            if got.size == 1:
                return Feedback(False, "you return one number; return one ratio per row of X (axis=1 in np.linalg.norm)")
            return Feedback(False, f"for X of shape {X.shape} return shape {truth.shape} (one ratio per row), "
                                   f"got {got.shape}")
        if not np.all(np.isfinite(got)):
            return Feedback(False, "your ratios contain NaN or inf")
        if np.allclose(got, truth, rtol=1e-6):
            spreads[label] = (truth.min(), truth.max())
            continue
        if np.allclose(got, truth ** 2, rtol=1e-6):
            return Feedback(False, "those are squared norms' ratios; take the square root (np.linalg.norm does)")
        if np.allclose(got, 1 / truth, rtol=1e-6):
            return Feedback(False, "upside down: divide |x W| by |x|")
        i = int(np.argmax(np.abs(got - truth)))
        return Feedback(False, f"with the {label} W, row {i}: you return {got[i]:.4g}, |x W| / |x| is "
                               f"{truth[i]:.4g}. Use the rows of X as the inputs x (X @ W maps every row)")
    (o_lo, o_hi), (g_lo, g_hi) = spreads["orthogonal"], spreads["Gaussian"]
    return Feedback(True, f"orthogonal W: every ratio is 1 (from {o_lo:.6f} to {o_hi:.6f}); Gaussian W with the "
                          f"same variance: from {g_lo:.3f} to {g_hi:.3f}. A Gaussian layer keeps the norm only on "
                          f"average, and 32 such layers multiply their errors.")
