"""Notebook 04's narrow-net experiment (Claim C15: dead units cost capacity) and ELU's blow-up at lr 1.0.
Seeds fixed as in the notebook (data from SEED 0, nets from seeds 0-4)."""
import numpy as np
import pytest

import helpers as hp
from helpers import nb04_dying_relu as nb

SEEDS = range(5)


@pytest.fixture(scope="module")
def data():
    return nb.spiral_split(np.random.default_rng(0))


def test_C15_dead_units_cost_accuracy_in_a_narrow_net(data):
    X, y, X_te, y_te = data
    settings = {"relu 0.3": ("relu", None, 0.3), "relu 1.0": ("relu", None, 1.0),
                "leaky 1.0": ("leaky_relu", 0.01, 1.0), "elu 1.0": ("elu", None, 1.0)}
    runs = nb.narrow_runs(settings, SEEDS, X, y, X_te, y_te, steps=300)
    acc = {k: np.median(r.test_accuracy) for k, r in runs.items()}
    # a leaky or ELU unit's slope is never 0 (for |z| < 745), so none can die; ReLU at lr 1.0 loses units
    assert np.all(nb.live_width(runs["leaky 1.0"], 8) == 8) and np.all(nb.live_width(runs["elu 1.0"], 8) == 8)
    assert np.median(nb.live_width(runs["relu 1.0"], 8)) < np.median(nb.live_width(runs["relu 0.3"], 8))
    # the large rate costs ReLU held-out accuracy, and ELU at the same rate recovers it
    assert acc["relu 1.0"] < acc["relu 0.3"] - 0.1
    assert acc["elu 1.0"] > acc["relu 1.0"] + 0.1


def test_live_width_counts_a_fully_dead_layer_as_zero():
    runs = nb.SeedRuns("x", 1.0, [0], np.zeros((1, 3)), np.array([[[0.0, 0.0], [0.5, 1.0], [0.25, 1.0]]]),
                       np.array([0.5]), np.array([False]))
    assert nb.live_width(runs, 8).tolist() == [0]


def test_elu_gradient_runs_away_at_lr_1_where_relu_brakes(data):
    X, y, _, _ = data
    for seed in SEEDS:
        p0 = hp.init_mlp(list(nb.DYING_SIZES), "he_normal", np.random.default_rng(seed))
        elu = nb.blowup_trace(p0, X, y, "elu", lr=1.0, steps=9)
        relu = nb.blowup_trace(p0, X, y, "relu", lr=1.0, steps=9)
        # ELU: the gradient grows by orders of magnitude (or overflows) within 8 steps; ReLU: it shrinks
        # (after the blow-up a run may sit, every unit on one side, with a finite gradient: take the peak)
        assert elu.diverged_at is not None or np.nanmax(elu.grad_norm) > 100 * elu.grad_norm[0]
        assert relu.grad_norm[8] < relu.grad_norm[0]
