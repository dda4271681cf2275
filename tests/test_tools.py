"""The tools behind `make nav`, `make html` and `make lock`, on small notebooks made here (never on notebooks/ in
place). The real site is built by tests/test_site.py."""
import base64
import contextlib
import io
import subprocess
import sys
import types
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import yaml

from tools import lock, nav, site

ROOT = Path(__file__).resolve().parent.parent

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def executed(title, n_code=3, widget=False):
    """A notebook as tools/run_notebooks.py saves it: counts 1..n, outputs, optionally a widget and its state."""
    cells = [new_markdown_cell(f"# {title}\n\nWhat you will learn: something. See [the next one](02_b.ipynb).")]
    for i in range(1, n_code + 1):
        cells.append(new_code_cell(f"x = {i}\nx", execution_count=i, metadata={"tags": ["keep"]},
                                   outputs=[new_output("execute_result", {"text/plain": str(i)}, execution_count=i)]))
    nb = new_notebook(cells=cells)
    if widget:
        view = {"model_id": "box1", "version_major": 2, "version_minor": 0}
        cells.append(new_code_cell("explorer()", execution_count=n_code + 1, outputs=[new_output(
            "execute_result", {WIDGET_VIEW: view, "text/plain": "VBox()"}, execution_count=n_code + 1)]))
        nb.metadata["widgets"] = {WIDGET_STATE: {"version_major": 2, "version_minor": 0, "state": {
            "box1": {"model_name": "VBoxModel", "model_module": "@jupyter-widgets/controls",
                     "model_module_version": "2.0.0", "state": {"children": ["IPY_MODEL_img1"]}},
            "img1": {"model_name": "ImageModel", "model_module": "@jupyter-widgets/controls",
                     "model_module_version": "2.0.0", "state": {"format": "png"},
                     "buffers": [{"path": ["value"], "encoding": "base64",
                                  "data": base64.b64encode(PNG).decode()}]}}}}
    return nb


@pytest.fixture
def folder(tmp_path):
    """00 (executed, with a widget), 01 (never run) and 02 (executed) in a temp folder."""
    nbformat.write(executed("00 · Start here", widget=True), tmp_path / "00_start_here.ipynb")
    fresh = executed("01 · The [first] lesson")
    for c in fresh.cells:
        if c.cell_type == "code":
            c.execution_count, c.outputs = None, []
    nbformat.write(fresh, tmp_path / "01_a.ipynb")
    nbformat.write(executed("02 · The last lesson"), tmp_path / "02_b.ipynb")
    (tmp_path / "notes.ipynb").write_text("not a numbered notebook")
    return tmp_path


def read(path):
    return nbformat.read(path, as_version=4)


def nav_cells(nb):
    return [c for c in nb.cells if nav.is_generated(c)]


def test_nav_is_idempotent_and_adds_each_cell_once(folder):
    assert len(nav.run(folder)) == 3
    first = {p.name: p.read_bytes() for p in folder.glob("*.ipynb")}
    assert nav.run(folder) == []
    assert {p.name: p.read_bytes() for p in folder.glob("*.ipynb")} == first
    for name in ["00_start_here.ipynb", "01_a.ipynb", "02_b.ipynb"]:
        nb = read(folder / name)
        assert [c.get("id") for c in nav_cells(nb)] == ["nav-top", "colab-badges", "colab-setup", "nav-bottom"]
        assert nb.cells[0].id == "nav-top" and nb.cells[2].id == "colab-setup" and nb.cells[-1].id == "nav-bottom"
    assert nav.main([str(folder), "--check"]) == 0


