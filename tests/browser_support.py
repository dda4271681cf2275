"""Support for the browser tests: JupyterLab / Voila servers on localhost, headless Chromium, and the
page-side helpers that run a notebook and move the sliders of its explorers.

Used by tests/test_browser.py. Everything runs on localhost with a random token, from a temporary
root directory holding copies of the notebooks (the saved files are never touched), and every
process started here is stopped by its id when the session ends.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

CHROMIUM_NAMES = ("chromium", "chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def browser_unavailable_reason() -> str | None:
    """Why the browser tests cannot run here (None when they can)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as err:
        return f"the Python package playwright is not installed ({err}); `pip install -r requirements.txt`"
    if find_chromium() is None:
        return ("no Chromium found on PATH (looked for: " + ", ".join(CHROMIUM_NAMES) + "); install it, "
                "e.g. `sudo apt-get install chromium`, to run the browser tests")
    return None


def notebook_paths() -> list[Path]:
    """The notebooks of the series, found when the tests are collected (they are still being written)."""
    return sorted(NOTEBOOKS.glob("*.ipynb"))


# --------------------------------------------------------------------------- a sample notebook

SAMPLE_NAME = "zz_sample_explorer.ipynb"
SAMPLE_CELLS = [
    ("markdown", "# A sample explorer\nBuilt by tests/browser_support.py; exercises every slider kind.", []),
    ("code", "import numpy as np\nimport matplotlib.pyplot as plt\nimport helpers as hp\n"
             "from helpers.ui import explorer as hw\n\nSEED = 0\nrng = np.random.default_rng(SEED)", []),
    ("code", "print('last std', hp.fmt(1 / 3))", []),
    ("code", "fig, ax = plt.subplots(figsize=(4, 3))\nax.plot(np.tanh(np.linspace(-3, 3, 50)))\nplt.show()", []),
    ("code",
     "def toy_explorer():\n"
     "    controls = {'depth': hw.slider('depth', 5, 2, 20),\n"
     "                'gain': hw.float_slider('gain', 1.0, 0.1, 3.0, step=0.1),\n"
     "                'std': hw.log_slider('weight std', 1.0, 0.01, 10)}\n\n"
     "    def compute(depth, gain, std):\n"
     "        params = hp.init_mlp([20] * (depth + 1), init=gain * std, rng=np.random.default_rng(SEED))\n"
     "        X = np.random.default_rng(1).normal(size=(64, 20))\n"
     "        return hp.layer_stats(params, X, 'tanh', rng=np.random.default_rng(0))\n\n"
     "    def draw(fig, stats):\n"
     "        hp.plot_per_layer(fig.add_subplot(), stats.a_std)\n"
     "        return f'last layer std {hp.fmt(stats.a_std[-1])}'\n\n"
     "    return hw.Explorer(controls, compute, draw, presets={'tiny': {'std': 0.01}}, title='toy')", []),
    ("code", "toy_explorer()", ["nbval-ignore-output"]),
    ("code", "hw.side_by_side(toy_explorer, a={'std': 1.0}, b={'std': 0.1})", ["nbval-ignore-output"]),
]
SAMPLE_SLIDERS = 3 + 2 * 3


def write_sample_notebook(path: Path) -> Path:
    """A small notebook that builds explorers with helpers.widgets (IntSlider, FloatSlider, FloatLogSlider)."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for kind, source, tags in SAMPLE_CELLS:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    nbformat.write(nb, path)
    return path


# --------------------------------------------------------------------------- servers

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(home: Path) -> dict:
    """The environment of a Jupyter/Voila server and its kernels: this venv's kernels and extensions,
    configuration and state in a temporary directory, and no MPLBACKEND (CI sets Agg), so that kernels
    use the inline backend as they do on a student's machine."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND" and not k.startswith("JUPYTER")}
    share = Path(sys.prefix) / "share" / "jupyter"
    for sub in ("config", "runtime", "workspaces", "settings", "data"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env.update(JUPYTER_PATH=str(share), JUPYTER_CONFIG_DIR=str(home / "config"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
               JUPYTERLAB_SETTINGS_DIR=str(home / "settings"), JUPYTER_PLATFORM_DIRS="1",
               PYTHONUNBUFFERED="1")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def lab_user_settings(settings_dir: Path):
    """No news, no update check: nothing but the notebook on screen."""
    notify = settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notify.parent.mkdir(parents=True, exist_ok=True)
    notify.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))


