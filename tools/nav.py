"""Insert or refresh the generated cells of every notebooks/NN_*.ipynb (`make nav`).

    python -m tools.nav [NOTEBOOK_DIR | NOTEBOOK ...] [--check]

With no argument it refreshes every notebook of notebooks/; given notebook files, it writes only
those (the links still follow every NN_*.ipynb of their folder).

In each notebook, in this order:
- top: a navigation line (previous / contents / next), each notebook named by its first heading;
- then "Open in Colab" and Binder badges, and a setup cell that, on Google Colab only, installs this
  repository's helpers with pip and turns on Colab's widget manager; anywhere else it does nothing;
- bottom: the same navigation line.
These cells are for readers of the notebook itself (JupyterLab, Notebook 7, Colab, GitHub); the course site
(`python -m tools.site`) leaves them out, since Jupyter Book draws its own navigation and launch buttons.
Generated cells carry the tag "nav" and a fixed id, so a rerun replaces them instead of adding more:
running the script twice gives identical files. Every other cell keeps its source, outputs and
metadata; in an executed notebook the setup cell takes execution count 1 and the code cells after it
are renumbered, as a fresh top-to-bottom run would number them. `--check` changes nothing and exits 1
if a notebook is out of date.

A fork changes REPO_URL (and BRANCH, if its default branch is not main) below, then runs `make nav`.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

REPO_URL = "https://github.com/stable-gradients/stable-gradients"  # forks: change it here
BRANCH = "main"
NOTEBOOKS_IN_REPO = "notebooks"  # the notebooks' folder inside the repository
INDEX = "00_start_here.ipynb"    # the contents page every navigation line links to
TAG = "nav"
PATTERN = "[0-9][0-9]_*.ipynb"

COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"
HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def github_path() -> str:
    """'owner/name' of REPO_URL."""
    return REPO_URL.rstrip("/").removesuffix(".git").split("github.com/", 1)[1]


def colab_url(name: str) -> str:
    return f"https://colab.research.google.com/github/{github_path()}/blob/{BRANCH}/{NOTEBOOKS_IN_REPO}/{name}"


def binder_url(name: str | None = None) -> str:
    url = f"https://mybinder.org/v2/gh/{github_path()}/{BRANCH}"
    return url + (f"?urlpath=lab/tree/{NOTEBOOKS_IN_REPO}/{name}" if name else "")


def is_generated(cell) -> bool:
    return TAG in cell.get("metadata", {}).get("tags", [])


def title(nb, fallback: str) -> str:
    """The text of the notebook's first markdown heading (generated cells skipped)."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not is_generated(cell):
            match = HEADING.search(cell.source)
            if match:
                return match.group(1).strip()
    return fallback


def _link_text(text: str) -> str:
    return text.replace("[", r"\[").replace("]", r"\]")


def nav_line(names: list[str], titles: dict[str, str], i: int) -> str:
    """Markdown: '← previous | contents | next →' for the i-th notebook of `names`."""
    name, parts = names[i], []
    if i > 0:
        prev = names[i - 1]
        parts.append(f"[← {_link_text(titles[prev])}]({prev})")
    if name == INDEX:
        parts.append("**Contents** (this page)")
    elif INDEX in names:
        parts.append(f"[Contents]({INDEX})")
    else:
        parts.append("[Contents](../README.md)")
    if i + 1 < len(names):
        nxt = names[i + 1]
        parts.append(f"[{_link_text(titles[nxt])} →]({nxt})")
    return " | ".join(parts)


def badges(name: str) -> str:
    return (f"[![Open In Colab]({COLAB_BADGE})]({colab_url(name)}) "
            f"[![Launch Binder]({BINDER_BADGE})]({binder_url(name)})\n\n"
            "To run this notebook in the cloud without installing anything: on Colab, run the cell "
            "below first (it installs the helpers and switches on the sliders); Binder is ready as it opens.")


