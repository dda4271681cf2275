"""One valid, cheap call of every public function of `helpers` (used by tests/test_public_api.py).

EXAMPLES maps "hp.name", "nbNN_topic.name" or "exNN.name" to a function returning (args, kwargs).
"""
import inspect
import types

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

import helpers as hp  # noqa: E402


def public_functions() -> dict:
    """{qualified name: function} for hp's functions, each notebook package's and each exercise module's."""
    found = {}
    spaces = {"hp": hp}
    spaces.update({n: getattr(hp, n) for n in dir(hp) if n.startswith("nb") and isinstance(getattr(hp, n), types.ModuleType)})
    spaces.update({n: getattr(hp, n) for n in dir(hp) if n.startswith("ex") and n[2:].isdigit()})
    for prefix, space in spaces.items():
        for n in getattr(space, "__all__", dir(space)):  # a module's __all__ is its public API
            obj = getattr(space, n)
            if n.startswith("_") or not inspect.isfunction(obj) or not obj.__module__.startswith("helpers"):
                continue
            found[f"{prefix}.{n}"] = obj
    return found


def rng():
    return np.random.default_rng(0)


def net(sizes=(3, 5, 4, 2), norm=None):
    return hp.init_mlp(list(sizes), "he_normal", rng(), norm=norm)


def X(n=6, d=3):
    return rng().normal(size=(n, d))


def y(n=6, classes=2):
    return np.arange(n) % classes


def cache():
    return hp.forward(net(), X(), "tanh")[1]


def grads():
    return hp.backward(net(), cache(), np.ones((6, 2)))[0]


def ax():
    return plt.figure().add_subplot()


def nc():
    return hp.batchnorm_forward(X(), np.ones(3), np.zeros(3))[1]


def lc():
    return hp.layernorm_forward(X(), np.ones(3), np.zeros(3))[1]


def explorer():
    controls = {"k": hp.ui.explorer.slider("k", 1, 0, 3)}
    return hp.Explorer(controls, lambda k: k, lambda fig, r: str(r))


