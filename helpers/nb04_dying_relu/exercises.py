"""Exercise checkers of notebook 04 (dying ReLUs): each says what is wrong (shape, dtype, value).

    hp.ex04.check_leaky_relu(leaky_relu, leaky_relu_grad)   exercise 1: max(alpha z, z) and its slope
    hp.ex04.check_dead_units(dead, z)                       exercise 2: which units of a layer are dead
    hp.ex04.check_unit_gradients(norms, params, X, y)       exercise 3: a dead unit's weights get no gradient
    hp.ex04.check_elu_grad(elu_grad)                        exercise 4: ELU's slope from its output
"""
from __future__ import annotations

import warnings

import numpy as np

from ..core.activations import get_activation
from ..core.losses import softmax_cross_entropy
from ..core.network import backward, forward
from ..ui.feedback import Feedback, compare_array

__all__ = ["check_leaky_relu", "check_dead_units", "check_unit_gradients", "check_elu_grad"]

# z = 0 is left out: the slope there is a convention (the helpers use f'(0) = alpha, PyTorch too)
_Z = np.array([[-50.0, -3.0, -1.0, -0.25, -1e-3], [1e-3, 0.25, 1.0, 3.0, 50.0]])
_ALPHAS = (0.01, 0.2, 0.3)


def _call(fn, *args):
    """(result as a float array or None, error message or None) of fn(*args), never raising."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            got = fn(*args)
        except Exception as err:  # reported to the student
            return None, f"raised {type(err).__name__}: {err}"
    if got is None:
        return None, "returned None: is the `return` line still missing?"
    try:
        return np.asarray(got, dtype=np.float64), None
    except (TypeError, ValueError):
        return None, f"should return an array of numbers, got {type(got).__name__}"


def _first_mismatch(got, expected):
    """(index, got, expected) of the first entry that differs, or None."""
    with np.errstate(all="ignore"):
        bad = ~np.isclose(got, expected, rtol=1e-9, atol=1e-12)
    if not bad.any():
        return None
    i = np.unravel_index(int(np.argmax(bad)), bad.shape)
    return i, got[i], expected[i]


def _check_elementwise(name, fn, expected_fn, slips, args=lambda z, alpha: (z, alpha)):
    """Shared by the function exercises: shape, then the known slips, then the values, for each alpha."""
    for alpha in _ALPHAS:
        z = _Z.copy()
        got, error = _call(fn, *args(z, alpha))
        if error:
            return Feedback(False, f"{name}, called with alpha = {alpha}, {error}")
        if not np.array_equal(z, _Z):
            return Feedback(False, f"{name} changed its input z in place; compute a new array instead "
                                   "(np.where or np.maximum return one)")
        if got.shape != _Z.shape:
            return Feedback(False, f"for z of shape {_Z.shape}, {name} returned shape {got.shape}: it should "
                                   "work elementwise and return an array shaped like z")
        expected = expected_fn(_Z, alpha)
        for message, wrong in slips.items():
            with np.errstate(all="ignore"):
                if np.allclose(got, wrong(_Z, alpha), rtol=1e-9, atol=1e-12) and not np.allclose(wrong(_Z, alpha), expected):
                    return Feedback(False, f"with alpha = {alpha}, {name} gives {message}")
        miss = _first_mismatch(got, expected)
        if miss:
            (i, j), g, e = miss
            side = "negative" if _Z[i, j] < 0 else "positive"
            return Feedback(False, f"with alpha = {alpha}, at z = {_Z[i, j]:g} ({side} side) {name} gives {g:.6g}; "
                                   f"expected {e:.6g}")
    return None


def check_leaky_relu(leaky_relu, leaky_relu_grad) -> Feedback:
    """Exercise 1: leaky_relu(z, alpha) = max(alpha z, z) and leaky_relu_grad(z, alpha) = 1 (z > 0) or alpha.

    Both are tried on a (2, 5) array of z from -50 to 50 (z = 0 left out) with alpha = 0.01, 0.2, 0.3.
    """
    for name, fn in (("leaky_relu", leaky_relu), ("leaky_relu_grad", leaky_relu_grad)):
        if not callable(fn):
            return Feedback(False, f"pass the functions themselves, check_leaky_relu(leaky_relu, leaky_relu_grad); "
                                   f"{name} is a {type(fn).__name__}")
    f_slips = {
        "ReLU's max(0, z): the negative side should be alpha * z, not 0": lambda z, a: np.maximum(z, 0),
        "min(alpha z, z): that takes the smaller value, use max(alpha z, z)": lambda z, a: np.minimum(a * z, z),
        "alpha * z on the positive side too: for z > 0 leaky ReLU is z itself": lambda z, a: a * z,
        "max(alpha, z): alpha multiplies z, it is not a floor": lambda z, a: np.maximum(a, z),
        "a fixed slope 0.01 whatever alpha is: use the argument alpha": lambda z, a: np.maximum(0.01 * z, z),
    }
    bad = _check_elementwise("leaky_relu", leaky_relu, lambda z, a: np.maximum(a * z, z), f_slips)
    if bad is not None:
        return bad
    df_slips = {
        "0 for z < 0, ReLU's slope: the leak makes it alpha": lambda z, a: (z > 0).astype(float),
        "the value alpha * z instead of the slope alpha for z < 0": lambda z, a: np.where(z > 0, 1.0, a * z),
        "the function's value, not its slope": lambda z, a: np.maximum(a * z, z),
        "alpha for z > 0 and 1 for z < 0: the sides are swapped": lambda z, a: np.where(z > 0, a, 1.0),
        "a fixed slope 0.01 whatever alpha is: use the argument alpha": lambda z, a: np.where(z > 0, 1.0, 0.01),
    }
    bad = _check_elementwise("leaky_relu_grad", leaky_relu_grad, lambda z, a: np.where(z > 0, 1.0, a), df_slips)
    if bad is not None:
        return bad
    ref = get_activation("leaky_relu", 0.2)
    same = np.allclose(leaky_relu(_Z, 0.2), ref.f(_Z)) and np.allclose(leaky_relu_grad(_Z, 0.2), ref.df(_Z))
    return Feedback(True, "both match max(alpha z, z) and its slope for alpha = 0.01, 0.2 and 0.3"
                          + (", and agree with hp.get_activation('leaky_relu', 0.2)." if same else "."))


def check_dead_units(dead, z) -> Feedback:
    """Exercise 2: dead[j] is True when unit j of a ReLU layer with pre-activations z (examples, units)
    has z <= 0 for every example, i.e. ReLU'(z) = 0 on the whole batch."""
    z = np.asarray(z, dtype=np.float64)
    if z.ndim != 2:
        return Feedback(False, f"pass the layer's pre-activations z of shape (examples, units) as the second "
                               f"argument; got shape {z.shape}")
    expected = np.all(z <= 0, axis=0)
    if dead is None:
        return Feedback(False, "dead is None: is the line that computes it still missing?")
    got = np.asarray(dead)
    if got.shape == (z.shape[0],) and z.shape[0] != z.shape[1]:
        return Feedback(False, f"dead has shape {got.shape}, one value per example: reduce over the examples "
                               f"(axis=0) to get one value per unit, shape ({z.shape[1]},)")
    if got.shape != expected.shape:
        return Feedback(False, f"dead should have one value per unit, shape {expected.shape}; got {got.shape}")
    if got.dtype != bool:
        if np.issubdtype(got.dtype, np.number) and set(np.unique(got)) <= {0, 1}:
            return Feedback(False, f"dead holds {got.dtype} 0/1 values; make it a boolean mask (a comparison such "
                                   "as z <= 0 reduced with np.all gives one) so that W[:, dead] selects units")
        return Feedback(False, f"dead should be a boolean mask (True = dead), got dtype {got.dtype}")
    if np.array_equal(got, expected):
        return Feedback(True, f"{int(expected.sum())} of {len(expected)} units are dead: z <= 0 for all "
                              f"{z.shape[0]} examples, so ReLU'(z) = 0 on the whole batch.")
    if np.array_equal(got, np.any(z <= 0, axis=0)):
        return Feedback(False, "you marked units that are off for *some* example (np.any); a unit is dead only if "
                               "it is off for *every* example (np.all)")
    if np.array_equal(got, np.all(z > 0, axis=0)):
        return Feedback(False, "you marked the units that are *on* for every example; dead means off (z <= 0) "
                               "for every example")
    if np.array_equal(got, ~expected):
        return Feedback(False, "your mask is inverted: True should mean dead (z <= 0 for every example)")
    wrong = np.flatnonzero(got != expected)
    j = int(wrong[0])
    return Feedback(False, f"{len(wrong)} units are marked wrongly, e.g. unit {j}: you say "
                           f"{'dead' if got[j] else 'alive'}, but its largest z over the examples is "
                           f"{z[:, j].max():.3g}, so it is {'dead' if expected[j] else 'alive'}")


