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

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event, exc, select, text
from sqlalchemy.orm import Session, sessionmaker

from desktop import errors, paths
from desktop.i18n import _, format_datetime
from desktop.models.store import (
    changelog,
    clock,
    keyring,
    marker,
    migrate,
    portable,
    replica,
    server_store,
)
from desktop.models.store.base import uuid7
from desktop.models.store.changelog import Replica
from desktop.models.store.keyring import Account, Credentials, KeyFile

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
    except (sqlite3.Error, sqlcipher.Error, exc.OperationalError, exc.DatabaseError) as error:
        mapped = _classify(error, path)
        if mapped is None:
            raise
        raise mapped from error
    except OSError as error:
        if error.errno == 28:  # ENOSPC
            raise errors.DiskFull() from error
        raise


#: The page cache of each connection, in KiB.
CACHE_KIB = 32 * 1024


def connect_raw(
    path: Path, key: bytes | None, timeout: float | None = None, read_only: bool = False
) -> Any:
    """A DB-API connection to the (encrypted) file, keyed before anything else touches it.

    `read_only`: a file on a read-only medium, opened `immutable` (SQLite then creates no WAL or
    shm file beside it and takes no locks: nothing can change the file there anyway)."""
    conn = sqlcipher.connect(
        f"{path.resolve().as_uri()}?immutable=1" if read_only else str(path),
        timeout=BUSY_TIMEOUT_S if timeout is None else timeout,
        check_same_thread=False,
        uri=read_only,
    )
    # SQLCipher logs decryption failures to stderr itself; we report them as one clear line.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        # A raw 256-bit key (x'..'): SQLCipher skips its own PBKDF2, the key is already random.
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def _is_plain_sqlite(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_MAGIC


def _is_writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _quick_check(conn: Any, path: Path, error: type[errors.DatabaseCorrupt]) -> None:
    """SQLite's quick_check (the integrity check that scales: it skips index contents)."""
    result = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if result != ["ok"]:
        raise error(path, "; ".join(result[:3]))


def _probe(
    path: Path, key: bytes | None = None, read_only: bool = False, check: bool = False
) -> str | None:
    """Check an existing file before SQLAlchemy touches it; returns its schema revision.

    `key` None means a plain (unencrypted) SQLite file, as the first versions wrote. `check`
    runs the integrity check too: only before such a file is encrypted (once). Every other open
    leaves it to `Database.check_integrity` (the window runs it in the background once shown,
    each backup checks its copy in full): on a county-size file it took most of the start.
    """
    try:
        conn = connect_raw(path, key, read_only=read_only)
    except (sqlite3.Error, sqlcipher.Error) as error:
        raise _classify(error, path) or errors.DatabaseCorrupt(path, str(error)) from error
    try:
        if check:
            _quick_check(conn, path, errors.DatabaseCorrupt)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "alembic_version" not in tables:
            if tables:
                raise errors.DatabaseCorrupt(path, "not a Red Steward data file")
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except (sqlite3.Error, sqlcipher.Error) as error:
        # SQLCipher reports a page whose HMAC fails as a "logic error": damaged, too.
        raise _classify(error, path) or errors.DatabaseCorrupt(path, str(error)) from error
    finally:
        conn.close()


def _encrypt_plain_file(path: Path, key: bytes) -> None:
    """Encrypt a plain SQLite data file in place (SQLCipher's export), crash-safely.

    The encrypted copy is written beside it and renamed over it; a crash before the rename
    leaves the plain file, which the next start encrypts again with the same key.
    """
    tmp = path.with_name(path.name + ".encrypting")
    tmp.unlink(missing_ok=True)
    with _translate_errors(path):
        conn = connect_raw(path, None)
        try:
            conn.execute(f"ATTACH DATABASE '{tmp}' AS encrypted KEY \"x'{key.hex()}'\"")
            conn.execute("SELECT sqlcipher_export('encrypted')")
            conn.execute("DETACH DATABASE encrypted")
        finally:
            conn.close()
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        for suffix in ("-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        keyring.fsync_dir(path.parent)
    log.info("encrypted the data file %s", path)


def backup_copy(source: Database | Engine | Path, target: Path, key: bytes | None = None) -> Path:
    """A consistent copy of the live database made with SQLite's online backup.

    The copy is encrypted with the same key as the source (a plain source gives a plain copy).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(source, Database):
        source_path, key = source.path, source._key
    elif isinstance(source, Engine):
        source_path = Path(source.url.database or "")
    else:
        source_path = source
    src = connect_raw(source_path, key)
    dest = connect_raw(target, key)
    try:
        src.backup(dest)
    except (sqlite3.Error, sqlcipher.Error) as error:
        if _classify(error, source_path) is None:
            # Neither locked nor full: a page of the source failed to read (SQLCipher's HMAC
            # check says "SQL logic error"). The backup is where damage shows now that opening
            # no longer reads the whole file.
            raise errors.DatabaseDamaged(source_path, str(error)) from error
        raise
    finally:
        dest.close()
        src.close()
    return target


def _make_engine(path: Path, key: bytes | None = None, read_only: bool = False) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        module=sqlcipher,
        creator=lambda: connect_raw(path, key, read_only=read_only),
        future=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take transaction control from the driver so that BEGIN IMMEDIATE is possible.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        # Every page read is decrypted; SQLCipher's default cache (2 MiB) let a filter's index
        # walk decrypt the same pages again and again at county scale (#22). 32 MiB a connection.
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        if not read_only:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _sign_in(
    keys_path: Path, credentials: Credentials | None
) -> tuple[KeyFile, bytes, Account, str | None]:
    """Unlock the key file with the credentials (default: from the environment), or create it
    with them as the administrator: (keys, data key, account, recovery key if just created)."""
    credentials = credentials or Credentials.from_env()
    if credentials is None:
        raise errors.SignInRequired()
    if keys_path.exists():
        keys = KeyFile.load(keys_path)
        key, user = keys.unlock(credentials)
        return keys, key, user, None
    keys, key, recovery_key = KeyFile.create(keys_path, credentials)
    with _translate_errors(keys_path):
        keys.save()
    return keys, key, Account(credentials.username.strip(), keyring.ADMIN), recovery_key


def missing_changes(db: Database) -> str:
    """The sentence for a data file behind the app's own mark (`Database.missing_since`)."""
    when = db.missing_since
    return _(
        "Changes saved after {when} are missing from the data file {path}. Restore the newest "
        "backup (Data safety page, or red-steward restore --list) before changing anything."
    ).format(when=format_datetime(when) if when else "?", path=db.path)


class Database:
    """One open (and unlocked) data file, its sessionmakers, the local replica and the user.

    Each instance holds its own key: several databases can be open in one process.
    """

    def __init__(
        self,
        path: Path,
        engine: Engine,
        user: Account | None = None,
        key: bytes | None = None,
        keys: KeyFile | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = path
        #: The file is on a read-only medium: it is read, every write is refused.
        self.read_only = read_only
        self.engine = engine
        #: The signed-in account; None only for a Database built by hand around an engine.
        self.user = user
        self._key = key
        self.keys = keys
        #: Set only when this open created the key file: shown once, then forgotten.
        self.recovery_key: str | None = None
        #: The schema revision found before this open migrated it (None: new or current).
        self.migrated_from: str | None = None
        #: A hub's database server, as it may be shown (no password); None: the data file.
        self.server_url: str | None = None
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )
        changelog.install(self._writer)
        changelog.install(self._reader)  # a stray write through a reader is still logged
        #: The wall clock (Unix ms) the change log stamps with; tests set a skewed one (and a
        #: process can run skewed by `RED_STEWARD_CLOCK_OFFSET_DAYS`, `clock.from_environment`).
        self.wall_clock: Callable[[], int] | None = clock.from_environment()
        #: Checkpoint the WAL after each unit of work (the window sets it), so that confirmed
        #: changes do not live only in the WAL.
        self.checkpoint_after_write = False
        #: Set when the file's change counter is behind the app's own mark (`marker`): when
        #: the newest missing change was saved. The window and the CLI say so.
        self.missing_since: dt.datetime | None = None
        self._check_mark()
        self.replica_id = self._ensure_replica()

    @classmethod
    def open(
        cls,
        folder: Path | None = None,
        *,
        create: bool = True,
        credentials: Credentials | None = None,
        server: str | None = None,
    ) -> Database:
        """Unlock and open (or create) the data file in `folder`, migrating it when older.

        `credentials` default to $RED_STEWARD_USER / $RED_STEWARD_PASSWORD (headless use and
        tests). A new data file makes them its administrator; `recovery_key` is then set.
        `server` (a hub's `--db postgresql://…`) keeps the data on a database server instead;
        the folder remembers it (`desktop.models.store.server_store`).
        """
        folder = folder or paths.data_dir()
        path = paths.database_path(folder)
        keys_path = keyring.keys_path(folder)
        if server is not None or server_store.sealed_path(folder).exists():
            return cls._open_on_server(folder, create, credentials, server)
        if (folder / "restore-in-progress.json").exists():
            from desktop.models.store import backup

            with _translate_errors(path):
                backup.finish_interrupted_restore(folder)
        existed = path.exists() and path.stat().st_size > 0
        if not existed and not create:
            raise errors.NoBranch(folder)
        try:
            keyring.private_dir(folder)
        except OSError as error:
            raise errors.DatabaseReadOnly(folder) from error
        plain = existed and _is_plain_sqlite(path)
        read_only = existed and not _is_writable(path)
        if read_only and plain:
            raise errors.DatabaseReadOnly(path)  # the first open encrypts it: it must write
        if existed and not plain and not keys_path.exists():
            raise errors.DatabaseCorrupt(path, f"not a data file, or {keys_path.name} is missing")
        if plain:
            _probe(
                path, check=True
            )  # refuse a damaged or foreign file before creating any keys for it
        # The keys are written before the data is encrypted with them, never after.
        keys, key, user, recovery_key = _sign_in(keys_path, credentials)
        if plain:
            _encrypt_plain_file(path, key)
        revision = _probe(path, key, read_only) if existed else None
        if revision is not None and revision not in migrate.REVISIONS:
            raise errors.DatabaseTooNew(path, revision)
        if read_only and revision != migrate.HEAD:
            raise errors.DatabaseReadOnly(path)  # an older file is upgraded: that writes
        if not existed:
            try:
                keyring.private_file(path)  # SQLite gives its WAL and shm files the same mode
            except OSError as error:
                if error.errno == 28:
                    raise errors.DiskFull() from error
                raise errors.DatabaseReadOnly(path) from error
        engine = _make_engine(path, key, read_only)
        if revision != migrate.HEAD:
            if existed and revision is not None:
                from desktop.models.store import backup

                with _translate_errors(path):
                    copy = backup.write_backup_file(
                        path,
                        key,
                        keys,
                        backup.auto_backup_path(folder, f"upgrade-{revision}"),
                        reason=f"upgrade-{revision}",
                    )
                log.info("copied the database to %s before migrating", copy)
            with _translate_errors(path), engine.begin() as connection:
                migrate.upgrade(connection)
        db = cls(path, engine, user=user, key=key, keys=keys, read_only=read_only)
        db.recovery_key = recovery_key
        db.migrated_from = revision if revision != migrate.HEAD else None
        return db

    @classmethod
    def _open_on_server(
        cls, folder: Path, create: bool, credentials: Credentials | None, server: str | None
    ) -> Database:
        url = server_store.normalise(server) if server else None
        path = paths.database_path(folder)
        if url is not None and path.exists() and path.stat().st_size > 0:
            raise server_store.FolderHoldsFile(folder)
        keys_path = keyring.keys_path(folder)
        if not keys_path.exists() and not create:
            raise errors.NoBranch(folder)
        if url is None and not keys_path.exists():
            raise errors.DatabaseCorrupt(
                server_store.sealed_path(folder), f"{keys_path.name} is missing"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise errors.DatabaseReadOnly(folder) from error
        keys, key, user, recovery_key = _sign_in(keys_path, credentials)
        url = url or server_store.load_url(folder, key)
        assert url is not None  # the sealed file exists, or `server` was given
        engine = server_store.make_engine(url)
        revision = server_store.revision(engine, url)  # also proves the server answers
        if revision is not None and revision not in migrate.REVISIONS:
            raise errors.DatabaseTooNew(server_store.shown(url), revision)
        server_store.save_url(folder, key, url)
        with engine.begin() as connection:
            if revision != migrate.HEAD:
                log.info(
                    "migrating %s from %s; back it up on the server first if it matters",
                    server_store.shown(url),
                    revision,
                )
                migrate.upgrade(connection)
            portable.make_foreign_keys_deferrable(connection)
        db = cls(path, engine, user=user, key=key, keys=keys)
        db.server_url = server_store.shown(url)
        db.recovery_key = recovery_key
        db.migrated_from = revision if revision != migrate.HEAD else None
        return db

    def _ensure_replica(self) -> uuid.UUID:
        with self.read() as session:
            local = session.scalar(select(Replica.id).where(Replica.is_local))
        if local is not None:
            return self._check_home(local)
        with self._write(None, check_role=False) as session:
            # No name yet: the branch and the PC's role name it until the clerk chooses one
            # (`desktop.sync.identity.local_name`; the host name was "vm" on every PC).
            replica = Replica(id=uuid7(), name="", is_local=True)
            session.add(replica)
        log.info("created the local replica %s", replica.id)
        return self._check_home(replica.id)

    def _check_home(self, local: uuid.UUID) -> uuid.UUID:
        """A data file restored from a backup, or found copied elsewhere, continues under a new
        replica id (`desktop.models.store.replica`); a file on a server is not checked."""
        if self.engine.dialect.name != "sqlite" or not self.path.exists():
            return local
        folder = self.path.parent
        home, restored = replica.home_of(self.path), replica.was_restored(folder)
        with self.read() as session:
            if session.get(Replica, local).home == home and not restored:  # type: ignore[union-attr]
                return local
        with self._write(None, check_role=False) as session:
            new = replica.check_home(session, home, restored)
        replica.forget_restore(folder)
        return new or local

    def _counts_changes(self) -> bool:
        return (
            self.server_url is None
            and self._key is not None
            and not self.read_only
            and self.path.exists()
        )

    def _check_mark(self) -> None:
        if not self._counts_changes():
            return
        assert self._key is not None
        mark = marker.load(self.path.parent, self._key)
        if mark is None:
            return
        with self.read() as session:
            counter = session.execute(text("PRAGMA user_version")).scalar() or 0
        if counter < mark[0]:
            self.missing_since = mark[1]
            log.warning(
                "%s: change counter %s is behind the mark %s of %s", self.path, counter, *mark
            )

    def raw_connection(self) -> Any:
        """A keyed DB-API connection of its own (online backup, integrity checks, tests)."""
        if self.server_url is not None:
            raise errors.BackupOnServer(self.server_url)
        return connect_raw(self.path, self._key, read_only=self.read_only)

    def check_integrity(self) -> None:
        """SQLite's quick_check of the open file; raises `DatabaseDamaged` (a `UserError` in
        plain words) when pages are damaged. Not part of opening (seconds at county scale):
        the window runs it in the background once it is shown, and every backup checks its copy
        in full. Nothing to check for data on a database server."""
        if self.server_url is not None:
            return
        with _translate_errors(self.path):
            conn = self.raw_connection()
            try:
                _quick_check(conn, self.path, errors.DatabaseDamaged)
            except (sqlite3.Error, sqlcipher.Error) as error:
                # SQLCipher reports a page whose HMAC fails as a "logic error": damaged, too.
                raise errors.DatabaseDamaged(self.path, str(error)) from error
            finally:
                conn.close()

    def require_admin(self) -> None:
        if self.user is not None and not self.user.is_admin:
            raise errors.PermissionDenied(
                _("Only an administrator may do this. Ask the branch secretary.")
            )

    def require_writer(self) -> None:
        if self.user is not None and not self.user.can_write:
            raise errors.PermissionDenied()
        if self.read_only:
            raise errors.DatabaseReadOnly(self.path)

    @contextlib.contextmanager
    def unit_of_work(self, actor: str | None = None) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back (with its log) on any error.

        Refused for a read-only account. The change log records the signed-in user; `actor`
        only names the writer of a Database opened without one.
        """
        with self._write(actor) as session:
            yield session

    @contextlib.contextmanager
    def bookkeeping(self) -> Iterator[Session]:
        """A write transaction for the installation's own bookkeeping (this PC's sync keys),
        allowed for every role: it changes no branch data, and a viewer's PC needs it too."""
        with self._write(None, check_role=False) as session:
            yield session

    @contextlib.contextmanager
    def _write(self, actor: str | None, check_role: bool = True) -> Iterator[Session]:
        if check_role:
            self.require_writer()
        elif self.read_only:
            raise errors.DatabaseReadOnly(self.path)
        counted = self._counts_changes()
        with _translate_errors(self.path):
            with self._writer.begin() as session:
                session.info["actor"] = self.user.username if self.user is not None else actor
                session.info["wall_clock"] = self.wall_clock
                self._sealing(session)
                if counted:
                    counter = (session.execute(text("PRAGMA user_version")).scalar() or 0) + 1
                    session.execute(text(f"PRAGMA user_version = {int(counter)}"))
                yield session
            if counted:
                self._after_commit(counter)

    def _after_commit(self, counter: int) -> None:
        """The mark outside the file, then (for the window) the WAL into the file."""
        assert self._key is not None
        try:
            marker.save(self.path.parent, self._key, counter)
        except (OSError, errors.UserError) as error:
            log.warning("could not write the mark in %s: %s", self.path.parent, error)
        self.missing_since = None
        if self.checkpoint_after_write:
            conn = self.engine.raw_connection()  # autocommit: a checkpoint needs no transaction
            try:
                conn.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            finally:
                conn.close()

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (its transaction is rolled back at the end)."""
        with _translate_errors(self.path), self._reader() as session:
            self._sealing(session)
            yield session

    def _sealing(self, session: Session) -> None:
        """On a server, what must stay secret in the rows (the hub's private keys) is sealed
        with the data key: `desktop.sync.identity` reads it from here."""
        if self.server_url is not None:
            session.info["seal_key"] = self._key

    def close(self) -> None:
        self.engine.dispose()
