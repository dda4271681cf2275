"""Every public function of `helpers`, fed garbage one argument at a time (issue 12).

For each public function there is one valid call in EXAMPLES (tests/public_api_examples.py). The property
test replaces one argument of that call by garbage (wrong types, wrong shapes, empty, NaN, inf, huge,
negative, names that do not exist) and asserts that the function either works or raises a ValueError or
TypeError whose message says something, and that no warning escapes. A public function with no entry in
EXAMPLES fails `test_every_public_function_is_covered`, so the next function added is walked too.
"""
import inspect
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.public_api_examples import EXAMPLES, SLOW, public_functions

matplotlib.use("Agg")

GARBAGE = [None, "nonexistent", "", -1, 0, -3000, 10**12, 1e308, -1e308, float("nan"), float("inf"), True,
           [], [[1.0, 2.0], [3.0]], np.array([]), np.array([8]), np.array(2.5), np.float32(0.5),
           np.full((2, 2), np.nan), np.full((3, 4), 1e300), np.zeros((0, 3)), np.arange(6).reshape(2, 3),
           {"stdd": 1}, object(), (1, 2), lambda *a, **k: None]


@pytest.fixture(autouse=True)
def _close_figures():
    """Examples draw on fresh figures: close them after each test (pyplot warns beyond 20 open figures)."""
    yield
    plt.close("all")


def _call(fn, args, kwargs):
    """Call fn; return the exception it raised (None if it worked). Any warning fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            fn(*args, **kwargs)
        except (ValueError, TypeError) as err:
            assert str(err).strip(), f"{fn.__qualname__} raised {type(err).__name__} with an empty message"
            return err
    return None


def test_every_public_function_is_covered():
    missing = sorted(set(public_functions()) - set(EXAMPLES))
    assert not missing, f"public functions with no example call in tests/public_api_examples.py: {missing}"
    stale = sorted(set(EXAMPLES) - set(public_functions()))
    assert not stale, f"examples for functions that are no longer public: {stale}"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_example_call_works(name):
    fn = public_functions()[name]
    args, kwargs = EXAMPLES[name]()
    assert _call(fn, args, kwargs) is None, f"the valid example call of {name} raised"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_garbage_gives_a_clear_error_or_a_result(name):
    fn = public_functions()[name]
    args, kwargs = EXAMPLES[name]()
    slots = [("arg", i) for i in range(len(args))] + [("kw", k) for k in kwargs]
    if not slots:
        return

    @settings(max_examples=6 if name in SLOW else 25, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(slot=st.sampled_from(slots), junk=st.sampled_from(GARBAGE))
    def run(slot, junk):
        a, k = list(args), dict(kwargs)
        if slot[0] == "arg":
            a[slot[1]] = junk
        else:
            k[slot[1]] = junk
        plt.close("all")
        try:
            _call(fn, a, k)
        except AssertionError:
            raise
        except Exception as err:  # anything else escaping a public function is the bug this test hunts
            pytest.fail(f"{name}({slot[1]}={junk!r}) raised {type(err).__name__}: {err}")

    run()


def test_examples_match_the_signatures():
    """An example passes only parameters its function has (so a renamed parameter shows up here)."""
    for name, make in EXAMPLES.items():
        args, kwargs = make()
        inspect.signature(public_functions()[name]).bind(*args, **kwargs)
        plt.close("all")
