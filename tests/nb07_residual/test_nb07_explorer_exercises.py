"""Notebook 07: the explorer (every control, every preset, the biggest settings) and the exercise checkers."""
import numpy as np
import pytest

import helpers as hp
from helpers import nb07_residual as nb
from tests.widget_checks import move_every_control


def test_explorer_moves_every_control_and_preset():
    ex = nb.residual_explorer()
    assert bytes(ex.image.value)[:4] == b"\x89PNG" and "could not update" not in ex.readout.value
    assert "Theory" in ex.readout.value and "blocks" in ex.readout.value  # the text alternative names the setting
    move_every_control(ex)
    for name in ex.presets:
        before = bytes(ex.image.value)
        ex.apply(name)
        assert "could not update" not in ex.readout.value, (name, ex.readout.value)
        assert name == "reset" or bytes(ex.image.value) != before, name
    for control, value in nb.BENCH["residual_explorer"].items():
        ex.controls[control].value = value
    assert "could not update" not in ex.readout.value
    ex.large.value = True
    assert ex.fig.get_size_inches()[0] > 12


def test_explorer_reports_divergence_and_theory():
    r = nb.residual_compute(depth=50, alpha="1", norm="none", activation="relu", init="he_normal")
    np.testing.assert_allclose(r["theory"][-1], 2 ** 25)
    assert r["forward"][-1] > 1e6  # explodes like the theory
    r0 = nb.residual_compute(depth=10, alpha="0", norm="none", activation="relu", init="he_normal")
    np.testing.assert_allclose(r0["forward"][1:], 1.0)
    plain = nb.residual_compute(depth=10, alpha="plain", norm="layer", activation="tanh", init="glorot_normal")
    assert plain["theory"] is None and plain["alpha"] is None
    # pre-layer-norm: the mean square grows linearly, q_l = q_0 + l alpha^2 (within 20% at 64 units)
    ln = nb.residual_compute(depth=50, alpha="1", norm="layer", activation="relu", init="he_normal")
    assert np.all(np.abs(ln["forward"] / ln["theory"] - 1) < 0.2)
    with pytest.raises(ValueError, match="residual scale"):
        nb.alpha_value("2", 10)


def test_stream_theory_and_sizes_bad_input():
    np.testing.assert_allclose(nb.stream_theory(4, 1.0), [1, 2 ** 0.5, 2, 2 ** 1.5, 4])
    np.testing.assert_allclose(nb.stream_theory(3, 1.0, "layer", q0=1.0), np.sqrt([1, 2, 3, 4]))
    for bad in (dict(blocks=0, alpha=1.0), dict(blocks=3, alpha=-1.0)):
        with pytest.raises(ValueError):
            nb.stream_theory(**bad)
    with pytest.raises(ValueError, match="seeds"):
        nb.run_digits(hp.load_digits_split(np.random.default_rng(0)), [])


# ---- exercise checkers -------------------------------------------------------------------------------

GARBAGE = [None, "264.7", b"1", {"a": 1}, [1.0, 2.0], np.ones((2, 2)), [], np.nan, np.inf, True, object(), 1j,
           ["a"]]


@pytest.mark.parametrize("answer", [1.25 ** 25, np.float32(1.25 ** 25), np.array(1.25 ** 25), np.array([1.25 ** 25]),
                                    [1.25 ** 25], (1 + 0.5 ** 2) ** (50 / 2)])
def test_check_growth_accepts_every_kind_of_number(answer):
    assert hp.ex07.check_growth(answer)


@pytest.mark.parametrize("answer,expect", [
    (1.25 ** 50, "mean square"), (1.5 ** 25, "alpha where alpha^2"), (1.5 ** 50, "(1 + alpha)^L"),
    (np.sqrt(1.25), "one block"), (1 + 50 * 0.25 / 2, "start of the series"), (np.exp(6.25), "small alpha"),
    (2 ** 25, "alpha = 1"), (3.0, "not it"),
])
def test_check_growth_names_the_slip(answer, expect):
    result = hp.ex07.check_growth(answer)
    assert not result and expect in result, result


@pytest.mark.parametrize("check", [hp.ex07.check_growth, hp.ex07.check_alpha_budget])
@pytest.mark.parametrize("garbage", GARBAGE, ids=lambda g: type(g).__name__)
def test_number_checkers_answer_garbage_with_a_sentence(check, garbage):
    result = check(garbage)  # pytest turns any RuntimeWarning into an error
    assert isinstance(result, hp.Feedback) and not result and len(str(result)) > 20