E = {
    "hp.accuracy": lambda: ((rng().normal(size=(6, 2)), y()), {}),
    "hp.activation_names": lambda: ((), {}),
    "hp.backward": lambda: ((net(), cache(), np.ones((6, 2))), {}),
    "hp.backward_pass": lambda: ((net(), cache(), np.ones((6, 2))), {}),
    "hp.batchnorm_backward": lambda: ((np.ones((6, 3)), nc()), {}),
    "hp.batchnorm_forward": lambda: ((X(), np.ones(3), np.zeros(3)), {"training": True, "momentum": 0.9, "eps": 1e-5}),
    "hp.check_gradients": lambda: ((net(), X(), y()), {"activation": "tanh", "loss": "cross_entropy"}),
    "hp.clip_by_global_norm": lambda: ((grads(), 1.0), {}),
    "hp.clip_by_value": lambda: ((grads(), 0.1), {}),
    "hp.dead_fraction": lambda: ((X(), "relu"), {}),
    "hp.evaluate": lambda: ((net(), X(), y(), "relu"), {"loss": "cross_entropy"}),
    "hp.fan": lambda: ((3, 5, "fan_avg"), {}),
    "hp.finite_mean_std": lambda: ((X(),), {}),
    "hp.fmt": lambda: ((3.14159,), {"digits": 3}),
    "hp.forward": lambda: ((net(), X(), "tanh"), {"norm": None, "training": True}),
    "hp.frobenius": lambda: ((X(),), {}),
    "hp.get_activation": lambda: (("leaky_relu",), {"alpha": 0.2}),
    "hp.get_loss": lambda: (("mse",), {}),
    "hp.global_norm": lambda: ((grads(),), {}),
    "hp.init_mlp": lambda: (([3, 5, 2], "glorot_normal", rng()), {"gain": 1.0, "bias": 0.0, "norm": None}),
    "hp.init_weights": lambda: ((3, 5, "he_uniform", rng()), {"gain": 1.0}),
    "hp.layer_histograms": lambda: (([X(), X()], np.linspace(-3, 3, 11)), {}),
    "hp.layer_stats": lambda: ((net(), X(), "tanh"), {"threshold": 0.01, "rng": rng()}),
    "hp.layernorm_backward": lambda: ((np.ones((6, 3)), lc()), {}),
    "hp.layernorm_forward": lambda: ((X(), np.ones(3), np.zeros(3)), {"eps": 1e-5}),
    "hp.load_digits_split": lambda: ((rng(),), {"test_fraction": 0.25}),
    "hp.make_moons": lambda: ((20, rng()), {"noise": 0.1}),
    "hp.make_spirals": lambda: ((20, rng()), {"classes": 2, "noise": 0.2, "turns": 1.5}),
    "hp.mse": lambda: ((X(), X()), {}),
    "hp.numerical_gradient": lambda: ((lambda: 1.0, np.ones(3)), {"eps": 1e-6}),
    "hp.plot_activation": lambda: ((ax(), hp.get_activation("tanh")), {"derivative": True}),
    "hp.plot_curves": lambda: ((ax(), {"a": [1.0, 0.5, np.inf]}), {"log": True}),
    "hp.plot_histograms": lambda: ((ax(), np.ones((2, 10)), np.linspace(0, 1, 11)), {}),
    "hp.plot_per_layer": lambda: ((ax(), [1.0, 10.0, np.inf]), {"log": True}),
    "hp.register": lambda: (("api_test_activation",), {"f": np.tanh, "df": lambda z: 1 - np.tanh(z) ** 2}),
    "hp.relative_error": lambda: ((X(), X()), {}),
    "hp.saturated_fraction": lambda: ((X(), "tanh"), {"threshold": 0.01}),
    "hp.scheme_variance": lambda: ((3, 5, "glorot_normal"), {}),
    "hp.sgd_step": lambda: ((net(), grads(), 0.1), {}),
    "hp.side_by_side": lambda: ((explorer,), {"a": {"k": 1}, "b": {"k": 2}}),
    "hp.sigmoid": lambda: ((X(),), {}),
    "hp.softmax": lambda: ((X(),), {}),
    "hp.softmax_cross_entropy": lambda: ((X(6, 2), y()), {}),
    "hp.standardize": lambda: ((X(),), {}),
    "hp.style": lambda: ((), {"large": True}),
    "hp.train": lambda: ((net(), X(), y(), "relu"), {"lr": 0.1, "steps": 3, "batch_size": 4, "rng": rng()}),
    "hp.uniform_limit": lambda: ((0.5,), {}),
    "hp.variance_scaling": lambda: ((3, 5, 2.0, "fan_avg", "uniform"), {"rng": rng()}),
}

EXAMPLES = dict(E)
SLOW = {"hp.side_by_side", "hp.load_digits_split", "hp.check_gradients"}


# ----- notebook packages and exercise modules (cheap sizes: the whole walk stays within a few minutes) -----
import functools  # noqa: E402

nb1, nb2, nb3, nb4, nb5, nb6, nb7, nb8 = (hp.nb01_saturation, hp.nb02_variance, hp.nb03_initialization,
                                          hp.nb04_dying_relu, hp.nb05_normalization, hp.nb06_papers,
                                          hp.nb07_residual, hp.nb08_edge_of_chaos)


def axes(n):
    return list(plt.figure().subplots(1, n))


@functools.cache
def split():
    """A small spiral split (X, y, X_test, y_test) of 2-D points."""
    return nb4.spiral_split(rng(), 40)


def net2(sizes=(2, 6, 6, 2)):
    return hp.init_mlp(list(sizes), "he_normal", rng())


@functools.cache
def seed_runs():
    return nb4.run_seeds("relu", 0.1, [0], *split(), sizes=(2, 4, 4, 2), steps=3)


@functools.cache
def dead_trace():
    return nb4.trace_dead_units(net2(), *split()[:2], "relu", lr=0.1, steps=3)


@functools.cache
def decision():
    return nb4.decision_grid(net2(), split()[0], "relu", resolution=10)


@functools.cache
def std_grid_small():
    return nb3.std_grid(["tanh", "relu"], ["glorot_normal", "he_normal"], depth=3, width=8, batch=8, seed=0)


@functools.cache
def race_small():
    return nb3.init_race(split()[0], split()[1], {"He": "he_normal", "0.1": 0.1}, [2, 4, 2], steps=3, seeds=(0,))


def digits_data():
    r = rng()
    Xd = r.normal(size=(24, 4))
    yd = np.arange(24) % 3
    return Xd[:16], yd[:16], Xd[16:], yd[16:]


