"""Notebook 04, dying ReLUs: the experiment's data split, runs over seeds and dead-unit traces.

The set-up every part shares: 2-D spirals (hp.make_spirals, noise 0.5) split in half into a
training and a test set, an MLP [2, 32, 32, 32, 2] with He-normal weights, and full-batch
gradient descent (hp.train with batch_size=None), so "dead on the batch" means dead on the
whole training set: f'(z) = 0 for every training example.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..core.checks import check_array, check_labels, check_memory, check_positive, check_size
from ..core.activations import get_activation
from ..core.data import make_spirals
from ..core.network import check_params, forward, init_mlp
from ..core.training import evaluate, train

DYING_SIZES = (2, 32, 32, 32, 2)
DYING_STEPS = 300
CHANCE_LOSS = float(np.log(2))  # cross-entropy of a 50/50 guess on two classes


def spiral_split(rng, n: int = 600, noise: float = 0.5):
    """(X, y, X_test, y_test): n two-arm spiral points, the first half to train on, the rest to test."""
    X, y = make_spirals(n, rng, noise=noise)
    half = n // 2
    return X[:half], y[:half], X[half:], y[half:]


def unit_activity(params, X, activation="relu"):
    """For each hidden layer, a (units, examples) boolean array: True where the unit's z > 0."""
    _, cache = forward(params, X, activation)
    return [z.T > 0 for z in cache.zs[:-1]]


@dataclass
class DeadTrace:
    """Which units are dead at each step of one run (dead[t, l, j]: unit j of hidden layer l+1
    has f'(z) = 0 for every example before update t; t = steps is after the last update).

    frozen_change: the largest change any update made to the incoming weights or bias of a unit
    that was dead when the update was computed (0.0 exactly: a dead unit's gradient is 0).
    """

    dead: np.ndarray
    history: object
    params: list
    frozen_change: float

    def revivals(self) -> np.ndarray:
        """Per hidden layer, how many times a unit dead before one update was alive after it."""
        return np.sum(self.dead[:-1] & ~self.dead[1:], axis=(0, 2))

    def ever_dead(self) -> np.ndarray:
        """Per hidden layer, how many units were dead at some step."""
        return np.sum(self.dead.any(axis=0), axis=1)


def trace_dead_units(params, X, y, activation="relu", *, lr=0.1, steps=DYING_STEPS) -> DeadTrace:
    """Train like hp.train (full batch, so the same numbers) one step at a time, recording every unit."""
    act, steps = get_activation(activation), check_size("steps", steps)
    hidden = sum(z.shape[1] for z in forward(params, X, act)[1].zs[:-1])  # forward checks params and X
    check_memory("a trace of this many steps", 2.0 * steps * (hidden + 8))
    dead, frozen, history = [], 0.0, []
    for t in range(steps + 1):
        _, cache = forward(params, X, act)
        dead.append([np.all(act.df(z) == 0, axis=0) for z in cache.zs[:-1]])
        if t == steps:
            break
        new, h = train(params, X, y, act, lr=lr, steps=1)
        history.append(h)
        for l, mask in enumerate(dead[-1]):
            (W0, b0), (W1, b1) = params[l], new[l]
            if mask.any():
                with np.errstate(all="ignore"):
                    change = max(np.max(np.abs(W1[:, mask] - W0[:, mask])), np.max(np.abs(b1[mask] - b0[mask])))
                frozen = max(frozen, float(change) if np.isfinite(change) else np.inf)
        params = new
    h = history[0]
    for k in ("loss", "accuracy", "grad_norm", "update_norm", "dead"):
        setattr(h, k, np.concatenate([getattr(x, k) for x in history]))
    bad = [t for t, x in enumerate(history) if x.diverged]
    h.diverged, h.diverged_at = bool(bad), (bad[0] if bad else None)
    return DeadTrace(np.array(dead), h, params, frozen)


