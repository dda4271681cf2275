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


def test_a_run_that_diverges_after_the_steps_it_continues_from():
    """Below the slider's 20 steps: 5 steps, then 35 more that diverge at step 10 of the whole run."""
    for steps in (5, 40, 8, 12):
        h = dr._trained(3.0, "elu", 1.0, 0.0, 2, steps)[1]
        one = one_run("elu", 1.0, 3.0, 0.0, 2, steps)
        assert (h.diverged, h.diverged_at) == (one.diverged, one.diverged_at) == (steps > 10, 10 if steps > 10 else None)
        for k in ("loss", "accuracy", "grad_norm", "update_norm", "dead"):
            np.testing.assert_array_equal(getattr(h, k), getattr(one, k))
