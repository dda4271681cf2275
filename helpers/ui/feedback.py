"""How every checker answers a student: one sentence, never a traceback or a warning.

A checker is data run by this machinery, in the spirit of the deeplearning.ai labs' test_utils:

    @checker
    def check_slope(fn):
        got = array(call(fn, Z.copy(), name="slope"), "slope(z)", shape=Z.shape)
        expect(got, right(Z), "slope(z)", slips=[(wrong(Z), "a hint"), ...])
        return "why the answer is right"

Inside a checker, `call`, `number`, `array` and `expect` raise NotYet(sentence) at the first problem;
@checker turns it into Feedback(False, sentence), and the returned string into Feedback(True, string).
A slip table is [(wrong, hint), ...]: `wrong` is the value a known mistake gives, a function of the case's
arguments giving it, or When(test) for a test on the answer itself.
"""
from __future__ import annotations

import copy
import functools
import inspect
import numbers
import warnings

import numpy as np

CHECKER_FAILED = "the checker could not use these arguments"


class Feedback(str):
    """A checker's verdict: prints as a sentence; bool() says whether the answer is right."""

    def __new__(cls, ok: bool, message: str):
        message = message if message.endswith((".", "?", "!")) else message + "."
        obj = super().__new__(cls, ("Correct: " if ok else "Not yet: ") + message)
        obj.ok = ok
        return obj

    def __bool__(self):
        return self.ok

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


class NotYet(Exception):
    """Raised inside a checker with the sentence that tells the student what is wrong."""


class When:
    """A slip recognised by a test on the answer, e.g. When(lambda got: got.max() > 1)."""

    def __init__(self, test):
        self.test = test


def checker(fn):
    """Make fn a checker: NotYet -> Feedback(False, ...), a returned string -> Feedback(True, ...).

    Everything runs under np.errstate(all="ignore") with warnings silenced, and any other error (a
    wrong number of arguments, a context argument it cannot use) becomes a sentence too.
    """
    signature = inspect.signature(fn)
    usage = f"{fn.__name__}({', '.join(signature.parameters)})"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                signature.bind(*args, **kwargs)
            except TypeError as err:
                return Feedback(False, f"call it as in the exercise cell, {usage} ({err})")
            try:
                return Feedback(True, fn(*args, **kwargs))
            except NotYet as stop:
                return Feedback(False, str(stop))
            except Exception as err:  # never a traceback in the notebook
                return Feedback(False, f"{CHECKER_FAILED} ({type(err).__name__}: {_clip(err)}); call it as in "
                                       f"the exercise cell, {usage}")
    return wrapper


def _clip(x, n=80) -> str:
    text = str(x)
    return text if len(text) <= n else text[:n - 3] + "..."


def describe(value) -> str:
    """A few words for what a student passed: 'None', 'the string 'abc'', 'an array of shape (3,)'."""
    if value is None or value is Ellipsis:
        return repr(value)
    if isinstance(value, (bool, np.bool_)):
        return f"the boolean {value}"
    if isinstance(value, (str, bytes)):
        return f"the string {_clip(repr(value), 40)}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}" + (f" and dtype {value.dtype}" if value.dtype.kind not in "biuf" else "")
    if callable(value):
        return f"the function {getattr(value, '__name__', type(value).__name__)}"
    if isinstance(value, (list, tuple)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"{type(value).__name__} {_clip(repr(value), 40)}"


def _not_there(value, name):
    if value is None or value is Ellipsis:
        raise NotYet(f"{name} is still {value!r}: put your answer there")


def _unchanged(before, after) -> bool:
    """Whether the arrays in `after` (nested in lists and tuples) still hold what `before` held."""
    if isinstance(before, np.ndarray):
        return isinstance(after, np.ndarray) and before.shape == after.shape and np.array_equal(before, after, equal_nan=True)
    if isinstance(before, (list, tuple)):
        return len(before) == len(after) and all(_unchanged(b, a) for b, a in zip(before, after))
    return True


def call(fn, *args, name: str, case: str | None = None, on_warning: str | None = None):
    """fn(*args) for the student's function fn, never raising and never letting a warning out.

    Raises NotYet when fn is not a function, raises, returns None (or ...), changes an input array in place,
    or, with on_warning given, makes numpy warn (then the sentence ends with that hint).
    case names the call in messages (default: name), e.g. "chain_grad(0.0, 5)".
    """
    if not callable(fn):
        raise NotYet(f"pass your function {name} itself (without calling it), not {describe(fn)}")
    before = copy.deepcopy(args)
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            got = fn(*args)
        except NotImplementedError:
            raise NotYet(f"{name} still raises NotImplementedError: replace that line with your code") from None
        except Exception as err:  # the student's code: reported, never raised
            raise NotYet(f"{case or name} raised {type(err).__name__}: {_clip(err)}") from None
    if got is None or got is Ellipsis:
        raise NotYet(f"{name} returned {got!r}: is the `return` line still missing?")
    if not _unchanged(before, args):
        raise NotYet(f"{name} changed its input in place; compute and return new arrays instead")
    warned = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if on_warning and warned:
        raise NotYet(f"{case or name} makes numpy warn '{_clip(warned[0].message, 50)}': {on_warning}")
    return got


def number(value, name: str, *, positive: bool = False, whole: bool = False) -> np.float64:
    """value as a finite np.float64 (so that arithmetic on it overflows to inf, never raises): Python and numpy
    scalars, 0-d and one-element arrays or lists are accepted; anything else gives NotYet."""
    _not_there(value, name)
    if isinstance(value, (str, bytes)):
        raise NotYet(f"{name} should be a number, not {describe(value)}: write the number without quotes")
    if isinstance(value, (bool, np.bool_)) or callable(value):
        raise NotYet(f"{name} should be a number, got {describe(value)}"
                     + (" (did you forget to call it?)" if callable(value) else ""))
    if isinstance(value, numbers.Integral) and not isinstance(value, np.integer):  # beyond int64 too
        if abs(value) > 1e300:
            raise NotYet(f"{name} = {_clip(value, 20)} is far too large")
        value = float(value)
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError, OverflowError):
        raise NotYet(f"{name} should be a single number, got a ragged {type(value).__name__}") from None
    if arr.dtype.kind not in "biufc" or arr.size != 1:
        shape = f"an array of shape {arr.shape}" if arr.dtype.kind in "biufc" else describe(value)
        raise NotYet(f"{name} should be a single number, got {shape}")
    if arr.dtype.kind == "b":
        raise NotYet(f"{name} should be a number, got the boolean {bool(arr.ravel()[0])}")
    x = arr.ravel()[0]
    if arr.dtype.kind == "c":
        if x.imag != 0:
            raise NotYet(f"{name} is the complex number {x:.4g}; the answer is a real number")
        x = x.real
    x = np.float64(x)
    if not np.isfinite(x):
        raise NotYet(f"{name} is {x}, not a finite number")
    if positive and x <= 0:
        raise NotYet(f"{name} should be positive, got {x:g}")
    if whole and x != np.floor(x):
        raise NotYet(f"{name} counts, so it should be a whole number, got {x:g}")
    return x


