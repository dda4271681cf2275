"""Exercise checkers of notebook 07 (residual connections, layer norm): the expected property, the known slips,
their hints.

    hp.ex07.check_growth(growth)                    exercise 1: the signal's growth through 50 blocks, alpha 0.5
    hp.ex07.check_alpha_budget(alpha)               exercise 2: an alpha for which 100 blocks grow less than 2x
    hp.ex07.check_layer_norm(layer_norm)            exercise 3: the layer-norm forward pass
    hp.ex07.check_residual_backward(residual_back)  exercise 4: the backward pass through one block
"""
from __future__ import annotations

import numpy as np

from ..core.normalization import layernorm_forward
from ..ui.feedback import NotYet, When, array, call, checker, differs, expect, known_slip, number

__all__ = ["check_growth", "check_alpha_budget", "check_layer_norm", "check_residual_backward"]

GROWTH_BLOCKS, GROWTH_ALPHA = 50, 0.5
BUDGET_BLOCKS, BUDGET = 100, 2.0
ALPHA_MAX = float(np.sqrt(BUDGET ** (2 / BUDGET_BLOCKS) - 1))  # (1 + a^2)^(L/2) = 2  <=>  a^2 = 2^(2/L) - 1

# Exercise 1: each block multiplies the mean square by 1 + alpha^2, so the rms by sqrt(1 + alpha^2)
_L, _A = GROWTH_BLOCKS, GROWTH_ALPHA
GROWTH = (1 + _A ** 2) ** (_L / 2)
_GROWTH_SLIPS = [
    ((1 + _A ** 2) ** _L, "that is the growth of the mean square (the variance); the rms grows by its square root"),
    ((1 + _A) ** (_L / 2), "that has alpha where alpha^2 belongs: the branch adds variance alpha^2 E|F|^2, and "
                           "E|F|^2 = E|x|^2"),
    ((1 + _A) ** _L, "that is (1 + alpha)^L: sizes of independent terms add in squares, not directly"),
    (np.sqrt(1 + _A ** 2), f"that is the factor of one block; there are {_L} of them"),
    (1 + _L * _A ** 2 / 2, "that is 1 + L alpha^2 / 2, the start of the series; with alpha = 0.5 the higher terms "
                           "matter"),
    (np.exp(_L * _A ** 2 / 2), "that is exp(L alpha^2 / 2), which is close only for small alpha"),
    (2 ** (_L / 2), "that is 2^(L/2), the growth for alpha = 1"),
]


@checker
def check_growth(growth):
    """Exercise 1: rms(x_L) / rms(x_0) predicted for L = 50 He-initialized ReLU blocks with alpha = 0.5."""
    if growth is None:  # the sentence the notebook's saved stub output shows
        raise NotYet("growth is None: is the line that computes it still missing?")
    got = number(growth, "growth")
    expect(got, GROWTH, "growth", _GROWTH_SLIPS, rtol=1e-3,
           otherwise=f"{got:.4g} is not it. Start from E|x + alpha F(x)|^2 = E|x|^2 + alpha^2 E|F(x)|^2 (the cross "
                     "term has mean 0) and E|F(x)|^2 = E|x|^2 for a He-initialized branch")
    return (f"(1 + {_A}^2)^({_L}/2) = {GROWTH:.4g}: each block multiplies the mean square by 1 + alpha^2, so the "
            f"rms by sqrt(1 + alpha^2) = {np.sqrt(1 + _A ** 2):.4g}.")


# Exercise 2: any alpha > 0 with (1 + alpha^2)^(100/2) < 2
_BUDGET_SLIPS = [
    (When(lambda a: a < 0), "alpha is negative; the scale of the branch is a number >= 0 (the sign of a random "
                            "branch does not matter, only alpha^2 does)"),
    (When(lambda a: a == 0), "alpha = 0 keeps the signal exactly, but then the blocks do nothing at all; pick the "
                             "largest alpha > 0 that stays within the budget"),
]


@checker
def check_alpha_budget(alpha):
    """Exercise 2: any alpha > 0 for which 100 blocks grow the signal by less than 2x: (1 + alpha^2)^50 < 2."""
    if alpha is None:  # the sentence the notebook's saved stub output shows
        raise NotYet("alpha is None: is the line that computes it still missing?")
    got = number(alpha, "alpha")
    growth = (1 + got * got) ** (BUDGET_BLOCKS / 2)  # a np.float64: a huge alpha gives inf, not OverflowError
    if got > 0 and growth < BUDGET * (1 + 1e-9):
        note = " 1/sqrt(L) = 0.1 is such a choice." if got <= 0.1 else ""
        return (f"alpha = {got:.4g} gives (1 + alpha^2)^50 = {growth:.4g} < 2; the largest allowed is "
                f"sqrt(2^(1/50) - 1) = {ALPHA_MAX:.4g}.{note}")
    raise NotYet(known_slip([((), got)], _BUDGET_SLIPS) or f"alpha = {got:.4g} gives growth (1 + alpha^2)^50 = "
                 f"{growth:.4g}, more than 2; solve (1 + alpha^2)^50 < 2 for alpha")


