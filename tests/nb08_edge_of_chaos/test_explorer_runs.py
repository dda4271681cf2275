"""The explorer's net runs (issue 16): a depth move goes on from the layers already run (each layer's z, the
Jacobian after each layer), and gives what one plain pass at that depth gives, bit for bit, in any order."""
import numpy as np

from helpers.core.activations import get_activation
from helpers.core.network import forward
from helpers.nb08_edge_of_chaos import propagate
from helpers.nb08_edge_of_chaos.explorer import edge_compute
from helpers.nb08_edge_of_chaos.netrun import WIDTH, base_net


def plain(sigma_w, sigma_b, depth, activation, weights, q_jac):
    """Propagation and the Jacobian's singular values from scratch: core's forward pass, then J = W_1 D_1 ..."""
    W, b, X, x_unit, dtop = base_net(weights)
    params = [(sigma_w * W[l], sigma_b * b[l]) for l in range(depth)]
    act = get_activation(activation)
    with np.errstate(all="ignore"):
        q, c, ratio = propagate(params, X, dtop, activation)
        _, cache = forward(params + [(np.zeros((WIDTH, 1)), np.zeros(1))], np.sqrt(q_jac) * x_unit[None, :], act)
        J = None
        for (Wl, _), z in zip(params, cache.zs):
            J = Wl * act.slope(z[0]) if J is None else (J @ Wl) * act.slope(z[0])
        s = np.linalg.svd(J, compute_uv=False) if np.all(np.isfinite(J)) else np.full(WIDTH, np.nan)
    return q, c, ratio, s


def test_depth_moves_in_any_order_give_the_plain_pass():
    settings = [(1.3, 0.2, d, "tanh", "gaussian") for d in (5, 9, 3, 40, 20, 41)]
    settings += [(2.9, 0.6, d, a, "orthogonal") for d in (64, 2, 33) for a in ("tanh", "relu")]
    settings += [(1.3, 0.2, d, "tanh", "gaussian") for d in (64, 7)]  # back to the first net after others
    for sigma_w, sigma_b, depth, activation, weights in settings:
        r = edge_compute(sigma_w=sigma_w, sigma_b=sigma_b, depth=depth, activation=activation, weights=weights)
        want = plain(sigma_w, sigma_b, depth, activation, weights, r["q_jac"])
        for got, expected in zip((r["q"], r["c"], r["ratio"], r["s"]), want):
            np.testing.assert_array_equal(got, expected)
