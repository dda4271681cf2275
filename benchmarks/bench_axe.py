"""Accessibility counts (issue 17): axe-core's WCAG 2.1 A/AA violations by page type, impact and cause.

Nothing is measured here: the browser tests (tests/test_browser.py, tests/test_site.py) run axe-core and write
benchmarks/axe_counts.json (git-ignored); this turns the last counts into a table for RESULTS.md.
"""
from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
AXE_FILE = HERE / "axe_counts.json"
IMPACTS = ("critical", "serious", "moderate", "minor")
CAUSES = (("ours", "the series' content"), ("ours, pending", "ours, fix pending"),
          ("ipywidgets", "ipywidgets' own markup"), ("frontend", "the front end's own page"))
WHERE = {"site": "course site (make html)", "jupyterlab": "JupyterLab, a notebook's outputs",
         "voila": "Voila, a notebook", "notebook7": "Notebook 7, a notebook's outputs"}


def counts(pages):
    """{cause: {impact: n}} summed over `pages`."""
    total = {cause: dict.fromkeys(IMPACTS, 0) for cause, _ in CAUSES}
    for p in pages:
        for cause, by_impact in p.get("counts", {}).items():
            for impact, n in by_impact.items():
                total.setdefault(cause, dict.fromkeys(IMPACTS, 0))[impact] = total[cause].get(impact, 0) + n
    return total


def report(lines):
    lines.append("## Accessibility: axe-core (WCAG 2.1 A and AA) violations by page type, impact and cause\n")
    try:
        data = json.loads(AXE_FILE.read_text())
    except (OSError, ValueError):
        lines.append("No counts: the browser tests write benchmarks/axe_counts.json (`make test`, or "
                     "`pytest tests/test_browser.py tests/test_site.py`).\n")
        return lines
    pages = data.get("pages", [])
    lines.append(f"From benchmarks/axe_counts.json, written by the browser tests on {data.get('when', '?')} "
                 f"(ipywidgets {data.get('ipywidgets', '?')}). One violation per element; each cell is critical / "
                 "serious / moderate / minor. Issue 17's target: 0 serious or critical from the series' content.\n")
    lines.append("| page type | pages | " + " | ".join(label for _, label in CAUSES) + " |")
    lines.append("|---|---|" + "---|" * len(CAUSES))
    kinds = sorted({p["where"] for p in pages}, key=lambda w: list(WHERE).index(w) if w in WHERE else 99)
    for where in kinds + ["all"]:
        chosen = pages if where == "all" else [p for p in pages if p["where"] == where]
        c = counts(chosen)
        name = "**all**" if where == "all" else WHERE.get(where, where)
        lines.append(f"| {name} | {len(chosen)} | "
                     + " | ".join(" / ".join(str(c[cause][i]) for i in IMPACTS) for cause, _ in CAUSES) + " |")
    ours = counts(pages)["ours"]
    lines.append(f"\nSerious or critical from the series' own content: {ours['serious'] + ours['critical']} "
                 f"(target 0); with fixes pending: "
                 f"{sum(counts(pages)['ours, pending'][i] for i in ('serious', 'critical'))}.\n")
    known = data.get("known_ipywidgets_markup", [])
    if known:
        lines.append(f"Left from ipywidgets {data.get('ipywidgets', '?')}'s own markup (not fixable from the series; "
                     "the tests keep counting them, so a fixed release shows up):\n")
        lines.append("| rule | element | count by page type | cause |")
        lines.append("|---|---|---|---|")
        for k in known:
            by_where = {}
            for p in pages:
                n = sum(1 for e in p.get("ipywidgets_elements", []) if e["rule"] == k["rule"])
                if n:
                    by_where[p["where"]] = by_where.get(p["where"], 0) + n
            where = ", ".join(f"{w} {n}" for w, n in by_where.items()) or "none now"
            lines.append(f"| {k['rule']} | `{k['element']}` | {where} | {k['why']} |")
        lines.append("")
    pending = data.get("ours_fix_pending", [])
    if pending:
        lines.append("Ours, with a fix pending:\n")
        lines += [f"- {k['rule']} on `{k['element']}`: {k['why']}" for k in pending]
        lines.append("")
    frontend = {}
    for p in pages:
        for rule, n in p.get("rules", {}).get("frontend", {}).items():
            frontend.setdefault(p["where"], {}).setdefault(rule, 0)
            frontend[p["where"]][rule] += n
    if frontend:
        lines.append("The front ends' own pages (outside the notebook's outputs; not the series' content): "
                     + "; ".join(f"{w}: " + ", ".join(f"{r} x{n}" for r, n in rules.items())
                                 for w, rules in frontend.items()) + ".\n")
    return lines


if __name__ == "__main__":
    print("\n".join(report([])))
