"""Shared checks for explorers: build one, move every control, assert the figure changes."""
import numpy as np


def other_value(w):
    """A value of control `w` different from its current one, inside its range or options."""
    if hasattr(w, "options") and w.options:
        options = w.options.values() if isinstance(w.options, dict) else w.options
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        return next(v for v in values if v != w.value)
    if isinstance(w.value, bool):
        return not w.value
    if hasattr(w, "base"):  # FloatLogSlider: min/max are exponents
        lo, hi = w.base ** w.min, w.base ** w.max
        return lo if not np.isclose(w.value, lo) else hi
    return w.min if w.value != w.min else w.max


def move_every_control(explorer):
    """Set each control to another value; assert each changes the picture and leaves no error."""
    moved = 0
    for name, w in explorer.controls.items():
        if w.disabled:  # greyed out because it does nothing in the current setting
            continue
        moved += 1
        before = bytes(explorer.image.value)
        w.value = other_value(w)
        assert "could not update" not in explorer.readout.value, (name, explorer.readout.value)
        assert bytes(explorer.image.value) != before, f"moving {name!r} did not change the figure"
    assert moved, "every control was disabled"
    explorer.apply("reset")
    assert "could not update" not in explorer.readout.value
