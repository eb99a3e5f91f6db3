# SPDX-License-Identifier: GPL-3.0-or-later
"""The change log: every insert, update and removal, recorded in the same transaction.

One entry per changed field (plus a `_row` entry when a record is created, removed or restored),
keyed by (origin replica, seq), stamped with the hybrid logical clock, carrying the old and the
new value as JSON and a *base pointer* to the field's previous entry. The base pointers record
what the editor had seen, which is what sync uses to tell a later edit from a concurrent one.
See docs/change-log.md.

The log is written by a session hook installed on every sessionmaker the app makes, so the GUI,
the command line and imports cannot bypass it. Code must write through ORM objects; a Core
`update()`/`delete()` on a synced table would not be logged (and hard deletes are refused).
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import json
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Index,
    Integer,
    String,
    Text,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from desktop.models import clock
from desktop.models.base import Base, SyncedRecord, uuid7

#: The pseudo-field of row-level entries (create, delete, restore).
ROW = "_row"
#: The data schema version written into every entry (bumped with each data migration).
SCHEMA_VERSION = 2


class Op(enum.StrEnum):
    CREATE = "create"
    SET = "set"
    DELETE = "delete"
    RESTORE = "restore"


class Replica(Base):
    """An installation holding data. Exactly one row is this installation (`is_local`)."""

    __tablename__ = "replica"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The last sequence number this replica's entries reached (as known here).
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The last clock stamp issued or seen here (only meaningful for the local replica).
    last_hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))


class Change(Base):
    """One entry of the change log. Never updated, never deleted."""

    __tablename__ = "change_log"

    origin: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    hlc: Mapped[int] = mapped_column(BigInteger)
    tx_id: Mapped[uuid.UUID]
    entity: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[uuid.UUID]
    field: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    base_origin: Mapped[uuid.UUID | None]
    base_seq: Mapped[int | None] = mapped_column(BigInteger)
    actor: Mapped[str | None] = mapped_column(String(100))
    schema_version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_change_log_record", "entity", "row_id"),
        Index("ix_change_log_hlc", "hlc"),
        Index("ix_change_log_tx", "tx_id"),
    )


class FieldHead(Base):
    """The entry that produced each field's current value: the base of the next edit."""

    __tablename__ = "field_head"

    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    origin: Mapped[uuid.UUID]
    seq: Mapped[int] = mapped_column(BigInteger)


def encode(value: Any) -> str | None:
    """A field value as canonical JSON; dates are ISO, UUIDs their canonical text, bytes base64."""
    if value is None:
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        value = base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID):
        value = str(value)
    elif isinstance(value, dt.datetime):
        value = value.isoformat()
    elif isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, enum.Enum):
        value = value.value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def logged_fields(record: SyncedRecord) -> list[str]:
    """The attribute names whose changes are logged: every column except the id and tombstone."""
    return [
        attr.key
        for attr in inspect(type(record)).column_attrs
        if attr.key not in ("id", "deleted")
    ]


