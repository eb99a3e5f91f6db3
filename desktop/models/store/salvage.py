# SPDX-License-Identifier: GPL-3.0-or-later
"""Salvage: what can still be read from a damaged data file, merged with the newest backup.

SQLite's `.recover` approach, through SQLCipher: the damaged file (a copy of it, with its WAL:
the file itself is never written) is read table by table in rowid order; where a scan fails
half-way (a page whose HMAC fails, a broken b-tree page), the reading skips to the next rowid
that can be read again and notes how many it skipped. What it got is written over a copy of the
newest backup that passes the full integrity check (or over an empty file when there is none):
rows only in the backup stay, rows in both take the damaged file's (newer) version. The change
log and its heads are merged the same way, row by row, the damaged file's entry winning.

`salvage(folder, credentials)` builds the result beside the data file (`red-steward.db.salvaged`)
and returns a `SalvageSummary` to show the clerk; nothing is replaced. `replace_with_salvaged`
then swaps it in through the restore path (`backup.finish_interrupted_restore`): the damaged
file is kept under `backups/before-salvage-<date>/`, and the salvaged file continues under a new
replica id as a restored one does (docs/sync.md, "One identity per live data file"). No Qt here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from desktop import errors, paths
from desktop.i18n import _, format_datetime
from desktop.models.store import backup, keyring, migrate
from desktop.models.store.keyring import Credentials, KeyFile

log = logging.getLogger(__name__)

#: The salvaged file waits beside the data file until the clerk confirms.
SALVAGED = ".salvaged"
#: What reading a damaged page raises (SQLCipher's failed HMAC can come back as SQLITE_NOMEM).
_DB_ERRORS = (sqlite3.Error, sqlcipher.Error, MemoryError)
#: Rows are read, compared and written in batches of this size.
BATCH = 500
#: Past a damaged stretch the reading probes forward one leaf's worth of rowids at a time for
#: this long, then in doubling steps (a damaged last page of a table leaves nothing to find).
STEP, LINEAR_SPAN, LAST_ROWID = 32, 1 << 16, 1 << 62


class NotDamaged(errors.UserError):
    def __init__(self, path: object) -> None:
        super().__init__(
            _(
                "The data file {path} is not damaged: there is nothing to salvage. "
                "Nothing was changed."
            ).format(path=path)
        )


class NothingReadable(errors.UserError):
    def __init__(self, path: object, detail: str = "") -> None:
        super().__init__(
            _(
                "Nothing can be read from the data file {path} (its first pages are damaged). "
                "Restore the newest backup instead (red-steward restore --list)."
            ).format(path=path)
        )
        log.warning("nothing readable in %s: %s", path, detail)


@dataclasses.dataclass(frozen=True, slots=True)
class TableSalvage:
    """One table: rows read from the damaged file, rows only the backup had, rowids that could
    not be read (`unreadable_tail`: nor anything after some rowid)."""

    table: str
    recovered: int
    from_backup: int
    unreadable: int
    unreadable_tail: bool = False

    @property
    def lost(self) -> int:
        """Rows neither the damaged file nor the backup gave back (about: rowids are dense)."""
        return max(0, self.unreadable - self.from_backup)

    @property
    def damaged(self) -> bool:
        return bool(self.unreadable or self.unreadable_tail)


@dataclasses.dataclass(frozen=True, slots=True)
class SalvageSummary:
    damaged_path: Path
    salvaged_path: Path
    #: The backup merged in, and when it was made (None: there was no usable backup).
    backup_path: Path | None
    backup_created: dt.datetime | None
    tables: tuple[TableSalvage, ...]
    #: Members the damaged file could not give: taken from the backup (perhaps older there).
    members_from_backup: tuple[str, ...]
    #: Members read from the damaged file that differ from the backup (changed since).
    members_changed: int

    def table(self, name: str) -> TableSalvage:
        return next(t for t in self.tables if t.table == name)

    def lines(self) -> list[str]:
        """The summary for the clerk: the backup used, then one line per damaged table."""
        from desktop.models.labels import ENTITIES

        if self.backup_created is None:
            out = [_("There is no usable backup: only what the damaged file gave is kept.")]
        else:
            out = [
                _("Merged with the backup of {when}.").format(
                    when=format_datetime(self.backup_created)
                )
            ]
        members = self.table("member") if any(t.table == "member" for t in self.tables) else None
        if members is not None:
            out.append(
                _(
                    "Party members: {recovered} read from the damaged file ({changed} changed "
                    "since the backup), {from_backup} taken from the backup, about {lost} lost."
                ).format(
                    recovered=members.recovered,
                    changed=self.members_changed,
                    from_backup=members.from_backup,
                    lost=members.lost,
                )
            )
        for t in self.tables:
            if t.table == "member" or not t.damaged:
                continue
            label = _(ENTITIES[t.table]) if t.table in ENTITIES else t.table
            out.append(
                _(
                    "{table}: {recovered} read, {from_backup} taken from the backup, "
                    "about {lost} lost."
                ).format(table=label, recovered=t.recovered, from_backup=t.from_backup, lost=t.lost)
            )
        if any(t.unreadable_tail for t in self.tables):
            out.append(_("The end of some tables could not be read: more may be lost."))
        if self.members_from_backup:
            names = "、".join(self.members_from_backup[:20])
            more = len(self.members_from_backup) - 20
            out.append(
                _("Taken from the backup (check them, they may be out of date): {names}").format(
                    names=names + (_(" and {n} more").format(n=more) if more > 0 else "")
                )
            )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "damaged": str(self.damaged_path),
            "backup": str(self.backup_path) if self.backup_path else None,
            "backup_created": self.backup_created.isoformat() if self.backup_created else None,
            "tables": {
                t.table: {
                    "recovered": t.recovered,
                    "from_backup": t.from_backup,
                    "unreadable": t.unreadable,
                    "unreadable_tail": t.unreadable_tail,
                    "lost": t.lost,
                }
                for t in self.tables
            },
            "members_from_backup": list(self.members_from_backup),
            "members_changed": self.members_changed,
        }


def salvaged_path(folder: Path) -> Path:
    db_path = paths.database_path(folder)
    return db_path.with_name(db_path.name + SALVAGED)


def _unlock(folder: Path, credentials: Credentials) -> bytes:
    key, account = KeyFile.load(keyring.keys_path(folder)).unlock(credentials)
    if not account.is_admin:
        raise errors.PermissionDenied(
            _("Only an administrator may salvage the data. Ask the branch secretary.")
        )
    return key


def salvage(folder: Path, credentials: Credentials) -> SalvageSummary:
    """Read what the damaged data file in `folder` still gives, merge it with the newest good
    backup into `salvaged_path(folder)`, and say what came from where. Replaces nothing.

    Raises `NotDamaged` for a sound file, `NothingReadable` when not even its list of tables
    can be read, `WrongPassword` / `PermissionDenied` (only an administrator salvages)."""
    db_path = paths.database_path(folder)
    if not db_path.exists():
        raise errors.NoBranch(folder)
    key = _unlock(folder, credentials)
    try:
        return _salvage(folder, db_path, key)
    except PermissionError as error:  # a read-only folder: nowhere to write the result
        raise errors.DatabaseReadOnly(folder) from error


def _salvage(folder: Path, db_path: Path, key: bytes) -> SalvageSummary:
    from desktop.models.store.db import _translate_errors, connect_raw

    target = salvaged_path(folder)
    with (
        _translate_errors(target),
        tempfile.TemporaryDirectory(dir=folder, prefix=".red-steward-salvage-") as scratch,
    ):
        copy = Path(scratch) / db_path.name
        for suffix in ("", "-wal"):  # the WAL holds confirmed changes too; never the original
            source = db_path.with_name(db_path.name + suffix)
            if source.exists():
                shutil.copyfile(source, copy.with_name(copy.name + suffix))
        damaged = _Reader(copy, key)
        try:
            tables = _check_damaged(damaged.conn, db_path)
            base, used = _base(folder, key, Path(scratch) / "salvaged.sqlite3")
            merged = connect_raw(base, key)
            merged.isolation_level = None  # the merge is one transaction of its own
            try:
                summary = _merge(damaged, merged, tables)
                counter = _user_version(damaged)
                merged.execute(f"PRAGMA user_version = {int(counter)}")
                _repair_counters(merged)
            finally:
                merged.close()
        finally:
            damaged.close()
        backup._write_streamed(target, b"", base)
    log.info("salvaged %s into %s (backup: %s)", db_path, target, used and used.path)
    return SalvageSummary(
        damaged_path=db_path,
        salvaged_path=target,
        backup_path=used.path if used else None,
        backup_created=used.created if used else None,
        tables=summary[0],
        members_from_backup=summary[1],
        members_changed=summary[2],
    )


class _Reader:
    """A connection to the damaged copy, opened again after each read error: SQLite's pager
    stays in its error state after a failed page, and every later read would fail too."""

    def __init__(self, path: Path, key: bytes) -> None:
        self.path, self.key = path, key
        self.conn = self._connect()

    def _connect(self) -> Any:
        from desktop.models.store.db import connect_raw

        return connect_raw(self.path, self.key)

    def reset(self) -> None:
        self.close()
        self.conn = self._connect()

    def close(self) -> None:
        try:
            self.conn.close()
        except _DB_ERRORS as error:  # pragma: no cover - closing a connection in error
            log.info("salvage: closing the damaged copy: %s", error)


def _user_version(damaged: _Reader) -> int:
    try:
        return int(damaged.conn.execute("PRAGMA user_version").fetchone()[0])
    except _DB_ERRORS:
        damaged.reset()
        return 0


def _check_damaged(conn: Any, path: Path) -> list[str]:
    """The tables of the damaged file; `NotDamaged` when its check finds nothing wrong."""
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
    except _DB_ERRORS as error:
        raise NothingReadable(path, str(error)) from error
    if "alembic_version" not in tables:
        raise NothingReadable(path, "no alembic_version table")
    try:
        sound = [row[0] for row in conn.execute("PRAGMA quick_check")] == ["ok"]
    except _DB_ERRORS:  # SQLCipher's HMAC failure: damaged
        sound = False
    if sound:
        raise NotDamaged(path)
    return tables


def _base(folder: Path, key: bytes, target: Path) -> tuple[Path, backup.BackupInfo | None]:
    """A copy of the newest automatic backup that passes every check, at the current schema;
    an empty data file when there is none."""
    from desktop.models.store.db import _make_engine

    for found in backup.automatic_backups(folder):
        try:
            header, offset = backup.check_backup(found.path)
            backup._write_streamed(target, b"", found.path, offset)
            backup._check_copy(target, key)
            info = backup._info(found.path, header)
        except (errors.UserError, KeyError, ValueError) as error:
            log.warning("salvage: the backup %s is not usable: %s", found.path, error)
            target.unlink(missing_ok=True)
            continue
        break
    else:
        info = None
    engine = _make_engine(target, key)
    try:
        with engine.begin() as connection:
            migrate.upgrade(connection)  # an older backup, or a new empty file
    finally:
        engine.dispose()
    from desktop.models.store.db import connect_raw

    conn = connect_raw(target, key)
    try:  # one file, no WAL beside it: what is copied into place is the whole of it
        conn.execute("PRAGMA journal_mode = DELETE").fetchall()
    finally:
        conn.close()
    return target, info


def _columns(conn: Any, table: str) -> tuple[list[str], list[str]]:
    """The columns of `table` and its primary key's columns (all of them when it has none)."""
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    columns = [row[1] for row in info]
    key = [row[1] for row in sorted(info, key=lambda r: r[5]) if row[5]]
    return columns, key or columns


