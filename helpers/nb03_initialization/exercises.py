"""Exercise checkers of notebook 03: each says what is wrong (shape, dtype, value).

    hp.ex03.check_glorot_limit(glorot_limit)          exercise 1: r = sqrt(6 / (fan_in + fan_out))
    hp.ex03.check_fan_out_ratios(forward, backward)   exercise 2: Var(W) = 1 / fan_out on a 1000 -> 100 layer
    hp.ex03.check_keras_he_avg(W)                     exercise 3: Keras VarianceScaling(2, fan_avg, uniform), 300 -> 100
    hp.ex03.check_relu_gain(gain)                     exercise 4: the gain that turns Glorot into He for ReLU
"""
from __future__ import annotations

import numbers

import numpy as np

from ..ui.feedback import Feedback

_PAIRS = [(1000, 100), (100, 1000), (300, 300), (784, 10)]


def _number(x):
    """x as a float if it is a real number (numpy scalars and 0-d arrays included), else None."""
    if isinstance(x, bool):
        return None
    if isinstance(x, np.ndarray) and x.shape == ():
        x = x[()]
    return float(x) if isinstance(x, (numbers.Real, np.floating, np.integer)) else None


def check_glorot_limit(glorot_limit) -> Feedback:
    """Exercise 1: glorot_limit(fan_in, fan_out) must return the r of Glorot's uniform U[-r, r]."""
    if not callable(glorot_limit):
        return Feedback(False, f"pass the function itself, glorot_limit, not {type(glorot_limit).__name__}")
    # each typical slip -> what the function then returns and what to say about it
    slips = {
        "the std sqrt(1 / fan_avg), not the limit r = sqrt(3) * std":
            lambda i, o: np.sqrt(2 / (i + o)),
        "the variance 3 / fan_avg: take its square root":
            lambda i, o: 6 / (i + o),
        "sqrt(3 / fan_in): that is LeCun's uniform limit, Glorot uses fan_avg = (fan_in + fan_out) / 2":
            lambda i, o: np.sqrt(3 / i),
        "fan_avg = fan_in + fan_out / 2 (note 003's precedence slip): write (fan_in + fan_out) / 2":
            lambda i, o: np.sqrt(3 / (i + o / 2)),
        "sqrt(3 / (fan_in + fan_out)): fan_avg is (fan_in + fan_out) / 2, so r = sqrt(6 / (fan_in + fan_out))":
            lambda i, o: np.sqrt(3 / (i + o)),
        "He's limit sqrt(6 / fan_in), not Glorot's":
            lambda i, o: np.sqrt(6 / i),
    }
    for fan_in, fan_out in _PAIRS:
        expected = np.sqrt(6 / (fan_in + fan_out))
        try:
            with np.errstate(all="ignore"):
                got = glorot_limit(fan_in, fan_out)
        except Exception as err:  # the student's code, reported rather than raised
            return Feedback(False, f"glorot_limit({fan_in}, {fan_out}) raised {type(err).__name__}: {err}")
        value = _number(got)
        if value is None:
            return Feedback(False, f"glorot_limit({fan_in}, {fan_out}) returned {type(got).__name__} "
                                   f"{got!r:.60}; return one number, r")
        if not np.isfinite(value):
            hint = (" sqrt(6 / (fan_in - fan_out)) (note 002's typo) has no real value when fan_in <= fan_out"
                    if fan_in <= fan_out else "")
            return Feedback(False, f"glorot_limit({fan_in}, {fan_out}) is {value}.{hint} Use fan_in + fan_out.")
        if not np.isclose(value, expected, rtol=1e-6):
            if fan_in > fan_out and np.isclose(value, np.sqrt(6 / (fan_in - fan_out)), rtol=1e-6):
                return Feedback(False, f"glorot_limit({fan_in}, {fan_out}) = {value:.4g} is sqrt(6 / (fan_in - fan_out)),"
                                       " note 002's typo: it must be fan_in + fan_out")
            for message, slip in slips.items():
                if np.isclose(value, slip(fan_in, fan_out), rtol=1e-6):
                    return Feedback(False, f"glorot_limit({fan_in}, {fan_out}) = {value:.4g} looks like {message} "
                                           f"(expected {expected:.4g})")
            return Feedback(False, f"glorot_limit({fan_in}, {fan_out}) = {value:.4g}, expected {expected:.4g}")
    return Feedback(True, "r = sqrt(6 / (fan_in + fan_out)) = sqrt(3 / fan_avg) for every layer tried, "
                          "square or not.")


