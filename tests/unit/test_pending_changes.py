# SPDX-License-Identifier: GPL-3.0-or-later
"""The status bar's count of changes waiting to sync, read without counting the whole log."""

from __future__ import annotations

from sqlalchemy import func, select

from desktop.models.store import history
from desktop.models.store.changelog import Change, Replica


def _counted(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        local = session.scalar(select(Replica.id).where(Replica.is_local))
        return session.scalar(select(func.count()).where(Change.origin == local)) or 0


def test_the_count_is_every_entry_made_here_while_no_peer_has_any(db, branch, make_member):
    for _ in range(3):
        make_member()
    with db.read() as session:
        pending = history.pending_change_count(session)
    assert pending == _counted(db) > 0
