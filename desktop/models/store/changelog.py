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
import hashlib
import json
import uuid
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    event,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from desktop.models.store import clock, portable
from desktop.models.store.base import Base, SyncedRecord, uuid7
from desktop.models.store.sync_state import forget_skipped, places

#: The pseudo-field of row-level entries (create, delete, restore).
ROW = "_row"
#: The data schema version written into every entry (bumped with each data migration).
SCHEMA_VERSION = 2
#: Records looked up per `IN (...)` (below SQLite's limit of bound parameters).
_IN_CHUNK = 500


class Op(enum.StrEnum):
    CREATE = "create"
    SET = "set"
    DELETE = "delete"
    RESTORE = "restore"


class Replica(Base):
    """An installation holding data. Exactly one row is this installation (`is_local`)."""

    __tablename__ = "replica"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    #: What people call it. The local replica's is its clerk's choice (`name_chosen`), else
    #: empty: then its branch and role name it (`desktop.sync.identity.local_name`). Another
    #: replica's is the name its bundles or card last gave.
    name: Mapped[str] = mapped_column(String(200), default="")
    is_local: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The local replica's role: "office", "laptop" or "hub" (None: not said, an office PC).
    role: Mapped[str | None] = mapped_column(String(16))
    name_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The last sequence number this replica's entries reached (as known here).
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The last clock stamp issued or seen here (only meaningful for the local replica).
    last_hlc: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))
    #: Where the local replica's data file lives (`desktop.models.store.replica.home_of`).
    home: Mapped[str | None] = mapped_column(String(64))
    #: The id that continued this one after a restore or a copy (this one is never written again).
    succeeded_by: Mapped[uuid.UUID | None]
    #: The Ed25519 key this replica's changes are verified with (pinned when first learnt).
    sign_public: Mapped[bytes | None] = mapped_column(LargeBinary)


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
        Index("ix_change_log_actor", "actor", "hlc"),  # the audit trail by account (#22)
    )


class ChangeBase(Base):
    """A further entry an entry's author had seen, besides its `base` pointer.

    Two kinds of entries carry them: a resolution of a conflict (it supersedes every value the
    person saw listed, not only the shown one), and a removal (`_row` delete), which names the
    last entry of every field of the record so that sync can tell whether the removal was made
    without seeing a concurrent edit. Only a further base *in the same field* supersedes.
    """

    __tablename__ = "change_base"

    origin: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    base_origin: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    base_seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)

    __table_args__ = (Index("ix_change_base_base", "base_origin", "base_seq"),)


class ChangeSignature(Base):
    """A transaction's signature by its origin: the digests of its entries (seq order, 32 bytes
    each) signed with the origin's key (`desktop.sync.signing`). Relays forward it unchanged."""

    __tablename__ = "change_signature"

    origin: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tx_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    digests: Mapped[bytes] = mapped_column(LargeBinary)
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class FieldHead(Base):
    """The entry that produced each field's current value: the base of the next edit."""

    __tablename__ = "field_head"

    entity: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    origin: Mapped[uuid.UUID]
    seq: Mapped[int] = mapped_column(BigInteger)


#: One encoder for every value: json.dumps with options builds a new one per call, which cost
#: more than the encoding itself when a bulk add logs 20 fields of 10,000 members.
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


#: What `_JSON` writes for a str (with `ensure_ascii` off): the C function itself.
_JSON_TEXT = json.encoder.encode_basestring


def encode(value: Any) -> str | None:
    """A field value as canonical JSON; dates are ISO, UUIDs their canonical text, bytes base64."""
    if value is None:
        return None
    # The values a register's records hold, first and exactly as below (a bulk add encodes
    # 20 fields of every member: #22). ISO dates and UUIDs have nothing to escape.
    kind = type(value)
    if kind is str:
        return _JSON_TEXT(value)
    if kind is dt.date or kind is uuid.UUID:
        return f'"{value}"'
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, bytes | bytearray | memoryview):
        value = base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, uuid.UUID):
        value = str(value)
    elif isinstance(value, dt.datetime | dt.date):
        value = value.isoformat()
    elif isinstance(value, enum.Enum):
        value = value.value
    return _JSON.encode(value)


