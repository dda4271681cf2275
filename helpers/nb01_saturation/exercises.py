"""Exercise checkers of notebook 01 (sigmoid saturation): the expected property, the known slips, their hints.

    hp.ex01.check_sigmoid_slope(fn)                   exercise 1: sigma'(z) for any array z
    hp.ex01.check_chain_gradient(fn)                  exercise 2: backprop by hand through a chain
    hp.ex01.check_saturation_per_layer(answer, cache) exercise 3: saturated fraction of each hidden layer
    hp.ex01.check_balanced_scale(std, activation)     exercise 4: a weight std that keeps gradients level
"""
from __future__ import annotations

import numpy as np

from ..core.activations import sigmoid
from ..core.stats import fmt, saturated_fraction
from ..ui.feedback import NotYet, When, array, call, checker, expect, known_slip, number, same
from .experiments import chain_gradient, saturation_profile

__all__ = ["check_sigmoid_slope", "check_chain_gradient", "check_saturation_per_layer", "check_balanced_scale"]

_Z = np.array([[-1000.0, -30.0, -5.0, -1.0, -0.1], [0.0, 0.5, 2.0, 30.0, 1000.0]])
_S = sigmoid(_Z)
_OVERFLOW = ("np.exp(-z) is inf for z = -1000. Use hp.sigmoid(z), which never exponentiates a positive number, "
             "then sigma'(z) = sigma(z) * (1 - sigma(z))")
_SLOPE_SLIPS = [
    (0 * _Z, "every value is 0: replace the placeholder with sigma(z) * (1 - sigma(z))"),
    (_S, "this is sigma(z) itself, not its slope: the slope is sigma(z) * (1 - sigma(z))"),
    (1 - _S * _S, "this is 1 - sigma(z)^2, the pattern of tanh's slope (1 - tanh^2); the sigmoid's is "
                  "sigma(z) * (1 - sigma(z))"),
    (1 - np.tanh(_Z) ** 2, "this is tanh's slope 1 - tanh(z)^2 (largest value 1); the sigmoid's slope is "
                           "sigma(z) * (1 - sigma(z))"),
    (_S * (1 + _S), "this is sigma(z) * (1 + sigma(z)): check the sign, the slope is sigma(z) * (1 - sigma(z))"),
    (-_S * (1 - _S), "this is -sigma(z) * (1 - sigma(z)): the sigmoid increases, so its slope is positive"),
]


@checker
def check_sigmoid_slope(fn):
    """Exercise 1: fn(z) must return sigma'(z) = sigma(z)(1 - sigma(z)), shaped like z, for any z.

    It is tried on a (2, 5) array with z from -1000 to 1000: no warning, no NaN.
    """
    got = call(fn, _Z.copy(), name="sigmoid_slope", case="sigmoid_slope(z)",
               on_warning=f"at z = -1000 or 1000 your function overflows. {_OVERFLOW}")
    got = array(got, "sigmoid_slope(z)", finite=False)
    if got.shape != _Z.shape:
        raise NotYet(f"for z of shape {_Z.shape} sigmoid_slope returned shape {got.shape}: it should work "
                     "elementwise and return an array shaped like z")
    if not np.all(np.isfinite(got)):
        raise NotYet(f"at z = -1000 or 1000 your function overflows (NaN or inf in the result). {_OVERFLOW}")
    expect(got, _S * (1 - _S), "sigmoid_slope(z)", _SLOPE_SLIPS, atol=1e-12)
    return (f"sigmoid_slope matches sigma(z)(1 - sigma(z)) from z = -1000 to 1000; its largest value is "
            f"{fmt(got.max())}, at z = {fmt(_Z.flat[int(np.argmax(got))])}.")


_CHAIN_CASES = [(0.0, 1), (0.0, 5), (2.0, 3), (-3.0, 10), (5.0, 4), (0.5, 20)]


