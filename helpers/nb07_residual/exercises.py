"""Exercise checkers of notebook 07 (residual connections, layer norm): each says what is wrong, never raises.

    hp.ex07.check_growth(growth)                    exercise 1: the signal's growth through 50 blocks, alpha 0.5
    hp.ex07.check_alpha_budget(alpha)               exercise 2: an alpha for which 100 blocks grow less than 2x
    hp.ex07.check_layer_norm(layer_norm)            exercise 3: the layer-norm forward pass
    hp.ex07.check_residual_backward(residual_back)  exercise 4: the backward pass through one block
"""
from __future__ import annotations

import warnings

import numpy as np

from ..core.normalization import layernorm_forward as _layernorm_forward  # not re-exported as hp.ex07.*
from ..ui.feedback import Feedback

__all__ = ["check_growth", "check_alpha_budget", "check_layer_norm", "check_residual_backward"]

GROWTH_BLOCKS, GROWTH_ALPHA = 50, 0.5
BUDGET_BLOCKS, BUDGET = 100, 2.0
ALPHA_MAX = float(np.sqrt(BUDGET ** (2 / BUDGET_BLOCKS) - 1))  # (1 + a^2)^(L/2) = 2  <=>  a^2 = 2^(2/L) - 1


def _number(value, name):
    """(value as a float, None) or (None, a sentence saying what is wrong); never raises or warns."""
    if value is None:
        return None, f"{name} is None: is the line that computes it still missing?"
    if isinstance(value, (bool, np.bool_)):
        return None, f"{name} should be a number, not {value}"
    if isinstance(value, (str, bytes)):
        return None, f"{name} should be a number, not the text {value!r}: leave out the quotes"
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError, OverflowError):
        return None, f"{name} should be a number, got {type(value).__name__}"
    if arr.size != 1:
        return None, f"{name} should be one number, got {arr.size} values (shape {arr.shape})"
    x = float(arr.reshape(-1)[0])
    if not np.isfinite(x):
        return None, f"{name} is {x}: compute a finite number"
    return x, None


def _close(a, b, rtol=1e-3):
    return abs(a - b) <= rtol * abs(b)


def check_growth(growth) -> Feedback:
    """Exercise 1: rms(x_L) / rms(x_0) predicted for L = 50 He-initialized ReLU blocks with alpha = 0.5."""
    x, error = _number(growth, "growth")
    if error:
        return Feedback(False, error)
    L, a = GROWTH_BLOCKS, GROWTH_ALPHA
    expected = (1 + a ** 2) ** (L / 2)
    if _close(x, expected):
        return Feedback(True, f"(1 + {a}^2)^({L}/2) = {expected:.4g}: each block multiplies the mean square by "
                              f"1 + alpha^2, so the rms by sqrt(1 + alpha^2) = {np.sqrt(1 + a * a):.4g}.")
    slips = {
        "the growth of the mean square (the variance); the rms grows by its square root":
            (1 + a ** 2) ** L,
        "alpha where alpha^2 belongs: the branch adds variance alpha^2 E|F|^2, and E|F|^2 = E|x|^2":
            (1 + a) ** (L / 2),
        "(1 + alpha)^L: sizes of independent terms add in squares, not directly": (1 + a) ** L,
        "the factor of one block; there are 50 of them": np.sqrt(1 + a ** 2),
        "1 + L alpha^2 / 2, the start of the series; with alpha = 0.5 the higher terms matter": 1 + L * a * a / 2,
        "exp(L alpha^2 / 2), which is close only for small alpha": np.exp(L * a * a / 2),
        "2^(L/2), the growth for alpha = 1": 2 ** (L / 2),
    }
    for hint, wrong in slips.items():
        if _close(x, wrong):
            return Feedback(False, f"{x:.4g} is {hint}.")
    return Feedback(False, f"{x:.4g} is not it. Start from E|x + alpha F(x)|^2 = E|x|^2 + alpha^2 E|F(x)|^2 "
                           "(the cross term has mean 0) and E|F(x)|^2 = E|x|^2 for a He-initialized branch.")