#: What an entry says, in the order its digest covers: same (origin, seq), same digest, or two
#: replicas wrote under one identity.
ENTRY_FIELDS = (
    "origin",
    "seq",
    "hlc",
    "tx_id",
    "entity",
    "row_id",
    "field",
    "op",
    "old_value",
    "new_value",
    "base_origin",
    "base_seq",
    "actor",
    "schema_version",
)


#: Where `ENTRY_FIELDS` holds ids (written as their canonical text).
_ID_FIELDS = tuple(
    i for i, name in enumerate(ENTRY_FIELDS) if name in ("origin", "tx_id", "row_id", "base_origin")
)
_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def entry_sha256(entry: Any, texts: dict[uuid.UUID, str] | None = None) -> bytes:
    """A SHA-256 over an entry's content (a mapping with `ENTRY_FIELDS`).

    Computed for every entry an import receives (its signature covers it), so written for speed;
    the bytes hashed are those of `json.dumps(values, ensure_ascii=False, separators=(",", ":"))`
    with ids as their canonical text, as always. `texts`: the ids' texts made so far, kept by a
    caller that hashes many entries (they share their origin, transaction and record)."""
    values = [entry[name] for name in ENTRY_FIELDS]
    for i in _ID_FIELDS:
        value = values[i]
        if isinstance(value, uuid.UUID):
            if texts is None:
                values[i] = str(value)
            else:
                text = texts.get(value)
                if text is None:
                    text = texts[value] = str(value)
                values[i] = text
    return hashlib.sha256(_COMPACT_JSON(values).encode("utf-8")).digest()


def entry_digest(entry: Any) -> str:
    """A SHA-256 over an entry's content (a mapping with `ENTRY_FIELDS`), as hex."""
    return entry_sha256(entry).hex()


def decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def logged_fields(record: SyncedRecord) -> list[str]:
    """The attribute names whose changes are logged: every column except the id, the tombstone
    and derived columns (a name's pinyin keys: each replica computes its own, see pinyin.py)."""
    return [
        attr.key
        for attr in inspect(type(record)).column_attrs
        if attr.key not in ("id", "deleted") and "derived_from" not in attr.columns[0].info
    ]


