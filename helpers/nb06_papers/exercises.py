"""Exercise checkers of notebook 06 (papers reproduced): the expected property, the known slips, their hints."""
from __future__ import annotations

import numpy as np

from ..ui.feedback import NotYet, call, checker, known_slip, number, same
from .experiments import binomial_band, dead_net_probability

__all__ = ["check_standard_variance_factor", "check_glorot_relu_depth", "check_min_width", "check_dead_fraction"]

# Exercise 1 (R1): Var(dz_1) / Var(dz_5) under the standard init, linear regime: four layers of n Var(W) = 1/3
R1_VARIANCE_FACTOR = (1 / 3) ** 4
# Exercise 2 (R2): square Glorot ReLU layers multiply the std by 1/sqrt(2); first depth with 2^(-L/2) < 1%
R2_DEPTH = int(np.floor(2 * np.log2(100)) + 1)
# Exercise 3 (R3): smallest width N with P(dead after 50 layers) < 1%
R3_DEPTH, R3_TARGET = 50, 0.01

_FACTOR_SLIPS = [
    (1 / 3, "that is one layer's factor; going from layer 5 down to layer 1 crosses four layers"),
    ((1 / 3) ** 5, "count again: from layer 5 down to layer 1 there are four steps, not five"),
    (1 / 9, "that is the ratio of standard deviations; the question asks for variances"),
    (81.0, "upside down: the gradient gets smaller toward layer 1, so the factor is below 1"),
    (1.0, "that is the normalized init, n Var(W) = 1; the standard init has Var(W) = (1/sqrt(n))^2 / 3"),
]


@checker
def check_standard_variance_factor(factor):
    """Exercise 1: Var(dLoss/dz_1) / Var(dLoss/dz_5) predicted for the standard init in the linear regime."""
    factor = number(factor, "factor")
    if same(factor, R1_VARIANCE_FACTOR, rtol=1e-3):
        return (f"each of the four layers between layer 5 and layer 1 multiplies the gradient's variance by "
                f"n Var(W) = 1/3, so (1/3)^4 = {R1_VARIANCE_FACTOR:.4g}.")
    raise NotYet(known_slip([((), factor)], _FACTOR_SLIPS, rtol=1e-3) or f"{factor:.4g} is not it. U[-r, r] has "
                 "variance r^2 / 3; with r = 1/sqrt(n), what is n Var(W), and how many layers lie between layer 5 "
                 "and layer 1?")


@checker
def check_glorot_relu_depth(depth):
    """Exercise 2: the fewest square Glorot ReLU layers after which the forward std is below 1% of its start."""
    depth = number(depth, "depth", whole=True)
    if depth <= 0:
        raise NotYet("depth should be a positive number of layers")
    left = np.exp2(-depth / 2)
    if depth == R2_DEPTH:
        return (f"after {depth:.0f} layers the std is 2^(-{depth:.0f}/2) = {left:.3g} of where it started "
                f"(after {depth - 1:.0f} it was still {np.exp2(-(depth - 1) / 2):.3g}).")
    if left >= 0.01:
        raise NotYet(f"after {depth:.0f} layers the std is still 2^(-{depth:.0f}/2) = {left:.3g} of where it "
                     "started, not below 0.01")
    raise NotYet(f"{depth:.0f} layers take it below 1% ({left:.3g}), but fewer layers already do: solve "
                 "2^(-L/2) < 0.01 for the smallest whole L")


@checker
def check_min_width(width):
    """Exercise 3: the smallest width N for which a 50-layer net is dead at an input with probability < 1%."""
    width = number(width, "width", whole=True)
    if width < 1:
        raise NotYet(f"width counts units, so it should be a whole number >= 1, got {width:g}")
    if width > 10_000:
        raise NotYet(f"N = {width:g} works, but far fewer units already do; the question asks for the smallest")
    width = int(width)
    p = dead_net_probability(width, R3_DEPTH)
    if p >= R3_TARGET:
        raise NotYet(f"with N = {width} a {R3_DEPTH}-layer net is dead with probability {p:.3g}, not below "
                     f"{R3_TARGET:g}")
    p_less = dead_net_probability(width - 1, R3_DEPTH) if width > 1 else 1.0
    if p_less < R3_TARGET:
        raise NotYet(f"N = {width} works, but so does N = {width - 1} (probability {p_less:.3g}); the question asks "
                     "for the smallest")
    return (f"N = {width} gives {p:.3g}, and N = {width - 1} would give {p_less:.3g}. Each extra unit halves 2^-N, "
            "so the safe width grows only like log2 of the depth.")