def check_fan_out_ratios(forward, backward) -> Feedback:
    """Exercise 2: measured Var(z)/Var(x) and Var(dx)/Var(dz) of a 1000 -> 100 linear layer, Var(W) = 1/fan_out.

    Theory: forward = fan_in / fan_out = 10, backward = fan_out / fan_out = 1; a measurement on a few
    hundred examples lands within 10%.
    """
    values = {}
    for name, x in (("forward", forward), ("backward", backward)):
        v = _number(x)
        if v is None:
            return Feedback(False, f"{name} should be one number (a ratio of two variances), "
                                   f"got {type(x).__name__} {x!r:.60}")
        if not np.isfinite(v) or v <= 0:
            return Feedback(False, f"{name} = {v} but a ratio of variances is a positive number")
        values[name] = v
    f, b = values["forward"], values["backward"]
    near = lambda v, t: abs(v / t - 1) < 0.1
    if near(f, 10) and near(b, 1):
        return Feedback(True, f"forward {f:.3g} (theory fan_in / fan_out = 10), backward {b:.3g} (theory 1): "
                              "1 / fan_out keeps the backward condition and breaks the forward one.")
    if near(f, 1) and near(b, 0.1):
        return Feedback(False, "these are the ratios of Var(W) = 1 / fan_in (1 and 0.1); use mode='fan_out', "
                               "Var(W) = 1 / 100")
    if near(f, 1000 / 550) and near(b, 100 / 550):
        return Feedback(False, "these are the ratios of Var(W) = 1 / fan_avg; use mode='fan_out', Var(W) = 1 / 100")
    if near(f, 1) and near(b, 10):
        return Feedback(False, "forward and backward look swapped: forward is Var(x @ W) / Var(x), backward is "
                               "Var(dz @ W.T) / Var(dz)")
    if near(f, 0.1):
        return Feedback(False, "forward looks upside down: divide Var(z) by Var(x), not Var(x) by Var(z)")
    if near(f, 10 ** 0.5):
        return Feedback(False, f"forward = {f:.3g} is about sqrt(10): you compared stds, not variances")
    if not near(f, 10):
        return Feedback(False, f"forward = {f:.3g}; theory: fan_in Var(W) = 1000 / 100 = 10 "
                               "(z = x @ W with x of shape (batch, 1000))")
    return Feedback(False, f"backward = {b:.3g}; theory: fan_out Var(W) = 100 / 100 = 1 "
                           "(dx = dz @ W.T, with dz of shape (batch, 100))")


def check_keras_he_avg(W) -> Feedback:
    """Exercise 3: weights of a 300 -> 100 Dense layer as Keras' VarianceScaling(scale=2., mode='fan_avg',
    distribution='uniform') draws them: shape (300, 100), uniform on [-r, r], r = sqrt(3 * 2 / 200)."""
    fan_in, fan_out = 300, 100
    r = np.sqrt(3 * 2 / ((fan_in + fan_out) / 2))
    if W is None or isinstance(W, (str, bytes)):
        return Feedback(False, f"W should be an array of shape (300, 100), got {type(W).__name__}")
    try:
        W = np.asarray(W, dtype=np.float64)
    except (TypeError, ValueError):
        return Feedback(False, f"W should be an array of numbers, got {type(W).__name__}")
    if W.shape == (fan_out, fan_in):
        return Feedback(False, "W has shape (100, 300): that is PyTorch's (out, in) layout; Keras kernels "
                               "and x @ W use (fan_in, fan_out) = (300, 100)")
    if W.shape != (fan_in, fan_out):
        return Feedback(False, f"W should have shape (300, 100), got {W.shape}")
    if not np.all(np.isfinite(W)):
        return Feedback(False, "W contains NaN or inf")
    var, top = W.var(), np.abs(W).max()
    if abs(W.mean()) > 5 * np.sqrt(var / W.size) + 1e-12:  # 5 standard errors of the mean
        return Feedback(False, f"the mean of W is {W.mean():.3g}, not 0: draw symmetrically around 0")
    # 30,000 draws: the sample variance is within 2% of the truth with overwhelming probability
    variances = {2 / 200: None, 2 / 300: "mode='fan_in' (He's usual fan): use mode='fan_avg'",
                 2 / 100: "mode='fan_out': use mode='fan_avg'",
                 1 / 200: "scale=1 (Glorot uniform; He uses scale=2), or n = fan_in + fan_out "
                          "(fan_avg is their mean, (fan_in + fan_out) / 2)"}
    for v, message in variances.items():
        if abs(var / v - 1) < 0.05 and message:
            return Feedback(False, f"Var(W) = {var:.3g} matches {message}")
    if abs(var / (2 / 200) - 1) > 0.05:
        return Feedback(False, f"Var(W) = {var:.3g}, expected scale / fan_avg = 2 / 200 = 0.01")
    if top > r * (1 + 1e-9):
        return Feedback(False, f"some |W| reach {top:.3g}, beyond the limit r = {r:.3g}: the variance is right "
                               "but the distribution is not uniform; use distribution='uniform'")
    if top < 0.98 * r:
        return Feedback(False, f"max |W| = {top:.3g} is well inside r = {r:.3g}: not a uniform on [-r, r]")
    return Feedback(True, f"uniform on [-{r:.3g}, {r:.3g}] with Var(W) = {var:.3g} = 2 / fan_avg, shape (300, 100).")


def check_relu_gain(gain) -> Feedback:
    """Exercise 4: the gain (on the weights' std) that makes Glorot on square layers into He for ReLU: sqrt(2)."""
    g = _number(gain)
    if g is None:
        return Feedback(False, f"gain should be one number, got {type(gain).__name__} {gain!r:.60}")
    target = np.sqrt(2)
    if abs(g / target - 1) < 0.01:
        return Feedback(True, f"gain {g:.4g} = sqrt(2): the std grows by sqrt(2), the variance by 2, from 1 / n to 2 / n.")
    if abs(g - 2) < 0.02:
        return Feedback(False, "2 is the factor on the variance; the gain multiplies the std, so take its square root")
    if abs(g * target - 1) < 0.01:
        return Feedback(False, f"{g:.4g} = 1 / sqrt(2) shrinks the weights; ReLU zeroes half its inputs, "
                               "so the weights must grow")
    if abs(g - 1) < 1e-9:
        return Feedback(False, "gain 1 leaves Glorot as it is: the forward std then shrinks by about "
                               "1 / sqrt(2) per ReLU layer")
    return Feedback(False, f"gain {g:.4g}: with it Var(W) = {g * g:.3g} / n; ReLU keeps the variance when "
                           "Var(W) = 2 / n")
