"""Regression tests for issue 12's reproducers in the notebook packages (2, 9, 10) and for what the property
test of tests/test_public_api.py found there: each gives a clear message, a sane result or "diverged"."""
import warnings

import numpy as np
import pytest

import helpers as hp

nb = hp.nb04_dying_relu


def quiet(fn, *args, **kwargs):
    """fn(...) with every warning turned into an error (so a leak fails the test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


def test_2_a_run_diverging_at_step_0_reads_nan_not_an_index_error():
    rng = np.random.default_rng(0)
    r = quiet(nb.run_seeds, "relu", 0.1, [0], *nb.spiral_split(rng, 60), init=1e100, steps=3)
    assert r.diverged.all()
    assert np.isnan(quiet(lambda: r.final_dead)).all()
    assert np.isnan(quiet(lambda: r.peak_layer_dead)).all()
    assert np.isinf(quiet(lambda: r.final_loss)).all() and r.failed.all()


def test_9_growth_of_a_zero_signal_is_undefined_not_diverged():
    growth = hp.nb02_variance.growth_per_step
    assert np.isnan(quiet(growth, [0.0, 0.0, 0.0]))
    assert quiet(growth, [0.0, 1.0]) == np.inf  # from nothing to something: unbounded growth
    assert quiet(growth, [1.0, 4.0, 16.0]) == pytest.approx(4.0)
    assert quiet(growth, [1.0, np.inf]) == np.inf  # diverged
    with pytest.raises(ValueError, match="norms"):
        growth([1.0, -2.0])


@pytest.mark.parametrize("call, match", [
    (lambda: hp.nb03_initialization.note_slips(0, 0), "fan_in"),
    (lambda: hp.nb02_variance.mean_offset_stats(None), "cache"),
    (lambda: hp.nb03_initialization.funnel_profile([], "fan_avg", np.random.default_rng(0)), "sizes"),
    (lambda: hp.nb03_initialization.init_race(np.ones((4, 2)), np.zeros(4), "he_normal", [2, 2]), "inits"),
    (lambda: hp.nb03_initialization.grid_verdict(2.0, 0.5, band=0), "band"),
    (lambda: hp.nb01_saturation.saturation_edges("tanh", threshold=0.7), "threshold"),
    (lambda: hp.nb06_papers.binomial_band(1.5, 100), "probabilities"),
    (lambda: hp.nb08_edge_of_chaos.critical_sw2(0.1, lo=2.0, hi=1.0), "lo < hi"),
    (lambda: hp.nb08_edge_of_chaos.correlation_map(1.5, 1.5, 0.1), "correlation"),
    (lambda: hp.nb08_edge_of_chaos.q_star(-1.0, 0.1), "sw2"),
    (lambda: hp.nb08_edge_of_chaos.jacobian("net", np.ones(3)), "params"),
    (lambda: hp.nb08_edge_of_chaos.spectrum_by_depth("x", 8, [], 1.5, 0.1, rng=np.random.default_rng(0)), "depths"),
    (lambda: nb.time_per_call(None, 1.0), "function"),
])
def test_10_bad_input_gets_a_clear_message(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        quiet(call)


@pytest.mark.parametrize("call", [
    lambda: hp.nb01_saturation.saturation_profile(1.0, 3, width=10**6, batch=10**6, rng=np.random.default_rng(0)),
    lambda: hp.nb01_saturation.chain_gradient(0.5, 10**12),
    lambda: hp.nb02_variance.unroll_recurrent(np.eye(2), np.ones(2), 10**12),
    lambda: hp.nb03_initialization.std_grid(["tanh"], ["he_normal"], depth=3, width=10**6, seed=0),
    lambda: hp.nb03_initialization.glorot_conditions(10**6, 10**6, np.random.default_rng(0)),
    lambda: hp.nb06_papers.simulate_dead_nets(10**4, 3, 10**5, np.random.default_rng(0)),
    lambda: hp.nb08_edge_of_chaos.random_net(10**6, 3, 1.5, 0.1, rng=np.random.default_rng(0)),
    lambda: hp.nb08_edge_of_chaos.q_iterates(1.0, 1.5, 0.1, 10**12),
])
def test_sizes_beyond_2_gb_are_refused_before_allocating(call):
    with pytest.raises(ValueError, match="GB"):
        call()


@pytest.mark.parametrize("call", [
    lambda: nb.time_per_call(np.sin, 1.0, repeats=10**12),
    lambda: nb.trace_dead_units(hp.init_mlp([2, 3, 2], "he_normal", np.random.default_rng(0)), np.ones((4, 2)),
                                np.zeros(4), steps=10**12),
    lambda: hp.nb06_papers.simulate_dead_nets(2, 3, 10**12, np.random.default_rng(0)),
    lambda: hp.nb08_edge_of_chaos.q_star(1.5, 0.1, iters=10**12),
    lambda: hp.nb08_edge_of_chaos.critical_sw2(0.1, iters=10**12),
])
def test_endless_requests_are_refused_not_run(call):
    with pytest.raises(ValueError):
        call()


def test_blow_up_is_data_not_a_warning():
    mf = hp.nb08_edge_of_chaos
    assert not np.isfinite(quiet(mf.q_star, 1e308, 0.1))
    assert np.isfinite(quiet(mf.chi_1, 1.5, 0.1))
    assert quiet(mf.length_map, 100.0, 1e308, 1e308) == np.inf  # E[tanh^2] ~ 0.92: the sum overflows
    run = quiet(hp.nb06_papers.simulate_dead_nets, 2, 3, 50, np.random.default_rng(0), bias_std=1e308)
    assert 0 <= run.fraction <= 1
    assert quiet(nb.time_per_call, np.sin, np.inf, repeats=2) >= 0