def check_alpha_budget(alpha) -> Feedback:
    """Exercise 2: any alpha > 0 for which 100 blocks grow the signal by less than 2x: (1 + alpha^2)^50 < 2."""
    x, error = _number(alpha, "alpha")
    if error:
        return Feedback(False, error)
    if x < 0:
        return Feedback(False, f"alpha = {x:.4g} is negative; the scale of the branch is a number >= 0 (the sign "
                               "of a random branch does not matter, only alpha^2 does)")
    if x == 0:
        return Feedback(False, "alpha = 0 keeps the signal exactly, but then the blocks do nothing at all; pick "
                               "the largest alpha > 0 that stays within the budget")
    growth = (1 + x * x) ** (BUDGET_BLOCKS / 2)
    if growth < BUDGET * (1 + 1e-9):
        note = " 1/sqrt(L) = 0.1 is such a choice." if x <= 0.1 else ""
        return Feedback(True, f"alpha = {x:.4g} gives (1 + alpha^2)^50 = {growth:.4g} < 2; the largest allowed "
                              f"is sqrt(2^(1/50) - 1) = {ALPHA_MAX:.4g}.{note}")
    return Feedback(False, f"alpha = {x:.4g} gives growth (1 + alpha^2)^50 = {growth:.4g}, more than 2; solve "
                           "(1 + alpha^2)^50 < 2 for alpha")


_Z = (np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 0.0, 8.0], [3.0, 3.0, 3.1, 2.9]]), np.array([[5.0, -5.0, 0.0, 1.0]]))
_GAMMA, _BETA = np.array([1.0, 2.0, 0.5, -1.0]), np.array([0.0, 0.1, -0.2, 0.3])


def _call(fn, *args):
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            got = fn(*args)
        except Exception as err:  # reported to the student
            return None, f"raised {type(err).__name__}: {err}"
    if got is None:
        return None, "returned None: is the `return` line still missing?"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(got, dtype=np.float64), None
    except (TypeError, ValueError):
        return None, f"should return an array of numbers, got {type(got).__name__}"


def _ln(z, g, b, axis=1, ddof=0, eps=1e-5, plus=False):
    mu, sd = z.mean(axis=axis, keepdims=True), z.std(axis=axis, ddof=ddof, keepdims=True)
    return g * (z - mu) / ((sd + eps) if plus else np.sqrt(sd ** 2 + eps)) + b


_LN_SLIPS = {
    "normalizes over the batch (axis=0): that is batch norm; layer norm averages each example's units (axis=1)":
        lambda z, g, b: _ln(z, g, b, axis=0),
    "divides by the sample std (ddof=1); layer norm uses the plain mean of squares (ddof=0)":
        lambda z, g, b: _ln(z, g, b, ddof=1),
    "left out eps: sqrt(var + eps) keeps a constant example finite": lambda z, g, b: _ln(z, g, b, eps=0.0),
    "divides by std + eps, not by sqrt(var + eps)": lambda z, g, b: _ln(z, g, b, plus=True),
    "swapped gamma and beta: y = gamma * zhat + beta": lambda z, g, b: _ln(z, b, g),
    "returned zhat: scale by gamma and shift by beta": lambda z, g, b: _ln(z, 1.0, 0.0),
}


