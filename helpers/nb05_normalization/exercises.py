"""Exercise checkers of notebook 05: each says what is wrong (shape, dtype, value) and, for the usual
mistakes, which one it is.

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
from ..ui.feedback import Feedback, compare_array

EPS = 1e-5


def _call(fn, *args):
    """(result, None) or (None, Feedback) if the student's function raised."""
    try:
        return fn(*args), None
    except NotImplementedError:
        return None, Feedback(False, "the function still raises NotImplementedError: replace that line with your code.")
    except Exception as err:  # the student's code: report, never raise
        return None, Feedback(False, f"your function raised {type(err).__name__}: {err}")


def _as_array(name, value, shape):
    """(array, None) if value is numbers of the given shape, else (None, Feedback)."""
    if value is None:
        return None, Feedback(False, f"your function returned None; return {name}, an array of shape {shape}.")
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return None, Feedback(False, f"{name} should be an array of numbers, got {type(value).__name__}")
    if arr.shape != shape:
        hint = " (transposed? units are columns, examples are rows)" if arr.shape == shape[::-1] else ""
        return None, Feedback(False, f"{name} should have shape {shape}, got {arr.shape}{hint}")
    if not np.all(np.isfinite(arr)):
        return None, Feedback(False, f"{name} contains NaN or inf")
    return arr, None


def _close(a, b):
    return np.allclose(a, b, rtol=1e-6, atol=1e-9)


def _bn_case():
    """A batch whose units have very different means and scales, one of them tiny (so eps matters)."""
    rng = np.random.default_rng(5)
    z = rng.normal(size=(16, 5)) * np.array([1.0, 10.0, 0.1, 3e-3, 2.0]) + np.array([0.0, 5.0, -3.0, 1.0, 0.5])
    return z, rng.uniform(0.5, 2.0, size=5), rng.normal(size=5)


def check_batchnorm_forward(fn) -> Feedback:
    """fn(z, gamma, beta, eps=1e-5) -> y: batch norm in training mode, y = gamma * (z - mu) / sqrt(var + eps) + beta."""
    z, gamma, beta = _bn_case()
    z_in = z.copy()
    got, error = _call(fn, z_in, gamma, beta)
    if error is not None:
        return error
    got, error = _as_array("y", got, z.shape)
    if error is not None:
        return error
    if not np.array_equal(z_in, z):
        return Feedback(False, "your function changed z in place; compute on a copy (z - mu makes one).")
    expected = batchnorm_forward(z, gamma, beta, eps=EPS)[0]
    mu, var = z.mean(axis=0), z.var(axis=0)
    mistakes = [
        ((z - z.mean(axis=1, keepdims=True)) / np.sqrt(z.var(axis=1, keepdims=True) + EPS) * gamma + beta,
         "you normalized each example over its units (axis=1); batch norm normalizes each unit (column) "
         "over the examples of the batch (axis=0)."),
        ((z - mu) / np.sqrt(z.var(axis=0, ddof=1) + EPS) * gamma + beta,
         "you used the unbiased variance (ddof=1); batch norm divides by the batch's own variance, "
         "mean((z - mu)^2) (np.var's default ddof=0)."),
        ((z - mu) / np.sqrt(var) * gamma + beta,
         "you left out eps: divide by sqrt(var + eps), which also protects units whose variance is near 0."),
        ((z - mu) / (np.sqrt(var) + EPS) * gamma + beta,
         "divide by sqrt(var + eps), not by std + eps: eps is added to the variance."),
        ((z - mu) / np.sqrt(var + EPS) * beta + gamma,
         "gamma and beta are swapped: gamma scales (multiplies) and beta shifts (is added)."),
        ((z - mu) / np.sqrt(var + EPS), "you returned zhat: now scale by gamma and shift by beta."),
        ((z - mu) / (var + EPS) * gamma + beta, "divide by the standard deviation sqrt(var + eps), not by the variance."),
    ]
    if not _close(got, expected):
        for wrong, message in mistakes:
            if _close(got, wrong):
                return Feedback(False, message)
    result = compare_array("y", got, expected)
    if result:
        return Feedback(True, "your batch norm matches hp.batchnorm_forward: each unit now has mean beta "
                              "and std gamma over the batch.")
    return result


