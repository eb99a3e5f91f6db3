# SPDX-License-Identifier: GPL-3.0-or-later
"""Sync's own bookkeeping: this PC's keys, trusted peers, what each peer holds, open conflicts.

None of these tables is synced (they are not `SyncedRecord`s): they describe this installation's
relation to others. See docs/sync.md.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import BigInteger, Integer, LargeBinary, String, Text, UniqueConstraint, update
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.store.base import Base


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SyncIdentity(Base):
    """This installation's key pairs, made on first use. Exactly one row. Never leaves the PC."""

    __tablename__ = "sync_identity"

    replica_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    #: Raw 32-byte Ed25519 private key (signs bundles and cards).
    sign_key: Mapped[bytes] = mapped_column(LargeBinary)
    #: Raw 32-byte X25519 private key (opens bundles addressed to this PC).
    box_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)


class SyncPeer(Base):
    """A replica this one trusts: its public keys and the branches it may send and receive."""

    __tablename__ = "sync_peer"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    #: The name its card (or its latest bundle) gives itself.
    name: Mapped[str] = mapped_column(String(200), default="")
    #: What this PC's clerk calls it (`sync trust CARD --name`), shown over `name`.
    local_name: Mapped[str | None] = mapped_column(String(200))
    sign_public: Mapped[bytes] = mapped_column(LargeBinary)
    box_public: Mapped[bytes] = mapped_column(LargeBinary)
    #: JSON list of branch ids (text) this peer is entitled to.
    branches: Mapped[str] = mapped_column(Text, default="[]")
    trusted_at: Mapped[dt.datetime] = mapped_column(default=_now)
    last_import_at: Mapped[dt.datetime | None]
    last_export_at: Mapped[dt.datetime | None]
    #: The last bundle number imported from this peer (older or equal ones are replays).
    last_in_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The last bundle number exported to this peer.
    last_out_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncCheckpoint(Base):
    """What a peer is known to hold: the highest seq of each origin (a version vector)."""

    __tablename__ = "sync_checkpoint"

    peer_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    origin: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    #: How far an export read this origin's log above `seq` and found only entries of branches
    #: the peer may not have: the next export starts reading there (issue #14). Forgotten
    #: (`forget_skipped`) whenever a record moves between branches, which can make a skipped
    #: entry the peer's.
    skipped_to: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


def places(entity: str, field: str) -> bool:
    """Whether `field` of a record of `entity` decides its branch: its `branch_id`, or a foreign
    key to the parent it belongs with (`desktop.sync.scope`)."""
    table = Base.metadata.tables.get(entity)
    return field == "branch_id" or (
        table is not None and any(fk.parent.name == field for fk in table.foreign_keys)
    )


def forget_skipped(conn: Any) -> None:
    """Every peer's export reads from its vector again (`SyncCheckpoint.skipped_to`): a record
    moved to another branch, so an entry an export left out may now be for a peer."""
    conn.execute(update(SyncCheckpoint).where(SyncCheckpoint.skipped_to > 0).values(skipped_to=0))


class SyncConflict(Base):
    """A field (or a removal) with more than one current value, waiting for a person."""

    __tablename__ = "sync_conflict"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID]
    field: Mapped[str] = mapped_column(String(64))
    #: "value": concurrent values of one field; "delete": a removal that missed an edit.
    kind: Mapped[str] = mapped_column(String(16), default="value")
    opened_at: Mapped[dt.datetime] = mapped_column(default=_now)

    __table_args__ = (UniqueConstraint("entity", "row_id", "field", name="uq_sync_conflict_key"),)


class SyncImport(Base):
    """One imported bundle: when, from whom, and what it changed (the summary shown)."""

    __tablename__ = "sync_import"

    bundle_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    sender: Mapped[uuid.UUID]
    bundle_seq: Mapped[int] = mapped_column(BigInteger)
    imported_at: Mapped[dt.datetime] = mapped_column(default=_now)
    entries_new: Mapped[int] = mapped_column(Integer, default=0)
    records_added: Mapped[int] = mapped_column(Integer, default=0)
    fields_updated: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