class _Recorder:
    """Collects the entries of one flush and writes them with the replica's counters."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.entries: list[dict[str, Any]] = []
        self.heads: dict[tuple[str, uuid.UUID, str], tuple[uuid.UUID, int] | None] = {}

    def add(self, record: SyncedRecord, field: str, op: Op, old: Any, new: Any) -> None:
        self.add_entry(record.__tablename__, record.id, field, op, encode(old), encode(new))

    def add_entry(
        self,
        entity: str,
        row_id: uuid.UUID,
        field: str,
        op: Op,
        old_value: str | None,
        new_value: str | None,
        extra_bases: list[tuple[uuid.UUID, int]] | None = None,
    ) -> None:
        """An entry given as encoded values; `extra_bases` are further entries it supersedes."""
        entry: dict[str, Any] = {
            "entity": entity,
            "row_id": row_id,
            "field": field,
            "op": op.value,
            "old_value": old_value,
            "new_value": new_value,
        }
        if extra_bases:
            entry["extra_bases"] = list(extra_bases)
        self.entries.append(entry)

    def write(self, fresh: bool = False) -> None:
        """Write the entries; `fresh` when every one is about a record created in this
        transaction (no field has a head yet), which skips looking the heads up."""
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
        wall_clock = self.session.info.get("wall_clock") or clock.wall_ms
        heads: dict[tuple[str, uuid.UUID, str], tuple[uuid.UUID, int, int]] = {}
        if not fresh:
            keys = {(e["entity"], e["row_id"], e["field"]) for e in self.entries}
            heads = self._current_heads(conn, keys)
        rows, head_rows, extra_rows, removals = [], [], [], []
        first_seq = seq
        siblings = _EqualLeaves(conn)
        for entry in self.entries:
            seq += 1
            key = (entry["entity"], entry["row_id"], entry["field"])
            base = heads.get(key)
            # Past the entry it replaces, so that a new value always shows over the one it
            # replaces, even when that one came from a PC whose clock runs ahead. But a stamp
            # further ahead than the allowed drift stays on this entry only: it never drags
            # this replica's clock (and every later change, on any record) along (#14).
            now = wall_clock()
            ticked = clock.tick(stamp, now)
            entry_stamp = max(ticked, (base[2] + 1) if base else 0)
            ahead = clock.physical_ms(entry_stamp) > now + clock.MAX_FORWARD_MS
            stamp = ticked if ahead else entry_stamp
            extras = entry.pop("extra_bases", None)
            if (
                extras is None
                and base is not None
                and not (base[0] == origin and base[1] > first_seq)
            ):
                # Concurrent edits that wrote the value shown are one value (not a conflict):
                # replacing it replaces all of them, or they would come back as a conflict.
                extras = siblings.of(key, (base[0], base[1]))
            for extra in extras or ():
                extra_rows.append(
                    {"origin": origin, "seq": seq, "base_origin": extra[0], "base_seq": extra[1]}
                )
            if entry["op"] == Op.DELETE.value:
                removals.append((entry["entity"], entry["row_id"], seq))
            rows.append(
                entry
                | {
                    "origin": origin,
                    "seq": seq,
                    "hlc": entry_stamp,
                    "tx_id": tx_id,
                    "base_origin": base[0] if base else None,
                    "base_seq": base[1] if base else None,
                    "actor": actor,
                    "schema_version": SCHEMA_VERSION,
                }
            )
            heads[key] = (origin, seq, entry_stamp)
            head_rows.append(
                {"entity": key[0], "row_id": key[1], "field": key[2], "origin": origin, "seq": seq}
            )
        conn.execute(insert(Change), rows)
        if any(r["base_origin"] is not None and places(r["entity"], r["field"]) for r in rows):
            forget_skipped(conn)  # a record moved: what exports left out may now be sent
        for entity, row_id, seq_of_removal in removals:
            extra_rows.extend(
                {"origin": origin, "seq": seq_of_removal, "base_origin": o, "base_seq": s}
                for o, s in leaves_of_record(conn, entity, row_id)
            )
        if extra_rows:
            conn.execute(portable.insert(ChangeBase, conn).on_conflict_do_nothing(), extra_rows)
        upsert = portable.insert(FieldHead, conn)
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
    ) -> dict[tuple[str, uuid.UUID, str], tuple[uuid.UUID, int, int]]:
        by_entity: dict[str, set[uuid.UUID]] = {}
        for entity, row_id, _field in keys:
            by_entity.setdefault(entity, set()).add(row_id)
        heads: dict[tuple[str, uuid.UUID, str], tuple[uuid.UUID, int, int]] = {}
        for entity, row_ids in by_entity.items():
            ordered = sorted(row_ids)
            # One query per chunk of records (an import's flush holds hundreds), not per record.
            for start in range(0, len(ordered), _IN_CHUNK):
                result = conn.execute(
                    select(
                        FieldHead.row_id,
                        FieldHead.field,
                        FieldHead.origin,
                        FieldHead.seq,
                        Change.hlc,
                    )
                    .join(
                        Change,
                        (Change.origin == FieldHead.origin) & (Change.seq == FieldHead.seq),
                        isouter=True,
                    )
                    .where(
                        FieldHead.entity == entity,
                        FieldHead.row_id.in_(ordered[start : start + _IN_CHUNK]),
                    )
                )
                for row_id, field, origin, seq, hlc in result:
                    if (entity, row_id, field) in keys:
                        heads[(entity, row_id, field)] = (origin, seq, hlc or 0)
        return heads


class _EqualLeaves:
    """The other current leaves of a field that hold the same value as the shown one."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.cache: dict[tuple[str, uuid.UUID], dict[tuple[uuid.UUID, int], tuple[str, Any]]] = {}

    def of(
        self, key: tuple[str, uuid.UUID, str], base: tuple[uuid.UUID, int]
    ) -> list[tuple[uuid.UUID, int]]:
        entity, row_id, _field = key  # the value compared carries its field
        if (entity, row_id) not in self.cache:
            leaves = set(leaves_of_record(self.conn, entity, row_id))
            values: dict[tuple[uuid.UUID, int], tuple[str, Any]] = {}
            if len(leaves) > 1:
                for o, s, f, v in self.conn.execute(
                    select(Change.origin, Change.seq, Change.field, Change.new_value).where(
                        Change.entity == entity, Change.row_id == row_id, Change.field != ROW
                    )
                ):
                    if (o, s) in leaves:
                        values[(o, s)] = (f, v)
            self.cache[(entity, row_id)] = values
        values = self.cache[(entity, row_id)]
        if base not in values:
            return []
        return sorted(k for k, fv in values.items() if k != base and fv == values[base])


