"""helpers/core/normalization.py and norm="batch"/"layer" in the core net: forward/backward (both modes),
training, statistics; deep_signal of notebook 05."""
import numpy as np
import pytest

import helpers as hp

from tests.bn_net import bn_evaluate, bn_forward, bn_layer_stats, bn_train, init_bn_mlp

ACTIVATIONS = [a for a in hp.ACTIVATIONS if a != "linear"]  # linear: see test_linear_makes_hidden_beta_irrelevant


def _bn_net(rng, sizes=(4, 6, 5, 3), training=True):
    """A small net with gamma, beta and running averages away from their initial 1, 0, (0, 1)."""
    params, state = init_bn_mlp(list(sizes), "glorot_normal", rng)
    params = [tuple(p + rng.normal(0, 0.3, size=p.shape) for p in layer) for layer in params]
    state = [(rng.normal(size=m.shape), rng.uniform(0.5, 2.0, size=v.shape)) for m, v in state]
    return params, state


def _max_gradient_error(params, state, X, y, activation, loss, training, skip=()):
    loss_fn = hp.get_loss(loss)

    def value():
        return loss_fn(bn_forward(params, X, activation, state=state, training=training)[0], y)[0]

    out, cache = bn_forward(params, X, activation, state=state, training=training)
    grads, dX = hp.backward(params, cache, loss_fn(out, y)[1])
    errors = {"X": hp.relative_error(dX, hp.numerical_gradient(value, X))}
    for l, (layer, layer_grads) in enumerate(zip(params, grads)):
        assert [g.shape for g in layer_grads] == [p.shape for p in layer]
        for j, (p, g) in enumerate(zip(layer, layer_grads)):
            if (l, j) not in skip:
                errors[(l, j)] = hp.relative_error(g, hp.numerical_gradient(value, p))
    return max(errors.values())


@pytest.mark.parametrize("training", [True, False], ids=["training", "inference"])
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_bn_net_gradients_match_finite_differences(activation, training, loss, rng):
    params, state = _bn_net(rng)
    X = rng.normal(size=(8, 4))
    y = rng.integers(0, 3, size=8) if loss == "cross_entropy" else rng.normal(size=(8, 3))
    assert _max_gradient_error(params, state, X, y, activation, loss, training) < 1e-7


@pytest.mark.parametrize("training", [True, False], ids=["training", "inference"])
def test_batchnorm_layer_gradients(training, rng):
    z = rng.normal(2.0, 3.0, size=(10, 4))
    gamma, beta = rng.uniform(0.5, 2, size=4), rng.normal(size=4)
    running = (rng.normal(size=4), rng.uniform(0.5, 2, size=4))
    w = rng.normal(size=z.shape)  # L = sum(w * y): dL/dy = w

    def value():
        return float(np.sum(w * hp.batchnorm_forward(z, gamma, beta, training=training, running=running)[0]))

    _, cache = hp.batchnorm_forward(z, gamma, beta, training=training, running=running)
    dz, dgamma, dbeta = hp.batchnorm_backward(w, cache)
    for analytic, x in ((dz, z), (dgamma, gamma), (dbeta, beta)):
        assert hp.relative_error(analytic, hp.numerical_gradient(value, x)) < 1e-7


def test_linear_makes_hidden_beta_irrelevant(rng):
    """With a linear activation, beta_l only shifts z_{l+1}, which the next batch norm removes: dbeta_l = 0."""
    params, state = _bn_net(rng)
    X = rng.normal(size=(8, 4))
    out, cache = bn_forward(params, X, "linear")
    grads, _ = hp.backward(params, cache, rng.normal(size=out.shape))
    assert np.abs(grads[0][2]).max() < 1e-12
    y = rng.integers(0, 3, size=8)
    assert _max_gradient_error(params, state, X, y, "linear", "cross_entropy", True, skip={(0, 2)}) < 1e-7


