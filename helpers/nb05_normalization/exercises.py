"""Exercise checkers of notebook 05: the expected property, the known slips, their hints.

    print(hp.ex05.check_batchnorm_forward(my_batchnorm))
    print(hp.ex05.check_batchnorm_backward(my_batchnorm_backward))
    print(hp.ex05.check_clip_by_global_norm(my_clip_by_global_norm))
    print(hp.ex05.check_selu_moments(selu_mean, selu_var, relu_mean, relu_var))
"""
from __future__ import annotations

import numpy as np

from ..core.activations import get_activation
from ..core.normalization import batchnorm_backward, batchnorm_forward
from ..core.training import clip_by_global_norm, global_norm
from ..ui.feedback import NotYet, array, call, checker, expect, known_slip, number, same

__all__ = ["check_batchnorm_forward", "check_batchnorm_backward", "check_clip_by_global_norm", "check_selu_moments"]

EPS = 1e-5
_RNG = np.random.default_rng(5)  # a batch whose units have very different means and scales, one tiny (eps matters)
_Z = _RNG.normal(size=(16, 5)) * np.array([1.0, 10.0, 0.1, 3e-3, 2.0]) + np.array([0.0, 5.0, -3.0, 1.0, 0.5])
_GAMMA, _BETA = _RNG.uniform(0.5, 2.0, size=5), _RNG.normal(size=5)
_MU, _VAR = _Z.mean(axis=0), _Z.var(axis=0)


_FORWARD_SLIPS = [
    ((_Z - _Z.mean(axis=1, keepdims=True)) / np.sqrt(_Z.var(axis=1, keepdims=True) + EPS) * _GAMMA + _BETA,
     "you normalized each example over its units (axis=1); batch norm normalizes each unit (column) over the "
     "examples of the batch (axis=0)."),
    ((_Z - _MU) / np.sqrt(_Z.var(axis=0, ddof=1) + EPS) * _GAMMA + _BETA,
     "you used the unbiased variance (ddof=1); batch norm divides by the batch's own variance, mean((z - mu)^2) "
     "(np.var's default ddof=0)."),
    ((_Z - _MU) / np.sqrt(_VAR) * _GAMMA + _BETA,
     "you left out eps: divide by sqrt(var + eps), which also protects units whose variance is near 0."),
    ((_Z - _MU) / (np.sqrt(_VAR) + EPS) * _GAMMA + _BETA,
     "divide by sqrt(var + eps), not by std + eps: eps is added to the variance."),
    ((_Z - _MU) / np.sqrt(_VAR + EPS) * _BETA + _GAMMA,
     "gamma and beta are swapped: gamma scales (multiplies) and beta shifts (is added)."),
    ((_Z - _MU) / np.sqrt(_VAR + EPS), "you returned zhat: now scale by gamma and shift by beta."),
    ((_Z - _MU) / (_VAR + EPS) * _GAMMA + _BETA, "divide by the standard deviation sqrt(var + eps), not by the variance."),
]


@checker
def check_batchnorm_forward(fn):
    """fn(z, gamma, beta, eps=1e-5) -> y: batch norm in training mode, y = gamma * (z - mu) / sqrt(var + eps) + beta."""
    y = array(call(fn, _Z.copy(), _GAMMA.copy(), _BETA.copy(), name="my_batchnorm"), "y", _Z.shape)
    expect(y, batchnorm_forward(_Z, _GAMMA, _BETA, eps=EPS)[0], "y", _FORWARD_SLIPS)
    return "your batch norm matches hp.batchnorm_forward: each unit now has mean beta and std gamma over the batch."


