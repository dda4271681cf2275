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
        for n in dir(space):
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