def test_training_mode_standardizes_each_unit(rng):
    z = rng.normal(5.0, 7.0, size=(64, 6)) * rng.uniform(0.01, 10, size=6)
    gamma, beta = rng.uniform(0.5, 2, size=6), rng.normal(size=6)
    y, cache = hp.batchnorm_forward(z, gamma, beta, eps=1e-12)
    np.testing.assert_allclose(y.mean(axis=0), beta, atol=1e-9)
    np.testing.assert_allclose(y.std(axis=0), gamma, rtol=1e-6)
    np.testing.assert_allclose(cache.zhat.std(axis=0), 1, rtol=1e-6)


def test_running_averages_and_inference_mode(rng):
    z = rng.normal(3.0, 2.0, size=(32, 5))
    gamma, beta = np.ones(5), np.zeros(5)
    mu, var = z.mean(axis=0), z.var(axis=0)
    running, m = None, 0.9
    for k in range(1, 201):
        _, cache = hp.batchnorm_forward(z, gamma, beta, running=running, momentum=m)
        running = cache.running
        # from (0, 1): after k updates on the same batch, mean = (1 - m^k) mu, var = m^k + (1 - m^k) var
        np.testing.assert_allclose(running[0], (1 - m ** k) * mu)
        np.testing.assert_allclose(running[1], m ** k + (1 - m ** k) * var)
    y_inf, cache = hp.batchnorm_forward(z, gamma, beta, training=False, running=running)
    np.testing.assert_allclose(y_inf, (z - running[0]) / np.sqrt(running[1] + hp.core.normalization.EPS))
    assert cache.running[0] is running[0]  # inference leaves the averages as they were
    y_train, _ = hp.batchnorm_forward(z, gamma, beta)
    np.testing.assert_allclose(y_inf, y_train, atol=1e-3)  # converged averages: both modes agree


def test_net_state_follows_each_layer(rng):
    params, state = init_bn_mlp([3, 8, 8, 2], "he_normal", rng)
    X = rng.normal(size=(16, 3))
    out, cache = bn_forward(params, X, "relu", state=state, momentum=0.8)
    for (mean, var), z in zip(cache.state, cache.zs[:-1]):
        np.testing.assert_allclose(mean, 0.2 * z.mean(axis=0))
        np.testing.assert_allclose(var, 0.8 + 0.2 * z.var(axis=0))
    out_inf, _ = bn_forward(params, X, "relu", state=cache.state, training=False)
    assert out_inf.shape == out.shape == (16, 2)
    # inference mode: one example alone gives what it gives inside a batch
    alone = bn_forward(params, X[3:4], "relu", state=cache.state, training=False)[0]
    np.testing.assert_allclose(alone, out_inf[3:4])


def test_functions_are_pure(rng):
    params, state = _bn_net(rng)
    before = [[p.copy() for p in layer] for layer in params], [[s.copy() for s in pair] for pair in state]
    X, y = rng.normal(size=(8, 4)), rng.integers(0, 3, size=8)
    out, cache = bn_forward(params, X, "tanh", state=state)
    dout = rng.normal(size=out.shape)
    dout0 = dout.copy()
    hp.backward(params, cache, dout)
    bn_train(params, X, y, "tanh", state=state, lr=0.1, steps=3)
    bn_forward(params, X, "tanh", state=state, training=False)
    np.testing.assert_array_equal(dout, dout0)
    for layer, old in zip(params, before[0]):
        for p, p0 in zip(layer, old):
            np.testing.assert_array_equal(p, p0)
    for pair, old in zip(state, before[1]):
        for s, s0 in zip(pair, old):
            np.testing.assert_array_equal(s, s0)


def test_init_bn_mlp_draws_the_weights_of_init_mlp():
    sizes = [2, 16, 16, 3]
    plain = hp.init_mlp(sizes, "he_normal", np.random.default_rng(4))
    params, state = init_bn_mlp(sizes, "he_normal", np.random.default_rng(4))
    for (W, _), layer in zip(plain, params):
        np.testing.assert_array_equal(W, layer[0])
    assert [len(layer) for layer in params] == [3, 3, 2]
    assert all(np.all(g == 1) and np.all(b == 0) for _, g, b in params[:-1])
    assert [(m.shape, v.shape) for m, v in state] == [((16,), (16,))] * 2
    assert all(np.all(m == 0) and np.all(v == 1) for m, v in state)


