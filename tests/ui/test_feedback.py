"""The checkers' shared machinery (helpers/ui/feedback.py), and a property test over every public checker:
whatever it is given, a checker answers with a Feedback sentence, never an exception or a warning."""
import functools
import inspect
import pkgutil
import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import helpers as hp
from helpers.ui import feedback as fb

# every hp.exNN that exists: a new notebook's checkers (hp.ex09, ...) are covered without touching this file
CHECKER_MODULES = [getattr(hp, name) for name in sorted(dir(hp)) if re.fullmatch(r"ex\d\d", name)]


def _public_checkers():
    """Every public function defined in a checker module."""
    return [fn for m in CHECKER_MODULES for name, fn in inspect.getmembers(m, inspect.isfunction)
            if not name.startswith("_") and fn.__module__ == m.__name__]


CHECKERS = _public_checkers()


def test_every_checker_is_found():
    packages = sorted(m.name for m in pkgutil.iter_modules(hp.__path__) if re.fullmatch(r"nb\d\d_\w+", m.name))
    assert len(packages) >= 8  # hp.exNN is helpers/nbNN_<topic>/exercises.py, for every notebook package
    assert [m.__name__ for m in CHECKER_MODULES] == [f"helpers.{p}.exercises" for p in packages]
    assert all(c.__name__.startswith("check_") for c in CHECKERS), [c.__name__ for c in CHECKERS]
    for m in CHECKER_MODULES:  # each module's __all__ lists exactly its checkers
        assert sorted(m.__all__) == sorted(c.__name__ for c in CHECKERS if c.__module__ == m.__name__), m.__name__


def _stopped(fn, *args, **kwargs):
    with pytest.raises(fb.NotYet) as stop:
        fn(*args, **kwargs)
    return str(stop.value)


def test_number_accepts_every_form_of_one_number_and_explains_the_rest():
    for form in (2.5, np.float32(2.5), np.array(2.5), np.array([2.5]), [2.5], [[2.5]], (2.5,), 2.5 + 0j):
        assert fb.number(form, "x") == 2.5 and type(fb.number(form, "x")) is np.float64
    assert fb.number(10 ** 30, "x") == 1e30
    for bad, words in [(None, "still None"), ("2.5", "without quotes"), (True, "boolean"), (np.ones(3), "(3,)"),
                       ([1, [2]], "ragged"), (print, "forget to call"), (1 + 1j, "complex"), (np.nan, "finite"),
                       (10 ** 400, "far too large"), ({}, "single number"), (-1, "positive"), (1.5, "whole")]:
        assert words in _stopped(fb.number, bad, "x", positive=words == "positive", whole=words == "whole"), bad


def test_array_checks_type_shape_and_finiteness():
    assert fb.array([[1, 2], [3, 4]], "A", (2, 2)).dtype == np.float64
    assert fb.array([True, False], "m", dtype=None).dtype == bool
    for bad, words in [([[1, 2], [3]], "ragged"), ("ab", "string"), (np.ones((3, 2)), "transposed"),
                       ([1j, 2], "complex"), ([np.inf, 0], "NaN or inf"), (None, "still None")]:
        assert words in _stopped(fb.array, bad, "A", (2, 3) if words == "transposed" else None), bad


def test_call_reports_and_never_leaks():
    def warns(z):
        return np.exp(z)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        before = np.geterr()
        assert "overflow" in _stopped(fb.call, warns, np.array([1000.0]), name="f", on_warning="hint")
        assert np.all(np.isinf(fb.call(warns, np.array([1000.0]), name="f")))  # without on_warning: data
        assert np.geterr() == before
    assert "NotImplementedError" in _stopped(fb.call, _not_implemented, name="f")
    assert "raised ValueError" in _stopped(fb.call, _raises, name="f")
    assert "return` line" in _stopped(fb.call, lambda: None, name="f")
    assert "in place" in _stopped(fb.call, lambda z: z.fill(0) or z, np.ones(2), name="f")
    assert "itself" in _stopped(fb.call, 3.0, name="f")


def test_known_slip_needs_every_miss_explained():
    slips = [(lambda x: 2 * x, "doubled"), (fb.When(lambda got: got < 0), "negative")]
    assert fb.known_slip([((1.0,), 2.0), ((3.0,), 6.0)], slips) == "doubled"
    assert fb.known_slip([((1.0,), 2.0), ((3.0,), 7.0)], slips) is None
    assert fb.known_slip([((1.0,), -2.0)], slips) == "negative"


def test_checker_turns_everything_into_feedback():
    @fb.checker
    def check_demo(x):
        if fb.number(x, "x") != 1:
            raise fb.NotYet("x should be 1")
        return "x is 1"
    assert check_demo(1) and str(check_demo(1)) == "Correct: x is 1."
    assert str(check_demo(2)) == "Not yet: x should be 1."
    assert "call it as in the exercise cell, check_demo(x)" in check_demo(1, 2)
    assert not check_demo() and isinstance(check_demo(), hp.Feedback)


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
