"""Shared by the exercise-checker tests: the garbage every checker must answer with a sentence, quietly."""
import warnings

import numpy as np

import helpers as hp


def _raises(*args):
    raise ValueError("the student's own bug")


def _warns(*args):
    return np.exp(np.full(3, 1000.0))  # an overflow RuntimeWarning, unless the checker keeps it in


GARBAGE = [None, "abc", [1, [2]], np.array([8]), np.float32]
GARBAGE_FUNCTIONS = [_raises, _warns, lambda *a: None, lambda *a: "abc", lambda *a: [1, [2]],
                     lambda *a: np.array([8])]


def verdict(checker, *args, **kwargs):
    """The checker's Feedback, asserting that it is one, with a sentence, and that no warning got out."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = checker(*args, **kwargs)
    assert isinstance(result, hp.Feedback), result
    assert not caught, [str(w.message) for w in caught]
    assert str(result).startswith(("Correct: ", "Not yet: ")) and str(result).endswith((".", "?", "!"))
    return result


def not_yet(checker, *args, words=(), **kwargs):
    """Assert that the checker says 'Not yet', naming every one of `words`; returns the sentence."""
    result = verdict(checker, *args, **kwargs)
    assert not result and str(result).startswith("Not yet: "), result
    for w in (words,) if isinstance(words, str) else words:
        assert w in result, (w, str(result))
    return str(result)


def rejects_garbage(checker, *context, functions=False):
    """Every garbage answer (and, for a function answer, every garbage function) gets a quiet 'Not yet'."""
    for answer in GARBAGE + (GARBAGE_FUNCTIONS if functions else []):
        not_yet(checker, answer, *context)


ONE_NUMBER_FORMS = (float, np.float32, np.float64, np.array, lambda v: np.array([v]), lambda v: [v])


def accepts_every_form(checker, answer_in, *context):
    """A right number is right as a Python or numpy scalar, a 0-d or one-element array, or a one-element list.

    answer_in(form) gives the answer with its number in that form (a value, or a function returning it).
    """
    for form in ONE_NUMBER_FORMS:
        assert verdict(checker, answer_in(form), *context), form
