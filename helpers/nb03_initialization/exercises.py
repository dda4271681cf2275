"""Exercise checkers of notebook 03: the expected property, the known slips, their hints.

    hp.ex03.check_glorot_limit(glorot_limit)          exercise 1: r = sqrt(6 / (fan_in + fan_out))
    hp.ex03.check_fan_out_ratios(forward, backward)   exercise 2: Var(W) = 1 / fan_out on a 1000 -> 100 layer
    hp.ex03.check_keras_he_avg(W)                     exercise 3: Keras VarianceScaling(2, fan_avg, uniform), 300 -> 100
    hp.ex03.check_relu_gain(gain)                     exercise 4: the gain that turns Glorot into He for ReLU
"""
from __future__ import annotations

import numpy as np

from ..ui.feedback import NotYet, array, call, checker, known_slip, number

__all__ = ["check_glorot_limit", "check_fan_out_ratios", "check_keras_he_avg", "check_relu_gain"]

_PAIRS = [(1000, 100), (100, 1000), (300, 300), (784, 10)]
_LIMIT_SLIPS = [
    (lambda i, o: np.sqrt(6 / (i - o)), "sqrt(6 / (fan_in - fan_out)), note 002's typo: it must be fan_in + fan_out"),
    (lambda i, o: np.sqrt(2 / (i + o)), "the std sqrt(1 / fan_avg), not the limit r = sqrt(3) * std"),
    (lambda i, o: 6 / (i + o), "the variance 3 / fan_avg: take its square root"),
    (lambda i, o: np.sqrt(3 / i), "sqrt(3 / fan_in): that is LeCun's uniform limit, Glorot uses fan_avg = "
                                  "(fan_in + fan_out) / 2"),
    (lambda i, o: np.sqrt(3 / (i + o / 2)), "fan_avg = fan_in + fan_out / 2 (note 003's precedence slip): write "
                                            "(fan_in + fan_out) / 2"),
    (lambda i, o: np.sqrt(3 / (i + o)), "sqrt(3 / (fan_in + fan_out)): fan_avg is (fan_in + fan_out) / 2, so "
                                        "r = sqrt(6 / (fan_in + fan_out))"),
    (lambda i, o: np.sqrt(6 / i), "He's limit sqrt(6 / fan_in), not Glorot's"),
]


@checker
def check_glorot_limit(glorot_limit):
    """Exercise 1: glorot_limit(fan_in, fan_out) must return the r of Glorot's uniform U[-r, r]."""
    for fan_in, fan_out in _PAIRS:
        case = f"glorot_limit({fan_in}, {fan_out})"
        got = call(glorot_limit, fan_in, fan_out, name="glorot_limit", case=case)
        if isinstance(got, (float, np.floating)) and np.isnan(got) and fan_in <= fan_out:
            raise NotYet(f"{case} is nan. sqrt(6 / (fan_in - fan_out)) (note 002's typo) has no real value when "
                         "fan_in <= fan_out. Use fan_in + fan_out")
        got, right = number(got, case), np.sqrt(6 / (fan_in + fan_out))
        if not np.isclose(got, right, rtol=1e-6):
            hint = known_slip([((fan_in, fan_out), got)], _LIMIT_SLIPS)
            raise NotYet(f"{case} = {got:.4g} " + (f"looks like {hint} " if hint else "")
                         + f"(expected {right:.4g})")
    return "r = sqrt(6 / (fan_in + fan_out)) = sqrt(3 / fan_avg) for every layer tried, square or not."


_RATIO_SLIPS = [  # (forward, backward) that a known slip measures, within 10%, and the hint
    ((1, 0.1), "these are the ratios of Var(W) = 1 / fan_in (1 and 0.1); use mode='fan_out', Var(W) = 1 / 100"),
    ((1000 / 550, 100 / 550), "these are the ratios of Var(W) = 1 / fan_avg; use mode='fan_out', Var(W) = 1 / 100"),
    ((1, 10), "forward and backward look swapped: forward is Var(x @ W) / Var(x), backward is "
              "Var(dz @ W.T) / Var(dz)"),
    ((0.1, None), "forward looks upside down: divide Var(z) by Var(x), not Var(x) by Var(z)"),
    ((10 ** 0.5, None), "forward = {f:.3g} is about sqrt(10): you compared stds, not variances"),
    ((None, None), "forward = {f:.3g}; theory: fan_in Var(W) = 1000 / 100 = 10 (z = x @ W with x of shape "
                   "(batch, 1000))"),
]


