"""Notebook 04 (dying ReLUs): one test per claim C14-C17, helpers/boundary.py and the explorer (checkers:
test_exercises.py). The runs are the notebook's own: spirals from np.random.default_rng(0), the net
[2, 32, 32, 32, 2] with He-normal weights from np.random.default_rng(seed), full-batch descent, 300 steps."""
import functools

import numpy as np
import pytest

import helpers as hp
from helpers.nb04_dying_relu import explorer as dr
from helpers.nb04_dying_relu.experiments import train_stacked
from tests.widget_checks import apply_every_preset, move_every_control

STEPS = 300
SEEDS = range(5)
FOLLOW = 1  # the seed the notebook traces unit by unit


@functools.lru_cache(maxsize=None)
def data():
    return hp.nb04_dying_relu.spiral_split(np.random.default_rng(0))


@functools.lru_cache(maxsize=None)
def runs(activation, alpha, lr):
    X, y, X_test, y_test = data()
    return hp.nb04_dying_relu.run_seeds(activation, lr, SEEDS, X, y, X_test, y_test, alpha=alpha, steps=STEPS)


@functools.lru_cache(maxsize=None)
def trace(lr):
    X, y, _, _ = data()
    params = hp.init_mlp(list(hp.nb04_dying_relu.DYING_SIZES), "he_normal", np.random.default_rng(FOLLOW))
    return hp.nb04_dying_relu.trace_dead_units(params, X, y, "relu", lr=lr, steps=STEPS)


# ---------------------------------------------------------------------------------------------- claims

def test_C14_relu_does_not_saturate_for_positive_z_and_is_cheap():
    z = np.logspace(-3, 6, 200)
    relu, sig, tanh = (hp.get_activation(n) for n in ("relu", "sigmoid", "tanh"))
    assert np.all(relu.df(z) == 1.0)  # exactly 1 for every z > 0, however large
    assert np.all(hp.get_activation("elu").df(z) == 1.0)
    np.testing.assert_allclose(hp.get_activation("selu").df(z), hp.SELU_LAMBDA)
    # the saturating ones: sigma'(z) < e^-z and tanh'(z) < 4 e^-2z, so at z = 10 both are below 5e-5
    assert sig.df(np.array(10.0)) < 5e-5 and tanh.df(np.array(10.0)) < 5e-5
    assert sig.df(np.array(1000.0)) == 0.0 and tanh.df(np.array(1000.0)) == 0.0
    # and ReLU's price: exactly 0 for z < 0, where leaky ReLU keeps alpha
    assert np.all(relu.df(-z) == 0.0) and np.all(hp.get_activation("leaky_relu", 0.01).df(-z) == 0.01)

    # cheap: the notebook's numpy one-liners, best of 15 calls (one comparison against exp and branches)
    x = np.random.default_rng(0).standard_normal(2**18)
    relu_t = hp.nb04_dying_relu.time_per_call(lambda v: np.maximum(v, 0.0), x, repeats=15)
    elu_t = hp.nb04_dying_relu.time_per_call(lambda v: np.where(v > 0, v, np.expm1(np.minimum(v, 0.0))), x, repeats=15)
    sig_t = hp.nb04_dying_relu.time_per_call(lambda v: 1.0 / (1.0 + np.exp(-v)), x, repeats=15)
    assert relu_t < elu_t / 2 and relu_t < sig_t, (relu_t, elu_t, sig_t)


