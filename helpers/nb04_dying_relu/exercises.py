"""Exercise checkers of notebook 04 (dying ReLUs): the expected property, the known slips, their hints.

    hp.ex04.check_leaky_relu(leaky_relu, leaky_relu_grad)   exercise 1: max(alpha z, z) and its slope
    hp.ex04.check_dead_units(dead, z)                       exercise 2: which units of a layer are dead
    hp.ex04.check_unit_gradients(norms, params, X, y)       exercise 3: a dead unit's weights get no gradient
    hp.ex04.check_elu_grad(elu_grad)                        exercise 4: ELU's slope from its output, no np.exp
"""
from __future__ import annotations

import numpy as np

from ..core.activations import get_activation
from ..core.losses import softmax_cross_entropy
from ..core.network import backward, forward
from ..ui.feedback import NotYet, array, call, checker, expect, same

__all__ = ["check_leaky_relu", "check_dead_units", "check_unit_gradients", "check_elu_grad"]

# z = 0 is left out: the slope there is a convention (the helpers use f'(0) = alpha, PyTorch too)
_Z = np.array([[-50.0, -3.0, -1.0, -0.25, -1e-3], [1e-3, 0.25, 1.0, 3.0, 50.0]])
_ALPHAS = (0.01, 0.2, 0.3)
_ELU = {alpha: get_activation("elu", alpha) for alpha in _ALPHAS}


def _elementwise(fn, name, right, slips, args=lambda z, alpha: (z, alpha)):
    """Try fn on z for each alpha: the shape, then the known slips, then the first wrong entry."""
    for alpha in _ALPHAS:
        got = call(fn, *args(_Z.copy(), alpha), name=name, case=f"{name} with alpha = {alpha}")
        got = array(got, f"{name}(z) with alpha = {alpha}", _Z.shape)
        expected = right(_Z, alpha)
        i = np.unravel_index(int(np.argmax(~np.isclose(got, expected, rtol=1e-9, atol=1e-12))), _Z.shape)
        side = "negative" if _Z[i] < 0 else "positive"
        expect(got, expected, name, [(w, f"with alpha = {alpha}, {name} gives {h}") for w, h in slips],
               case=(_Z, alpha), rtol=1e-9, atol=1e-12, otherwise=f"with alpha = {alpha}, at z = {_Z[i]:g} ({side} "
               f"side) {name} gives {got[i]:.6g}; expected {expected[i]:.6g}")


@checker
def check_leaky_relu(leaky_relu, leaky_relu_grad):
    """Exercise 1: leaky_relu(z, alpha) = max(alpha z, z) and leaky_relu_grad(z, alpha) = 1 (z > 0) or alpha.

    Both are tried on a (2, 5) array of z from -50 to 50 (z = 0 left out) with alpha = 0.01, 0.2, 0.3.
    """
    _elementwise(leaky_relu, "leaky_relu", lambda z, a: get_activation("leaky_relu", a).f(z), [
        (lambda z, a: np.maximum(z, 0), "ReLU's max(0, z): the negative side should be alpha * z, not 0"),
        (lambda z, a: np.minimum(a * z, z), "min(alpha z, z): that takes the smaller value, use max(alpha z, z)"),
        (lambda z, a: a * z, "alpha * z on the positive side too: for z > 0 leaky ReLU is z itself"),
        (lambda z, a: np.maximum(a, z), "max(alpha, z): alpha multiplies z, it is not a floor"),
        (lambda z, a: np.maximum(0.01 * z, z), "a fixed slope 0.01 whatever alpha is: use the argument alpha"),
    ])
    _elementwise(leaky_relu_grad, "leaky_relu_grad", lambda z, a: get_activation("leaky_relu", a).df(z), [
        (lambda z, a: (z > 0).astype(float), "0 for z < 0, ReLU's slope: the leak makes it alpha"),
        (lambda z, a: np.where(z > 0, 1.0, a * z), "the value alpha * z instead of the slope alpha for z < 0"),
        (lambda z, a: np.maximum(a * z, z), "the function's value, not its slope"),
        (lambda z, a: np.where(z > 0, a, 1.0), "alpha for z > 0 and 1 for z < 0: the sides are swapped"),
        (lambda z, a: np.where(z > 0, 1.0, 0.01), "a fixed slope 0.01 whatever alpha is: use the argument alpha"),
    ])
    return ("both match max(alpha z, z) and its slope for alpha = 0.01, 0.2 and 0.3, as "
            "hp.get_activation('leaky_relu', alpha) computes them.")


