"""Stable Gradients helpers: the numpy maths behind every notebook of the series.

    import numpy as np
    import helpers as hp
    from helpers import nb02_variance as nb      # the notebook's own experiments, figures and explorer
    rng = np.random.default_rng(0)
    params = hp.init_mlp([2, 64, 64, 2], init="he_normal", rng=rng)
    out, cache = hp.forward(params, X, activation="relu")
    grads, dX = hp.backward(params, cache, dout)

Layout (see CONTRIBUTING.md for where new things go):
    helpers/core/   the shared maths, read like the formulas; imports nothing above it
    helpers/ui/     plotting helpers, the Explorer and its controls, Feedback for the exercise checkers
    helpers/nbNN_*/ one package per notebook: experiments, figures, explorer, exercises (hp.exNN)

Glossary (names follow the maths in the notebooks):
    X        inputs, shape (batch, n0);  y  integer labels, shape (batch,)
    W, b     a layer's weights (fan_in, fan_out) and biases (fan_out,); a layer computes z = a @ W + b
    z        pre-activation of a layer;  a = f(z)  its activation (a_0 = X)
    f, df    an activation and its derivative f'(z) (see get_activation)
    fan_in   inputs of a layer;  fan_out  its units;  fan_avg = (fan_in + fan_out) / 2
    depth    number of weight layers L;  width  units per hidden layer
    params   [(W1, b1), ..., (WL, bL)];  grads  [(dW1, db1), ...] shaped like params
             (a normalized net's hidden layers are (W, gamma, beta), its gradients (dW, dgamma, dbeta))
    norm     None, "batch" or "layer": the normalization of every hidden layer;  state  batch norm's running averages
    dout     dLoss/d(out) fed to backward;  dz  dLoss/dz of a layer (the back-propagated gradient)
    lr       learning rate of SGD

Conventions (one each):
    randomness   a keyword `rng: np.random.Generator`; only notebooks and tests (and an explorer's SEED) choose
                 seeds. A function that must replay one stream for every setting it compares (std_grid,
                 normalization_run) or runs one net per seed (run_seeds) takes the seed(s) as a required argument.
    results      a frozen dataclass when a function returns more than one named value; plain pairs and data
                 splits are tuples, as in the maths: (out, cache), (grads, dX), (params, history),
                 (loss, dlogits), (mean, std), (X, y), (X_train, y_train, X_test, y_test)
    activation   "relu" is the default of every function that takes one
    overflow     inf/NaN are data: statistics report them, plots and readouts say "diverged"
    caching      functools.lru_cache, with a bound, and only in notebook packages and the UI
"""
from .core.activations import (ACTIVATIONS, CENTERED_SIGMOID, SELU_ALPHA, SELU_LAMBDA, Activation,
                               activation_names, get_activation, register, sigmoid)
from .core.data import load_digits_split, make_moons, make_spirals, standardize
from .core.gradcheck import check_gradients, numerical_gradient, relative_error
from .core.initializers import (DISTRIBUTIONS, MODES, SCHEMES, TRUNCATED_STD, fan, init_weights,
                                scheme_variance, uniform_limit, variance_scaling)
from .core.losses import accuracy, get_loss, mse, softmax, softmax_cross_entropy
from .core.network import Backward, Cache, backward, backward_pass, forward, init_mlp
from .core.normalization import NORMS, batchnorm_backward, batchnorm_forward, layernorm_backward, layernorm_forward
from .core.stats import LayerStats, dead_fraction, finite_mean_std, fmt, frobenius, layer_stats, saturated_fraction
from .core.training import History, clip_by_global_norm, clip_by_value, evaluate, global_norm, sgd_step, train
from .ui.explorer import Explorer, side_by_side
from .ui.feedback import Feedback
from .ui.plotting import layer_histograms, plot_activation, plot_curves, plot_histograms, plot_per_layer, style
from . import core, ui
from . import nb01_saturation, nb02_variance, nb03_initialization, nb04_dying_relu, nb05_normalization, nb06_papers
from . import nb07_residual
from . import nb08_edge_of_chaos

# the exercise checkers of each notebook: hp.ex01.check_..., hp.ex02.check_..., ...
ex01 = nb01_saturation.exercises
ex02 = nb02_variance.exercises
ex03 = nb03_initialization.exercises
ex04 = nb04_dying_relu.exercises
ex05 = nb05_normalization.exercises
ex06 = nb06_papers.exercises
ex07 = nb07_residual.exercises
ex08 = nb08_edge_of_chaos.exercises
