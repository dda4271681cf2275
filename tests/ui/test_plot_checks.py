"""Issue 12 in the plotting and explorer layer: bad axes named, blow-up drawn as 'diverged', no number from NaN."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import helpers as hp  # noqa: E402
from helpers.nb03_initialization.experiments import StdGrid  # noqa: E402
from helpers.nb03_initialization.figures import plot_race, plot_std_grid  # noqa: E402
from helpers.nb06_papers.explorer import dying_nets_explorer  # noqa: E402
from helpers.nb07_residual.figures import plot_growth  # noqa: E402
from helpers.nb08_edge_of_chaos.figures import plot_phase_diagram  # noqa: E402
from helpers.ui.explorer import side_by_side  # noqa: E402


@pytest.mark.parametrize("call, name", [
    (lambda: hp.plot_per_layer("ax", [1.0, 2.0]), "ax"),
    (lambda: hp.plot_histograms(None, [[0.5]], [0, 1]), "ax"),
    (lambda: hp.plot_curves(Figure(), {"a": [1.0]}), "ax"),
    (lambda: hp.plot_activation([1], "relu"), "ax"),
    (lambda: plot_std_grid(plt.subplots()[1], None), "fig"),
    (lambda: plot_growth(Figure().subplots(), "ax", {}), "ax_backward"),
    (lambda: plot_phase_diagram(Figure().subplots(), colorbar_fig="fig"), "colorbar_fig"),
])
def test_plot_functions_name_a_wrong_axis_or_figure(call, name):
    with pytest.raises(TypeError, match=rf"\b{name} must be a matplotlib"):
        call()
    plt.close("all")


def test_plot_activation_takes_a_name_or_an_activation():
    fig = Figure()
    ax = fig.subplots()
    hp.plot_activation(ax, "tanh")
    hp.plot_activation(ax, hp.get_activation("relu"), derivative=False)
    labelled = [line.get_label() for line in ax.lines if not line.get_label().startswith("_")]
    assert len(labelled) == 3 and labelled[1] == "tanh'"  # f and f' of tanh, f of relu (plus the z = 0 axes)
    with pytest.raises(ValueError, match="activation"):
        hp.plot_activation(ax, "tahn")


@pytest.mark.parametrize("values", [[np.inf, np.inf], [np.nan, np.nan], [0.0, 0.0]])
def test_per_layer_draws_diverged_when_nothing_is_finite(values):
    fig, ax = plt.subplots()
    hp.plot_per_layer(ax, values)
    fig.canvas.draw()  # used to raise "Data cannot be log-scaled"
    assert [t.get_text() for t in ax.texts] == ["0" if values[0] == 0 else "diverged"]
    plt.close(fig)


def test_nb03_figures_draw_overflowing_data_without_warnings():
    a = np.array([[[1.0, 1e200, 1e308, np.inf, np.nan, 1e-320, 0.0]]])
    grid = StdGrid(activations=["relu"], schemes=["he_normal"], a_std=a, grad_std=a[..., ::-1].copy(),
                   saturated=np.array([[np.nan]]))
    fig = Figure()
    plot_std_grid(fig, grid)
    fig.canvas.draw()

    class Run:
        loss, diverged = [1.0, 1e300, 1e308, np.inf, np.nan], True

    fig = Figure()
    ax = fig.subplots()
    plot_race(ax, {"N(0, 1)": [Run()]}, target=0.1)
    fig.canvas.draw()


def test_side_by_side_names_an_unknown_control():
    with pytest.raises(ValueError, match=r"'stdd'.*valid controls: width, depth, n_nets, bias_std, weights"):
        side_by_side(dying_nets_explorer, a={"stdd": 1})


def test_dying_nets_reads_its_slider_top_exactly_and_no_z_score_with_biases():
    ex = dying_nets_explorer()
    ex.controls["n_nets"].value = 5000  # the log slider's top: 10 ** log10(5000), a hair under 5000
    assert "5000 nets" in " ".join(t.get_text() for ax in ex.fig.axes for t in ax.get_legend().get_texts())
    assert "binomial std" in ex.readout.value
    ex.controls["bias_std"].value = 0.5
    assert "binomial std" not in ex.readout.value and "assumes zero biases" in ex.readout.value
