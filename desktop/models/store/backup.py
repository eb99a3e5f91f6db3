# SPDX-License-Identifier: GPL-3.0-or-later
"""Backups: one self-contained, encrypted, verified file, and restoring from one.

A backup file (`*.rsbackup`) is a short header and the SQLCipher database made with SQLite's online
backup (so it is consistent while the app writes). The header carries the key file's wrapped keys
(never the data key itself), so a backup restores on a reinstalled PC with the passwords that were
valid when it was made. Its integrity is checked before it is written, and its checksum after.

Automatic backups go to `<data>/backups/auto-*.rsbackup` and rotate; `take_backup(db, reason)`
is what imports and sync call before they change anything. No Qt here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from desktop import __version__, errors, paths
from desktop.i18n import _
from desktop.models.store import keyring, migrate
from desktop.models.store.keyring import Credentials, KeyFile

log = logging.getLogger(__name__)

MAGIC = b"RED-STEWARD-BACKUP\n"
SUFFIX = ".rsbackup"
#: Automatic backups kept in the data folder (the oldest go first).
AUTO_KEEP = 14
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


def auto_backup_path(folder: Path, reason: str, now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    return paths.backup_dir(folder) / f"auto-{stamp}-{reason}{SUFFIX}"


def _check_copy(path: Path, key: bytes | None) -> tuple[str, int]:
    """Full integrity check of a database copy; returns (schema revision, member count)."""
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
    except errors.UserError:
        raise
    except Exception as error:  # sqlcipher's "file is not a database" and friends
        raise errors.BackupInvalid(str(error)) from error
    finally:
        conn.close()
    if row is None:
        raise errors.BackupInvalid("no schema version")
    return row[0], int(members)


def write_backup_file(
    source: Path, key: bytes | None, keys: KeyFile | None, target: Path, reason: str = "manual"
) -> Path:
    """Write one verified backup of the data file `source` to `target` (atomically)."""
    from desktop.models.store.db import _translate_errors, backup_copy

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise errors.BackupFailed(target.parent, str(error)) from error
    with (
        _translate_errors(source),
        tempfile.TemporaryDirectory(dir=target.parent, prefix=".red-steward-backup-") as scratch,
    ):
        copy = Path(scratch) / "copy.sqlite3"
        backup_copy(source, copy, key)
        schema, members = _check_copy(copy, key)
        payload = copy.read_bytes()
    header = {
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "reason": reason,
        "schema": schema,
        "members": members,
        "app_version": __version__,
        "size": len(payload),
        "sha256": hashlib.sha256(payload).hexdigest(),
        "keys": keys.portable() if keys is not None else None,
    }
    head = json.dumps(header, ensure_ascii=False).encode("utf-8")
    keyring.atomic_write(target, MAGIC + len(head).to_bytes(4, "big") + head + payload)
    read_backup(target)  # the checksum of what actually reached the disk
    _mark(paths.backup_dir(source.parent), target)
    log.info("wrote the backup %s (%s)", target, reason)
    return target


def read_backup(path: Path) -> tuple[dict[str, Any], bytes]:
    """The header and the database bytes of a backup file, after checking its checksum."""
    try:
        content = path.read_bytes()
    except OSError as error:
        raise errors.BackupInvalid(str(error)) from error
    if not content.startswith(MAGIC):
        raise errors.BackupInvalid()
    start = len(MAGIC) + 4
    size = int.from_bytes(content[len(MAGIC) : start], "big")
    try:
        header = json.loads(content[start : start + size].decode("utf-8"))
    except ValueError as error:
        raise errors.BackupInvalid() from error
    payload = content[start + size :]
    if len(payload) != header.get("size") or (
        hashlib.sha256(payload).hexdigest() != header.get("sha256")
    ):
        raise errors.BackupInvalid(_("the file is incomplete or damaged"))
    return header, payload


def _info(path: Path, header: dict[str, Any]) -> BackupInfo:
    return BackupInfo(
        path,
        dt.datetime.fromisoformat(header["created"]),
        header["reason"],
        header["schema"],
        header.get("app_version", ""),
        header.get("members", 0),
    )


def _unlock_backup(header: dict[str, Any], credentials: Credentials) -> tuple[bytes, KeyFile]:
    if not header.get("keys"):
        raise errors.BackupInvalid(_("the backup carries no keys"))
    keys = KeyFile.from_dict(header["keys"])
    key, account = keys.unlock(credentials)
    if not account.is_admin:
        raise errors.PermissionDenied(
            _("Only an administrator may restore a backup. Ask the branch secretary.")
        )
    return key, keys


def verify_backup(path: Path, credentials: Credentials) -> BackupInfo:
    """Check a backup completely (checksum, keys, integrity, version) without changing anything."""
    header, payload = read_backup(path)
    key, _keys = _unlock_backup(header, credentials)
    with tempfile.TemporaryDirectory(prefix="red-steward-verify-") as scratch:
        copy = Path(scratch) / "copy.sqlite3"
        copy.write_bytes(payload)
        schema, _members = _check_copy(copy, key)
    if schema not in migrate.REVISIONS:
        raise errors.DatabaseTooNew(path, schema)
    return _info(path, header)


def restore_backup(path: Path, folder: Path, credentials: Credentials) -> Path:
    """Replace the data in `folder` with the backup, after verifying it; returns where the
    previous data was kept (`<data>/backups/before-restore-*`). The database must be closed.
    """
    verify_backup(path, credentials)
    header, payload = read_backup(path)
    db_path = paths.database_path(folder)
    keys_path = keyring.keys_path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    aside = paths.backup_dir(folder) / f"before-restore-{stamp}"
    incoming = db_path.with_name(db_path.name + ".restoring")
    try:
        keyring.atomic_write(incoming, payload)
        aside.mkdir(parents=True)
        # Moved, not copied: a rename within the folder cannot half-happen.
        for item in (
            db_path,
            *(db_path.with_name(db_path.name + s) for s in ("-wal", "-shm")),
            keys_path,
        ):
            if item.exists():
                os.replace(item, aside / item.name)
        keys = KeyFile.from_dict(header["keys"])
        keys.save(keys_path)
        _retire_replica_identity(folder)
        os.replace(incoming, db_path)
        keyring.fsync_dir(folder)
    except OSError as error:
        incoming.unlink(missing_ok=True)
        if error.errno == 28:
            raise errors.DiskFull() from error
        raise
    log.info("restored %s into %s; the previous data is in %s", path, folder, aside)
    return aside


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
    """The daily backup: taken when the newest one is older than a day."""
    last = last_backup(db.path.parent)
    now = now or dt.datetime.now().astimezone()
    if last is not None and now - last < DAY:
        return None
    return take_backup(db, "daily")


def auto_backups(folder: Path) -> list[Path]:
    """The automatic backups in the data folder, newest first."""
    return sorted(paths.backup_dir(folder).glob(f"auto-*{SUFFIX}"), reverse=True)


def rotate(folder: Path, keep: int = AUTO_KEEP) -> None:
    for old in auto_backups(folder)[keep:]:
        old.unlink(missing_ok=True)


def _mark(backups: Path, target: Path) -> None:
    try:
        backups.mkdir(parents=True, exist_ok=True)
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