def check_batchnorm_backward(fn) -> Feedback:
    """fn(dy, zhat, inv_std, gamma) -> (dz, dgamma, dbeta): the training-mode backward pass of batch norm."""
    z, gamma, beta = _bn_case()
    y, cache = batchnorm_forward(z, gamma, beta, eps=EPS)
    dy = np.random.default_rng(6).normal(size=z.shape)
    args = [a.copy() for a in (dy, cache.zhat, cache.inv_std, gamma)]
    got, error = _call(fn, *args)
    if error is not None:
        return error
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        return Feedback(False, "return three arrays: (dz, dgamma, dbeta).")
    dz_exp, dgamma_exp, dbeta_exp = batchnorm_backward(dy, cache)
    shapes = (z.shape, gamma.shape, gamma.shape)
    parts = []
    for name, value, shape in zip(("dz", "dgamma", "dbeta"), got, shapes):
        arr, error = _as_array(name, value, shape)
        if error is not None:
            if name != "dz" and np.shape(value) in (z.shape, (1,) + shape):
                return Feedback(False, f"{name} should have shape {shape}: sum over the batch (axis=0).")
            return error
        parts.append(arr)
    dz, dgamma, dbeta = parts
    if _close(dgamma, dbeta_exp) and _close(dbeta, dgamma_exp):
        return Feedback(False, "dgamma and dbeta are swapped: dgamma = sum(dy * zhat), dbeta = sum(dy) over the batch.")
    for name, arr, exp in (("dgamma", dgamma, dgamma_exp), ("dbeta", dbeta, dbeta_exp)):
        if not _close(arr, exp):
            return compare_array(name, arr, exp)
    n, zhat, scale = len(dy), cache.zhat, gamma * cache.inv_std
    mistakes = [
        (scale * dy, "that is the inference-mode gradient: in training mode mu and var depend on every example, "
                     "so subtract the mean of dy and zhat times the mean of dy * zhat."),
        (scale * (dy - dy.mean(axis=0)), "you handled the mean but not the variance: also subtract "
                                         "zhat * mean(dy * zhat)."),
        (scale * (dy - zhat * (dy * zhat).mean(axis=0)), "you handled the variance but not the mean: also "
                                                         "subtract mean(dy)."),
        (cache.inv_std * (dy - dy.mean(axis=0) - zhat * (dy * zhat).mean(axis=0)),
         "you forgot gamma: y = gamma * zhat + beta, so dzhat = gamma * dy."),
        (scale / n * (dy - dy.mean(axis=0) - zhat * (dy * zhat).mean(axis=0)),
         "dz is 1/n too small: the 1/n lives inside the two means, not in front."),
    ]
    if not _close(dz, dz_exp):
        for wrong, message in mistakes:
            if _close(dz, wrong):
                return Feedback(False, message)
        return compare_array("dz", dz, dz_exp)
    return Feedback(True, "dz, dgamma and dbeta match hp.batchnorm_backward (itself checked against "
                          "finite differences).")


def _grads_case():
    rng = np.random.default_rng(7)
    return [(rng.normal(0, s, size=(4, 3)), rng.normal(0, s, size=3)) for s in (0.5, 3.0, 0.2)]


