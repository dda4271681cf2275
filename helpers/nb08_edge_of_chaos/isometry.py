"""Simulated nets against the mean-field theory, and the input-output Jacobian's singular values
(Saxe et al. 2014; Pennington, Schoenholz & Ganguli 2017).

A signal-propagation net has `depth` layers of `width` units, z^l = a^{l-1} W_l + b_l, a^l = f(z^l), with
W_l = sigma_w x (a Gaussian N(0, 1/width) or a Haar-orthogonal matrix) and b_l ~ N(0, sigma_b^2).
Its Jacobian, in the series' row-vector layout (a layer computes x @ W):
    J = d a^L / d a^0 = W_1 D_1 W_2 D_2 ... W_L D_L,   D_l = diag(f'(z^l))
(Pennington et al. write the same product as D^L W^L ... D^1 W^1 for column vectors; the singular values agree).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.activations import get_activation
from ..core.checks import check_choice, check_memory, check_nonnegative, check_positive, check_rng, check_size
from ..core.network import forward, init_mlp
from .iterates import c_iterates, q_iterates
from .meanfield import chi_1, q_star

WEIGHTS = {"gaussian": "lecun_normal", "orthogonal": "orthogonal"}  # both have Var(W) = 1 / width, times sw2


def random_net(width, depth, sw2, sb2, weights="gaussian", *, rng):
    """params [(W_l, b_l)] of `depth` square layers: W_l = sqrt(sw2) x (Gaussian or orthogonal), b_l ~ N(0, sb2)."""
    width, depth = check_size("width", width), check_size("depth", depth)
    check_memory("a net of this width and depth", 2.0 * depth * width * (width + 1))
    sw2, sb2 = check_positive("sw2 (sigma_w^2)", sw2), check_nonnegative("sb2 (sigma_b^2)", sb2)
    check_choice("weights", weights, WEIGHTS)
    rng = check_rng(rng)
    params = init_mlp([width] * (depth + 1), WEIGHTS[weights], rng=rng, gain=float(np.sqrt(sw2)))
    return [(W, rng.normal(0.0, np.sqrt(sb2), width)) for W, _ in params]


def input_pair(width, q0, c0, *, rng):
    """Two inputs (2, width) with |x|^2 / width = q0 exactly and correlation x1.x2 / |x1||x2| = c0 exactly."""
    width, rng = check_size("width", width), check_rng(rng)
    check_memory("two inputs of this width", 4.0 * width)
    q0 = check_nonnegative("q0", q0)
    if isinstance(c0, (bool, str)) or np.ndim(c0) != 0 or not -1 <= float(c0) <= 1:
        raise ValueError(f"c0 is a correlation: it must lie in [-1, 1], got {c0!r}")
    g = rng.standard_normal((2, width))
    e1 = g[0] / np.linalg.norm(g[0])
    e2 = g[1] - (g[1] @ e1) * e1
    e2 /= np.linalg.norm(e2)
    x1 = e1
    x2 = c0 * e1 + np.sqrt(max(1 - c0 * c0, 0.0)) * e2
    return np.sqrt(q0 * width) * np.stack([x1, x2])


def _pass(params, X, activation):
    """Forward through every layer with f (a linear read-out layer of zeros is appended and dropped)."""
    if (not isinstance(params, list) or not params
            or not all(isinstance(layer, (list, tuple)) and len(layer) >= 2 for layer in params)
            or np.ndim(params[-1][0]) != 2):
        raise TypeError("params must be a list of (W, b) layers, as random_net returns")
    width = np.shape(params[-1][0])[1]
    net = params + [(np.zeros((width, 1)), np.zeros(1))]
    out, cache = forward(net, X, activation)
    return net, cache


@dataclass(frozen=True)
class Propagation:
    """A simulated net beside the theory. q (depth,): mean of z^2 at each layer, both inputs; c (depth,):
    correlation of the two inputs' z^l; grad_ratio (depth - 1,): |dL/dz^l|^2 / |dL/dz^{l+1}|^2, l = 1..depth-1;
    q_theory, c_theory: the maps iterated from the same q^0, c^0; chi_1: theory's gradient ratio."""

    q: np.ndarray
    c: np.ndarray
    grad_ratio: np.ndarray
    q_theory: np.ndarray
    c_theory: np.ndarray
    chi_1: float


def forward_layers(params, X, activation="tanh"):
    """Each layer's z^l (a list) and the top layer's f(z) for X run through params. A deeper net's first layers
    give the same z^l, so a run can go on from the top's f(z) with the next layers (the explorer does)."""
    with np.errstate(all="ignore"):
        _, cache = _pass(params, X, get_activation(activation))
    return cache.zs[:len(params)], cache.acts[len(params) - 1]


def propagate(params, X, dtop, activation="tanh", zs=None):
    """Run X (2 + batch, width) through the net: returns (q, c, grad_ratio) as in Propagation, with q and c from
    the first two rows and |dL/dz^l|^2 from back-propagating dtop (batch, width) from the top layer's z.
    zs: forward_layers' z^l for X, if already known (the same answer, without the forward pass)."""
    act = get_activation(activation)
    depth = len(params)
    with np.errstate(all="ignore"):
        zs = np.array(forward_layers(params, X, act)[0] if zs is None else zs[:depth])  # (depth, rows, width)
        pair = zs[:, :2]
        q = np.mean(pair ** 2, axis=(1, 2))
        norms = np.sqrt(np.sum(pair ** 2, axis=2))
        c = np.sum(pair[:, 0] * pair[:, 1], axis=1) / (norms[:, 0] * norms[:, 1])
        dz = dtop * act.slope(zs[-1, 2:])
        sq = [np.sum(dz ** 2)]
        for l in range(depth - 1, 0, -1):                    # dL/dz^l = (dL/dz^{l+1} W_{l+1}^T) f'(z^l)
            dz = (dz @ params[l][0].T) * act.slope(zs[l - 1, 2:])
            sq.append(np.sum(dz ** 2))
        sq = np.array(sq[::-1])
        ratio = sq[:-1] / sq[1:]
    return q, c, ratio