def leaves_of_record(conn: Any, entity: str, row_id: uuid.UUID) -> list[tuple[uuid.UUID, int]]:
    """The entries of a record's fields (not `_row`) that no later entry of the field replaced.

    These are what a person removing the record had in front of them; a removal names them so
    that an edit it did not see (made concurrently elsewhere) is recognised as a conflict.
    """
    entries = conn.execute(
        select(Change.origin, Change.seq, Change.field, Change.base_origin, Change.base_seq).where(
            Change.entity == entity, Change.row_id == row_id, Change.field != ROW
        )
    ).all()
    if not entries:
        return []
    field_of = {(e.origin, e.seq): e.field for e in entries}
    replaced = {(e.base_origin, e.base_seq) for e in entries if e.base_origin is not None}
    keys = list(field_of)
    extra = conn.execute(
        select(ChangeBase.origin, ChangeBase.seq, ChangeBase.base_origin, ChangeBase.base_seq)
        .join(Change, (Change.origin == ChangeBase.origin) & (Change.seq == ChangeBase.seq))
        .where(Change.entity == entity, Change.row_id == row_id, Change.field != ROW)
    ).all()
    for child_o, child_s, base_o, base_s in extra:
        if field_of.get((child_o, child_s)) == field_of.get((base_o, base_s)):
            replaced.add((base_o, base_s))
    return [key for key in keys if key not in replaced]


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


def logged_columns(cls: type[SyncedRecord]) -> list[str]:
    """`logged_fields` of a record class, in the order the flush hook logs them."""
    return [
        attr.key
        for attr in inspect(cls).column_attrs
        if attr.key not in ("id", "deleted") and "derived_from" not in attr.columns[0].info
    ]


def log_inserted(session: Session, cls: type[SyncedRecord], rows: list[dict[str, Any]]) -> None:
    """Log records inserted in bulk exactly as the flush hook logs an ORM add of each: a `_row`
    create, then one `set` per field that has a value (column order), each the field's head.

    `rows` are the new records' values by attribute name, each with its `id`; the caller
    inserts them. Removed records cannot be added this way (their removal names bases).
    """
    if not rows:
        return
    conn = session.connection()
    local = conn.execute(
        select(Replica.id, Replica.last_seq, Replica.last_hlc).where(Replica.is_local)
    ).one_or_none()
    if local is None:
        raise RuntimeError("the database has no local replica; it was not opened by Database")
    origin, seq, stamp = local
    tx_id = session.info.setdefault("tx_id", uuid7())
    actor = session.info.get("actor")
    wall_clock = session.info.get("wall_clock") or clock.wall_ms
    fields = logged_columns(cls)
    entity = cls.__tablename__
    tick = clock.tick
    # The ids as the driver takes them, each converted once (`insert_tuples` would convert
    # every entry's three ids and every head's two again).
    driver = _driver_ready(conn)
    as_stored = Change.__table__.c.origin.type._cached_bind_processor(conn.dialect)
    if not driver or as_stored is None:
        as_stored = _same
    origin_value, tx_value = as_stored(origin), as_stored(tx_id)
    create, set_ = Op.CREATE.value, Op.SET.value
    entries: list[tuple[Any, ...]] = []
    heads: list[tuple[Any, ...]] = []
    for row in rows:
        if row.get("deleted"):
            raise ValueError("log_inserted adds live records only")
        row_id = as_stored(row["id"])
        logged = [(ROW, create, None)]
        logged += [
            (field, set_, encode(value))
            for field in fields
            if (value := row.get(field)) is not None
        ]
        # The clock is read once a record: `tick` with the same reading adds one to the last
        # stamp, so the record's entries are stamped `first`, `first + 1`… (a reading and a
        # tick per entry cost as much as building the entry).
        first = tick(stamp, wall_clock())
        # No old value, no base (nor its seq); who; the data's version.
        entries += [
            (
                origin_value,
                seq + n,
                first + n - 1,
                tx_value,
                entity,
                row_id,
                field,
                op,
                None,
                new_value,
                None,
                None,
                actor,
                SCHEMA_VERSION,
            )
            for n, (field, op, new_value) in enumerate(logged, 1)
        ]
        heads += [
            (entity, row_id, field, origin_value, seq + n)
            for n, (field, _op, _value) in enumerate(logged, 1)
        ]
        seq += len(logged)
        stamp = first + len(logged) - 1
    head_fields = ("entity", "row_id", "field", "origin", "seq")
    insert_tuples(conn, Change.__table__, ENTRY_FIELDS, entries, converted=driver)
    insert_tuples(conn, FieldHead.__table__, head_fields, heads, converted=driver)
    conn.execute(update(Replica).where(Replica.id == origin).values(last_seq=seq, last_hlc=stamp))