def check_unit_gradients(norms, params, X, y, layer: int = 2) -> Feedback:
    """Exercise 3: norms[j] = ||dW[:, j]||, the gradient norm of the incoming weights of unit j of hidden
    layer `layer` (counting from 1), for the cross-entropy loss of a ReLU net `params` on (X, y)."""
    out, cache = forward(params, X, "relu")
    _, dout = softmax_cross_entropy(out, y)
    grads, _ = backward(params, cache, dout)
    dW = grads[layer - 1][0]
    expected = np.linalg.norm(dW, axis=0)
    if norms is None:
        return Feedback(False, "norms is None: is the line that computes it still missing?")
    try:
        got = np.asarray(norms, dtype=np.float64)
    except (TypeError, ValueError):
        return Feedback(False, f"norms should be an array of numbers, got {type(norms).__name__}")
    if got.shape != expected.shape:
        return Feedback(False, f"norms should have one value per unit of layer {layer}, shape {expected.shape}; "
                               f"got {got.shape}")
    if np.allclose(got, np.linalg.norm(dW, axis=1), rtol=1e-6) and not np.allclose(got, expected, rtol=1e-6):
        return Feedback(False, "you took the norm of each row of dW (axis=1): row i holds the weights leaving "
                               "input i. A unit's incoming weights are a column W[:, j]: use axis=0")
    for l, (g, _) in enumerate(grads):
        if l != layer - 1 and g.shape[1] == expected.shape[0] and np.allclose(got, np.linalg.norm(g, axis=0)):
            return Feedback(False, f"these are the gradient norms of layer {l + 1}; grads[{layer - 1}] belongs "
                                   f"to hidden layer {layer} (grads is indexed from 0)")
    result = compare_array("norms", got, expected, rtol=1e-6, atol=1e-12)
    if not result:
        return result
    dead = np.all(cache.zs[layer - 1] <= 0, axis=0)
    zero = expected == 0
    return Feedback(True, f"{int(zero.sum())} units have a gradient of exactly 0, and they are exactly the "
                          f"{int(dead.sum())} dead units: "
                          f"{'the same set' if np.array_equal(zero, dead) else 'not the same set'}. "
                          "Gradient descent cannot move their weights.")


