"""The live notebooks in a real browser: each notebook of notebooks/ (and a sample explorer notebook)
is opened in JupyterLab in headless Chromium and run top to bottom, then every slider is moved with
the keyboard and its explorer's figure must change; a Voila page must do the same.

Runs on localhost with a random token, on copies of the notebooks in a temporary directory. Without
Chromium or playwright the tests skip with the reason; in CI (CI=true) they fail instead.
Slider latencies (key press -> new figure in the page) go to benchmarks/browser_latency.json.

    .venv/bin/python -m pytest tests/test_browser.py            # all
    .venv/bin/python -m pytest tests/test_browser.py -k 01_      # one notebook
"""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from tests import browser_support as bs

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REASON = bs.browser_unavailable_reason()
REAL = bs.notebook_paths()
LAB_NAMES = [bs.SAMPLE_NAME] + [p.name for p in REAL]


def _has_explorer(path: Path) -> bool:
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return False
    return any("nbval-ignore-output" in c.get("metadata", {}).get("tags", []) for c in nb.cells)


# Voila: the sample, and the first notebook of the series that shows an explorer.
VOILA_NAMES = [bs.SAMPLE_NAME] + [p.name for p in REAL if _has_explorer(p)][:1]


def _ids(names):
    return [Path(n).stem for n in names]


def require_browser():
    if REASON:
        if bs.in_ci():
            pytest.fail(f"CI must run the browser tests, but: {REASON}", pytrace=False)
        pytest.skip(REASON)


def _copy_root(dest: Path) -> Path:
    """A copy of notebooks/ plus the sample notebook: what the servers see (the saved files stay as they are)."""
    if bs.NOTEBOOKS.is_dir():
        shutil.copytree(bs.NOTEBOOKS, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    dest.mkdir(parents=True, exist_ok=True)
    bs.write_sample_notebook(dest / bs.SAMPLE_NAME)
    return dest


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    require_browser()
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        context = bs.launch_browser(pw, tmp_path_factory.mktemp("chromium-profile"))
    except Exception as err:
        pw.stop()
        if bs.in_ci():
            raise
        pytest.skip(f"Chromium ({bs.find_chromium()}) did not start: {err}")
    context.set_default_timeout(60_000)
    yield context
    context.close()
    pw.stop()


@pytest.fixture(scope="session")
def latency_log():
    records = []
    yield records
    bs.write_latencies(records)


@pytest.fixture(scope="session")
def lab(browser, tmp_path_factory):
    """One JupyterLab server and one JupyterLab page for the whole session."""
    base = tmp_path_factory.mktemp("lab")
    server = bs.start_jupyterlab(_copy_root(base / "root"), base / "home")
    page = browser.new_page()
    errors = []  # uncaught exceptions in the page
    page.on("pageerror", lambda err: errors.append(str(err)[:500]))
    try:
        bs.lab_start_page(page, server)
        yield server, page, errors
    finally:
        page.close()
        server.stop()


@pytest.fixture(scope="session")
def voila(browser, tmp_path_factory):
    base = tmp_path_factory.mktemp("voila")
    server = bs.start_voila(_copy_root(base / "root"), base / "home")
    yield server
    server.stop()


def _report_failure(request, page, server, tmp_path):
    """On failure: the server's log and a screenshot, shown with the failure."""
    shot = tmp_path / "failure.png"
    try:
        page.screenshot(path=str(shot))
    except Exception:
        shot = None
    request.node.add_report_section("call", f"{server.kind} log (tail), screenshot: {shot}", server.log_tail(60))


def _move_every_slider(page, name, latency_log, where):
    sliders = page.evaluate(bs.JS_TAG_SLIDERS)
    if name == bs.SAMPLE_NAME:
        assert len(sliders) == bs.SAMPLE_SLIDERS, sliders
    orphans = [s for s in sliders if not s["has_img"]]
    assert not orphans, f"{name}: sliders outside an explorer with a figure: {orphans}"
    moved = []
    for s in sliders:
        if s["disabled"]:  # switched off by its explorer at these settings: a student cannot move it either
            latency_log.append({"where": where, "notebook": Path(name).stem, "slider": s["index"],
                                "label": s["label"], "disabled": True})
            continue
        r = bs.move_slider(page, s["index"])
        latency_log.append({"where": where, "notebook": Path(name).stem, "slider": s["index"],
                            "label": s["label"], "key": r["key"], "from": r["before"], "to": r["after"],
                            "latency_ms": r["latency_ms"]})
        moved.append(r)
    return moved


@pytest.mark.parametrize("name", LAB_NAMES, ids=_ids(LAB_NAMES))
def test_notebook_runs_in_jupyterlab_and_its_sliders_move_the_figures(name, lab, latency_log, request, tmp_path):
    server, page, page_errors = lab
    seen = len(page_errors)
    try:
        kernel = bs.lab_open(page, name)
        assert kernel["kernel"] == "python3", kernel
        state = bs.lab_run_all(page)
        assert not state["dialogs"], f"{name}: a dialog opened: {state['dialogs']}"
        assert state["problems"] == [], f"{name}: error or warning output: {state['problems']}"
        assert state["executed"] == state["n_code"] and state["ordered"], state
        assert state["status"] == "idle", state
        assert bs.page_widget_errors(page) == []
        images = page.evaluate(bs.JS_IMAGES_LOADED)
        assert all(images), f"{name}: {images.count(False)} of {len(images)} explorer figures did not load"
        _move_every_slider(page, name, latency_log, "jupyterlab")
        assert bs.page_widget_errors(page) == []
        after = page.evaluate(bs.JS_LAB_STATE)
        assert after["problems"] == [] and not after["dialogs"], after
        assert page_errors[seen:] == [], f"{name}: uncaught errors in the page"
    except BaseException:
        _report_failure(request, page, server, tmp_path)
        raise
    finally:
        bs.lab_close(page)


@pytest.mark.parametrize("name", VOILA_NAMES, ids=_ids(VOILA_NAMES))
def test_voila_renders_the_explorers_and_a_slider_moves_the_figure(name, voila, browser, latency_log, request,
                                                                   tmp_path):
    page = browser.new_page()
    page_errors = []
    page.on("pageerror", lambda err: page_errors.append(str(err)[:500]))
    try:
        state = bs.voila_open(page, voila, name)
        assert state["problems"] == [], f"{name}: error output in Voila: {state['problems']}"
        assert state["images"] and all(state["images"]), f"{name}: no explorer figure rendered: {state}"
        assert bs.page_widget_errors(page) == []
        _move_every_slider(page, name, latency_log, "voila")
        assert bs.page_widget_errors(page) == []
        assert page_errors == [], f"{name}: uncaught errors in the page"
    except BaseException:
        _report_failure(request, page, voila, tmp_path)
        raise
    finally:
        page.close()
