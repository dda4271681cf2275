"""When dead units cost something (notebook 04, Claim C15), and what makes ELU blow up at a large learning rate.

A dead ReLU unit is a unit the net no longer has: in a narrow net the survivors may be too few to fit the data.
`narrow_runs` trains a narrow net per activation and learning rate over seeds (through run_seeds), and
`live_width` counts the units each run still has. `blowup_trace` follows one run step by step, recording the
largest pre-activation of each sign, the gradient norm and the loss, to show which of them runs away first.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.activations import get_activation
from ..core.checks import check_memory, check_positive, check_size
from ..core.losses import softmax_cross_entropy
from ..core.network import backward_pass, forward
from ..core.training import global_norm, sgd_step
from .experiments import SeedRuns, run_seeds

NARROW_SIZES = (2, 8, 8, 8, 2)


def narrow_runs(settings, seeds, X, y, X_test, y_test, *, sizes=NARROW_SIZES, steps: int = 300, progress=None):
    """{label: SeedRuns} for settings {label: (activation, alpha, lr)}, each trained from every seed."""
    if not isinstance(settings, dict):
        raise TypeError(f"settings must be a dict {{label: (activation, alpha, lr)}}, got {type(settings).__name__}")
    runs = {}
    for label, (activation, alpha, lr) in settings.items():
        if progress is not None:
            progress(label)
        runs[label] = run_seeds(activation, lr, seeds, X, y, X_test, y_test, alpha=alpha, sizes=sizes,
                                steps=steps, label=label)
    return runs


def live_width(runs, width: int) -> np.ndarray:
    """Live units (not dead at the end) in each seed's narrowest hidden layer, (seeds,); a layer of width
    `width`. 0 means one whole layer died: the output no longer depends on the input."""
    if not isinstance(runs, SeedRuns):
        raise TypeError(f"runs must be a SeedRuns (as run_seeds returns), got {type(runs).__name__}")
    width = check_size("width", width)
    return np.rint(width * (1 - np.nan_to_num(runs.final_layer_dead, nan=1.0).max(axis=1))).astype(int)


@dataclass(frozen=True)
class Blowup:
    """Per-step records of one full-batch run (arrays of length steps; NaN after divergence).

    z_max, z_min: the largest and smallest pre-activation over all hidden layers and examples;
    grad_norm: global norm of the gradient; loss: training loss; diverged_at: first step whose loss is not finite.
    """

    loss: np.ndarray
    grad_norm: np.ndarray
    z_max: np.ndarray
    z_min: np.ndarray
    diverged_at: int | None


def blowup_trace(params, X, y, activation="elu", *, lr: float = 1.0, steps: int = 60) -> Blowup:
    """Train params with plain gradient descent (as hp.train does) and record what grows on the way."""
    act, lr, steps = get_activation(activation), check_positive("lr", lr), check_size("steps", steps)
    check_memory(f"the records of {steps} steps", 4 * steps)
    rec = np.full((4, steps), np.nan)
    diverged_at = None
    for step in range(steps):
        with np.errstate(all="ignore"):
            out, cache = forward(params, X, act)
            loss, dout = softmax_cross_entropy(out, y)
            zs = cache.zs[:-1]
            if not np.isfinite(loss) or not all(np.all(np.isfinite(z)) for z in zs):
                diverged_at = step
                break
            grads = backward_pass(params, cache, dout).grads
            rec[:, step] = (loss, global_norm(grads), max(z.max() for z in zs), min(z.min() for z in zs))
            params = sgd_step(params, grads, lr)
    return Blowup(rec[0], rec[1], rec[2], rec[3], diverged_at)
