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


def values_of(w):
    """Every value a test may set control `w` to: each option, or both ends and the middle of a slider."""
    if hasattr(w, "options") and w.options:
        options = w.options.values() if isinstance(w.options, dict) else w.options
        return [o[1] if isinstance(o, tuple) else o for o in options]
    if isinstance(w.value, bool):
        return [False, True]
    if hasattr(w, "base"):  # FloatLogSlider: min/max are exponents
        return [w.base ** w.min, w.base ** ((w.min + w.max) / 2), w.base ** w.max]
    middle = w.min + round((w.max - w.min) / 2 / w.step) * w.step
    return [w.min, type(w.value)(middle), w.max]


def kept_matches_fresh(build, rng, moves: int = 6, checks: int = 2):
    """Move the controls of one explorer (and its large-display toggle) in a random order, and at `checks`
    points compare its kept figure and readout with those of a fresh explorer set to the same values:
    whatever an update keeps from the last one (figure, axes, artists, cached results) must not show."""
    kept = build()
    names = [*kept.controls, "large"]
    for check in range(checks):
        for name in rng.permutation(names)[:moves]:
            w = kept.large if name == "large" else kept.controls[name]
            if w.disabled:
                continue
            options = values_of(w)
            w.value = options[rng.integers(len(options))]
            assert "could not update" not in kept.readout.value, (name, kept.readout.value)
        fresh = build()
        fresh.large.value = kept.large.value
        fresh.presets["same"] = kept.values()
        fresh.apply("same")
        assert fresh.values() == kept.values()
        assert fresh.readout.value == kept.readout.value, (check, kept.values())
        assert fresh.image.tooltip == kept.image.tooltip
        assert bytes(fresh.image.value) == bytes(kept.image.value), f"stale picture after moves to {kept.values()}"


def apply_every_preset(explorer):
    """Apply each preset in turn; each must draw without error, and each but reset must change the picture."""
    for name in explorer.presets:
        before = bytes(explorer.image.value)
        explorer.apply(name)
        assert "could not update" not in explorer.readout.value, (name, explorer.readout.value)
        assert name == "reset" or bytes(explorer.image.value) != before, name


def assert_same(fast: dict, slow: dict):
    """Two compute results (dicts) equal to the last bit: strings equal, arrays equal with NaN where NaN."""
    assert fast.keys() == slow.keys()
    for key, value in slow.items():
        if isinstance(value, str):
            assert fast[key] == value, key
        else:
            assert np.array_equal(np.asarray(fast[key]), np.asarray(value), equal_nan=True), key
