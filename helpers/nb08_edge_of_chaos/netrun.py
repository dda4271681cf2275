"""The explorer's nets (notebook 08, issue 16): one fixed random net per weight distribution (unit-scale matrices
and biases, drawn once, rescaled by sigma_w and sigma_b), and its runs at each setting kept as deep as asked so
far, so that a depth move computes only the layers it adds (and at most EVERY - 1 Jacobian products).
A layer's scaled weights are cached by (distribution, layer, sigma_w), its biases by sigma_b.
"""
from __future__ import annotations

import functools

import numpy as np

from ..core.initializers import init_weights
from .isometry import forward_layers, input_pair, jacobian_steps

WIDTH = 128       # units per layer: 64 layers, their Jacobian and its SVD stay well under 100 ms
MAX_DEPTH = 64
BATCH = 8         # random top gradients back-propagated for the gradient ratio
Q0, C0 = 1.0, 0.5  # the two inputs' length |x|^2 / N and correlation
SEED = 8


@functools.lru_cache(maxsize=2)
def base_net(weights: str):
    """Unit-scale matrices (MAX_DEPTH, WIDTH, WIDTH), unit biases, inputs and top gradients, fixed per distribution."""
    rng = np.random.default_rng([SEED, weights == "orthogonal"])
    scheme = "orthogonal" if weights == "orthogonal" else "lecun_normal"
    W = np.stack([init_weights(WIDTH, WIDTH, scheme, rng) for _ in range(MAX_DEPTH)])
    b = rng.standard_normal((MAX_DEPTH, WIDTH))
    X = np.vstack([input_pair(WIDTH, Q0, C0, rng=rng), np.sqrt(Q0) * rng.standard_normal((BATCH, WIDTH))])
    x_jac = rng.standard_normal(WIDTH)
    dtop = rng.standard_normal((BATCH, WIDTH))
    for a in (W, b, X, x_jac, dtop):
        a.flags.writeable = False
    return W, b, X, x_jac, dtop


def frozen(a):
    """a, made read-only (cached arrays are shared)."""
    a.flags.writeable = False
    return a


@functools.lru_cache(maxsize=2 * MAX_DEPTH)  # two settings of the deepest net (130 kB a layer)
def _weight(weights: str, layer: int, sigma_w: float):
    return frozen(sigma_w * base_net(weights)[0][layer])


@functools.lru_cache(maxsize=2 * MAX_DEPTH)
def _bias(weights: str, layer: int, sigma_b: float):
    return frozen(sigma_b * base_net(weights)[1][layer])


EVERY = 4  # the Jacobian is kept after every 4th layer: any depth is at most 3 matrix products away


@functools.lru_cache(maxsize=8)  # eight settings (2.7 MB each at 64 layers): a depth move reuses the layers below
def _run(weights: str, sigma_w: float, sigma_b: float, activation: str, q_jac: float):
    """One setting's net, run as deep as asked so far: each layer's z for X and for the Jacobian's input, each
    top's f(z), and the Jacobian after every EVERY-th layer (lower layers never depend on the ones above)."""
    _, _, X, x_unit, _ = base_net(weights)
    return dict(zs=[], top=X, zj=[], top_j=np.atleast_2d(np.sqrt(q_jac) * x_unit), J={})


def net_run(weights: str, sigma_w: float, sigma_b: float, activation: str, depth: int, q_jac: float):
    """The first `depth` layers [(W, b)] of a distribution's net at a setting, each layer's z for X (a list, at
    least `depth` long) and the Jacobian of those layers at sqrt(q_jac) x_jac: as propagate and jacobian compute
    them, from the layers already run at this setting."""
    params = [(_weight(weights, l, sigma_w), _bias(weights, l, sigma_b)) for l in range(depth)]
    run = _run(weights, sigma_w, sigma_b, activation, q_jac)
    n = len(run["zs"])
    if depth > n:
        zs, top = forward_layers(params[n:], run["top"], activation)
        zj, top_j = forward_layers(params[n:], run["top_j"], activation)
        run.update(zs=run["zs"] + zs, top=top, zj=run["zj"] + zj, top_j=top_j)
    k = max((k for k in run["J"] if k <= depth), default=0)
    steps = jacobian_steps(params[k:], run["zj"][k:depth], activation, run["J"].get(k))
    for layers, J in enumerate(steps, start=k + 1):
        if layers % EVERY == 0:
            run["J"][layers] = J
    return params, run["zs"], steps[-1] if steps else run["J"][k]
