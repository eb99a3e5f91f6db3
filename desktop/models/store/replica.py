# SPDX-License-Identifier: GPL-3.0-or-later
"""This installation's replica identity, and why it must change after a restore or a copy.

Sync keys every change by (replica id, seq). Two live data files with one replica id would number
different changes alike, and every other PC would keep one of each pair and drop the other
silently. That happens whenever a data file comes back from the past (a restored backup) or is
duplicated (a data folder copied to a new laptop). So:

- the data file remembers its *home*: the machine, the file's path and its file id (inode). A
  file opened elsewhere, or under another file id (copied back, restored by hand), is a copy;
- `restore_backup` also leaves a marker beside the restored file (`mark_restored`);
- either way, `Database.open` retires the replica id before anything is written: a new id
  continues with everything the file holds (so it has seen exactly what the backup had), the old
  one is never written again, and the old row names its successor. The key pairs stay, so the
  PCs that trusted the old id recognise the new one by its signature (`desktop.sync.identity`).

A false alarm (a data folder moved on purpose) costs only a new id. A hub whose data is on a
database server is not checked: restoring it is the server's business (docs/sync.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import socket
import uuid
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from desktop.models.store.base import uuid7
from desktop.models.store.changelog import Replica
from desktop.models.store.sync_state import SyncIdentity, SyncPeer

log = logging.getLogger(__name__)

#: Left beside the data file by a restore: the next open retires the replica id.
RESTORED_MARKER = "replica-restored"


def _machine_id() -> str:
    for candidate in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        with contextlib.suppress(OSError):
            text = Path(candidate).read_text("ascii").strip()
            if text:
                return text
    if os.name == "nt":  # pragma: no cover - Windows only
        with contextlib.suppress(OSError, ImportError):
            import winreg

            with winreg.OpenKey(
                winreg.HKEY_LOCAL_MACHINE, r"SOFTWARE\Microsoft\Cryptography"
            ) as key:
                return str(winreg.QueryValueEx(key, "MachineGuid")[0])
    return socket.gethostname()


def home_of(path: Path) -> str:
    """Where the data file `path` lives: machine, path and file id, as one short digest."""
    resolved = path.resolve()
    facts = {"machine": _machine_id(), "path": str(resolved), "file": resolved.stat().st_ino}
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()[:32]


def mark_restored(folder: Path) -> None:
    """Note that the data file in `folder` is about to be replaced by a backup (see module)."""
    from desktop.models.store import keyring

    keyring.atomic_write(folder / RESTORED_MARKER, b"restored\n")  # private, as every file here


def was_restored(folder: Path) -> bool:
    return (folder / RESTORED_MARKER).exists()


def forget_restore(folder: Path) -> None:
    (folder / RESTORED_MARKER).unlink(missing_ok=True)


def check_home(session: Session, home: str, restored: bool) -> uuid.UUID | None:
    """Retire the local replica id if the data file is a copy or was restored; record `home`.

    Returns the new id when the old one was retired. A file from before homes were kept (no
    home yet) is only noted, not retired."""
    local = session.scalars(select(Replica).where(Replica.is_local)).one()
    if local.home == home and not restored:
        return None
    if local.home is None and not restored:
        local.home = home
        return None
    return retire(session, home)


def retire(session: Session, home: str | None) -> uuid.UUID:
    """Continue as a new replica id: the old one keeps its entries and is never written again."""
    old = session.scalars(select(Replica).where(Replica.is_local)).one()
    new = Replica(
        id=uuid7(),
        name=old.name,
        name_chosen=old.name_chosen,
        role=old.role,
        is_local=True,
        last_seq=0,
        last_hlc=old.last_hlc,
        home=home,
    )
    old.is_local = False
    old.succeeded_by = new.id
    session.flush()  # the old row stops being local before the new one is
    session.add(new)
    session.flush()
    # The same keys sign for the new id: peers that trusted the old one recognise it.
    session.execute(
        update(SyncIdentity).where(SyncIdentity.replica_id == old.id).values(replica_id=new.id)
    )
    # Peers number their bundles per recipient: the new id starts afresh with each of them
    # (bundles made for the old id are refused as addressed to another PC).
    session.execute(update(SyncPeer).values(last_in_seq=0))
    log.warning(
        "the data file is a copy or was restored: replica %s continues as %s", old.id, new.id
    )
    return new.id


def predecessors(session: Session) -> list[uuid.UUID]:
    """The ids this installation had before (newest first): what a new id continues."""
    by_successor = {
        row.succeeded_by: row.id
        for row in session.execute(
            select(Replica.id, Replica.succeeded_by).where(Replica.succeeded_by.is_not(None))
        )
    }
    found: list[uuid.UUID] = []
    current = session.scalar(select(Replica.id).where(Replica.is_local))
    while current in by_successor and len(found) < 100:
        current = by_successor[current]
        found.append(current)
    return found