def test_nav_links_previous_contents_and_next_by_title(folder):
    nav.run(folder)
    top = [read(folder / n).cells[0].source for n in ["00_start_here.ipynb", "01_a.ipynb", "02_b.ipynb"]]
    assert top[0] == r"**Contents** (this page) | [01 · The \[first\] lesson →](01_a.ipynb)"
    assert top[1] == ("[← 00 · Start here](00_start_here.ipynb) | [Contents](00_start_here.ipynb) | "
                      "[02 · The last lesson →](02_b.ipynb)")
    assert top[2] == r"[← 01 · The \[first\] lesson](01_a.ipynb) | [Contents](00_start_here.ipynb)"
    for name in ["00_start_here.ipynb", "01_a.ipynb", "02_b.ipynb"]:
        nb = read(folder / name)
        assert nb.cells[-1].source == nb.cells[0].source
        badges = nb.cells[1].source
        assert f"github/{nav.github_path()}/blob/{nav.BRANCH}/notebooks/{name}" in badges
        assert f"urlpath=lab/tree/notebooks/{name}" in badges


def test_nav_leaves_other_cells_alone_and_numbers_the_setup_cell(folder):
    before = {n: read(folder / n) for n in ["00_start_here.ipynb", "01_a.ipynb"]}
    nav.run(folder)
    for name, old in before.items():
        new = [c for c in read(folder / name).cells if not nav.is_generated(c)]
        assert len(new) == len(old.cells)
        for a, b in zip(old.cells, new):
            assert (a.source, a.metadata, a.get("outputs") and len(a.outputs)) == \
                   (b.source, b.metadata, b.get("outputs") and len(b.outputs))
    code = [c for c in read(folder / "00_start_here.ipynb").cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))  # as a fresh run numbers them
    for c in code[1:]:
        assert all(o.execution_count == c.execution_count for o in c.outputs if o.output_type == "execute_result")
        if "keep" in c.metadata.get("tags", []):
            assert c.outputs[0].data["text/plain"] in c.source  # outputs kept, with their cells
    assert read(folder / "00_start_here.ipynb").metadata["widgets"]  # widget state kept
    assert all(c.execution_count is None for c in read(folder / "01_a.ipynb").cells if c.cell_type == "code")


def test_nav_replaces_old_generated_cells_and_follows_a_new_notebook(folder):
    nav.run(folder)
    nb = read(folder / "02_b.ipynb")
    nb.cells[0].source = "stale"
    nb.cells[2].metadata["execution"] = {"iopub.status.idle": "then"}  # what a later run records
    nbformat.write(nb, folder / "02_b.ipynb")
    nbformat.write(executed("03 · Added later"), folder / "03_c.ipynb")
    assert nav.main([str(folder), "--check"]) == 1
    nav.run(folder)
    nb = read(folder / "02_b.ipynb")
    assert len(nav_cells(nb)) == 4
    assert nb.cells[0].source.endswith("[03 · Added later →](03_c.ipynb)")
    assert nb.cells[2].metadata["execution"] == {"iopub.status.idle": "then"}
    assert nav.run(folder) == []


def test_nav_on_named_files_writes_only_those(folder):
    assert nav.main([str(folder / "01_a.ipynb")]) == 0
    assert nav_cells(read(folder / "01_a.ipynb")) and not nav_cells(read(folder / "02_b.ipynb"))


def colab_cell_source():
    source = nav.colab_setup()
    compile(source, "colab-setup", "exec")  # plain Python: no magics
    return source


def test_colab_cell_does_nothing_outside_colab():
    out, err, namespace = io.StringIO(), io.StringIO(), {}
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        exec(colab_cell_source(), namespace)
    assert out.getvalue() == err.getvalue() == ""
    assert set(namespace) == {"__builtins__"}


def test_colab_cell_installs_from_the_repo_and_enables_widgets_on_colab(monkeypatch):
    calls = []
    output = types.SimpleNamespace(enable_custom_widget_manager=lambda: calls.append("widgets"))
    google = types.ModuleType("google")
    colab = types.ModuleType("google.colab")
    colab.output, google.colab = output, colab
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setattr(subprocess, "check_call", lambda args: calls.append(args))
    exec(colab_cell_source(), {})
    pip, widgets = calls
    assert pip[1:4] == ["-m", "pip", "install"] and f"git+{nav.REPO_URL}@{nav.BRANCH}" in pip[-1]
    assert widgets == "widgets"


