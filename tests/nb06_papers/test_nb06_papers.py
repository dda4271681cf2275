"""Notebook 06 (papers reproduced): one test per result R1-R3, the dying_nets module, explorers (checkers:
test_exercises.py).

Thresholds come from the theory of each paper, with fixed seeds:
R1  per layer the gradient std changes by sqrt(n Var(W)) * sqrt(E[tanh'(z)^2]): at most sqrt(1/3) for the
    standard init, at least sqrt(E[tanh'(Z)^2]) for Z ~ N(0, 1) (about 0.68) for the normalized one.
R2  the forward part is in tests/test_claims_core.py; here a 30-layer Glorot ReLU net stalls at ln 2 while He trains.
R3  Monte Carlo within 4 binomial standard deviations of 1 - (1 - 2^-N)^D.
"""
import numpy as np
import pytest

import helpers as hp
from helpers.nb06_papers import binomial_band
from tests.widget_checks import move_every_control


# ---------------------------------------------------------------------------------------------------------- R1
def _tanh_pass(scheme, width=500, depth=5, batch=250, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((batch, width))
    y = rng.integers(0, 10, batch)
    params = hp.init_mlp([width] * (depth + 1) + [10], scheme, rng)
    out, cache = hp.forward(params, X, "tanh")
    back = hp.backward_pass(params, cache, hp.softmax_cross_entropy(out, y)[1])
    a_std = np.array([a.std() for a in cache.acts[:depth]])
    g_std = np.array([g.std() for g in back.dzs[:depth]])
    return a_std, g_std


def test_R1_standard_init_narrows_layer_after_layer_normalized_keeps_them():
    z = np.random.default_rng(1).standard_normal(1_000_000)
    tanh_slope = np.sqrt(np.mean((1 - np.tanh(z) ** 2) ** 2))  # sqrt E[tanh'(Z)^2], Z ~ N(0, 1): about 0.68
    a_std, g_std = _tanh_pass("standard_uniform")
    g_ratio = g_std[:-1] / g_std[1:]  # std(dz_l) / std(dz_l+1): below 1 means smaller toward layer 1
    a_ratio = a_std[1:] / a_std[:-1]  # std(a_l+1) / std(a_l)
    # n Var(W) = 1/3 and |tanh'| <= 1, |tanh(z)| <= |z|: each layer at most sqrt(1/3) (5% sampling slack)
    assert np.all(g_ratio < np.sqrt(1 / 3) * 1.05), g_ratio
    assert np.all(a_ratio < np.sqrt(1 / 3) * 1.05), a_ratio
    assert g_std[0] / g_std[-1] < (np.sqrt(1 / 3) * 1.05) ** 4
    a_std_n, g_std_n = _tanh_pass("glorot_uniform")
    g_ratio_n = g_std_n[:-1] / g_std_n[1:]
    # n Var(W) = 1; pre-activations have std <= 1, where E[tanh'^2] is smallest: each layer >= tanh_slope
    assert np.all(g_ratio_n > tanh_slope * 0.95), g_ratio_n
    assert np.all(a_std_n[1:] / a_std_n[:-1] > 0.6)  # std(tanh(Z)) / std(Z) >= 0.63 for std(Z) <= 1
    # over four layers: normalized >= 0.68^4 (about 0.18), standard <= (1/3)^2 (about 0.11)
    assert g_std_n[0] / g_std_n[-1] > (tanh_slope * 0.95) ** 4 > g_std[0] / g_std[-1]


def test_R1_histograms_narrow_toward_the_lower_layers_under_standard_init():
    rng = np.random.default_rng(0)
    params = hp.init_mlp([300] * 6 + [10], "standard_uniform", rng)
    X = rng.standard_normal((200, 300))
    out, cache = hp.forward(params, X, "tanh")
    back = hp.backward_pass(params, cache, hp.softmax_cross_entropy(out, rng.integers(0, 10, 200))[1])
    lim = 3 * back.dzs[4].std()
    edges = np.linspace(-lim, lim, 41)
    peak = hp.layer_histograms(back.dzs[:5], edges).max(axis=1)  # the paper's "0-peak" of each layer
    assert np.all(np.diff(peak) < 0), peak  # the peak at 0 is highest at layer 1 and falls going up


# ---------------------------------------------------------------------------------------------------------- R2
def test_R2_thirty_layer_relu_net_stalls_with_glorot_and_trains_with_he():
    X, y = hp.make_moons(128, np.random.default_rng(0))
    init_rng = np.random.default_rng(0)
    sizes = [2] + [32] * 29 + [2]
    for _ in range(2):
        glorot = hp.train(hp.init_mlp(sizes, "glorot_normal", init_rng), X, y, "relu", lr=0.02, steps=150)[1]
        he = hp.train(hp.init_mlp(sizes, "he_normal", init_rng), X, y, "relu", lr=0.02, steps=150)[1]
        # Glorot: 28 square layers each halve the variance, so the output is ~2^-14 of He's: the loss is ln 2
        assert np.max(np.abs(glorot.loss - np.log(2))) < 0.01
        assert glorot.steps_to(0.6) is None
        assert glorot.grad_norm[0].max() < 1e-2 * he.grad_norm[0].min()  # every layer's gradient, at the start
        # He keeps the signal, so gradient descent leaves ln 2 at once and fits the moons
        assert he.steps_to(0.6) is not None and he.steps_to(0.6) < 30
        assert np.nanmin(he.loss) < 0.3


# ---------------------------------------------------------------------------------------------------------- R3
def test_R3_formula_value_for_width_2_depth_10():
    assert hp.nb06_papers.dead_net_probability(2, 10) == pytest.approx(1 - 0.75 ** 10, rel=1e-12)
    assert round(hp.nb06_papers.dead_net_probability(2, 10), 3) == 0.944
    assert hp.nb06_papers.dead_net_probability(1, 1) == 0.5
    grid = hp.nb06_papers.dead_net_probability(np.arange(1, 6)[:, None], np.arange(1, 30)[None, :])
    assert grid.shape == (5, 29) and np.all(np.diff(grid, axis=1) > 0) and np.all(np.diff(grid, axis=0) < 0)
    assert hp.nb06_papers.dead_net_probability(60, 3) == pytest.approx(3 * 2.0 ** -60, rel=1e-9)  # tiny values keep digits


@pytest.mark.parametrize("width,depth", [(1, 3), (2, 10), (3, 8), (5, 30)])
def test_R3_monte_carlo_within_four_binomial_sigma_of_the_formula(width, depth):
    n = 20_000
    run = hp.nb06_papers.simulate_dead_nets(width, depth, n, np.random.default_rng(0))
    p = hp.nb06_papers.dead_net_probability(width, np.arange(1, depth + 1))
    lo, hi = binomial_band(p, n)
    assert np.all((lo <= run.dead) & (run.dead <= hi)), (run.dead, p)
    assert run.revived == 0 and np.all(np.diff(run.dead) >= 0)  # zero biases: a dead layer stays dead
    assert np.array_equal(run.dead, run.collapsed)
    assert run.smallest_alive > 1e-200  # no living net was counted dead by underflow


def test_R3_weight_law_does_not_matter_biases_break_the_last_layer_count():
    width, depth, n = 3, 20, 20_000
    p = hp.nb06_papers.dead_net_probability(width, depth)
    uniform = hp.nb06_papers.simulate_dead_nets(width, depth, n, np.random.default_rng(1), weights="uniform")
    assert binomial_band(p, n)[0] <= uniform.fraction <= binomial_band(p, n)[1]
    biased = hp.nb06_papers.simulate_dead_nets(width, depth, n, np.random.default_rng(2), bias_std=0.5)
    q = 2.0 ** -width  # with symmetric biases each layer is all zeros with probability q, whatever came before
    assert binomial_band(q, n)[0] <= biased.fraction <= binomial_band(q, n)[1]
    assert binomial_band(p, n)[0] <= biased.collapsed[-1] <= binomial_band(p, n)[1]
    assert biased.revived > 0


def test_R3_grid_matches_single_runs_and_reports_progress():
    seen = []
    grid = hp.nb06_papers.dead_net_grid([1, 4], 12, 5000, np.random.default_rng(0), progress=lambda i, w: seen.append(w))
    assert seen == [1, 4] and grid.shape == (2, 12)
    p = hp.nb06_papers.dead_net_probability(np.array([1, 4])[:, None], np.arange(1, 13)[None, :])
    lo, hi = binomial_band(p, 5000)
    assert np.all((lo <= grid) & (grid <= hi))


def test_binomial_band():
    lo, hi = binomial_band(0.5, 10_000)
    assert (lo, hi) == pytest.approx((0.48, 0.52))
    lo, hi = binomial_band(np.array([0.0, 1.0]), 100)
    assert np.all(lo == np.array([0.0, 1.0])) and np.all(hi == np.array([0.0, 1.0]))


@pytest.mark.parametrize("kwargs", [
    dict(width=0), dict(width=-1), dict(width=2.5), dict(width="2"), dict(width=True),
    dict(depth=0), dict(depth=1.0), dict(n_nets=0), dict(n_nets=10.5),
    dict(rng=None), dict(rng=0), dict(bias_std=-1.0), dict(bias_std=float("nan")),
    dict(weights="cauchy"), dict(input_dim=0), dict(chunk=0),
])
def test_simulate_dead_nets_rejects_bad_input(kwargs):
    args = {**dict(width=2, depth=3, n_nets=10, rng=np.random.default_rng(0)), **kwargs}
    with pytest.raises(ValueError):
        hp.nb06_papers.simulate_dead_nets(**args)


@pytest.mark.parametrize("width,depth", [(0, 3), (2, 0), (-1, 3), (2.0, 3), (2, 3.5), ("2", 3), (True, 3),
                                         ([], 3), (np.array([1, 0]), 3)])
def test_dead_net_probability_rejects_bad_input(width, depth):
    with pytest.raises(ValueError, match="positive integer"):
        hp.nb06_papers.dead_net_probability(width, depth)


def test_dead_net_grid_and_band_reject_bad_input():
    with pytest.raises(ValueError):
        hp.nb06_papers.dead_net_grid([2, 0], 5, 10, np.random.default_rng(0))
    with pytest.raises(ValueError):
        hp.nb06_papers.dead_net_grid([2], 0, 10, np.random.default_rng(0))
    with pytest.raises(ValueError):
        binomial_band(0.5, 0)


def test_simulation_is_reproducible_and_chunking_does_not_change_the_answer():
    a = hp.nb06_papers.simulate_dead_nets(2, 5, 3000, np.random.default_rng(7))
    b = hp.nb06_papers.simulate_dead_nets(2, 5, 3000, np.random.default_rng(7))
    assert np.array_equal(a.dead, b.dead)
    c = hp.nb06_papers.simulate_dead_nets(2, 5, 3000, np.random.default_rng(7), chunk=1000)
    assert c.n_nets == 3000 and np.all((0 <= c.dead) & (c.dead <= 1))


# --------------------------------------------------------------------------------------------------- explorers
@pytest.mark.parametrize("builder", ["glorot_bengio_explorer", "dying_nets_explorer"])
def test_explorer_moves_every_control_and_preset(builder):
    ex = getattr(hp.nb06_papers, builder)()
    assert bytes(ex.image.value)[:4] == b"\x89PNG" and "could not update" not in ex.readout.value
    move_every_control(ex)
    for preset in ex.presets:
        ex.apply(preset)
        assert "could not update" not in ex.readout.value, (preset, ex.readout.value)


def test_explorer_bench_settings_run():
    from helpers.nb06_papers.explorer import BENCH
    for builder, values in BENCH.items():
        ex = getattr(hp.nb06_papers, builder)()
        ex.presets["bench"] = values
        ex.apply("bench")
        assert "could not update" not in ex.readout.value, (builder, ex.readout.value)


def test_dying_nets_explorer_readout_matches_the_formula():
    ex = hp.nb06_papers.dying_nets_explorer()
    assert "formula <b>0.944</b>" in ex.readout.value  # default N = 2, D = 10
    ex.apply("with biases")
    assert "some all-zero layer" in ex.readout.value