def test_C15_dead_units_are_frozen_first_layer_never_revives_and_a_large_lr_kills_far_more():
    X, y, _, _ = data()
    small, large = trace(0.1), trace(1.0)
    # the trace is hp.train itself, one step at a time (full batch: the same numbers)
    assert np.array_equal(large.history.loss, runs("relu", None, 1.0).loss[FOLLOW])
    for tr in (small, large):
        assert tr.frozen_change == 0.0  # no update ever moved a unit that was dead when it was computed
        assert tr.revivals()[0] == 0  # layer 1 sees fixed inputs: dead there is dead for good
        dead_first = tr.dead[:, 0, :]
        assert np.all(dead_first[1:] >= dead_first[:-1])
    # deeper units do come back (their inputs change): the notebook says so, so pin it
    assert large.revivals()[1:].sum() > 0
    # a dead unit's gradient is exactly 0, in every hidden layer, for the trained large-lr net
    out, cache = hp.forward(large.params, X, "relu")
    grads, _ = hp.backward(large.params, cache, hp.softmax_cross_entropy(out, y)[1])
    for l, z in enumerate(cache.zs[:-1]):
        dead = np.all(z <= 0, axis=0)
        assert np.all(grads[l][0][:, dead] == 0.0) and np.all(grads[l][1][dead] == 0.0)
        assert np.all(np.linalg.norm(grads[l][0][:, ~dead], axis=0) > 0)
    # the followed seed: many more dead at lr 1.0, and half of layer 2 or more
    assert large.dead[-1].sum() >= 3 * small.dead[-1].sum()
    assert large.dead[-1, 1].mean() >= 0.5
    # over five seeds: the luckiest seed at lr 1.0 loses more than the unluckiest at lr 0.1
    r_small, r_large = runs("relu", None, 0.1), runs("relu", None, 1.0)
    assert r_large.final_dead.min() > r_small.final_dead.max()
    assert np.all(r_large.final_dead > 0.1) and np.all(r_small.final_dead < 0.1)
    assert r_large.final_layer_dead.max() >= 0.5


def test_C16_leaky_relu_keeps_units_alive_but_alpha_02_does_not_beat_001_here():
    for lr in (0.1, 1.0):
        for alpha in (0.01, 0.2):
            assert np.all(runs("leaky_relu", alpha, lr).final_dead == 0)  # the leak keeps every unit alive
    a01, a02 = runs("leaky_relu", 0.01, 0.1), runs("leaky_relu", 0.2, 0.1)
    assert not a01.failed.any() and not a02.failed.any()
    # the comparison the notebook prints: alpha 0.2 ends with a higher median training loss at lr 0.1 ...
    assert np.median(a02.final_loss) > np.median(a01.final_loss)
    # ... and at lr 1.0 it fails at least once while alpha 0.01 never does
    assert runs("leaky_relu", 0.2, 1.0).failed.sum() >= 1 and runs("leaky_relu", 0.01, 1.0).failed.sum() == 0


def test_C17_elu_trains_faster_at_a_small_lr_but_fails_at_the_large_one():
    elu, relu = runs("elu", None, 0.1), runs("relu", None, 0.1)
    # faster: the median ELU run reaches a training loss of 0.3 within 300 steps, the median ReLU run does not
    assert np.isfinite(np.median(elu.steps_to(0.3))) and not np.isfinite(np.median(relu.steps_to(0.3)))
    assert np.median(elu.final_loss) < 0.6 * np.median(relu.final_loss)
    # better test results: the median test accuracy is higher by a wide margin
    assert np.median(elu.test_accuracy) > np.median(relu.test_accuracy) + 0.1
    # but at lr 1.0 every ELU run fails and no ReLU run does
    assert runs("elu", None, 1.0).failed.all() and not runs("relu", None, 1.0).failed.any()
    assert np.median(runs("relu", None, 1.0).test_accuracy) > 0.9


def test_seed_runs_summaries():
    r = hp.nb04_dying_relu.SeedRuns("x", 0.1, [0, 1], np.array([[1.0, 0.5, 0.2, 0.1], [1.0, np.nan, np.nan, np.nan]]),
                    np.zeros((2, 4, 3)), np.array([0.9, 0.5]), np.array([False, True]))
    assert r.final_loss[0] == pytest.approx(0.1) and r.final_loss[1] == np.inf
    assert r.failed.tolist() == [False, True]
    assert r.steps_to(0.5).tolist() == [1, np.inf]
    assert r.final_dead.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("activation, alpha", [("relu", None), ("leaky_relu", 0.2), ("elu", None)])
def test_train_stacked_gives_hp_train_bit_for_bit(activation, alpha):
    # run_seeds trains its seeds side by side: every number must be hp.train's own, also for a run that
    # blows up (at lr 1.0 some ELU and leaky ReLU 0.2 runs diverge within 60 steps) and stops there as hp.train does
    X, y, _, _ = data()
    act = hp.get_activation(activation, alpha)
    nets = [hp.init_mlp(list(hp.nb04_dying_relu.DYING_SIZES), "he_normal", np.random.default_rng(s)) for s in SEEDS]
    trained, loss, dead, diverged = train_stacked(nets, X, y, act, lr=1.0, steps=60)
    for k, net in enumerate(nets):
        p, h = hp.train(net, X, y, act, lr=1.0, steps=60)
        assert np.array_equal(loss[k], h.loss, equal_nan=True) and np.array_equal(dead[k], h.dead, equal_nan=True)
        assert diverged[k] == h.diverged
        assert all(np.array_equal(u, v, equal_nan=True) for a, b in zip(p, trained[k]) for u, v in zip(a, b))
    assert diverged.any() == (activation != "relu")  # so the blow-up branch is tested too


