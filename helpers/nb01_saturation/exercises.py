"""Exercise checkers of notebook 01 (sigmoid saturation): each says what is wrong (shape, dtype, value).

    hp.ex01.check_sigmoid_slope(fn)                  exercise 1: sigma'(z) for any array z
    hp.ex01.check_chain_gradient(fn)                 exercise 2: backprop by hand through a chain
    hp.ex01.check_saturation_per_layer(answer, cache) exercise 3: saturated fraction of each hidden layer
    hp.ex01.check_balanced_scale(std, activation)    exercise 4: a weight std that keeps gradients level
"""
from __future__ import annotations

import numbers
import warnings

import numpy as np

from ..core.activations import get_activation, sigmoid
from ..core.stats import fmt, saturated_fraction
from .experiments import chain_gradient, saturation_profile
from ..ui.feedback import Feedback, compare_array

__all__ = ["check_sigmoid_slope", "check_chain_gradient", "check_saturation_per_layer", "check_balanced_scale"]

_Z = np.array([[-1000.0, -30.0, -5.0, -1.0, -0.1], [0.0, 0.5, 2.0, 30.0, 1000.0]])


def _call(fn, *args):
    """(result, caught warnings, error message or None) of fn(*args), never raising."""
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            return fn(*args), caught, None
        except Exception as err:  # reported to the student
            return None, caught, f"{type(err).__name__}: {err}"


def _same(got, expected):
    with np.errstate(all="ignore"):
        return got.shape == np.shape(expected) and np.allclose(got, expected, rtol=1e-6, atol=1e-12)


def check_sigmoid_slope(fn) -> Feedback:
    """Exercise 1: fn(z) must return sigma'(z) = sigma(z)(1 - sigma(z)), shaped like z, for any z.

    It is tried on a (2, 5) array with z from -1000 to 1000: no warning, no NaN.
    """
    if not callable(fn):
        return Feedback(False, f"pass the function itself, e.g. check_sigmoid_slope(sigmoid_slope), "
                               f"not {type(fn).__name__}")
    got, caught, error = _call(fn, _Z.copy())
    if error:
        return Feedback(False, f"sigmoid_slope(z) raised {error}")
    if got is None:
        return Feedback(False, "sigmoid_slope returned None: is the `return` line still missing?")
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return Feedback(False, f"sigmoid_slope should return an array of numbers, got {type(got).__name__}")
    if got.shape != _Z.shape:
        return Feedback(False, f"for z of shape {_Z.shape} sigmoid_slope returned shape {got.shape}: "
                               f"it should work elementwise and return an array shaped like z")
    s = sigmoid(_Z)
    overflow = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if overflow or not np.all(np.isfinite(got)):
        return Feedback(False, "at z = -1000 or 1000 your function overflows "
                               f"({'a RuntimeWarning' if overflow else 'NaN or inf in the result'}): np.exp(-z) "
                               "is inf for z = -1000. Use hp.sigmoid(z), which never exponentiates a positive "
                               "number, then sigma'(z) = sigma(z) * (1 - sigma(z)).")
    if np.allclose(got, 0):
        return Feedback(False, "every value is 0: replace the placeholder with sigma(z) * (1 - sigma(z)).")
    wrong = {
        "sigma(z) itself, not its slope: the slope is sigma(z) * (1 - sigma(z))": s,
        "1 - sigma(z)^2, the pattern of tanh's slope (1 - tanh^2); the sigmoid's is sigma(z) * (1 - sigma(z))": 1 - s * s,
        "tanh's slope 1 - tanh(z)^2 (largest value 1); the sigmoid's slope is sigma(z) * (1 - sigma(z))": 1 - np.tanh(_Z) ** 2,
        "sigma(z) * (1 + sigma(z)): check the sign, the slope is sigma(z) * (1 - sigma(z))": s * (1 + s),
        "-sigma(z) * (1 - sigma(z)): the sigmoid increases, so its slope is positive": -s * (1 - s),
    }
    for message, values in wrong.items():
        if _same(got, values):
            return Feedback(False, "this is " + message)
    result = compare_array("sigmoid_slope(z)", got, s * (1 - s), rtol=1e-6, atol=1e-12)
    if not result:
        return result
    return Feedback(True, f"sigmoid_slope matches sigma(z)(1 - sigma(z)) from z = -1000 to 1000; its largest "
                          f"value is {fmt(got.max())}, at z = {fmt(_Z.flat[int(np.argmax(got))])}.")