@checker
def check_dead_units(dead, z):
    """Exercise 2: dead[j] is True when unit j of a ReLU layer with pre-activations z (examples, units)
    has z <= 0 for every example, i.e. ReLU'(z) = 0 on the whole batch."""
    z = array(z, "z (the layer's pre-activations, the second argument)")
    if z.ndim != 2:
        raise NotYet(f"pass the layer's pre-activations z of shape (examples, units) as the second argument; got "
                     f"shape {z.shape}")
    expected = np.all(z <= 0, axis=0)
    got = array(dead, "dead", dtype=None)
    if got.shape == (z.shape[0],) and z.shape[0] != z.shape[1]:
        raise NotYet(f"dead has shape {got.shape}, one value per example: reduce over the examples (axis=0) to get "
                     f"one value per unit, shape ({z.shape[1]},)")
    if got.shape != expected.shape:
        raise NotYet(f"dead should have one value per unit, shape {expected.shape}; got {got.shape}")
    if got.dtype != bool:
        if set(np.unique(got)) <= {0, 1}:
            raise NotYet(f"dead holds {got.dtype} 0/1 values; make it a boolean mask (a comparison such as z <= 0 "
                         "reduced with np.all gives one) so that W[:, dead] selects units")
        raise NotYet(f"dead should be a boolean mask (True = dead), got dtype {got.dtype}")
    slips = [(np.any(z <= 0, axis=0), "you marked units that are off for *some* example (np.any); a unit is dead "
                                      "only if it is off for *every* example (np.all)"),
             (np.all(z > 0, axis=0), "you marked the units that are *on* for every example; dead means off (z <= 0) "
                                     "for every example"),
             (~expected, "your mask is inverted: True should mean dead (z <= 0 for every example)")]
    j = int(np.argmax(got != expected))
    expect(got, expected, "dead", slips, otherwise=f"{int(np.sum(got != expected))} units are marked wrongly, e.g. "
           f"unit {j}: you say {'dead' if got[j] else 'alive'}, but its largest z over the examples is "
           f"{z[:, j].max():.3g}, so it is {'dead' if expected[j] else 'alive'}")
    return (f"{int(expected.sum())} of {len(expected)} units are dead: z <= 0 for all {z.shape[0]} examples, so "
            f"ReLU'(z) = 0 on the whole batch.")


def _gradients(params, X, y, layer):
    """The reference forward/backward pass on the student's net, or NotYet naming what to pass."""
    try:
        y = np.asarray(y)
        y = y.astype(int) if y.dtype.kind == "f" and np.all(y == np.round(y)) else y
        out, cache = forward(params, X, "relu")
        grads, _ = backward(params, cache, softmax_cross_entropy(out, y)[1])
        return grads, cache, grads[layer - 1][0]
    except Exception as err:  # the checker's own inputs: say which ones to pass
        raise NotYet(f"pass the trained net and its data as in the exercise cell, check_unit_gradients(norms, params, "
                     f"X, y), with layer a hidden layer (1 to {len(params) - 1 if isinstance(params, list) else '?'}) "
                     f"({type(err).__name__}: {str(err)[:80]})") from None


