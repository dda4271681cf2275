"""Static checks of every saved notebook (fast: nothing is executed), and a check that the repository's
nbval set-up (pyproject.toml, conftest.py, tests/nbval_sanitize.cfg) is strict and works under CI's
MPLBACKEND=Agg, on a sample notebook executed as `make notebooks` does.

nbval itself (`pytest` collects notebooks/*.ipynb) compares each saved output with a fresh run; these
checks say, without running anything, what a notebook must look like to pass it.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tests import browser_support as bs

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
IGNORE_TAG = "nbval-ignore-output"
FORBIDDEN_TAGS = {"nbval-skip", "nbval-check-output", "raises-exception", "pytest-validate-ignore-output"}
ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]{6,}")


def _load(path):
    return nbformat.read(path, as_version=4)


def _code_cells(nb):
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def _shows_widget(cell) -> bool:
    return any(WIDGET_MIME in o.get("data", {}) for o in cell.get("outputs", []))


def _text(output) -> str:
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    return "".join(output.get("data", {}).get("text/plain", ""))


nb_param = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])


@nb_param
def test_kernelspec_is_python3(path):
    nb = _load(path)
    spec = nb.metadata.get("kernelspec", {})
    assert spec.get("name") == "python3" and spec.get("language") == "python", spec
    assert nb.metadata.get("language_info", {}).get("name") == "python"


@nb_param
def test_every_code_cell_ran_once_top_to_bottom(path):
    """Saved after a clean Restart & Run All (make notebooks): counts 1, 2, 3, ... in order."""
    cells = [(i, c) for i, c in _code_cells(_load(path)) if c.source.strip()]
    counts = [c.execution_count for _, c in cells]
    assert counts == list(range(1, len(cells) + 1)), (
        f"execution counts {counts}: re-run the notebook with `make notebooks` (or "
        f"`.venv/bin/python tools/run_notebooks.py {path.relative_to(ROOT)}`)")


@nb_param
def test_no_error_warning_or_address_in_outputs(path):
    problems = []
    for i, cell in _code_cells(_load(path)):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"cell {i}: {out.ename}: {out.evalue}")
            elif out.output_type == "stream" and out.name == "stderr":
                problems.append(f"cell {i} wrote to stderr: {_text(out)[:200]!r}")
            elif IGNORE_TAG not in cell.metadata.get("tags", []) and ADDRESS.search(_text(out)):
                problems.append(f"cell {i} prints a memory address: {ADDRESS.search(_text(out)).group()}")
    assert not problems, "\n".join(problems)


@nb_param
def test_only_widget_cells_are_exempt_from_nbval(path):
    """Explorer cells carry `nbval-ignore-output` (nbval cannot render widgets); no other cell does,
    and nothing else switches nbval off (no skip tags or NBVAL_* comments)."""
    problems = []
    for i, cell in _code_cells(_load(path)):
        tags = set(cell.metadata.get("tags", []))
        widget = _shows_widget(cell)
        if widget and IGNORE_TAG not in tags:
            problems.append(f"cell {i} displays a widget but is not tagged {IGNORE_TAG}")
        if IGNORE_TAG in tags and not widget:
            problems.append(f"cell {i} is tagged {IGNORE_TAG} but displays no widget")
        if tags & FORBIDDEN_TAGS:
            problems.append(f"cell {i} has tags {sorted(tags & FORBIDDEN_TAGS)}")
        if re.search(r"^\s*#\s*(NBVAL|PYTEST_VALIDATE)_", cell.source, re.M):
            problems.append(f"cell {i} has an NBVAL_* comment marker")
    assert not problems, "\n".join(problems)


@nb_param
def test_widget_state_is_saved_for_static_views(path):
    """make notebooks saves the widget state, so static HTML shows each explorer's first figure."""
    nb = _load(path)
    shown = {o["data"][WIDGET_MIME]["model_id"] for _, c in _code_cells(nb) for o in c.get("outputs", [])
             if WIDGET_MIME in o.get("data", {})}
    if not shown:
        pytest.skip("no widgets in this notebook")
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    missing = sorted(shown - set(state))
    assert not missing, f"widget state missing for {len(missing)} displayed widgets: run `make notebooks`"


# ----------------------------------------------------------------------------------------------------
# The set-up itself: strict, sanitized, figures inline even with MPLBACKEND=Agg.

def _pytest(cwd, *args):
    env = {**os.environ, "MPLBACKEND": "Agg"}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_nbval_setup_is_strict_and_survives_mplbackend_agg(tmp_path):
    for name in ("pyproject.toml", "conftest.py", "tests/nbval_sanitize.cfg"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / "notebooks").mkdir()
    nb_path = bs.write_sample_notebook(tmp_path / "notebooks" / "sample.ipynb")
    env = {**os.environ, "MPLBACKEND": "Agg"}
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "run_notebooks.py"), str(nb_path)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    nb = _load(nb_path)
    figure = [o for c in nb.cells if "plt.show()" in c.source for o in c.outputs]
    assert figure and "image/png" in figure[0]["data"], f"no inline figure saved: {figure}"

    # The sanitizer makes the figure's size irrelevant; the number of axes still counts.
    figure[0]["data"]["text/plain"] = "<Figure size 123x45 with 1 Axes>"
    nbformat.write(nb, nb_path)
    # Strict: one changed digit in a saved output fails.
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and "0.333" in out.text:
                out.text = out.text.replace("0.333", "0.334")
    nbformat.write(nb, nb_path.with_name("changed.ipynb"))
    res = _pytest(tmp_path, "-rf", "notebooks/sample.ipynb", "notebooks/changed.ipynb")
    log = res.stdout[-4000:] + res.stderr[-2000:]
    assert res.returncode == 1, log
    assert "FAILED notebooks/changed.ipynb::Cell 1" in res.stdout and "0.334" in res.stdout, log
    assert "FAILED notebooks/sample.ipynb" not in res.stdout and re.search(r"\b1 failed\b", res.stdout), log