@functools.cache
def digit_runs():
    return nb7.run_digits(digits_data(), [0, 1], depth=2, width=6, steps=3, batch_size=8)


def bn_net():
    return hp.init_mlp([3, 6, 2], "he_normal", rng(), norm="batch")


@functools.cache
def batch_dep():
    return nb7.batch_dependence(bn_net(), X(12), y(12), "batch", rng=rng(), batch_sizes=(2, 4), repeats=3)


@functools.cache
def growth_small():
    return nb7.residual_growth(0.5, rng=rng(), blocks=3, width=8, batch=8)


@functools.cache
def spectrum():
    return nb8.spectrum_by_depth("gaussian", 8, [1, 2, 3], 1.5, 0.1, rng=rng())


@functools.cache
def prop_small():
    return nb8.propagation(8, 3, 1.5, 0.1, rng=rng(), batch=4)


@functools.cache
def depth_race():
    Xr, yr = X(12, 3), y(12)
    return nb8.linear_depth_race(Xr, yr, [1, 2], rng=rng(), steps=3)


@functools.cache
def train_grid():
    Xs, ys, Xt, yt = digits_data()
    return nb8.trainability_grid(Xs, ys, Xt, yt, [1.0, 2.0], [2, 3], rng=rng(), width=4, steps=2, batch_size=8)


def random_net8():
    return nb8.random_net(8, 3, 1.5, 0.1, rng=rng())


def sat_cache():
    return hp.forward(hp.init_mlp([4, 6, 6, 2], 1.0, rng()), X(8, 4), "sigmoid")[1]


def sigmoid_slope(z):
    s = hp.sigmoid(z)
    return s * (1 - s)


def bn_forward(z, gamma, beta, eps=1e-5):
    return gamma * (z - z.mean(axis=0)) / np.sqrt(z.var(axis=0) + eps) + beta


def ln_forward(z, gamma, beta, eps=1e-5):
    return gamma * (z - z.mean(axis=1, keepdims=True)) / np.sqrt(z.var(axis=1, keepdims=True) + eps) + beta