def check_elu_grad(elu_grad) -> Feedback:
    """Exercise 4: elu_grad(z, a, alpha) = 1 for z > 0 and a + alpha for z <= 0, where a = ELU(z)."""
    if not callable(elu_grad):
        return Feedback(False, f"pass the function itself, check_elu_grad(elu_grad), not {type(elu_grad).__name__}")
    elu = {a: get_activation("elu", a) for a in _ALPHAS}
    slips = {
        "a itself for z < 0: the slope of alpha (e^z - 1) is alpha e^z = a + alpha": lambda z, al: np.where(
            z > 0, 1.0, elu[al].f(z)),
        "a - alpha for z < 0: since a = alpha e^z - alpha, alpha e^z = a + alpha": lambda z, al: np.where(
            z > 0, 1.0, elu[al].f(z) - al),
        "0 for z < 0, ReLU's slope: ELU's negative side has slope alpha e^z > 0": lambda z, al: (z > 0).astype(
            float),
        "alpha for z < 0, leaky ReLU's slope: ELU's slope alpha e^z shrinks as z goes negative": lambda z, al: np.where(
            z > 0, 1.0, al),
        "a + alpha on the positive side too: for z > 0 ELU is z, slope 1": lambda z, al: elu[al].f(z) + al,
    }
    bad = _check_elementwise("elu_grad", elu_grad, lambda z, al: elu[al].df(z), slips,
                             args=lambda z, al: (z, elu[al].f(z), al))
    if bad is not None:
        return bad
    return Feedback(True, "elu_grad matches alpha e^z for z < 0 and 1 for z > 0 without computing a second "
                          "exponential: the backward pass reuses the forward pass's output.")