def test_experiment_helpers_reject_bad_input():
    X, y, X_test, y_test = data()
    params = hp.init_mlp(list(hp.nb04_dying_relu.DYING_SIZES), "he_normal", np.random.default_rng(0))
    with pytest.raises(ValueError, match="steps"):
        hp.nb04_dying_relu.trace_dead_units(params, X, y, steps=0)
    with pytest.raises(ValueError, match="lr"):
        hp.nb04_dying_relu.trace_dead_units(params, X, y, lr=-1.0, steps=2)
    with pytest.raises(ValueError, match="seeds"):
        hp.nb04_dying_relu.run_seeds("relu", 0.1, [], X, y, X_test, y_test)
    with pytest.raises(ValueError, match="activation"):
        hp.nb04_dying_relu.run_seeds("swoosh", 0.1, [0], X, y, X_test, y_test, steps=2)
    with pytest.raises(ValueError, match="same layer sizes"):
        train_stacked([params, hp.init_mlp([2, 8, 2], "he_normal", np.random.default_rng(0))], X, y)
    with pytest.raises(ValueError, match="nets"):
        train_stacked([], X, y)
    with pytest.raises(ValueError, match="y"):
        train_stacked([params], X, y + 2, steps=2)  # labels 2 and 3 for a net with two outputs


# ---------------------------------------------------------------------------------------------- boundary

def _linear_net():
    """A net whose class-1 logit is x1 and class-0 logit 0: the boundary is the line x1 = 0."""
    return [(np.array([[1.0, -1.0], [0.0, 0.0]]), np.zeros(2)), (np.array([[0.0, 1.0], [0.0, -1.0]]), np.zeros(2))]


def test_decision_grid_shapes_values_and_bounds():
    X = np.array([[-1.0, -2.0], [1.0, 2.0]])
    g = hp.nb04_dying_relu.decision_grid(_linear_net(), X, "relu", resolution=41, margin=0.5)
    assert g.x1.shape == g.x2.shape == (41,) and g.proba.shape == (41, 41, 2) and g.label.shape == (41, 41)
    assert g.extent == (-1.5, 1.5, -2.5, 2.5) and not g.diverged
    np.testing.assert_allclose(g.proba.sum(axis=-1), 1.0)
    # relu(x1) - relu(-x1) = x1: class 1 exactly where x1 > 0, the same on every row
    assert np.array_equal(g.label, np.broadcast_to(g.x1 > 0, (41, 41)).astype(int))
    np.testing.assert_allclose(g.proba[0, :, 1], hp.sigmoid(g.x1))
    g2 = hp.nb04_dying_relu.decision_grid(_linear_net(), X, "relu", resolution=3, bounds=(0, 2, -1, 1))
    assert g2.x1.tolist() == [0, 1, 2] and g2.x2.tolist() == [-1, 0, 1]


def test_decision_grid_matches_forward_on_a_trained_net():
    X, y, _, _ = data()
    params = hp.init_mlp([2, 16, 3], "he_normal", np.random.default_rng(0))
    g = hp.nb04_dying_relu.decision_grid(params, X, "elu", resolution=20)
    points = np.stack(np.meshgrid(g.x1, g.x2), axis=-1).reshape(-1, 2)
    out, _ = hp.forward(params, points, "elu")
    np.testing.assert_allclose(g.proba.reshape(-1, 3), hp.softmax(out))
    assert np.array_equal(g.label.ravel(), out.argmax(axis=1))


def test_decision_grid_reports_divergence_without_warnings():
    params = [(np.full((2, 4), 1e200), np.zeros(4)), (np.full((4, 2), 1e200), np.zeros(2))]
    g = hp.nb04_dying_relu.decision_grid(params, np.array([[1.0, 1.0], [2.0, 2.0]]), "relu", resolution=5)
    assert g.diverged and np.all(np.isnan(g.proba[g.label < 0]))


