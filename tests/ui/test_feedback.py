"""The checkers' shared machinery (helpers/ui/feedback.py), and a property test over every public checker:
whatever it is given, a checker answers with a Feedback sentence, never an exception or a warning."""
import functools
import inspect
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import helpers as hp
from helpers.ui import feedback as fb

CHECKER_MODULES = [hp.ex01, hp.ex02, hp.ex03, hp.ex04, hp.ex05, hp.ex06]


def _public_checkers():
    """Every public function of hp.ex01..hp.ex06: a new checker is covered without touching this file."""
    return [fn for m in CHECKER_MODULES for name, fn in inspect.getmembers(m, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == m.__name__]


CHECKERS = _public_checkers()


def test_every_checker_is_found():
    assert len(CHECKERS) == 24
    assert all(c.__name__.startswith("check_") for c in CHECKERS)


@functools.lru_cache(maxsize=None)
def _context():
    """Valid values for the checkers' context arguments (not the student's answer), by parameter name."""
    rng = np.random.default_rng(0)
    X = rng.standard_normal((40, 2))
    y = (X[:, 0] > 0).astype(int)
    params = hp.init_mlp([2, 8, 8, 8, 2], "he_normal", rng)
    _, cache = hp.forward(hp.init_mlp([8, 8, 8, 2], 1.0, rng), rng.standard_normal((30, 8)), "sigmoid")
    return {"cache": cache, "z": rng.standard_normal((20, 6)), "params": params, "X": X, "y": y}


def _raises(*args, **kwargs):
    raise ValueError("the student's own error")


def _warns(*args, **kwargs):
    return np.exp(np.full(3, 1000.0))  # overflow: a RuntimeWarning unless someone silences it


def _not_implemented(*args, **kwargs):
    raise NotImplementedError


values = st.one_of(
    st.sampled_from([None, Ellipsis, "abc", "", b"1", True, np.True_, [1, [2]], [[1, 2], [3]], [], (), {},
                     {"a": 1}, np.array([8]), np.array(8.0), np.array([]), np.float32(0.5), np.int8(3), 1 + 2j,
                     np.array([1 + 1j]), np.float32, object(), float("nan"), float("inf"), -float("inf"),
                     np.array(["a", "b"]), np.array([None, 1.0], dtype=object), 10 ** 400, -(10 ** 30), 1e308,
                     np.full((3, 3), np.nan), np.zeros((2, 0)), [np.nan], range(3), slice(1)]),
    st.integers(-10 ** 6, 10 ** 6), st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=5),
    st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=5),
    st.lists(st.one_of(st.integers(-3, 3), st.lists(st.integers(-3, 3), max_size=2)), max_size=4),
)
functions = st.one_of(
    st.sampled_from([_raises, _warns, _not_implemented, print, len, np.float32]),
    values.map(lambda v: (lambda *args, **kwargs: v)),
)
garbage = st.one_of(values, functions)


def _answers_only(checker):
    return [p for p in inspect.signature(checker).parameters.values()
            if p.default is inspect.Parameter.empty and p.name not in _context()]


def _assert_feedback_quietly(checker, args, kwargs):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = checker(*args, **kwargs)
    assert isinstance(result, hp.Feedback), (checker.__name__, result)
    assert not caught, (checker.__name__, [str(w.message) for w in caught])
    assert str(result).startswith(("Correct: ", "Not yet: ")) and len(str(result)) > len("Not yet: ") + 10
    return result


@pytest.mark.parametrize("checker", CHECKERS, ids=lambda c: f"{c.__module__.split('.')[1]}.{c.__name__}")
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_garbage_answers_get_a_sentence(checker, data):
    """Garbage in the answer, valid context: a verdict from the checker's own reasoning (a float may be right)."""
    kwargs = {p.name: data.draw(garbage, label=p.name) for p in _answers_only(checker)}
    kwargs.update({k: v for k, v in _context().items() if k in inspect.signature(checker).parameters})
    result = _assert_feedback_quietly(checker, (), kwargs)
    assert fb.CHECKER_FAILED not in result, result  # the checker itself never trips over an answer


@pytest.mark.parametrize("checker", CHECKERS, ids=lambda c: f"{c.__module__.split('.')[1]}.{c.__name__}")
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_garbage_everywhere_gets_a_sentence(checker, data):
    """Garbage in every argument, the optional ones included: still a sentence, no exception, no warning."""
    kwargs = {p.name: data.draw(garbage, label=p.name) for p in inspect.signature(checker).parameters.values()}
    _assert_feedback_quietly(checker, (), kwargs)