def colab_setup() -> str:
    return (
        "# On Google Colab only: install this series' helpers from GitHub and turn on Colab's widget\n"
        "# manager, so the sliders work. Anywhere else (JupyterLab, Binder, Voila) this cell does nothing.\n"
        "try:\n"
        "    from google.colab import output as colab_output\n"
        "except ImportError:\n"
        "    pass\n"
        "else:\n"
        "    import subprocess, sys\n"
        "    subprocess.check_call([sys.executable, \"-m\", \"pip\", \"install\", \"--quiet\",\n"
        f"                           \"stable-gradients @ git+{REPO_URL}@{BRANCH}\"])\n"
        "    colab_output.enable_custom_widget_manager()"
    )


def _cell(nb, kind: str, cell_id: str, source: str):
    cell = {"cell_type": kind, "metadata": {"tags": [TAG]}, "source": source}
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    if nb.nbformat > 4 or nb.get("nbformat_minor", 0) >= 5:
        cell["id"] = cell_id  # fixed ids keep reruns identical
    return nbformat.from_dict(cell)


def _renumber(cells, setup) -> None:
    """Give `setup` count 1 and renumber the code cells after it, if the notebook was executed."""
    code = [c for c in cells if c.cell_type == "code" and c is not setup]
    counts = [c.execution_count for c in code]
    if not code or any(n is None for n in counts):
        return  # not executed (or partly): the next clean run numbers every cell
    if counts != sorted(counts) or len(set(counts)) != len(counts):
        setup.execution_count = None  # run out of order: leave it to the next clean run
        return
    setup.execution_count = 1
    for n, c in enumerate(code, start=2):
        c.execution_count = n
        for out in c.outputs:
            if out.get("output_type") == "execute_result":
                out["execution_count"] = n


def apply_nav(nb, names: list[str], titles: dict[str, str], i: int):
    """The notebook with its generated cells replaced (in place, and returned)."""
    name = names[i]
    body = [c for c in nb.cells if not is_generated(c)]
    line = nav_line(names, titles, i)
    setup = _cell(nb, "code", "colab-setup", colab_setup())
    old = [c for c in nb.cells if is_generated(c) and c.cell_type == "code"]
    if old:  # keep what a run recorded in its metadata (nbclient's timings), so reruns change nothing
        setup.metadata = {**old[0].metadata, "tags": old[0].metadata.get("tags", [TAG])}
    nb.cells = [_cell(nb, "markdown", "nav-top", line),
                _cell(nb, "markdown", "colab-badges", badges(name)),
                setup,
                *body,
                _cell(nb, "markdown", "nav-bottom", line)]
    _renumber(nb.cells, setup)
    return nb


def run(folder: Path, check: bool = False, only=None) -> list[Path]:
    """Refresh every NN_*.ipynb of `folder` (or only the files named in `only`).

    Returns the files that changed (with check: that would change; nothing is written).
    """
    paths = sorted(folder.glob(PATTERN))
    names = [p.name for p in paths]
    notebooks = {p.name: nbformat.read(p, as_version=4) for p in paths}
    titles = {n: title(nb, n.removesuffix(".ipynb")) for n, nb in notebooks.items()}
    changed = []
    only = None if only is None else {Path(p).resolve() for p in only}
    for i, path in enumerate(paths):
        if only is not None and path.resolve() not in only:
            continue
        text = nbformat.writes(apply_nav(notebooks[path.name], names, titles, i))
        if not text.endswith("\n"):
            text += "\n"  # as nbformat.write saves it
        if path.read_text(encoding="utf-8") != text:
            changed.append(path)
            if not check:
                path.write_text(text, encoding="utf-8")
    return changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    args = [Path(a) for a in argv if a != "--check"] or [Path(__file__).resolve().parent.parent / "notebooks"]
    if len(args) == 1 and args[0].is_dir():
        folder, only = args[0], None
    else:
        bad = [a for a in args if not (a.is_file() and a.match(PATTERN))]
        folders = {a.resolve().parent for a in args}
        if bad or len(folders) != 1:
            print(f"give one folder of notebooks, or NN_*.ipynb files of one folder (not {bad or args})",
                  file=sys.stderr)
            return 2
        folder, only = folders.pop(), args
    changed = run(folder, check=check, only=only)
    verb = "out of date" if check else "updated"
    for p in changed:
        print(f"{p}: {verb}")
    if not changed:
        print(f"{folder}: navigation cells up to date")
    return 1 if check and changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
