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
import functools
import uuid
from collections.abc import Callable, Iterable, Mapping
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
    bindparam,
    delete,
    select,
)

from desktop.models.register import pinyin
from desktop.models.store import portable
from desktop.models.store.base import Base
from desktop.models.store.changelog import ROW, Change, ChangeBase, FieldHead, Op, decode
from desktop.models.store.sync_state import SyncConflict
from desktop.sync import errors

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


#: Records read or written per statement when many are applied at once (an import's records
#: of one table; below SQLite's limit of bound parameters).
CHUNK = 500


def load_entries(conn: Any, entity: str, row_id: uuid.UUID) -> dict[Key, Entry]:
    return load_entries_of(conn, entity, [row_id])[row_id]


def load_entries_of(
    conn: Any, entity: str, row_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[Key, Entry]]:
    """`load_entries` of each of `row_ids` (at most `CHUNK`), with two queries in all."""
    found: dict[uuid.UUID, dict[Key, Entry]] = {row_id: {} for row_id in row_ids}
    rows = conn.execute(
        select(
            Change.row_id,
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
        ).where(Change.entity == entity, Change.row_id.in_(row_ids))
    ).all()
    for r in rows:
        found[r.row_id][(r.origin, r.seq)] = Entry(
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
    extra = conn.execute(
        select(
            Change.row_id,
            ChangeBase.origin,
            ChangeBase.seq,
            ChangeBase.base_origin,
            ChangeBase.base_seq,
        )
        .join(Change, and_(Change.origin == ChangeBase.origin, Change.seq == ChangeBase.seq))
        .where(Change.entity == entity, Change.row_id.in_(row_ids))
    ).all()
    for row_id, origin, seq, base_origin, base_seq in extra:
        found[row_id][(origin, seq)].extra.add((base_origin, base_seq))
    return found


def entry_of(row: Mapping[str, Any]) -> Entry:
    """An entry as the merge reads it, from a change-log row given as a mapping (an incoming
    entry, with its further bases as `extra_bases`)."""
    base = (row["base_origin"], row["base_seq"]) if row["base_origin"] is not None else None
    return Entry(
        row["origin"],
        row["seq"],
        row["hlc"],
        row["field"],
        row["op"],
        row["old_value"],
        row["new_value"],
        base,
        row["actor"],
        {(o, s) for o, s in row.get("extra_bases", ())},
    )


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
    return _apply_chunk(conn, entity, [row_id])[0]


#: Column values as the merge writes them, by (table, column, logged text): an import decodes
#: the same few genders, dates and group ids thousands of times (only small immutable values).
Decoded = dict[tuple[str, str, str | None], Any]


def _value_of(column: Any, text: str | None, decoded: Decoded) -> Any:
    key = (column.table.name, column.name, text)
    if key in decoded:
        return decoded[key]
    value = _python_value(column, decode(text))
    if value is None or isinstance(value, str | int | float | dt.date | uuid.UUID):
        decoded[key] = value
    return value


@functools.cache
def _columns(table: Table) -> tuple[dict[str, Any], list[Any]]:
    """A table's columns that entries set (by name), and its derived columns."""
    logged = {c.name: c for c in table.c if c.name not in ("id", "deleted", ROW)}
    return logged, [c for c in table.c if pinyin.is_derived(c)]


def _values(
    table: Table,
    state: RecordState,
    decoded: Decoded | None = None,
    current: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The record's columns as its entries give them (the provisional winners); `current`:
    the row as it is, whose derived columns stay when their source did not change."""
    decoded = {} if decoded is None else decoded
    columns, derived = _columns(table)
    values: dict[str, Any] = {}
    for name, leaves in state.leaves.items():
        column = columns.get(name)
        if column is not None:
            values[name] = _value_of(column, leaves[0].new_value, decoded)
    values["deleted"] = state.deleted
    # Derived columns (a name's pinyin keys) are never in the log: computed here from the name
    # (once per name: an unchanged name keeps the keys it has).
    if current is not None:
        for column in derived:
            source = column.info["derived_from"]
            if source in values and current[source] == values[source]:
                values[column.name] = current[column.name]
    pinyin.derived_values([c for c in derived if c.name not in values], values)
    return values


def _completed(table: Table, values: dict[str, Any]) -> dict[str, Any] | None:
    """`values` with the defaults of the columns they lack, or None when a required column
    has no default (incomplete entries, which should not happen: stored, not shown)."""
    for column in table.c:
        if column.name in values or column.name == "id" or column.nullable:
            continue
        default = column.default
        if default is None or not default.is_scalar:
            return None
        values[column.name] = default.arg
    return values


def _apply_chunk(
    conn: Any,
    entity: str,
    row_ids: list[uuid.UUID],
    fresh: Mapping[tuple[str, uuid.UUID], list[Entry]] | None = None,
    decoded: Decoded | None = None,
) -> list[Outcome]:
    """`apply_record` for each of `row_ids` (at most `CHUNK` of one entity), with one statement
    per kind of write for them all instead of about six per record; `fresh`: entries of these
    records not stored yet, added to the stored ones (see `apply_records`); `decoded`: values
    already decoded (shared by the chunks of one import)."""
    decoded = {} if decoded is None else decoded
    loaded = load_entries_of(conn, entity, row_ids)
    for row_id in row_ids:
        for entry in (fresh or {}).get((entity, row_id), ()):
            loaded[row_id][entry.key] = entry
    outcomes = {row_id: Outcome() for row_id in row_ids}
    states = {row_id: compute(loaded[row_id]) for row_id in row_ids if loaded[row_id]}
    if not states:
        return [outcomes[row_id] for row_id in row_ids]
    _write_heads(conn, entity, states)
    for row_id, state in states.items():
        outcomes[row_id].conflicts = state.conflicted_fields()
    _write_conflicts(conn, entity, {row_id: outcomes[row_id].conflicts for row_id in states})
    table = synced_table(entity)
    if table is None:
        return [outcomes[row_id] for row_id in row_ids]
    current = {
        row["id"]: row
        for row in conn.execute(select(table).where(table.c.id.in_(list(states)))).mappings()
    }
    inserts: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row_id, state in states.items():
        values = _values(table, state, decoded, current.get(row_id))
        if row_id not in current:
            if ROW not in state.leaves:
                continue  # no creation seen here: keep the entries, show nothing
            completed = _completed(table, values)
            if completed is None:
                continue
            inserts.setdefault(tuple(sorted(completed)), []).append({"id": row_id, **completed})
            outcomes[row_id].added = True
            continue
        changed = {k: v for k, v in values.items() if current[row_id][k] != v}
        if changed:
            updates.setdefault(tuple(sorted(changed)), []).append({"_id": row_id, **changed})
            outcomes[row_id].fields_updated = len(changed)
    for rows in inserts.values():  # one insert per set of columns given
        conn.execute(table.insert(), rows)
    for rows in updates.values():  # one update per set of columns changed
        conn.execute(table.update().where(table.c.id == bindparam("_id")), rows)
    return [outcomes[row_id] for row_id in row_ids]


def _write_heads(conn: Any, entity: str, states: dict[uuid.UUID, RecordState]) -> None:
    rows = [
        (entity, row_id, name, leaves[0].origin, leaves[0].seq)
        for row_id, state in states.items()
        for name, leaves in state.leaves.items()
    ]
    upsert = portable.insert(FieldHead, conn)
    upsert = upsert.on_conflict_do_update(
        index_elements=["entity", "row_id", "field"],
        set_={"origin": upsert.excluded.origin, "seq": upsert.excluded.seq},
    )
    portable.execute_many(conn, upsert, ("entity", "row_id", "field", "origin", "seq"), rows)


def _write_conflicts(conn: Any, entity: str, conflicts: dict[uuid.UUID, dict[str, str]]) -> None:
    """Each record's open conflicts become `conflicts[row_id]`: others listed are closed."""
    listed = conn.execute(
        select(SyncConflict.id, SyncConflict.row_id, SyncConflict.field).where(
            SyncConflict.entity == entity, SyncConflict.row_id.in_(list(conflicts))
        )
    ).all()
    closed = [id_ for id_, row_id, name in listed if name not in conflicts[row_id]]
    if closed:
        conn.execute(delete(SyncConflict).where(SyncConflict.id.in_(closed)))
    now = dt.datetime.now(dt.UTC)
    rows = [
        {"entity": entity, "row_id": row_id, "field": name, "kind": kind, "opened_at": now}
        for row_id, fields in conflicts.items()
        for name, kind in fields.items()
    ]
    if rows:
        upsert = portable.insert(SyncConflict, conn)
        upsert = upsert.on_conflict_do_update(
            index_elements=["entity", "row_id", "field"], set_={"kind": upsert.excluded.kind}
        )
        conn.execute(upsert, rows)


def table_order() -> dict[str, int]:
    """Parents before children, so that a new record's references already exist."""
    return {table.name: i for i, table in enumerate(Base.metadata.sorted_tables)}


def apply_records(
    conn: Any,
    records: Iterable[tuple[str, uuid.UUID]],
    fresh: Iterable[Mapping[str, Any]] = (),
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[Outcome]:
    """`apply_record` for each record, parents' tables first, `CHUNK` records of a table at
    a time (an import of a whole branch runs a few statements per chunk, not per record).

    `fresh`: entries of these records that are not stored yet (change-log rows as mappings,
    with `extra_bases`), merged with the stored ones in memory: an import applies its entries
    before it stores them, so it never reads back what it has just written.

    `progress(done, total)` is told the records applied so far after each chunk (and `(0,
    total)` first); `cancelled()` is asked before each chunk: True stops with
    `ImportCancelled`, and the caller's transaction, rolled back, leaves nothing half done.
    """
    pending: dict[tuple[str, uuid.UUID], list[Entry]] = {}
    for row in fresh:
        pending.setdefault((row["entity"], row["row_id"]), []).append(entry_of(row))
    order = table_order()
    ordered = sorted(set(records), key=lambda r: (order.get(r[0], len(order)), r[0], r[1]))
    decoded: Decoded = {}
    outcomes: list[Outcome] = []
    start = 0
    if progress is not None:
        progress(0, len(ordered))
    while start < len(ordered):
        if cancelled is not None and cancelled():
            raise errors.ImportCancelled()
        entity = ordered[start][0]
        end = start
        while end < len(ordered) and end - start < CHUNK and ordered[end][0] == entity:
            end += 1
        chunk = [row_id for _e, row_id in ordered[start:end]]
        outcomes.extend(_apply_chunk(conn, entity, chunk, pending, decoded))
        start = end
        if progress is not None:
            progress(start, len(ordered))
    return outcomes
