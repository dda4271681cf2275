"""helpers.ui.kept: a kept figure's stairs give the same limits as matplotlib's own add_patch + relim."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from helpers.ui.kept import Kept


@pytest.mark.parametrize("yscale", ["linear", "log"])
def test_stairs_made_and_updated_in_a_kept_figure_autoscale_as_plain_matplotlib(yscale):
    rng = np.random.default_rng(3)
    kept = Kept(Figure())
    for step in range(3):  # made, then given new data twice (wider, then narrower)
        counts = [rng.random(20) * 10 ** i for i in range(3)]
        edges = np.linspace(-1, 1, 21) * (3 - step)
        ax = kept.layout("one", lambda fig: fig.add_subplot())
        ax.set_yscale(yscale)
        for i, c in enumerate(counts):
            kept.get(("h", i), lambda: ax.stairs(c, edges), lambda a: a.set_data(c, edges))
        kept.sweep()
        plain = Figure().add_subplot()
        plain.set_yscale(yscale)
        for c in counts:
            plain.stairs(c, edges)
        plain.relim(visible_only=True)
        plain.autoscale_view()
        assert np.array_equal(ax.dataLim.get_points(), plain.dataLim.get_points())
        assert ax.get_xlim() == plain.get_xlim() and ax.get_ylim() == plain.get_ylim()
