"""Notebook 05's experiment: a deep net on the moons, with or without batch norm and gradient clipping."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..core.activations import get_activation
from ..core.checks import check_choice, check_memory, check_positive, check_size
from ..core.data import make_moons
from ..core.losses import accuracy, softmax_cross_entropy
from ..core.network import init_mlp
from ..core.normalization import EPS, MOMENTUM
from ..core.stats import LayerStats, frobenius, layer_stats
from ..core.training import History

__all__ = ["normalization_run", "NormalizationRun"]

WIDTH, STEPS, BATCH, STATS_BATCH = 32, 80, 32, 128


@lru_cache(maxsize=1)
def _data():
    return make_moons(256, np.random.default_rng(0))


@lru_cache(maxsize=16)
def _initial_stats(sizes, init, activation, norm, seed) -> LayerStats:
    """The net's statistics at initialization: the same whatever the learning rate or the clipping, so
    moving those controls does not measure them again."""
    params = init_mlp(list(sizes), init, np.random.default_rng(seed + 1), norm=norm)
    return layer_stats(params, _data()[0][:STATS_BATCH], activation, rng=np.random.default_rng(0), norm=norm)


@lru_cache(maxsize=16)
def _initial_params(sizes, init, norm, seed):
    """The net before training, drawn once per depth, initialization and norm (read-only: training copies it)."""
    params = init_mlp(list(sizes), init, np.random.default_rng(seed + 1), norm=norm)
    for p in (p for layer in params for p in layer):
        p.setflags(write=False)
    return params


@lru_cache(maxsize=4)
def _batches(seed, steps):
    """Each step's mini-batch (X, y), drawn as train draws them from rng(seed + 2): the same for every setting."""
    X, y = _data()
    rng = np.random.default_rng(seed + 2)
    batches = [(X[idx], y[idx]) for idx in (rng.choice(len(X), BATCH, replace=False) for _ in range(steps))]
    for p in (p for batch in batches for p in batch):
        p.setflags(write=False)
    return batches


def _flat(params):
    """One flat float64 copy of params, slot by slot (every W, then every b or gamma, then every beta): the copy,
    its views shaped like params (layer by layer), and each slot's arrays as the rows of 2-D views (runs of equal
    size), so that one call measures the norm of every array of a slot."""
    slots = [[layer[k] for layer in params if len(layer) > k] for k in range(max(map(len, params)))]
    flat = np.concatenate([np.ravel(p) for slot in slots for p in slot]).astype(np.float64)
    views, rows, k = [[] for _ in params], [], 0
    for s, slot in enumerate(slots):
        rows.append([])
        for i, p in enumerate(slot):
            if i == 0 or np.size(p) != np.size(slot[i - 1]):
                rows[-1].append([k, 0, np.size(p)])
            rows[-1][-1][1] += 1
            views[i].append(flat[k:(k := k + np.size(p))].reshape(np.shape(p)))
    rows = [[flat[k:k + n * size].reshape(n, size) for k, n, size in slot] for slot in rows]
    return flat, [tuple(v) for v in views], rows


def _norms(rows) -> np.ndarray:
    """[frobenius(row) for each row of each 2-D array in rows]: the same floats as frobenius, whose fast path is one
    BLAS dot per row, as a stacked (1, n) @ (n, 1) matmul is (numpy switches it to the same dot); the rest (norms
    out of range, inf, NaN) is left to frobenius itself."""
    with np.errstate(all="ignore"):
        norms = np.sqrt(np.concatenate([(r[:, None, :] @ r[:, :, None]).ravel() for r in rows]))
        slow = ~((norms > 1e-140) & (norms < 1e140))
    if slow.any():
        every = [row for r in rows for row in r]
        norms[slow] = [frobenius(every[j]) for j in np.flatnonzero(slow)]
    return norms


