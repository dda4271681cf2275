"""Issue 17: every static figure carries a text alternative built from the figure (helpers/ui/alt.py), and
in IPython its display gets text/plain (that text), text/html (<img alt> over the same pixels) and image/png."""
import base64
import io
import re
from functools import partial

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from IPython.core.formatters import DisplayFormatter  # noqa: E402
from IPython.core.pylabtools import print_figure  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

import helpers as hp  # noqa: E402
from helpers.ui import alt  # noqa: E402


def three_panels() -> Figure:
    fig = Figure(figsize=(9, 3))
    axes = fig.subplots(1, 3)
    x = np.arange(1, 11)
    for k, name in enumerate(["N(0,1)", "Glorot", "He"]):
        axes[0].plot(x, 2.0 ** (k - 1) * x, label=name)
    axes[0].set(title="std of activations per layer", xlabel="layer", ylabel="std", yscale="log")
    axes[0].legend()
    axes[1].hist(np.linspace(0, 1, 50), bins=5)
    axes[1].set(title="weights", xlabel="$\\sigma_w$")
    image = axes[2].imshow(np.eye(3))
    fig.colorbar(image, ax=axes[2], label="fraction dead")
    axes[2].annotate("diverged", (1, 1))
    fig.suptitle("Three initializations")
    return fig


def test_the_text_says_titles_axes_scales_legend_and_what_is_drawn():
    text = alt.figure_alt(three_panels())
    assert text.startswith("Figure, 3 panels: 'Three initializations'. Panel 1, 'std of activations per layer'")
    assert ("x: layer; y: std (log scale); 3 lines; legend: 'N(0,1)' (y 0.5 to 5), 'Glorot' (y 1 to 10), "
            "'He' (y 2 to 20)") in text
    assert "Panel 2, 'weights': x: σ_w; 5 bars" in text  # mathtext read as plain text
    assert "Panel 3, 1 heatmap; notes: diverged" in text
    assert text.endswith("colour scale: fraction dead.")


def test_a_label_that_names_its_scale_is_not_told_twice_and_an_unlabelled_log_axis_still_is():
    fig = Figure()
    ax = fig.subplots()
    ax.plot([1, 2, 3], [1, 10, 100], "o-")
    ax.set(yscale="log", ylabel="loss (log scale)", xscale="log")
    assert alt.figure_alt(fig) == "Figure, 1 panel. x: log scale; y: loss (log scale); 1 line."


def test_a_line_reads_its_ends_a_hump_or_dip_between_and_rounding_noise_reads_0():
    fig = Figure()
    ax = fig.subplots()
    ax.plot([1, 2, 3, 4], [6.8e-34, 0.5, np.nan, 0.96], label="share")
    ax.plot([1, 2, 3, 4], [1.0, 1e-3, 1e-5, 1.3e-5], label="gradient")
    ax.plot([1, 2, 3], [0.1, 0.25, 0.1], label="slope")
    ax.axvspan(-1, 0)
    ax.legend()
    text = alt.figure_alt(fig)
    assert "3 lines; 1 shaded region; legend: 'share' (y 0 to 0.96)" in text  # the 'share' line has no dip or hump
    assert "'gradient' (y 1 to 1.3e-05), 'slope' (y 0.1 to 0.1, max 0.25)" in text  # a dip of 3e-6 in 1: not one
    fig = Figure()
    ax = fig.subplots()
    ax.semilogy([1, 2, 3, 4], [1, 1e-3, 1e-6, 1e-2], label="gradient")  # on a log axis, a dip of 4 decades in 6
    ax.semilogy([1, 2, 3, 4], [0.69, 0.6901, 0.6899, 0.69], label="flat")  # a dip that rounds to its ends
    ax.legend()
    assert "legend: 'gradient' (y 1 to 0.01, min 1e-06), 'flat' (y 0.69 to 0.69)" in alt.figure_alt(fig)


def test_many_panels_are_summarized_not_listed():
    fig = Figure()
    for i, ax in enumerate(fig.subplots(3, 4).ravel()):
        ax.plot(np.arange(5), label="a")
        ax.set(title=f"depth {i % 2}", xlabel="layer", ylabel="std", yscale="log")
    text = alt.figure_alt(fig)
    assert text.startswith("Figure, 12 panels. panel titles: depth 0, depth 1. x: layer; y: std (log scale).")
    assert "first panel: 'depth 0'" in text and "Panel 2" not in text


