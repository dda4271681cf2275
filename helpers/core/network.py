"""A multilayer perceptron in numpy: forward and backward passes as pure functions.

Forward, for l = 1..L:   z_l = a_{l-1} @ W_l + b_l,   a_l = f(z_l)   (a_0 = X; the last layer is linear).
Backward, from dout = dLoss/d(out):   dz_L = dout,
    dW_l = a_{l-1}.T @ dz_l,   db_l = sum over examples of dz_l,   da_{l-1} = dz_l @ W_l.T,
    dz_{l-1} = da_{l-1} * f'(z_{l-1})   -- one factor f' (and one W) per layer: the product that vanishes or explodes.
norm="batch" or "layer": hidden layers (W_l, gamma_l, beta_l) compute z_l = a_{l-1} @ W_l (beta_l does b_l's job),
    y_l = gamma_l * normalize(z_l) + beta_l, a_l = f(y_l); batch norm's running averages travel as `state`.
residual=alpha: each hidden layer l >= 2 whose W_l is square gets a skip, z_l = z_{l-1} + alpha (a_{l-1} @ W_l + b_l),
    i.e. x_{l+1} = x_l + alpha F(x_l) with F(x) = f(norm(x)) @ W + b (He et al. 2016's pre-activation block).
    Backward, the skip passes dz_l down unchanged, added to the branch's, and the branch sees alpha dz_l.
"""
from dataclasses import dataclass

import numpy as np

from .activations import Activation, get_activation
from .checks import check_array, check_choice, check_memory, check_nonnegative, check_positive, check_rng, check_size
from .initializers import init_weights
from .normalization import EPS, MOMENTUM, NORMS, check_state, normalize, normalize_backward


@dataclass(frozen=True)
class Cache:
    """What backward needs: zs[l], ys[l] (what feeds f: z, or normalized z) and acts[l] (batch, n_{l+1}), acts[-1] the
    output; norms[l], residual[l]: layer l's normalization cache and skip alpha (None if it has none); state: batch
    norm's running averages after this pass."""

    X: np.ndarray
    zs: list
    acts: list
    activation: Activation
    ys: list = None
    norms: list = None
    state: list = None
    residual: list = None


@dataclass(frozen=True)
class Backward:
    """Gradients of one backward pass: grads [(dW, db) or (dW, dgamma, dbeta)], dX, and dzs[l] = dLoss/dz_{l+1}."""

    grads: list
    dX: np.ndarray
    dzs: list


def init_mlp(sizes, init="glorot_uniform", rng=None, *, gain: float = 1.0, bias: float = 0.0, norm=None):
    """Parameters [(W, b)] of an MLP with layer sizes [n0, n1, ..., nL]; norm gives hidden layers (W, gamma=1, beta=0).

    init: a scheme of `init_weights`, or a positive number, the std of N(0, std^2) weights; gain multiplies every
    weight; bias is every b's initial value."""
    if isinstance(sizes, (str, bytes)) or not hasattr(sizes, "__len__") or len(sizes) < 2:
        raise ValueError(f"sizes must list at least two layer sizes [n_in, ..., n_out], got {sizes!r}")
    sizes = [check_size(f"layer size sizes[{i}]", n) for i, n in enumerate(sizes)]
    check_memory("a net of these sizes", sum(m * n for m, n in zip(sizes[:-1], sizes[1:])))
    rng, norm = check_rng(rng), norm and check_choice("norm", norm, NORMS)
    if isinstance(init, str):
        draw = lambda m, n: init_weights(m, n, init, rng, gain=gain)  # noqa: E731
    else:
        std = check_positive("init (a weight std)", init) * check_positive("gain", gain)
        draw = lambda m, n: rng.normal(0.0, std, size=(m, n))  # noqa: E731
    params = [(draw(m, n), np.full(n, float(bias))) for m, n in zip(sizes[:-1], sizes[1:])]
    return params if norm is None else [(W, np.ones(len(b)), np.zeros(len(b))) for W, b in params[:-1]] + params[-1:]


def check_params(params, norm=None):
    """Raise a ValueError unless norm is None or one of NORMS and params a list of layers shaped for forward with it."""
    if norm is not None:
        check_choice("norm", norm, NORMS)
    kind = "[(W, b), ...] as init_mlp makes" if norm is None else "[(W, gamma, beta), ..., (W_L, b_L)]"
    if not isinstance(params, (list, tuple)) or not params:
        raise ValueError(f"params must be a non-empty list {kind}")
    for i, layer in enumerate(params):
        size = 2 if norm is None or i == len(params) - 1 else 3
        if not isinstance(layer, (list, tuple)) or len(layer) != size or np.ndim(layer[0]) != 2 or any(
                np.shape(v) != (np.shape(layer[0])[1],) for v in layer[1:]):
            raise ValueError(f"params[{i}] must be {'(W, b)' if size == 2 else '(W, gamma, beta)'} with W of "
                             f"shape (n_in, n_out) and vectors of shape (n_out,); params must be {kind}")
        if i and np.shape(layer[0])[0] != np.shape(params[i - 1][0])[1]:
            raise ValueError(f"params[{i}] takes {np.shape(layer[0])[0]} inputs but layer {i - 1} gives "
                             f"{np.shape(params[i - 1][0])[1]}")


