"""The live notebooks in a real browser: each notebook of notebooks/ (and a sample explorer notebook)
is opened in JupyterLab in headless Chromium and run top to bottom, then every slider is moved with
the keyboard and its explorer's figure must change; a Voila page must do the same.

Also: axe-core (WCAG 2.1 A and AA) on one notebook's outputs in JupyterLab and on the Voila page, counted by
cause (the series' content, ipywidgets' own markup, the front end's own page) and printed; the test fails on
a serious or critical violation of the series' content. One notebook in Notebook 7 (`jupyter notebook`): Run
All, no widget error, every slider moved with the keyboard. And `make lab`'s first run: JupyterLab opens on
00_start_here.ipynb with no news pop-up, no DeprecationWarning and no "not trusted" notice.

Runs on localhost with a random token, on copies of the notebooks in a temporary directory. Without
Chromium or playwright the tests skip with the reason; in CI (CI=true) they fail instead.
Axe counts go to benchmarks/axe_counts.json. Slider latencies are timed by the benchmark (`make bench`,
benchmarks/bench_browser.py), never by the tests.

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


# axe in JupyterLab and Voila, and Notebook 7: the notebook the issue measured (02), or the first with an explorer
_EXPLORING = [p.name for p in REAL if _has_explorer(p)]
AXE_NAME = next((n for n in _EXPLORING if n.startswith("02_")), _EXPLORING[0] if _EXPLORING else None)
# Voila: the sample, and that notebook.
VOILA_NAMES = [bs.SAMPLE_NAME] + ([AXE_NAME] if AXE_NAME else [])


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
    pw = bs.shared_playwright()
    try:
        context = bs.launch_browser(pw, tmp_path_factory.mktemp("chromium-profile"))
    except Exception as err:
        if bs.in_ci():
            raise
        pytest.skip(f"Chromium ({bs.find_chromium()}) did not start: {err}")
    context.set_default_timeout(60_000)
    yield context
    context.close()


@pytest.fixture(scope="session")
def axe_log():
    records = []
    yield records
    bs.write_axe_counts(records)


def _axe_check(page, where, name, axe_log, capsys, root=None, outputs_only=False):
    """Run axe, record and print the counts; fail on a serious or critical violation of the series' content."""
    found = bs.run_axe(page, root)
    axe_log.append(bs.axe_record(where, Path(name).stem, found, outputs_only))
    with capsys.disabled():
        print("\n" + bs.axe_summary(f"{where} {name}", found, outputs_only))
    ours = bs.serious_of_ours(found, outputs_only)
    assert ours == [], f"{where} {name}: {len(ours)} serious/critical axe violations:\n" + "\n".join(ours[:20])


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


def _move_every_slider(page, name):
    sliders = page.evaluate(bs.JS_TAG_SLIDERS)
    if name == bs.SAMPLE_NAME:
        assert len(sliders) == bs.SAMPLE_SLIDERS, sliders
    orphans = [s for s in sliders if not s["has_img"]]
    assert not orphans, f"{name}: sliders outside an explorer with a figure: {orphans}"
    moved = []
    for s in sliders:
        if s["disabled"]:  # switched off by its explorer at these settings: a student cannot move it either
            continue
        moved.append(bs.move_slider(page, s["index"]))
    return moved


@pytest.mark.parametrize("name", LAB_NAMES, ids=_ids(LAB_NAMES))
def test_notebook_runs_in_jupyterlab_and_its_sliders_move_the_figures(name, lab, axe_log, capsys,
                                                                      request, tmp_path):
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
        _check_figures(page, name, f"#{page.evaluate(JS_NB_ID)}")
        _move_every_slider(page, name)
        assert bs.page_widget_errors(page) == []
        after = page.evaluate(bs.JS_LAB_STATE)
        assert after["problems"] == [] and not after["dialogs"], after
        assert page_errors[seen:] == [], f"{name}: uncaught errors in the page"
        if name == AXE_NAME:  # inside the notebook; only its outputs are the series' own markup
            _axe_check(page, "jupyterlab", name, axe_log, capsys, root=f"#{page.evaluate(JS_NB_ID)}",
                       outputs_only=True)
    except BaseException:
        _report_failure(request, page, server, tmp_path)
        raise
    finally:
        bs.lab_close(page)