class _Recorder:
    """Collects the entries of one flush and writes them with the replica's counters."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.entries: list[dict[str, Any]] = []
        self.heads: dict[tuple[str, uuid.UUID, str], tuple[uuid.UUID, int] | None] = {}

    def add(self, record: SyncedRecord, field: str, op: Op, old: Any, new: Any) -> None:
        self.entries.append(
            {
                "entity": record.__tablename__,
                "row_id": record.id,
                "field": field,
                "op": op.value,
                "old_value": encode(old),
                "new_value": encode(new),
            }
        )

    def write(self) -> None:
        if not self.entries:
            return
        conn = self.session.connection()
        local = conn.execute(
            select(Replica.id, Replica.last_seq, Replica.last_hlc).where(Replica.is_local)
        ).one_or_none()
        if local is None:
            raise RuntimeError("the database has no local replica; it was not opened by Database")
        origin, seq, stamp = local
        tx_id = self.session.info.setdefault("tx_id", uuid7())
        actor = self.session.info.get("actor")
        keys = {(e["entity"], e["row_id"], e["field"]) for e in self.entries}
        heads = self._current_heads(conn, keys)
        rows, head_rows = [], []
        for entry in self.entries:
            seq += 1
            stamp = clock.tick(stamp)
            key = (entry["entity"], entry["row_id"], entry["field"])
            base = heads.get(key)
            rows.append(
                entry
                | {
                    "origin": origin,
                    "seq": seq,
                    "hlc": stamp,
                    "tx_id": tx_id,
                    "base_origin": base[0] if base else None,
                    "base_seq": base[1] if base else None,
                    "actor": actor,
                    "schema_version": SCHEMA_VERSION,
                }
            )
            heads[key] = (origin, seq)
            head_rows.append(
                {"entity": key[0], "row_id": key[1], "field": key[2], "origin": origin, "seq": seq}
            )
        conn.execute(insert(Change), rows)
        upsert = sqlite_insert(FieldHead)
        upsert = upsert.on_conflict_do_update(
            index_elements=["entity", "row_id", "field"],
            set_={"origin": upsert.excluded.origin, "seq": upsert.excluded.seq},
        )
        # Only the last entry per field matters for the head.
        latest = {(r["entity"], r["row_id"], r["field"]): r for r in head_rows}
        conn.execute(upsert, list(latest.values()))
        conn.execute(
            update(Replica).where(Replica.id == origin).values(last_seq=seq, last_hlc=stamp)
        )

    @staticmethod
    def _current_heads(
        conn: Any, keys: set[tuple[str, uuid.UUID, str]]
    ) -> dict[tuple[str, uuid.UUID, str], tuple[uuid.UUID, int]]:
        by_row: dict[tuple[str, uuid.UUID], list[str]] = {}
        for entity, row_id, field in keys:
            by_row.setdefault((entity, row_id), []).append(field)
        heads: dict[tuple[str, uuid.UUID, str], tuple[uuid.UUID, int]] = {}
        for (entity, row_id), fields in by_row.items():
            result = conn.execute(
                select(FieldHead.field, FieldHead.origin, FieldHead.seq).where(
                    FieldHead.entity == entity,
                    FieldHead.row_id == row_id,
                    FieldHead.field.in_(fields),
                )
            )
            for field, origin, seq in result:
                heads[(entity, row_id, field)] = (origin, seq)
        return heads


class HardDeleteRefused(RuntimeError):
    """A synced record was deleted with session.delete(); it must be tombstoned instead."""


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, SyncedRecord):
            raise HardDeleteRefused(
                f"{type(obj).__name__} {obj.id} must be removed by setting `deleted`, not deleted"
            )


def _after_flush(session: Session, _context: Any) -> None:
    recorder = _Recorder(session)
    for obj in session.new:
        if not isinstance(obj, SyncedRecord):
            continue
        recorder.add(obj, ROW, Op.DELETE if obj.deleted else Op.CREATE, None, None)
        for field in logged_fields(obj):
            value = getattr(obj, field)
            if value is not None:
                recorder.add(obj, field, Op.SET, None, value)
    for obj in session.dirty:
        if not isinstance(obj, SyncedRecord) or obj in session.new:
            continue
        state = inspect(obj)
        for field in logged_fields(obj):
            history = state.attrs[field].history
            if not history.has_changes():
                continue
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if encode(old) != encode(new):
                recorder.add(obj, field, Op.SET, old, new)
        tombstone = state.attrs["deleted"].history
        if tombstone.has_changes():
            was = bool(tombstone.deleted[0]) if tombstone.deleted else False
            now = bool(tombstone.added[0]) if tombstone.added else False
            if was != now:
                recorder.add(obj, ROW, Op.DELETE if now else Op.RESTORE, None, None)
    recorder.write()


def _after_transaction_end(session: Session, _transaction: Any) -> None:
    session.info.pop("tx_id", None)


def install(sessions: sessionmaker[Session]) -> None:
    """Record every change made through sessions from `sessions` in the change log."""
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "after_transaction_end", _after_transaction_end)
