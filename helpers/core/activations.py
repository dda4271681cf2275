"""Activation functions, one `register(...)` entry each: f beside f', elementwise on float64 z, finite for any finite
z and exact in both tails (no 1 - s or 1 - t^2 cancellation; exp is only ever taken of a number <= 0)."""
import math
from dataclasses import dataclass, field
from functools import partial
from typing import Callable

import numpy as np

from .checks import check_choice, check_nonnegative

SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772
_erfc = np.frompyfunc(math.erfc, 1, 1)  # for gelu's normal cdf Phi
_f64 = partial(np.asarray, dtype=np.float64)  # z as a float64 array


@dataclass(frozen=True)
class Activation:
    """f and its derivative df, functions of z; df_from_a(z, a), if given, is f'(z) reusing a = f(z) (cheaper);
    bounds are the asymptotes of a saturating f; params its hyper-parameters (alpha, ...)."""

    name: str
    f: Callable
    df: Callable
    df_from_a: Callable | None = None
    bounds: tuple | None = None
    params: dict = field(default_factory=dict)

    def slope(self, z, a=None):
        """f'(z), from a = f(z) when it is given and df_from_a exists; the same answer either way."""
        return self.df(z) if a is None or self.df_from_a is None else self.df_from_a(z, a)

    def backprop(self, da, z, a):
        """dLoss/dz = dLoss/da * f'(z), written into da (a fresh array the caller owns)."""
        da *= self.slope(z, a)
        return da

    @property
    def label(self) -> str:
        """Short readable name for legends, e.g. 'leaky_relu (alpha=0.2)'."""
        extra = ", ".join(f"{k}={v:g}" for k, v in self.params.items() if k != "lambda")
        return f"{self.name} ({extra})" if extra else self.name

    __repr__ = lambda self: f"Activation({self.label})"  # noqa: E731


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^-z), without overflow: e^-|z| / (1 + e^-|z|) on the negative side."""
    e = np.exp(-np.abs(_f64(z)))  # in (0, 1]: never overflows, nor does any e^(-k|z|) below
    return np.where(_f64(z) >= 0, 1.0, e) / (1.0 + e)


def _sigmoid_df(z):  # sigma'(z) = e^-|z| / (1 + e^-|z|)^2: symmetric, exact in both tails
    e = np.exp(-np.abs(_f64(z)))
    return e / (1.0 + e) ** 2


def _tanh_df(z):  # tanh'(z) = sech^2 z = 4 e^-2|z| / (1 + e^-2|z|)^2
    e = np.exp(-2.0 * np.abs(_f64(z)))
    return 4.0 * e / (1.0 + e) ** 2


def _elu(alpha, scale=1.0):  # scale * (z, or alpha (e^z - 1) for z <= 0); exp only ever sees z <= 0
    return (lambda z: scale * np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0))),
            lambda z: scale * np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0))))


def _phi(z):
    """Standard normal cdf Phi(z) = erfc(-z / sqrt 2) / 2, exact in both tails."""
    return 0.5 * np.asarray(_erfc(-_f64(z) / np.sqrt(2.0)), dtype=np.float64)


_REGISTRY: dict = {}  # name -> (make(**params) -> (f, df), default params, df_from_a, bounds)


def register(name, f=None, df=None, *, df_from_a=None, bounds=None, make=None, defaults=None):
    """Add an activation: register("swish", f=lambda z: ..., df=lambda z: ...), one entry; a parametrised one
    passes make(**params) -> (f, df) and its defaults, e.g. {"alpha": 0.01}."""
    if not isinstance(name, str) or not (callable(make) or callable(f) and callable(df)):
        raise TypeError("register needs a name and f and df (functions of z), or make(**params) -> (f, df)")
    _REGISTRY[name] = (make or (lambda: (f, df)), dict(defaults or {}), df_from_a, bounds)


def activation_names() -> tuple:
    """Every registered activation name."""
    return tuple(_REGISTRY)


def get_activation(name="relu", alpha: float | None = None) -> Activation:
    """The activation called `name` (one of activation_names(), or an Activation, returned as is); alpha
    overrides the default of leaky_relu (0.01) or elu (1.0)."""
    if isinstance(name, Activation):
        return name
    make, defaults, df_from_a, bounds = _REGISTRY[check_choice("activation", name, _REGISTRY)]
    if alpha is not None and "alpha" not in defaults:
        raise ValueError(f"activation {name!r} takes no alpha; only "
                         f"{', '.join(n for n, e in _REGISTRY.items() if 'alpha' in e[1])} do")
    params = {**defaults, **({} if alpha is None else {"alpha": check_nonnegative("alpha", alpha)})}
    f, df = make(**params)  # each entry's f and f' see z as a float64 array, so they read like the formula
    return Activation(name, lambda z: f(_f64(z)), lambda z: df(_f64(z)), df_from_a, bounds, params)


def _from_a(product, exact):
    """f'(z) from a = f(z) by `product(a)` (cheap: no exp; make bench shows it halves the backward pass's cost
    for tanh), then, where that rounded to exactly 0 (a = f(z) itself rounded to an asymptote), the exact f'(z)."""
    def df_from_a(z, a):
        t = product(a)
        if not t.all():
            zero = t == 0
            t[zero] = exact(np.asarray(z)[zero])
        return t
    return df_from_a


# --- the registry: f beside f' -----------------------------------------------------------------------------
register("linear", lambda z: z.copy(), np.ones_like)
register("sigmoid", sigmoid, _sigmoid_df, bounds=(0.0, 1.0), df_from_a=_from_a(lambda a: a * (1.0 - a), _sigmoid_df))
register("tanh", np.tanh, _tanh_df, bounds=(-1.0, 1.0), df_from_a=_from_a(lambda a: 1.0 - a * a, _tanh_df))
register("relu", lambda z: np.maximum(z, 0.0), lambda z: (z > 0).astype(np.float64),
         df_from_a=lambda z, a: a > 0)  # 0 for z <= 0: a dead unit passes nothing back (a compare, no cast)
register("leaky_relu", make=lambda alpha: (lambda z: np.where(z > 0, z, alpha * z),  # alpha z for z <= 0
                                           lambda z: np.where(z > 0, 1.0, alpha)), defaults={"alpha": 0.01})
register("elu", make=_elu, defaults={"alpha": 1.0})
register("selu", make=lambda **p: _elu(SELU_ALPHA, SELU_LAMBDA), defaults={"lambda": SELU_LAMBDA, "alpha": SELU_ALPHA})
register("gelu", lambda z: z * _phi(z),  # z Phi(z); (z Phi)' = Phi + z phi
         lambda z: _phi(z) + z * np.exp(-0.5 * z ** 2) / np.sqrt(2 * np.pi))
register("swish", lambda z: z * sigmoid(z), lambda z: sigmoid(z) + z * _sigmoid_df(z))  # z sigma(z), or SiLU
register("mish", lambda z: z * np.tanh(np.logaddexp(0.0, z)),  # z tanh(softplus z)
         lambda z: np.tanh(np.logaddexp(0.0, z)) + z * _tanh_df(np.logaddexp(0.0, z)) * sigmoid(z))

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu")  # the series' seven (notebooks 01-06)

# sigma(z) - 0.5 = tanh(z / 2) / 2: the logistic shape and slope (at most 1/4) with mean 0 instead of 0.5.
# Computed as tanh(z/2)/2, so small z keeps its precision (notebook 02, Claim C05; pass the object itself).
CENTERED_SIGMOID = Activation("logistic - 0.5", lambda z: 0.5 * np.tanh(0.5 * _f64(z)), _sigmoid_df, bounds=(-0.5, 0.5))
