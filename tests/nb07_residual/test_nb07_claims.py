"""Notebook 07: one test per claim (C25, C26, C27), with the notebook's settings and seeds.

Thresholds come from the theory: the residual stream grows by sqrt(1 + alpha^2) per block; batch norm's
statistics depend on the batch and layer norm's do not; the digits recipes stall at ln 10 or leave it.
"""
import numpy as np
import pytest

import helpers as hp
from helpers import nb07_residual as nb


@pytest.mark.parametrize("alpha", [1.0, 0.1, 0.0])
def test_C25_stream_grows_like_one_plus_alpha_squared_per_block(alpha):
    g = nb.residual_growth(alpha, rng=np.random.default_rng(1))  # the notebook's net: 100 blocks of 256 units
    theory = np.sqrt(1 + alpha ** 2)
    # per block: each block's mean-square factor is 1 + alpha^2 up to a relative noise of order alpha^2 sqrt(2 / (n B))
    # (n = 256 units, B = 64 inputs): the geometric mean over 100 blocks is within 1% of the theory
    for total in (g.forward_total, g.backward_total):
        assert abs(total ** (1 / g.blocks) / theory - 1) < 0.01, (alpha, total)
    # per layer: the running product stays within a factor 4 of (1 + alpha^2)^(l/2) on a scale of up to 1e15
    assert g.worst_factor < 4
    if alpha == 1.0:
        assert 1e14 < g.forward_total < 1e16 and 1e14 < g.backward_total < 1e16  # "about 1e15"
    if alpha == 0.1:
        assert 1.4 < g.forward_total < 2.0 and 1.4 < g.backward_total < 2.0  # "about 1.65"


def test_C25_zero_branches_make_every_block_the_identity():
    g = nb.residual_growth(1.0, rng=np.random.default_rng(1), blocks=20, width=64, zero_branch=True)
    np.testing.assert_allclose(g.forward, 1.0, rtol=1e-12)
    np.testing.assert_allclose(g.backward, 1.0, rtol=1e-12)
    np.testing.assert_array_equal(g.theory_forward, 1.0)


def test_C25_without_skips_the_gradient_has_no_direct_path():
    """A plain He/ReLU net keeps the size on average but not exactly; the skips with alpha = 0 pass it exactly."""
    params = hp.init_mlp(nb.residual_sizes(64, 64, 30, 64), "he_normal", np.random.default_rng(0))
    X = np.random.default_rng(1).standard_normal((32, 64))
    _, bwd_skip = nb.stream_sizes(params, X, rng=np.random.default_rng(2), residual=0.0)
    assert np.allclose(bwd_skip[1:], bwd_skip[-1])  # dL/dx_l = dL/dx_top exactly: the identity path


@pytest.fixture(scope="module")
def digits():
    return hp.load_digits_split(np.random.default_rng(0))


def test_C25_residual_net_trains_where_the_plain_net_is_slow(digits):
    seeds, blocks = range(2), nb.DIGIT_DEPTH - 1
    plain = nb.run_digits(digits, seeds, lr=0.05)
    resid = nb.run_digits(digits, seeds, lr=0.05, residual=1 / np.sqrt(blocks))
    assert np.all(resid.final_loss < 0.5) and np.all(plain.final_loss > 1.0)
    assert resid.test_accuracy.min() > 0.85 > 0.5 > plain.test_accuracy.max()
    # alpha = 1 multiplies the logits by about 2^(19/2) = 724: the first loss is far above ln 10
    big = nb.run_digits(digits, seeds, lr=0.05, residual=1.0, steps=5)
    assert np.all(big.loss[:, 0] > 100 * nb.CHANCE_LOSS)


def test_C26_batch_norm_depends_on_the_batch_layer_norm_does_not(digits):
    X, y = digits[0][:512], digits[1][:512]
    deps = {}
    for norm in ("batch", "layer"):
        params = hp.init_mlp([64, 32, 32, 32, 10], "he_normal", np.random.default_rng(2), norm=norm)
        deps[norm] = nb.batch_dependence(params, X, y, norm, rng=np.random.default_rng(3))
    b, l = deps["batch"], deps["layer"]
    # the batch mean's spread shrinks like 1/sqrt(batch): more than a factor 2 from batch 2 to 64 (sqrt(32) = 5.7)
    assert b.stat_spread[0] > 2 * b.stat_spread[-1] > 0.05
    assert np.ptp(b.loss) > 0.01 and b.change[0] > 0.1 and b.infer_gap > 0.1
    assert np.all(l.stat_spread < 1e-12) and np.ptp(l.loss) < 1e-12 and np.all(l.change < 1e-12) and l.infer_gap < 1e-12
    one = X[:1]
    out, _ = hp.forward(hp.init_mlp([64, 32, 10], "he_normal", np.random.default_rng(0), norm="layer"), one, norm="layer")
    assert np.all(np.isfinite(out))
    with pytest.raises(ValueError, match="at least 2"):
        hp.forward(hp.init_mlp([64, 32, 10], "he_normal", np.random.default_rng(0), norm="batch"), one, norm="batch")


@pytest.mark.slow
def test_C27_the_series_recipes_on_the_digits(digits):
    seeds = range(3)
    run = lambda **kw: nb.run_digits(digits, seeds, **kw)  # noqa: E731
    ln10 = nb.CHANCE_LOSS
    sigmoid = run(activation="sigmoid", init="standard_normal", lr=0.1)
    tanh = run(activation="tanh", init="glorot_normal", lr=0.1)
    glorot_relu = run(activation="relu", init="glorot_normal", lr=0.05)
    he_relu = run(activation="relu", init="he_normal", lr=0.05)
    # stall: every seed within 0.05 of ln 10 and at chance level; train: mean test accuracy above 0.6
    for r in (sigmoid, glorot_relu):
        assert np.all(np.abs(r.final_loss - ln10) < 0.05) and r.test_accuracy.max() < 0.2
    assert tanh.test_accuracy.mean() > 0.6 and np.all(tanh.final_loss < ln10 - 1)
    assert np.all(he_relu.final_loss < ln10 - 0.25) and he_relu.test_accuracy.mean() > 0.2  # He learns, Glorot not
    # a large learning rate kills ReLU units and costs accuracy
    relu_large = run(activation="relu", init="he_normal", lr=0.15)
    assert relu_large.dead.mean() > he_relu.dead.mean() and relu_large.test_accuracy.mean() < he_relu.test_accuracy.mean()
    # ...where the toy data's conclusion does not carry over: leaky ReLU keeps its units but not its accuracy
    leaky, leaky_large = run(activation="leaky_relu", init="he_normal", lr=0.05), run(
        activation="leaky_relu", init="he_normal", lr=0.15)
    assert leaky_large.dead.max() == 0 and leaky_large.test_accuracy.mean() < leaky.test_accuracy.mean() - 0.1