@checker
def check_fan_out_ratios(forward, backward):
    """Exercise 2: measured Var(z)/Var(x) and Var(dx)/Var(dz) of a 1000 -> 100 linear layer, Var(W) = 1/fan_out.

    Theory: forward = fan_in / fan_out = 10, backward = fan_out / fan_out = 1; a measurement on a few
    hundred examples lands within 10%.
    """
    f = number(forward, "forward", positive=True)
    b = number(backward, "backward", positive=True)
    near = lambda v, t: t is None or abs(v / t - 1) < 0.1  # noqa: E731
    if near(f, 10) and near(b, 1):
        return (f"forward {f:.3g} (theory fan_in / fan_out = 10), backward {b:.3g} (theory 1): 1 / fan_out keeps "
                "the backward condition and breaks the forward one.")
    if near(f, 10):
        raise NotYet(f"backward = {b:.3g}; theory: fan_out Var(W) = 100 / 100 = 1 (dx = dz @ W.T, with dz of shape "
                     "(batch, 100))")
    raise NotYet(next(hint for (tf, tb), hint in _RATIO_SLIPS if near(f, tf) and near(b, tb)).format(f=f))


_KERAS_VARIANCE_SLIPS = [  # Var(W) that a slip draws, and the hint
    (2 / 300, "mode='fan_in' (He's usual fan): use mode='fan_avg'"),
    (2 / 100, "mode='fan_out': use mode='fan_avg'"),
    (1 / 200, "scale=1 (Glorot uniform; He uses scale=2), or n = fan_in + fan_out (fan_avg is their mean, "
              "(fan_in + fan_out) / 2)"),
]


@checker
def check_keras_he_avg(W):
    """Exercise 3: weights of a 300 -> 100 Dense layer as Keras' VarianceScaling(scale=2., mode='fan_avg',
    distribution='uniform') draws them: shape (300, 100), uniform on [-r, r], r = sqrt(3 * 2 / 200)."""
    fan_in, fan_out = 300, 100
    r = np.sqrt(3 * 2 / ((fan_in + fan_out) / 2))
    W = array(W, "W", finite=False)
    if W.shape == (fan_out, fan_in):
        raise NotYet("W has shape (100, 300): that is PyTorch's (out, in) layout; Keras kernels and x @ W use "
                     "(fan_in, fan_out) = (300, 100)")
    W = array(W, "W", (fan_in, fan_out))
    var, top = W.var(), np.abs(W).max()
    if abs(W.mean()) > 5 * np.sqrt(var / W.size) + 1e-12:  # 5 standard errors of the mean
        raise NotYet(f"the mean of W is {W.mean():.3g}, not 0: draw symmetrically around 0")
    # 30,000 draws: the sample variance is within 2% of the truth with overwhelming probability
    for v, hint in _KERAS_VARIANCE_SLIPS:
        if abs(var / v - 1) < 0.05:
            raise NotYet(f"Var(W) = {var:.3g} matches {hint}")
    if abs(var / (2 / 200) - 1) > 0.05:
        raise NotYet(f"Var(W) = {var:.3g}, expected scale / fan_avg = 2 / 200 = 0.01")
    if top > r * (1 + 1e-9):
        raise NotYet(f"some |W| reach {top:.3g}, beyond the limit r = {r:.3g}: the variance is right but the "
                     "distribution is not uniform; use distribution='uniform'")
    if top < 0.98 * r:
        raise NotYet(f"max |W| = {top:.3g} is well inside r = {r:.3g}: not a uniform on [-r, r]")
    return f"uniform on [-{r:.3g}, {r:.3g}] with Var(W) = {var:.3g} = 2 / fan_avg, shape (300, 100)."


@checker
def check_relu_gain(gain):
    """Exercise 4: the gain (on the weights' std) that makes Glorot on square layers into He for ReLU: sqrt(2)."""
    g = number(gain, "gain")
    if abs(g / np.sqrt(2) - 1) < 0.01:
        return f"gain {g:.4g} = sqrt(2): the std grows by sqrt(2), the variance by 2, from 1 / n to 2 / n."
    slips = [(2.0, "2 is the factor on the variance; the gain multiplies the std, so take its square root"),
             (2 ** -0.5, f"{g:.4g} = 1 / sqrt(2) shrinks the weights; ReLU zeroes half its inputs, so the weights "
                         "must grow"),
             (1.0, "gain 1 leaves Glorot as it is: the forward std then shrinks by about 1 / sqrt(2) per ReLU layer")]
    raise NotYet(known_slip([((), g)], slips, rtol=0.01) or f"gain {g:.4g}: with it Var(W) = {g * g:.3g} / n; ReLU "
                 "keeps the variance when Var(W) = 2 / n")