def theory_curves(q0, c0, sw2, sb2, depth, activation="tanh"):
    """Theory's (q^1..q^depth, c^1..c^depth) for inputs of length q0 and correlation c0: the first layer sees
    x itself, q^1 = sigma_w^2 q0 + sigma_b^2, c^1 = (sigma_w^2 q0 c0 + sigma_b^2) / q^1; then the maps."""
    q1 = sw2 * q0 + sb2
    c1 = (sw2 * q0 * c0 + sb2) / q1 if q1 > 0 else 1.0
    return q_iterates(q1, sw2, sb2, depth, activation), c_iterates(q1, q1, c1, sw2, sb2, depth, activation)


def propagation(width, depth, sw2, sb2, activation="tanh", weights="gaussian", *, rng, q0=1.0, c0=0.5,
                batch: int = 8) -> Propagation:
    """Simulate one random net on two inputs (q, c) and back-propagate `batch` random top gradients at inputs
    of length q0; theory beside it."""
    params = random_net(width, depth, sw2, sb2, weights, rng=rng)
    check_memory("this batch", 4.0 * (check_size("batch", batch) + 2) * width)
    X = np.vstack([input_pair(width, q0, c0, rng=rng),
                   np.sqrt(q0) * rng.standard_normal((check_size("batch", batch), width))])
    q, c, ratio = propagate(params, X, rng.standard_normal((batch, width)), activation)
    q_theory, c_theory = theory_curves(q0, c0, sw2, sb2, depth, activation)
    return Propagation(q, c, ratio, q_theory, c_theory, float(chi_1(sw2, sb2, activation)))


def jacobian(params, x, activation="tanh"):
    """J = W_1 D_1 ... W_L D_L (width, width) of the net `params` at the input x (width,)."""
    return jacobian_steps(params, forward_layers(params, np.atleast_2d(x), activation)[0], activation)[-1]


def jacobian_steps(params, zs, activation="tanh", J=None):
    """[J after layer 1, after layer 2, ...] from each layer's z^l (forward_layers' at one input), going on from
    J (the Jacobian of the layers below params) if given."""
    act, out = get_activation(activation), []
    with np.errstate(all="ignore"):
        for (W, _), z in zip(params, zs):
            d = act.slope(z[0])
            J = W * d if J is None else (J @ W) * d  # (J W) D: scales the columns
            out.append(J)
    return out


def start_length(sw2, sb2, activation="tanh") -> float:
    """The input length q^0 the Jacobian is taken at: the fixed point q*, or 1 where q* is 0 or infinite."""
    q = float(q_star(sw2, sb2, activation))
    return q if np.isfinite(q) and q > 0 else 1.0


def jacobian_singular_values(width, depth, sw2, sb2, activation="tanh", weights="gaussian", *, rng, q0=None):
    """Singular values (width,) of the Jacobian of a random net at a random input with |x|^2 / width ~ q0
    (default start_length: the fixed point q*); NaN if the forward pass overflowed."""
    return spectrum_by_depth("", width, [depth], sw2, sb2, activation, weights, rng=rng, q0=q0).values[0]


@dataclass(frozen=True)
class Spectrum:
    """Jacobian singular values of one setting at several depths: depths (k,), values (k, width)."""

    label: str
    depths: np.ndarray
    values: np.ndarray

    @property
    def s_max(self) -> np.ndarray:
        return self.values.max(axis=1)

    @property
    def s_min(self) -> np.ndarray:
        return self.values.min(axis=1)

    @property
    def spread(self) -> np.ndarray:
        """Standard deviation of the squared singular values (Pennington et al.'s measure of spread)."""
        return np.std(self.values ** 2, axis=1)


def spectrum_by_depth(label, width, depths, sw2, sb2, activation="tanh", weights="gaussian", *, rng, q0=None):
    """One net of max(depths) layers; the Jacobian of its first L layers for each L in depths (prefixes)."""
    depths = np.array(sorted(check_size("depth", d) for d in depths))
    if depths.size == 0:
        raise ValueError("depths must list at least one depth, e.g. [1, 10, 100]")
    params = random_net(width, int(depths[-1]), sw2, sb2, weights, rng=rng)
    q0 = start_length(sw2, sb2, activation) if q0 is None else check_positive("q0", q0)
    x = np.sqrt(q0) * rng.standard_normal(width)
    act = get_activation(activation)
    with np.errstate(all="ignore"):
        _, cache = _pass(params, x[None, :], act)
        J, out = None, []
        for l, ((W, _), z) in enumerate(zip(params, cache.zs), start=1):
            d = act.slope(z[0])
            J = W * d if J is None else (J @ W) * d
            if l in depths:
                out.append(np.linalg.svd(J, compute_uv=False) if np.all(np.isfinite(J)) else np.full(width, np.nan))
    return Spectrum(label, depths, np.array(out))
