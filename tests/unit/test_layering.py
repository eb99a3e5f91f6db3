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
CORE += [ROOT / name for name in ("paths.py", "i18n.py", "errors.py", "__init__.py")]


CLI = sorted((ROOT / "cli").rglob("*.py"))


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
    for path in [*(ROOT / "tabular").rglob("*.py"), *CLI]:
        top_level = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                top_level.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                top_level.add(node.module)
        assert not {m for m in top_level if m.split(".")[0] in ("openpyxl", "xlrd")}, path


# ----------------------------------------------------------------------------- the command line


def _session_use(path: Path) -> set[str]:
    """How a module reaches the database itself: `db.read()`, `….db.unit_of_work()`, any
    `unit_of_work`/`bookkeeping`/`select(`, or a name `session`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, receiver = node.func.attr, ast.unparse(node.func.value)
            if name in ("unit_of_work", "bookkeeping", "execute", "scalar", "scalars"):
                found.add(f"{receiver}.{name}(")
            elif name == "read" and (receiver == "db" or receiver.endswith(".db")):
                found.add(f"{receiver}.read(")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "select":
            found.add("select(")
        elif isinstance(node, ast.Name) and node.id == "session":
            found.add("session")
    return found


def _top_level_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_every_cli_module_is_checked():
    assert len(CLI) >= 15, "the command modules moved: point CLI at them"
    assert ROOT / "cli" / "main.py" in CLI


@pytest.mark.parametrize("path", CLI, ids=lambda p: str(p.relative_to(ROOT)))
def test_cli_modules_call_services_only(path):
    """A command is a thin shell over the services the window uses: no Qt (the `gui` command
    opens the window lazily), no SQLAlchemy, no session of its own."""
    found = imports(path)
    qt = {m for m in found if m.startswith(("PySide6", "desktop.views"))}
    if path.name == "gui.py":
        qt.discard("desktop.views.app")
    assert not qt
    assert not {m for m in found if m.split(".")[0] == "sqlalchemy"}
    assert not _session_use(path)


@pytest.mark.parametrize("path", CLI, ids=lambda p: str(p.relative_to(ROOT)))
def test_cli_modules_import_heavy_libraries_lazily(path):
    """Building the parser (every start, `--help`, `--version`) loads no heavy library and
    not the data core; a handler imports what it needs."""
    heavy = ("PySide6", "openpyxl", "xlrd", "reportlab", "alembic", "fastapi", "uvicorn")
    top = _top_level_imports(path)
    assert not {m for m in top if m.split(".")[0] in (*heavy, "sqlalchemy")}
    assert not {m for m in top if m.startswith(("desktop.models", "desktop.services"))}


@pytest.mark.parametrize("path", CLI, ids=lambda p: str(p.relative_to(ROOT)))
def test_cli_modules_do_not_import_main_back(path):
    """`cli.main` holds the table of command modules; a module importing it back is a circle."""
    if path.name != "main.py":
        assert "desktop.cli.main" not in imports(path)


def test_the_cli_table_is_explicit():
    """The command modules are imported by name in `cli.main`, never looked up by string."""
    source = (ROOT / "cli" / "main.py").read_text(encoding="utf-8")
    assert "importlib" not in source and "__import__" not in source
    listed = {
        alias.name
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom) and node.module == "desktop.cli"
        for alias in node.names
    }
    modules = {p.stem for p in CLI} - {"__init__", "main", "common"}
    assert listed == modules
