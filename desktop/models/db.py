# SPDX-License-Identifier: GPL-3.0-or-later
"""Opening the data file: checks, migrations, the engine, and units of work.

`Database.open()` refuses, with a clear `DatabaseError`, a file that is locked, read-only,
damaged, foreign or written by a newer version; it migrates an older one after copying it aside.
Writes go through `unit_of_work()`, which begins with `BEGIN IMMEDIATE` so two writers meet at
the start of a transaction instead of failing half-way, and which maps SQLite's failures to
`UserError`s.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc, select
from sqlalchemy.orm import Session, sessionmaker

from desktop import errors, paths
from desktop.models import changelog, migrate
from desktop.models.base import uuid7
from desktop.models.changelog import Replica

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_S = 10


def _classify(error: BaseException, path: Path) -> errors.DatabaseError | None:
    """The user-facing error for a SQLite failure, or None when it is a bug."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return errors.DatabaseLocked(path)
    if "readonly" in text or "read-only" in text:
        return errors.DatabaseReadOnly(path)
    if "disk is full" in text or "database or disk is full" in text:
        return errors.DiskFull()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return errors.DatabaseCorrupt(path, str(error))
    if "unable to open" in text:
        return errors.DatabaseReadOnly(path)
    return None


@contextlib.contextmanager
def _translate_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except (sqlite3.Error, exc.OperationalError, exc.DatabaseError) as error:
        mapped = _classify(error, path)
        if mapped is None:
            raise
        raise mapped from error
    except OSError as error:
        if error.errno == 28:  # ENOSPC
            raise errors.DiskFull() from error
        raise


def _probe(path: Path) -> str | None:
    """Check an existing file before SQLAlchemy touches it; returns its schema revision."""
    if path.stat().st_size > 0:
        with path.open("rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                raise errors.DatabaseCorrupt(path, "not a SQLite file")
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        raise errors.DatabaseReadOnly(path)
    with _translate_errors(path):
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
        try:
            # quick_check is the integrity check that scales: it skips index-content checks.
            result = [row[0] for row in conn.execute("PRAGMA quick_check")]
            if result != ["ok"]:
                raise errors.DatabaseCorrupt(path, "; ".join(result[:3]))
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                if tables:
                    raise errors.DatabaseCorrupt(path, "not a Red Steward data file")
                return None
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return row[0] if row else None
        finally:
            conn.close()


def backup_copy(engine_or_path: Engine | Path, target: Path) -> Path:
    """A consistent copy of the live database made with SQLite's online backup."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source_path = (
        Path(engine_or_path.url.database or "")
        if isinstance(engine_or_path, Engine)
        else engine_or_path
    )
    source = sqlite3.connect(source_path, timeout=BUSY_TIMEOUT_S)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    return target


def _make_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}", connect_args={"timeout": BUSY_TIMEOUT_S}, future=True
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        # Take transaction control from the driver so that BEGIN IMMEDIATE is possible.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


class Database:
    """One open data file, with its sessionmakers and the local replica's id."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )
        changelog.install(self._writer)
        changelog.install(self._reader)  # a stray write through a reader is still logged
        #: The wall clock (Unix ms) the change log stamps with; tests set a skewed one.
        self.wall_clock: Callable[[], int] | None = None
        self.replica_id = self._ensure_replica()

    @classmethod
    def open(cls, folder: Path | None = None, *, create: bool = True) -> Database:
        """Open (or create) the data file in `folder`, migrating it when it is older."""
        folder = folder or paths.data_dir()
        path = paths.database_path(folder)
        existed = path.exists() and path.stat().st_size > 0
        if not existed and not create:
            raise errors.NoBranch(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise errors.DatabaseReadOnly(folder) from error
        revision = _probe(path) if existed else None
        if revision is not None and revision not in migrate.REVISIONS:
            raise errors.DatabaseTooNew(path, revision)
        engine = _make_engine(path)
        if revision != migrate.HEAD:
            if existed and revision is not None:
                stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                copy = paths.backup_dir(folder) / f"before-upgrade-{revision}-{stamp}.sqlite3"
                with _translate_errors(path):
                    backup_copy(path, copy)
                log.info("copied the database to %s before migrating", copy)
            with _translate_errors(path), engine.begin() as connection:
                migrate.upgrade(connection)
        return cls(path, engine)

    def _ensure_replica(self) -> uuid.UUID:
        with self.read() as session:
            local = session.scalar(select(Replica.id).where(Replica.is_local))
        if local is not None:
            return local
        with self.unit_of_work() as session:
            replica = Replica(id=uuid7(), name=os.uname().nodename if hasattr(os, "uname")
                              else os.environ.get("COMPUTERNAME", ""), is_local=True)
            session.add(replica)
        log.info("created the local replica %s", replica.id)
        return replica.id

    @contextlib.contextmanager
    def unit_of_work(self, actor: str | None = None) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back (with its log) on any error."""
        with _translate_errors(self.path), self._writer.begin() as session:
            session.info["actor"] = actor
            session.info["wall_clock"] = self.wall_clock
            yield session

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (its transaction is rolled back at the end)."""
        with _translate_errors(self.path), self._reader() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