def test_bn_layer_stats_agree_with_the_forward_pass(rng):
    params, _ = init_bn_mlp([2, 32, 32, 32, 2], "standard_normal", rng)
    X = rng.normal(size=(64, 2))
    stats = bn_layer_stats(params, X, "relu")
    out, cache = bn_forward(params, X, "relu")
    np.testing.assert_allclose(stats.a_std, [a.std() for a in cache.acts])
    np.testing.assert_allclose(stats.z_std[:-1], [y.std() for y in cache.ys[:-1]], rtol=1e-9)  # y is standardized
    assert np.all(np.abs(stats.z_std[:-1] - 1) < 1e-3)
    assert np.isnan(stats.dead[-1]) and np.all(stats.dead[:-1] >= 0)
    dout = np.random.default_rng(0).standard_normal(out.shape)
    grads, _ = hp.backward(params, cache, dout)
    np.testing.assert_allclose(stats.grad_norm, [np.linalg.norm(g[0]) for g in grads])


def test_bn_train_learns_and_clips(rng):
    X, y = hp.make_moons(256, rng)
    params, _ = init_bn_mlp([2, 32, 32, 32, 2], "he_normal", np.random.default_rng(1))
    trained, state, h = bn_train(params, X, y, "relu", lr=0.3, steps=150, batch_size=64,
                                    rng=np.random.default_rng(2))
    assert not h.diverged and np.mean(h.loss[-20:]) < 0.5 * np.log(2)
    assert h.grad_norm.shape == h.update_norm.shape == (150, 4) and h.dead.shape == (150, 3)
    loss, acc = bn_evaluate(trained, state, X, y, "relu")
    assert acc > 0.9 and loss < np.log(2)
    _, _, h = bn_train(params, X, y, "relu", lr=1.0, steps=20, clip_norm=0.05)
    assert np.all(np.sqrt(np.sum(h.update_norm ** 2, axis=1)) <= 1.0 * 0.05 * (1 + 1e-9))
    _, _, h = bn_train(params, X, y, "relu", lr=1.0, steps=20, clip_value=1e-4)
    assert np.all(h.update_norm <= 1.0 * 1e-4 * np.sqrt([W.size for W, *_ in params]) * (1 + 1e-9))


def test_blow_up_is_data_not_an_error(rng):
    X, y = hp.make_moons(64, rng)
    params, _ = init_bn_mlp([2, 16, 16, 2], "he_normal", rng)
    _, _, h = bn_train(params, X, y, "relu", lr=1e100, steps=30)  # RuntimeWarnings are errors in this suite
    assert h.diverged and np.isnan(h.loss[h.diverged_at:]).all()


def test_deep_signal_matches_a_plain_loop(rng):
    X = rng.standard_normal((50, 20))
    s = hp.nb05_normalization.deep_signal(X, 30, "lecun_normal", "selu", rng=np.random.default_rng(3))
    r, a = np.random.default_rng(3), X
    for l in range(30):
        a = hp.get_activation("selu").f(a @ r.normal(0, np.sqrt(1 / 20), size=(20, 20)))
        assert s.mean[l] == pytest.approx(a.mean(axis=0).mean(), abs=1e-12)
        assert s.std[l] == pytest.approx(a.std(axis=0).mean(), rel=1e-12)
    mixed = hp.nb05_normalization.deep_signal(X, 4, "he_normal", ["relu", "selu", "relu", "tanh"], rng=np.random.default_rng(3))
    assert mixed.std.shape == (4,)
    # batch norm before each activation: every z standardized, so relu(z) keeps the same statistics at any depth
    bn = hp.nb05_normalization.deep_signal(X, 50, "standard_normal", "relu", rng=np.random.default_rng(3), batch_norm=True)
    assert np.all((bn.std > 0.45) & (bn.std < 0.7))
    with np.errstate(all="raise"):  # overflow stays quiet inside
        huge = hp.nb05_normalization.deep_signal(X, 200, 50.0, "relu", rng=np.random.default_rng(3))
    assert not np.isfinite(huge.std[-1])