def _children(pid: int) -> list[int]:
    """Direct and indirect child processes of pid (Linux /proc; empty elsewhere)."""
    found, frontier = [], [pid]
    procs = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            procs[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    while frontier:
        parent = frontier.pop()
        kids = [p for p, pp in procs.items() if pp == parent]
        found += kids
        frontier += kids
    return found


class Server:
    """A Jupyter server (JupyterLab or Voila) started as a subprocess, stopped by its pid and its children's."""

    def __init__(self, kind: str, argv: list[str], port: int, token: str, root: Path, env: dict, log: Path):
        self.kind, self.port, self.token, self.root, self.log_path = kind, port, token, root, log
        self.base = f"http://localhost:{port}"
        self._log = open(log, "wb")
        self.proc = subprocess.Popen(argv, cwd=root, env=env, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def wait_ready(self, path: str, timeout: float = 90):
        """Return self once `path` answers 200; otherwise stop the server and raise with its log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url(path), timeout=5) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.kind} did not answer on {self.base}{path} in {timeout} s:\n{self.log_tail()}")

    def stop(self):
        """Ask the server to shut down (it stops its kernels), then make sure, by pid."""
        if self.proc.poll() is None:
            kids = _children(self.proc.pid)
            asked = False
            if self.kind == "jupyterlab":
                try:
                    req = urllib.request.Request(self.url("/api/shutdown"), method="POST", data=b"")
                    urllib.request.urlopen(req, timeout=10).close()
                    asked = True
                except (urllib.error.URLError, OSError):
                    pass
            if not asked:
                self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            for pid in kids:  # kernels left behind, by pid
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        self._log.close()


def _root_flag(app: str) -> list[str]:
    """Containers often run as root, which Jupyter refuses without --allow-root."""
    return [f"--{app}.allow_root=True"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def start_jupyterlab(root: Path, home: Path) -> Server:
    """JupyterLab on localhost with a random token, rooted at `root`, its state in `home`."""
    port, token = free_port(), secrets.token_hex(24)
    env = server_env(home)
    lab_user_settings(home / "settings")
    argv = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=localhost",
            f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}", "--ServerApp.open_browser=False",
            "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=", "--LabApp.check_for_updates_class="
            "jupyterlab.NeverCheckForUpdate", f"--LabApp.user_settings_dir={home / 'settings'}",
            f"--LabApp.workspaces_dir={home / 'workspaces'}", "--LabApp.extension_manager=readonly",
            "--ServerApp.terminals_enabled=False", *_root_flag("ServerApp")]
    server = Server("jupyterlab", argv, port, token, root, env, home / "jupyterlab.log")
    return server.wait_ready("/api/status")


def start_notebook7(root: Path, home: Path) -> Server:
    """Notebook 7 (`jupyter notebook`, the classic-style interface) on localhost with a random token."""
    port, token = free_port(), secrets.token_hex(24)
    env = server_env(home)
    argv = [sys.executable, "-m", "jupyter", "notebook", "--no-browser", "--ServerApp.ip=localhost",
            f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root}", "--JupyterNotebookApp.expose_app_in_browser=True",
            f"--JupyterNotebookApp.user_settings_dir={home / 'settings'}",
            f"--JupyterNotebookApp.workspaces_dir={home / 'workspaces'}",
            "--ServerApp.terminals_enabled=False", *_root_flag("ServerApp")]
    server = Server("notebook7", argv, port, token, root, env, home / "notebook7.log")
    return server.wait_ready("/api/status")


LAB_CONFIG = ROOT / "jupyter" / "config"  # what `make lab` runs with (JUPYTER_CONFIG_DIR)


def start_make_lab(root: Path, home: Path) -> Server:
    """JupyterLab as `make lab` starts it: the project's jupyter/config (JUPYTER_CONFIG_DIR) and nothing else on
    the command line but the port (and the notebooks folder, the settings, workspace and trust database, which
    are moved into `home` so the test writes nothing into the repository). `jupyter trust` first, as make does."""
    port, token = free_port(), secrets.token_hex(24)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND" and not k.startswith("JUPYTER")}
    env.update(JUPYTER_CONFIG_DIR=str(LAB_CONFIG), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), PYTHONUNBUFFERED="1")
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    moved = [f"--NotebookNotary.db_file={home / 'nbsignatures.db'}",
             f"--NotebookNotary.secret_file={home / 'notebook_secret'}"]
    subprocess.run([sys.executable, "-m", "jupyter", "trust", *moved, *map(str, sorted(root.glob("*.ipynb")))],
                   env=env, check=True, capture_output=True)
    argv = [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={home / 'settings'}", f"--LabApp.workspaces_dir={home / 'workspaces'}",
            f"--IdentityProvider.token={token}", *moved,
            *_root_flag("ServerApp")]
    server = Server("jupyterlab", argv, port, token, root, env, home / "make-lab.log")
    return server.wait_ready("/api/status")


def start_voila(root: Path, home: Path) -> Server:
    """Voila serving the notebooks under `root` (tree mode) on localhost with a random token."""
    port, token = free_port(), secrets.token_hex(24)
    env = server_env(home)
    argv = [sys.executable, "-m", "voila", str(root), "--no-browser", "--Voila.ip=localhost",
            f"--port={port}", "--Voila.port_retries=0", f"--token={token}", "--show_tracebacks=True"]
    server = Server("voila", argv, port, token, root, env, home / "voila.log")
    return server.wait_ready("/")


# --------------------------------------------------------------------------- the browser

_PLAYWRIGHT = None


def shared_playwright():
    """One Playwright (sync API) for the whole pytest process: a second sync_playwright() cannot start while the
    first runs, and the browser tests (test_browser.py) and the site's (test_site.py) each launch a Chromium
    from it. Stopped when the process exits."""
    global _PLAYWRIGHT
    if _PLAYWRIGHT is None:
        import atexit

        from playwright.sync_api import sync_playwright
        _PLAYWRIGHT = sync_playwright().start()

        def stop():
            try:
                _PLAYWRIGHT.stop()
            except Exception:
                pass
        atexit.register(stop)
    return _PLAYWRIGHT


def launch_browser(playwright, user_data_dir: Path):
    """Headless Debian Chromium (Playwright cannot download its own here) with a fresh profile."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=find_chromium(), headless=True, args=CHROMIUM_FLAGS,
        viewport={"width": 1400, "height": 1000})


# JavaScript run in the page. Sliders are ipywidgets' noUiSlider handles; an explorer is the closest
# widget box around a slider that holds exactly one <img> (the explorer's Image widget).
JS_TAG_SLIDERS = """() => {
  const root = window.__sgNb ? window.__sgNb.node : document;
  const sliders = [...root.querySelectorAll('.widget-slider')].filter(s => s.querySelector('.noUi-handle'));
  return sliders.map((s, i) => {
    s.dataset.sgSlider = String(i);
    let box = s.parentElement;
    while (box && box.querySelectorAll('img').length !== 1) box = box.parentElement;
    const img = box ? box.querySelector('img') : null;
    if (img) img.dataset.sgImg = img.dataset.sgImg ? img.dataset.sgImg + ' ' + i : String(i);
    const label = s.querySelector('.widget-label');
    const readout = s.querySelector('.widget-readout');
    const target = s.querySelector('.noUi-target');
    return {index: i, label: label ? label.textContent.trim() : '', has_img: !!img,
            disabled: !!target && target.hasAttribute('disabled'),
            readout: readout ? (readout.textContent || readout.value || '').trim() : ''};
  });
}"""

# Arm a watcher: the time of the next keydown on the slider, and of the first load of a new figure.
JS_ARM = """(i) => {
  const slider = document.querySelector(`[data-sg-slider="${i}"]`);
  const img = [...document.querySelectorAll('img[data-sg-img]')].find(
      el => el.dataset.sgImg.split(' ').includes(String(i)));
  const w = window.__sgWatch = {t_key: null, t_img: null, old: img.src};
  slider.addEventListener('keydown', () => { if (w.t_key === null) w.t_key = performance.now(); },
                          {capture: true, once: true});
  const done = () => { if (w.t_img === null) w.t_img = performance.now(); };
  const obs = new MutationObserver(() => {
    if (img.src !== w.old) { obs.disconnect(); (img.decode ? img.decode() : Promise.resolve()).then(done, done); }
  });
  obs.observe(img, {attributes: true, attributeFilter: ['src']});
  w.readout = () => { const r = slider.querySelector('.widget-readout'); return r ? (r.textContent || '').trim() : ''; };
  w.position = () => {  // the slider's own value (the readout may round it)
    const t = slider.querySelector('.noUi-target');
    return t && t.noUiSlider ? String(t.noUiSlider.get(true)) : w.readout();
  };
  return {readout: w.readout(), position: w.position()};
}"""
JS_WATCH = """() => { const w = window.__sgWatch;
  return {t_key: w.t_key, t_img: w.t_img, readout: w.readout(), position: w.position()}; }"""


def move_slider(page, index: int, timeout_ms: float = 30_000) -> dict:
    """Focus slider `index`'s handle, press ArrowRight (ArrowLeft if it is at its maximum) and wait for
    the explorer's figure to change. Returns the key pressed, the readouts and the latency in ms."""
    handle = page.locator(f'[data-sg-slider="{index}"] .noUi-handle').first
    handle.scroll_into_view_if_needed()
    result = {}
    for key in ("ArrowRight", "ArrowLeft"):
        before = page.evaluate(JS_ARM, index)
        handle.focus()
        handle.press(key)
        page.wait_for_timeout(50)
        state = page.evaluate(JS_WATCH)
        result = {"key": key, "before": before["readout"], "after": state["readout"]}
        if state["position"] != before["position"]:  # the value moved (at the end of its range it does not)
            break
    else:
        raise AssertionError(f"slider {index}: neither ArrowRight nor ArrowLeft changed its value ({result})")
    try:
        page.wait_for_function("() => window.__sgWatch.t_img !== null", timeout=timeout_ms, polling="raf")
    except Exception as err:
        raise AssertionError(
            f"slider {index}: the figure did not change within {timeout_ms / 1000:.0f} s after {result['key']} "
            f"({result['before']} -> {result['after']}). A control with no effect at the current settings "
            f"should be disabled (widget.disabled = True), as helpers/explorers/dying_relu.py does for alpha.") from err
    state = page.evaluate(JS_WATCH)
    result["latency_ms"] = round(state["t_img"] - state["t_key"], 1)
    return result


def type_slider_value(page, index: int, timeout_ms: float = 30_000) -> dict:
    """The keyboard route that works in every front end: Tab into slider `index`'s value box (its readout, an
    editable text box), type a new value and press Enter; wait for the explorer's figure to change. The new
    value is one step of the integer readout up (down at the top of the range)."""
    before = page.evaluate(JS_ARM, index)
    limits = page.evaluate("""(i) => { const h = document.querySelector(`[data-sg-slider="${i}"] .noUi-handle`);
      return [Number(h.getAttribute('aria-valuemin')), Number(h.getAttribute('aria-valuemax'))]; }""", index)
    value = int(float(before["readout"]))
    new = value + 1 if value + 1 <= limits[1] else value - 1
    readout = page.locator(f'[data-sg-slider="{index}"] .widget-readout').first
    readout.scroll_into_view_if_needed()
    readout.focus()
    page.keyboard.press("End")
    for _ in range(len(before["readout"]) + 2):
        page.keyboard.press("Backspace")
    page.keyboard.type(str(new))
    page.keyboard.press("Enter")
    page.wait_for_function("() => window.__sgWatch.t_img !== null", timeout=timeout_ms, polling="raf")
    return {"before": before["readout"], "typed": str(new), "after": page.evaluate(JS_WATCH)["readout"]}


def press_arrow_on_slider(page, index: int) -> bool:
    """Focus slider `index`'s handle, press ArrowRight (ArrowLeft at the top); True if its value changed."""
    handle = page.locator(f'[data-sg-slider="{index}"] .noUi-handle').first
    handle.scroll_into_view_if_needed()
    before = page.evaluate(JS_ARM, index)
    handle.focus()
    handle.press("ArrowRight")
    page.wait_for_timeout(100)
    if page.evaluate(JS_WATCH)["position"] != before["position"]:
        return True
    handle.focus()
    handle.press("ArrowLeft")
    page.wait_for_timeout(100)
    return page.evaluate(JS_WATCH)["position"] != before["position"]


WIDGET_ERROR_TEXTS = ("Error displaying widget", "could not update", "Javascript Error")


def page_widget_errors(page) -> list[str]:
    """Widget failures shown in the notebook (JupyterLab) or page (Voila): ipywidgets' "Error displaying
    widget", an explorer's "could not update" readout, a renderer's "Javascript Error"."""
    text = page.evaluate("() => (window.__sgNb ? window.__sgNb.node : document.body).innerText")
    return [line.strip()[:300] for line in text.splitlines() if any(t in line for t in WIDGET_ERROR_TEXTS)]


# JupyterLab (LabApp.expose_app_in_browser exposes window.jupyterapp). The notebook under test is
# window.__sgNb; its state is read from the models, not from what happens to be on screen.
JS_LAB_APP_READY = "() => !!(window.jupyterapp && window.jupyterapp.commands.hasCommand('docmanager:open'))"
JS_LAB_OPEN = """async (path) => {
  const app = window.jupyterapp;
  const w = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
  window.__sgNb = w;
  app.shell.activateById(w.id);
  return w.id;
}"""
JS_LAB_DIALOGS = "() => [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText.replace(/\\s+/g, ' ').slice(0, 300))"
JS_LAB_KERNEL = """() => {
  const w = window.__sgNb;
  const k = w && w.sessionContext.session && w.sessionContext.session.kernel;
  return {ready: !!(w && w.context.isReady && k && k.status === 'idle' && w.content.widgets.length),
          kernel: k ? k.name : null, status: k ? k.status : null};
}"""
JS_LAB_RUN_ALL = """async () => {
  const app = window.jupyterapp, w = window.__sgNb;
  app.shell.activateById(w.id);
  await app.commands.execute('notebook:clear-all-cell-outputs');
  app.commands.execute('notebook:run-all-cells');  // not awaited: progress is polled
  return true;
}"""
JS_LAB_STATE = """() => {
  const w = window.__sgNb;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const cells = w.content.widgets.filter(c => c.model.type === 'code');
  const counts = cells.map(c => c.model.executionCount);
  const errors = [], stderr = [];
  cells.forEach((c, i) => {
    for (const o of c.model.outputs.toJSON()) {
      if (o.output_type === 'error') errors.push(`code cell ${i + 1}: ${o.ename}: ${o.evalue}`);
      if (o.output_type === 'stream' && o.name === 'stderr')
        stderr.push(`code cell ${i + 1} wrote to stderr: ${String(o.text).slice(0, 400)}`);
    }
  });
  const problems = errors.concat(stderr);
  const ordered = counts.every((n, i) => n !== null && (i === 0 || n > counts[i - 1]));
  return {status: kernel ? kernel.status : 'no kernel', kernel: kernel ? kernel.name : null,
          n_code: cells.length, executed: counts.filter(n => n !== null).length, ordered,
          running: cells.filter(c => c.model.executionState === 'running').length, problems, errors,
          dialogs: [...document.querySelectorAll('.jp-Dialog')].map(d => d.innerText.replace(/\\s+/g, ' ').slice(0, 300))};
}"""
JS_LAB_CLOSE = """async () => {
  const w = window.__sgNb; window.__sgNb = null;
  document.querySelectorAll('.jp-Dialog').forEach(d => d.remove());
  if (!w || w.isDisposed) return;
  try { await w.sessionContext.shutdown(); } catch (e) {}
  w.context.model.dirty = false;
  w.dispose();
}"""


def _wait(page, check, timeout_s: float, what: str, interval_ms: int = 250):
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last is True:
            return
        page.wait_for_timeout(interval_ms)
    raise AssertionError(f"{what} did not happen in {timeout_s:.0f} s (last state: {last})")


def lab_start_page(page, server: Server, timeout_s: float = 120):
    page.goto(server.url("/lab"))
    _wait(page, lambda: page.evaluate(JS_LAB_APP_READY) or "loading", timeout_s, "JupyterLab start-up")


def lab_open(page, name: str, timeout_s: float = 120) -> dict:
    """Open notebook `name` (relative to the server root) and wait for an idle kernel.
    Fails at once on any dialog (such as "Select Kernel")."""
    page.evaluate(JS_LAB_OPEN, name)

    def ready():
        dialogs = page.evaluate(JS_LAB_DIALOGS)
        assert not dialogs, f"{name}: a dialog opened instead of the kernel: {dialogs}"
        state = page.evaluate(JS_LAB_KERNEL)
        return True if state["ready"] else state
    _wait(page, ready, timeout_s, f"{name}: the python3 kernel becoming idle")
    return page.evaluate(JS_LAB_KERNEL)


def lab_run_all(page, timeout_s: float = 300) -> dict:
    """Clear every output, run all cells, wait until every code cell has run, in order, and the
    kernel is idle (or a dialog shows). Returns the final state (see JS_LAB_STATE)."""
    page.evaluate(JS_LAB_RUN_ALL)
    box = {}

    def finished():
        state = box["state"] = page.evaluate(JS_LAB_STATE)
        if state["dialogs"]:
            return True
        idle = not state["running"] and state["status"] == "idle"
        done = idle and (state["errors"] or (state["executed"] == state["n_code"] and state["ordered"]))
        return True if done else state
    _wait(page, finished, timeout_s, "run all cells")
    page.wait_for_timeout(500)  # let the widget views render
    return page.evaluate(JS_LAB_STATE) if not box["state"]["dialogs"] else box["state"]


def lab_close(page):
    """Shut the notebook's kernel down and close its tab without saving."""
    try:
        page.evaluate(JS_LAB_CLOSE)
    except Exception:  # a crashed page has nothing left to close
        pass


# Voila streams the page while it runs the notebook; the page has loaded once every cell has run.
# Then its widget manager renders the outputs (each output's <script> is replaced by its view).
JS_VOILA_STATE = """() => {
  const cells = document.getElementById('rendered_cells');
  return {shown: !!cells && cells.style.display !== 'none' && !document.getElementById('loading'),
          pending: document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]').length,
          images: [...document.querySelectorAll('img.widget-image')].map(i => i.complete && i.naturalWidth > 0),
          problems: [...document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')].map(
              e => e.innerText.slice(0, 400))};
}"""


def voila_open(page, server: Server, name: str, timeout_s: float = 300) -> dict:
    page.goto(server.url(f"/voila/render/{name}"), timeout=timeout_s * 1000, wait_until="load")
    box = {}

    def rendered():  # every notebook shown in Voila here has at least one explorer figure
        state = box["state"] = page.evaluate(JS_VOILA_STATE)
        return True if state["shown"] and not state["pending"] and state["images"] and all(state["images"]) else state
    _wait(page, rendered, 60, f"Voila rendering {name}")
    page.wait_for_timeout(500)
    return page.evaluate(JS_VOILA_STATE)


JS_IMAGES_LOADED = """() => [...(window.__sgNb ? window.__sgNb.node : document).querySelectorAll('img.widget-image')]
  .map(i => i.complete && i.naturalWidth > 0)"""


# --------------------------------------------------------------------------- the course site (static files)

class StaticSite:
    """The built site (site/ or a copy) served on localhost from a thread, as a web host would serve it."""

    def __init__(self, root: Path):
        import functools
        import http.server
        import threading

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        self.root = root
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def offline(page) -> list[str]:
    """Make `page` offline: every request to a host other than this machine is aborted and recorded."""
    blocked = []

    def route(r):
        host = r.request.url.split("/")[2] if "://" in r.request.url else ""
        if r.request.url.startswith(("data:", "blob:")) or host.split(":")[0] in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()
    page.route("**/*", route)
    return blocked


# The site's pages once their scripts ran: MathJax typeset, every saved widget view rendered (once).
JS_SITE_STATE = """() => ({
  views: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
  rendered: document.querySelectorAll('.jupyter-widgets.widget-vbox, .jupyter-widgets.widget-box').length,
  explorers: [...document.querySelectorAll('.cell_output .jupyter-widgets')].filter(
      w => !w.parentElement.closest('.jupyter-widgets')).length,
  sliders: document.querySelectorAll('.widget-slider .noUi-handle').length,
  images: [...document.querySelectorAll('img.widget-image')].map(i => i.complete && i.naturalWidth > 0),
  math_source: document.querySelectorAll('.math').length,
  math_typeset: document.querySelectorAll('mjx-container').length,
  prev: !!document.querySelector('.prev-next-area a.left-prev'),
  next: !!document.querySelector('.prev-next-area a.right-next'),
  toc: document.querySelectorAll('.bd-sidebar-primary nav a.reference.internal').length,
  binder: !!document.querySelector('a[href*="mybinder.org"]'),
  colab: !!document.querySelector('a[href*="colab.research.google.com"]'),
})"""


# The static figures in a page's outputs (not an explorer's live image): the text alternative of each, and whether
# it loaded. helpers/ui/alt.py shows each as text/html <img alt="Figure, ..."> (image/png has no alt anywhere).
JS_FIGURE_ALTS = """(root) => [...(root ? document.querySelector(root) : document).querySelectorAll(
    '.jp-OutputArea-output img, .cell_output img, .output_area img')].filter(i => !i.closest('.jupyter-widgets'))
  .map(i => ({alt: i.getAttribute('alt'), loaded: i.complete && i.naturalWidth > 0}))"""


def figure_alts(page, root: str | None = None) -> list[dict]:
    """[{alt, loaded}] for each static figure in the page (inside `root`, a CSS selector, if given)."""
    return page.evaluate(JS_FIGURE_ALTS, root)


def saved_figures(path) -> int:
    """How many static figures (image/png outputs) the saved notebook shows."""
    nb = nbformat.read(path, as_version=4)
    return sum("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))


def undescribed(alts: list[dict]) -> list[dict]:
    """The figures with no text alternative, one that is a file name (Sphinx's default), or that did not load."""
    return [a for a in alts if not (a["alt"] or "").strip() or a["alt"].endswith((".png", ".webp"))
            or not a["loaded"]]


# --------------------------------------------------------------------------- accessibility (axe-core)

AXE_JS = ROOT / "tools" / "js" / "node_modules" / "axe-core" / "axe.min.js"
AXE_FILE = ROOT / "benchmarks" / "axe_counts.json"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
IMPACTS = ("critical", "serious", "moderate", "minor")

# Violations that ipywidgets' own markup causes and that nothing the series' Python code sets can fix (checked
# against the ipywidgets version named in each report). Each is (rule, a CSS selector the element matches, why).
# They are counted apart, never hidden: when a fixed ipywidgets release removes one, its count drops to 0.
IPYWIDGETS_MARKUP = [
    ("aria-input-field-name", ".noUi-handle",
     "each slider's handle is a <div role=slider> that noUiSlider draws with no aria-label or aria-labelledby; "
     "the widget's description is a <label> that cannot label a <div>, and ipywidgets exposes no way to set "
     "the handle's attributes"),
]

# The series' own violations whose fix is under way in files these tests do not own (issue 17): counted and
# printed as "ours, pending", so they are seen, but they do not fail the tests while listed. Any other serious or
# critical violation of the series' content fails. Delete an entry once its fix has landed (its count is then 0).
PENDING_OURS: list[tuple[str, str, str]] = []  # (rule, element, why): ours, with a fix on its way; none now

# Run axe on `root` (a CSS selector, or the whole document) and describe every violating element: which rule,
# how serious, where, and whether it lies in a widget, in an output of the notebook's code, or elsewhere.
JS_AXE = """async ([root, tags, known, pendingList]) => {
  const context = root ? (document.querySelector(root) || document) : document;
  const r = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  const out = [];
  for (const v of r.violations) for (const n of v.nodes) {
    const sel = n.target[n.target.length - 1];
    let el = null;
    try { el = document.querySelector(n.target.join(' ')) || document.querySelector(sel); } catch (e) {}
    const cause = el ? (known.find(([rule, css]) => rule === v.id && el.matches(css)) || null) : null;
    const pending = el ? (pendingList.find(([rule, css]) => rule === v.id && el.matches(css)) || null) : null;
    out.push({rule: v.id, impact: v.impact, help: v.help, target: n.target.join(' ').slice(-200),
              html: n.html.slice(0, 200), ipywidgets: !!cause, pending: !!pending,
              in_widget: !!(el && el.closest('.jupyter-widgets, .widget-subarea')),
              in_output: !!(el && el.closest('.jp-OutputArea-output, .cell_output, .output_area'))});
  }
  return out;
}"""


def run_axe(page, root: str | None = None) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations in `page` (inside `root` if given), one dict per element."""
    if not AXE_JS.exists():
        raise AssertionError(f"{AXE_JS} is missing: install the test JavaScript with `make js` (npm ci in tools/js)")
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(JS_AXE, [root, WCAG_TAGS, [[rule, css] for rule, css, _ in IPYWIDGETS_MARKUP],
                                  [[rule, css] for rule, css, _ in PENDING_OURS]])


def cause(v: dict, outputs_only: bool = False) -> str:
    """'ipywidgets' (its own markup, IPYWIDGETS_MARKUP), 'frontend' (JupyterLab's or Notebook's own page, where
    only the outputs of the notebook's code are the series' content: outputs_only) or 'ours'."""
    if v["ipywidgets"]:
        return "ipywidgets"
    if outputs_only and not v["in_output"]:
        return "frontend"
    return "ours, pending" if v.get("pending") else "ours"


def axe_counts(found: list[dict], outputs_only: bool = False) -> dict:
    """{'ours' | 'ipywidgets' | 'frontend': {impact: n}} with every impact present (0 when none)."""
    counts = {src: dict.fromkeys(IMPACTS, 0) for src in ("ours", "ours, pending", "ipywidgets", "frontend")}
    for v in found:
        counts[cause(v, outputs_only)][v["impact"] or "minor"] += 1
    return counts


def serious_of_ours(found: list[dict], outputs_only: bool = False) -> list[str]:
    return [f"{v['impact']} {v['rule']}: {v['target']} {v['html']}" for v in found
            if cause(v, outputs_only) == "ours" and v["impact"] in ("serious", "critical")]


def ipywidgets_version() -> str:
    try:
        from importlib.metadata import version
        return version("ipywidgets")
    except Exception:
        return "unknown"


def axe_summary(where: str, found: list[dict], outputs_only: bool = False) -> str:
    """One line of counts, then the ipywidgets-caused elements grouped by rule."""
    c = axe_counts(found, outputs_only)
    line = (f"axe {where}: ours " + ", ".join(f"{k} {v}" for k, v in c["ours"].items())
            + " | ours, fix pending " + ", ".join(f"{k} {v}" for k, v in c["ours, pending"].items())
            + f" | ipywidgets {ipywidgets_version()} markup " + ", ".join(f"{k} {v}" for k, v in c["ipywidgets"].items()))
    if outputs_only:
        line += " | the front end's own page " + ", ".join(f"{k} {v}" for k, v in c["frontend"].items())
    rules = sorted({v["rule"] for v in found if v["ipywidgets"]})
    return line + "".join(f"\n    ipywidgets: {r} x{sum(v['rule'] == r for v in found if v['ipywidgets'])}" for r in rules)


def axe_record(where: str, page: str, found: list[dict], outputs_only: bool = False) -> dict:
    rules = {}
    for v in found:
        key = f"{v['rule']} ({v['impact']})"
        by_cause = rules.setdefault(cause(v, outputs_only), {})
        by_cause[key] = by_cause.get(key, 0) + 1
    return {"where": where, "page": page, "counts": axe_counts(found, outputs_only), "rules": rules,
            "ipywidgets_elements": [{k: v[k] for k in ("rule", "impact", "target")} for v in found if v["ipywidgets"]]}


def write_axe_counts(records: list[dict]):
    """benchmarks/axe_counts.json (git-ignored): the counts of every page checked, for the benchmark report.
    Records of earlier runs for other front ends (site, Voila, JupyterLab) are kept, so one file holds all."""
    if not records:
        return
    old = []
    try:
        old = json.loads(AXE_FILE.read_text())["pages"]
    except (OSError, ValueError, KeyError):
        pass
    fresh = {(r["where"], r["page"]) for r in records}
    records = [r for r in old if (r["where"], r["page"]) not in fresh] + records
    AXE_FILE.parent.mkdir(parents=True, exist_ok=True)
    AXE_FILE.write_text(json.dumps({
        "what": "axe-core WCAG 2.1 A/AA violations (one per element) by page and by cause",
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "ipywidgets": ipywidgets_version(),
        "known_ipywidgets_markup": [{"rule": r, "element": css, "why": why} for r, css, why in IPYWIDGETS_MARKUP],
        "ours_fix_pending": [{"rule": r, "element": css, "why": why} for r, css, why in PENDING_OURS],
        "pages": records}, indent=1) + "\n")