def sgd_run(params, batches, act, *, norm, lr, clip, threshold) -> History:
    """The History that helpers.core.training.train(params, X, y, act, norm=norm, lr=lr, batch_size=BATCH,
    clip_value/clip_norm=threshold, ...) records on these `batches` (the same floating-point operations in the same
    order: tests/nb05_normalization pin every record equal), with less Python per layer (issue 16): no input checks
    inside the loop, parameters and gradients in one flat buffer each (so clipping and W <- W - lr dW are one
    operation for all layers), and batch norm's running averages computed after the loop. It specialises
    core/network.py's forward and backward_pass and core/normalization.py's batch norm for this run (train's
    cross-entropy, accuracy, activations and frobenius are called as they are)."""
    P, W, prows = _flat(params)
    G, dW, rows = _flat(params)
    order = [(i, k) for i, layer in enumerate(params) for k in range(len(layer))]  # global_norm's order of arrays
    slot = [np.array([j for j, (_, k) in enumerate(order) if k == s]) for s in range(len(rows))]
    L, m, steps = len(params), len(batches[0][0]), len(batches)
    hidden, bn, ones, w = L - 1, norm == "batch", np.ones(m), np.full(m, 1.0 / m)
    check_memory(f"the history of {steps} steps", 3 * steps * L)
    shapes = (steps, steps, (steps, L), (steps, L), (steps, L - 1))
    h = History(*(np.full(shape, np.nan) for shape in shapes))
    moments = np.empty((2, steps, hidden, W[0][0].shape[1])) if bn else None
    inv_std = np.empty((hidden, W[0][0].shape[1])) if bn else None
    gammas = prows[1][0][:hidden] if bn else None  # every hidden layer's gamma: a view of P
    with np.errstate(all="ignore"):
        for step, (Xb, yb) in enumerate(batches):
            a, ys, acts, cached = Xb, [], [], []
            for i, (Wi, *rest) in enumerate(W):  # forward (network.forward)
                z = a @ Wi
                if i == hidden or not bn:
                    z += rest[-1]
                    y = z
                else:  # normalization.normalize, batch statistics
                    mu, var, inv = moments[0, step, i], moments[1, step, i], inv_std[i]
                    zhat = z - np.matmul(w, z, out=mu)
                    np.matmul(w, zhat * zhat, out=var)
                    np.divide(1.0, np.sqrt(np.add(var, EPS, out=inv), out=inv), out=inv)  # 1 / sqrt(var + eps)
                    zhat *= inv
                    y = zhat * rest[0]
                    y += rest[1]
                    cached.append(zhat)
                a = y if i == hidden else act.f(y)
                ys.append(y), acts.append(a)
            value, dz = softmax_cross_entropy(a, yb)
            if not np.isfinite(value):
                h.diverged, h.diverged_at = True, step
                break
            slopes = [act.slope(y_, a_) for y_, a_ in zip(ys[:-1], acts[:-1])]
            if bn:  # gamma / sqrt(var + eps) of every layer in one operation
                scale = gammas * inv_std
            for i in range(hidden, -1, -1):  # backward (network.backward_pass with slopes)
                a_prev, g = acts[i - 1] if i else Xb, dW[i]
                if bn and i < hidden:  # normalization.normalize_backward, batch norm in training
                    zhat = cached[i]
                    np.matmul(ones, dz * zhat, out=g[1]), np.matmul(ones, dz, out=g[2])
                    dz = dz - g[2] / m
                    dz -= zhat * (g[1] / m)
                    dz *= scale[i]
                    np.matmul(a_prev.T, dz, out=g[0])
                else:
                    np.matmul(a_prev.T, dz, out=g[0]), np.matmul(ones, dz, out=g[1])
                if i:
                    da = dz @ W[i][0].T
                    dz = np.multiply(da, slopes[i - 1], out=da)
            h.loss[step], h.accuracy[step] = value, accuracy(a, yb)
            h.grad_norm[step] = before = _norms(rows[0])
            if slopes:  # units with f' = 0 on every example
                h.dead[step] = np.mean(~np.any(np.stack(slopes), axis=1), axis=1)
            changed = clip == "value"
            if clip == "value":  # training.clip_by_value
                np.clip(G, -threshold, threshold, out=G)
            elif clip == "norm":  # training.clip_by_global_norm
                every = np.empty(len(order))
                for k, where in enumerate(slot):
                    every[where] = before if k == 0 else _norms(rows[k])
                total = frobenius(every)
                if changed := np.isfinite(total) and total > threshold:
                    G *= threshold / total
            h.update_norm[step] = lr * (_norms(rows[0]) if changed else before)
            P -= lr * G  # training.sgd_step
    done = h.diverged_at if h.diverged else steps
    if bn and done:  # running averages as forward updates them, step by step, every layer at once
        mean, var = np.zeros(moments.shape[2:]), np.ones(moments.shape[2:])
        for t in range(done):
            mean = MOMENTUM * mean + (1 - MOMENTUM) * moments[0, t]
            var = MOMENTUM * var + (1 - MOMENTUM) * moments[1, t]
        h.state = list(zip(mean, var))
    return h


@dataclass
class NormalizationRun:
    """At initialization: per-layer `stats` (LayerStats). In training: `history` (hp.History) and the
    global weight-gradient norm of each step before and after clipping (`norm_before`, `norm_after`)."""

    stats: LayerStats
    history: History
    norm_before: np.ndarray
    norm_after: np.ndarray
    clip: str
    threshold: float
    lr: float


def normalization_run(depth=10, init="he_normal", activation="relu", batch_norm=False, clip="norm",
                      threshold=1.0, lr=0.5, *, width=WIDTH, steps=STEPS, seed: int) -> NormalizationRun:
    """Build a net of `depth` weight layers (width units each) on the two moons, measure it at initialization,
    then train it for `steps` mini-batch SGD steps, clipping gradients `clip` ("none", "norm", "value")."""
    depth, width = check_size("depth", depth), check_size("width", width)
    check_memory(f"a net of {depth} layers of width {width}", depth * width * (width + 1))
    clip = check_choice("clip", clip, ("none", "norm", "value"))
    rate, steps = check_positive("lr", lr), check_size("steps", steps)
    limit = None if clip == "none" else check_positive("clip_value" if clip == "value" else "clip_norm", threshold)
    sizes = (2,) + (width,) * (depth - 1) + (2,)
    norm = "batch" if batch_norm else None
    stats = _initial_stats(sizes, init, activation, norm, seed)
    history = sgd_run(_initial_params(sizes, init, norm, seed), _batches(seed, steps), get_activation(activation),
                      norm=norm, lr=rate, clip=clip, threshold=limit)
    with np.errstate(all="ignore"):
        before = np.sqrt(np.sum(history.grad_norm ** 2, axis=1))
        after = np.sqrt(np.sum(history.update_norm ** 2, axis=1)) / lr
    return NormalizationRun(stats, history, before, after, clip, threshold, lr)