@pytest.mark.parametrize("call,match", [
    (lambda p, s, r: hp.batchnorm_forward(r.normal(size=(4, 3)), np.ones(2), np.zeros(3)), r"gamma must have shape \(3,\)"),
    (lambda p, s, r: hp.batchnorm_forward(r.normal(size=(4, 3)), np.ones(3), np.zeros(3), training=False), "needs running"),
    (lambda p, s, r: hp.batchnorm_forward(r.normal(size=(1, 3)), np.ones(3), np.zeros(3)), "at least 2 examples"),
    (lambda p, s, r: hp.batchnorm_forward(r.normal(size=(4, 3)), np.ones(3), np.zeros(3), momentum=1.0), "momentum"),
    (lambda p, s, r: hp.batchnorm_forward(r.normal(size=(4, 3)), np.ones(3), np.zeros(3), eps=0), "eps"),
    (lambda p, s, r: hp.batchnorm_forward(r.normal(size=(4, 3)), np.ones(3), np.zeros(3),
                                          running=(np.zeros(3), -np.ones(3))), "var >= 0"),
    (lambda p, s, r: hp.batchnorm_forward(np.array([[1.0, np.nan], [0.0, 1.0]]), np.ones(2), np.zeros(2)), "NaN"),
    (lambda p, s, r: hp.batchnorm_backward(np.ones((5, 3)), hp.batchnorm_forward(r.normal(size=(4, 3)), np.ones(3),
                                                                                  np.zeros(3))[1]), "dy must have"),
    (lambda p, s, r: bn_forward(p, r.normal(size=(5, 4)), "relu"), "X has 4 columns but the first layer expects 3"),
    (lambda p, s, r: bn_forward(p, r.normal(size=(5, 3)), "softplus"), "unknown activation"),
    (lambda p, s, r: bn_forward(p, r.normal(size=(5, 3)), training=False), "needs the state"),
    (lambda p, s, r: bn_forward(p, r.normal(size=(5, 3)), state=s[:1]), "state must list"),
    (lambda p, s, r: bn_forward(p, r.normal(size=(5, 3)), state=[s[0], (np.zeros(2), np.ones(2))]), r"state\[1\]"),
    (lambda p, s, r: bn_forward(p, r.normal(size=(1, 3))), "at least 2 examples"),
    (lambda p, s, r: bn_forward(p[:-1] + [p[0]], r.normal(size=(5, 3))), r"params\[2\] must be \(W, b\)"),
    (lambda p, s, r: bn_forward([p[0][:2]] + p[1:], r.normal(size=(5, 3))), r"params\[0\] must be \(W, gamma, beta\)"),
    (lambda p, s, r: bn_forward([p[1], p[0], p[2]], r.normal(size=(5, 3))), "takes"),
    (lambda p, s, r: bn_forward([], r.normal(size=(5, 3))), "non-empty list"),
    (lambda p, s, r: hp.backward(p, bn_forward(p, r.normal(size=(5, 3)))[1], np.ones((5, 3))),
     r"dout must have shape \(5, 2\)"),
    (lambda p, s, r: bn_train(p, r.normal(size=(8, 3)), np.zeros(8, int), batch_size=1, rng=r), "at least 2"),
    (lambda p, s, r: bn_train(p, r.normal(size=(8, 3)), np.zeros(8, int), lr=-1), "lr"),
    (lambda p, s, r: bn_train(p, r.normal(size=(8, 3)), np.zeros(8, int), clip_norm=0), "clip_norm"),
    (lambda p, s, r: bn_train(p, r.normal(size=(8, 3)), np.zeros(8, int), batch_size=4, rng=None), "rng"),
    (lambda p, s, r: init_bn_mlp([3], rng=r), "at least two layer sizes"),
    (lambda p, s, r: hp.nb05_normalization.deep_signal(r.normal(size=(5, 3)), 0, rng=r), "depth must be a positive integer"),
    (lambda p, s, r: hp.nb05_normalization.deep_signal(r.normal(size=(5, 3)), 3, activation=["selu"], rng=r), "list of 3 names"),
    (lambda p, s, r: hp.nb05_normalization.deep_signal(r.normal(size=(5, 3)), 3, rng=None), "rng must be a numpy Generator"),
])
def test_bad_input(call, match, rng):
    params, state = init_bn_mlp([3, 4, 4, 2], "he_normal", rng)
    with pytest.raises(ValueError, match=match):
        call(params, state, rng)