def test_describe_gives_the_text_and_rejects_a_bad_one():
    fig = three_panels()
    assert alt.describe(fig, "  Three lines:\n He stays flat. ") is fig
    assert alt.figure_alt(fig) == "Three lines: He stays flat."
    with pytest.raises(ValueError, match="text must be a non-empty string"):
        alt.describe(fig, " ")
    with pytest.raises(TypeError, match="fig must be a matplotlib Figure"):
        alt.describe("fig", "a figure")


class Shell:
    """What install() needs of IPython: a display_formatter with the inline backend's PNG formatter."""

    def __init__(self, png=True):
        self.display_formatter = DisplayFormatter()
        self.calls = 0
        if png:
            self.display_formatter.formatters["image/png"].for_type(Figure, self.png)

    def png(self, fig):
        self.calls += 1
        return print_figure(fig, fmt="png", base64=True, bbox_inches="tight")


def test_installed_a_figure_shows_its_text_and_the_same_pixels_rendered_once():
    shell, fig = Shell(), three_panels()
    assert alt.install(shell) and alt.install(shell)  # idempotent: the PNG formatter is wrapped once
    data, _ = shell.display_formatter.format(fig)
    assert shell.calls == 1, "the PNG is rendered once for text/html and image/png"
    assert data["text/plain"] == alt.figure_alt(fig)
    m = re.fullmatch(r'<img alt="([^"]*)" src="data:image/webp;base64,([A-Za-z0-9+/=]+)">', data["text/html"])
    assert m and m[1] == alt.figure_alt(fig).replace("&", "&amp;")
    webp = Image.open(io.BytesIO(base64.b64decode(m[2])))
    png = Image.open(io.BytesIO(base64.b64decode(data["image/png"])))
    assert webp.size == png.size and webp.convert("RGBA").tobytes() == png.convert("RGBA").tobytes()  # lossless
    assert len(m[2]) < 0.6 * len(data["image/png"])


def test_install_again_after_the_inline_backend_replaced_its_formatters():
    shell = Shell()
    alt.install(shell)
    for f in shell.display_formatter.formatters.values():  # what select_figure_formats does
        f.pop(Figure, None)
    retina = partial(print_figure, fmt="retina", base64=True)
    shell.display_formatter.formatters["image/png"].for_type(
        Figure, lambda fig: (retina(fig), {"width": 100, "height": 50}))
    assert alt.install(shell)
    data, md = shell.display_formatter.format(three_panels())
    assert data["text/html"].startswith('<img alt="Figure, 3 panels') and ' width="100" height="50" ' in data["text/html"]
    assert md["image/png"] == {"width": 100, "height": 50}


def test_install_does_nothing_outside_ipython_and_no_html_without_a_png_formatter():
    assert alt.install() is False  # pytest is not IPython
    shell = Shell(png=False)
    assert alt.install(shell)
    data, _ = shell.display_formatter.format(three_panels())
    assert "text/html" not in data and data["text/plain"] == alt.figure_alt(three_panels())


def test_installed_before_the_inline_backend_is_configured_it_still_works():
    """The backend is configured when the first figure is made: after hp.style() installed the formatters."""
    shell = Shell(png=False)
    alt.install(shell)
    for f in shell.display_formatter.formatters.values():  # what select_figure_formats does
        f.pop(Figure, None)
    shell.display_formatter.formatters["image/png"].for_type(Figure, shell.png)
    data, _ = shell.display_formatter.format(three_panels())
    assert data["text/html"].startswith('<img alt="Figure, 3 panels') and "image/png" in data
    assert shell.calls == 1


def test_style_and_the_plot_functions_install_it_in_ipython(monkeypatch):
    shell = Shell()
    monkeypatch.setattr("IPython.get_ipython", lambda: shell)
    hp.plot_per_layer(Figure().subplots(), [1.0, 2.0])
    assert shell.display_formatter.mimebundle_formatter.lookup_by_type(Figure)
    shell = Shell()
    with hp.style():
        pass
    assert shell.display_formatter.mimebundle_formatter.lookup_by_type(Figure)