JS_NB_ID = "() => window.__sgNb.id"


def _check_figures(page, name, root=None):
    """Every static figure the run drew is shown with a text alternative that says what it shows (issue 17).
    Not the sample's: its figure is plain matplotlib, drawn before any helpers call installs alt.py's formatter."""
    if not (bs.NOTEBOOKS / name).exists():
        return
    figures = bs.figure_alts(page, root)
    assert len(figures) == bs.saved_figures(bs.NOTEBOOKS / name), f"{name}: static figures shown {figures}"
    assert bs.undescribed(figures) == [], f"{name}: figures with no text alternative: {bs.undescribed(figures)}"


@pytest.mark.parametrize("name", VOILA_NAMES, ids=_ids(VOILA_NAMES))
def test_voila_renders_the_explorers_and_a_slider_moves_the_figure(name, voila, browser, axe_log,
                                                                   capsys, request, tmp_path):
    page = browser.new_page()
    page_errors = []
    page.on("pageerror", lambda err: page_errors.append(str(err)[:500]))
    try:
        state = bs.voila_open(page, voila, name)
        assert state["problems"] == [], f"{name}: error output in Voila: {state['problems']}"
        assert state["images"] and all(state["images"]), f"{name}: no explorer figure rendered: {state}"
        assert bs.page_widget_errors(page) == []
        _check_figures(page, name)
        if name == AXE_NAME:  # before the sliders move; Voila's own page and theme are not the series' content
            _axe_check(page, "voila", name, axe_log, capsys, outputs_only=True)
        _move_every_slider(page, name)
        assert bs.page_widget_errors(page) == []
        assert page_errors == [], f"{name}: uncaught errors in the page"
    except BaseException:
        _report_failure(request, page, voila, tmp_path)
        raise
    finally:
        page.close()


# Notebook 7.6's own start-up error, thrown by its keyboard-shortcuts settings code while the page loads, before
# any notebook code runs (it happens on an empty notebook too): not the series'. Listed so any other error fails.
NOTEBOOK7_OWN_ERRORS = ("Cannot read properties of undefined (reading 'schema')",)

JS_NB7_READY = """() => {
  const app = window.jupyterapp, w = app && app.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  if (w && w.content && w.content.widgets) window.__sgNb = w;
  return {ready: !!(w && w.context && w.context.isReady && k && k.status === 'idle' && w.content.widgets.length),
          kernel: k ? k.name : null};
}"""


@pytest.fixture(scope="module")
def notebook7(browser, tmp_path_factory):
    """Notebook 7 (`jupyter notebook`) with AXE_NAME open and run (Run All); (server, page, state, errors)."""
    base = tmp_path_factory.mktemp("notebook7")
    server = bs.start_notebook7(_copy_root(base / "root"), base / "home")
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda err: None if str(err) in NOTEBOOK7_OWN_ERRORS else errors.append(str(err)[:500]))
    try:
        page.goto(server.url(f"/notebooks/{AXE_NAME}"))
        bs._wait(page, lambda: page.evaluate(JS_NB7_READY)["ready"] or page.evaluate(JS_NB7_READY), 120,
                 "Notebook 7 opening the notebook with an idle kernel")
        state = bs.lab_run_all(page)
        page.evaluate(bs.JS_TAG_SLIDERS)
        yield server, page, state, errors
    finally:
        bs.lab_close(page)
        page.close()
        server.stop()


