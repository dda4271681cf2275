"""pytest set-up shared by tests/ and the notebooks (nbval), loaded whatever paths pytest is given.

- The nbval sanitizer file named in pyproject.toml is found from any working directory.
- nbval's kernels start without MPLBACKEND: CI exports MPLBACKEND=Agg for the unit tests, but a
  kernel that inherits it would not use the inline backend, so `plt.show()` would show no figure
  and warn "FigureCanvasAgg is non-interactive" (tools/run_notebooks.py does the same).
"""
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent


def pytest_configure(config):
    opt = config.option
    sanitize = getattr(opt, "nbval_sanitize_with", None)
    if sanitize and not Path(sanitize).exists() and (ROOT / sanitize).exists():
        opt.nbval_sanitize_with = str(ROOT / sanitize)


def _is_nbval_cell(item) -> bool:
    return type(item).__module__.startswith("nbval")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """nbval starts a notebook's kernel in the setup of its first cell: start it without MPLBACKEND."""
    if not _is_nbval_cell(item) or "MPLBACKEND" not in os.environ:
        return (yield)
    backend = os.environ.pop("MPLBACKEND")
    try:
        return (yield)
    finally:
        os.environ["MPLBACKEND"] = backend
