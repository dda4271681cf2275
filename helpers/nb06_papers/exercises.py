"""Exercise checkers of notebook 06 (papers reproduced): each says what is wrong (type, value, reasoning)."""
from __future__ import annotations

import numbers

import numpy as np

from .experiments import binomial_band, dead_net_probability
from ..ui.feedback import Feedback

# Exercise 1 (R1): Var(dz_1) / Var(dz_5) under the standard init, linear regime: four layers of n Var(W) = 1/3
R1_VARIANCE_FACTOR = (1 / 3) ** 4
# Exercise 2 (R2): square Glorot ReLU layers multiply the std by 1/sqrt(2); first depth with 2^(-L/2) < 1%
R2_DEPTH = int(np.floor(2 * np.log2(100)) + 1)
# Exercise 3 (R3): smallest width N with P(dead after 50 layers) < 1%
R3_DEPTH, R3_TARGET = 50, 0.01


def _number(name, value):
    """A Feedback if `value` is not a single real number, else None."""
    if value is None:
        return Feedback(False, f"set {name} to a number first (it is still None)")
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.size == 1:
            return None
        return Feedback(False, f"{name} should be a single number, got {type(value).__name__}")
    if not np.isfinite(value):
        return Feedback(False, f"{name} is {value}; it should be a finite number")
    return None


def check_standard_variance_factor(factor) -> Feedback:
    """Exercise 1: Var(dLoss/dz_1) / Var(dLoss/dz_5) predicted for the standard init in the linear regime."""
    bad = _number("factor", factor)
    if bad is not None:
        return bad
    factor = float(factor)
    if np.isclose(factor, R1_VARIANCE_FACTOR, rtol=1e-3):
        return Feedback(True, f"each of the four layers between layer 5 and layer 1 multiplies the gradient's "
                              f"variance by n Var(W) = 1/3, so (1/3)^4 = {R1_VARIANCE_FACTOR:.4g}.")
    hints = {1 / 3: "that is one layer's factor; going from layer 5 down to layer 1 crosses four layers",
             (1 / 3) ** 5: "count again: from layer 5 down to layer 1 there are four steps, not five",
             1 / 9: "that is the ratio of standard deviations; the question asks for variances",
             81.0: "upside down: the gradient gets smaller toward layer 1, so the factor is below 1",
             1.0: "that is the normalized init, n Var(W) = 1; the standard init has Var(W) = (1/sqrt(n))^2 / 3"}
    for value, hint in hints.items():
        if np.isclose(factor, value, rtol=1e-3):
            return Feedback(False, hint)
    return Feedback(False, f"{factor:.4g} is not it. U[-r, r] has variance r^2 / 3; with r = 1/sqrt(n), what is "
                           f"n Var(W), and how many layers lie between layer 5 and layer 1?")


def check_glorot_relu_depth(depth) -> Feedback:
    """Exercise 2: the fewest square Glorot ReLU layers after which the forward std is below 1% of its start."""
    bad = _number("depth", depth)
    if bad is not None:
        return bad
    if float(depth) != int(depth):
        return Feedback(False, f"depth counts layers, so it should be a whole number, got {depth}")
    depth = int(depth)
    left = 2.0 ** (-depth / 2)
    if depth == R2_DEPTH:
        return Feedback(True, f"after {depth} layers the std is 2^(-{depth}/2) = {left:.3g} of where it started "
                              f"(after {depth - 1} it was still {2.0 ** (-(depth - 1) / 2):.3g}).")
    if depth <= 0:
        return Feedback(False, "depth should be a positive number of layers")
    if left >= 0.01:
        return Feedback(False, f"after {depth} layers the std is still 2^(-{depth}/2) = {left:.3g} of where it "
                               f"started, not below 0.01")
    return Feedback(False, f"{depth} layers take it below 1% ({left:.3g}), but fewer layers already do: "
                           f"solve 2^(-L/2) < 0.01 for the smallest whole L")


def check_min_width(width) -> Feedback:
    """Exercise 3: the smallest width N for which a 50-layer net is dead at an input with probability < 1%."""
    bad = _number("width", width)
    if bad is not None:
        return bad
    if float(width) != int(width) or width < 1:
        return Feedback(False, f"width counts units, so it should be a whole number >= 1, got {width}")
    width = int(width)
    p = dead_net_probability(width, R3_DEPTH)
    if p >= R3_TARGET:
        return Feedback(False, f"with N = {width} a {R3_DEPTH}-layer net is dead with probability {p:.3g}, "
                               f"not below {R3_TARGET:g}")
    p_less = dead_net_probability(width - 1, R3_DEPTH) if width > 1 else 1.0
    if p_less < R3_TARGET:
        return Feedback(False, f"N = {width} works, but so does N = {width - 1} (probability {p_less:.3g}); "
                               f"the question asks for the smallest")
    return Feedback(True, f"N = {width} gives {p:.3g}, and N = {width - 1} would give {p_less:.3g}. "
                          f"Each extra unit halves 2^-N, so the safe width grows only like log2 of the depth.")


CASES = ((1, 1), (2, 10), (3, 6), (6, 40))  # (width, depth): probabilities 0.5, 0.944, 0.551, 0.467


def check_dead_fraction(fn, n_nets: int = 4000) -> Feedback:
    """Exercise 4: fn(width, depth, n_nets, rng) -> Monte-Carlo fraction of nets dead at one input.

    Compared with 1 - (1 - 2^-N)^D within 4.5 binomial standard deviations, for a few (N, D), with seeded rngs.
    """
    if not callable(fn):
        return Feedback(False, f"pass your function itself (my_dead_fraction), got {type(fn).__name__}")
    got = {}
    for width, depth, seed in [(w, d, w * 100 + d) for w, d in CASES] + [(2, 10, 12345)]:
        try:
            value = fn(width, depth, n_nets, np.random.default_rng(seed))
        except Exception as err:  # report, never raise into the notebook
            return Feedback(False, f"calling your function with width={width}, depth={depth}, n_nets={n_nets} "
                                   f"raised {type(err).__name__}: {err}")
        if value is None:
            return Feedback(False, f"your function returned None for width={width}, depth={depth}: it should "
                                   f"return the fraction of nets that are dead")
        bad = _number(f"the value for width={width}, depth={depth}", value)
        if bad is not None:
            return bad
        value = float(value)
        if not 0.0 <= value <= 1.0:
            return Feedback(False, f"for width={width}, depth={depth} you return {value:.4g}; a fraction of nets "
                                   f"lies between 0 and 1")
        if seed == 12345:
            again = value
        else:
            got[width, depth] = value
    if again == got[2, 10]:
        return Feedback(False, "two different rngs gave exactly the same answer: is your function computing the "
                               "formula instead of simulating random nets with the rng it is given?")
    for (width, depth), value in got.items():
        p = dead_net_probability(width, depth)
        lo, hi = binomial_band(p, n_nets, k=4.5)
        if not lo <= value <= hi:
            return Feedback(False, f"for width={width}, depth={depth} you get {value:.4f} but the formula gives "
                                   f"{p:.4f}, and {n_nets} nets should land within [{lo:.4f}, {hi:.4f}]. Check the "
                                   f"zero biases, that every net gets its own weights, and that a net is dead "
                                   f"when its last hidden layer is all zeros")
    listing = ", ".join(f"N={w}, D={d}: {got[w, d]:.3f} (formula {dead_net_probability(w, d):.3f})"
                        for w, d in CASES)
    return Feedback(True, f"your Monte Carlo agrees with the formula within the binomial noise: {listing}.")
