# SPDX-License-Identifier: GPL-3.0-or-later
"""Schema versions and the Alembic runner. Alembic is imported only when a migration runs."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Connection

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
#: Every revision this version of the app knows, oldest first; the last is the head.
#: A test checks this against Alembic's own view of the scripts.
REVISIONS: tuple[str, ...] = ("0001", "0002", "0004", "0005", "0006", "0007", "0008")
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