_CHAIN_CASES = [(0.0, 1), (0.0, 5), (2.0, 3), (-3.0, 10), (5.0, 4), (0.5, 20)]


def _chain_variants(x, depth):
    """The right gradient and the usual wrong ones, for one case."""
    c = chain_gradient(x, depth)
    z, slope = c.z[0], c.slope[0]
    a = sigmoid(z)
    return c.first[0], {
        "bound": 0.25 ** depth,
        "values": np.prod(a),
        "at_a": np.prod(sigmoid(a) * (1 - sigmoid(a))),
        "missing_first": np.prod(slope[1:]),
        "missing_last": np.prod(slope[:-1]),
        "extra": np.prod(slope) * sigmoid(a[-1]) * (1 - sigmoid(a[-1])),
        "tanh_form": np.prod(1 - a * a),
        "sum": np.sum(slope),
    }


_CHAIN_HINTS = {
    "bound": "you return 0.25**depth, the upper bound. The actual gradient multiplies the slope at each "
             "layer's own z_l: sigma'(z_l) = sigma(z_l)(1 - sigma(z_l)), which is below 0.25 unless z_l = 0.",
    "values": "you multiply the activations sigma(z_l); backprop multiplies the slopes sigma'(z_l) = "
              "sigma(z_l)(1 - sigma(z_l)).",
    "at_a": "you evaluate the slope at each layer's output a_l; it belongs at its input z_l (in this chain "
            "z_1 = x and z_(l+1) = a_l).",
    "missing_first": "you have depth - 1 factors: the slope of layer 1, sigma'(z_1) with z_1 = x, is missing. "
                     "A chain of depth layers contributes depth factors.",
    "missing_last": "you have depth - 1 factors: the slope of the last layer, sigma'(z_L), is missing. "
                    "A chain of depth layers contributes depth factors.",
    "extra": "you have depth + 1 factors: stop after the last layer's slope sigma'(z_L).",
    "tanh_form": "you use 1 - a^2, tanh's slope; the sigmoid's is a(1 - a).",
    "sum": "you add the slopes; the chain rule multiplies them, one factor per layer.",
}


def check_chain_gradient(fn) -> Feedback:
    """Exercise 2: fn(x, depth) must return dLoss/dz_1 of the unit-weight sigmoid chain (dLoss/da_L = 1).

    That is prod_{l=1..depth} sigma'(z_l) with z_1 = x and z_(l+1) = sigma(z_l); compared with
    hp.chain_gradient on a few (x, depth) cases, and typical slips are named.
    """
    if not callable(fn):
        return Feedback(False, f"pass the function itself, e.g. check_chain_gradient(chain_grad), "
                               f"not {type(fn).__name__}")
    matches, first_bad, bad = {}, None, 0
    for x, depth in _CHAIN_CASES:
        got, caught, error = _call(fn, x, depth)
        if error:
            return Feedback(False, f"chain_grad({x}, {depth}) raised {error}")
        if got is None:
            return Feedback(False, "chain_grad returned None: is the `return` line still missing?")
        if np.size(got) != 1 or not isinstance(np.ravel(got)[0], (numbers.Real, np.floating)):
            return Feedback(False, f"chain_grad({x}, {depth}) should return one number, got "
                                   f"{type(got).__name__} of size {np.size(got)}")
        got = float(np.ravel(got)[0])
        expected, variants = _chain_variants(x, depth)
        if np.isclose(got, expected, rtol=1e-6, atol=0):
            continue
        bad += 1
        if first_bad is None:
            first_bad = (x, depth, got, expected)
        for name, value in variants.items():
            if np.isclose(got, value, rtol=1e-6, atol=0):
                matches[name] = matches.get(name, 0) + 1
    if first_bad is None:
        x, depth = 0.0, 10
        value = chain_gradient(x, depth).first[0]
        return Feedback(True, f"your backprop matches hp.chain_gradient on {len(_CHAIN_CASES)} cases; e.g. "
                              f"chain_grad({x}, {depth}) = {fmt(value)}, below the bound 0.25^{depth} = "
                              f"{fmt(0.25 ** depth)}.")
    x, depth, got, expected = first_bad
    detail = f"chain_grad({x}, {depth}) returned {got:.4g}, expected {expected:.4g}"
    explained = [name for name, count in matches.items() if count == bad]  # a slip explains every miss
    if explained:
        return Feedback(False, f"{detail}: {_CHAIN_HINTS[explained[0]]}")
    return Feedback(False, f"{detail}. Loop over the layers: z = x; for each layer a = sigma(z), multiply the "
                           f"gradient by a(1 - a), then z = a.")


