# SPDX-License-Identifier: GPL-3.0-or-later
"""The merge: a record's current state as a function of the set of its change-log entries.

Per field, the entries form a tree through their base pointers. An entry is a *leaf* when no other
entry of the same field names it as a base. One leaf: that is the value. Several leaves: the edits
were concurrent (neither editor had seen the other's value): every replica shows the same
provisional winner (highest clock stamp, then origin id, then seq) and the field is listed as a
conflict until a person picks a value. Clocks never decide *whether* edits were concurrent.

A removal (`_row` delete) names, as further bases, the entries it had seen in every field. If a
field holds a leaf the removal had not seen (an edit made elsewhere at the same time), the record
stays visible and a "delete" conflict asks a person to confirm the removal or keep the record.

Because the state depends only on the set of entries, the order in which bundles arrive, and
receiving the same entry twice, change nothing. `apply_record` writes that state to the record's
table, its field heads and the conflict list, with Core statements that the change-log hook does
not see: remote entries are stored once, with their own origin and seq, never re-logged as local.
"""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    Table,
    Uuid,
    and_,
    delete,
    select,
)

from desktop.models.register import pinyin
from desktop.models.store import portable
from desktop.models.store.base import Base
from desktop.models.store.changelog import ROW, Change, ChangeBase, FieldHead, Op, decode
from desktop.models.store.sync_state import SyncConflict

Key = tuple[uuid.UUID, int]


@dataclass
class Entry:
    origin: uuid.UUID
    seq: int
    hlc: int
    field: str
    op: str
    old_value: str | None
    new_value: str | None
    base: Key | None
    actor: str | None
    extra: set[Key] = field(default_factory=set)

    @property
    def key(self) -> Key:
        return (self.origin, self.seq)

    @property
    def rank(self) -> tuple[int, bytes, int]:
        """Provisional-winner order: clock stamp, then origin replica id, then seq."""
        return (self.hlc, self.origin.bytes, self.seq)


@dataclass
class RecordState:
    entries: dict[Key, Entry]
    #: Per field, its leaves, provisional winner first.
    leaves: dict[str, list[Entry]]
    deleted: bool
    #: Leaves a winning removal had not seen (non-empty: a delete conflict).
    unseen: list[Entry]

    def conflicted_fields(self) -> dict[str, str]:
        """field → kind ("value" or "delete") of each open conflict of the record."""
        # Concurrent edits that wrote the same value agree: not a conflict (#14).
        found = {
            name: "value"
            for name, leaves in self.leaves.items()
            if len({(leaf.op, leaf.new_value) for leaf in leaves}) > 1
        }
        if self.unseen:
            found[ROW] = "delete"
        return found


def load_entries(conn: Any, entity: str, row_id: uuid.UUID) -> dict[Key, Entry]:
    rows = conn.execute(
        select(
            Change.origin,
            Change.seq,
            Change.hlc,
            Change.field,
            Change.op,
            Change.old_value,
            Change.new_value,
            Change.base_origin,
            Change.base_seq,
            Change.actor,
        ).where(Change.entity == entity, Change.row_id == row_id)
    ).all()
    entries = {
        (r.origin, r.seq): Entry(
            r.origin,
            r.seq,
            r.hlc,
            r.field,
            r.op,
            r.old_value,
            r.new_value,
            (r.base_origin, r.base_seq) if r.base_origin is not None else None,
            r.actor,
        )
        for r in rows
    }
    extra = conn.execute(
        select(ChangeBase.origin, ChangeBase.seq, ChangeBase.base_origin, ChangeBase.base_seq)
        .join(Change, and_(Change.origin == ChangeBase.origin, Change.seq == ChangeBase.seq))
        .where(Change.entity == entity, Change.row_id == row_id)
    ).all()
    for origin, seq, base_origin, base_seq in extra:
        entries[(origin, seq)].extra.add((base_origin, base_seq))
    return entries


def _same_field_bases(entry: Entry, entries: dict[Key, Entry]) -> list[Key]:
    keys = ([entry.base] if entry.base else []) + sorted(entry.extra)
    return [k for k in keys if k in entries and entries[k].field == entry.field]


def ancestors_or_self(entry: Entry, entries: dict[Key, Entry]) -> set[Key]:
    seen: set[Key] = set()
    stack = [entry.key]
    while stack:
        key = stack.pop()
        if key in seen:
            continue
        seen.add(key)
        stack.extend(_same_field_bases(entries[key], entries))
    return seen