@dataclass
class SeedRuns:
    """Runs of one activation and learning rate over several seeds (row s = seeds[s]).

    loss (seeds, steps): training loss before each update (NaN once diverged);
    dead (seeds, steps, hidden layers); test_accuracy (seeds,); diverged (seeds,) bool.
    """

    label: str
    lr: float
    seeds: list
    loss: np.ndarray
    dead: np.ndarray
    test_accuracy: np.ndarray
    diverged: np.ndarray

    @property
    def final_loss(self) -> np.ndarray:
        """Mean training loss over the last tenth of the steps, per seed (inf if the run diverged).

        Averaging smooths the spikes of full-batch descent at a large learning rate.
        """
        tail = self.loss[:, -max(1, self.loss.shape[1] // 10):]
        with np.errstate(all="ignore"):
            return np.where(self.diverged | ~np.all(np.isfinite(tail), axis=1), np.inf, tail.mean(axis=1))

    @property
    def failed(self) -> np.ndarray:
        """Runs that diverged or ended no better than a 50/50 guess (final loss >= ln 2)."""
        return ~(self.final_loss < CHANCE_LOSS)

    @property
    def final_dead(self) -> np.ndarray:
        """Fraction of all hidden units dead at the last step each seed reached (seeds,)."""
        return self.final_layer_dead.mean(axis=1)

    def steps_to(self, target: float) -> np.ndarray:
        """First step at which each seed's training loss is at or below `target` (inf if never)."""
        with np.errstate(invalid="ignore"):
            hit = self.loss <= target
        return np.where(hit.any(axis=1), np.argmax(hit, axis=1), np.inf)

    @property
    def final_layer_dead(self) -> np.ndarray:
        """Fraction of each hidden layer dead at the last step each seed reached (seeds, layers)."""
        return np.array([(d[np.isfinite(d).all(axis=1)][-1:] if np.isfinite(d).all(axis=1).any()
                          else np.full((1, d.shape[1]), np.nan))[0] for d in self.dead])  # NaN: diverged at step 0

    @property
    def peak_layer_dead(self) -> np.ndarray:
        """Largest fraction of one layer dead at any step, per seed (seeds,)."""
        seen = np.isfinite(self.dead).any(axis=(1, 2))
        with np.errstate(all="ignore"):
            return np.where(seen, np.max(np.where(np.isfinite(self.dead), self.dead, -np.inf), axis=(1, 2)), np.nan)


def run_seeds(activation, lr, seeds, X, y, X_test, y_test, *, alpha=None, sizes=DYING_SIZES,
              steps=DYING_STEPS, bias=0.0, init="he_normal", label=None) -> SeedRuns:
    """Train one net per seed (init from np.random.default_rng(seed)) as hp.train does, full batch.

    Keeps each run's loss and dead fractions per step and its accuracy on (X_test, y_test);
    `label` names the runs in legends (default: the activation's label). The seeds' nets are trained
    side by side by train_stacked: the same numbers as hp.train, bit for bit, in about half the time.
    """
    act, seeds = get_activation(activation, alpha), list(seeds)
    if not seeds:
        raise ValueError("seeds must list at least one seed, e.g. range(5)")
    nets = [init_mlp(list(sizes), init, np.random.default_rng(seed), bias=bias) for seed in seeds]
    trained, loss, dead, div = train_stacked(nets, X, y, act, lr=lr, steps=steps)
    acc = np.array([evaluate(p, X_test, y_test, act)[1] for p in trained])
    return SeedRuns(label or act.label, float(lr), seeds, loss, dead, acc, div)


def train_stacked(nets, X, y, activation="relu", *, lr=0.1, steps=DYING_STEPS):
    """hp.train(net, X, y, activation, lr=lr, steps=steps) for every net of a list (same sizes), computed
    on stacked arrays (one numpy call per layer for all nets): the same numbers, bit for bit.

    Returns (trained nets, loss (nets, steps), dead fractions (nets, steps, hidden layers), diverged (nets,)).
    A net stops where its loss stops being finite, as in hp.train (NaN from that step on).
    """
    act, lr, steps = get_activation(activation), check_positive("lr", lr), check_size("steps", steps)
    if not isinstance(nets, (list, tuple)) or not nets:
        raise ValueError("nets must be a non-empty list of nets [(W, b), ...] as init_mlp makes them")
    for p in nets:
        check_params(p)
        if [np.shape(W) for W, _ in p] != [np.shape(W) for W, _ in nets[0]]:
            raise ValueError("nets must all have the same layer sizes, to be trained side by side")
    X, n = check_array("X", X, width=np.shape(nets[0][0][0])[0]), len(nets)
    y = check_labels("y", y, len(X), np.shape(nets[0][-1][0])[1])
    widths, classes = [np.shape(W)[1] for W, _ in nets[0]], np.shape(nets[0][-1][0])[1]
    check_memory("the stacked nets' records", n * steps * (2.0 * len(widths) + sum(widths)))
    # every net's parameters in one row of `flat`, its gradients in one row of `grads` (the W and b below are views):
    # one multiply and one subtract make every step W - lr dW, the same numbers as sgd_step. One net is trained on
    # 2-D arrays (the very numpy calls of hp.train), several on stacked 3-D ones (one call per layer for all nets).
    flat = np.array([np.concatenate([np.ravel(a) for layer in p for a in layer]) for p in nets], dtype=np.float64)
    grads, scaled, at, W3s, b2s, dW3s, db2s = np.empty_like(flat), np.empty_like(flat), 0, [], [], [], []
    for m, k in (np.shape(W) for W, _ in nets[0]):
        for buf, W_, b_ in ((flat, W3s, b2s), (grads, dW3s, db2s)):
            W_.append(buf[:, at:at + m * k].reshape(n, m, k)), b_.append(buf[:, at + m * k:at + m * k + k])
        at += m * k + k
    lead = () if n == 1 else (n,)
    Ws, dWs, dbs = ([v[0] if n == 1 else v for v in vs] for vs in (W3s, dW3s, db2s))
    bs, WTs = [b[0] if n == 1 else b[:, None, :] for b in b2s], [np.swapaxes(W, -1, -2) for W in Ws]
    keep = lambda k: [(W[k].copy(), b[k].copy()) for W, b in zip(W3s, b2s)]  # noqa: E731
    alive = [np.zeros((steps, *lead, w), dtype=bool) for w in widths[:-1]]  # per step: units with f' != 0 somewhere
    loss, stop, last, final = np.full((n, steps), np.nan), np.full(n, steps), len(Ws) - 1, [None] * n
    picks, ones, f, slope = np.arange(len(X)) * classes + y, np.ones(len(X)), act.f, act.slope  # log p[i, y_i]
    with np.errstate(all="ignore"):
        for step in range(steps):
            slopes, acts, a = [], [X], X
            for i in range(last + 1):  # forward, as core.network.forward
                z = a @ Ws[i]
                z += bs[i]
                if i < last:
                    a = f(z)
                    acts.append(a), slopes.append(slope(z, a))  # f'(z), once for the dead units and backprop
            # softmax cross-entropy, as core.losses (two classes: a row's max and sum of two numbers, computed faster)
            shifted = z - (np.maximum(z[..., :1], z[..., 1:]) if classes == 2 else z.max(axis=-1, keepdims=True))
            e = np.exp(shifted)
            log_p = shifted - np.log(e[..., :1] + e[..., 1:] if classes == 2 else e.sum(axis=-1, keepdims=True))
            # the mean loss as ndarray.mean computes it (a sum of a contiguous array, pairwise, then / n)
            value = -(np.add.reduce(np.ascontiguousarray(log_p.reshape(*lead, -1)[..., picks]), axis=-1) / len(X))
            if not np.isfinite(value).all():
                for k in np.flatnonzero((stop == steps) & ~np.isfinite(value)):  # diverged: hp.train stops here,
                    final[k], stop[k] = keep(k), step  # with the weights from before this step
                if (stop < steps).all():
                    break
            loss[:, step] = value
            for d, seen in zip(slopes, alive):
                np.any(d, axis=-2, out=seen[step])
            dz = np.exp(log_p)
            dz.reshape(*lead, -1)[..., picks] -= 1.0
            dz /= len(X)
            for i in range(last, -1, -1):  # backward, as core.network.backward_pass
                np.matmul(np.swapaxes(acts[i], -1, -2), dz, out=dWs[i])
                np.matmul(ones, dz, out=dbs[i])
                if i:
                    da = dz @ WTs[i]
                    dz = np.multiply(da, slopes[i - 1], out=da)  # as Activation.backprop
            np.subtract(flat, np.multiply(grads, lr, out=scaled), out=flat)  # every W - lr * dW at once
    # hp.train's np.mean(~np.any(f', axis=0)): a fraction with the count of dead units over the width, exactly
    dead = np.stack([(w - np.moveaxis(s, 0, -2).reshape(n, steps, w).sum(axis=-1)) / w
                     for w, s in zip(widths, alive)], axis=-1)
    for k in range(n):  # a net that diverged has NaN records from the step it stopped at, and its weights from then
        loss[k, stop[k]:], dead[k, stop[k]:], final[k] = np.nan, np.nan, final[k] or keep(k)
    return final, loss, dead, stop < steps


def time_per_call(f, x, repeats: int = 20) -> float:
    """Best-of-`repeats` wall time of f(x) in seconds (the minimum is the least noisy estimate)."""
    if not callable(f):
        raise TypeError(f"f must be a function to time, got {type(f).__name__}")
    if check_size("repeats", repeats) > 10_000:
        raise ValueError(f"repeats must be at most 10000 (the best of a few runs is enough), got {repeats}")
    best = np.inf
    for _ in range(repeats):
        t0 = time.perf_counter()
        with np.errstate(all="ignore"):
            f(x)
        best = min(best, time.perf_counter() - t0)
    return best