def check_saturation_per_layer(answer, cache) -> Feedback:
    """Exercise 3: answer[l] = fraction of hidden layer l+1's activations within 0.01 of 0 or 1.

    cache is the (sigmoid) forward pass the answer was computed from; the output layer is linear
    and not counted, so the answer has one value per hidden layer.
    """
    act = cache.activation
    if act.name != "sigmoid":
        return Feedback(False, f"this exercise uses the sigmoid net's cache; this one is {act.name}")
    hidden = cache.acts[:-1]
    expected = np.array([saturated_fraction(a, act) for a in hidden])
    if answer is None:
        return Feedback(False, f"the answer is still None: replace it with an array of {len(hidden)} fractions, "
                               f"one per hidden layer")
    try:
        got = np.asarray(answer, dtype=np.float64)
    except (TypeError, ValueError):
        return Feedback(False, f"the answer should be an array of numbers, one per hidden layer, "
                               f"got {type(answer).__name__}")
    if got.ndim == 0:
        return Feedback(False, f"one number per hidden layer is wanted ({len(hidden)} of them), not a single "
                               f"number: loop over cache.acts[:-1]")
    if got.shape == (len(cache.acts),):
        return Feedback(False, f"{got.size} values: you included the output layer, which is linear (no sigmoid). "
                               f"Use cache.acts[:-1], the {len(hidden)} hidden layers.")
    if got.ndim == 2 or got.shape != expected.shape:
        return Feedback(False, f"the answer should have shape {expected.shape} (one fraction per hidden layer), "
                               f"got {got.shape}; average over the batch and the units together")
    if np.all(np.isfinite(got)) and got.max() > 1 and np.allclose(got, 100 * expected, atol=1e-6):
        return Feedback(False, "these are percentages; give fractions between 0 and 1")
    if np.all(np.isfinite(got)) and got.max() > 1:
        return Feedback(False, "values above 1 look like counts: divide by the number of entries "
                               "(batch x units), or use np.mean of the boolean mask")
    high = np.array([np.mean(a > 0.99) for a in hidden])
    low = np.array([np.mean(a < 0.01) for a in hidden])
    if _same(got, high):
        return Feedback(False, "you counted only the units near 1; those near 0 (a < 0.01) are saturated too")
    if _same(got, low):
        return Feedback(False, "you counted only the units near 0; those near 1 (a > 0.99) are saturated too")
    return compare_array("saturated fraction per layer", got, expected, rtol=1e-6, atol=1e-9)


def check_balanced_scale(std, activation="sigmoid", depth: int = 10) -> Feedback:
    """Exercise 4: a weight std for which ||dW_1|| / ||dW_L|| lies between 0.1 and 10.

    The net is the explorer's (hp.saturation_profile: layers of 64 units, seed 0); the verdict also
    reports how many hidden activations are saturated at that std.
    """
    if isinstance(std, bool) or not isinstance(std, numbers.Real) or not np.isfinite(std) or std <= 0:
        return Feedback(False, f"std should be a positive number such as 0.3, got {std!r}")
    if activation not in ("sigmoid", "tanh"):
        return Feedback(False, f"activation should be 'sigmoid' or 'tanh', got {activation!r}")
    prof = saturation_profile(float(std), depth, activation)
    ratio, sat = prof.first_to_last, prof.saturated
    where = f"with {activation} and std {fmt(std)}, layer 1's gradient norm is {fmt(ratio)} times layer {depth}'s"
    sat_text = f"{100 * sat:.0f}% of hidden activations are saturated"
    if not np.isfinite(ratio):
        return Feedback(False, f"{where}: the gradients diverged; try a smaller std")
    if ratio < 0.1:
        return Feedback(False, f"{where}: the gradient still vanishes on its way down; try a larger std "
                               f"({sat_text}).")
    if ratio > 10:
        return Feedback(False, f"{where}: the gradient grows on its way down; try a smaller std ({sat_text}).")
    return Feedback(True, f"{where}, within a factor of 10; at this std {sat_text}.")
