"""Notebook 08: the explorer (every control, every preset, the biggest settings, blow-up as text) and the
exercise checkers (right answers pass, known slips get their hint, garbage gets a sentence, nothing raises)."""
import warnings

import numpy as np
import pytest

import helpers as hp
from helpers import ex08
from helpers import nb08_edge_of_chaos as nb
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


def test_explorer_theory_matches_simulation_at_default(explorer):
    from helpers.nb08_edge_of_chaos.explorer import edge_compute
    r = edge_compute(sigma_w=float(np.sqrt(1.25)), sigma_b=float(np.sqrt(0.05)), depth=40)
    # 128 units: per-layer noise of order 1/sqrt(128 x 8); the geometric mean of 20 layers is within 10% of chi_1
    assert np.exp(np.mean(np.log(r["ratio"][20:]))) == pytest.approx(r["theory"].chi_1, rel=0.1)


# --------------------------------------------------------------------------------------------------- exercises
GARBAGE = [None, "1.8", True, [], [1.0, 2.0], {}, object(), float("nan"), float("inf"), np.array([[1.0, 2.0]]),
           [[True]], -5, 0, 1e308, np.float32(3.0), np.array(2.0), [2.0], np.array([2.0])]


@pytest.mark.parametrize("check", [ex08.check_critical_sw2, ex08.check_depth_scale])
@pytest.mark.parametrize("answer", GARBAGE, ids=range(len(GARBAGE)))
def test_number_checkers_never_raise_or_warn(check, answer):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        feedback = check(answer)
    assert isinstance(feedback, hp.Feedback) and str(feedback).startswith(("Correct", "Not yet"))


@pytest.mark.parametrize("form", [float, np.float64, np.array, lambda v: np.array([v]), lambda v: [v]])
def test_number_checkers_accept_every_form_of_a_number(form):
    assert ex08.check_critical_sw2(form(float(nb.critical_sw2(0.1))))
    assert ex08.check_depth_scale(form(-1 / np.log(0.9)))


@pytest.mark.parametrize("slip,hint", [(np.sqrt(float(nb.critical_sw2(0.1))), "sigma_w, the square root"),
                                       (1.0, "without biases"), (float(nb.critical_sw2(0.05)), "0.05")])
def test_critical_sw2_hints(slip, hint):
    feedback = ex08.check_critical_sw2(slip)
    assert not feedback and hint in feedback


@pytest.mark.parametrize("slip,hint", [(10.0, "first-order"), (1 / np.log(0.9), "sign"), (-1 / np.log10(0.9), "base 10"),
                                       (-6 / np.log(0.9), "6 xi_c")])
def test_depth_scale_hints(slip, hint):
    feedback = ex08.check_depth_scale(slip)
    assert not feedback and hint in feedback


def _right(W, X):
    return np.linalg.norm(X @ W, axis=1) / np.linalg.norm(X, axis=1)


@pytest.mark.parametrize("fn,ok,hint", [
    (_right, True, "every ratio is 1"),
    (lambda W, X: _right(W, X).tolist(), True, "every ratio is 1"),
    (lambda W, X: _right(W, X) ** 2, False, "squared"),
    (lambda W, X: 1 / _right(W, X), False, "upside down"),
    (lambda W, X: np.linalg.norm(X @ W.T, axis=1) / np.linalg.norm(X, axis=1), False, "row"),
    (lambda W, X: np.linalg.norm(X @ W) / np.linalg.norm(X), False, "one number"),
    (lambda W, X: None, False, "None"),
    (lambda W, X: 1 / 0, False, "ZeroDivisionError"),
    (lambda W, X: np.log(-np.abs(X)).sum(axis=1), False, "NaN"),
    (lambda W, X: "text", False, "array of numbers"),
    (3, False, "function itself"),
])
def test_norm_ratio_checker(fn, ok, hint):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        feedback = ex08.check_norm_ratios(fn)
    assert bool(feedback) is ok and hint in feedback, feedback
