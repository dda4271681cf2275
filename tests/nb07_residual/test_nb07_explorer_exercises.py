"""Notebook 07: the explorer (every control, every preset, the biggest settings) and the exercise checkers."""
import numpy as np
import pytest

import helpers as hp
from helpers import nb07_residual as nb
from tests.checker_checks import accepts_every_form, not_yet, rejects_garbage, verdict
from tests.widget_checks import apply_every_preset, move_every_control


def test_explorer_moves_every_control_and_preset():
    ex = nb.residual_explorer()
    assert bytes(ex.image.value)[:4] == b"\x89PNG" and "could not update" not in ex.readout.value
    assert "Theory" in ex.readout.value and "blocks" in ex.readout.value  # the text alternative names the setting
    move_every_control(ex)
    apply_every_preset(ex)
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


# ---- exercise checkers: right answers in any form pass, each known slip gets its hint, garbage a quiet sentence

ex07 = hp.ex07
GROWTH = 1.25 ** 25  # (1 + 0.5^2)^(50/2)
MORE_GARBAGE = [b"1", {"a": 1}, [1.0, 2.0], np.ones((2, 2)), [], np.nan, np.inf, True, object(), 1j, ["a"], ...]


def test_stub_answers_keep_the_sentences_the_notebook_shows():
    """The notebook's saved outputs for the stubs (None) are these sentences."""
    assert str(ex07.check_growth(None)) == "Not yet: growth is None: is the line that computes it still missing?"
    assert str(ex07.check_alpha_budget(None)) == "Not yet: alpha is None: is the line that computes it still missing?"
    assert str(ex07.check_layer_norm(lambda z, gamma, beta, eps=1e-5: None)) == (
        "Not yet: layer_norm, on z of shape (3, 4), returned None: is the `return` line still missing?")
    assert str(ex07.check_residual_backward(lambda g, x, W, alpha: None)) == (
        "Not yet: residual_backward, with alpha = 0.5, returned None: is the `return` line still missing?")


def test_check_growth():
    accepts_every_form(ex07.check_growth, lambda form: form(GROWTH))
    assert verdict(ex07.check_growth, GROWTH * (1 + 5e-4))  # within 0.1%
    for answer, words in [(1.25 ** 50, "mean square"), (1.5 ** 25, "alpha where alpha^2"), (1.5 ** 50, "(1 + alpha)^L"),
                          (np.sqrt(1.25), "one block"), (1 + 50 * 0.25 / 2, "start of the series"),
                          (np.exp(6.25), "small alpha"), (2 ** 25, "alpha = 1"), (3.0, "not it"),
                          (GROWTH * 1.002, "not it"), ("264.7", "without quotes"), (-GROWTH, "not it")]:
        not_yet(ex07.check_growth, answer, words=words)
    rejects_garbage(ex07.check_growth)
    for answer in MORE_GARBAGE:
        not_yet(ex07.check_growth, answer)


def test_check_alpha_budget():
    accepts_every_form(ex07.check_alpha_budget, lambda form: form(0.1))
    alpha_max = np.sqrt(2 ** 0.02 - 1)  # (1 + a^2)^50 = 2
    for answer in (0.05, np.float64(0.118), [0.118], np.array([alpha_max]), 1e-6):
        assert verdict(ex07.check_alpha_budget, answer), answer
    assert "1/sqrt(L) = 0.1" in verdict(ex07.check_alpha_budget, 0.1)
    for answer, words in [(0.12, "more than 2"), (1.0, "more than 2"), (alpha_max * 1.001, "more than 2"),
                          (0.0, "do nothing"), (-0.1, "negative"), (-5, "negative"),
                          (1210, "inf, more than 2"), (1e200, "inf, more than 2")]:  # 1210 once raised OverflowError
        not_yet(ex07.check_alpha_budget, answer, words=words)
    rejects_garbage(ex07.check_alpha_budget)
    for answer in MORE_GARBAGE:
        not_yet(ex07.check_alpha_budget, answer)