def check_clip_by_global_norm(fn) -> Feedback:
    """fn(grads, max_norm) -> grads scaled by min(1, max_norm / global norm), grads a list of (dW, db)."""
    grads = _grads_case()
    norm = global_norm(grads)
    for max_norm in (norm / 4, 2 * norm):
        copies = [(dW.copy(), db.copy()) for dW, db in grads]
        got, error = _call(fn, copies, max_norm)
        if error is not None:
            return error
        if any(not (np.array_equal(a, c) and np.array_equal(b, d)) for (a, b), (c, d) in zip(copies, grads)):
            return Feedback(False, "your function changed the gradients in place; return new arrays.")
        if not isinstance(got, (list, tuple)) or len(got) != len(grads) or any(
                not isinstance(g, (list, tuple)) or len(g) != 2 for g in got):
            return Feedback(False, f"return a list of {len(grads)} pairs (dW, db), like the input.")
        parts = []
        for i, ((dW, db), (gW, gb)) in enumerate(zip(grads, got)):
            for name, exp, value in ((f"dW of layer {i}", dW, gW), (f"db of layer {i}", db, gb)):
                arr, error = _as_array(name, value, exp.shape)
                if error is not None:
                    return error
                parts.append(arr)
        got = [(parts[2 * i], parts[2 * i + 1]) for i in range(len(grads))]
        expected = clip_by_global_norm(grads, max_norm)
        flat = lambda gs: np.concatenate([np.ravel(a) for g in gs for a in g])  # noqa: E731
        g, e = flat(got), flat(expected)
        if _close(g, e):
            continue
        if max_norm > norm:
            return Feedback(False, f"the global norm ({norm:.3g}) is already below max_norm ({max_norm:.3g}): "
                                   "leave the gradients as they are (scale by min(1, max_norm / norm)).")
        if _close(g, np.clip(flat(grads), -max_norm, max_norm)):
            return Feedback(False, "that is clipping by value (np.clip of each entry), which changes the direction; "
                                   "scale every array by the same factor max_norm / global norm.")
        per_layer = [tuple(a * min(1, max_norm / np.sqrt(np.sum(dW ** 2) + np.sum(db ** 2))) for a in (dW, db))
                     for dW, db in grads]
        per_array = [tuple(a * min(1, max_norm / np.linalg.norm(a)) for a in pair) for pair in grads]
        if _close(g, flat(per_layer)) or _close(g, flat(per_array)):
            return Feedback(False, "you clipped each layer (or each array) on its own. The global norm is "
                                   "sqrt(sum of squares of every entry of every array): one factor for all.")
        w_only = np.sqrt(sum(np.sum(dW ** 2) for dW, _ in grads))
        if _close(g, flat(grads) * max_norm / w_only):
            return Feedback(False, "your norm leaves out the biases: include every db in the sum of squares.")
        if abs(np.linalg.norm(g) - max_norm) > 1e-6 * max_norm:
            return Feedback(False, f"after clipping, the global norm should be max_norm = {max_norm:.4g}, "
                                   f"yours is {np.linalg.norm(g):.4g}.")
        return Feedback(False, "the global norm is right but the direction changed: multiply every array by "
                               "the same factor.")
    return Feedback(True, "your clipping matches hp.clip_by_global_norm: same direction, norm at most max_norm.")


def _moments(name, samples=2_000_000):
    z = np.random.default_rng(8).standard_normal(samples)
    a = get_activation(name).f(z)
    return a.mean(), a.var()


def check_selu_moments(selu_mean, selu_var, relu_mean, relu_var) -> Feedback:
    """Mean and variance of selu(z) and relu(z) for z ~ N(0, 1), estimated from about a million samples."""
    values = {"selu_mean": selu_mean, "selu_var": selu_var, "relu_mean": relu_mean, "relu_var": relu_var}
    for name, v in values.items():
        if isinstance(v, (np.ndarray, list, tuple)) and np.size(v) != 1:
            return Feedback(False, f"{name} should be one number, got an array of shape {np.shape(v)}; "
                                   "average over all the samples.")
        try:
            values[name] = float(np.asarray(v, dtype=np.float64).ravel()[0]) if np.size(v) else None
        except (TypeError, ValueError):
            values[name] = None
        if values[name] is None or not np.isfinite(values[name]):
            return Feedback(False, f"{name} should be a finite number, got {v!r}")
    exp = {"selu": _moments("selu"), "relu": _moments("relu")}
    tol = 0.01  # Monte-Carlo error of a million samples is about 0.001
    for act in ("selu", "relu"):
        mean, var = values[f"{act}_mean"], values[f"{act}_var"]
        m, v = exp[act]
        if abs(mean - m) > tol:
            if act == "selu" and abs(mean - exp["relu"][0]) < tol:
                return Feedback(False, "your selu_mean is relu's: use hp.get_activation('selu').f.")
            return Feedback(False, f"{act}_mean should be about {m:.3f}, got {mean:.3f}; draw z with "
                                   "rng.standard_normal(1_000_000) and average f(z).")
        if abs(var - v) > tol:
            if abs(var - np.sqrt(v)) < tol:
                return Feedback(False, f"{act}_var looks like a standard deviation: use .var(), not .std().")
            return Feedback(False, f"{act}_var should be about {v:.3f}, got {var:.3f}.")
    f2 = lambda x: f"{round(x, 2) + 0.0:.2f}"  # noqa: E731  (+ 0.0 turns -0.0 into 0.0)
    return Feedback(True, f"SELU maps N(0, 1) to mean {f2(exp['selu'][0])}, variance {f2(exp['selu'][1])}: its "
                          f"own fixed point. ReLU gives mean {f2(exp['relu'][0])}, variance {f2(exp['relu'][1])}: "
                          "shifted and shrunk, so a stack of ReLUs drifts.")
