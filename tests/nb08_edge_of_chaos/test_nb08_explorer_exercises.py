"""Notebook 08: the explorer (every control, every preset, the biggest settings, blow-up as text) and the
exercise checkers (right answers pass, known slips get their hint, garbage gets a sentence, nothing raises)."""
import warnings

import numpy as np
import pytest

import helpers as hp
from helpers import ex08
from helpers import nb08_edge_of_chaos as nb
from tests.checker_checks import accepts_every_form, not_yet, rejects_garbage, verdict
from tests.widget_checks import move_every_control


@pytest.fixture(scope="module")
def explorer():
    return nb.edge_of_chaos_explorer()


def test_explorer_moves_every_control_and_preset(explorer):
    assert bytes(explorer.image.value)[:4] == b"\x89PNG" and "could not update" not in explorer.readout.value
    move_every_control(explorer)
    for preset in explorer.presets:
        explorer.apply(preset)
        assert "could not update" not in explorer.readout.value, (preset, explorer.readout.value)


def test_presets_land_in_their_phase(explorer):
    for preset, phase in [("edge of chaos", "critical"), ("ordered", "ordered"), ("chaotic", "chaotic"),
                          ("PyTorch tanh gain", "chaotic")]:
        explorer.apply(preset)
        assert f"<b>{phase}</b> phase" in explorer.readout.value, (preset, explorer.readout.value)
    explorer.apply("PyTorch tanh gain")
    assert "χ₁ = 1.210" in explorer.readout.value


def test_bench_settings_and_blow_up_give_text_not_numbers_from_nan(explorer):
    for values in nb.BENCH.values():
        explorer.presets["bench"] = values
        explorer.apply("bench")
        assert "could not update" not in explorer.readout.value
    explorer.presets["blow"] = dict(activation="relu", sigma_w=3.0, sigma_b=0.6, depth=64)
    explorer.apply("blow")
    text = explorer.readout.value
    assert "could not update" not in text and "diverged" in text and "nan" not in text.lower()
    explorer.apply("reset")


@pytest.mark.parametrize("values", [nb.BENCH["edge_of_chaos_explorer"],
                                    dict(sigma_w=3.0, sigma_b=0.6, depth=64, activation="linear", weights="gaussian"),
                                    dict(sigma_w=0.3, sigma_b=0.0, depth=64, activation="relu", weights="orthogonal")])
def test_compute_raises_no_runtime_warning(values):
    from helpers.nb08_edge_of_chaos.explorer import edge_compute
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        r = edge_compute(**values)
    assert r["counts"].sum() <= 1.0 + 1e-12


@pytest.mark.parametrize("sigma_b", [0.0, 0.001, 0.224, 0.3, 0.6])
def test_explorer_fast_critical_line_is_the_theory_to_the_last_bit(sigma_b):
    """The explorer's critical sigma_w^2 (the bisection without per-call checks) is meanfield's, bit for bit."""
    from helpers.nb08_edge_of_chaos.explorer import edge_compute
    assert edge_compute(sigma_b=sigma_b, depth=2)["critical"] == float(nb.critical_sw2(sigma_b ** 2, "tanh"))


def test_explorer_stages_give_the_whole_computation():
    """Cached stages (theory up to a block of 16 layers, weights per layer) give what one pass at that depth gives."""
    from helpers.nb08_edge_of_chaos.explorer import edge_compute
    from helpers.nb08_edge_of_chaos.netrun import base_net
    r = edge_compute(sigma_w=1.3, sigma_b=0.2, depth=21, activation="tanh", weights="orthogonal")
    q_th, c_th = nb.theory_curves(1.0, 0.5, 1.3 ** 2, 0.2 ** 2, 21, "tanh")
    np.testing.assert_array_equal(r["q_theory"], q_th)
    np.testing.assert_array_equal(r["c_theory"], c_th)
    W, b, X, _, dtop = base_net("orthogonal")
    q, c, ratio = nb.propagate([(1.3 * W[l], 0.2 * b[l]) for l in range(21)], X, dtop, "tanh")
    for got, want in ((r["q"], q), (r["c"], c), (r["ratio"], ratio)):
        np.testing.assert_array_equal(got, want)
    assert r["q_jac"] == nb.start_length(1.3 ** 2, 0.2 ** 2, "tanh")


def test_explorer_theory_matches_simulation_at_default(explorer):
    from helpers.nb08_edge_of_chaos.explorer import edge_compute
    r = edge_compute(sigma_w=float(np.sqrt(1.25)), sigma_b=float(np.sqrt(0.05)), depth=40)
    # 128 units: per-layer noise of order 1/sqrt(128 x 8); the geometric mean of 20 layers is within 10% of chi_1
    assert np.exp(np.mean(np.log(r["ratio"][20:]))) == pytest.approx(r["theory"].chi_1, rel=0.1)


