"""Notebook 05, Claim C19's mechanism: batch norm makes the loss invariant to the scale of each W_l.

Theory (eps = 0): L(cW) = L(W) for c > 0, so W . dL/dW = 0 (Euler) and dL/dW(cW) = dL/dW(W) / c. Batch norm's
eps in sqrt(var + eps) breaks this by a relative amount of order eps / var(z) (at most a few 1e-4 below), and
for good when c^2 var(z) falls below eps. Plain SGD steps are orthogonal to W, so ||W||^2 grows by exactly
lr^2 ||dW||^2 per step (Pythagoras).
"""
import numpy as np
import pytest

import helpers as hp
from helpers import nb05_normalization as nb

EPS = 1e-5  # batch norm's eps in helpers.core.normalization


@pytest.fixture(scope="module")
def small_net():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((200, 4)), rng.integers(0, 3, 200)
    params = hp.init_mlp([4, 16, 16, 3], "he_normal", np.random.default_rng(1), norm="batch")
    out, cache = hp.forward(params, X, "relu", norm="batch")
    min_var = min(z.var(axis=0).min() for z in cache.zs[:-1])
    return params, X, y, min_var


def test_gradient_orthogonal_to_w_and_scales_as_one_over_c(small_net):
    params, X, y, min_var = small_net
    tol = 10 * EPS / min_var                    # eps's relative effect, with a factor 10 to spare
    assert tol < 1e-2                            # the net is in the regime where the theory applies
    s = nb.scale_check(params, X, y, "relu", scales=(0.5, 2.0, 10.0))
    assert s.cosine.shape == s.w_norm.shape == s.grad_norm.shape == (2,)
    assert np.all(s.grad_norm > 0)
    assert np.abs(s.cosine).max() < tol
    assert s.loss_change.max() < tol * s.loss
    assert np.abs(s.grad_ratio - 1).max() < tol
    assert s.grad_ratio.shape == (3, 2)


def test_invariance_breaks_when_the_scale_reaches_eps(small_net):
    """The check can fail: once c^2 var(z) << eps, zhat ~ c (z - mu) / sqrt(eps) and the scale matters."""
    params, X, y, _ = small_net
    out, cache = hp.forward(params, X, "relu", norm="batch")
    max_var = max(z.var(axis=0).max() for z in cache.zs[:-1])
    c = 0.01 * np.sqrt(EPS / max_var)           # c^2 var(z) <= 1e-4 eps in every unit
    s = nb.scale_check(params, X, y, "relu", scales=(c,))
    assert np.abs(s.grad_ratio - 1).max() > 0.5


def test_plain_sgd_grows_w_by_pythagoras():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((128, 4)), rng.integers(0, 2, 128)
    params = hp.init_mlp([4, 16, 16, 2], "he_normal", np.random.default_rng(3), norm="batch")
    lr = 0.5
    trained, h = hp.train(params, X, y, "relu", norm="batch", lr=lr, steps=30)   # full batch, record=True
    before = np.array([np.sum(W ** 2) for W, *_ in params[:-1]])
    after = np.array([np.sum(W ** 2) for W, *_ in trained[:-1]])
    predicted = before + lr ** 2 * np.sum(h.grad_norm[:, :-1] ** 2, axis=0)
    assert np.all(after > before)
    np.testing.assert_allclose(after, predicted, rtol=1e-3)


def test_notebook_net_effective_step_shrinks_as_w_grows():
    """Notebook 05's N(0, 1) + batch norm net: ||W_l|| never shrinks under SGD, so lr ||dW|| / ||W|| falls."""
    X, y = hp.make_moons(512, np.random.default_rng(0))
    sizes = [2] + [64] * 29 + [2]
    params = hp.init_mlp(sizes, "standard_normal", np.random.default_rng(1), norm="batch")
    trained, h = hp.train(params, X, y, "relu", norm="batch", lr=0.3, steps=200, batch_size=64,
                          rng=np.random.default_rng(2), record=False)
    start, end = nb.scale_check(params, X, y, "relu"), nb.scale_check(trained, X, y, "relu")
    assert not h.diverged
    assert np.all(end.w_norm >= start.w_norm)
    assert np.all(end.grad_norm / end.w_norm < start.grad_norm / start.w_norm)
    assert np.abs(start.cosine).max() < 1e-4 and np.abs(end.cosine).max() < 1e-4


@pytest.mark.parametrize("kw, match", [(dict(scales=(0.0,)), "scales"), (dict(scales=(-2.0,)), "scales")])
def test_scale_check_rejects_bad_scales(small_net, kw, match):
    params, X, y, _ = small_net
    with pytest.raises(ValueError, match=match):
        nb.scale_check(params, X, y, "relu", **kw)


def test_scale_check_rejects_a_net_without_batch_norm(small_net):
    _, X, y, _ = small_net
    with pytest.raises(ValueError, match="params"):
        nb.scale_check(hp.init_mlp([4, 16, 3], "he_normal", np.random.default_rng(0)), X, y)
