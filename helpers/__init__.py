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

Core modules: activations, initializers, network (forward/backward), losses, stats, data,
training, gradcheck, plotting, widgets. Each notebook adds its experiments in modules of
their own (listed at the end of this file), its explorers in explorers/, and its exercise
checkers in exercises/ (hp.ex01, hp.ex02, ...).
"""
from .activations import (ACTIVATIONS, CENTERED_SIGMOID, SELU_ALPHA, SELU_LAMBDA, Activation, get_activation,
                          sigmoid)
from .data import DATASETS, make_circles, make_moons, make_spirals, standardize
from .gradcheck import check_gradients, numerical_gradient, relative_error
from .initializers import (DISTRIBUTIONS, MODES, SCHEMES, TRUNCATED_STD, fan, init_weights,
                           scheme_variance, uniform_limit, variance_scaling)
from .losses import accuracy, get_loss, mse, softmax, softmax_cross_entropy
from .network import Backward, Cache, backward, backward_pass, forward, init_mlp
from .plotting import (layer_histograms, plot_activation, plot_curves, plot_histograms,
                       plot_per_layer, style)
from .stats import LayerStats, dead_fraction, fmt, layer_stats, mean_offset_stats, saturated_fraction
from .training import (History, clip_by_global_norm, clip_by_value, evaluate, global_norm,
                       sgd_step, train)
from . import widgets
from .exercises import ex01, ex02, ex03, ex04, ex05, ex06
from .explorers import *  # noqa: F401,F403  the *_explorer() builders of every notebook
# What each notebook adds: its own experiments and figures, in modules of their own
# notebook 01: a chain of sigmoid layers; saturation at initialization
from .vanishing import ChainGradient, SaturationProfile, chain_gradient, saturation_edges, saturation_profile
# notebook 02: the recurrent case, the same matrix applied many times
from .recurrent import (MATRIX_KINDS, RecurrentRun, growth_per_step, recurrent_matrix, spectral_radius,
                        unroll_recurrent)
# notebook 03: Glorot's conditions, Table 11-1, the activation x scheme grid, Keras conventions
from .init_compare import (KERAS_INITIALIZERS, TABLE_11_1, funnel_profile, glorot_conditions, init_race,
                           init_table, keras_initializer, note_slips, std_grid)
from .plot_init import plot_race, plot_std_grid
# notebook 04: dying ReLUs and the decision boundary
from .dying import (DYING_SIZES, DYING_STEPS, DeadTrace, SeedRuns, run_seeds, spiral_split, time_per_call,
                    trace_dead_units, unit_activity)
from .plot_dying import plot_dead_raster, plot_first_layer_lines, plot_seed_spread, plot_unit_activity
from .boundary import DecisionGrid, decision_grid, plot_decision_boundary
# notebook 05: SELU's self-normalization, batch normalization, gradient clipping
from .selfnorm import Signal, deep_signal
from .batchnorm import (batchnorm_backward, batchnorm_forward, bn_backward, bn_backward_pass, bn_forward,
                        bn_layer_stats, init_bn_mlp)
from .bn_training import bn_evaluate, bn_train
from .batchnorm_run import NormalizationRun, normalization_run
# notebook 06: Lu et al.'s dying nets
from .dying_nets import DeadNets, dead_net_grid, dead_net_probability, simulate_dead_nets
