"""How every checker answers a student: a clear message, never a bare traceback."""
from __future__ import annotations

import numpy as np


class Feedback(str):
    """A checker's verdict: prints as a sentence; bool() says whether the answer is right."""

    def __new__(cls, ok: bool, message: str):
        obj = super().__new__(cls, ("Correct: " if ok else "Not yet: ") + message)
        obj.ok = ok
        return obj

    def __bool__(self):
        return self.ok

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


def compare_array(name, got, expected, rtol=1e-6, atol=1e-9) -> Feedback:
    """Check an array answer: its type, shape, finiteness and values, in that order."""
    try:
        got = np.asarray(got, dtype=np.float64)
    except (TypeError, ValueError):
        return Feedback(False, f"{name} should be an array of numbers, got {type(got).__name__}")
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        return Feedback(False, f"{name} should have shape {expected.shape}, got {got.shape}")
    if not np.all(np.isfinite(got)):
        return Feedback(False, f"{name} contains NaN or inf")
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        worst = int(np.argmax(np.abs(got - expected)))
        return Feedback(False, f"{name} differs from the expected values; e.g. at flat index {worst} you have "
                               f"{got.flat[worst]:.4g}, expected {expected.flat[worst]:.4g}")
    return Feedback(True, f"{name} matches.")
