"""An explorer's figure to PNG bytes, fast (issue 16), with exactly the pixels matplotlib's own Agg draw gives.

Drawing, not maths, is most of a slider move; `make bench` showed where the draw goes, and each trick here
removes one of those costs. tests/ui/test_raster.py checks every explorer's pixels against a plain Agg draw.
- once per draw: one Agg draw asks each axis for its ticks and its tick labels' boxes up to five times (for the
  title, the axis label, the spines and the draw itself), and a legend's boxes for their sizes again and again,
  each time getting the same answer; `_ONCE` lists what is now worked out once per draw (a quarter of it).
- text stamps: the glyph bitmap of a string in one font at one size is rasterized once and kept; tick labels and
  titles repeat from one move to the next.
- text layouts: where a string sits around its anchor, for one font, size, angle and alignment, is worked out
  once and kept (matplotlib works it out again at every draw, twice for most texts).
- PNG without row filters: a figure is mostly flat colour, which deflate packs as well unfiltered; Pillow's
  adaptive filtering was half of the encode.
"""
from __future__ import annotations

import contextlib
import struct
import zlib
from math import cos, radians, sin

import matplotlib as mpl
import numpy as np
from matplotlib.axis import Axis, XAxis, YAxis
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.offsetbox import HPacker, VPacker
from matplotlib.spines import Spine
from matplotlib.text import Text

_LAYOUT = Text._get_layout
_KEPT = 2000  # distinct strings (a stamp is a few kB): bounded like every cache of the series
_layouts: dict = {}


def _font(prop, dpi) -> tuple:
    """Everything of a font that changes how a string is shaped and rasterized."""
    return (tuple(prop.get_family()), prop.get_style(), prop.get_variant(), prop.get_weight(), prop.get_stretch(),
            prop.get_size_in_points(), prop.get_file(), prop.get_math_fontfamily(), dpi, get_hinting_flag(),
            mpl.rcParams["text.hinting_factor"], mpl.rcParams["text.kerning_factor"])


def _layout(text, renderer):
    """Text._get_layout, kept by what it depends on (the layout is relative to the anchor, not its position)."""
    key = (text._get_wrapped_text(), _font(text._fontproperties, text.get_figure(root=True).dpi), text.get_usetex(),
           text.get_parse_math(), text._linespacing, text.get_rotation(), text._get_multialignment(),
           text._horizontalalignment, text._verticalalignment, text.get_rotation_mode())
    if key not in _layouts:
        if len(_layouts) >= _KEPT:
            _layouts.clear()
        _layouts[key] = _LAYOUT(text, renderer)
    return _layouts[key]


def _view(axis) -> tuple:
    """What an axis's ticks depend on that a draw can change: its limits and its axes' place."""
    return id(axis), tuple(axis.get_view_interval()), axis.axes.bbox.bounds


# (class, method, what its result depends on within one draw): each is asked the same question several times a draw
_ONCE = [
    (Axis, "_update_ticks", _view),  # for the title, the axis label, the spines and the draw itself
    (Axis, "_get_ticklabel_bboxes", lambda axis, shown, renderer=None: (*_view(axis), tuple(map(id, shown)))),
    (XAxis, "_update_label_position", lambda axis, renderer: _view(axis)),  # for the title's place and the draw
    (YAxis, "_update_label_position", lambda axis, renderer: _view(axis)),
    (Spine, "get_window_extent",  # a spine's place may follow the other axis (set_position(("data", x)))
     lambda spine, renderer=None: (id(spine), spine.axes.viewLim.bounds, spine.axes.bbox.bounds)),
    *((box, "_get_bbox_and_child_offsets", lambda box, renderer: (id(box), box.width, box.height))
      for box in (VPacker, HPacker)),  # a legend's boxes, asked again by every box around them
]


@contextlib.contextmanager
def _once_per_draw():
    """Within the block, each method of `_ONCE` works out its answer once per key, and text layouts come from
    `_layouts` (kept across draws: they depend only on the text and its font)."""
    originals = [getattr(cls, name) for cls, name, _ in _ONCE]

    def once(method, key):
        answers = {}

        def wrapped(*args):
            k = key(*args)
            if k not in answers:
                answers[k] = method(*args)
            return answers[k]
        return wrapped

    for (cls, name, key), method in zip(_ONCE, originals):
        setattr(cls, name, once(method, key))
    Text._get_layout = _layout
    try:
        yield
    finally:
        for (cls, name, _), method in zip(_ONCE, originals):
            setattr(cls, name, method)
        Text._get_layout = _LAYOUT


class _Renderer(RendererAgg):
    """Agg, drawing a string it has drawn before from its kept glyph bitmap (the same bytes Agg made then)."""

    stamps: dict = {}

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        key = (s, _font(prop, self.dpi), gc.get_antialiased())
        stamp = self.stamps.get(key)
        if stamp is None:  # as RendererAgg.draw_text, keeping the bitmap and its offsets
            font = self._prepare_font(prop)
            font.set_text(s, 0, flags=get_hinting_flag())
            font.draw_glyphs_to_bitmap(antialiased=gc.get_antialiased())
            if len(self.stamps) >= _KEPT:
                self.stamps.clear()
            stamp = self.stamps[key] = (font.get_image(), font.get_descent() / 64.0,
                                        *(v / 64.0 for v in font.get_bitmap_offset()))
        image, d, xo, yo = stamp
        x = round(x + xo + d * sin(radians(angle)))
        y = round(y + yo + d * cos(radians(angle)))
        self._renderer.draw_text_image(image, x, y + 1, angle, gc)


class _Canvas(FigureCanvasAgg):
    def get_renderer(self):
        key = (*self.figure.bbox.size, self.figure.dpi)
        if self._lastKey != key:
            self.renderer, self._lastKey = _Renderer(*key), key
        return self.renderer


def png(rgba: np.ndarray) -> bytes:
    """An RGBA image (height, width, 4) of uint8 as PNG bytes: no row filter, deflate level 1."""
    height, width, _ = rgba.shape
    rows = np.zeros((height, 1 + 4 * width), np.uint8)  # each row starts with its filter type, 0 = none
    rows[:, 1:] = rgba.reshape(height, -1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 1))
            + chunk(b"IEND", b""))


def render_png(fig, dpi: int = 90) -> bytes:
    """The figure drawn with Agg (once: fig.savefig would draw it twice) and encoded as PNG."""
    if fig.dpi != dpi:
        fig.set_dpi(dpi)
    canvas = fig.canvas if isinstance(fig.canvas, _Canvas) else _Canvas(fig)
    with _once_per_draw():
        canvas.draw()
    return png(np.asarray(canvas.buffer_rgba()))
