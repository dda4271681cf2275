"""Notebook 07's experiments: the residual stream at initialization (C25), batch norm against layer norm
(C26), and the series' recipes trained on scikit-learn's 8x8 digits (C25, C27).

A residual net here is the core net with `residual=alpha` (see helpers/core/network.py): a stem layer
(n_in -> width), `blocks` square layers each adding alpha * F(x) to the stream x, and a linear read-out,
with F(x) = W relu(x) + b (a one-layer, pre-activation branch).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.checks import (check_array, check_choice, check_labels, check_memory, check_nonnegative, check_rng,
                           check_size)
from ..core.losses import softmax_cross_entropy
from ..core.network import backward_pass, check_params, forward, init_mlp
from ..core.stats import dead_fraction, frobenius
from ..core.training import evaluate, train

BLOCKS, WIDTH, BATCH = 100, 256, 64  # Claim C25's net: 100 blocks of 256 units, 64 random inputs
DIGIT_DEPTH, DIGIT_WIDTH, DIGIT_STEPS, DIGIT_BATCH = 20, 32, 120, 32  # the digits experiments' deep MLPs
CHANCE_LOSS = float(np.log(10))  # cross-entropy of a uniform guess over the 10 digits


def residual_sizes(n_in: int, width: int, blocks: int, n_out: int) -> list:
    """[n_in, width, width, ..., width, n_out]: a stem, `blocks` square layers (the residual blocks), a read-out."""
    n_in, width, blocks, n_out = (check_size(k, v) for k, v in
                                  (("n_in", n_in), ("width", width), ("blocks", blocks), ("n_out", n_out)))
    check_memory(f"a residual net of {blocks} blocks of width {width}", (blocks + 1) * width * width)
    return [n_in] + [width] * (blocks + 1) + [n_out]


def rms(x) -> float:
    """Root mean square sqrt(mean(x^2)) without overflow (inf if x is not finite)."""
    x = np.asarray(x, dtype=np.float64)
    return frobenius(x) / np.sqrt(max(x.size, 1))


def stream_theory(blocks: int, alpha: float, norm=None, q0: float = 1.0) -> np.ndarray:
    """Predicted rms(x_l) / rms(x_0), l = 0..blocks, for He-initialized ReLU branches F(x) = W relu(x).

    norm=None: E|x + alpha F(x)|^2 = (1 + alpha^2) E|x|^2 (the cross term has mean 0, and He's Var(W) = 2/n
    undoes ReLU's halving), so the ratio is (1 + alpha^2)^(l/2). With a normalized branch (pre-norm),
    F adds a fixed mean square alpha^2 per unit, so the ratio is sqrt(1 + l alpha^2 / q0), q0 = mean(x_0^2).
    """
    blocks, alpha = check_size("blocks", blocks), check_nonnegative("alpha", alpha)
    check_memory(f"stream_theory over {blocks} blocks", blocks + 1)
    layers = np.arange(blocks + 1)
    a2 = np.float64(alpha)
    with np.errstate(over="ignore", invalid="ignore"):  # a huge alpha overflows to inf: the ratio is inf
        a2 = a2 * a2
        if norm is None:
            ratio = np.exp(layers / 2 * np.log1p(a2))
        else:
            ratio = np.sqrt(1 + layers * a2 / check_nonnegative("q0", q0))
    return np.where(layers == 0, 1.0, ratio)  # x_0 / x_0 = 1 (not 0 * inf)


@dataclass(frozen=True)
class Growth:
    """The stream of one residual net at initialization; arrays over l = 0..blocks (x_0 is the stem's output).

    forward[l] = rms(x_l) / rms(x_0);  backward[l] = rms(dLoss/dx_l) / rms(dLoss/dx_blocks) (from a standard
    normal dLoss/d(out)); theory_forward = stream_theory(...), theory_backward[l] = theory_forward[-1] /
    theory_forward[l] (each block multiplies the gradient by the same factor as the signal).
    """

    alpha: float
    norm: str | None
    forward: np.ndarray
    backward: np.ndarray
    theory_forward: np.ndarray
    theory_backward: np.ndarray

    @property
    def blocks(self) -> int:
        return len(self.forward) - 1

    @property
    def forward_total(self) -> float:
        return float(self.forward[-1])

    @property
    def backward_total(self) -> float:
        return float(self.backward[0])

    @property
    def worst_factor(self) -> float:
        """Largest factor by which a layer's measured ratio (forward or backward) differs from the theory's."""
        with np.errstate(all="ignore"):
            r = np.abs(np.log(np.r_[self.forward / self.theory_forward, self.backward / self.theory_backward]))
        return float(np.exp(r.max())) if np.all(np.isfinite(r)) else float("inf")


def stream_sizes(params, X, activation="relu", *, rng, norm=None, residual=None):
    """(rms of x_l, rms of dLoss/dx_l) for every hidden layer l (arrays (L - 1,)), dLoss/d(out) standard normal.

    x_l is z_l of the core net: the residual stream (before any normalization)."""
    out, cache = forward(params, X, activation, norm=norm, residual=residual)
    back = backward_pass(params, cache, check_rng(rng).standard_normal(out.shape))
    return np.array([rms(z) for z in cache.zs[:-1]]), np.array([rms(d) for d in back.dzs[:-1]])


def residual_growth(alpha, *, rng, blocks: int = BLOCKS, width: int = WIDTH, batch: int = BATCH,
                    activation="relu", init="he_normal", norm=None, zero_branch: bool = False) -> Growth:
    """Measure the stream of a fresh residual net on `batch` standard-normal inputs (Claim C25).

    zero_branch=True starts every block's W and b at 0 (SkipInit / Fixup's zero-initialized last layer):
    each block is then the identity at initialization, whatever alpha is.
    """
    rng, alpha = check_rng(rng), check_nonnegative("alpha", alpha)
    sizes = residual_sizes(width, width, blocks, width)
    batch = check_size("batch", batch)
    check_memory(f"a batch of {batch} through {blocks} blocks of width {width}", 4.0 * batch * width * (blocks + 2))
    params = init_mlp(sizes, init, rng, norm=norm)
    if zero_branch:  # W = 0 (b is 0 already): the branch outputs 0 and the block passes x through
        params = [(np.zeros_like(layer[0]), *layer[1:]) if 0 < i <= blocks else layer for i, layer in enumerate(params)]
    X = rng.standard_normal((batch, width))
    fwd, bwd = stream_sizes(params, X, activation, rng=rng, norm=norm, residual=alpha)
    q0 = fwd[0] ** 2
    with np.errstate(all="ignore"):
        fwd, bwd = fwd[:blocks + 1] / fwd[0], bwd[:blocks + 1] / bwd[blocks]
    theory = stream_theory(blocks, 0.0 if zero_branch else alpha, norm, q0)
    return Growth(float(alpha), norm, fwd, bwd, theory, theory[-1] / theory)


@dataclass(frozen=True)
class BatchDependence:
    """How one net's training-mode output depends on the batch it is computed in (Claim C26).

    batch_sizes (k,). stat_spread[k]: put example 0 in `repeats` random batches of that size and take the mean
    that the normalization subtracts from its first-layer z (batch norm: the batch's mean per unit; layer
    norm: its own mean over units); the std of that mean over the batches, averaged over units.
    loss[k]: cross-entropy of the same examples computed in consecutive batches of that size; change[k]:
    largest change of any of their outputs from the largest batch size's. infer_gap: largest |training-mode
    output at the largest batch size - inference-mode output| (batch norm's inference uses `state`, by
    default the statistics of all of X).
    """

    norm: str
    batch_sizes: tuple
    stat_spread: np.ndarray
    loss: np.ndarray
    change: np.ndarray
    infer_gap: float


def batch_dependence(params, X, y, norm, *, rng, batch_sizes=(2, 8, 64), activation="relu", state=None,
                     repeats: int = 50) -> BatchDependence:
    """Feed X in batches of each size (training mode) and compare what comes out (Claim C26)."""
    norm = check_choice("norm", norm, ("batch", "layer"))
    check_params(params, norm)
    X = check_array("X", X, width=np.shape(params[0][0])[0])
    y = check_labels("y", y, len(X), np.shape(params[-1][0])[1])
    rng, outs, losses, spreads = check_rng(rng), [], [], []
    if isinstance(batch_sizes, (str, bytes)) or not np.iterable(batch_sizes) or not len(batch_sizes):
        raise ValueError(f"batch_sizes must be a non-empty list of batch sizes such as (2, 8, 64), got {batch_sizes!r}")
    sizes = tuple(check_size("batch size", b) for b in batch_sizes)
    if max(sizes) > len(X):
        raise ValueError(f"batch_sizes must be at most len(X) = {len(X)}, got {max(sizes)}")
    repeats = check_size("repeats", repeats)
    check_memory(f"{repeats} repeats of batches up to {max(sizes)}", float(repeats) * max(sizes) * X.shape[1])
    z = X @ params[0][0]  # the first layer's z, before normalization (a normalized layer has no b)
    for b in sizes:
        n = len(X) // b * b
        parts = [forward(params, X[i:i + b], activation, norm=norm)[0] for i in range(0, n, b)]
        outs.append(np.concatenate(parts))
        losses.append(softmax_cross_entropy(outs[-1], y[:n])[0])
        others = [rng.choice(np.arange(1, len(X)), b - 1, replace=False) for _ in range(repeats)]
        if norm == "batch":
            stats = np.array([np.r_[z[:1], z[o]].mean(axis=0) for o in others])
        else:  # layer norm: example 0's own mean over its units, whoever shares its batch
            stats = np.array([np.r_[z[:1], z[o]].mean(axis=1)[:1] for o in others])
        spreads.append(float(stats.std(axis=0).mean()))
    m = min(len(o) for o in outs)
    change = np.array([np.abs(o[:m] - outs[-1][:m]).max() for o in outs])
    if norm == "batch" and state is None:  # momentum 0: the running averages are the whole set's statistics
        state = forward(params, X, activation, norm=norm, momentum=0.0)[1].state
    inference = forward(params, X, activation, norm=norm, state=state, training=False)[0]
    gap = float(np.abs(inference[:len(outs[-1])] - outs[-1]).max())
    return BatchDependence(norm, sizes, np.array(spreads), np.array(losses), change, gap)


@dataclass(frozen=True)
class DigitRuns:
    """One recipe trained on the digits over several seeds (row s = seeds[s]).

    loss (seeds, steps): mini-batch training loss per step (NaN after a divergence); test_accuracy (seeds,)
    (NaN for a diverged run); dead (seeds,): fraction of hidden units dead on the whole training set at the
    end; diverged (seeds,) bool.
    """

    label: str
    seeds: tuple
    loss: np.ndarray
    test_accuracy: np.ndarray
    dead: np.ndarray
    diverged: np.ndarray

    @property
    def final_loss(self) -> np.ndarray:
        """Mean training loss over the last 20 steps per seed (inf if the run diverged)."""
        with np.errstate(all="ignore"):
            tail = self.loss[:, -20:].mean(axis=1)
        return np.where(self.diverged | ~np.isfinite(tail), np.inf, tail)

    def accuracy_summary(self) -> str:
        """'mean ± std (min-max)' of the test accuracy over the seeds that did not diverge, and how many did."""
        acc = self.test_accuracy[~self.diverged]
        text = (f"{acc.mean():.2f} ± {acc.std():.2f} ({acc.min():.2f}-{acc.max():.2f})" if acc.size
                else "no run finished")
        return text + (f", {int(self.diverged.sum())} of {len(self.seeds)} diverged" if self.diverged.any() else "")


def run_digits(data, seeds, *, activation="relu", init="he_normal", lr=0.05, residual=None, norm=None,
               depth: int = DIGIT_DEPTH, width: int = DIGIT_WIDTH, steps: int = DIGIT_STEPS,
               batch_size: int = DIGIT_BATCH, label=None) -> DigitRuns:
    """Train one deep MLP per seed on data = (X, y, X_test, y_test) with hp.train (mini-batches).

    Seed s draws the weights from default_rng(s) and the batches from default_rng(1000 + s). The net has
    `depth` hidden layers of `width` units (with residual=alpha, depth - 1 of them are residual blocks).
    """
    X, y, X_test, y_test = data
    seeds = tuple(int(s) for s in seeds)
    if not seeds:
        raise ValueError("seeds must list at least one seed, e.g. range(3)")
    width, depth = check_size("width", width), check_size("depth", depth)
    check_memory(f"a net of {depth} layers of width {width}", float(depth) * width * width)
    sizes = [X.shape[1]] + [width] * depth + [int(y.max()) + 1]
    kw = dict(norm=norm, residual=residual)
    rows = []
    for s in seeds:
        params = init_mlp(sizes, init, np.random.default_rng(s), norm=norm)
        trained, h = train(params, X, y, activation, lr=lr, steps=steps, batch_size=batch_size,
                           rng=np.random.default_rng(1000 + s), record=False, **kw)
        _, cache = forward(trained, X, activation, **kw)
        dead = np.mean([dead_fraction(z, cache.activation, a) for z, a in zip(cache.ys[:-1], cache.acts[:-1])])
        acc = np.nan if h.diverged else evaluate(trained, X_test, y_test, activation, **kw)[1]
        rows.append((h.loss, acc, dead, h.diverged))
    loss, acc, dead, div = (np.array(v) for v in zip(*rows))
    return DigitRuns(label or f"{init}, {activation}", seeds, loss, acc, dead, div.astype(bool))
