# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading the change log: a record's history, recent changes, and what waits to sync."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.models.store import clock
from desktop.models.store.changelog import Change, Replica, decode
from desktop.models.store.sync_state import SyncCheckpoint


@dataclasses.dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change-log entry as the audit views and `changes list` show it."""

    origin: uuid.UUID
    seq: int
    hlc: int
    when: dt.datetime
    entity: str
    row_id: uuid.UUID
    field: str
    op: str
    old_value: Any
    new_value: Any
    actor: str | None


def _row(change: Change) -> ChangeRow:
    return ChangeRow(
        change.origin,
        change.seq,
        change.hlc,
        clock.to_datetime(change.hlc),
        change.entity,
        change.row_id,
        change.field,
        change.op,
        decode(change.old_value),
        decode(change.new_value),
        change.actor,
    )


def recent_changes(session: Session, limit: int = 100) -> list[ChangeRow]:
    stmt = select(Change).order_by(Change.hlc.desc(), Change.seq.desc()).limit(limit)
    return [_row(c) for c in session.scalars(stmt)]


def pending_change_count(session: Session) -> int:
    """Entries made here that no peer has acknowledged yet.

    A peer acknowledges what it holds in the version vector of each bundle it sends (kept in
    `sync_checkpoint`); an entry at or below the highest acknowledged number of this replica
    has reached at least one peer. With no peer, every entry made here waits.

    A replica numbers its entries 1, 2, 3… and never deletes one, so the count is the
    difference of two numbers read from the key's index: the status bar shows it after every
    change, and counting the rows read the whole log of a PC that never synced (issue #22).
    """
    local = session.scalar(select(Replica.id).where(Replica.is_local))
    acknowledged = (
        session.scalar(select(func.max(SyncCheckpoint.seq)).where(SyncCheckpoint.origin == local))
        or 0
    )
    newest = session.scalar(select(func.max(Change.seq)).where(Change.origin == local)) or 0
    return max(0, newest - acknowledged)