def check_layer_norm(layer_norm) -> Feedback:
    """Exercise 3: layer_norm(z, gamma, beta) normalizes each row of z (batch, n) over its n units, then
    y = gamma * zhat + beta with eps = 1e-5 inside the square root; tried on batches of 3 and of 1."""
    if not callable(layer_norm):
        return Feedback(False, f"pass the function itself, check_layer_norm(layer_norm), not {type(layer_norm).__name__}")
    for z0 in _Z:
        z = z0.copy()
        got, error = _call(layer_norm, z, _GAMMA.copy(), _BETA.copy())
        if error:
            return Feedback(False, f"layer_norm, on z of shape {z0.shape}, {error}")
        if not np.array_equal(z, z0):
            return Feedback(False, "layer_norm changed its input z in place; compute a new array instead")
        expected = _layernorm_forward(z0, _GAMMA, _BETA)[0]
        if got.shape == expected.T.shape and got.shape != expected.shape:
            return Feedback(False, f"layer_norm returned shape {got.shape}, transposed: keep z's shape {z0.shape}")
        if got.shape != expected.shape:
            return Feedback(False, f"for z of shape {z0.shape}, layer_norm returned shape {got.shape}; it should "
                                   "return an array shaped like z")
        with np.errstate(all="ignore"):
            if np.allclose(got, expected, rtol=1e-6, atol=1e-9):
                continue
            for hint, wrong in _LN_SLIPS.items():
                if np.allclose(got, wrong(z0, _GAMMA, _BETA), rtol=1e-6, atol=1e-9):
                    return Feedback(False, f"on z of shape {z0.shape}, your layer_norm {hint}")
        worst = int(np.nanargmax(np.abs(got - expected))) if np.isfinite(got).any() else 0
        return Feedback(False, f"on z of shape {z0.shape}, entry {np.unravel_index(worst, got.shape)} is "
                               f"{got.flat[worst]:.4g}, expected {expected.flat[worst]:.4g}")
    return Feedback(True, "layer_norm matches hp.layernorm_forward, on a batch of 3 and on a batch of 1: "
                          "each example is normalized on its own, so the batch does not matter.")


def _block_back(g, x, W, alpha):
    return g + alpha * (g @ W.T) * (x > 0)


_BLOCK_SLIPS = {
    "no skip term: the identity path x passes dL/dx_{l+1} down unchanged, so add g itself":
        lambda g, x, W, a: a * (g @ W.T) * (x > 0),
    "no alpha: the branch's gradient is scaled by alpha, like its output": lambda g, x, W, a: _block_back(g, x, W, 1.0),
    "no ReLU slope: multiply the branch's gradient by relu'(x) = (x > 0)": lambda g, x, W, a: g + a * (g @ W.T),
    "g @ W where g @ W.T belongs: x @ W goes forward, so g @ W.T goes back": lambda g, x, W, a: g + a * (g @ W) * (x > 0),
    "a product where a sum belongs: the two paths' gradients add": lambda g, x, W, a: g * a * (g @ W.T) * (x > 0),
}


def check_residual_backward(residual_backward) -> Feedback:
    """Exercise 4: residual_backward(g, x, W, alpha) = dL/dx for the block x_next = x + alpha * relu(x) @ W + b,
    given g = dL/dx_next (batch, n), x (batch, n) and W (n, n)."""
    if not callable(residual_backward):
        return Feedback(False, "pass the function itself, check_residual_backward(residual_backward), not "
                               f"{type(residual_backward).__name__}")
    rng = np.random.default_rng(7)  # fixed test data, not a seed of any experiment
    g, x, W = rng.standard_normal((5, 6)), rng.standard_normal((5, 6)), rng.standard_normal((6, 6))
    for alpha in (0.5, 0.1):
        got, error = _call(residual_backward, g.copy(), x.copy(), W.copy(), alpha)
        if error:
            return Feedback(False, f"residual_backward, with alpha = {alpha}, {error}")
        expected = _block_back(g, x, W, alpha)
        if got.shape != expected.shape:
            return Feedback(False, f"residual_backward returned shape {got.shape}; dL/dx has x's shape {x.shape}")
        with np.errstate(all="ignore"):
            if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
                continue
            for hint, wrong in _BLOCK_SLIPS.items():
                if np.allclose(got, wrong(g, x, W, alpha), rtol=1e-9, atol=1e-12):
                    return Feedback(False, f"with alpha = {alpha}, your answer has {hint}")
        return Feedback(False, f"with alpha = {alpha}, residual_backward differs from dL/dx = g + alpha (g W^T) * "
                               "relu'(x) (e.g. at entry (0, 0): "
                               f"{got[0, 0]:.4g} against {expected[0, 0]:.4g})")
    return Feedback(True, "dL/dx = g + alpha (g W^T) * relu'(x): the skip passes g down untouched, so even if the "
                          "branch's gradient vanished, the gradient would not (the 'I + ...' of He et al. 2016).")
