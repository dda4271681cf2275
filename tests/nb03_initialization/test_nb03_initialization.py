"""Notebook 03 (Glorot, He, LeCun): its claims and its explorer (checkers: test_exercises.py).

C08-C11's formulas are pinned in test_claims_core.py; here are the measurements the notebook adds
(Glorot's two conditions, the activation x scheme grid, Keras' conventions, the training race).
"""
import numpy as np
import pytest

import helpers as hp
from helpers.nb03_initialization import experiments as ic
from helpers.nb03_initialization.explorer import BENCH
from tests.widget_checks import move_every_control

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu"]
SCHEMES = ["standard_normal", "glorot_normal", "he_normal", "lecun_normal"]


# ---------------------------------------------------------------------------------------------- claims

def test_C07_glorot_conditions_clash_unless_fans_are_equal(rng):
    rows = {r.mode: r for r in hp.nb03_initialization.glorot_conditions(1000, 100, rng=rng)}
    # 1e5 weights and 2e5 outputs per estimate: the ratios' relative noise is under 1%, so 5% is > 5 sigma
    for r in rows.values():
        assert r.forward == pytest.approx(r.forward_theory, rel=0.05)
        assert r.backward == pytest.approx(r.backward_theory, rel=0.05)
    assert rows["fan_in"].forward == pytest.approx(1, rel=0.05)       # condition 1 holds ...
    assert rows["fan_in"].backward == pytest.approx(0.1, rel=0.05)    # ... condition 2 is off by fan_out/fan_in
    assert rows["fan_out"].forward == pytest.approx(10, rel=0.05)
    assert rows["fan_out"].backward == pytest.approx(1, rel=0.05)
    # fan_avg: off by 2 fan_in / (fan_in + fan_out) = 1.82 forward and 1 / 0.18 = 5.5 backward, both < 10
    assert rows["fan_avg"].worst == pytest.approx(5.5, rel=0.05)
    assert rows["fan_avg"].worst < 0.6 * min(rows["fan_in"].worst, rows["fan_out"].worst)
    for r in hp.nb03_initialization.glorot_conditions(300, 300, rng=rng):  # square: every mode is the same and both hold
        assert r.n == 300 and r.worst < 1.05


@pytest.mark.parametrize("mode", ["fan_in", "fan_avg", "fan_out"])
def test_C07_factors_multiply_through_a_funnel(mode, rng):
    sizes = [1024, 512, 256, 128, 64, 32, 16]
    fwd, bwd = hp.nb03_initialization.funnel_profile(sizes, mode, rng)
    n = np.array([hp.fan(a, b, mode) for a, b in zip(sizes[:-1], sizes[1:])])
    fwd_theory = np.sqrt(np.prod(np.array(sizes[:-1]) / n))  # product of fan_in Var(W) over the layers
    bwd_theory = np.sqrt(np.prod(np.array(sizes[1:]) / n))   # product of fan_out Var(W)
    assert fwd[-1] / fwd[0] == pytest.approx(fwd_theory, rel=0.2)
    assert bwd[0] / bwd[-1] == pytest.approx(bwd_theory, rel=0.2)


def test_C08_note_slips():
    for fan_in, fan_out in [(1000, 100), (300, 300), (100, 1000), (784, 10)]:
        s = hp.nb03_initialization.note_slips(fan_in, fan_out)
        assert s.sigma == pytest.approx(np.sqrt(1 / s.fan_avg))
        assert s.r_note_002 == pytest.approx(np.sqrt(3) * s.sigma)  # note 002's r is right
        if fan_in <= fan_out:
            assert np.isnan(s.sigma_note_002)  # sqrt(2 / (n_in - n_out)) is undefined
        else:
            assert s.sigma_note_002 > s.sigma
            assert not np.isclose(np.sqrt(3) * s.sigma_note_002, s.r_note_002, rtol=0.01)
        # fan_in + fan_out / 2 exceeds (fan_in + fan_out) / 2 by fan_in / 2: the variance is always too small
        assert s.fan_avg_note_003 - s.fan_avg == pytest.approx(fan_in / 2)


def test_C08_C10_table_11_1_rows():
    rows = {row[0]: row for row in hp.nb03_initialization.init_table(1000, 100)}
    assert rows["Glorot"][5] == pytest.approx(1 / 550) and rows["Glorot"][7] == pytest.approx(np.sqrt(6 / 1100))
    assert rows["He"][5] == pytest.approx(2 / 1000)
    assert rows["LeCun"][5] == pytest.approx(1 / 1000)
    for family, acts, scale, mode, n, var, std, r in rows.values():
        assert var == pytest.approx(scale / n) and std == pytest.approx(np.sqrt(var))
        assert r == pytest.approx(np.sqrt(3 * var))


@pytest.fixture(scope="module")
def grid():
    return hp.nb03_initialization.std_grid(ACTIVATIONS, SCHEMES, depth=20, width=128, batch=128, seed=0)


def _per_layer(change, layers):
    return change ** (1 / layers)


