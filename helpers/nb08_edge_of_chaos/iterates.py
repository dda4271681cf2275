"""Theory's layer-by-layer curves (Poole et al. 2016): the length q^l and the correlation c^l of two inputs,
the mean-field maps iterated from the first layer (see meanfield for the maps themselves)."""
from __future__ import annotations

import numpy as np

from ..core.activations import get_activation
from ..core.checks import check_memory, check_nonnegative, check_size
from .meanfield import N_QUAD_2D, check_variances, gauss_hermite, length_chain


def q_iterates(q1, sw2, sb2, depth, activation="tanh"):
    """Theory's q^1..q^depth from the first layer's q^1 (the length map applied depth - 1 times), shape (depth,).
    A net's first layer sees the input itself, not f of it: q^1 = sigma_w^2 |x|^2 / N + sigma_b^2."""
    check_memory("depth", check_size("depth", depth))
    q1, f = check_nonnegative("q1", q1), get_activation(activation).f
    check_variances(sw2, sb2)
    with np.errstate(all="ignore"):  # huge variances overflow to inf: data, not a warning
        return np.array(length_chain(q1, sw2, sb2, f, depth))


def c_iterates(q1_0, q2_0, c0, sw2, sb2, depth, activation="tanh"):
    """Theory's correlation c^1..c^depth of two pre-activations with lengths q1_0, q2_0 and correlation c0 at
    layer 1 (out[0] = c0), each step using the pair's exact lengths (not only q*), shape (depth,)."""
    act = get_activation(activation)
    z, w = gauss_hermite(N_QUAD_2D)
    z1, z2 = z[:, None], z[None, :]
    q1, q2, c = check_nonnegative("q1_0", q1_0), check_nonnegative("q2_0", q2_0), float(c0)
    check_variances(sw2, sb2)
    if not -1 - 1e-9 <= c <= 1 + 1e-9:
        raise ValueError(f"c0 is a correlation: it must lie in [-1, 1], got {c0!r}")
    check_memory("depth", check_size("depth", depth))
    out = np.empty(depth)
    with np.errstate(all="ignore"):
        lengths1 = length_chain(q1, sw2, sb2, act.f, depth)  # each input's lengths, layer by layer
        lengths2 = lengths1 if q2 == q1 else length_chain(q2, sw2, sb2, act.f, depth)
        for l in range(depth):
            out[l] = c
            if l == depth - 1:
                break
            q1, q2 = lengths1[l], lengths2[l]
            u1 = np.sqrt(q1) * z1
            u2 = np.sqrt(q2) * (c * z1 + np.sqrt(max(1 - c * c, 0.0)) * z2)
            q12 = sw2 * float(w @ (act.f(u1) * act.f(u2)) @ w) + sb2
            q1, q2 = lengths1[l + 1], lengths2[l + 1]
            c = min(q12 / np.sqrt(q1 * q2), 1.0) if q1 > 0 and q2 > 0 else 1.0
    return out