N = {
    # notebook 01
    "nb01_saturation.chain_gradient": lambda: ((0.5, 5), {"activation": "sigmoid", "weight": 1.0, "bias": 0.0}),
    "nb01_saturation.saturation_edges": lambda: (("tanh",), {"bins": 10, "threshold": 0.01}),
    "nb01_saturation.saturation_explorer": lambda: ((), {}),
    "nb01_saturation.saturation_profile": lambda: ((1.0, 3), {"activation": "tanh", "width": 8, "batch": 16,
                                                              "rng": rng()}),
    # notebook 02
    "nb02_variance.growth_per_step": lambda: (([1.0, 2.0, 4.0],), {"start": 0}),
    "nb02_variance.mean_offset_stats": lambda: ((sat_cache(),), {"threshold": 0.01}),
    "nb02_variance.recurrent_matrix": lambda: ((4, 1.1, rng()), {"kind": "orthogonal"}),
    "nb02_variance.spectral_radius": lambda: ((rng().normal(size=(4, 4)),), {}),
    "nb02_variance.unroll_recurrent": lambda: ((0.5 * np.eye(4), np.ones((2, 4)), 5), {"activation": "tanh",
                                                                                         "dout": np.ones(4)}),
    "nb02_variance.variance_explorer": lambda: ((), {}),
    # notebook 03
    "nb03_initialization.cheat_sheet": lambda: ((["relu", "tanh"],), {"fan_in": 30, "fan_out": 10}),
    "nb03_initialization.constant_mlp": lambda: (([3, 4, 2], 0.5), {}),
    "nb03_initialization.funnel_profile": lambda: (([8, 4, 2], "fan_avg", rng()), {"batch": 16}),
    "nb03_initialization.glorot_conditions": lambda: ((8, 4, rng()), {"batch": 16, "modes": ("fan_in", "fan_avg")}),
    "nb03_initialization.grid_verdict": lambda: ((2.0, 0.5), {"saturated": 0.1, "band": 10.0, "saturated_limit": 0.5}),
    "nb03_initialization.init_race": lambda: ((*split()[:2], {"He": "he_normal"}, [2, 4, 2]),
                                              {"activation": "relu", "lr": 0.1, "steps": 3, "seeds": (0,)}),
    "nb03_initialization.init_table": lambda: ((30, 10), {}),
    "nb03_initialization.initial_loss_run": lambda: ((X(), y(), [3, 4, 2], 1.0), {"prior_bias": True, "lr": 0.1,
                                                                                  "steps": 3, "rng": rng()}),
    "nb03_initialization.initialization_explorer": lambda: ((), {}),
    "nb03_initialization.keras_initializer": lambda: (("he_normal", 3, 5, rng()), {}),
    "nb03_initialization.note_slips": lambda: ((30, 10), {}),
    "nb03_initialization.plot_race": lambda: ((ax(), race_small()), {"target": 0.5}),
    "nb03_initialization.plot_std_grid": lambda: ((plt.figure(), std_grid_small()), {"band": 10.0}),
    "nb03_initialization.profile": lambda: ((net(), "relu"), {"width": 5, "batch": 16, "rng": rng()}),
    "nb03_initialization.robust_std": lambda: ((X(),), {}),
    "nb03_initialization.std_grid": lambda: ((["tanh"], ["glorot_normal"]), {"depth": 3, "width": 8, "batch": 8, "seed": 0}),
    "nb03_initialization.std_profile": lambda: ((net(), X(), "tanh", np.ones((6, 2))), {"saturation": True}),
    "nb03_initialization.symmetry_run": lambda: ((X(), y(), [3, 4, 2], "he_normal"),
                                                 {"activation": "tanh", "lr": 0.5, "steps": 3, "rng": rng()}),
    "nb03_initialization.torch_gain": lambda: (("leaky_relu",), {"negative_slope": 0.01}),
    "nb03_initialization.torch_linear_default": lambda: (([3, 4, 2], rng()), {}),
    "nb03_initialization.unit_spread": lambda: ((net(),), {}),
    # notebook 04
    "nb04_dying_relu.blowup_trace": lambda: ((net2(), *split()[:2], "elu"), {"lr": 1.0, "steps": 3}),
    "nb04_dying_relu.decision_grid": lambda: ((net2(), split()[0], "relu"), {"resolution": 10, "margin": 0.5}),
    "nb04_dying_relu.dying_relu_explorer": lambda: ((), {}),
    "nb04_dying_relu.live_width": lambda: ((seed_runs(), 4), {}),
    "nb04_dying_relu.narrow_runs": lambda: (({"ReLU": ("relu", None, 0.1)}, [0], *split()),
                                            {"sizes": (2, 4, 2), "steps": 3}),
    "nb04_dying_relu.plot_dead_raster": lambda: ((ax(), dead_trace(), 1), {"every": 1}),
    "nb04_dying_relu.plot_decision_boundary": lambda: ((ax(), decision(), *split()[:2]), {"points": 20}),
    "nb04_dying_relu.plot_first_layer_lines": lambda: ((ax(), net2(), *split()[:2], np.zeros(6, dtype=bool)), {}),
    "nb04_dying_relu.plot_seed_spread": lambda: ((ax(), [seed_runs()]), {"key": "loss", "log": True}),
    "nb04_dying_relu.plot_unit_activity": lambda: ((ax(), nb4.unit_activity(net2(), split()[0])[0]), {"title": "t"}),
    "nb04_dying_relu.run_seeds": lambda: (("relu", 0.1, [0], *split()), {"sizes": (2, 4, 2), "steps": 3}),
    "nb04_dying_relu.spiral_split": lambda: ((rng(),), {"n": 40, "noise": 0.5}),
    "nb04_dying_relu.time_per_call": lambda: ((np.sin, np.ones(3)), {"repeats": 2}),
    "nb04_dying_relu.trace_dead_units": lambda: ((net2(), *split()[:2], "relu"), {"lr": 0.1, "steps": 3}),
    "nb04_dying_relu.unit_activity": lambda: ((net2(), split()[0], "relu"), {}),
    # notebook 05
    "nb05_normalization.deep_signal": lambda: ((X(8, 4), 3, "lecun_normal", "selu", rng()), {"batch_norm": True}),
    "nb05_normalization.normalization_explorer": lambda: ((), {}),
    "nb05_normalization.normalization_run": lambda: ((), {"depth": 2, "clip": "norm", "width": 6, "steps": 3, "seed": 0}),
    "nb05_normalization.scale_check": lambda: ((bn_net(), X(), y()), {"activation": "relu", "scales": (2.0,)}),
    # notebook 06
    "nb06_papers.binomial_band": lambda: ((0.5, 100), {"k": 4.0}),
    "nb06_papers.dead_net_grid": lambda: (([2, 3], 3, 50, rng()), {"weights": "uniform"}),
    "nb06_papers.dead_net_probability": lambda: ((2, 10), {}),
    "nb06_papers.dying_nets_explorer": lambda: ((), {}),
    "nb06_papers.glorot_bengio_explorer": lambda: ((), {}),
    "nb06_papers.simulate_dead_nets": lambda: ((2, 3, 50, rng()), {"bias_std": 0.1, "weights": "normal", "chunk": 20}),
    # notebook 07
    "nb07_residual.alpha_value": lambda: (("1/sqrt(L)", 16), {}),
    "nb07_residual.batch_dependence": lambda: ((bn_net(), X(12), y(12), "batch"),
                                              {"rng": rng(), "batch_sizes": (2, 4), "repeats": 3}),
    "nb07_residual.plot_accuracy_spread": lambda: ((ax(), [digit_runs()]), {"chance": 0.1}),
    "nb07_residual.plot_batch_dependence": lambda: ((*axes(2), [batch_dep()]), {}),
    "nb07_residual.plot_growth": lambda: ((*axes(2), [growth_small()]), {}),
    "nb07_residual.plot_loss_bands": lambda: ((ax(), [digit_runs()]), {"log": True}),
    "nb07_residual.residual_compute": lambda: ((), {"depth": 4}),
    "nb07_residual.residual_explorer": lambda: ((), {}),
    "nb07_residual.residual_growth": lambda: ((0.5,), {"rng": rng(), "blocks": 3, "width": 8, "batch": 8}),
    "nb07_residual.residual_sizes": lambda: ((3, 8, 2, 2), {}),
    "nb07_residual.rms": lambda: ((X(),), {}),
    "nb07_residual.run_digits": lambda: ((digits_data(), [0]), {"depth": 2, "width": 6, "steps": 3, "batch_size": 8}),
    "nb07_residual.stream_sizes": lambda: ((net(), X(), "relu"), {"rng": rng()}),
    "nb07_residual.stream_theory": lambda: ((10, 0.5), {"norm": None, "q0": 1.0}),
    # notebook 08
    "nb08_edge_of_chaos.c_iterates": lambda: ((1.0, 1.0, 0.5, 1.5, 0.1, 3), {"activation": "tanh"}),
    "nb08_edge_of_chaos.chi_1": lambda: ((1.5, 0.1), {"activation": "tanh"}),
    "nb08_edge_of_chaos.correlation_map": lambda: ((0.5, 1.5, 0.1), {"activation": "tanh", "q": None}),
    "nb08_edge_of_chaos.critical_point_for_q": lambda: ((0.5,), {"activation": "tanh"}),
    "nb08_edge_of_chaos.critical_sw2": lambda: ((0.1,), {"activation": "tanh", "lo": 0.5, "hi": 10.0, "iters": 10}),
    "nb08_edge_of_chaos.edge_of_chaos_explorer": lambda: ((), {}),
    "nb08_edge_of_chaos.gaussian_mean": lambda: ((np.tanh, 1.0), {"n": 21}),
    "nb08_edge_of_chaos.input_pair": lambda: ((8, 1.0, 0.5), {"rng": rng()}),
    "nb08_edge_of_chaos.jacobian": lambda: ((random_net8(), np.ones(8), "tanh"), {}),
    "nb08_edge_of_chaos.jacobian_singular_values": lambda: ((8, 3, 1.5, 0.1), {"rng": rng(), "q0": None}),
    "nb08_edge_of_chaos.length_map": lambda: ((1.0, 1.5, 0.1), {"activation": "tanh"}),
    "nb08_edge_of_chaos.linear_depth_race": lambda: ((X(12), y(12), [1, 2]), {"rng": rng(), "steps": 3}),
    "nb08_edge_of_chaos.mean_field": lambda: ((1.5, 0.1), {"activation": "tanh", "iters": 20}),
    "nb08_edge_of_chaos.plot_depth_race": lambda: ((ax(), depth_race()), {}),
    "nb08_edge_of_chaos.plot_phase_diagram": lambda: ((ax(), "tanh"), {"points": {"a": (1.5, 0.1)}}),
    "nb08_edge_of_chaos.plot_spectra": lambda: ((ax(), {"gaussian": spectrum()}, np.linspace(0, 3, 10)),
                                               {"depth_index": -1}),
    "nb08_edge_of_chaos.plot_spread_by_depth": lambda: ((ax(), {"gaussian": spectrum()}), {}),
    "nb08_edge_of_chaos.plot_theory_vs_sim": lambda: ((axes(3), prop_small()), {"label": "x"}),
    "nb08_edge_of_chaos.plot_trainability": lambda: ((ax(), train_grid(), 0.5), {"k": 6.0}),
    "nb08_edge_of_chaos.propagate": lambda: ((random_net8(), rng().normal(size=(6, 8)), np.ones((4, 8))),
                                            {"activation": "tanh"}),
    "nb08_edge_of_chaos.propagation": lambda: ((8, 3, 1.5, 0.1), {"rng": rng(), "batch": 4}),
    "nb08_edge_of_chaos.q_iterates": lambda: ((1.0, 1.5, 0.1, 3), {"activation": "tanh"}),
    "nb08_edge_of_chaos.q_star": lambda: ((1.5, 0.1), {"activation": "tanh", "iters": 20}),
    "nb08_edge_of_chaos.random_net": lambda: ((8, 3, 1.5, 0.1), {"weights": "orthogonal", "rng": rng()}),
    "nb08_edge_of_chaos.spectrum_by_depth": lambda: (("g", 8, [1, 2], 1.5, 0.1), {"rng": rng()}),
    "nb08_edge_of_chaos.start_length": lambda: ((1.5, 0.1), {"activation": "tanh"}),
    "nb08_edge_of_chaos.tanh_net": lambda: (([3, 4, 2], 1.5, 0.1), {"rng": rng()}),
    "nb08_edge_of_chaos.theory_curves": lambda: ((1.0, 0.5, 1.5, 0.1, 3), {"activation": "tanh"}),
    "nb08_edge_of_chaos.trainability_grid": lambda: ((*digits_data(), [1.0, 2.0], [2, 3]),
                                                    {"rng": rng(), "width": 4, "steps": 2, "batch_size": 8}),
}

