# SPDX-License-Identifier: GPL-3.0-or-later
"""A hub's data on a PostgreSQL server instead of the SQLite file (`hub serve --db URL`).

A county hub outgrows one file: PostgreSQL takes many writers' connections, online backups
(pg_dump, WAL archiving) and a database administrator's tooling. Everything above the engine
(the change log, merge, sync, migrations) is the same code; the differences are kept here and
in `desktop.models.store.portable`:

- The data folder still holds the key file (accounts, roles, the data key). The server's address,
  which carries its password, is stored in the folder sealed with the data key
  (`server-database.sealed`), so `sync trust` and later `hub serve` on that folder find it
  without the password lying in clear on the disk.
- Writers are serialised as on SQLite (`BEGIN IMMEDIATE`): each write transaction first takes a
  transaction-scoped advisory lock, so two exchanges never allocate the same sequence numbers.
- Encryption at rest is the server's (an encrypted volume under its data directory); see
  docs/sync.md.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, inspect
from sqlalchemy.engine import make_url

from desktop import errors
from desktop.i18n import _

log = logging.getLogger(__name__)

SEALED_NAME = "server-database.sealed"
#: The advisory lock every write transaction takes (any constant shared by all hub processes).
WRITER_LOCK = 0x5265_6453_7465_7764  # "RedStewd"
_AAD = b"red-steward server database url v1"


class ServerDatabaseError(errors.DatabaseError):
    pass


class UnsupportedDatabaseUrl(ServerDatabaseError):
    def __init__(self, url: str) -> None:
        super().__init__(
            _(
                "The database address {url} is not one the hub can use. Give a PostgreSQL address "
                "such as postgresql://user:password@host/red_steward, or leave out --db to keep "
                "the data in the data folder."
            ).format(url=url)
        )


class ServerUnreachable(ServerDatabaseError):
    def __init__(self, url: str, detail: str) -> None:
        super().__init__(
            _(
                "The database server at {url} cannot be used: {detail}. Check that it is running, "
                "and the address, user and password."
            ).format(url=url, detail=detail)
        )
        self.detail = detail


class FolderHoldsFile(ServerDatabaseError):
    def __init__(self, folder: object) -> None:
        super().__init__(
            _(
                "The data folder {folder} already keeps its data in a file. A hub keeps its data "
                "in one place: use a new data folder for a hub on a database server."
            ).format(folder=folder)
        )


def is_server_url(url: str | None) -> bool:
    return bool(url) and not str(url).startswith("sqlite")


def normalise(url: str) -> str:
    """`postgresql://…` means the psycopg 3 driver (SQLAlchemy would pick psycopg2)."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError as error:
        raise UnsupportedDatabaseUrl(url) from error
    if parsed.get_backend_name() != "postgresql":
        raise UnsupportedDatabaseUrl(shown(url))
    if parsed.get_driver_name() in ("", "psycopg2"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def shown(url: str) -> str:
    """The address as it may be printed or logged: never the password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return "?"


def sealed_path(folder: Path) -> Path:
    return folder / SEALED_NAME


def save_url(folder: Path, key: bytes, url: str) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, url.encode("utf-8"), _AAD)
    path = sealed_path(folder)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"nonce": nonce.hex(), "url": sealed.hex()}), "utf-8")
    os.replace(tmp, path)


def load_url(folder: Path, key: bytes) -> str | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    path = sealed_path(folder)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        return (
            AESGCM(key)
            .decrypt(bytes.fromhex(data["nonce"]), bytes.fromhex(data["url"]), _AAD)
            .decode("utf-8")
        )
    except (OSError, ValueError, KeyError, InvalidTag) as error:
        raise errors.DatabaseCorrupt(path, str(error)) from error


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True, pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # The writer sessionmaker asks for SQLite's BEGIN IMMEDIATE; here: one writer at a time.
        if conn.get_execution_options().get("sqlite_begin") == "IMMEDIATE":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")

    return engine


def revision(engine: Engine, url: str) -> str | None:
    """The schema revision on the server (None: an empty database). Refuses a database that
    holds other tables than ours, and maps a connection failure to a plain message."""
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if "alembic_version" not in tables:
                if tables:
                    raise errors.DatabaseCorrupt(shown(url), "not a Red Steward database")
                return None
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    except exc.OperationalError as error:
        detail = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise ServerUnreachable(shown(url), detail) from error
