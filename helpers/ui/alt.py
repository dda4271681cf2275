"""Text alternatives for the static figures a notebook draws (issue 17: every figure says what it shows).

JupyterLab, Notebook 7 and Voila render a figure's image/png output as an <img> with no alt (their image
renderer writes none and reads no metadata). Their HTML renderer (preferred over image/png, and kept by the
sanitizer of an untrusted notebook: <img> keeps alt and a data: src) does. So, inside IPython, `install()`
adds to every matplotlib Figure's display:
- text/plain: the figure's text alternative (what nbval compares, and what a screen reader of a plain view gets);
- text/html: <img alt="..." src="data:image/webp;base64,...">, the same pixels as lossless WebP (a third of the
  PNG's size), which JupyterLab, Notebook 7, Voila, nbconvert's HTML and the Jupyter Book site show (tested), and
  VS Code and Colab by their order of mime types (text/html before image/png; not tested here);
- image/png: unchanged, for GitHub and nbconvert's PDF / LaTeX (rendered once, shared with text/html).
The text is `describe(fig, text)`'s where a notebook gave one, else `figure_alt(fig)` builds it from the figure:
its title, each panel's title, axis labels and scales, what is drawn, and each legend entry (with its line's first
and last value, to 2 significant digits, where it names a line).
`install()` is called by plotting.style() and every checked or styled plot function, never on import.
"""
from __future__ import annotations

import base64
import html
import io
import re
import weakref

import numpy as np
from matplotlib.figure import Figure, FigureBase

from ..core.stats import fmt

_GIVEN: "weakref.WeakKeyDictionary[Figure, str]" = weakref.WeakKeyDictionary()
_LAST: dict = {}  # the PNG the text/html formatter rendered, for the image/png formatter of the same display
MAX_PANELS = 6    # more panels than this are summarized (their distinct titles and labels), not listed
GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "eta": "η", "lambda": "λ",
         "mu": "μ", "sigma": "σ", "tau": "τ", "chi": "χ", "rho": "ρ", "theta": "θ", "phi": "φ", "cdot": "·",
         "times": "×", "to": "→", "rightarrow": "→", "approx": "≈", "leq": "≤", "geq": "≥", "ell": "l"}


def describe(fig: Figure, text: str) -> Figure:
    """Give `fig` an explicit text alternative (what it shows, in a sentence or two); returns fig."""
    if not isinstance(fig, Figure):
        raise TypeError(f"describe: fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"describe: text must be a non-empty string saying what the figure shows, got {text!r:.40}")
    _GIVEN[fig] = " ".join(text.split())
    return fig


def plain(s: str) -> str:
    """A label as plain text: mathtext's $ and braces dropped, \\sigma as σ, whitespace collapsed."""
    s = re.sub(r"\\([A-Za-z]+)", lambda m: GREEK.get(m[1], m[1]), s.replace("$", ""))
    return " ".join(s.replace("{", "").replace("}", "").replace("\\", "").split())


def _quote(s: str) -> str:
    return f"'{plain(s)}'"


def _axis(ax, which: str) -> str:
    label, scale = plain(getattr(ax, f"get_{which}label")()), getattr(ax, f"get_{which}scale")()
    extra = f" ({scale} scale)" if scale != "linear" and f"{scale} scale" not in label else ""
    return f"{which}: {label}{extra}" if label else (f"{which}: {scale} scale" if extra else "")


def _drawn(ax) -> list[str]:
    """What the panel draws: its legend's entries (or labelled lines), then counts of the other kinds."""
    legend = ax.get_legend()
    entries = [t.get_text() for t in legend.get_texts()] if legend else []
    if not entries:
        labels = (str(a.get_label() or "") for a in [*ax.get_lines(), *ax.collections, *ax.patches])
        entries = [s for s in labels if s and not s.startswith("_")]
    lines = [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 2]
    bars = sum(len(c) for c in ax.containers if type(c).__name__ == "BarContainer")
    kinds = [(len(lines), "line", "lines"),
             (sum(type(p).__name__ == "StepPatch" for p in ax.patches), "histogram outline", "histogram outlines"),
             (bars, "bar", "bars"),
             (sum(type(p).__name__ == "Rectangle" for p in ax.patches) - bars, "shaded region", "shaded regions"),
             (sum(type(c).__name__ == "PathCollection" for c in ax.collections), "set of points", "sets of points"),
             (sum(type(c).__name__ in ("PolyCollection", "FillBetweenPolyCollection") for c in ax.collections),
              "shaded band", "shaded bands"),
             (len(ax.images) + sum(type(c).__name__ == "QuadMesh" for c in ax.collections), "heatmap", "heatmaps")]
    out = [f"{n} {one if n == 1 else many}" for n, one, many in kinds if n]
    if entries:
        ends = {str(ln.get_label()): _ends(ln) for ln in reversed(ax.get_lines())}
        out.append("legend: " + ", ".join(_quote(e) + ends.get(e, "") for e in entries))
    notes = [plain(t.get_text()) for t in ax.texts if t.get_visible() and t.get_text().strip()]
    if notes:
        out.append("notes: " + ", ".join(dict.fromkeys(notes[:4])) + (", ..." if len(notes) > 4 else ""))
    return out


def _ends(line) -> str:
    """' (y 1.2 to 3.4e+04, max 5e+04)': a drawn line's first and last finite value, and its min / max where they
    lie well between (a tenth of its span, as drawn), to 2 significant digits. On a linear axis, one below 1e-9 of the line's largest is rounding
    noise (its digits differ between machines): 0."""
    y = np.asarray(line.get_ydata(), dtype=float)
    y = y[np.isfinite(y)]
    if y.size <= 2:
        return ""
    log = line.axes.get_yscale() == "log"
    tiny = 0.0 if log else 1e-9 * np.abs(y).max()
    first, last, low, high = (fmt(v, 2) if abs(v) > tiny else "0" for v in (y[0], y[-1], y.min(), y.max()))
    v = np.log10(y) if log and (y > 0).all() else y  # as drawn
    margin = 0.1 * (v.max() - v.min())  # a dip or a hump between the ends, by a tenth of the line's span
    inner = [f"{k} {t}" for k, t, beyond in (("min", low, min(v[0], v[-1]) - v.min()),
                                             ("max", high, v.max() - max(v[0], v[-1])))
             if beyond > margin and t not in (first, last)]
    return f" (y {first} to {last}{''.join(', ' + t for t in inner)})"


def _title(ax) -> str:
    return " ".join(plain(ax.get_title(loc)) for loc in ("left", "center", "right") if ax.get_title(loc))


def _panel(ax) -> str:
    parts = [p for p in (_axis(ax, "x"), _axis(ax, "y")) if p] + _drawn(ax)
    title = _title(ax)
    return (f"'{title}'" + (": " if parts else "") if title else "") + "; ".join(parts)


def figure_alt(fig: Figure) -> str:
    """The figure's text alternative: describe()'s text if it has one, else one built from the figure."""
    if fig in _GIVEN:
        return _GIVEN[fig]
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.get_label() != "<colorbar>"]
    bars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
    sup = fig.get_suptitle() if hasattr(fig, "get_suptitle") else (fig._suptitle.get_text() if fig._suptitle else "")
    head = f"Figure, {len(axes)} panel{'s' * (len(axes) != 1)}" + (f": {_quote(sup)}" if sup else "")
    if len(axes) == 1:
        body = [_panel(axes[0])]
    elif len(axes) <= MAX_PANELS:
        body = [f"Panel {i}, {_panel(ax)}" for i, ax in enumerate(axes, 1)]
    else:
        titles = list(dict.fromkeys(t for t in map(_title, axes) if t))
        labels = list(dict.fromkeys(p for ax in axes for p in (_axis(ax, "x"), _axis(ax, "y")) if p))
        body = [f"panel titles: {', '.join(titles[:MAX_PANELS])}{', ...' if len(titles) > MAX_PANELS else ''}"] * bool(titles)
        body += ["; ".join(labels)] * bool(labels)
        body += [f"first panel: {_panel(axes[0])}"] * bool(axes)
    body += ["legend: " + ", ".join(_quote(t.get_text()) for t in lg.get_texts()) for lg in fig.legends]
    body += [f"colour scale: {plain(b.get_ylabel() or b.get_xlabel()) or 'unlabelled'}" for b in bars]
    return ". ".join([head] + [b for b in body if b]) + "."


