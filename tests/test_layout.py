"""The architecture of `helpers`, checked: layers import only downward, no private name crosses a module,
no file passes 250 lines, and nothing changes process-wide state on import (issue 11)."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

HELPERS = Path(__file__).resolve().parent.parent / "helpers"
FILES = sorted(HELPERS.rglob("*.py"))


def _layer(path: Path) -> str:
    parts = path.relative_to(HELPERS).parts
    return parts[0] if len(parts) > 1 else "top"


def _imports(path: Path):
    """(module it imports from, names) for every `from ... import ...` inside helpers."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = path.parent
            for _ in range(node.level - 1):
                base = base.parent
            target = base.joinpath(*(node.module or "").split(".")) if node.module else base
            yield target, [a.name for a in node.names]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(HELPERS)))
def test_layers_import_only_downward_and_no_private_names(path):
    layer = _layer(path)
    for target, names in _imports(path):
        rel = target.relative_to(HELPERS).parts if target != HELPERS else ()
        dest = rel[0] if rel else "top"
        if layer == "core":
            assert dest == "core", f"{path.name}: the core imports from {dest}"
        elif layer == "ui":
            assert dest in ("core", "ui"), f"{path.name}: the UI layer imports from {dest}"
        elif layer.startswith("nb"):
            assert dest in ("core", "ui", layer), f"{path.name}: a notebook package imports from {dest}"
        module_level = len(rel) > 1 or (rel and not (HELPERS.joinpath(*rel)).is_dir())
        private = [n for n in names if n.startswith("_") and n != "__version__"]
        assert not (private and module_level and target.with_suffix(".py") != path.with_suffix(".py")), \
            f"{path.name} imports private names {private} from {'/'.join(rel)}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(HELPERS)))
def test_no_file_passes_250_lines(path):
    assert len(path.read_text().splitlines()) <= 250


def test_importing_helpers_changes_no_global_state():
    code = ("import matplotlib as mpl, numpy as np; before = dict(mpl.rcParams); err = np.geterr(); "
            "import helpers; assert dict(mpl.rcParams) == before, 'rcParams changed'; "
            "assert np.geterr() == err, 'numpy error state changed'")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=HELPERS.parent)


def test_at_most_90_public_names_and_no_stray_modules():
    import types

    import helpers as hp
    names = [n for n in dir(hp) if not n.startswith("_")]
    assert len(names) <= 90
    modules = {n for n in names if isinstance(getattr(hp, n), types.ModuleType)}
    allowed = {"core", "ui"} | {n for n in modules if n.startswith("nb") or (n.startswith("ex") and n[2:].isdigit())}
    assert modules <= allowed, f"modules exposed at the top level: {sorted(modules - allowed)}"