# Exercise 3: layer norm on a batch of 3 and on a batch of 1 (each example is normalized on its own)
_Z_CASES = (np.array([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.5, 0.0, 8.0], [3.0, 3.0, 3.1, 2.9]]),
            np.array([[5.0, -5.0, 0.0, 1.0]]))
_GAMMA, _BETA = np.array([1.0, 2.0, 0.5, -1.0]), np.array([0.0, 0.1, -0.2, 0.3])


def _ln(z, g, b, axis=1, ddof=0, eps=1e-5, plus=False):
    """Layer norm with one thing changed, the way a slip changes it."""
    mu, sd = z.mean(axis=axis, keepdims=True), z.std(axis=axis, ddof=ddof, keepdims=True)
    return g * (z - mu) / ((sd + eps) if plus else np.sqrt(sd ** 2 + eps)) + b


_LN_SLIPS = [
    (lambda z, g, b: _ln(z, g, b, axis=0), "your layer_norm normalizes over the batch (axis=0): that is batch norm; "
                                           "layer norm averages each example's units (axis=1)"),
    (lambda z, g, b: _ln(z, g, b, ddof=1), "your layer_norm divides by the sample std (ddof=1); layer norm uses the "
                                           "plain mean of squares (ddof=0)"),
    (lambda z, g, b: _ln(z, g, b, eps=0.0), "your layer_norm left out eps: sqrt(var + eps) keeps a constant example "
                                            "finite"),
    (lambda z, g, b: _ln(z, g, b, plus=True), "your layer_norm divides by std + eps, not by sqrt(var + eps)"),
    (lambda z, g, b: _ln(z, b, g), "your layer_norm swapped gamma and beta: y = gamma * zhat + beta"),
    (lambda z, g, b: _ln(z, 1.0, 0.0), "your layer_norm returned zhat: scale by gamma and shift by beta"),
]


@checker
def check_layer_norm(layer_norm):
    """Exercise 3: layer_norm(z, gamma, beta) normalizes each row of z (batch, n) over its n units, then
    y = gamma * zhat + beta with eps = 1e-5 inside the square root; tried on batches of 3 and of 1."""
    for z in _Z_CASES:
        where = f"on z of shape {z.shape}"
        got = array(call(layer_norm, z.copy(), _GAMMA.copy(), _BETA.copy(), name=f"layer_norm, {where},"),
                    f"layer_norm's output {where}", shape=z.shape)
        expect(got, layernorm_forward(z, _GAMMA, _BETA)[0], f"layer_norm's output {where}", _LN_SLIPS,
               case=(z, _GAMMA, _BETA))
    return ("layer_norm matches hp.layernorm_forward, on a batch of 3 and on a batch of 1: each example is "
            "normalized on its own, so the batch does not matter.")


# Exercise 4: dL/dx through the block x_next = x + alpha * relu(x) @ W + b
def _block_case():
    rng = np.random.default_rng(7)  # fixed test data, not a seed of any experiment
    return rng.standard_normal((5, 6)), rng.standard_normal((5, 6)), rng.standard_normal((6, 6))


def _block_back(g, x, W, alpha):
    return g + alpha * (g @ W.T) * (x > 0)


_BLOCK_SLIPS = [
    (lambda g, x, W, a: a * (g @ W.T) * (x > 0), "your answer has no skip term: the identity path x passes "
                                                 "dL/dx_{l+1} down unchanged, so add g itself"),
    (lambda g, x, W, a: _block_back(g, x, W, 1.0), "your answer has no alpha: the branch's gradient is scaled by "
                                                   "alpha, like its output"),
    (lambda g, x, W, a: g + a * (g @ W.T), "your answer has no ReLU slope: multiply the branch's gradient by "
                                           "relu'(x) = (x > 0)"),
    (lambda g, x, W, a: g + a * (g @ W) * (x > 0), "your answer has g @ W where g @ W.T belongs: x @ W goes forward, "
                                                   "so g @ W.T goes back"),
    (lambda g, x, W, a: g * a * (g @ W.T) * (x > 0), "your answer has a product where a sum belongs: the two paths' "
                                                     "gradients add"),
]


@checker
def check_residual_backward(residual_backward):
    """Exercise 4: residual_backward(g, x, W, alpha) = dL/dx for the block x_next = x + alpha * relu(x) @ W + b,
    given g = dL/dx_next (batch, n), x (batch, n) and W (n, n)."""
    g, x, W = _block_case()
    for alpha in (0.5, 0.1):
        what = f"with alpha = {alpha}, dL/dx"
        got = array(call(residual_backward, g.copy(), x.copy(), W.copy(), alpha,
                         name=f"residual_backward, with alpha = {alpha},"), what, shape=x.shape)
        right = _block_back(g, x, W, alpha)
        expect(got, right, what, _BLOCK_SLIPS, case=(g, x, W, alpha), rtol=1e-9, atol=1e-12,
               otherwise=f"{differs(what, got, right)}; it should be g + alpha (g W^T) * relu'(x)")
    return ("dL/dx = g + alpha (g W^T) * relu'(x): the skip passes g down untouched, so even if the branch's gradient "
            "vanished, the gradient would not (the 'I + ...' of He et al. 2016).")