def _merge(
    damaged: _Reader, merged: Any, tables: list[str]
) -> tuple[tuple[TableSalvage, ...], tuple[str, ...], int]:
    """Write every readable row of `damaged` over `merged` (the backup's copy)."""
    results, from_backup_names, members_changed = [], (), 0
    indexes = [
        row[0]
        for row in merged.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"
        )
    ]
    merged.execute("BEGIN")
    for table in tables:
        if table == "alembic_version" or any(
            table == name or table.startswith(name + "_") for name in indexes
        ):
            continue  # a search index (and its own tables) is rebuilt below, not copied
        columns, key = _columns(merged, table)
        try:
            have = {row[1] for row in damaged.conn.execute(f'PRAGMA table_info("{table}")')}
        except _DB_ERRORS:
            damaged.reset()
            have = set()
        if not columns or not have:
            continue
        columns = [c for c in columns if c in have]
        key = [c for c in key if c in columns] or columns
        scan = _Scan(damaged, table, columns)
        seen: set[tuple[Any, ...]] = set()
        changed = 0
        where = " AND ".join(f'"{c}" IS ?' for c in key)
        select = f'SELECT {_cols(columns)} FROM "{table}" WHERE {where}'
        insert = (
            f'INSERT OR REPLACE INTO "{table}" ({_cols(columns)}) '
            f"VALUES ({', '.join('?' * len(columns))})"
        )
        at = [columns.index(c) for c in key]
        for batch in scan.batches():
            for row in batch:
                pk = tuple(row[i] for i in at)
                seen.add(pk)
                if table != "member":  # only the members' changes are counted for the clerk
                    continue
                old = merged.execute(select, pk).fetchone()
                if old is not None and tuple(old) != tuple(row):
                    changed += 1
            merged.executemany(insert, batch)
        only_backup = [
            row
            for row in merged.execute(f'SELECT {_cols(key)} FROM "{table}"')
            if tuple(row) not in seen
        ]
        if table == "member":
            members_changed = changed
            from_backup_names = _member_names(merged, only_backup)
        results.append(TableSalvage(table, len(seen), len(only_backup), scan.skipped, scan.tail))
    for name in indexes:  # FTS5 over its content table (REPLACE fires no delete trigger)
        merged.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'rebuild\')')
    merged.execute("COMMIT")
    return tuple(results), from_backup_names, members_changed


