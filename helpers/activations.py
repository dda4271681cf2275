"""Activation functions, each value beside its derivative in one registry.

Adding an activation means adding one entry to `_REGISTRY`. Every function is
elementwise, float64, and finite for |z| up to 1e3 and beyond: the sigmoid never
takes exp of a positive number, and ELU/SELU only exponentiate the negative branch.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ._checks import check_choice, check_nonnegative

SELU_LAMBDA = 1.0507009873554805
SELU_ALPHA = 1.6732632423543772


@dataclass(frozen=True)
class Activation:
    """An activation `f` with its derivative `df`, both of z (elementwise, float64).

    `df_from_a(z, a)` gives the same derivative reusing a = f(z) where that is cheaper;
    `backprop(da, z, a)` multiplies da by f'(z) in place (the backward pass's hot loop);
    `bounds` are the asymptotes of a saturating function.
    """

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]
    df_from_a: Callable[[np.ndarray, np.ndarray], np.ndarray]
    params: dict = field(default_factory=dict)
    bounds: tuple[float, float] | None = None
    inplace: Callable | None = None

    def backprop(self, da, z, a):
        """da * f'(z), written into da (which must be a fresh array the caller owns)."""
        if self.inplace is not None:
            self.inplace(da, z, a)
        else:
            da *= self.df_from_a(z, a)
        return da

    def __repr__(self) -> str:
        extra = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"Activation({self.name}{', ' + extra if extra else ''})"

    @property
    def label(self) -> str:
        """Short readable name for legends, e.g. 'leaky_relu (alpha=0.2)'."""
        extra = ", ".join(f"{k}={v:g}" for k, v in self.params.items() if k != "lambda")
        return f"{self.name} ({extra})" if extra else self.name


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + e^-z), computed without overflow for any z."""
    z = np.asarray(z, dtype=np.float64)
    if z.ndim == 0:  # the in-place steps below need an array
        return sigmoid(z[None])[0]
    e = np.abs(z)
    np.negative(e, out=e)
    np.exp(e, out=e)  # e = exp(-|z|), always in (0, 1]
    s = e + 1.0
    np.reciprocal(s, out=s)  # 1 / (1 + e^-z) for z >= 0
    np.multiply(s, e, out=s, where=z < 0)  # e^z / (1 + e^z) for z < 0
    return s


def _linear():
    return dict(f=lambda z: np.array(z, dtype=np.float64),
                df=lambda z: np.ones_like(z, dtype=np.float64),
                df_from_a=lambda z, a: np.ones_like(a), inplace=lambda da, z, a: da)


def _sigmoid():
    def df(z):
        s = sigmoid(z)
        return s * (1.0 - s)  # sigma'(z) = sigma(z) (1 - sigma(z)), at most 0.25
    def inplace(da, z, a):
        t = a - 1.0
        t *= a
        t *= -1.0
        da *= t
    return dict(f=sigmoid, df=df, df_from_a=lambda z, a: a * (1.0 - a), bounds=(0.0, 1.0), inplace=inplace)


def _tanh():
    def df(z):
        t = np.tanh(np.asarray(z, dtype=np.float64))
        return 1.0 - t * t  # tanh'(z) = 1 - tanh(z)^2, at most 1
    def inplace(da, z, a):
        t = a * a
        np.subtract(1.0, t, out=t)
        da *= t
    return dict(f=lambda z: np.tanh(np.asarray(z, dtype=np.float64)), df=df,
                df_from_a=lambda z, a: 1.0 - a * a, bounds=(-1.0, 1.0), inplace=inplace)


def _relu():
    def df(z):
        return (np.asarray(z) > 0).astype(np.float64)  # 0 for z <= 0: a dead unit passes nothing
    return dict(f=lambda z: np.maximum(np.asarray(z, dtype=np.float64), 0.0), df=df,
                df_from_a=lambda z, a: (z > 0).astype(np.float64),
                inplace=lambda da, z, a: np.multiply(da, z > 0, out=da))


def _leaky_relu(alpha):
    def f(z):
        z = np.asarray(z, dtype=np.float64)
        if alpha <= 1:
            return np.maximum(z, alpha * z)  # max(alpha z, z): one pass, no mask
        return np.where(z > 0, z, alpha * z)  # alpha is the slope for z < 0 whatever its size
    def df(z):
        return np.where(np.asarray(z) > 0, 1.0, alpha)
    def inplace(da, z, a):
        np.multiply(da, alpha, out=da, where=z <= 0)
    return dict(f=f, df=df, df_from_a=lambda z, a: df(z), inplace=inplace)


def _elu(alpha, scale=1.0):
    def f(z):
        z = np.asarray(z, dtype=np.float64)
        # expm1 only sees z <= 0, so the unused branch never overflows
        return scale * np.where(z > 0, z, alpha * np.expm1(np.minimum(z, 0.0)))
    def df(z):
        z = np.asarray(z, dtype=np.float64)
        return scale * np.where(z > 0, 1.0, alpha * np.exp(np.minimum(z, 0.0)))
    def df_from_a(z, a):
        # for z < 0, d/dz scale*alpha*(e^z - 1) = a + scale*alpha
        return np.where(z > 0, scale, a + scale * alpha)
    return dict(f=f, df=df, df_from_a=df_from_a)


_DEFAULT_ALPHA = {"leaky_relu": 0.01, "elu": 1.0}
ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu")


def get_activation(name, alpha: float | None = None) -> Activation:
    """Return the activation called `name` (or `name` itself if it already is one).

    Names: "linear", "sigmoid", "tanh", "relu", "leaky_relu" (alpha default 0.01),
    "elu" (alpha default 1.0), "selu" (lambda 1.0507009873554805, alpha 1.6732632423543772).
    """
    if isinstance(name, Activation):
        return name
    check_choice("activation", name, ACTIVATIONS)
    if alpha is not None and name not in _DEFAULT_ALPHA:
        raise ValueError(f"activation {name!r} takes no alpha; only leaky_relu and elu do")
    if name in _DEFAULT_ALPHA:
        alpha = check_nonnegative("alpha", _DEFAULT_ALPHA[name] if alpha is None else alpha)
        parts = _leaky_relu(alpha) if name == "leaky_relu" else _elu(alpha)
        return Activation(name, params={"alpha": alpha}, **parts)
    if name == "selu":
        return Activation(name, params={"lambda": SELU_LAMBDA, "alpha": SELU_ALPHA},
                          **_elu(SELU_ALPHA, SELU_LAMBDA))
    return Activation(name, **{"linear": _linear, "sigmoid": _sigmoid, "tanh": _tanh, "relu": _relu}[name]())


# sigma(z) - 0.5 = tanh(z / 2) / 2: the logistic shape and slope (at most 1/4) with mean 0 instead of 0.5
# (notebook 02, Claim C05; not one of get_activation's names: pass the object itself)
CENTERED_SIGMOID = Activation(
    "logistic - 0.5", f=lambda z: sigmoid(z) - 0.5, df=get_activation("sigmoid").df,
    df_from_a=lambda z, a: 0.25 - a * a, bounds=(-0.5, 0.5))  # sigma' = sigma (1 - sigma) = 1/4 - a^2