def _same(value: Any) -> Any:
    return value


def _driver_ready(conn: Any) -> bool:
    """Whether `insert_tuples` hands rows on this connection straight to the driver."""
    return bool(conn.dialect.name == "sqlite" and conn.dialect.paramstyle == "qmark")


def insert_tuples(
    conn: Any,
    table: Any,
    columns: tuple[str, ...],
    rows: list[tuple[Any, ...]],
    converted: bool = False,
) -> None:
    """Insert many rows given as tuples in `columns` order, each value converted by its
    column's own type; on SQLite straight to the driver's executemany (SQLAlchemy's per-row
    parameter handling costs more than SQLite's insert itself at county scale).

    `converted`: the caller already converted the values as the driver takes them (only
    when `_driver_ready(conn)`)."""
    if not rows:
        return
    if not _driver_ready(conn):
        conn.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    processors = [table.c[name].type._cached_bind_processor(conn.dialect) for name in columns]
    if any(processors) and not converted:
        # Column by column, each value object converted once: a record's id, the origin and
        # the transaction repeat on every entry. Keyed by identity (every value stays alive in
        # `rows` meanwhile), since hashing a UUID runs Python code and costs about as much as
        # converting it.
        values = list(zip(*rows, strict=True))
        for index, proc in enumerate(processors):
            if proc is not None:
                seen: dict[int, Any] = {}
                values[index] = tuple(
                    None
                    if v is None
                    else (seen[id(v)] if id(v) in seen else seen.setdefault(id(v), proc(v)))
                    for v in values[index]
                )
        rows = list(zip(*values, strict=True))
    names, marks = ", ".join(columns), ", ".join("?" * len(columns))
    conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)


def _after_transaction_end(session: Session, _transaction: Any) -> None:
    session.info.pop("tx_id", None)


def append_local(
    session: Session,
    entries: list[tuple[str, uuid.UUID, str, Op, str | None, str | None, list[Any] | None]],
) -> None:
    """Write local entries that are not ORM changes (a sync resolution), with the usual counters.

    Each entry is (entity, row_id, field, op, old_value, new_value, extra_bases) with values
    already encoded; the caller updates the record itself.
    """
    recorder = _Recorder(session)
    for entity, row_id, field, op, old_value, new_value, extra in entries:
        recorder.add_entry(entity, row_id, field, op, old_value, new_value, extra)
    recorder.write()


def install(sessions: sessionmaker[Session]) -> None:
    """Record every change made through sessions from `sessions` in the change log."""
    event.listen(sessions, "before_flush", _before_flush)
    event.listen(sessions, "after_flush", _after_flush)
    event.listen(sessions, "after_transaction_end", _after_transaction_end)
