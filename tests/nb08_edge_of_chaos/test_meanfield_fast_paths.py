"""The one-point fast paths of the mean-field theory (issue 16: the explorer recomputes them on every slider
press) give the plain computation to the last bit: mean_field, critical_sw2 at one sigma_b^2, and the iterated
maps q_iterates / c_iterates, each against the same formulas written with the checked, array-valued functions."""
import numpy as np
import pytest

from helpers import nb08_edge_of_chaos as nb
from helpers.core.activations import get_activation

POINTS = [(1.0, 0.09), (0.09, 0.0), (1.0, 0.0), (1.6, 0.05), (4.0, 0.05), (2.7, 0.0), (9.0, 0.36), (2.0, 0.0),
          (1.0471285480508996 ** 2, 0.301 ** 2)]


def plain_mean_field(sw2, sb2, activation, iters=300):
    """mean_field as the composition of the public q_star, chi_1 and correlation_map."""
    q, chi = float(nb.q_star(sw2, sb2, activation)), float(nb.chi_1(sw2, sb2, activation))
    c, chi_c = 1.0, chi
    if chi > 1 and np.isfinite(q) and q > 0:
        c = 0.5
        for _ in range(iters):
            c_new = nb.correlation_map(c, sw2, sb2, activation, q)
            if abs(c_new - c) < 1e-12:
                break
            c = c_new
        c = float(c_new)
        z, w = nb.gauss_hermite(61)
        df = get_activation(activation).df
        u1 = np.sqrt(q) * z[:, None]
        u2 = np.sqrt(q) * (c * z[:, None] + np.sqrt(max(1 - c * c, 0.0)) * z[None, :])
        chi_c = sw2 * float(w @ (df(u1) * df(u2)) @ w)
    return q, chi, c, float(chi_c)


@pytest.mark.parametrize("activation", ["tanh", "relu", "linear", "sigmoid"])
@pytest.mark.parametrize("sw2, sb2", POINTS)
def test_mean_field_is_the_plain_composition(sw2, sb2, activation):
    with np.errstate(all="ignore"):
        want = plain_mean_field(sw2, sb2, activation)
    th = nb.mean_field(sw2, sb2, activation)
    np.testing.assert_array_equal([th.q_star, th.chi_1, th.c_star, th.chi_c], want)  # bit for bit


@pytest.mark.parametrize("sb2", [0.0, 1e-6, 0.001 ** 2, 0.05, 0.224 ** 2, 0.09, 0.3010 ** 2, 0.36])
def test_critical_sw2_at_one_point_is_the_array_bisection(sb2):
    lo, hi = np.full((), 0.5), np.full((), 10.0)  # critical_sw2's bisection on 0-d arrays, with the checked chi_1
    for _ in range(46):
        mid = (lo + hi) / 2
        chaotic = nb.chi_1(mid, np.asarray(sb2), "tanh") > 1
        lo, hi = np.where(chaotic, lo, mid), np.where(chaotic, mid, hi)
    assert nb.critical_sw2(sb2, "tanh") == ((lo + hi) / 2)[()]


def plain_iterates(q1, sw2, sb2, depth, activation, c1):
    """q_iterates and c_iterates as loops over the checked length_map (three chains of lengths)."""
    qs, q = np.empty(depth), q1
    for l in range(depth):
        qs[l] = q
        q = float(nb.length_map(q, sw2, sb2, activation))
    f = get_activation(activation).f
    z, w = nb.gauss_hermite(61)
    z1, z2 = z[:, None], z[None, :]
    cs, qa, qb, c = np.empty(depth), q1, q1, c1
    with np.errstate(all="ignore"):
        for l in range(depth):
            cs[l] = c
            u1 = np.sqrt(qa) * z1
            u2 = np.sqrt(qb) * (c * z1 + np.sqrt(max(1 - c * c, 0.0)) * z2)
            q12 = sw2 * float(w @ (f(u1) * f(u2)) @ w) + sb2
            qa, qb = float(nb.length_map(qa, sw2, sb2, activation)), float(nb.length_map(qb, sw2, sb2, activation))
            c = min(q12 / np.sqrt(qa * qb), 1.0) if qa > 0 and qb > 0 else 1.0
    return qs, cs


@pytest.mark.parametrize("activation", ["tanh", "relu", "linear"])
@pytest.mark.parametrize("sw2, sb2", POINTS)
def test_theory_curves_are_the_plain_iterated_maps(sw2, sb2, activation):
    q1 = sw2 * 1.0 + sb2
    c1 = (sw2 * 0.5 + sb2) / q1
    with np.errstate(all="ignore"):
        want_q, want_c = plain_iterates(q1, sw2, sb2, 40, activation, c1)
        got_q, got_c = nb.theory_curves(1.0, 0.5, sw2, sb2, 40, activation)
    np.testing.assert_array_equal(got_q, want_q)
    np.testing.assert_array_equal(got_c, want_c)
    np.testing.assert_array_equal(nb.q_iterates(q1, sw2, sb2, 40, activation), want_q)