def test_C09_C10_C11_grid_matched_pairs_stay_in_range(grid):
    fwd, bwd = grid.change()
    v = grid.verdicts(10)
    idx = {a: i for i, a in enumerate(ACTIVATIONS)}
    col = {s: j for j, s in enumerate(SCHEMES)}
    # Table 11-1's pairings (the logistic excepted, below) stay within x10 over 20 layers
    for act, scheme in [("tanh", "glorot_normal"), ("relu", "he_normal"), ("leaky_relu", "he_normal"),
                        ("elu", "he_normal"), ("selu", "lecun_normal")]:
        assert v[idx[act], col[scheme]] == "stable", (act, scheme, fwd[idx[act], col[scheme]], bwd[idx[act], col[scheme]])
    # ReLU + He: Var(z) = fan_in Var(W) Var(z_prev) / 2 = Var(z_prev): only finite-width drift (< x3)
    i, j = idx["relu"], col["he_normal"]
    assert 1 / 3 < fwd[i, j] < 3 and 1 / 3 < bwd[i, j] < 3
    # ReLU + Glorot on square layers: Var(W) = 1/n, half of He: the std shrinks by 1/sqrt(2) per layer
    j = col["glorot_normal"]
    assert _per_layer(fwd[i, j], 18) == pytest.approx(2 ** -0.5, rel=0.06)
    assert _per_layer(bwd[i, j], 19) == pytest.approx(2 ** -0.5, rel=0.06)
    assert v[i, j] == "vanishes"
    # ReLU + N(0, 1): the std grows by sqrt(n / 2) = 8 per layer
    j = col["standard_normal"]
    assert _per_layer(fwd[i, j], 18) == pytest.approx(8, rel=0.15) and v[i, j] == "explodes"
    # SELU + LeCun: the fixed point mean 0, std 1
    i, j = idx["selu"], col["lecun_normal"]
    assert np.all(np.abs(grid.a_std[i, j, :-1] - 1) < 0.1)


def test_C09_glorot_equals_lecun_on_square_layers(grid):
    np.testing.assert_array_equal(grid.a_std[:, 1], grid.a_std[:, 3])
    np.testing.assert_array_equal(grid.grad_std[:, 1], grid.grad_std[:, 3])


def test_grid_logistic_gradient_vanishes_whatever_the_scheme(grid):
    # sigma' <= 1/4, so with n Var(W) = 1 the gradient's std shrinks by at most 1/4 per layer;
    # with He (n Var(W) = 2) by at most sqrt(2)/4
    fwd, bwd = grid.change()
    assert _per_layer(bwd[0, 1], 19) < 0.25 and _per_layer(bwd[0, 2], 19) < np.sqrt(2) / 4
    assert list(grid.verdicts()[0, 1:]) == ["vanishes"] * 3


def test_grid_standard_normal_saturates_sigmoid_and_tanh(grid):
    # z has std about sqrt(128 E[a^2]); tanh: about 11, so most |z| > 2.3 where |tanh| > 0.98
    assert grid.saturated[1, 0] > 0.6 and grid.saturated[0, 0] > 0.4
    assert list(grid.verdicts()[:2, 0]) == ["saturated", "saturated"]
    assert np.all(grid.saturated[1, 1:] < 0.05)  # the variance-scaling schemes keep tanh off its asymptotes


def test_std_profile_matches_layer_stats(rng):
    params = hp.init_mlp([64] * 8, "he_normal", rng)
    X, dout = rng.standard_normal((50, 64)), rng.standard_normal((50, 64))
    for act in ("relu", "tanh", "selu"):
        a_std, g_std = ic.std_profile(params, X, act, dout)
        stats = hp.layer_stats(params, X, act, dout=dout)
        np.testing.assert_allclose(a_std, stats.a_std, rtol=1e-12)
        np.testing.assert_allclose(g_std, stats.grad_std, rtol=1e-12)


def test_robust_std_survives_huge_values():
    x = np.array([1e200, -1e200, 3e199])
    assert ic.robust_std(x) == pytest.approx(np.std(x / 1e200) * 1e200)
    assert ic.robust_std(np.array([1.0, np.inf])) == np.inf
    assert ic.robust_std(np.zeros(4)) == 0.0