def _cols(columns: list[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _member_names(conn: Any, ids: list[tuple[Any, ...]]) -> tuple[str, ...]:
    names = []
    for (member_id,) in ids:
        row = conn.execute("SELECT name FROM member WHERE id IS ?", (member_id,)).fetchone()
        if row is not None:
            names.append(str(row[0]))
    return tuple(names)


def _repair_counters(conn: Any) -> None:
    """Each replica's counter at least its newest entry in the (merged) change log, so that no
    (origin, seq) is handed out twice."""
    conn.execute(
        "UPDATE replica SET last_seq = (SELECT max(seq) FROM change_log WHERE origin = replica.id)"
        " WHERE last_seq < (SELECT max(seq) FROM change_log WHERE origin = replica.id)"
    )


class _Scan:
    """A table's rows in rowid order, stepping over what cannot be read (see the module)."""

    def __init__(self, reader: _Reader, table: str, columns: list[str]) -> None:
        self.reader, self.table = reader, table
        self.sql = f'SELECT rowid, {_cols(columns)} FROM "{table}" WHERE rowid >= ? ORDER BY rowid'
        #: Rowids stepped over; `tail`: nothing could be read after the last of them.
        self.skipped, self.tail = 0, False

    def batches(self) -> Iterator[list[tuple[Any, ...]]]:
        start: int | None = 0  # the app's tables number rows from 1
        careful = False
        while start is not None:
            batch: list[tuple[Any, ...]] = []
            failed = False
            try:
                if careful:  # one query a row: no read-ahead past the last good row
                    while start is not None and len(batch) < BATCH:
                        rows = self.reader.conn.execute(self.sql + " LIMIT 1", (start,)).fetchall()
                        start = rows[0][0] + 1 if rows else None
                        batch += [tuple(row[1:]) for row in rows]
                    careful = False
                else:  # a cursor reads one row ahead: its failure costs the row before it
                    cursor = self.reader.conn.execute(self.sql, (start,))
                    while len(batch) < BATCH:
                        row = cursor.fetchone()
                        if row is None:
                            start = None
                            break
                        start = row[0] + 1
                        batch.append(tuple(row[1:]))
                    cursor.close()
            except _DB_ERRORS as error:
                log.info("salvage: %s unreadable from rowid %s: %s", self.table, start, error)
                self.reader.reset()
                failed = True
            if batch:
                yield batch
            if failed:
                assert start is not None
                if careful:
                    start, careful = self._skip(start), False
                else:
                    careful = True

    def _probe(self, rowid: int) -> bool:
        """Can the row at or after `rowid` be read (or is there none)?"""
        try:
            self.reader.conn.execute(self.sql + " LIMIT 1", (rowid,)).fetchall()
        except _DB_ERRORS:
            self.reader.reset()
            return False
        return True

    def _skip(self, failed: int) -> int | None:
        """The smallest rowid after `failed` from which reading works again (None: none)."""
        low, step = failed, 1
        while True:
            high = low + step
            if high > LAST_ROWID:
                self.tail = True
                self.skipped += max(0, low - max(failed, 1))
                return None
            if self._probe(high):
                break
            low = high
            step = min(step * 2, STEP) if high - failed < LINEAR_SPAN else step * 2
        while high - low > 1:  # between a rowid that fails and one that reads
            middle = (low + high) // 2
            if self._probe(middle):
                high = middle
            else:
                low = middle
        self.skipped += high - max(failed, 1)
        return high


def replace_with_salvaged(folder: Path) -> Path:
    """Put the salvaged file in place of the damaged one (which is kept in the returned folder,
    `backups/before-salvage-<date>`); the database must be closed. Crash-safe as a restore."""
    source = salvaged_path(folder)
    if not source.exists():
        raise errors.UserError(_("There is no salvaged data to use; salvage the data first."))
    db_path = paths.database_path(folder)
    backup.finish_interrupted_restore(folder)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    aside = paths.backup_dir(folder) / f"before-salvage-{stamp}"
    incoming = db_path.with_name(db_path.name + backup._INCOMING)
    source.replace(incoming)
    keyring.atomic_write(
        folder / backup._JOURNAL, json.dumps({"aside": aside.name}).encode("utf-8")
    )
    backup.finish_interrupted_restore(folder)  # moves the damaged file aside, marks a new id
    log.info("replaced %s with the salvaged data; the damaged file is in %s", db_path, aside)
    return aside


def discard_salvaged(folder: Path) -> None:
    """The clerk said no: the salvaged file goes, the data file stays as it was."""
    salvaged_path(folder).unlink(missing_ok=True)