def _chain(x, depth, what):
    """The forward chain z_1 = x, z_(l+1) = sigma(z_l): its inputs z_l, slopes and outputs a_l."""
    c = chain_gradient(x, depth)
    z, slope = c.z[0], c.slope[0]
    a = sigmoid(z)
    return {"z": z, "slope": slope, "a": a, "right": c.first[0]}[what]


_CHAIN_SLIPS = [
    (lambda x, d: 0.25 ** d, "you return 0.25**depth, the upper bound. The actual gradient multiplies the slope at "
     "each layer's own z_l: sigma'(z_l) = sigma(z_l)(1 - sigma(z_l)), which is below 0.25 unless z_l = 0"),
    (lambda x, d: np.prod(_chain(x, d, "a")), "you multiply the activations sigma(z_l); backprop multiplies the "
     "slopes sigma'(z_l) = sigma(z_l)(1 - sigma(z_l))"),
    (lambda x, d: np.prod(sigmoid(_chain(x, d, "a")) * (1 - sigmoid(_chain(x, d, "a")))), "you evaluate the slope "
     "at each layer's output a_l; it belongs at its input z_l (in this chain z_1 = x and z_(l+1) = a_l)"),
    (lambda x, d: np.prod(_chain(x, d, "slope")[1:]), "you have depth - 1 factors: the slope of layer 1, "
     "sigma'(z_1) with z_1 = x, is missing. A chain of depth layers contributes depth factors"),
    (lambda x, d: np.prod(_chain(x, d, "slope")[:-1]), "you have depth - 1 factors: the slope of the last layer, "
     "sigma'(z_L), is missing. A chain of depth layers contributes depth factors"),
    (lambda x, d: _chain(x, d + 1, "right"), "you have depth + 1 factors: stop after the last layer's slope "
     "sigma'(z_L)"),
    (lambda x, d: np.prod(1 - _chain(x, d, "a") ** 2), "you use 1 - a^2, tanh's slope; the sigmoid's is a(1 - a)"),
    (lambda x, d: np.sum(_chain(x, d, "slope")), "you add the slopes; the chain rule multiplies them, one factor "
     "per layer"),
]


@checker
def check_chain_gradient(fn):
    """Exercise 2: fn(x, depth) must return dLoss/dz_1 of the unit-weight sigmoid chain (dLoss/da_L = 1).

    That is prod_{l=1..depth} sigma'(z_l) with z_1 = x and z_(l+1) = sigma(z_l); compared with
    nb.chain_gradient on a few (x, depth) cases; a slip is named when it explains every miss.
    """
    misses = []
    for x, depth in _CHAIN_CASES:
        got = number(call(fn, x, depth, name="chain_grad", case=f"chain_grad({x}, {depth})"),
                      f"chain_grad({x}, {depth})")
        if not same(got, _chain(x, depth, "right"), atol=0):
            misses.append(((x, depth), got))
    if misses:
        (x, depth), got = misses[0]
        detail = f"chain_grad({x}, {depth}) returned {got:.4g}, expected {_chain(x, depth, 'right'):.4g}"
        hint = known_slip(misses, _CHAIN_SLIPS, atol=0)
        raise NotYet(f"{detail}: {hint}" if hint else f"{detail}. Loop over the layers: z = x; for each layer "
                     "a = sigma(z), multiply the gradient by a(1 - a), then z = a")
    return (f"your backprop matches nb.chain_gradient on {len(_CHAIN_CASES)} cases; e.g. chain_grad(0.0, 10) = "
            f"{fmt(_chain(0.0, 10, 'right'))}, below the bound 0.25^10 = {fmt(0.25 ** 10)}.")


