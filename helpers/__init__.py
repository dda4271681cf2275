"""Stable Gradients helpers: the numpy maths behind every notebook of the series.

    import numpy as np
    import helpers as hp
    rng = np.random.default_rng(0)
    params = hp.init_mlp([2, 64, 64, 2], init="he_normal", rng=rng)
    out, cache = hp.forward(params, X, activation="relu")
    grads, dX = hp.backward(params, cache, dout)

Glossary (names follow the maths in the notebooks):
    X        inputs, shape (batch, n0);  y  integer labels, shape (batch,)
    W, b     a layer's weights (fan_in, fan_out) and biases (fan_out,); a layer computes z = a @ W + b
    z        pre-activation of a layer;  a = f(z)  its activation (a_0 = X)
    f, df    an activation and its derivative f'(z) (see get_activation)
    fan_in   inputs of a layer;  fan_out  its units;  fan_avg = (fan_in + fan_out) / 2
    depth    number of weight layers L;  width  units per hidden layer
    params   [(W1, b1), ..., (WL, bL)];  grads  [(dW1, db1), ...] shaped like params
    dout     dLoss/d(out) fed to backward;  dz  dLoss/dz of a layer (the back-propagated gradient)
    lr       learning rate of SGD;  rng  a numpy Generator (randomness is always explicit)

Modules: activations, initializers, network (forward/backward), losses, stats, data,
training, gradcheck, plotting, widgets; one module per notebook's explorers and
exercise checkers (hp.ex01, hp.ex02, ...).
"""
from .activations import ACTIVATIONS, SELU_ALPHA, SELU_LAMBDA, Activation, get_activation, sigmoid
from .data import DATASETS, make_circles, make_moons, make_spirals, standardize
from .gradcheck import check_gradients, numerical_gradient, relative_error
from .initializers import (DISTRIBUTIONS, MODES, SCHEMES, TRUNCATED_STD, fan, init_weights,
                           scheme_variance, uniform_limit, variance_scaling)
from .losses import accuracy, get_loss, mse, softmax, softmax_cross_entropy
from .network import Backward, Cache, backward, backward_pass, forward, init_mlp
from .plotting import (layer_histograms, plot_activation, plot_curves, plot_histograms,
                       plot_per_layer, style)
from .stats import LayerStats, dead_fraction, fmt, layer_stats, saturated_fraction
from .training import (History, clip_by_global_norm, clip_by_value, evaluate, global_norm,
                       sgd_step, train)
from . import widgets
from .exercises import ex01, ex02, ex03, ex04, ex05, ex06
from .explorers import *  # noqa: F401,F403  the *_explorer() builders of every notebook
# Modules added by later notebooks are imported below this line.