def test_site_toc_follows_the_folder_with_00_as_landing_page(folder):
    pages = site.notebooks(folder)
    assert [p.name for p in pages] == ["00_start_here.ipynb", "01_a.ipynb", "02_b.ipynb"]  # not notes.ipynb
    assert site.toc(pages, claims=True) == {
        "format": "jb-book", "root": "notebooks/00_start_here",
        "chapters": [{"file": "notebooks/01_a"}, {"file": "notebooks/02_b"}, {"file": "CLAIMS"}]}
    nbformat.write(executed("08 · Added later"), folder / "08_z.ipynb")
    assert site.toc(site.notebooks(folder), claims=False)["chapters"][-1] == {"file": "notebooks/08_z"}
    with pytest.raises(SystemExit, match="no notebooks"):
        site.toc([], claims=True)


def test_site_stage_drops_the_generated_navigation_and_keeps_everything_else(folder, tmp_path):
    nav.run(folder)
    js = tmp_path / "node_modules"
    for rel in ["requirejs/require.js", "@jupyter-widgets/html-manager/dist/embed-amd.js",
                "@jupyter-widgets/html-manager/dist/embed.js", "@jupyter-widgets/html-manager/dist/x.woff2",
                "@jupyter-widgets/html-manager/dist/embed-amd.js.map", "mathjax/es5/tex-mml-chtml.js",
                "mathjax/es5/output/chtml/fonts/woff-v2/a.woff"]:
        (js / rel).parent.mkdir(parents=True, exist_ok=True)
        (js / rel).write_text("//")
    src = site.stage(tmp_path / "book", js, site.notebooks(folder))
    staged = read(src / "notebooks" / "00_start_here.ipynb")
    original = read(folder / "00_start_here.ipynb")
    assert not nav_cells(staged) and len(staged.cells) == len(original.cells) - 4
    assert staged.metadata["widgets"] == original.metadata["widgets"]  # live explorers on the site
    cfg = yaml.safe_load((src / "_config.yml").read_text())
    assert cfg["repository"]["url"] == nav.REPO_URL and cfg["launch_buttons"]["colab_url"]
    assert cfg["sphinx"]["config"]["html_static_path"] == ["assets"] and not (src / "_static").exists()
    vendor = src / "assets" / "vendor"
    assert sorted(p.name for p in (vendor / "html-manager").iterdir()) == ["embed-amd.js", "x.woff2"]
    assert (vendor / "require.js").exists() and (vendor / "mathjax" / "output").is_dir()
    assert yaml.safe_load((src / "_toc.yml").read_text())["root"] == "notebooks/00_start_here"


def test_site_stage_says_how_to_install_missing_javascript(folder, tmp_path):
    with pytest.raises(SystemExit, match="make js"):
        site.stage(tmp_path / "book", tmp_path / "no_node_modules", site.notebooks(folder))


def test_lock_pins_this_environment_and_binder_gets_the_runtime_closure():
    files = lock.render()
    constraints, binder = files[lock.CONSTRAINTS], files[lock.BINDER]
    pins = dict(line.split("==") for line in constraints.splitlines() if "==" in line)
    import numpy
    import matplotlib
    assert pins["numpy"] == numpy.__version__ and pins["matplotlib"] == matplotlib.__version__
    assert "stable-gradients" not in pins and "pip" not in pins
    binder_pins = dict(line.split("==") for line in binder.splitlines() if "==" in line)
    assert {"numpy", "matplotlib", "ipywidgets", "pillow", "jupyterlab", "voila"} <= set(binder_pins)
    assert "pytest" not in binder_pins and "playwright" not in binder_pins
    assert all(pins[name] == version for name, version in binder_pins.items())


def test_the_committed_lock_matches_the_environment():
    """constraints.txt and binder/requirements.txt are what `make lock` writes in this .venv (else: `make lock`)."""
    assert lock.main(["--check"]) == 0