CASES = ((1, 1), (2, 10), (3, 6), (6, 40))  # (width, depth): probabilities 0.5, 0.944, 0.551, 0.467
SPREAD_CASE, SPREAD_SEEDS = (3, 6), 5         # run again with more rngs: do the answers scatter like n_nets coins?


@checker
def check_dead_fraction(fn, n_nets: int = 4000):
    """Exercise 4: fn(width, depth, n_nets, rng) -> Monte-Carlo fraction of nets dead at one input.

    Compared with 1 - (1 - 2^-N)^D within 4.5 binomial standard deviations, for a few (N, D), with seeded
    rngs. The case (3, 6) is run with 5 more rngs: independent nets scatter by the binomial std between
    rngs, and nets that share one W per layer scatter far more (their variance ratio would be over 10,
    which independent nets reach with probability about 1e-9).
    """
    if not isinstance(n_nets, (int, np.integer)) or isinstance(n_nets, bool) or not 100 <= n_nets <= 100_000:
        raise NotYet(f"n_nets should be a whole number from 100 to 100000, got {n_nets!r:.40}")
    runs = [(w, d, w * 100 + d) for w, d in CASES] + [(*SPREAD_CASE, 12345 + s) for s in range(SPREAD_SEEDS)]
    got = {}
    for width, depth, seed in runs:
        case = f"width={width}, depth={depth}, n_nets={n_nets}"
        value = number(call(fn, width, depth, int(n_nets), np.random.default_rng(seed), name="my_dead_fraction",
                            case=f"my_dead_fraction({case}, rng)"), f"the fraction for {case}")
        if not 0.0 <= value <= 1.0:
            raise NotYet(f"for width={width}, depth={depth} you return {value:.4g}; a fraction of nets lies between "
                         "0 and 1")
        got.setdefault((width, depth), []).append(value)
    spread = np.array(got[SPREAD_CASE])
    p = dead_net_probability(*SPREAD_CASE)
    if all(v in (0.0, 1.0) for vs in got.values() for v in vs):
        raise NotYet("every answer is 0 or 1: all the nets of one call get the same verdict, so they share their "
                     "weights (and input). Draw weights of shape (n_nets, fan_in, width): one W per net")
    if np.all(spread == spread[0]):
        raise NotYet(f"{SPREAD_SEEDS + 1} different rngs gave exactly the same answer ({spread[0]:.4g}): is your "
                     "function computing the formula instead of simulating random nets with the rng it is given?")
    ratio = np.var(spread, ddof=1) / (p * (1 - p) / n_nets)
    if ratio > 10:
        raise NotYet(f"for width={SPREAD_CASE[0]}, depth={SPREAD_CASE[1]} your fractions over {len(spread)} rngs run "
                     f"from {spread.min():.3f} to {spread.max():.3f}, while {n_nets} independent nets scatter by "
                     f"about {np.sqrt(p * (1 - p) / n_nets):.3f}: your nets are not independent. Do all nets share "
                     "one W per layer? Give every net its own weights, an array of shape (n_nets, fan_in, width)")
    for (width, depth), values in got.items():
        p = dead_net_probability(width, depth)
        lo, hi = binomial_band(p, n_nets, k=4.5)
        if not lo <= values[0] <= hi:
            raise NotYet(f"for width={width}, depth={depth} you get {values[0]:.4f} but the formula gives {p:.4f}, "
                         f"and {n_nets} nets should land within [{lo:.4f}, {hi:.4f}]. Check the zero biases, that "
                         "every net gets its own weights, and that a net is dead when its last hidden layer is all "
                         "zeros")
    listing = ", ".join(f"N={w}, D={d}: {got[w, d][0]:.3f} (formula {dead_net_probability(w, d):.3f})" for w, d in CASES)
    return f"your Monte Carlo agrees with the formula within the binomial noise: {listing}."