def _png_bytes(result):
    """(raw PNG bytes, metadata) from what an image/png formatter returned (base64 str, bytes or a pair)."""
    data, md = result if isinstance(result, tuple) else (result, {})
    if isinstance(data, str):
        data = base64.b64decode(data)
    return data, md or {}


def _webp(png: bytes) -> tuple[str, bytes]:
    """('image/webp', the same pixels as lossless WebP), or the PNG back if Pillow cannot write WebP."""
    try:
        from PIL import Image
        buf = io.BytesIO()
        with Image.open(io.BytesIO(png)) as im:
            im.save(buf, "WEBP", lossless=True)
        return "image/webp", buf.getvalue()
    except (ImportError, OSError, KeyError, ValueError):
        return "image/png", png


def img_html(fig: Figure, png_result) -> str:
    """<img alt="(figure_alt)" src="data:..."> for the PNG an image/png formatter made of `fig`."""
    png, md = _png_bytes(png_result)
    mime, data = _webp(png)
    size = "".join(f' {k}="{int(md[k])}"' for k in ("width", "height") if k in md)
    alt = html.escape(figure_alt(fig), quote=False).replace('"', "&quot;")  # apostrophes stay readable
    return (f'<img alt="{alt}"{size} '
            f'src="data:{mime};base64,{base64.b64encode(data).decode("ascii")}">')


def _shared_png(formatter):
    """The image/png formatter for Figure, wrapped (once) so that it returns the PNG the text/html formatter
    just rendered for the same display; None if figures have no image/png formatter (another backend)."""
    try:
        png = formatter.lookup_by_type(Figure)
    except KeyError:
        return None
    if getattr(png, "alt_wrapped", None) is None:
        original = png

        def png(fig):
            last, result = _LAST.pop("fig", None), _LAST.pop("result", None)
            return result if last is not None and last() is fig else original(fig)
        png.alt_wrapped = original
        formatter.for_type(Figure, png)
    return png


def install(shell=None) -> bool:
    """Register the figures' mime-bundle formatter (text/plain and text/html) in IPython (the running one unless
    `shell` is given); False (nothing done) outside IPython. Called by plotting.style() and the plot functions.

    A mime-bundle formatter for FigureBase, not per-mime ones for Figure: matplotlib's inline backend, configured
    when the first figure is made (maybe after this call), drops every per-mime formatter of Figure; and
    the plain-text one would use Figure's own __repr__ before one registered for FigureBase."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    formatters = shell.display_formatter.formatters

    def bundle(fig):
        data = {"text/plain": figure_alt(fig)}
        _LAST.pop("fig", None)
        png = _shared_png(formatters["image/png"]) if isinstance(fig, Figure) else None  # the backend's, now
        result = None if png is None else png.alt_wrapped(fig)
        if result is not None:
            _LAST.update(fig=weakref.ref(fig), result=result)
            data["text/html"] = img_html(fig, result)
        return data
    shell.display_formatter.mimebundle_formatter.for_type(FigureBase, bundle)
    return True