# the feedback machinery every exercise module imports (hp.ui.feedback)
FEEDBACK = {
    "array": lambda: ((np.ones(3), "x"), {"shape": (3,), "finite": True}),
    "call": lambda: ((np.sqrt, 4.0), {"name": "sqrt", "case": "sqrt(4)"}),
    "checker": lambda: ((lambda answer: "right",), {}),
    "differs": lambda: (("x", np.ones(3), np.zeros(3)), {}),
    "expect": lambda: ((1.0, 1.0, "x"), {"rtol": 1e-6}),
    "known_slip": lambda: (([((2.0,), 4.0)], [(lambda x: x * 2, "doubled")]), {}),
    "number": lambda: ((3.0, "x"), {"positive": True, "whole": True}),
    "same": lambda: ((np.ones(3), np.ones(3)), {"rtol": 1e-6}),
}

C = {
    # exercise checkers: a right or a wrong answer (either must come back as Feedback)
    "ex01.check_balanced_scale": lambda: ((0.5,), {"activation": "sigmoid", "depth": 10}),
    "ex01.check_chain_gradient": lambda: ((lambda x, depth: 0.25 ** depth,), {}),
    "ex01.check_saturation_per_layer": lambda: (([0.0, 0.0], sat_cache()), {}),
    "ex01.check_sigmoid_slope": lambda: ((sigmoid_slope,), {}),
    "ex02.check_layer_variance": lambda: ((lambda a, s: a.shape[1] * s ** 2 * np.mean(a ** 2),), {}),
    "ex02.check_relu_std": lambda: ((np.sqrt(2 / 250),), {}),
    "ex02.check_spectral_radius": lambda: ((lambda W: np.max(np.abs(np.linalg.eigvals(W))),), {}),
    "ex02.check_steps_to_grow": lambda: ((141.6,), {}),
    "ex03.check_fan_out_ratios": lambda: ((0.1, 1.0), {}),
    "ex03.check_glorot_limit": lambda: ((lambda fan_in, fan_out: np.sqrt(6 / (fan_in + fan_out)),), {}),
    "ex03.check_keras_he_avg": lambda: ((rng().uniform(-0.17, 0.17, (300, 100)),), {}),
    "ex03.check_relu_gain": lambda: ((np.sqrt(2),), {}),
    "ex04.check_dead_units": lambda: ((np.zeros(4, dtype=bool), X(6, 4)), {}),
    "ex04.check_elu_grad": lambda: ((lambda z, a, alpha: np.where(z > 0, 1.0, a + alpha),), {}),
    "ex04.check_leaky_relu": lambda: ((lambda z, alpha: np.maximum(alpha * z, z),
                                       lambda z, alpha: np.where(z > 0, 1.0, alpha)), {}),
    "ex04.check_unit_gradients": lambda: ((np.zeros(5), net((3, 5, 5, 2)), X(), y()), {"layer": 2}),
    "ex05.check_batchnorm_backward": lambda: ((lambda dy, zhat, inv_std, gamma: (dy, dy.sum(0), dy.sum(0)),), {}),
    "ex05.check_batchnorm_forward": lambda: ((bn_forward,), {}),
    "ex05.check_clip_by_global_norm": lambda: ((hp.clip_by_global_norm,), {}),
    "ex05.check_selu_moments": lambda: ((0.0, 1.0, 0.4, 0.34), {}),
    "ex06.check_dead_fraction": lambda: ((lambda width, depth, n_nets, rng: 0.5,), {"n_nets": 100}),
    "ex06.check_glorot_relu_depth": lambda: ((10,), {}),
    "ex06.check_min_width": lambda: ((np.array([12]),), {}),
    "ex06.check_standard_variance_factor": lambda: ((1.0,), {}),
    "ex07.check_alpha_budget": lambda: ((0.1,), {}),
    "ex07.check_growth": lambda: ((3.0,), {}),
    "ex07.check_layer_norm": lambda: ((ln_forward,), {}),
    "ex07.check_residual_backward": lambda: ((lambda g, x, W, alpha: g,), {}),
    "ex08.check_critical_sw2": lambda: ((1.7,), {}),
    "ex08.check_depth_scale": lambda: ((9.5,), {}),
    "ex08.check_norm_ratios": lambda: ((lambda W, X: np.linalg.norm(X @ W, axis=1) / np.linalg.norm(X, axis=1),), {}),
}