@checker
def check_saturation_per_layer(answer, cache):
    """Exercise 3: answer[l] = fraction of hidden layer l+1's activations within 0.01 of 0 or 1.

    cache is the (sigmoid) forward pass the answer was computed from; the output layer is linear
    and not counted, so the answer has one value per hidden layer.
    """
    if getattr(getattr(cache, "activation", None), "name", None) != "sigmoid":
        raise NotYet("pass the sigmoid net's cache as the second argument: "
                     "out, cache = hp.forward(net, X, 'sigmoid')")
    hidden = cache.acts[:-1]
    expected = np.array([saturated_fraction(a, cache.activation) for a in hidden])
    if answer is None:
        raise NotYet(f"the answer is still None: replace it with an array of {len(hidden)} fractions, one per "
                     "hidden layer")
    got = array(answer, "saturated_per_layer")
    if got.ndim == 0:
        raise NotYet(f"one number per hidden layer is wanted ({len(hidden)} of them), not a single number: "
                     "loop over cache.acts[:-1]")
    if got.shape == (len(cache.acts),):
        raise NotYet(f"{got.size} values: you included the output layer, which is linear (no sigmoid). "
                     f"Use cache.acts[:-1], the {len(hidden)} hidden layers")
    if got.shape != expected.shape:
        raise NotYet(f"the answer should have shape {expected.shape} (one fraction per hidden layer), got "
                     f"{got.shape}; average over the batch and the units together")
    slips = [
        (100 * expected, "these are percentages; give fractions between 0 and 1"),
        (When(lambda g: np.nanmax(g) > 1), "values above 1 look like counts: divide by the number of entries "
                                           "(batch x units), or use np.mean of the boolean mask"),
        ([np.mean(a > 0.99) for a in hidden], "you counted only the units near 1; those near 0 (a < 0.01) are "
                                              "saturated too"),
        ([np.mean(a < 0.01) for a in hidden], "you counted only the units near 0; those near 1 (a > 0.99) are "
                                              "saturated too"),
    ]
    expect(got, expected, "saturated fraction per layer", slips)
    return "saturated fraction per layer matches."


@checker
def check_balanced_scale(std, activation="sigmoid", depth: int = 10):
    """Exercise 4: a weight std for which every layer's gradient norm is within a factor of 10 of layer L's.

    The net is the explorer's (nb.saturation_profile: layers of 64 units, seed 0). Layer 1 against
    layer L is the question; the layers between must agree too, so that a std whose gradients only
    come back by chance, with nearly every unit saturated (sigma = 100), is not level. The verdict
    also reports how many hidden activations are saturated at that std.
    """
    std = number(std, "std", positive=True)
    if not isinstance(activation, str) or activation not in ("sigmoid", "tanh"):
        raise NotYet(f"activation should be 'sigmoid' or 'tanh', got {activation!r:.40}")
    if not isinstance(depth, (int, np.integer)) or not 2 <= depth <= 50:
        raise NotYet(f"depth should be a whole number of layers from 2 to 50, got {depth!r:.40}")
    prof = saturation_profile(std, int(depth), activation, rng=np.random.default_rng(0))  # the explorer's net
    ratio, grads = prof.first_to_last, prof.stats.grad_norm
    where = f"with {activation} and std {fmt(std)}, layer 1's gradient norm is {fmt(ratio)} times layer {depth}'s"
    sat = f"{100 * prof.saturated:.0f}% of hidden activations are saturated"
    if not np.all(np.isfinite(grads)):
        raise NotYet(f"{where}: the gradients diverged; try a smaller std")
    if ratio < 0.1:
        raise NotYet(f"{where}: the gradient still vanishes on its way down; try a larger std ({sat})")
    if ratio > 10:
        raise NotYet(f"{where}: the gradient grows on its way down; try a smaller std ({sat})")
    worst = int(np.argmax(np.abs(np.log(grads[:-1] / grads[-1]))))
    if not 0.1 <= grads[worst] / grads[-1] <= 10:
        raise NotYet(f"{where}, but layer {worst + 1}'s is {fmt(grads[worst] / grads[-1])} times: the gradient is "
                     f"not level, it only happens to come back, because {sat}. Try a smaller std")
    return f"{where}, within a factor of 10; at this std {sat}."
