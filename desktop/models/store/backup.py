# SPDX-License-Identifier: GPL-3.0-or-later
"""Backups: one self-contained, encrypted, verified file, and restoring from one.

A backup file (`*.rsbackup`) is a short header and the SQLCipher database made with SQLite's online
backup (so it is consistent while the app writes). The header carries the key file's wrapped keys
(never the data key itself), so a backup restores on a reinstalled PC with the passwords that were
valid when it was made. Its integrity is checked before it is written, and its checksum after.

Automatic backups go to `<data>/backups/auto-*.rsbackup` and are kept in tiers (`rotate`): the
last few per reason, one a day for two weeks, one a month for a year. `take_automatic_backup(db,
reason)` is what imports and sync call before they change anything; once the change is in they
hand back a `BackupAfter`, taken after the result is shown, so that the newest backup holds the
newest work.
No Qt here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from desktop import __version__, errors, paths
from desktop.i18n import N_, _, format_datetime
from desktop.models.store import keyring, marker, migrate
from desktop.models.store.keyring import Credentials, KeyFile

log = logging.getLogger(__name__)

MAGIC = b"RED-STEWARD-BACKUP\n"
SUFFIX = ".rsbackup"
#: Retention of automatic backups (docs/security.md): the newest few of each reason (before
#: an import, a sync, an upgrade, after an import (`imported`)…), the first of each day for the last
#: KEEP_DAYS days, the first of each month for the last KEEP_MONTHS months. The newest backup
#: is always kept.
KEEP_PER_REASON = 3
KEEP_DAYS = 14
KEEP_MONTHS = 12
DAY = dt.timedelta(days=1)
_MARKER = "last-backup.json"


@dataclasses.dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    reason: str
    schema: str
    app_version: str
    members: int
    #: The change log's version vector (origin hex → last seq) of the backed-up data; None in
    #: backups made before it was recorded.
    vv: dict[str, int] | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class AutoBackup:
    """An automatic backup in the data folder, as its file name tells (nothing is read)."""

    path: Path
    when: dt.datetime  # local time, naive
    reason: str

    @property
    def reason_group(self) -> str:
        """What the retention counts by: every `upgrade-<rev>` is one reason."""
        return "upgrade" if self.reason.startswith("upgrade-") else self.reason


_AUTO_NAME = re.compile(rf"^auto-(\d{{8}}-\d{{6}}-\d{{6}})-(.+){re.escape(SUFFIX)}$")


def auto_backup_path(folder: Path, reason: str, now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    return paths.backup_dir(folder) / f"auto-{stamp}-{reason}{SUFFIX}"


def _check_copy(path: Path, key: bytes | None) -> tuple[str, int, dict[str, int]]:
    """Full integrity check of a database copy; returns (schema revision, member count, the
    change log's version vector)."""
    from desktop.models.store.db import connect_raw

    conn = connect_raw(path, key)
    try:
        result = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            raise errors.BackupInvalid("; ".join(result[:3]))
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        members = (
            conn.execute("SELECT count(*) FROM member WHERE NOT deleted").fetchone()[0]
            if "member" in tables
            else 0
        )
        vv = (
            {
                str(origin): int(seq)
                for origin, seq in conn.execute(
                    "SELECT origin, max(seq) FROM change_log GROUP BY origin"
                )
            }
            if "change_log" in tables
            else {}
        )
    except errors.UserError:
        raise
    except Exception as error:  # sqlcipher's "file is not a database" and friends
        raise errors.BackupInvalid(str(error)) from error
    finally:
        conn.close()
    if row is None:
        raise errors.BackupInvalid("no schema version")
    return row[0], int(members), vv


def write_backup_file(
    source: Path, key: bytes | None, keys: KeyFile | None, target: Path, reason: str = "manual"
) -> Path:
    """Write one verified backup of the data file `source` to `target` (atomically)."""
    from desktop.models.store.db import _translate_errors, backup_copy

    try:
        keyring.private_dir(target.parent)
    except OSError as error:
        raise errors.BackupFailed(target.parent, str(error)) from error
    with (
        _translate_errors(source),
        tempfile.TemporaryDirectory(dir=target.parent, prefix=".red-steward-backup-") as scratch,
    ):
        copy = Path(scratch) / "copy.sqlite3"
        backup_copy(source, copy, key)
        schema, members, vv = _check_copy(copy, key)
        size, sha256 = _digest(copy)
        header = {
            "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
            "reason": reason,
            "schema": schema,
            "members": members,
            "vv": vv,
            "app_version": __version__,
            "size": size,
            "sha256": sha256,
            "keys": keys.portable() if keys is not None else None,
        }
        head = json.dumps(header, ensure_ascii=False).encode("utf-8")
        _write_streamed(target, MAGIC + len(head).to_bytes(4, "big") + head, copy)
    check_backup(target)  # the checksum of what actually reached the disk
    _mark(paths.backup_dir(source.parent), target)
    log.info("wrote the backup %s (%s)", target, reason)
    return target


#: Backups are read and written in pieces of this size: a county file never sits in memory.
CHUNK = 1 << 20


def _digest(path: Path, offset: int = 0) -> tuple[int, str]:
    """The size and SHA-256 of the file from `offset` on, read in chunks."""
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        fh.seek(offset)
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _write_streamed(target: Path, head: bytes, source: Path, offset: int = 0) -> None:
    """Write `head` then the file `source` from `offset` on to `target`, atomically (temp
    file, fsync, rename) and in chunks; readable by this user only, like keyring.atomic_write."""
    tmp = target.with_name(target.name + ".tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, keyring.PRIVATE_FILE)
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            if os.name == "posix":
                os.fchmod(out.fileno(), keyring.PRIVATE_FILE)  # a stale temp file kept its mode
            out.write(head)
            src.seek(offset)
            shutil.copyfileobj(src, out, CHUNK)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        if error.errno == 28:
            raise errors.DiskFull() from error
        raise
    keyring.fsync_dir(target.parent)


def check_backup(path: Path) -> tuple[dict[str, Any], int]:
    """The header of a backup file and where its database starts, after checking the
    database's checksum (read in chunks)."""
    try:
        with path.open("rb") as fh:
            start = fh.read(len(MAGIC) + 4)
            if not start.startswith(MAGIC) or len(start) < len(MAGIC) + 4:
                raise errors.BackupInvalid()
            size = int.from_bytes(start[len(MAGIC) :], "big")
            header = json.loads(fh.read(size).decode("utf-8"))
        offset = len(MAGIC) + 4 + size
        payload_size, sha256 = _digest(path, offset)
    except OSError as error:
        raise errors.BackupInvalid(str(error)) from error
    except ValueError as error:
        raise errors.BackupInvalid() from error
    if not isinstance(header, dict):
        raise errors.BackupInvalid()
    if payload_size != header.get("size") or sha256 != header.get("sha256"):
        raise errors.BackupInvalid(reason=_("the file is incomplete or damaged"))
    return header, offset


def read_backup(path: Path) -> tuple[dict[str, Any], bytes]:
    """The header and the database bytes of a backup file, after checking its checksum (for
    small files and tests: restoring and verifying stream the database instead)."""
    header, offset = check_backup(path)
    with path.open("rb") as fh:
        fh.seek(offset)
        return header, fh.read()


def read_header(path: Path) -> dict[str, Any]:
    """Only the header of a backup file (for a list: the payload is checked on restore)."""
    try:
        with path.open("rb") as fh:
            start = fh.read(len(MAGIC) + 4)
            if not start.startswith(MAGIC) or len(start) < len(MAGIC) + 4:
                raise errors.BackupInvalid()
            size = int.from_bytes(start[len(MAGIC) :], "big")
            header = json.loads(fh.read(size).decode("utf-8"))
    except (OSError, ValueError) as error:
        raise errors.BackupInvalid() from error
    if not isinstance(header, dict) or "created" not in header:
        raise errors.BackupInvalid()
    return header


def _info(path: Path, header: dict[str, Any]) -> BackupInfo:
    return BackupInfo(
        path,
        dt.datetime.fromisoformat(header["created"]),
        header["reason"],
        header["schema"],
        header.get("app_version", ""),
        header.get("members", 0),
        header.get("vv"),
    )


# ----------------------------------------------------------------------------- what a restore loses

#: Why an automatic backup was taken, as the restore list says it.
_REASON_LABELS = {
    # L10N: the reason of a backup, in the restore list: "2026-11-20 14:32, before an import"
    "import": N_("before an import"),
    "imported": N_("after an import"),
    "sync": N_("before a sync"),
    "synced": N_("after a sync"),
    "daily": N_("daily"),
    "manual": N_("by hand"),
    "upgrade": N_("before an upgrade"),
}


def reason_label(reason: str) -> str:
    key = "upgrade" if reason.startswith("upgrade-") else reason
    return _(_REASON_LABELS[key]) if key in _REASON_LABELS else reason


@dataclasses.dataclass(frozen=True, slots=True)
class LostChanges:
    """What restoring a backup would undo: per entity (table), the records added, changed and
    removed since the backup was made."""

    counts: dict[str, tuple[int, int, int]]

    @property
    def nothing(self) -> bool:
        return not self.counts

    def sentence(self, since: dt.datetime) -> str:
        """ "Changes made after 2026-11-20 14:32 will be lost: party member: 500 added…"."""
        from desktop.models.labels import ENTITIES

        when = format_datetime(since)
        if self.nothing:
            return _("Nothing was changed after {when}: nothing will be lost.").format(when=when)
        parts = []
        for entity, (added, changed, removed) in sorted(
            self.counts.items(), key=lambda item: -sum(item[1])
        ):
            counts = [
                text.format(n=n)
                for text, n in (
                    (_("{n} added"), added),
                    (_("{n} changed"), changed),
                    (_("{n} removed"), removed),
                )
                if n
            ]
            label = _(ENTITIES[entity]) if entity in ENTITIES else entity
            parts.append(_("{entity}: {counts}").format(entity=label, counts=", ".join(counts)))
        return _("Changes made after {when} will be lost: {what}.").format(
            when=when, what=_("; ").join(parts)
        )


def lost_since(db: Any, info: BackupInfo) -> LostChanges:
    """The changes in the open database `db` that restoring the backup `info` would undo: the
    change log's entries the backup's version vector does not cover (for an old backup without
    one: the entries stamped after it was made)."""
    from sqlalchemy import and_, func, or_, select

    from desktop.models.store import clock
    from desktop.models.store.changelog import ROW, Change, Op

    if info.vv is not None:
        known = {uuid.UUID(origin): seq for origin, seq in info.vv.items()}
        after = or_(
            Change.origin.not_in(list(known)),
            *(and_(Change.origin == o, Change.seq > seq) for o, seq in known.items()),
        )
    else:
        after = Change.hlc >= clock.pack(int(info.created.timestamp() * 1000), 0)
    created = (
        select(Change.entity, Change.row_id)
        .where(after, Change.field == ROW, Change.op == Op.CREATE.value)
        .subquery()
    )
    counts: dict[str, list[int]] = {}
    with db.read() as session:
        rows = session.execute(
            select(Change.entity, Change.op, func.count(func.distinct(Change.row_id)))
            .where(after, Change.field == ROW)
            .group_by(Change.entity, Change.op)
        ).all()
        for entity, op, n in rows:
            slot = 0 if op == Op.CREATE.value else 2 if op == Op.DELETE.value else 1
            counts.setdefault(entity, [0, 0, 0])[slot] += n
        changed = session.execute(
            select(Change.entity, func.count(func.distinct(Change.row_id)))
            .where(after, Change.op == Op.SET.value)
            .where(
                ~select(created.c.row_id)
                .where(created.c.entity == Change.entity, created.c.row_id == Change.row_id)
                .exists()
            )
            .group_by(Change.entity)
        ).all()
        for entity, n in changed:
            counts.setdefault(entity, [0, 0, 0])[1] += n
    return LostChanges({e: (a, c, r) for e, (a, c, r) in counts.items() if a or c or r})


@dataclasses.dataclass(frozen=True, slots=True)
class RestoreChoice:
    info: BackupInfo
    lost: LostChanges


def restore_choices(db: Any) -> list[RestoreChoice]:
    """The automatic backups of the open database's folder, newest first, each with what
    restoring it would lose. Only headers are read: the backup chosen is verified on restore."""
    choices = []
    for found in automatic_backups(db.path.parent):
        try:
            info = _info(found.path, read_header(found.path))
        except (errors.UserError, KeyError, ValueError):
            log.warning("the backup %s cannot be read; not listed", found.path)
            continue
        choices.append(RestoreChoice(info, lost_since(db, info)))
    return choices


def _unlock_backup(header: dict[str, Any], credentials: Credentials) -> tuple[bytes, KeyFile]:
    if not header.get("keys"):
        raise errors.BackupInvalid(reason=_("the backup carries no keys"))
    keys = KeyFile.from_dict(header["keys"])
    key, account = keys.unlock(credentials)
    if not account.is_admin:
        raise errors.PermissionDenied(
            _("Only an administrator may restore a backup. Ask the branch secretary.")
        )
    return key, keys


def verify_backup(path: Path, credentials: Credentials) -> BackupInfo:
    """Check a backup completely (checksum, keys, integrity, version) without changing anything."""
    header, offset = check_backup(path)
    key, _keys = _unlock_backup(header, credentials)
    with tempfile.TemporaryDirectory(prefix="red-steward-verify-") as scratch:
        copy = Path(scratch) / "copy.sqlite3"
        _write_streamed(copy, b"", path, offset)
        schema, _members, _vv = _check_copy(copy, key)
    if schema not in migrate.REVISIONS:
        raise errors.DatabaseTooNew(path, schema)
    return _info(path, header)


_JOURNAL = "restore-in-progress.json"
_INCOMING = ".restoring"


def restore_backup(path: Path, folder: Path, credentials: Credentials) -> Path:
    """Replace the data in `folder` with the backup, after verifying it; returns where the
    previous data was kept (`<data>/backups/before-restore-*`). The database must be closed.

    Crash-safe: the new data file and key file are written beside the old ones first
    (`*.restoring`), then a journal naming the folder for the old data; from there on the
    restore rolls forward (`finish_interrupted_restore`, also run by every open), so a kill
    at any moment leaves the old data or the restored data, never a folder without either.
    """
    verify_backup(path, credentials)
    header, offset = check_backup(path)
    db_path = paths.database_path(folder)
    keys_path = keyring.keys_path(folder)
    keyring.private_dir(folder)
    finish_interrupted_restore(folder)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    aside = paths.backup_dir(folder) / f"before-restore-{stamp}"
    try:
        _write_streamed(db_path.with_name(db_path.name + _INCOMING), b"", path, offset)
        KeyFile.from_dict(header["keys"]).save(keys_path.with_name(keys_path.name + _INCOMING))
        keyring.atomic_write(folder / _JOURNAL, json.dumps({"aside": aside.name}).encode("utf-8"))
        finish_interrupted_restore(folder)
    except OSError as error:
        if not (folder / _JOURNAL).exists():  # not begun: the old data is all in place
            for incoming in (db_path, keys_path):
                incoming.with_name(incoming.name + _INCOMING).unlink(missing_ok=True)
        if error.errno == 28:
            raise errors.DiskFull() from error
        raise
    log.info("restored %s into %s; the previous data is in %s", path, folder, aside)
    return aside


def finish_interrupted_restore(folder: Path) -> None:
    """Roll a restore that was cut short forward (each step can be repeated): move the data it
    replaces aside, then put the restored key file and data file in place."""
    journal = folder / _JOURNAL
    if not journal.exists():
        return
    aside = paths.backup_dir(folder) / json.loads(journal.read_text("utf-8"))["aside"]
    db_path = paths.database_path(folder)
    keys_path = keyring.keys_path(folder)
    new_db = db_path.with_name(db_path.name + _INCOMING)
    new_keys = keys_path.with_name(keys_path.name + _INCOMING)
    keyring.private_dir(paths.backup_dir(folder))
    aside.mkdir(mode=keyring.PRIVATE_DIR, exist_ok=True)
    # Moved, not copied: a rename within the folder cannot half-happen.
    replaced = []
    if new_db.exists():  # the data file in place, if any, is the one being replaced
        replaced += [
            db_path,
            *(db_path.with_name(db_path.name + s) for s in ("-wal", "-shm")),
            marker.path(folder),  # the mark of the replaced data goes with it
        ]
    if new_keys.exists():
        replaced.append(keys_path)
    for item in replaced:
        if item.exists():
            os.replace(item, aside / item.name)
    if new_keys.exists():
        os.replace(new_keys, keys_path)
    if new_db.exists():
        _retire_replica_identity(folder)
        os.replace(new_db, db_path)
    keyring.fsync_dir(folder)
    journal.unlink()
    keyring.fsync_dir(folder)
    log.info("finished the restore into %s; the previous data is in %s", folder, aside)


def _retire_replica_identity(folder: Path) -> None:
    """The restored file must not write under the replica id it had (sync would lose edits):
    its next open continues under a new one (`desktop.models.store.replica`, issue #14)."""
    from desktop.models.store import replica

    replica.mark_restored(folder)


# ----------------------------------------------------------------------------- automatic


def take_backup(db: Any, reason: str) -> Path | None:
    """An automatic, rotating backup of the open database `db` (before import, sync…).

    None for a hub whose data is on a database server: that server's own backups (pg_dump,
    WAL archiving) are the way back there, not a copy in the data folder."""
    if db.server_url is not None:
        log.info("no %s backup in the data folder: the data is on %s", reason, db.server_url)
        return None
    folder = db.path.parent
    target = write_backup_file(db.path, db._key, db.keys, auto_backup_path(folder, reason), reason)
    rotate(folder)
    return target


#: Why an automatic backup was taken: a short word that goes into its file name.
_REASON = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


def take_automatic_backup(db: Any, reason: str) -> Path | None:
    """The rotating backup other areas take before they change much: `"import"` before every
    import, `"sync"` before every sync merge (`"daily"` and `"upgrade-<rev>"` are taken here).

    Raises `BackupFailed` / `DiskFull` (`UserError`s): the caller should then not go on, since
    the change would have no way back. Any role may trigger it (a viewer cannot import anyway).
    """
    if not _REASON.match(reason):
        raise ValueError(f"backup reason must be a short lowercase word, not {reason!r}")
    return take_backup(db, reason)


@dataclasses.dataclass(frozen=True, slots=True)
class BackupAfter:
    """The backup still to take once a large change is committed (`"imported"`, `"synced"`),
    so that the newest backup holds the newest work.

    An import returns it with its result instead of taking it: the copy and its integrity
    check take seconds on a county-size file, and the change is in already. The window shows
    the result, then takes it in the background (`views.ops.Ops`); the command line prints
    the result, then takes it before it exits.
    """

    db: Any
    reason: str

    def take(self) -> Path | None:
        """Raises `BackupAfterFailed` (a full disk…): the change stays in, only its backup is
        missing."""
        try:
            return take_automatic_backup(self.db, self.reason)
        except errors.UserError as error:
            log.warning("no backup after the %s: %s", self.reason, error.message)
            raise errors.BackupAfterFailed(error) from error


def backup_to_folder(db: Any, target_folder: Path) -> Path:
    """A backup the user asked for, to a folder they chose (a USB stick…)."""
    db.require_writer()
    if db.server_url is not None:
        raise errors.BackupOnServer(db.server_url)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = target_folder / f"red-steward-{stamp}{SUFFIX}"
    n = 1
    while target.exists():
        n += 1
        target = target_folder / f"red-steward-{stamp}-{n}{SUFFIX}"
    return write_backup_file(db.path, db._key, db.keys, target, "manual")


def backup_if_due(db: Any, now: dt.datetime | None = None) -> Path | None:
    """The daily backup: taken when the newest one is older than a day (not of a file on a
    read-only medium: there is nowhere to put it, and nothing changes there)."""
    if db.read_only:
        return None
    last = last_backup(db.path.parent)
    now = now or dt.datetime.now().astimezone()
    if last is not None and now - last < DAY:
        return None
    return take_backup(db, "daily")


def automatic_backups(folder: Path) -> list[AutoBackup]:
    """The automatic backups in the data folder, newest first."""
    found = []
    for path in paths.backup_dir(folder).glob(f"auto-*{SUFFIX}"):
        match = _AUTO_NAME.match(path.name)
        if match is None:
            continue
        when = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S-%f")
        found.append(AutoBackup(path, when, match.group(2)))
    return sorted(found, key=lambda b: b.when, reverse=True)


def auto_backups(folder: Path) -> list[Path]:
    """The automatic backups' files, newest first."""
    return [b.path for b in automatic_backups(folder)]


def kept_backups(backups: list[AutoBackup], now: dt.datetime) -> set[Path]:
    """Which automatic backups the tiered retention keeps (see the KEEP_* constants)."""
    keep: set[Path] = set()
    oldest_first = sorted(backups, key=lambda b: b.when)
    if oldest_first:
        keep.add(oldest_first[-1].path)
    per_reason: dict[str, list[AutoBackup]] = {}
    for b in oldest_first:
        per_reason.setdefault(b.reason_group, []).append(b)
    for group in per_reason.values():
        keep.update(b.path for b in group[-KEEP_PER_REASON:])
    first_day = (now - dt.timedelta(days=KEEP_DAYS - 1)).date()
    year_ago = now - dt.timedelta(days=365 * KEEP_MONTHS // 12)
    days: set[dt.date] = set()
    months: set[tuple[int, int]] = set()
    for b in oldest_first:  # the first of a day or month: how the day or month began
        if b.when.date() >= first_day and b.when.date() not in days:
            days.add(b.when.date())
            keep.add(b.path)
        month = (b.when.year, b.when.month)
        if b.when >= year_ago and month not in months:
            months.add(month)
            keep.add(b.path)
    return keep


def rotate(folder: Path, now: dt.datetime | None = None) -> None:
    """Remove the automatic backups no retention tier keeps, and what a backup cut short left."""
    backups = automatic_backups(folder)
    keep = kept_backups(backups, now or dt.datetime.now())
    for b in backups:
        if b.path not in keep:
            b.path.unlink(missing_ok=True)
            log.info("removed the automatic backup %s (retention)", b.path.name)
    remove_leftovers(paths.backup_dir(folder))


#: A scratch copy or temp file older than this belongs to a backup that was cut short (the
#: app killed or the power lost): no backup takes this long, so it is never one in progress.
LEFTOVER_AGE = dt.timedelta(hours=6)


def remove_leftovers(backups: Path, now: float | None = None) -> None:
    """Delete the scratch folders and temp files of backups cut short: at county scale each is
    as large as the data file, and nothing else would ever remove them."""
    if not backups.is_dir():
        return
    limit = (now if now is not None else time.time()) - LEFTOVER_AGE.total_seconds()
    for path in [*backups.glob(".red-steward-backup-*"), *backups.glob("*.tmp")]:
        try:
            if path.lstat().st_mtime > limit:
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError as error:
            log.warning("could not remove %s left by a backup cut short: %s", path, error)
            continue
        log.info("removed %s, left by a backup cut short", path.name)


def space_used(folder: Path) -> int:
    """Bytes the automatic backups take in the data folder."""
    total = 0
    for b in automatic_backups(folder):
        with contextlib.suppress(OSError):
            total += b.path.stat().st_size
    return total


def _mark(backups: Path, target: Path) -> None:
    try:
        keyring.private_dir(backups)
        keyring.atomic_write(
            backups / _MARKER,
            json.dumps(
                {
                    "when": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                    "path": str(target),
                },
                ensure_ascii=False,
            ).encode("utf-8"),
        )
    except (OSError, errors.UserError):
        log.warning("could not note the last backup in %s", backups)


def last_backup(folder: Path) -> dt.datetime | None:
    """When the last backup (automatic or to a folder) of the data in `folder` was made."""
    try:
        data = json.loads((paths.backup_dir(folder) / _MARKER).read_text("utf-8"))
        return dt.datetime.fromisoformat(data["when"])
    except (OSError, ValueError, KeyError):
        return None
