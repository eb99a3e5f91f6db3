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
    if path.name in ("gui.py", "selftest.py"):  # the window, lazily (selftest opens it once)
        qt -= {"desktop.views.app", "desktop.views.fonts", "desktop.views.tasks"}
        qt -= {"PySide6.QtCore", "PySide6.QtWidgets"} if path.name == "selftest.py" else set()
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


# ---------------------------------------------------------------------- views/<area> → its area

#: Which part of the core each page area belongs to. A `views/<area>` package imports from the
#: core only its own area's `service` (by injection, so mostly for type hints) and `rows` (the
#: read models); every other module of the core is reached through those.
VIEW_AREAS = {
    "members": "desktop.models.register",
    "groups": "desktop.models.register",
    "stewards": "desktop.models.stewards",
    "printing": "desktop.models.documents",
    "security": "desktop.models.audit",
    "sync": "desktop.sync",
    "tabular": "desktop.tabular",
    "assessment": "desktop.models.assessment",
    "meetings": "desktop.models.meetings",
}
CORE_PACKAGES = ("desktop.models", "desktop.sync", "desktop.hub", "desktop.tabular")
#: Every page may use these: the export button, and the one module that names tables, fields
#: and records for people (the dialogs' labels, the conflicts view).
SHARED = {"desktop.tabular.service", "desktop.models.labels"}
#: The data-safety pages look after the data file itself: signing in opens it (db), with
#: credentials (keyring), accounts and backups are the file's own services.
STORE_FOR_SECURITY = {
    "desktop.models.store.accounts",
    "desktop.models.store.backup",
    "desktop.models.store.db",
    "desktop.models.store.salvage",
    "desktop.models.store.keyring",
    # The audit area keeps its read model (AuditEntry, AuditQuery) in trail.py.
    "desktop.models.audit.trail",
}
#: Known exceptions still to move behind their area's service or rows (issue #13). Each entry
#: is (page area, module); the list only shrinks.
NOT_YET = {
    ("sync", "desktop.sync.conflicts"),  # KEEP, REMOVE: the choice codes of a removal conflict
    ("sync", "desktop.sync.errors"),  # BranchNotNamed: trusting a card asks for a branch
    ("tabular", "desktop.tabular.headers"),
    ("tabular", "desktop.tabular.household_import"),
    ("tabular", "desktop.tabular.member_import"),
    ("tabular", "desktop.tabular.readers"),
    ("tabular", "desktop.tabular.report"),
}


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, also under `if TYPE_CHECKING:` and inside functions;
    `from package import module` counts as `package.module`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                module = f"{node.module}.{alias.name}"
                package = ROOT.parent / module.replace(".", "/")
                is_module = package.with_suffix(".py").exists() or package.is_dir()
                found.add(module if is_module else node.module)
    return found


def area_violations(area: str, folder: Path) -> set[tuple[str, str, str]]:
    own = VIEW_AREAS[area]
    allowed = {f"{own}.service", f"{own}.rows", f"{own}.readmodels", *SHARED}
    if area == "security":
        allowed |= STORE_FOR_SECURITY
    found = set()
    for path in folder.rglob("*.py"):
        for module in imported_modules(path):
            if (
                module.startswith(CORE_PACKAGES)
                and module not in allowed
                and (area, module) not in NOT_YET
            ):
                found.add((area, path.name, module))
    return found


@pytest.mark.parametrize("area", sorted(VIEW_AREAS))
def test_a_page_area_imports_only_its_own_service_and_rows(area):
    assert not area_violations(area, ROOT / "views" / area)


def test_every_page_area_is_mapped():
    areas = {p.name for p in (ROOT / "views").iterdir() if (p / "__init__.py").exists()}
    shared = {"qtmodels", "settings", "widgets"}  # Qt helpers and per-machine settings
    assert areas - shared <= set(VIEW_AREAS), areas - shared - set(VIEW_AREAS)


def test_the_area_check_catches_a_stray_import(tmp_path):
    (tmp_path / "page.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from desktop.models.register import validation\n",
        encoding="utf-8",
    )
    assert area_violations("members", tmp_path) == {
        ("members", "page.py", "desktop.models.register.validation")
    }