_DY = np.random.default_rng(6).normal(size=_Z.shape)
_CACHE = batchnorm_forward(_Z, _GAMMA, _BETA, eps=EPS)[1]
_ZHAT, _SCALE, _N = _CACHE.zhat, _GAMMA * _CACHE.inv_std, len(_DY)
_DZ_SLIPS = [
    (_SCALE * _DY, "that is the inference-mode gradient: in training mode mu and var depend on every example, so "
                   "subtract the mean of dy and zhat times the mean of dy * zhat."),
    (_SCALE * (_DY - _DY.mean(axis=0)), "you handled the mean but not the variance: also subtract zhat * "
                                        "mean(dy * zhat)."),
    (_SCALE * (_DY - _ZHAT * (_DY * _ZHAT).mean(axis=0)), "you handled the variance but not the mean: also "
                                                          "subtract mean(dy)."),
    (_CACHE.inv_std * (_DY - _DY.mean(axis=0) - _ZHAT * (_DY * _ZHAT).mean(axis=0)),
     "you forgot gamma: y = gamma * zhat + beta, so dzhat = gamma * dy."),
    (_SCALE / _N * (_DY - _DY.mean(axis=0) - _ZHAT * (_DY * _ZHAT).mean(axis=0)),
     "dz is 1/n too small: the 1/n lives inside the two means, not in front."),
]


@checker
def check_batchnorm_backward(fn):
    """fn(dy, zhat, inv_std, gamma) -> (dz, dgamma, dbeta): the training-mode backward pass of batch norm."""
    got = call(fn, _DY.copy(), _ZHAT.copy(), _CACHE.inv_std.copy(), _GAMMA.copy(), name="my_batchnorm_backward")
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        raise NotYet("return three arrays: (dz, dgamma, dbeta).")
    right = batchnorm_backward(_DY, _CACHE)
    parts = []
    for name, value, shape in zip(("dz", "dgamma", "dbeta"), got, (_Z.shape, _GAMMA.shape, _GAMMA.shape)):
        arr = array(value, name)
        if name != "dz" and arr.shape in (_Z.shape, (1,) + shape):
            raise NotYet(f"{name} should have shape {shape}: sum over the batch (axis=0).")
        parts.append(array(arr, name, shape))
    dz, dgamma, dbeta = parts
    if same(dgamma, right[2]) and same(dbeta, right[1]):
        raise NotYet("dgamma and dbeta are swapped: dgamma = sum(dy * zhat), dbeta = sum(dy) over the batch.")
    expect(dgamma, right[1], "dgamma")
    expect(dbeta, right[2], "dbeta")
    expect(dz, right[0], "dz", _DZ_SLIPS)
    return "dz, dgamma and dbeta match hp.batchnorm_backward (itself checked against finite differences)."


_RNG7 = np.random.default_rng(7)
_GRADS = [(_RNG7.normal(0, s, size=(4, 3)), _RNG7.normal(0, s, size=3)) for s in (0.5, 3.0, 0.2)]
_NORM = global_norm(_GRADS)
_flat = lambda gs: np.concatenate([np.ravel(a) for g in gs for a in g])  # noqa: E731


def _clip_slips(c):
    """What the usual slips return for max_norm c below the global norm."""
    layer = [tuple(a * min(1, c / np.sqrt(np.sum(dW ** 2) + np.sum(db ** 2))) for a in (dW, db)) for dW, db in _GRADS]
    each = [tuple(a * min(1, c / np.linalg.norm(a)) for a in pair) for pair in _GRADS]
    w_only = np.sqrt(sum(np.sum(dW ** 2) for dW, _ in _GRADS))
    return [
        (np.clip(_flat(_GRADS), -c, c), "that is clipping by value (np.clip of each entry), which changes the "
                                        "direction; scale every array by the same factor max_norm / global norm."),
        (_flat(layer), "you clipped each layer (or each array) on its own. The global norm is sqrt(sum of squares of "
                       "every entry of every array): one factor for all."),
        (_flat(each), "you clipped each layer (or each array) on its own. The global norm is sqrt(sum of squares of "
                      "every entry of every array): one factor for all."),
        (_flat(_GRADS) * c / w_only, "your norm leaves out the biases: include every db in the sum of squares."),
    ]