@checker
def check_unit_gradients(norms, params, X, y, layer: int = 2):
    """Exercise 3: norms[j] = ||dW[:, j]||, the gradient norm of the incoming weights of unit j of hidden
    layer `layer` (counting from 1), for the cross-entropy loss of a ReLU net `params` on (X, y)."""
    if not isinstance(layer, (int, np.integer)) or isinstance(layer, bool) or layer < 1:
        raise NotYet(f"layer counts hidden layers from 1, got {layer!r:.40}")
    grads, cache, dW = _gradients(params, X, y, int(layer))
    expected = np.linalg.norm(dW, axis=0)
    got = array(norms, "norms", finite=False)
    if got.shape != expected.shape:
        raise NotYet(f"norms should have one value per unit of layer {layer}, shape {expected.shape}; got {got.shape}")
    slips = [(np.linalg.norm(dW, axis=1), "you took the norm of each row of dW (axis=1): row i holds the weights "
              "leaving input i. A unit's incoming weights are a column W[:, j]: use axis=0")]
    slips += [(np.linalg.norm(g, axis=0), f"these are the gradient norms of layer {k + 1}; grads[{layer - 1}] belongs "
               f"to hidden layer {layer} (grads is indexed from 0)")
              for k, (g, _) in enumerate(grads) if k != layer - 1 and g.shape[1] == expected.shape[0]]
    expect(array(got, "norms"), expected, "norms", slips, atol=1e-12)
    dead, zero = np.all(cache.zs[layer - 1] <= 0, axis=0), expected == 0
    return (f"{int(zero.sum())} units have a gradient of exactly 0, and they are exactly the {int(dead.sum())} dead "
            f"units: {'the same set' if np.array_equal(zero, dead) else 'not the same set'}. Gradient descent cannot "
            "move their weights.")


_SIDES = np.where(_Z > 0, 1.0, -1.0)  # only z's signs: a slope computed from a alone does not notice


@checker
def check_elu_grad(elu_grad):
    """Exercise 4: elu_grad(z, a, alpha) = 1 for z > 0 and a + alpha for z <= 0, where a = ELU(z), without np.exp.

    Tried on a (2, 5) array with alpha = 0.01, 0.2, 0.3; then once more with z replaced by its signs (+-1) and
    the same a: a slope computed from a, as the task asks, is unchanged, but alpha * np.exp(z) is not.
    """
    right = lambda z, al: _ELU[al].df(z)  # noqa: E731
    _elementwise(elu_grad, "elu_grad", right, [
        (lambda z, al: np.where(z > 0, 1.0, _ELU[al].f(z)), "a itself for z < 0: the slope of alpha (e^z - 1) is "
                                                            "alpha e^z = a + alpha"),
        (lambda z, al: np.where(z > 0, 1.0, _ELU[al].f(z) - al), "a - alpha for z < 0: since a = alpha e^z - alpha, "
                                                                 "alpha e^z = a + alpha"),
        (lambda z, al: (z > 0).astype(float), "0 for z < 0, ReLU's slope: ELU's negative side has slope alpha e^z > 0"),
        (lambda z, al: np.where(z > 0, 1.0, al), "alpha for z < 0, leaky ReLU's slope: ELU's slope alpha e^z shrinks "
                                                 "as z goes negative"),
        (lambda z, al: _ELU[al].f(z) + al, "a + alpha on the positive side too: for z > 0 ELU is z, slope 1"),
    ], args=lambda z, al: (z, _ELU[al].f(z), al))
    for alpha in _ALPHAS:
        got = array(call(elu_grad, _SIDES.copy(), _ELU[alpha].f(_Z), alpha, name="elu_grad"), "elu_grad", _Z.shape)
        if not same(got, right(_Z, alpha), rtol=1e-9, atol=1e-12):
            raise NotYet("your slope is right, but it changes when z changes and a does not: it computes e^z again "
                         "from z. The task asks for it without np.exp, from the forward pass's output: for z <= 0, "
                         "alpha e^z = a + alpha")
    return ("elu_grad matches alpha e^z for z < 0 and 1 for z > 0 without computing a second exponential: the "
            "backward pass reuses the forward pass's output.")