def forward(params, X, activation="relu", *, norm=None, state=None, training=True, momentum=MOMENTUM,
            residual=None):
    """Run X (batch, n0) through the net; return (out (batch, nL), cache). Overflow gives inf quietly. `activation`
    follows every layer but the last; norm, residual: see the module doc. Batch norm in training mode returns its
    running averages in cache.state, updated from `state` (default zeros and ones); training=False normalizes by it."""
    check_params(params, norm)
    act = get_activation(activation)
    X = check_array("X", X, width=np.shape(params[0][0])[0])
    hidden = len(params) - 1
    if residual is not None:  # a skip where the layer's input and output widths match, past the first layer
        alpha = check_nonnegative("residual (the skip's alpha)", residual)
        residual = [alpha if 0 < i < hidden and W.shape[0] == W.shape[1] else None for i, (W, *_) in enumerate(params)]
    if norm == "batch":
        momentum, state = check_nonnegative("momentum", momentum, high=1.0), check_state(state, params, training)
        if training and hidden and len(X) < 2:
            raise ValueError("batch norm in training mode needs a batch of at least 2 examples")
    zs, ys, acts, norms, a = [], [], [], [], X
    with np.errstate(over="ignore", invalid="ignore"):
        for i, (W, *rest) in enumerate(params):
            z = a @ W
            plain = i == hidden or norm is None
            if plain:
                z += rest[-1]
            if residual is not None and residual[i] is not None:
                z = zs[-1] + residual[i] * z  # x_{l+1} = x_l + alpha F(x_l)
            y, nc = (z, None) if plain else normalize(z, *rest, norm, training=training, momentum=momentum, eps=EPS,
                                                      running=state[i] if norm == "batch" else None)
            a = y if i == hidden else act.f(y)
            zs.append(z), ys.append(y), acts.append(a), norms.append(nc)
    new_state = [nc.running for nc in norms[:-1]] if norm == "batch" else None
    return a, Cache(X, zs, acts, act, ys, norms, new_state, residual)


def backward_pass(params, cache: Cache, dout, slopes=None, weights=True) -> Backward:
    """The backward pass, keeping each layer's dLoss/dz (z before any normalization) beside the gradients;
    slopes: each hidden layer's f'(z), if known (train). weights=False: the dz alone, no dW, db or dX."""
    if not isinstance(cache, Cache):
        raise TypeError(f"cache must be the Cache that forward returned, got {type(cache).__name__}")
    if len(params) != len(cache.zs):
        raise ValueError(f"params has {len(params)} layers but the cache comes from a {len(cache.zs)}-layer net")
    dout = check_array("dout", dout, ndim=None, shape=cache.acts[-1].shape, allow_nonfinite=True)
    grads, dzs, dz, skip = [], [], dout, None
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        for i in range(len(params) - 1, -1, -1):
            a_prev = cache.acts[i - 1] if i else cache.X
            alpha = cache.residual[i] if cache.residual else None
            dnorm = ()
            if cache.norms and cache.norms[i] is not None:
                dz, *dnorm = normalize_backward(dz, cache.norms[i])
            if skip is not None:
                dz = dz + skip  # the skip above passes its gradient down unchanged
            du = dz if alpha is None else alpha * dz  # what the branch a_prev @ W + b receives
            if weights:  # db as a product: faster than a sum
                grads.append((a_prev.T @ du, *dnorm) if dnorm else (a_prev.T @ du, np.ones(len(du)) @ du))
            dzs.append(dz)
            skip = None if alpha is None else dz
            da = du @ params[i][0].T if i or weights else None
            if i:  # da is a fresh array: backprop may write into it
                dz = (cache.activation.backprop(da, cache.ys[i - 1], cache.acts[i - 1]) if slopes is None
                      else np.multiply(da, slopes[i - 1], out=da))
    return Backward(grads[::-1], da, dzs[::-1])


def backward(params, cache: Cache, dout):
    """Gradients (grads, dX): grads[l] = (dW, db) shaped like params[l]; dX = dLoss/dX. Changes nothing."""
    return (lambda result: (result.grads, result.dX))(backward_pass(params, cache, dout))
