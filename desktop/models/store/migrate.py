# SPDX-License-Identifier: GPL-3.0-or-later
"""Schema versions and the Alembic runner. Alembic is imported only when a migration runs."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from sqlalchemy import Connection

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def _chain(folder: Path) -> tuple[str, ...]:
    """The revisions of the scripts in `folder`, oldest first, read from the scripts' own
    `revision` and `down_revision` lines (cheap: Alembic is not imported to open a file)."""
    parent_of: dict[str, str | None] = {}
    for script in folder.glob("*.py"):
        found = dict(
            re.findall(
                r'^(revision|down_revision) = "?([^"\n]*?)"?$',
                script.read_text(encoding="utf-8"),
                re.M,
            )
        )
        if "revision" in found:
            parent = found.get("down_revision")
            parent_of[found["revision"]] = None if parent in (None, "", "None") else parent
    children = {parent: child for child, parent in parent_of.items()}
    chain, current = [], children.get(None)
    while current is not None:
        chain.append(current)
        current = children.get(current)
    return tuple(chain)


#: Every revision this version of the app knows, oldest first; the last is the head. A new
#: migration script is all it takes; a test checks this against Alembic's own view.
REVISIONS: tuple[str, ...] = _chain(MIGRATIONS_DIR / "versions")
HEAD = REVISIONS[-1]


def _config(connection: Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, target: str = "head") -> None:
    """Bring the schema on `connection` up to `target` (inside the caller's transaction)."""
    from alembic import command

    log.info("migrating the database to %s", target)
    command.upgrade(_config(connection), target)


def script_heads() -> list[str]:
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())
