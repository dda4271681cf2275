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
     r"dout must have shape \(5, 2\), got \(5, 3\)"),
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


# ---- the residual option: x_{l+1} = x_l + alpha F(x_l) on hidden layers whose W is square -------------------

def _residual_net(rng, norm=None, sizes=(3, 5, 5, 5, 2)):
    params = hp.init_mlp(list(sizes), "he_normal", rng, norm=norm)
    return [tuple(v + rng.normal(0, 0.3, size=v.shape) for v in layer) for layer in params]  # gamma, b off 1, 0


@pytest.mark.parametrize("norm", [None, "layer", "batch"])
@pytest.mark.parametrize("activation", ["relu", "tanh", "elu"])
def test_residual_backward_matches_finite_differences(norm, activation, rng):
    params, X, y = _residual_net(rng, norm), rng.normal(size=(6, 3)), rng.integers(0, 2, size=6)

    def value():
        return hp.softmax_cross_entropy(hp.forward(params, X, activation, norm=norm, residual=0.7)[0], y)[0]

    out, cache = hp.forward(params, X, activation, norm=norm, residual=0.7)
    grads, dX = hp.backward(params, cache, hp.softmax_cross_entropy(out, y)[1])
    assert cache.residual == [None, 0.7, 0.7, None]  # the first layer (3 -> 5) and the output have no skip
    errors = [hp.relative_error(dX, hp.numerical_gradient(value, X))]
    errors += [hp.relative_error(g, hp.numerical_gradient(value, p)) for layer, gl in zip(params, grads)
               for p, g in zip(layer, gl)]
    assert max(errors) < 1e-7


def test_residual_block_is_x_plus_alpha_f(rng):
    params = _residual_net(rng)
    X = rng.normal(size=(4, 3))
    _, plain = hp.forward(params, X, "relu")
    _, res = hp.forward(params, X, "relu", residual=0.5)
    np.testing.assert_array_equal(res.zs[0], plain.zs[0])
    np.testing.assert_allclose(res.zs[1], res.zs[0] + 0.5 * (res.acts[0] @ params[1][0] + params[1][1]))
    _, zero = hp.forward(params, X, "relu", residual=0.0)  # alpha = 0: every block is the identity
    np.testing.assert_array_equal(zero.zs[2], zero.zs[0])
    grads, _ = hp.backward(params, zero, np.ones((4, 2)))
    assert not np.any(grads[1][0]) and not np.any(grads[2][0])  # and its branches get no gradient
    wide = hp.init_mlp([3, 5, 6, 2], "he_normal", rng)  # no square hidden layer: residual changes nothing
    np.testing.assert_array_equal(hp.forward(wide, X, residual=1.0)[0], hp.forward(wide, X)[0])


def test_residual_none_leaves_plain_and_normalized_nets_bit_for_bit(rng):
    X, y = rng.normal(size=(8, 3)), rng.integers(0, 2, size=8)
    for norm in (None, "batch", "layer"):
        params = _residual_net(rng, norm)
        a, ha = hp.train(params, X, y, "relu", norm=norm, steps=5)
        b, hb = hp.train(params, X, y, "relu", norm=norm, steps=5, residual=None)
        np.testing.assert_array_equal(ha.loss, hb.loss)
        assert all(np.array_equal(p, q) for la, lb in zip(a, b) for p, q in zip(la, lb))


def test_residual_stream_grows_like_one_plus_alpha_squared(rng):
    """He-initialized branches F(x) = W relu(x): E|x + alpha F(x)|^2 = (1 + alpha^2) |x|^2, forward and back."""
    blocks, width = 40, 128
    params = hp.init_mlp([width] * (blocks + 2) + [4], "he_normal", np.random.default_rng(1))
    X = np.random.default_rng(2).standard_normal((64, width))
    for alpha in (1.0, 1 / np.sqrt(blocks), 0.0):
        s = hp.layer_stats(params, X, "relu", rng=np.random.default_rng(3), residual=alpha)
        theory = (1 + alpha ** 2) ** (blocks / 2)
        forward_growth = s.z_std[blocks] / s.z_std[0]
        backward_growth = s.grad_std[0] / s.grad_std[blocks]
        # each block's factor has relative noise ~ sqrt(2 / width) ~ 0.1 in the variance: 40 of them stay within 2x
        for growth in (forward_growth, backward_growth):
            assert theory / 2 < growth < 2 * theory, (alpha, growth, theory)


def test_residual_bad_input(rng):
    params = hp.init_mlp([3, 4, 4, 2], "he_normal", rng)
    for bad in (-1.0, "1", np.inf):
        with pytest.raises(ValueError, match="residual"):
            hp.forward(params, rng.normal(size=(2, 3)), residual=bad)