@pytest.mark.parametrize("answer,ok", [
    (0.1, True), (np.float64(0.05), True), ([0.118], True), (np.array([np.sqrt(2 ** 0.02 - 1)]), True),
    (0.12, False), (1.0, False), (0.0, False), (-0.1, False),
])
def test_check_alpha_budget(answer, ok):
    result = hp.ex07.check_alpha_budget(answer)
    assert bool(result) is ok, result
    if answer == 0.0:
        assert "do nothing" in result


def _ln(z, g, b, eps=1e-5):
    return g * (z - z.mean(1, keepdims=True)) / np.sqrt(z.var(1, keepdims=True) + eps) + b


def _raise(*args):
    raise NotImplementedError


@pytest.mark.parametrize("answer,expect", [
    (_ln, None),
    (lambda z, g, b: g * (z - z.mean(0)) / np.sqrt(z.var(0) + 1e-5) + b, "axis=0"),
    (lambda z, g, b: g * (z - z.mean(1, keepdims=True)) / np.sqrt(z.var(1, ddof=1, keepdims=True) + 1e-5) + b, "ddof"),
    (lambda z, g, b: g * (z - z.mean(1, keepdims=True)) / z.std(1, keepdims=True) + b, "left out eps"),
    (lambda z, g, b: g * (z - z.mean(1, keepdims=True)) / (z.std(1, keepdims=True) + 1e-5) + b, "std + eps"),
    (lambda z, g, b: _ln(z, b, g), "swapped"),
    (lambda z, g, b: _ln(z, 1.0, 0.0), "zhat"),
    (lambda z, g, b: _ln(z, g, b).T, "transposed"),
    (lambda z, g, b: _ln(z, g, b)[:1], "shape"),
    (lambda z, g, b: None, "returned None"),
    (lambda z, g, b: z.__isub__(z.mean(1, keepdims=True)), "in place"),
    (_raise, "NotImplementedError"),
    (lambda z, g, b: "text", "array of numbers"),
    (lambda z, g, b: _ln(z, g, b) + 0.1, "expected"),
    (lambda z, g, b: np.full_like(z, np.nan), "expected"),
    (42, "function itself"),
])
def test_check_layer_norm(answer, expect):
    result = hp.ex07.check_layer_norm(answer)
    assert bool(result) is (expect is None), result
    assert expect is None or expect in result, result


@pytest.mark.parametrize("answer,expect", [
    (lambda g, x, W, a: g + a * (g @ W.T) * (x > 0), None),
    (lambda g, x, W, a: a * (g @ W.T) * (x > 0), "no skip"),
    (lambda g, x, W, a: g + (g @ W.T) * (x > 0), "no alpha"),
    (lambda g, x, W, a: g + a * (g @ W.T), "no ReLU slope"),
    (lambda g, x, W, a: g + a * (g @ W) * (x > 0), "W.T belongs"),
    (lambda g, x, W, a: g * a * (g @ W.T) * (x > 0), "product"),
    (lambda g, x, W, a: (g + a * (g @ W.T) * (x > 0))[:, :3], "shape"),
    (lambda g, x, W, a: None, "returned None"),
    (lambda g, x, W, a: 1 / 0, "ZeroDivisionError"),
    (lambda g, x, W, a: g, "differs"),
    ("f", "function itself"),
])
def test_check_residual_backward(answer, expect):
    result = hp.ex07.check_residual_backward(answer)
    assert bool(result) is (expect is None), result
    assert expect is None or expect in result, result


def test_residual_backward_solution_matches_the_core():
    """The exercise's formula is what hp.backward computes for a block (W square, ReLU)."""
    rng = np.random.default_rng(0)
    params = hp.init_mlp([4, 4, 4, 3], "he_normal", rng)
    X = rng.standard_normal((5, 4))
    out, cache = hp.forward(params, X, "relu", residual=0.5)
    back = hp.backward_pass(params, cache, rng.standard_normal(out.shape))
    g, x, W = back.dzs[1], cache.zs[0], params[1][0]
    np.testing.assert_allclose(back.dzs[0], g + 0.5 * (g @ W.T) * (x > 0))
