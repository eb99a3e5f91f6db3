# SPDX-License-Identifier: GPL-3.0-or-later
"""The core never imports Qt or the views; printing sees only the read models."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "desktop"
CORE = [
    p
    for sub in ("models", "printing", "sync", "hub", "tabular")
    for p in (ROOT / sub).rglob("*.py")
]
CORE += [
    ROOT / name
    for name in ("cli.py", "paths.py", "i18n.py", "errors.py", "__init__.py", "cli_tabular.py")
]


def imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_modules_do_not_import_qt(path):
    bad = {m for m in imports(path) if m.startswith(("PySide6", "desktop.views"))}
    if path.name == "cli.py":
        bad.discard("desktop.views.app")  # opened lazily by the `gui` command only
    assert not bad


def test_printing_uses_only_read_models():
    for path in (ROOT / "printing").rglob("*.py"):
        bad = {
            m
            for m in imports(path)
            if m.startswith("desktop.models") and m != "desktop.models.documents.rows"
        }
        assert not bad, path


def test_spreadsheet_libraries_are_imported_lazily():
    """openpyxl and xlrd take a fifth of a second to import: only readers and writers load them."""
    for path in [*(ROOT / "tabular").rglob("*.py"), ROOT / "cli_tabular.py", ROOT / "cli.py"]:
        top_level = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                top_level.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                top_level.add(node.module)
        assert not {m for m in top_level if m.split(".")[0] in ("openpyxl", "xlrd")}, path
