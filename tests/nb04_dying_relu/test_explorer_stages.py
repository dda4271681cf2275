"""Notebook 04's explorer computes in stages cached apart (issue 16): a run to more steps continues from a shorter
one, the slope f'(z) is computed once per step. Whatever the order of the moves, the figure shows exactly what one
hp.train run from the initial weights gives."""
import numpy as np
import pytest

import helpers as hp
from helpers.nb04_dying_relu import explorer as dr


def shown(ex):
    """(dead fractions per hidden layer, training loss) as the explorer's lines hold them."""
    ax_dead, ax_loss = ex.fig.axes[1], ex.fig.axes[2]
    return np.array([line.get_ydata() for line in ax_dead.lines]).T, ax_loss.lines[0].get_ydata()


def one_run(activation, alpha, lr, bias, seed, steps):
    X, y, _, _ = hp.nb04_dying_relu.spiral_split(np.random.default_rng(0), n=400)
    params = hp.init_mlp([2, 32, 32, 32, 2], "he_normal", np.random.default_rng(seed), bias=bias)
    return hp.train(params, X, y, hp.get_activation(activation, alpha), lr=lr, steps=steps)[1]


@pytest.mark.parametrize("setting, path", [
    (dict(activation="selu", alpha=1.0, lr=0.5, bias=0.1, seed=7), (600, 200, 360, 20, 360)),  # longer, then shorter
    (dict(activation="elu", alpha=1.0, lr=3.0, bias=0.0, seed=2), (40, 600, 100)),  # diverges at step 10
    (dict(activation="leaky_relu", alpha=0.2, lr=0.05, bias=-0.2, seed=2), (60, 120, 80)),
])
def test_runs_continued_over_steps_equal_one_run(setting, path):
    ex = hp.nb04_dying_relu.dying_relu_explorer()
    ex.presets["here"] = {**ex.values(), **setting, "steps": path[0]}
    ex.apply("here")
    for steps in path:
        ex.controls["steps"].value = steps
        h = one_run(setting["activation"], setting["alpha"], setting["lr"], setting["bias"], setting["seed"], steps)
        dead, loss = shown(ex)
        np.testing.assert_array_equal(dead, h.dead)  # bit for bit, NaN where the run had diverged
        np.testing.assert_array_equal(loss, np.where(np.isfinite(h.loss), h.loss, np.nan))
        words = [t.get_text() for t in ex.fig.axes[1].texts if t.get_visible()]
        assert words == ([f"diverged at step {h.diverged_at}"] if h.diverged else [])
        final = "diverged" if h.diverged else f"{h.final_loss:.3g}"
        assert f"final training loss <b>{final}</b>" in ex.readout.value
    assert any(one_run(**setting, steps=s).diverged for s in path) == (setting["lr"] == 3.0)  # both paths taken


def same(a, b):
    return np.array_equal(a, b, equal_nan=True)


def test_a_run_that_diverges_after_the_steps_it_continues_from():
    """Below the slider's 20 steps: 5 steps, then 35 more that diverge at step 10 of the whole run."""
    X, y, _, _ = hp.nb04_dying_relu.spiral_split(np.random.default_rng(0), n=400)
    for steps in (5, 40, 8, 12):
        params, h = dr._trained(3.0, "elu", 1.0, 0.0, 2, steps)
        p0 = hp.init_mlp([2, 32, 32, 32, 2], "he_normal", np.random.default_rng(2))
        p1, one = hp.train(p0, X, y, hp.get_activation("elu", 1.0), lr=3.0, steps=steps)
        assert (h.diverged, h.diverged_at) == (one.diverged, one.diverged_at) == (steps > 10, 10 if steps > 10 else None)
        assert same(h.loss, one.loss) and same(h.dead, one.dead)
        assert all(same(u, v) for a, b in zip(params, p1) for u, v in zip(a, b))  # the weights before the blow-up


def plain(lr, activation, alpha, bias, steps, seed):
    """What the explorer showed before issue 16 made it fast: one hp.train run from the seed's initial weights."""
    X, y, X_test, y_test = hp.nb04_dying_relu.spiral_split(np.random.default_rng(0), n=400)
    act = hp.get_activation(activation, alpha if activation in ("leaky_relu", "elu") else None)
    params = hp.init_mlp([2, 32, 32, 32, 2], "he_normal", np.random.default_rng(seed), bias=bias)
    trained, h = hp.train(params, X, y, act, lr=lr, steps=steps)
    grid = hp.nb04_dying_relu.decision_grid(trained, X, act, resolution=60, margin=0.3)
    return trained, h, grid, hp.evaluate(trained, X_test, y_test, act)[1]


@pytest.mark.parametrize("setting, path", [
    (dict(activation="relu", alpha=0.01, lr=1.0, bias=0.0, seed=0), (200, 180, 240, 20)),  # side_by_side's A
    (dict(activation="leaky_relu", alpha=0.01, lr=1.0, bias=0.0, seed=0), (200, 140, 220)),  # and its B
    (dict(activation="relu", alpha=0.01, lr=3.0, bias=0.0, seed=5), (20, 5, 11, 12, 80)),  # diverges at step 11
    (dict(activation="selu", alpha=1.0, lr=0.01, bias=0.5, seed=9), (60, 100, 40)),  # BENCH's, fewer steps
    (dict(activation="leaky_relu", alpha=0.2, lr=1.0, bias=-0.5, seed=3), (120, 60)),
])
def test_the_fast_compute_equals_the_plain_one_bit_for_bit(setting, path):
    """Chunked runs, kept weights, train_stacked on one net: the numbers drawn and read out are hp.train's own."""
    for steps in path:
        r = dr._compute(**setting, steps=steps)
        trained, h, grid, test_acc = plain(**setting, steps=steps)
        assert (r["h"].diverged, r["h"].diverged_at) == (h.diverged, h.diverged_at)
        assert same(r["h"].loss, h.loss) and same(r["h"].dead, h.dead) and r["h"].final_loss == h.final_loss
        assert same(r["grid"].proba, grid.proba) and same(r["grid"].label, grid.label) and same(r["test_acc"], test_acc)
        kept = dr._trained(setting["lr"], setting["activation"], setting["alpha"] if setting["activation"] in (
            "leaky_relu", "elu") else None, setting["bias"], setting["seed"], steps)[0]
        assert all(same(u, v) for a, b in zip(kept, trained) for u, v in zip(a, b))
    assert any(plain(**setting, steps=s)[1].diverged for s in path) == (setting["lr"] == 3.0)  # both kinds tested
