"""The course site (`make html`): Jupyter Book 1 over the executed notebooks, offline, into site/.

    python -m tools.site [--out site] [--stage build/book] [--js tools/js/node_modules]

Nothing is executed: the pages show the notebooks as saved (`make notebooks`), and every explorer is
drawn live in the reader's browser from the widget state tools/run_notebooks.py saved. Each static figure is
its output's text/html (helpers/ui/alt.py: <img alt="what it shows">), which myst-nb prefers to image/png
(rendered as an <img> whose alt would be its file name). Jupyter Book
gives the sidebar table of contents, previous / next links, the offline search and the Binder / Colab
launch buttons. This script only stages what it builds, in build/book/:
- _config.yml from book/, with the repository's address taken from tools/nav.py (REPO_URL, BRANCH);
- _toc.yml generated from the folder: notebooks/NN_*.ipynb in order (00 is the landing page), then CLAIMS.md,
  so a notebook added to the folder is on the site with no other change;
- the notebooks without the cells tools/nav.py generates (previous / contents / next, the badges and the
  Colab set-up cell): on the site, Jupyter Book's own navigation and launch buttons do that, once;
- the JavaScript the pages load, from the npm packages of tools/js (`make js`): require.js,
  @jupyter-widgets/html-manager's embed-amd.js and MathJax 3, into assets/vendor/ (served as _static/vendor/).
Then it runs `jupyter-book build` and copies the HTML to --out.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import yaml

from tools import nav

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
JS = ROOT / "tools" / "js" / "node_modules"
# what the pages load, copied from the npm packages: (source under node_modules, destination under vendor/)
MATHJAX_PARTS = ["tex-mml-chtml.js", "input", "output", "a11y", "ui", "sre", "adaptors"]


def notebooks(folder: Path = ROOT / "notebooks") -> list[Path]:
    """Every notebooks/NN_*.ipynb, in order: the site's pages."""
    return sorted(folder.glob(nav.PATTERN))


def toc(pages: list[Path], claims: bool) -> dict:
    """The _toc.yml (jb-book): the first notebook is the landing page, the others its chapters, then the claims."""
    if not pages:
        raise SystemExit("no notebooks/NN_*.ipynb to publish")
    docs = [f"notebooks/{p.stem}" for p in pages]
    chapters = [{"file": d} for d in docs[1:]] + ([{"file": "CLAIMS"}] if claims else [])
    return {"format": "jb-book", "root": docs[0], "chapters": chapters}


def config() -> dict:
    cfg = yaml.safe_load((BOOK / "_config.yml").read_text(encoding="utf-8"))
    cfg["repository"].update(url=nav.REPO_URL, branch=nav.BRANCH)
    return cfg


def strip_nav(nb):
    """The notebook without tools/nav.py's generated cells (shown once on the site, by Jupyter Book)."""
    nb.cells = [c for c in nb.cells if not nav.is_generated(c)]
    return nb


def copy_js(js: Path, dest: Path) -> None:
    """require.js, html-manager's embed-amd.js (with its fonts) and MathJax 3 into dest (assets/vendor)."""
    manager = js / "@jupyter-widgets" / "html-manager" / "dist"
    sources = [js / "requirejs" / "require.js", manager / "embed-amd.js", js / "mathjax" / "es5" / "tex-mml-chtml.js"]
    missing = [str(p) for p in sources if not p.exists()]
    if missing:
        raise SystemExit(f"missing {', '.join(missing)}: install the site's JavaScript first with `make js` "
                         f"(npm ci in tools/js)")
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(sources[0], dest / "require.js")
    # only embed-amd.js and the fonts it references: html-manager's other bundles would render widgets again
    shutil.copytree(manager, dest / "html-manager",
                    ignore=lambda d, names: [n for n in names if n.endswith((".map", ".md")) or
                                             (n.endswith(".js") and n != "embed-amd.js")])
    (dest / "mathjax").mkdir()
    for part in MATHJAX_PARTS:
        src = js / "mathjax" / "es5" / part
        if src.is_dir():
            shutil.copytree(src, dest / "mathjax" / part)
        elif src.exists():
            shutil.copy(src, dest / "mathjax" / part)


def stage(stage_dir: Path, js: Path = JS, pages: list[Path] | None = None) -> Path:
    """Write the book's source into stage_dir (emptied first); return it."""
    pages = notebooks() if pages is None else pages
    shutil.rmtree(stage_dir, ignore_errors=True)
    (stage_dir / "notebooks").mkdir(parents=True)
    if (stage_dir / "_static").exists():  # never: see book/_config.yml
        raise SystemExit("a _static folder in the book would load every widget bundle on every page")
    claims = ROOT / "CLAIMS.md"
    (stage_dir / "_config.yml").write_text(yaml.safe_dump(config(), sort_keys=False), encoding="utf-8")
    (stage_dir / "_toc.yml").write_text(yaml.safe_dump(toc(pages, claims.exists()), sort_keys=False),
                                        encoding="utf-8")
    for path in pages:
        nbformat.write(strip_nav(nbformat.read(path, as_version=4)), stage_dir / "notebooks" / path.name)
    if claims.exists():
        shutil.copy(claims, stage_dir / "CLAIMS.md")
    shutil.copytree(BOOK / "assets", stage_dir / "assets")
    copy_js(js, stage_dir / "assets" / "vendor")
    return stage_dir


def build(out: Path, stage_dir: Path, js: Path = JS, pages: list[Path] | None = None) -> Path:
    """Stage, run Jupyter Book (warnings are errors), copy the HTML to `out`; return out/index.html."""
    src = stage(stage_dir, js, pages)
    jb = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jb) if jb.exists() else "jupyter-book", "build", str(src), "--builder", "html",
           "--warningiserror", "--keep-going", "--quiet"]
    run = subprocess.run(cmd, cwd=src, capture_output=True, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stdout[-4000:] + run.stderr[-4000:])
        raise SystemExit(f"jupyter-book build failed ({run.returncode})")
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(src / "_build" / "html", out, ignore=shutil.ignore_patterns(".buildinfo", ".doctrees"))
    widget_fonts(out)
    return out / "index.html"


def widget_fonts(out: Path) -> None:
    """embed-amd.js asks for its icon fonts at @jupyter-widgets/html-manager/dist/ relative to the page, so
    each folder of pages gets a copy (else every explorer page logs 404s for them)."""
    fonts = out / "_static" / "vendor" / "html-manager"
    names = [p for p in fonts.iterdir() if p.suffix in (".woff", ".woff2", ".ttf", ".eot", ".svg")]
    for folder in {p.parent for p in out.rglob("*.html")} - {out / "_static"}:
        if "_static" in folder.relative_to(out).parts:
            continue
        dest = folder / "@jupyter-widgets" / "html-manager" / "dist"
        dest.mkdir(parents=True, exist_ok=True)
        for p in names:
            shutil.copy(p, dest / p.name)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--stage", type=Path, default=ROOT / "build" / "book")
    parser.add_argument("--js", type=Path, default=JS, help="node_modules holding the site's npm packages")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    index = build(args.out, args.stage, args.js)
    print(f"{index} ({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
