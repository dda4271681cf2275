"""helpers.ui.raster draws exactly what matplotlib's own Agg draw gives, and writes PNGs that decode to it."""
import importlib
import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from helpers.ui import raster
from helpers.ui.plotting import style
from tests.ui.test_all_explorers import BUILDERS


def agg_pixels(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)  # matplotlib's own: every tick asked for again, every string shaped again
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


def decoded(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def test_png_round_trips_any_rgba_image():
    rgba = np.random.default_rng(0).integers(0, 256, size=(7, 13, 4), dtype=np.uint8)
    assert np.array_equal(decoded(raster.png(rgba)), rgba)


def test_a_string_drawn_again_is_stamped_and_a_rotated_or_resized_one_still_matches():
    fig = Figure(figsize=(3, 2))
    ax = fig.add_subplot()
    ax.set_title("same text")
    ax.set_ylabel("same text")  # rotated by 90 degrees: the same stamp, turned
    ax.text(0.5, 0.5, "same text", fontsize=17)
    raster.render_png(fig)
    assert any(key[0] == "same text" for key in raster._Renderer.stamps)
    for dpi in (90, 133):
        assert np.array_equal(decoded(raster.render_png(fig, dpi)), agg_pixels(fig))


@pytest.mark.slow
@pytest.mark.parametrize("package, name", BUILDERS, ids=[name for _, name in BUILDERS])
def test_explorer_pixels_equal_a_plain_agg_draw(package, name):
    explorer = getattr(importlib.import_module(f"helpers.{package}.explorer"), name)()
    rng = np.random.default_rng(sum(map(ord, name)))
    for _ in range(4):  # random moves, with the large display mode among them
        controls = [w for w in (*explorer.controls.values(), explorer.large) if not w.disabled]
        w = controls[rng.integers(len(controls))]
        if hasattr(w, "options") and w.options:
            options = list(w.options.values()) if isinstance(w.options, dict) else [
                o[1] if isinstance(o, tuple) else o for o in w.options]
            w.value = options[rng.integers(len(options))]
        elif isinstance(w.value, bool):
            w.value = not w.value
        else:
            w.value = type(w.value)(w.min + (w.max - w.min) * rng.random()) if not hasattr(w, "base") else \
                w.base ** (w.min + (w.max - w.min) * rng.random())
        with style(explorer.large.value):  # the explorer renders inside its style; so must the reference
            assert np.array_equal(decoded(explorer.image.value), agg_pixels(explorer.fig)), w.description
        explorer.fig.canvas = raster._Canvas(explorer.fig)


def test_spines_at_data_positions_and_a_legend_match_a_plain_agg_draw():
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot([-2, 3], [-1, 4], label="a line")
    ax.plot([0, 1], [2, 0], label="another")
    ax.spines["left"].set_position(("data", 0.5))  # follows the x limits
    ax.spines["bottom"].set_position(("data", 1.0))
    ax.legend(title="legend")
    for xlim in ((-2, 3), (0, 1)):
        ax.set_xlim(*xlim)
        assert np.array_equal(decoded(raster.render_png(fig)), agg_pixels(fig))