@checker
def check_clip_by_global_norm(fn):
    """fn(grads, max_norm) -> grads scaled by min(1, max_norm / global norm), grads a list of (dW, db)."""
    for c in (_NORM / 4, 2 * _NORM):
        got = call(fn, [(dW.copy(), db.copy()) for dW, db in _GRADS], c, name="my_clip_by_global_norm")
        if not isinstance(got, (list, tuple)) or len(got) != len(_GRADS) or any(
                not isinstance(g, (list, tuple)) or len(g) != 2 for g in got):
            raise NotYet(f"return a list of {len(_GRADS)} pairs (dW, db), like the input.")
        flat = _flat([[array(value, f"{name} of layer {i}", exp.shape) for name, value, exp in
                       zip(("dW", "db"), pair, ref)] for i, (pair, ref) in enumerate(zip(got, _GRADS))])
        if same(flat, _flat(clip_by_global_norm(_GRADS, c))):
            continue
        if c > _NORM:
            raise NotYet(f"the global norm ({_NORM:.3g}) is already below max_norm ({c:.3g}): leave the gradients as "
                         "they are (scale by min(1, max_norm / norm)).")
        norm = np.linalg.norm(flat)
        raise NotYet(known_slip([((), flat)], _clip_slips(c)) or (
            f"after clipping, the global norm should be max_norm = {c:.4g}, yours is {norm:.4g}."
            if abs(norm - c) > 1e-6 * c else
            "the global norm is right but the direction changed: multiply every array by the same factor."))
    return "your clipping matches hp.clip_by_global_norm: same direction, norm at most max_norm."


def _moments(name):
    """Mean and variance of f(z) for z ~ N(0, 1), by quadrature (exact to far below the checker's tolerance)."""
    z = np.linspace(-12, 12, 240_001)
    w = np.exp(-z * z / 2) / np.sqrt(2 * np.pi) * (z[1] - z[0])
    a = get_activation(name).f(z)
    mean = np.sum(w * a)
    return mean, np.sum(w * (a - mean) ** 2)


@checker
def check_selu_moments(selu_mean, selu_var, relu_mean, relu_var):
    """Mean and variance of selu(z) and relu(z) for z ~ N(0, 1), estimated from about a million samples."""
    answers = {"selu_mean": selu_mean, "selu_var": selu_var, "relu_mean": relu_mean, "relu_var": relu_var}
    values = {name: number(v, name) for name, v in answers.items()}
    exp = {"selu": _moments("selu"), "relu": _moments("relu")}
    tol = 0.01  # Monte-Carlo error of a million samples is about 0.001
    for act, (m, v) in exp.items():
        mean, var = values[f"{act}_mean"], values[f"{act}_var"]
        if abs(mean - m) > tol:
            if act == "selu" and abs(mean - exp["relu"][0]) < tol:
                raise NotYet("your selu_mean is relu's: use hp.get_activation('selu').f.")
            raise NotYet(f"{act}_mean should be about {m:.3f}, got {mean:.3f}; draw z with "
                         "rng.standard_normal(1_000_000) and average f(z).")
        if abs(var - v) > tol:
            if abs(var - np.sqrt(v)) < tol:
                raise NotYet(f"{act}_var looks like a standard deviation: use .var(), not .std().")
            raise NotYet(f"{act}_var should be about {v:.3f}, got {var:.3f}.")
    f2 = lambda x: f"{round(x, 2) + 0.0:.2f}"  # noqa: E731  (+ 0.0 turns -0.0 into 0.0)
    return (f"SELU maps N(0, 1) to mean {f2(exp['selu'][0])}, variance {f2(exp['selu'][1])}: its own fixed point. "
            f"ReLU gives mean {f2(exp['relu'][0])}, variance {f2(exp['relu'][1])}: shifted and shrunk, so a stack "
            "of ReLUs drifts.")