def _exercise_examples() -> dict:
    """Every exercise module's functions: its checkers (C), the feedback machinery it imports (FEEDBACK), and
    the library functions it re-exports (the same example as where they are defined)."""
    out = {}
    packages = {"nb01_saturation": nb1, "nb02_variance": nb2, "nb03_initialization": nb3, "nb04_dying_relu": nb4,
                "nb05_normalization": nb5, "nb06_papers": nb6, "nb07_residual": nb7, "nb08_edge_of_chaos": nb8}
    for name, fn in public_functions().items():
        prefix, short = name.split(".")
        if not prefix.startswith("ex") or name in C:
            continue
        if fn.__module__ == "helpers.ui.feedback":
            out[name] = FEEDBACK[short]
        elif f"hp.{short}" in E and getattr(hp, short, None) is fn:
            out[name] = E[f"hp.{short}"]
        else:
            home = [f"{p}.{short}" for p, pkg in packages.items() if getattr(pkg, short, None) is fn]
            if home and home[0] in N:
                out[name] = N[home[0]]
    return out


EXAMPLES.update(N)
EXAMPLES.update(C)
EXAMPLES.update(_exercise_examples())
SLOW |= {n for n in N if n.endswith("_explorer")} | {
    "nb03_initialization.init_race", "nb04_dying_relu.narrow_runs", "nb04_dying_relu.run_seeds",
    "nb05_normalization.normalization_run", "nb07_residual.run_digits", "nb08_edge_of_chaos.trainability_grid",
    "nb08_edge_of_chaos.linear_depth_race", "nb08_edge_of_chaos.plot_phase_diagram",
    "nb08_edge_of_chaos.plot_trainability", "nb08_edge_of_chaos.plot_theory_vs_sim", "ex01.check_balanced_scale",
    "ex06.check_dead_fraction", "ex05.check_selu_moments"}
