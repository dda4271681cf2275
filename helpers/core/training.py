"""One SGD loop for every net of the series: forward, loss, backward, optional clipping, W <- W - lr * dW.
A loss that stops being finite ends the run quietly (History.diverged; the remaining steps are NaN)."""
from dataclasses import dataclass

import numpy as np

from .checks import check_array, check_grads, check_labels, check_memory, check_positive, check_rng, check_size
from .losses import accuracy, get_loss, softmax_cross_entropy
from .network import backward_pass, check_params, forward
from .stats import frobenius


@dataclass
class History:
    """Per-step records of a run (arrays of length `steps`; per-layer ones (steps, L)).

    loss, accuracy: on the step's batch, before the update;  grad_norm: ||dW_l|| before clipping;
    update_norm: ||lr * dW_l|| applied;  dead: fraction of dead units per hidden layer (L - 1 columns).
    state: a batch-normalized net's running averages after the latest step (None for other nets).
    """

    loss: np.ndarray
    accuracy: np.ndarray
    grad_norm: np.ndarray
    update_norm: np.ndarray
    dead: np.ndarray
    diverged: bool = False
    diverged_at: int | None = None
    state: list | None = None

    @property
    def final_loss(self) -> float:  # the last finite loss, inf once diverged
        finite = self.loss[np.isfinite(self.loss)]
        return float("inf") if self.diverged or not finite.size else float(finite[-1])

    def steps_to(self, target: float):
        """First step whose loss is at or below `target`, or None if it never gets there."""
        hit = np.flatnonzero(self.loss <= target)
        return int(hit[0]) if hit.size else None


def clip_by_value(grads, clip: float):
    """Each gradient entry limited to [-clip, clip] (clip > 0); grads is a list of tuples of arrays."""
    clip = check_positive("clip", clip)
    return [tuple(np.clip(g, -clip, clip) for g in layer) for layer in check_grads(grads)]


def global_norm(grads) -> float:
    """sqrt of the sum of squares of every gradient entry (any list of tuples of arrays), without overflow."""
    return frobenius(np.array([frobenius(g) for layer in check_grads(grads) for g in layer]))


def clip_by_global_norm(grads, max_norm: float):
    """All gradients scaled by min(1, max_norm / global_norm) (max_norm > 0): the direction is kept."""
    max_norm, norm = check_positive("max_norm", max_norm), global_norm(grads)
    if not np.isfinite(norm) or norm <= max_norm:
        return grads
    return [tuple(max_norm / norm * g for g in layer) for layer in grads]


def sgd_step(params, grads, lr: float):
    """New params p - lr dp for every array of every layer (the old ones are left untouched)."""
    lr = check_positive("lr", lr)
    if len(check_grads(grads)) != len(params) or any(len(g) != len(p) for p, g in zip(params, grads)):
        raise ValueError("grads must match params layer for layer, as backward returns them")
    return [tuple(p - lr * g for p, g in zip(layer, dl)) for layer, dl in zip(params, grads)]


def train(params, X, y, activation="relu", *, lr=0.1, steps=200, batch_size=None, rng=None,
          loss="cross_entropy", clip_value=None, clip_norm=None, callback=None, record=True,
          norm=None, state=None, residual=None):
    """Train a copy of `params` with SGD; return (trained params, History).

    batch_size None is full-batch; else mini-batches drawn from rng. clip_value / clip_norm clip each gradient
    entry / the global norm. callback(step, history) follows each step. record=False skips the per-layer records
    (faster). norm and residual as in forward; batch norm starts from `state` and leaves it in history.state.
    """
    check_params(params, norm)
    X = check_array("X", X, width=np.shape(params[0][0])[0])
    loss_fn = get_loss(loss)
    y = check_labels("y", y, len(X)) if loss_fn is softmax_cross_entropy else np.asarray(y, dtype=np.float64)
    lr, steps = check_positive("lr", lr), check_size("steps", steps)
    clip_value = None if clip_value is None else check_positive("clip_value", clip_value)
    clip_norm = None if clip_norm is None else check_positive("clip_norm", clip_norm)
    if batch_size is not None:
        batch_size, rng = min(check_size("batch_size", batch_size), len(X)), check_rng(rng)
        if norm == "batch" and batch_size < 2:
            raise ValueError("batch_size must be at least 2: batch norm estimates a variance from each batch")
    L = len(params)
    check_memory(f"the history of {steps} steps", 3 * steps * L)
    shapes = (steps, steps, (steps, L), (steps, L), (steps, L - 1))
    h = History(*(np.full(shape, np.nan) for shape in shapes), state=state)
    params = [tuple(np.array(p, dtype=np.float64) for p in layer) for layer in params]
    for step in range(steps):
        idx = slice(None) if batch_size is None else rng.choice(len(X), batch_size, replace=False)
        Xb, yb = X[idx], y[idx]
        with np.errstate(all="ignore"):
            out, cache = forward(params, Xb, activation, norm=norm, state=h.state, residual=residual)
            value, dout = loss_fn(out, yb)
            if not np.isfinite(value):
                h.diverged, h.diverged_at = True, step
                break
            slopes = [cache.activation.slope(y_, a) for y_, a in zip(cache.ys[:-1], cache.acts[:-1])]
            grads = backward_pass(params, cache, dout, slopes).grads  # f'(z) once: the dead units and backprop
            h.loss[step], h.state = value, cache.state
            if loss_fn is softmax_cross_entropy:
                h.accuracy[step] = accuracy(out, yb)
            if record:
                h.grad_norm[step] = [frobenius(g[0]) for g in grads]
                h.dead[step] = [np.mean(~np.any(s, axis=0)) for s in slopes]  # units with f' = 0 on every example
            if clip_value is not None:
                grads = clip_by_value(grads, clip_value)
            if clip_norm is not None:
                grads = clip_by_global_norm(grads, clip_norm)
            if record:
                h.update_norm[step] = [lr * frobenius(g[0]) for g in grads]
            params = sgd_step(params, grads, lr)
        if callback is not None:
            callback(step, h)
    return params, h


def evaluate(params, X, y, activation="relu", loss="cross_entropy", *, norm=None, state=None, residual=None):
    """(loss, accuracy) of params on X, y without training; a batch-normalized net uses its running
    averages `state` (inference mode). A diverged net gives (inf, NaN): no accuracy, not chance level."""
    loss_fn = get_loss(loss)
    out, _ = forward(params, X, activation, norm=norm, state=state, training=norm != "batch", residual=residual)
    with np.errstate(all="ignore"):
        value, _ = loss_fn(out, y)
    return value, accuracy(out, y) if loss_fn is softmax_cross_entropy else float("nan")