# --------------------------------------------------------------------------------------------------- exercises
# right answers in any form pass, each known slip gets its hint, garbage gets a quiet sentence
SW2 = float(nb.critical_sw2(0.1))
XI = -1 / np.log(0.9)
GARBAGE = [None, "1.8", True, [], [1.0, 2.0], {}, object(), float("nan"), float("inf"), np.array([[1.0, 2.0]]),
           [[True]], -5, 0, 1e308, 10 ** 400, np.float32(3.0), np.array(2.0), [2.0], np.array([2.0]), 1j]


def test_stub_answers_keep_the_sentences_the_notebook_shows():
    assert str(ex08.check_critical_sw2(None)) == "Not yet: set sw2 to a number first (it is still None)."
    assert str(ex08.check_depth_scale(None)) == "Not yet: set xi to a number first (it is still None)."
    assert str(ex08.check_norm_ratios(lambda W, X: None)) == (
        "Not yet: norm_ratios returned None: is the `return` line still missing?")


@pytest.mark.parametrize("check", [ex08.check_critical_sw2, ex08.check_depth_scale])
def test_number_checkers_answer_garbage_quietly(check):
    rejects_garbage(check)
    for answer in GARBAGE:
        verdict(check, answer)  # a sentence, no exception, no warning (a float may happen to be right)


def test_number_checkers_accept_every_form_of_a_number():
    accepts_every_form(ex08.check_critical_sw2, lambda form: form(SW2))
    accepts_every_form(ex08.check_depth_scale, lambda form: form(XI))
    assert verdict(ex08.check_critical_sw2, SW2 * 1.009) and verdict(ex08.check_depth_scale, 9.49)  # within 1%


@pytest.mark.parametrize("answer,hint", [(np.sqrt(SW2), "sigma_w, the square root"), (1.0, "without biases"),
                                         (float(nb.critical_sw2(0.05)), "0.05"), (float(nb.critical_sw2(0.01)), "0.01"),
                                         (-5, "positive"), (0, "positive"), (SW2 * 1.02, "decrease it"),
                                         (SW2 * 0.98, "increase it"), ("1.98", "without quotes")])
def test_critical_sw2_hints(answer, hint):
    not_yet(ex08.check_critical_sw2, answer, words=hint)


@pytest.mark.parametrize("answer,hint", [(10.0, "first-order"), (1 / np.log(0.9), "sign"),
                                         (-1 / np.log10(0.9), "base 10"), (-6 / np.log(0.9), "6 xi_c"),
                                         (-np.log(0.9), "decay rate"), (XI * 1.02, "solve for xi_c")])
def test_depth_scale_hints(answer, hint):
    not_yet(ex08.check_depth_scale, answer, words=hint)


def _right(W, X):
    return np.linalg.norm(X @ W, axis=1) / np.linalg.norm(X, axis=1)


def _not_implemented(W, X):
    raise NotImplementedError


@pytest.mark.parametrize("fn", [_right, lambda W, X: _right(W, X).tolist(), lambda W, X: tuple(_right(W, X))])
def test_norm_ratio_checker_passes_the_right_answer(fn):
    assert "every ratio is 1" in verdict(ex08.check_norm_ratios, fn)


@pytest.mark.parametrize("fn,hint", [
    (lambda W, X: _right(W, X) ** 2, "squared"),
    (lambda W, X: 1 / _right(W, X), "upside down"),
    (lambda W, X: np.linalg.norm(X @ W.T, axis=1) / np.linalg.norm(X, axis=1), "with the Gaussian W, row"),
    (lambda W, X: np.linalg.norm(X @ W) / np.linalg.norm(X), "one number"),
    (lambda W, X: _right(W, X)[:10], "return shape (50,)"),
    (lambda W, X: None, "returned None"),
    (_not_implemented, "NotImplementedError"),
    (lambda W, X: 1 / 0, "ZeroDivisionError"),
    (lambda W, X: np.log(-np.abs(X)).sum(axis=1), "NaN"),
    (lambda W, X: "text", "array of numbers"),
    (lambda W, X: W.fill(0) or _right(W, X), "in place"),
    (3, "itself"),
])
def test_norm_ratio_checker_names_the_slip(fn, hint):
    not_yet(ex08.check_norm_ratios, fn, words=hint)


def test_norm_ratio_checker_answers_garbage_quietly():
    rejects_garbage(ex08.check_norm_ratios, functions=True)
