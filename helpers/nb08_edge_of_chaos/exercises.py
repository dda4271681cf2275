"""Exercise checkers of notebook 08 (edge of chaos): the expected property, the known slips, their hints.

    hp.ex08.check_critical_sw2(sw2)          exercise 1: the critical sigma_w^2 of a tanh net at sigma_b^2 = 0.1
    hp.ex08.check_depth_scale(xi)            exercise 2: xi_c from chi_1 = 0.9 in the ordered phase
    hp.ex08.check_norm_ratios(norm_ratios)   exercise 3: |x W| / |x| for orthogonal and Gaussian W
"""
from __future__ import annotations

import numpy as np

from ..core.initializers import init_weights
from ..ui.feedback import NotYet, When, array, call, checker, expect, number
from .meanfield import critical_sw2

__all__ = ["check_critical_sw2", "check_depth_scale", "check_norm_ratios"]

EX1_SB2 = 0.1            # exercise 1: sigma_b^2
EX2_CHI = 0.9            # exercise 2: chi_1
EX2_XI = float(-1 / np.log(EX2_CHI))


@checker
def check_critical_sw2(sw2):
    """Exercise 1: sigma_w^2 on the critical line chi_1 = 1 of a tanh net at sigma_b^2 = 0.1 (within 1%)."""
    if sw2 is None:  # the sentence the notebook's saved stub output shows
        raise NotYet("set sw2 to a number first (it is still None)")
    got = number(sw2, "sw2")
    truth, at_005, at_001 = critical_sw2(np.array([EX1_SB2, 0.05, 0.01]), "tanh")  # bisections, so not on import
    slips = [(np.sqrt(truth), "that looks like sigma_w, the square root; the question asks for sigma_w^2"),
             (at_005, "that is the critical point at sigma_b^2 = 0.05; use 0.1"),
             (at_001, "that is the critical point at sigma_b = 0.1, i.e. sigma_b^2 = 0.01; the exercise gives the "
                      "variance 0.1"),
             (1.0, "sigma_w^2 = 1 is the critical point without biases; with sigma_b^2 > 0, q* > 0 and "
                   "E[tanh'^2] < 1, so the critical sigma_w^2 is larger"),
             (When(lambda v: v <= 0), "sigma_w^2 is a variance, so it is positive")]
    side = "ordered (chi_1 < 1): increase it" if got < truth else "chaotic (chi_1 > 1): decrease it"
    expect(got, truth, "sw2", slips, rtol=0.01,
           otherwise=f"{got:.4g} is not on the critical line: at sigma_b^2 = {EX1_SB2:g} that point is {side}. "
                     "Iterate the length map to q*, compute chi_1 there, and bisect on sigma_w^2")
    return (f"chi_1 crosses 1 at sigma_w^2 = {truth:.3f} when sigma_b^2 = {EX1_SB2:g}: larger biases push q* up, "
            "tanh' down, so the weights must be larger to reach chi_1 = 1.")


_XI_SLIPS = [
    (-EX2_XI, "the sign: ln 0.9 is negative, so xi_c = -1 / ln chi_1 is positive"),
    (1 / (1 - EX2_CHI), "1 / (1 - chi_1) = 10 is the first-order approximation of -1 / ln chi_1; compute the "
                        "logarithm itself"),
    (-1 / np.log10(EX2_CHI), "that uses log base 10; xi_c needs the natural logarithm"),
    (6 * EX2_XI, "that is 6 xi_c, the trainable depth; the question asks for xi_c itself"),
    (-np.log(EX2_CHI), "that is -ln chi_1, the decay rate per layer; the depth scale is its inverse"),
]


@checker
def check_depth_scale(xi):
    """Exercise 2: xi_c = -1 / ln chi_1 for chi_1 = 0.9 (ordered phase, c* = 1), within 1%."""
    if xi is None:  # the sentence the notebook's saved stub output shows
        raise NotYet("set xi to a number first (it is still None)")
    got = number(xi, "xi")
    expect(got, EX2_XI, "xi", _XI_SLIPS, rtol=0.01,
           otherwise=f"{got:.4g} is not it. In the ordered phase 1 - c^l shrinks by chi_1 per layer, so "
                     "1 - c^l ~ chi_1^l = exp(l ln chi_1) = exp(-l / xi_c): solve for xi_c")
    return (f"xi_c = -1 / ln {EX2_CHI} = {EX2_XI:.2f} layers: correlations approach 1 like exp(-l / xi_c), and "
            f"Schoenholz et al. expect training up to about 6 xi_c = {6 * EX2_XI:.0f} layers.")


def _cases():
    """(label, W, X): a 200 x 200 orthogonal and Gaussian W (Var 1/200) and 50 random inputs, fixed seeds."""
    rng = np.random.default_rng(808)
    X = rng.standard_normal((50, 200)) * rng.uniform(0.5, 3.0, size=(50, 1))
    return [("orthogonal", init_weights(200, 200, "orthogonal", rng), X),
            ("Gaussian", init_weights(200, 200, "lecun_normal", rng), X)]


_RATIO_SLIPS = [(lambda truth: truth ** 2, "those are squared norms' ratios; take the square root (np.linalg.norm "
                                           "does)"),
                (lambda truth: 1 / truth, "upside down: divide |x W| by |x|")]


@checker
def check_norm_ratios(fn):
    """Exercise 3: fn(W, X) = norm_ratios(W, X) -> (n,) array of |x_i W| / |x_i|, one per row x_i of X (n, fan_in)."""
    spreads = {}
    for label, W, X in _cases():
        truth = np.linalg.norm(X @ W, axis=1) / np.linalg.norm(X, axis=1)
        case = f"norm_ratios(W, X) with the {label} W"
        got = array(call(fn, W.copy(), X.copy(), name="norm_ratios", case=case), case)
        if got.shape != truth.shape:
            raise NotYet("you return one number; return one ratio per row of X (axis=1 in np.linalg.norm)"
                         if got.size == 1 else f"for X of shape {X.shape} return shape {truth.shape} (one ratio per "
                                               f"row), got {got.shape}")
        i = int(np.argmax(np.abs(got - truth)))
        expect(got, truth, case, _RATIO_SLIPS, case=(truth,),
               otherwise=f"with the {label} W, row {i}: you return {got[i]:.4g}, |x W| / |x| is {truth[i]:.4g}. "
                         "Use the rows of X as the inputs x (X @ W maps every row)")
        spreads[label] = (truth.min(), truth.max())
    (o_lo, o_hi), (g_lo, g_hi) = spreads["orthogonal"], spreads["Gaussian"]
    return (f"orthogonal W: every ratio is 1 (from {o_lo:.6f} to {o_hi:.6f}); Gaussian W with the same variance: "
            f"from {g_lo:.3f} to {g_hi:.3f}. A Gaussian layer keeps the norm only on average, and 32 such layers "
            "multiply their errors.")
