"""A static HTML site of the executed notebooks (`make html`): site/index.html and one page each.

    python tools/build_html.py [NOTEBOOK ...] [--out site] [--widgets-js DIR]

Pages are exported with nbconvert's lab template from the notebooks as saved (run
`make notebooks` first: nothing is executed here). The widget state that tools/run_notebooks.py
saved is embedded, so each explorer shows its first figure, with its controls frozen:
- the reader's browser loads the widget renderer (@jupyter-widgets/html-manager, and require.js)
  from a CDN, as nbconvert does by default; with `--widgets-js DIR` they come from DIR instead
  and are copied into the site, which then works offline. DIR holds html-manager's dist/ files
  (embed-amd.js ...) and require.js, e.g. from `npm pack @jupyter-widgets/html-manager requirejs`;
- every explorer's figure is also put in the page as a plain image, shown until (unless) the
  renderer draws the live widget, so the figure is there even without JavaScript or network.
Links between notebooks point to the pages; CLAIMS.md becomes CLAIMS.html.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown import markdown2html

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nav  # noqa: E402  (titles, and the Colab / Binder links)

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
LINKS = [(re.compile(r"\]\((\d\d_[\w-]+)\.ipynb(#[^)]*)?\)"), r"](\1.html\2)"),
         (re.compile(r"\]\(\.\./CLAIMS\.md(#[^)]*)?\)"), r"](CLAIMS.html\1)"),
         (re.compile(r"\]\(\.\./README\.md(#[^)]*)?\)"), r"](index.html\1)")]
# the plain image of a figure, hidden once the live widget is drawn next to it
FALLBACK_CSS = """<style>
.sg-fallback { max-width: 100%; height: auto; display: block; }
.jupyter-widgets:has(.widget-image, .jupyter-widget-image, .lm-Widget) > .sg-fallback { display: none; }
</style>"""
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: .3rem .5rem; vertical-align: top; }}
li {{ margin-bottom: .6rem; }} code {{ background: #f4f4f4; padding: 0 .2rem; }}
</style></head>
<body>
{body}
</body></html>
"""


def link_pages(nb):
    """Point markdown links at the site's pages instead of the .ipynb and .md files."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for pattern, repl in LINKS:
                cell.source = pattern.sub(repl, cell.source)
    return nb


def widget_images(nb) -> dict[str, list[str]]:
    """{model id of a displayed widget: [base64 PNG of every Image widget inside it]} from the saved state."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})

    def images(model_id, seen):
        if model_id in seen or model_id not in state:
            return []
        seen.add(model_id)
        model = state[model_id]
        if model.get("model_name") == "ImageModel":
            return [b["data"] for b in model.get("buffers", []) if b.get("path") == ["value"]
                    and b.get("encoding") == "base64"]
        found = []
        for value in model.get("state", {}).values():
            refs = value if isinstance(value, list) else [value]
            for ref in refs:
                if isinstance(ref, str) and ref.startswith("IPY_MODEL_"):
                    found += images(ref.removeprefix("IPY_MODEL_"), seen)
        return found

    shown = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view:
                model_id = (json.loads(view) if isinstance(view, str) else view).get("model_id")
                shown[model_id] = images(model_id, set())
    return shown


def add_fallbacks(page: str, shown: dict[str, list[str]]) -> str:
    """Put each explorer's figure(s) as <img> beside its widget-view script in the exported page."""
    def insert(match):
        model_id = json.loads(match.group(2)).get("model_id")
        imgs = "".join(f'<img class="sg-fallback" alt="the explorer\'s first figure" '
                       f'src="data:image/png;base64,{png}">' for png in shown.get(model_id, []))
        return match.group(0) + imgs

    page = re.sub(r'(<script type="' + re.escape(WIDGET_VIEW) + r'">)(.*?)</script>', insert, page,
                  flags=re.S)
    return page.replace("</head>", FALLBACK_CSS + "\n</head>", 1)


