import warnings

import numpy as np
import pytest

import helpers as hp


def test_cross_entropy_value_and_stability():
    logits = np.array([[0.0, 0.0], [1e3, -1e3]])
    loss, d = hp.softmax_cross_entropy(logits, np.array([0, 0]))
    assert loss == pytest.approx(np.log(2) / 2)
    np.testing.assert_allclose(d[0], [-0.25, 0.25])
    np.testing.assert_allclose(hp.softmax(logits).sum(axis=1), 1.0)


def test_losses_report_divergence():
    loss, _ = hp.softmax_cross_entropy(np.array([[np.inf, 0.0]]), np.array([1]))
    assert loss == np.inf
    loss, _ = hp.mse(np.array([[np.nan]]), np.array([[0.0]]))
    assert loss == np.inf


@pytest.mark.parametrize("make", [hp.make_spirals, hp.make_moons], ids=["spirals", "moons"])
def test_datasets(make):
    X, y = make(300, np.random.default_rng(1))
    X2, y2 = make(300, np.random.default_rng(1))
    np.testing.assert_array_equal(X, X2)
    assert X.shape == (300, 2) and y.shape == (300,) and set(y) == {0, 1}
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1)


def test_bad_dataset_args():
    with pytest.raises(ValueError, match="n must be a positive integer"):
        hp.make_moons(0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="noise"):
        hp.make_spirals(10, np.random.default_rng(0), noise=-1)


def test_training_learns_moons(rng):
    X, y = hp.make_moons(400, rng)
    params = hp.init_mlp([2, 32, 32, 2], "he_normal", rng)
    trained, h = hp.train(params, X, y, "relu", lr=0.3, steps=300)
    assert not h.diverged
    assert h.loss[-1] < 0.5 * h.loss[0] and h.accuracy[-1] > 0.9
    assert h.grad_norm.shape == (300, 3) and h.dead.shape == (300, 2)
    assert not np.shares_memory(trained[0][0], params[0][0])  # the input params are untouched


def test_divergence_is_reported_without_warnings(rng):
    X, y = hp.make_spirals(200, rng)
    params = hp.init_mlp([2] + [64] * 6 + [2], init=3.0, rng=rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, h = hp.train(params, X, y, "relu", lr=1.0, steps=50)
    assert h.diverged and h.diverged_at is not None
    assert np.isnan(h.loss[h.diverged_at:]).all() and h.final_loss == np.inf


@pytest.mark.parametrize("clip", [dict(clip_value=0.01), dict(clip_norm=0.05)])
def test_clipping_bounds_the_update(clip, rng):
    X, y = hp.make_moons(200, rng)
    params = hp.init_mlp([2, 16, 16, 2], init=2.0, rng=rng)
    _, h = hp.train(params, X, y, "relu", lr=1.0, steps=20, **clip)
    if "clip_norm" in clip:
        # the global norm after clipping is at most clip_norm, so each layer's update is at most lr * clip_norm
        assert np.nanmax(h.update_norm) <= 1.0 * 0.05 + 1e-12
    else:
        assert np.nanmax(h.update_norm) <= 1.0 * 0.01 * np.sqrt(max(W.size for W, _ in params)) + 1e-12


def test_global_norm_clip_keeps_direction(rng):
    grads = [(rng.normal(size=(3, 3)), rng.normal(size=3)) for _ in range(2)]
    clipped = hp.clip_by_global_norm(grads, 0.5)
    assert hp.global_norm(clipped) == pytest.approx(0.5)
    k = clipped[0][0][0, 0] / grads[0][0][0, 0]
    np.testing.assert_allclose(clipped[1][1], k * grads[1][1])


def test_minibatch_needs_rng(rng):
    X, y = hp.make_moons(50, rng)
    params = hp.init_mlp([2, 4, 2], "he_normal", rng)
    with pytest.raises(ValueError, match="rng must be a numpy Generator"):
        hp.train(params, X, y, batch_size=10)
    with pytest.raises(ValueError, match="lr must be"):
        hp.train(params, X, y, lr=0)
    _, h = hp.train(params, X, y, batch_size=10, rng=rng, steps=5)
    assert np.isfinite(h.loss).all()


def test_train_bad_input(rng):
    X, y = hp.make_moons(20, rng)
    params = hp.init_mlp([2, 4, 2], "he_normal", rng)
    with pytest.raises(ValueError, match="y has 19 labels but there are 20 examples"):
        hp.train(params, X, y[:-1])
    with pytest.raises(ValueError, match="params must be a non-empty list"):
        hp.train([], X, y)
    with pytest.raises(ValueError, match="X has 3 columns"):
        hp.train(params, np.c_[X, X[:, :1]], y)


def test_train_without_records_gives_the_same_run(rng):
    X, y = hp.make_moons(100, rng)
    params = hp.init_mlp([2, 8, 8, 2], "he_normal", rng)
    p1, h1 = hp.train(params, X, y, "relu", steps=20)
    p2, h2 = hp.train(params, X, y, "relu", steps=20, record=False)
    np.testing.assert_array_equal(h1.loss, h2.loss)
    np.testing.assert_array_equal(p1[0][0], p2[0][0])
    assert np.isnan(h2.dead).all() and np.isfinite(h1.dead).all()
