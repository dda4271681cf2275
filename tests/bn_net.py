"""The batch-normalized net is the core net with norm="batch"; these name the calls the tests make most."""
import numpy as np

import helpers as hp


def init_bn_mlp(sizes, init="he_normal", rng=None, **kw):
    params = hp.init_mlp(sizes, init, rng, norm="batch", **kw)
    return params, [(np.zeros(W.shape[1]), np.ones(W.shape[1])) for W, *_ in params[:-1]]


def bn_forward(params, X, activation="relu", **kw):
    return hp.forward(params, X, activation, norm="batch", **kw)


def bn_train(params, X, y, activation="relu", **kw):
    trained, h = hp.train(params, X, y, activation, norm="batch", **kw)
    return trained, h.state, h


def bn_evaluate(params, state, X, y, activation="relu", **kw):
    return hp.evaluate(params, X, y, activation, norm="batch", state=state, **kw)


def bn_layer_stats(params, X, activation="relu", **kw):
    kw.setdefault("rng", np.random.default_rng(0))
    return hp.layer_stats(params, X, activation, norm="batch", **kw)