def exporter(widgets_js: bool) -> HTMLExporter:
    exp = HTMLExporter(template_name="lab")
    if widgets_js:
        exp.widget_renderer_url = "_static/html-manager/embed-amd.js"
        exp.require_js_url = "_static/require.js"
    return exp


def copy_widgets_js(src: Path, out: Path) -> None:
    embed = next(src.rglob("embed-amd.js"), None)
    require = next((p for name in ("require.min.js", "require.js") for p in src.rglob(name)), None)
    if embed is None or require is None:
        raise SystemExit(f"--widgets-js {src}: needs html-manager's embed-amd.js and require.js inside")
    dest = out / "_static" / "html-manager"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(embed.parent, dest, ignore=shutil.ignore_patterns("*.map"))
    shutil.copy(require, out / "_static" / "require.js")


def summary(nb) -> str:
    """The first paragraph after the notebook's title, as plain markdown."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not nav.is_generated(cell) and nav.HEADING.search(cell.source):
            rest = nav.HEADING.sub("", cell.source, count=1).strip()
            return rest.split("\n\n")[0] if rest else ""
    return ""


def index_page(entries, claims: bool) -> str:
    items = "\n".join(f'<li><a href="{html.escape(page)}">{html.escape(title)}</a><br>{markdown2html(text)}</li>'
                      for page, title, text in entries)
    live = (f'Run them live, with working sliders: <a href="{nav.binder_url()}">Binder</a>, or '
            f'<a href="{nav.colab_url(nav.INDEX)}">Colab</a> (run its first code cell), or locally with '
            f'<code>make lab</code>. <a href="{nav.REPO_URL}">Source on GitHub</a>.')
    body = (f"<h1>Stable Gradients</h1>\n<p>Interactive notebooks on why deep networks' gradients vanish or explode, "
            f"and how weight initialization and activation functions fix it.</p>\n"
            f"<p>These pages are the notebooks as executed: each explorer shows its first figure, with its "
            f"controls frozen. {live}</p>\n<ul>\n{items}\n</ul>\n"
            + ('<p><a href="CLAIMS.html">The claims the series demonstrates</a></p>\n' if claims else ""))
    return PAGE.format(title="Stable Gradients", body=body)


def build(paths, out: Path, widgets_js: Path | None = None) -> list[Path]:
    """Write one page per notebook, index.html and CLAIMS.html into `out`; return the pages written."""
    out.mkdir(parents=True, exist_ok=True)
    if widgets_js:
        copy_widgets_js(widgets_js, out)
    exp, written, entries = exporter(widgets_js is not None), [], []
    for path in map(Path, paths):
        nb = nbformat.read(path, as_version=4)
        shown = widget_images(nb)
        body, _ = exp.from_notebook_node(link_pages(nb), resources={"metadata": {"name": path.stem}})
        page = out / f"{path.stem}.html"
        page.write_text(add_fallbacks(body, shown), encoding="utf-8")
        written.append(page)
        entries.append((page.name, nav.title(nb, path.stem), summary(nb)))
    claims = ROOT / "CLAIMS.md"
    if claims.exists():
        (out / "CLAIMS.html").write_text(
            PAGE.format(title="Claims - Stable Gradients",
                        body='<p><a href="index.html">← Stable Gradients</a></p>\n'
                             + markdown2html(claims.read_text(encoding="utf-8"))), encoding="utf-8")
    (out / "index.html").write_text(index_page(entries, claims.exists()), encoding="utf-8")
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        default=sorted((ROOT / "notebooks").glob(nav.PATTERN)))
    parser.add_argument("--out", type=Path, default=ROOT / "site")
    parser.add_argument("--widgets-js", type=Path, default=None, metavar="DIR")
    args = parser.parse_args(argv)
    for page in build(args.notebooks, args.out, args.widgets_js):
        print(page)
    print(args.out / "index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