def compute(entries: dict[Key, Entry]) -> RecordState:
    by_field: dict[str, list[Entry]] = {}
    replaced: set[Key] = set()
    for entry in entries.values():
        by_field.setdefault(entry.field, []).append(entry)
        replaced.update(_same_field_bases(entry, entries))
    leaves = {
        name: sorted(
            (e for e in group if e.key not in replaced), key=lambda e: e.rank, reverse=True
        )
        for name, group in by_field.items()
    }
    deleted, unseen = False, []
    row_leaves = leaves.get(ROW, [])
    if row_leaves and row_leaves[0].op == Op.DELETE.value:
        seen: set[Key] = set()
        for key in ancestors_or_self(row_leaves[0], entries):
            removal = entries[key]
            if removal.op != Op.DELETE.value:
                continue
            for base in removal.extra:
                if base in entries and entries[base].field != ROW:
                    seen |= ancestors_or_self(entries[base], entries)
        unseen = [
            leaf
            for name, group in sorted(leaves.items())
            if name != ROW
            for leaf in group
            if leaf.key not in seen
        ]
        deleted = not unseen
    return RecordState(entries, leaves, deleted, unseen)


def _python_value(column: Any, value: Any) -> Any:
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return dt.date.fromisoformat(value)
    if isinstance(kind, Uuid):
        return uuid.UUID(value)
    if isinstance(kind, Boolean):
        return bool(value)
    if isinstance(kind, Integer):
        return int(value)
    if isinstance(kind, LargeBinary):
        # The change log keeps bytes (a steward's photo) as base64 text.
        return base64.b64decode(value)
    return value


def synced_table(entity: str) -> Table | None:
    """The table of a synced entity this version knows (else its entries are only stored)."""
    table = Base.metadata.tables.get(entity)
    if table is None or "id" not in table.c or "deleted" not in table.c:
        return None
    return table


@dataclass
class Outcome:
    added: bool = False
    fields_updated: int = 0
    conflicts: dict[str, str] = field(default_factory=dict)


def apply_record(conn: Any, entity: str, row_id: uuid.UUID) -> Outcome:
    """Bring the record's row, field heads and conflicts in line with its entries."""
    entries = load_entries(conn, entity, row_id)
    outcome = Outcome()
    if not entries:
        return outcome
    state = compute(entries)
    _write_heads(conn, entity, row_id, state)
    outcome.conflicts = state.conflicted_fields()
    _write_conflicts(conn, entity, row_id, outcome.conflicts)
    table = synced_table(entity)
    if table is None:
        return outcome
    values: dict[str, Any] = {}
    for name, leaves in state.leaves.items():
        if name != ROW and name in table.c and name != "id" and name != "deleted":
            values[name] = _python_value(table.c[name], decode(leaves[0].new_value))
    values["deleted"] = state.deleted
    # Derived columns (a name's pinyin keys) are never in the log: computed here from the name.
    pinyin.derived_values(table.c, values)
    current = conn.execute(select(table).where(table.c.id == row_id)).mappings().one_or_none()
    if current is None:
        if ROW not in state.leaves:
            return outcome  # no creation seen here: keep the entries, show nothing
        for column in table.c:
            if column.name in values or column.name == "id" or column.nullable:
                continue
            default = column.default
            if default is None or not default.is_scalar:
                return outcome  # incomplete (should not happen): stored, not shown
            values[column.name] = default.arg
        conn.execute(table.insert().values(id=row_id, **values))
        outcome.added = True
        return outcome
    changed = {k: v for k, v in values.items() if current[k] != v}
    if changed:
        conn.execute(table.update().where(table.c.id == row_id).values(**changed))
        outcome.fields_updated = len(changed)
    return outcome


def _write_heads(conn: Any, entity: str, row_id: uuid.UUID, state: RecordState) -> None:
    rows = [
        {
            "entity": entity,
            "row_id": row_id,
            "field": name,
            "origin": leaves[0].origin,
            "seq": leaves[0].seq,
        }
        for name, leaves in state.leaves.items()
    ]
    upsert = portable.insert(FieldHead, conn)
    upsert = upsert.on_conflict_do_update(
        index_elements=["entity", "row_id", "field"],
        set_={"origin": upsert.excluded.origin, "seq": upsert.excluded.seq},
    )
    conn.execute(upsert, rows)


def _write_conflicts(conn: Any, entity: str, row_id: uuid.UUID, conflicts: dict[str, str]) -> None:
    conn.execute(
        delete(SyncConflict).where(
            SyncConflict.entity == entity,
            SyncConflict.row_id == row_id,
            SyncConflict.field.not_in(list(conflicts)),
        )
    )
    for name, kind in conflicts.items():
        upsert = portable.insert(SyncConflict, conn).values(
            entity=entity,
            row_id=row_id,
            field=name,
            kind=kind,
            opened_at=dt.datetime.now(dt.UTC),
        )
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=["entity", "row_id", "field"], set_={"kind": kind}
            )
        )


def table_order() -> dict[str, int]:
    """Parents before children, so that a new record's references already exist."""
    return {table.name: i for i, table in enumerate(Base.metadata.sorted_tables)}


def apply_records(conn: Any, records: Iterable[tuple[str, uuid.UUID]]) -> list[Outcome]:
    order = table_order()
    ordered = sorted(set(records), key=lambda r: (order.get(r[0], len(order)), r[0], r[1]))
    return [apply_record(conn, entity, row_id) for entity, row_id in ordered]