def array(value, name: str, shape: tuple | None = None, *, finite: bool = True, dtype=np.float64) -> np.ndarray:
    """value as an array of numbers (of the given shape); ragged lists, strings, None... give NotYet.

    dtype=None keeps the answer's own dtype (e.g. to tell a boolean mask from 0/1 numbers).
    """
    _not_there(value, name)
    if isinstance(value, (str, bytes, dict)) or callable(value):
        raise NotYet(f"{name} should be an array of numbers, got {describe(value)}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError, OverflowError):
        raise NotYet(f"{name} should be an array of numbers, got a ragged {type(value).__name__} "
                     "(its rows have different lengths)") from None
    if arr.dtype.kind not in "biuf":
        what = "complex numbers" if arr.dtype.kind == "c" else f"{describe(value)}"
        raise NotYet(f"{name} should be an array of real numbers, got {what}")
    if shape is not None and arr.shape != tuple(shape):
        turned = " (transposed?)" if len(shape) == 2 and arr.shape == tuple(shape)[::-1] else ""
        raise NotYet(f"{name} should have shape {tuple(shape)}, got {arr.shape}{turned}")
    if finite and not np.all(np.isfinite(arr)):
        raise NotYet(f"{name} contains NaN or inf")
    return arr if dtype is None else arr.astype(dtype)


def same(got, expected, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """Same shape and values within tolerance (NaN-safe, never warns)."""
    got, expected = np.asarray(got), np.asarray(expected)
    with np.errstate(all="ignore"):
        return got.shape == expected.shape and bool(np.allclose(got, expected, rtol=rtol, atol=atol))


def known_slip(misses, slips, rtol: float = 1e-6, atol: float = 1e-9) -> str | None:
    """The hint of the first slip that explains every miss, or None.

    misses: [(case, got)], case the tuple of arguments a slip function takes; slips: [(wrong, hint)].
    """
    for wrong, hint in slips:
        if isinstance(wrong, When):
            hit = all(wrong.test(got) for _, got in misses)
        else:
            hit = all(same(got, wrong(*case) if callable(wrong) else wrong, rtol, atol) for case, got in misses)
        if misses and hit:
            return hint
    return None


def differs(name, got, expected) -> str:
    """'name is 1.5, expected 2' for a number; the worst entry for an array."""
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    if got.size == 1:
        return f"{name} is {got.item():.4g}, expected {expected.item():.4g}"
    worst = int(np.argmax(np.nan_to_num(np.abs(got - expected), nan=np.inf)))
    return (f"{name} differs from the expected values; e.g. at flat index {worst} you have {got.flat[worst]:.4g}, "
            f"expected {expected.flat[worst]:.4g}")


def expect(got, expected, name: str, slips=(), case=(), rtol: float = 1e-6, atol: float = 1e-9,
           otherwise: str | None = None) -> None:
    """NotYet unless got matches expected: the known slip's hint if one fits, else `otherwise` or the difference."""
    if not same(got, expected, rtol, atol):
        raise NotYet(known_slip([(case, got)], slips, rtol, atol) or otherwise or differs(name, got, expected))