def test_C12_he_and_glorot_train_where_standard_normal_and_tiny_weights_do_not():
    X, y = hp.make_spirals(200, np.random.default_rng(0))
    sizes = [2] + [32] * 8 + [2]
    inits = {"normal": "standard_normal", "tiny": 0.01, "glorot": "glorot_normal", "he": "he_normal"}
    # with zero biases a ReLU net is positively homogeneous: the four starts differ only by an output scale
    out_he, _ = hp.forward(hp.init_mlp(sizes, "he_normal", np.random.default_rng(0)), X, "relu")
    for init in inits.values():
        out, _ = hp.forward(hp.init_mlp(sizes, init, np.random.default_rng(0)), X, "relu")
        ratio = out[out_he != 0] / out_he[out_he != 0]
        assert np.ptp(ratio) <= 1e-9 * np.abs(ratio).max()
    race = hp.nb03_initialization.init_race(X, y, inits, sizes, "relu", lr=0.2, steps=250, seeds=(0,))
    normal, tiny, glorot, he = (race[k][0] for k in inits)
    ln2 = np.log(2)
    # N(0, 1): outputs ~ 4^8 times He's; the first steps overshoot: diverged, or stuck at ln 2 or above
    assert normal.loss[0] > 100 and (normal.diverged or np.nanmin(normal.loss[10:]) > ln2 - 0.01)
    # 0.01-std weights: the output and every gradient carry a factor 0.01^9 / 0.25^8 ~ 1e-13: stuck at ln 2
    assert np.nanmin(tiny.loss) > ln2 - 1e-3 and not tiny.diverged
    assert he.steps_to(0.3) is not None          # He reaches a loss under 0.3 ...
    assert glorot.steps_to(0.5) is not None      # ... and Glorot at least under 0.5, in 250 steps
    assert he.steps_to(0.5) < glorot.steps_to(0.5)


def test_C13_keras_initializers_through_variance_scaling():
    fan_in, fan_out = 600, 250
    fan_avg = (fan_in + fan_out) / 2
    same = lambda keras, scheme: np.array_equal(hp.nb03_initialization.keras_initializer(keras, fan_in, fan_out, np.random.default_rng(3)),
                                                hp.init_weights(fan_in, fan_out, scheme, np.random.default_rng(3)))
    assert same("glorot_uniform", "glorot_uniform") and same("he_uniform", "he_uniform")
    assert same("lecun_uniform", "lecun_uniform")
    # Keras' normals are truncated at 2 std of the underlying normal, rescaled to keep Var = scale / n
    for name, var in [("he_normal", 2 / fan_in), ("glorot_normal", 1 / fan_avg), ("lecun_normal", 1 / fan_in)]:
        W = hp.nb03_initialization.keras_initializer(name, fan_in, fan_out, np.random.default_rng(1))
        assert W.var() == pytest.approx(var, rel=0.03)  # 150,000 draws: 3% is > 7 sigma
        assert np.abs(W).max() <= 2 * np.sqrt(var) / hp.TRUNCATED_STD
    W_torch = hp.init_weights(fan_in, fan_out, "he_normal", np.random.default_rng(1))  # untruncated
    assert np.abs(W_torch).max() > 2 * np.sqrt(2 / fan_in) / hp.TRUNCATED_STD
    # VarianceScaling(scale=2., mode="fan_avg", distribution="uniform"): He on fan_avg
    W = hp.nb03_initialization.keras_initializer("VarianceScaling(scale=2., mode='fan_avg', distribution='uniform')",
                             fan_in, fan_out, np.random.default_rng(2))
    r = np.sqrt(6 / fan_avg)
    assert W.var() == pytest.approx(2 / fan_avg, rel=0.03)
    assert 0.99 * r < np.abs(W).max() <= r
    assert hp.nb03_initialization.KERAS_INITIALIZERS["glorot_uniform"] == (1.0, "fan_avg", "uniform")  # Dense's default
    assert hp.nb03_initialization.KERAS_INITIALIZERS["he_normal"] == (2.0, "fan_in", "truncated_normal")


# -------------------------------------------------------------------------------------------- explorer

def test_initialization_explorer_moves_every_control_and_preset():
    ex = hp.nb03_initialization.initialization_explorer()
    assert bytes(ex.image.value)[:4] == b"\x89PNG" and "verdict" in ex.readout.value
    move_every_control(ex)
    for name, values in ex.presets.items():
        if name == "reset":
            continue
        before = bytes(ex.image.value)
        ex.apply(name)
        assert all(ex.controls[k].value == pytest.approx(v) for k, v in values.items()), name
        assert "could not update" not in ex.readout.value
        assert bytes(ex.image.value) != before, name
    ex.apply("He")
    assert "stable" in ex.readout.value
    ex.apply("reset")
    assert ex.values() == ex.defaults and "vanishes" in ex.readout.value  # ReLU + Glorot, depth 20


def test_initialization_explorer_at_its_biggest_settings():
    ex = hp.nb03_initialization.initialization_explorer()
    ex.presets["max"] = BENCH["initialization_explorer"]
    ex.apply("max")
    assert "could not update" not in ex.readout.value
    assert "explodes" in ex.readout.value  # SELU, N(0, 1), gain 10, depth 50: astronomically large, still finite


def test_side_by_side_glorot_against_he():
    box = hp.ui.explorer.side_by_side(lambda: hp.nb03_initialization.initialization_explorer(figsize=(8, 3.8)),
                                  a={"activation": "relu", "scheme": "glorot_normal"},
                                  b={"activation": "relu", "scheme": "he_normal"})
    a, b = box.children
    assert "vanishes" in a.readout.value and "stable" in b.readout.value
    assert bytes(a.image.value) != bytes(b.image.value)
