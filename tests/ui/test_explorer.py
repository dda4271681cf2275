import numpy as np

import helpers as hp
from helpers.ui import explorer as hw
from tests.widget_checks import move_every_control


def _toy_explorer():
    controls = {"depth": hw.slider("depth", 5, 2, 20), "std": hw.log_slider("weight std", 1.0, 0.01, 10),
                "activation": hw.dropdown("activation", ["tanh", "relu"])}

    def compute(depth, std, activation):
        params = hp.init_mlp([20] * (depth + 1), init=std, rng=np.random.default_rng(0))
        return hp.layer_stats(params, np.random.default_rng(1).normal(size=(64, 20)), activation, rng=np.random.default_rng(0))

    def draw(fig, stats):
        hp.plot_per_layer(fig.add_subplot(), stats.a_std)
        return f"last layer std {hp.fmt(stats.a_std[-1])}"

    return hw.Explorer(controls, compute, draw, presets={"N(0, 1)": {"std": 1.0}, "tiny": {"std": 0.01}})


def test_explorer_updates_on_every_control_and_preset():
    ex = _toy_explorer()
    assert bytes(ex.image.value)[:4] == b"\x89PNG"
    move_every_control(ex)
    before = bytes(ex.image.value)
    ex.apply("tiny")
    assert ex.controls["std"].value == 0.01 and bytes(ex.image.value) != before
    ex.large.value = True
    assert ex.fig.get_size_inches()[0] > 11


def test_explorer_shows_errors_instead_of_raising():
    def compute(x):
        raise ValueError("x must be positive")

    ex = hw.Explorer({"x": hw.slider("x", 1, 0, 3)}, compute, lambda fig, r: None)
    ex.controls["x"].value = 2
    assert "x must be positive" in ex.readout.value


def test_side_by_side():
    box = hw.side_by_side(_toy_explorer, a={"std": 1.0}, b={"std": 0.1})
    a, b = box.children
    assert a.controls["std"].value == 1.0 and b.controls["std"].value == 0.1
    assert bytes(a.image.value) != bytes(b.image.value)


def test_controls_that_do_nothing_are_disabled():
    controls = {"clip": hw.dropdown("clip", ["none", "norm"]), "threshold": hw.log_slider("threshold", 1.0, 0.1, 10)}
    ex = hw.Explorer(controls, lambda clip, threshold: (clip, threshold), lambda fig, r: str(r),
                     enabled={"threshold": lambda v: v["clip"] != "none"})
    assert ex.controls["threshold"].disabled
    ex.controls["clip"].value = "norm"
    assert not ex.controls["threshold"].disabled


def test_figure_has_a_text_alternative_that_follows_the_controls():
    ex = _toy_explorer()
    alt = ex.image.tooltip
    assert "depth = 5" in alt and "weight std = 1" in alt and "last layer std" in alt and "<" not in alt
    ex.controls["depth"].value = 7
    assert "depth = 7" in ex.image.tooltip and ex.image.tooltip != alt
    assert ex.image.get_state()["description"] == ""  # ipywidgets writes the tooltip as the img's title only then
    assert all(w.description for w in ex.controls.values()) and ex.large.description


def test_style_draws_in_the_okabe_ito_palette_and_figure_functions_too():
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from helpers.ui import plotting
    with plotting.style():
        assert mpl.colors.to_hex("C1") == "#e69f00"
    ax = Figure().add_subplot()  # made outside: matplotlib's default cycle
    hp.plot_curves(ax, {"a": [1.0, 2.0], "b": [2.0, 1.0]})
    a, b = ax.lines
    assert mpl.colors.to_hex(a.get_color()) == plotting.BLUE.lower() and mpl.colors.to_hex(b.get_color()) == plotting.ORANGE.lower()
    assert a.get_linestyle() != b.get_linestyle()  # never colour alone
    assert mpl.colors.to_hex("C1") != "#e69f00"  # nothing leaks out of the context
