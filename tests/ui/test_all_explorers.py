"""Every explorer of the series: moved in random orders, its kept figure equals a freshly built one."""
import importlib

import numpy as np
import pytest

from tests.widget_checks import kept_matches_fresh

NOTEBOOKS = ("nb01_saturation", "nb02_variance", "nb03_initialization", "nb04_dying_relu", "nb05_normalization",
             "nb06_papers", "nb07_residual", "nb08_edge_of_chaos")
BUILDERS = [(package, name) for package in NOTEBOOKS
            for name in importlib.import_module(f"helpers.{package}.explorer").__all__ if name.endswith("_explorer")]


@pytest.mark.slow
@pytest.mark.parametrize("package, name", BUILDERS, ids=[name for _, name in BUILDERS])
def test_kept_figure_equals_a_fresh_one_after_random_moves(package, name):
    build = getattr(importlib.import_module(f"helpers.{package}.explorer"), name)
    kept_matches_fresh(build, np.random.default_rng(sum(map(ord, name))))