@pytest.mark.skipif(AXE_NAME is None, reason="no notebook with an explorer yet")
def test_notebook7_runs_all_and_a_slider_moves_from_the_keyboard(notebook7, request, tmp_path):
    """Run All with no error or widget error; a slider moved by the documented keyboard route (Tab to its value
    box, type a value, Enter), and the explorer's figure follows."""
    server, page, state, errors = notebook7
    try:
        assert not state["dialogs"], state["dialogs"]
        assert state["problems"] == [], state["problems"]
        assert state["executed"] == state["n_code"] and state["ordered"] and state["status"] == "idle", state
        assert bs.page_widget_errors(page) == []
        assert errors == [], f"uncaught errors after Run All: {errors}"
        _check_figures(page, AXE_NAME, "#" + page.evaluate(JS_NB_ID))
        sliders = [s for s in page.evaluate(bs.JS_TAG_SLIDERS) if not s["disabled"] and s["has_img"]]
        assert sliders, "no slider to move"
        integer = next(s for s in sliders if s["readout"].lstrip("-").isdigit())
        moved = bs.type_slider_value(page, integer["index"])
        assert moved["after"] == moved["typed"], moved
        assert bs.page_widget_errors(page) == [] and errors == [], errors
    except BaseException:
        _report_failure(request, page, server, tmp_path)
        raise


@pytest.mark.skipif(AXE_NAME is None, reason="no notebook with an explorer yet")
@pytest.mark.xfail(strict=True, reason=(
    "Notebook 7 handles keys in the capture phase (its app starts without bubblingKeydown, unlike JupyterLab), so "
    "JupyterLab's command-mode shortcuts ArrowRight / ArrowLeft (notebook:move-cursor-heading-below-or-expand / "
    "-above-or-collapse, selector '.jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus') take the key "
    "before the slider sees it and move the cursor to a heading cell. Not the series' code; README: Accessibility. "
    "When this passes (XPASS fails the run), a fixed release has landed: drop the workaround from the README."))
def test_notebook7_arrow_keys_move_a_focused_slider(notebook7):
    server, page, state, errors = notebook7
    sliders = [s for s in page.evaluate(bs.JS_TAG_SLIDERS) if not s["disabled"] and s["has_img"]]
    assert bs.press_arrow_on_slider(page, sliders[0]["index"])


JS_FIRST_RUN = """() => ({
  tab: (document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel') || {}).textContent || null,
  launcher: !!document.querySelector('.jp-Launcher'),
  toasts: [...document.querySelectorAll('.Toastify__toast, .jp-Notification-Toast')].map(t => t.innerText.slice(0, 200)),
  news: document.body.innerText.includes('official Jupyter news'),
})"""


def test_make_lab_first_run_opens_00_with_no_news_no_warning_and_its_own_workspace(browser, tmp_path_factory,
                                                                                    request, tmp_path):
    """`make lab` as a new student meets it: the project's jupyter/config, a token, JupyterLab on 00."""
    base = tmp_path_factory.mktemp("make-lab")
    root = _copy_root(base / "root")
    server = bs.start_make_lab(root, base / "home")
    context = browser  # the shared persistent profile holds no JupyterLab state of this server's origin
    page = context.new_page()
    try:
        page.goto(f"{server.base}/?token={server.token}")  # the printed address, without its path
        bs._wait(page, lambda: (page.evaluate(JS_FIRST_RUN)["tab"] or "").endswith("00_start_here.ipynb")
                 or page.evaluate(JS_FIRST_RUN), 120, "JupyterLab opening 00_start_here.ipynb")
        assert "00_start_here.ipynb" in page.url, page.url
        page.wait_for_timeout(3000)  # the news question used to pop up a few seconds after start
        state = page.evaluate(JS_FIRST_RUN)
        assert not state["news"] and state["toasts"] == [], state
        log = server.log_tail(400)
        assert "DeprecationWarning" not in log and "is not trusted" not in log, log
        assert "localhost" in log and "token=" in log, log
        assert list((base / "home" / "workspaces").glob("*")), "the workspace was not saved in the project's folder"
    except BaseException:
        _report_failure(request, page, server, tmp_path)
        raise
    finally:
        page.close()
        server.stop()
