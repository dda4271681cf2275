"""Property-based checks: over shapes and sizes only ValueError escapes (TypeError for a non-array X); shapes hold."""
import numpy as np
from hypothesis import given, settings, strategies as st

import helpers as hp

sizes = st.lists(st.integers(min_value=1, max_value=12), min_size=2, max_size=5)


@settings(max_examples=60, deadline=None)
@given(sizes=sizes, batch=st.integers(1, 9), activation=st.sampled_from(hp.ACTIVATIONS),
       scheme=st.sampled_from(sorted(hp.SCHEMES)), seed=st.integers(0, 2**32 - 1))
def test_forward_backward_shapes(sizes, batch, activation, scheme, seed):
    rng = np.random.default_rng(seed)
    params = hp.init_mlp(sizes, scheme, rng)
    X = rng.normal(size=(batch, sizes[0]))
    out, cache = hp.forward(params, X, activation)
    assert out.shape == (batch, sizes[-1])
    grads, dX = hp.backward(params, cache, np.ones_like(out))
    assert dX.shape == X.shape
    assert all(dW.shape == W.shape and db.shape == b.shape for (dW, db), (W, b) in zip(grads, params))


anything = st.one_of(st.none(), st.integers(-5, 5), st.floats(allow_nan=True), st.text(max_size=4),
                     st.lists(st.integers(-3, 5), max_size=4))


@settings(max_examples=150, deadline=None)
@given(fan_in=anything, fan_out=anything, scheme=st.one_of(anything, st.sampled_from(sorted(hp.SCHEMES))))
def test_init_weights_only_raises_valueerror(fan_in, fan_out, scheme):
    try:
        W = hp.init_weights(fan_in, fan_out, scheme, np.random.default_rng(0))
    except ValueError:
        return
    assert W.shape == (fan_in, fan_out)


@settings(max_examples=150, deadline=None)
@given(sizes=st.lists(anything, max_size=4), X=st.one_of(anything, st.lists(st.lists(st.floats(), max_size=3), max_size=3)),
       activation=st.one_of(anything, st.sampled_from(hp.ACTIVATIONS)))
def test_mlp_only_raises_valueerror(sizes, X, activation):
    try:
        params = hp.init_mlp(sizes, "he_normal", np.random.default_rng(0))
        hp.forward(params, X, activation)
    except (ValueError, TypeError):  # TypeError: X is not array-like at all (None, a dict), as check_array says
        pass


@settings(max_examples=80, deadline=None)
@given(alpha=st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-3, 3)),
       name=st.one_of(anything, st.sampled_from(hp.ACTIVATIONS)))
def test_get_activation_only_raises_valueerror(alpha, name):
    try:
        act = hp.get_activation(name, alpha=alpha)
    except ValueError:
        return
    assert act.f(np.array([1.0, -1.0])).shape == (2,)