def _ln(z, g, b, eps=1e-5):
    return g * (z - z.mean(1, keepdims=True)) / np.sqrt(z.var(1, keepdims=True) + eps) + b


def _not_implemented(*args):
    raise NotImplementedError


def test_check_layer_norm():
    assert verdict(ex07.check_layer_norm, _ln)
    assert verdict(ex07.check_layer_norm, lambda z, g, b: _ln(z, g, b).tolist())
    for answer, words in [
        (lambda z, g, b: g * (z - z.mean(0)) / np.sqrt(z.var(0) + 1e-5) + b, "axis=0"),
        (lambda z, g, b: g * (z - z.mean(1, keepdims=True)) / np.sqrt(z.var(1, ddof=1, keepdims=True) + 1e-5) + b,
         "ddof"),
        (lambda z, g, b: g * (z - z.mean(1, keepdims=True)) / z.std(1, keepdims=True) + b, "left out eps"),
        (lambda z, g, b: g * (z - z.mean(1, keepdims=True)) / (z.std(1, keepdims=True) + 1e-5) + b, "std + eps"),
        (lambda z, g, b: _ln(z, b, g), "swapped"),
        (lambda z, g, b: _ln(z, 1.0, 0.0), "zhat"),
        (lambda z, g, b: _ln(z, g, b).T, "transposed"),
        (lambda z, g, b: _ln(z, g, b)[:1], "should have shape (3, 4)"),
        (lambda z, g, b: z.__isub__(z.mean(1, keepdims=True)), "in place"),
        (_not_implemented, "NotImplementedError"),
        (lambda z, g, b: 1 / 0, "ZeroDivisionError"),
        (lambda z, g, b: "text", "array of numbers"),
        (lambda z, g, b: _ln(z, g, b) + 0.1, "expected"),
        (lambda z, g, b: np.full_like(z, np.nan), "NaN or inf"),
        (lambda z, g, b: _ln(z, g, b) if len(z) > 1 else z, "shape (1, 4)"),  # right on the batch, not on one example
        (42, "itself"),
    ]:
        not_yet(ex07.check_layer_norm, answer, words=words)
    rejects_garbage(ex07.check_layer_norm, functions=True)


def _back(g, x, W, a):
    return g + a * (g @ W.T) * (x > 0)


def test_check_residual_backward():
    assert verdict(ex07.check_residual_backward, _back)
    for answer, words in [
        (lambda g, x, W, a: a * (g @ W.T) * (x > 0), "no skip"),
        (lambda g, x, W, a: g + (g @ W.T) * (x > 0), "no alpha"),
        (lambda g, x, W, a: g + a * (g @ W.T), "no ReLU slope"),
        (lambda g, x, W, a: g + a * (g @ W) * (x > 0), "W.T belongs"),
        (lambda g, x, W, a: g * a * (g @ W.T) * (x > 0), "product"),
        (lambda g, x, W, a: _back(g, x, W, a)[:, :3], "should have shape (5, 6)"),
        (lambda g, x, W, a: _back(g, x, W, 0.5), "alpha = 0.1"),  # alpha fixed at the first case's value
        (lambda g, x, W, a: 1 / 0, "ZeroDivisionError"),
        (lambda g, x, W, a: g, "g + alpha (g W^T) * relu'(x)"),
        ("f", "itself"),
    ]:
        not_yet(ex07.check_residual_backward, answer, words=words)
    rejects_garbage(ex07.check_residual_backward, functions=True)


def test_residual_backward_solution_matches_the_core():
    """The exercise's formula is what hp.backward computes for a block (W square, ReLU)."""
    rng = np.random.default_rng(0)
    params = hp.init_mlp([4, 4, 4, 3], "he_normal", rng)
    X = rng.standard_normal((5, 4))
    out, cache = hp.forward(params, X, "relu", residual=0.5)
    back = hp.backward_pass(params, cache, rng.standard_normal(out.shape))
    g, x, W = back.dzs[1], cache.zs[0], params[1][0]
    np.testing.assert_allclose(back.dzs[0], g + 0.5 * (g @ W.T) * (x > 0))
