import numpy as np
import pytest

import helpers as hp

SCHEMES = sorted(hp.SCHEMES)


def _net(rng, scheme, sizes=(4, 6, 5, 3)):
    params = hp.init_mlp(list(sizes), init=scheme, rng=rng)
    # non-zero biases, and weights rescaled so no unit sits in a flat region where differences mean little
    return [(W / max(1.0, np.abs(W).max()), rng.normal(0, 0.5, size=b.shape)) for W, b in params]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("activation", hp.ACTIVATIONS)
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_backward_matches_finite_differences(activation, scheme, loss, rng):
    params = _net(rng, scheme)
    X = rng.normal(size=(7, 4))
    y = rng.integers(0, 3, size=7) if loss == "cross_entropy" else rng.normal(size=(7, 3))
    assert hp.check_gradients(params, X, y, activation, loss) < 1e-7


def test_forward_shapes_and_linear_last_layer(rng):
    params = hp.init_mlp([3, 8, 8, 2], "he_normal", rng)
    X = rng.normal(size=(5, 3))
    out, cache = hp.forward(params, X, "relu")
    assert out.shape == (5, 2)
    assert [z.shape for z in cache.zs] == [(5, 8), (5, 8), (5, 2)]
    np.testing.assert_array_equal(out, cache.zs[-1])  # no activation after the last layer
    a1 = np.maximum(X @ params[0][0] + params[0][1], 0)
    np.testing.assert_allclose(cache.acts[0], a1)


def test_backward_changes_nothing(rng):
    params = hp.init_mlp([3, 8, 2], "glorot_uniform", rng, bias=0.1)
    before = [(W.copy(), b.copy()) for W, b in params]
    X = rng.normal(size=(5, 3))
    out, cache = hp.forward(params, X, "tanh")
    dout = rng.normal(size=out.shape)
    dout_before = dout.copy()
    grads, dX = hp.backward(params, cache, dout)
    for (W, b), (W0, b0) in zip(params, before):
        np.testing.assert_array_equal(W, W0)
        np.testing.assert_array_equal(b, b0)
    np.testing.assert_array_equal(dout, dout_before)
    assert [g[0].shape for g in grads] == [W.shape for W, _ in params]
    assert [g[1].shape for g in grads] == [b.shape for _, b in params]
    assert dX.shape == X.shape


def test_init_mlp_biases_and_std(rng):
    params = hp.init_mlp([200, 300, 1], init=0.5, rng=rng, bias=0.2)
    W, b = params[0]
    assert abs(W.std() / 0.5 - 1) < 0.03
    np.testing.assert_array_equal(b, 0.2)
    assert np.all(hp.init_mlp([2, 3], rng=rng)[0][1] == 0)


def test_blow_up_is_data_not_an_error(rng):
    params = hp.init_mlp([10] * 100, init=1e3, rng=rng)
    out, cache = hp.forward(params, rng.normal(size=(4, 10)), "relu")  # overflows to inf quietly
    assert not np.all(np.isfinite(out))
    stats = hp.layer_stats(params, rng.normal(size=(4, 10)), "relu", rng=np.random.default_rng(0))
    assert stats.diverged and hp.fmt(stats.a_std[-1]) == "diverged"


@pytest.mark.parametrize("call,match", [
    (lambda p, r: hp.forward(p, r.normal(size=(5, 4)), "tanh"), "X has 4 columns but the first layer expects 3"),
    (lambda p, r: hp.forward(p, np.array([[0.0, np.nan, 1.0]]), "tanh"), "NaN"),
    (lambda p, r: hp.forward(p, r.normal(size=3), "tanh"), "X must have 2 dimensions"),
    (lambda p, r: hp.forward(p, [["a", "b", "c"]], "tanh"), "X must be an array of numbers"),
    (lambda p, r: hp.forward(p, r.normal(size=(5, 3)), "softplus"), "unknown activation 'softplus'"),
    (lambda p, r: hp.backward(p, hp.forward(p, r.normal(size=(5, 3)))[1], np.ones((5, 3))),
     r"dout must have the output's shape \(5, 2\), got \(5, 3\)"),
    (lambda p, r: hp.forward([], r.normal(size=(5, 3))), "params must be a non-empty list"),
    (lambda p, r: hp.forward([p[0], p[0]], r.normal(size=(5, 3))), "params\\[1\\] takes 3 inputs"),
    (lambda p, r: hp.init_mlp([3, 0, 2], rng=r), r"layer size sizes\[1\] must be a positive integer"),
    (lambda p, r: hp.init_mlp([3, 2.5, 2], rng=r), r"sizes\[1\] must be a positive integer"),
    (lambda p, r: hp.init_mlp([3, -1], rng=r), "positive integer"),
    (lambda p, r: hp.init_mlp([3], rng=r), "at least two layer sizes"),
    (lambda p, r: hp.init_mlp([3, 2], init="glorot", rng=r), "unknown scheme 'glorot'"),
    (lambda p, r: hp.init_mlp([3, 2], init=-1.0, rng=r), "weight std"),
    (lambda p, r: hp.init_mlp([3, 2], rng=None), "rng must be a numpy Generator"),
])
def test_bad_input(call, match, rng):
    params = hp.init_mlp([3, 4, 2], "glorot_uniform", rng)
    with pytest.raises(ValueError, match=match):
        call(params, rng)