@pytest.mark.parametrize("kwargs, match", [
    (dict(X=np.zeros((4, 3))), "2 columns"),
    (dict(X=np.zeros(4)), "2 dimensions"),
    (dict(X=np.array([[0.0, np.nan]])), "NaN"),
    (dict(resolution=1), "resolution"),
    (dict(resolution=2.5), "resolution"),
    (dict(resolution=True), "resolution"),
    (dict(resolution=5000), "resolution"),
    (dict(margin=-1.0), "margin"),
    (dict(margin=float("inf")), "margin"),
    (dict(bounds=(0, 1, 0)), "bounds"),
    (dict(bounds=(1, 0, 0, 1)), "bounds"),
    (dict(bounds=(0, 1, 0, np.nan)), "bounds"),
])
def test_decision_grid_rejects_bad_input(kwargs, match):
    args = dict(X=np.zeros((4, 2)), resolution=10)
    args.update(kwargs)
    X = args.pop("X")
    with pytest.raises(ValueError, match=match):
        hp.nb04_dying_relu.decision_grid(_linear_net(), X, "relu", **args)


def test_decision_grid_rejects_a_net_that_does_not_take_two_inputs():
    params = hp.init_mlp([3, 4, 2], "he_normal", np.random.default_rng(0))
    with pytest.raises(ValueError, match="first layer expects 3"):
        hp.nb04_dying_relu.decision_grid(params, np.zeros((4, 2)))


def test_plot_decision_boundary_draws_two_and_three_classes_and_divergence():
    from matplotlib.figure import Figure

    X, y, _, _ = data()
    fig = Figure()
    ax2, ax3, axd = fig.subplots(1, 3)
    two = hp.nb04_dying_relu.decision_grid(hp.init_mlp([2, 8, 2], "he_normal", np.random.default_rng(0)), X, resolution=10)
    three = hp.nb04_dying_relu.decision_grid(hp.init_mlp([2, 8, 3], "he_normal", np.random.default_rng(0)), X, resolution=10)
    params = [(np.full((2, 4), 1e200), np.zeros(4)), (np.full((4, 2), 1e200), np.zeros(2))]
    bad = hp.nb04_dying_relu.decision_grid(params, X, resolution=10)
    assert hp.nb04_dying_relu.plot_decision_boundary(ax2, two, X, y) is ax2 and len(ax2.images) == 1 and ax2.collections
    assert hp.nb04_dying_relu.plot_decision_boundary(ax3, three, X, y) is ax3 and len(ax3.images) == 1
    hp.nb04_dying_relu.plot_decision_boundary(axd, bad)
    assert any(t.get_text() == "diverged" for t in axd.texts)


# ---------------------------------------------------------------------------------------------- explorer

def test_dying_relu_explorer_moves_every_control_and_preset():
    ex = hp.nb04_dying_relu.dying_relu_explorer()
    assert bytes(ex.image.value)[:4] == b"\x89PNG" and "dead units per layer" in ex.readout.value
    assert ex.controls["alpha"].disabled  # ReLU uses no alpha
    move_every_control(ex)
    apply_every_preset(ex)
    ex.apply("leaky 0.2")
    assert not ex.controls["alpha"].disabled and "leaky_relu (alpha=0.2)" in ex.fig.axes[1].get_title()
    assert set(dr.BENCH["dying_relu_explorer"]) == set(ex.controls)


def test_dying_relu_explorer_shows_divergence_and_runs_at_its_biggest_settings():
    ex = hp.nb04_dying_relu.dying_relu_explorer()
    ex.apply("reset")
    ex.controls["activation"].value = "elu"
    ex.controls["alpha"].value = 1.0
    ex.controls["lr"].value = 3.0
    assert "diverged" in ex.readout.value
    ex._hold = True
    for k, v in dr.BENCH["dying_relu_explorer"].items():
        ex.controls[k].value = v
    ex._hold = False
    ex.update()
    assert "could not update" not in ex.readout.value  # its speed is measured by `make bench`, not here


def test_dying_relu_side_by_side_is_compact():
    box = hp.ui.explorer.side_by_side(lambda: hp.nb04_dying_relu.dying_relu_explorer(figsize=(8.5, 3.6)),
                                  a={"activation": "relu", "lr": 1.0}, b={"activation": "leaky_relu", "lr": 1.0})
    a, b = box.children
    assert len(a.fig.axes) == 2 and a.controls["activation"].value == "relu"
    assert bytes(a.image.value) != bytes(b.image.value)
