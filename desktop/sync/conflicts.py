# SPDX-License-Identifier: GPL-3.0-or-later
"""Conflicts to review, a person's pick (itself a change that syncs), and duplicate members."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from desktop.models import labels
from desktop.models.register.branch import Branch, PartyGroup
from desktop.models.register.member import Member
from desktop.models.register.rows import MEMBER_FIELDS
from desktop.models.store import clock, replica
from desktop.models.store.base import Base
from desktop.models.store.changelog import ROW, Change, Op, Replica, append_local, decode
from desktop.models.store.sync_state import SyncConflict
from desktop.sync import errors, identity, merge
from desktop.sync.readmodels import (
    BulkResolution,
    ConflictKind,
    ConflictOption,
    ConflictQuery,
    ConflictRow,
    DuplicateGroup,
    DuplicateMerge,
    DuplicateRecord,
)
from desktop.sync.scope import BranchResolver, may_belong

#: The two choices of a removal conflict.
KEEP, REMOVE = "keep", "remove"
#: Whose values a bulk resolution keeps: this PC's, or the other PC's.
LOCAL, REMOTE = "local", "remote"

#: At most this many conflict ids are looked up in SQL (more: checked as they are read).
_IDS_IN_SQL = 500

#: An entry for `append_local`: entity, row id, field, op, old and new value, further bases.
LocalEntry = tuple[str, uuid.UUID, str, Op, str | None, str | None, list[merge.Key]]


def _names(session: Session) -> dict[uuid.UUID, str]:
    return identity.replica_names(session)


def record_label(session: Session, entity: str, row_id: uuid.UUID) -> str:
    """The record as people name it (labels.record_name), else what kind of record it is."""
    return _record_name(session, entity, row_id, 0)[:60] or labels.entity_label(entity)


def _record_with_context(session: Session, entity: str, row_id: uuid.UUID) -> str:
    """The record's name after where it lives (labels.CONTEXT_FIELDS): 第一党小组 刘志强."""
    name = record_label(session, entity, row_id)
    field = labels.CONTEXT_FIELDS.get(entity)
    table = merge.synced_table(entity)
    if field is None or table is None or field not in table.c:
        return name
    ref = session.execute(select(table.c[field]).where(table.c.id == row_id)).scalar()
    target = next(iter(table.c[field].foreign_keys), None)
    if ref is None or target is None:
        return name
    where = _record_name(session, target.column.table.name, ref, 1)
    return f"{where} {name}" if where else name


def _value_text(session: Session, entity: str, field: str, value: object) -> str:
    """A value as the pages show it; a reference as the name of the record it points at."""
    table = merge.synced_table(entity)

    def name_of(_field: str, ref: object) -> str:
        column = table.c[field] if table is not None and field in table.c else None
        target = next(iter(column.foreign_keys), None) if column is not None else None
        row_id = _uuid(ref)
        if target is None or row_id is None:
            return ""
        return _record_name(session, target.column.table.name, row_id, 1)

    return labels.value_text(entity, field, value, name_of)


def _uuid(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None


def _record_name(session: Session, entity: str, row_id: uuid.UUID, depth: int) -> str:
    table = merge.synced_table(entity)
    if table is None or depth > 3:
        return ""
    row = session.execute(select(table).where(table.c.id == row_id)).mappings().one_or_none()
    if row is None:
        return ""

    def name_of(field: str, ref: object) -> str:
        target = next(iter(table.c[field].foreign_keys), None)
        if target is None or not isinstance(ref, uuid.UUID):
            return ""
        return _record_name(session, target.column.table.name, ref, depth + 1)

    return labels.record_name(entity, row.get, name_of)


def _value(entry: merge.Entry) -> object:
    return entry.op if entry.field == ROW else decode(entry.new_value)


def _here(session: Session) -> set[uuid.UUID]:
    """This PC's replica id and the ids it had before (a restore, a copied folder)."""
    return {
        replica_id
        for replica_id, is_local in session.execute(select(Replica.id, Replica.is_local))
        if is_local
    } | set(replica.predecessors(session))


def _states(
    session: Session, conflicts: list[SyncConflict]
) -> dict[tuple[str, uuid.UUID], merge.RecordState]:
    """The state of each conflict's record, read `merge.CHUNK` records at a time."""
    conn = session.connection()
    by_entity: dict[str, set[uuid.UUID]] = {}
    for conflict in conflicts:
        by_entity.setdefault(conflict.entity, set()).add(conflict.row_id)
    states = {}
    for entity, row_ids in by_entity.items():
        ordered = sorted(row_ids)
        for start in range(0, len(ordered), merge.CHUNK):
            loaded = merge.load_entries_of(conn, entity, ordered[start : start + merge.CHUNK])
            states.update({(entity, row_id): merge.compute(e) for row_id, e in loaded.items()})
    return states


def _describe(
    session: Session,
    conflict: SyncConflict,
    names: dict[uuid.UUID, str],
    state: merge.RecordState | None = None,
    here: set[uuid.UUID] | None = None,
    now_ms: int | None = None,
) -> ConflictRow | None:
    if state is None:
        state = _states(session, [conflict])[(conflict.entity, conflict.row_id)]
    kind = state.conflicted_fields().get(conflict.field)
    if kind is None:
        return None  # settled since (a later change): no longer shown
    here = _here(session) if here is None else here
    horizon = (clock.wall_ms() if now_ms is None else now_ms) + clock.MAX_FORWARD_MS

    def option(number: int, value: object, entry: merge.Entry, shown: bool) -> ConflictOption:
        return ConflictOption(
            number,
            value,
            entry.origin,
            names.get(entry.origin, ""),
            entry.actor,
            clock.to_datetime(entry.hlc),
            shown,
            text=_value_text(session, conflict.entity, conflict.field, value),
            here=entry.origin in here,
            clock_ahead=clock.physical_ms(entry.hlc) > horizon,
        )

    missed: tuple[tuple[str, object, str, object], ...] = ()
    if kind == "delete":
        removal = state.leaves[ROW][0]
        latest = max(state.unseen, key=lambda e: e.rank)
        options = (option(1, KEEP, latest, False), option(2, REMOVE, removal, False))
        missed = tuple(
            (
                e.field,
                _value_text(session, conflict.entity, e.field, decode(e.new_value)),
                e.actor or names.get(e.origin, ""),
                clock.to_datetime(e.hlc),
            )
            for e in state.unseen
        )
    else:
        options = tuple(
            option(i + 1, _value(leaf), leaf, i == 0)
            for i, leaf in enumerate(state.leaves[conflict.field])
        )
    return ConflictRow(
        id=conflict.id,
        entity=conflict.entity,
        row_id=conflict.row_id,
        record=_record_with_context(session, conflict.entity, conflict.row_id),
        field=conflict.field,
        field_label=labels.field_label(conflict.entity, conflict.field),
        kind=kind,
        options=options,
        missed_edits=missed,  # type: ignore[arg-type]
    )


def list_conflicts(session: Session, now_ms: int | None = None) -> list[ConflictRow]:
    """Every open conflict; a value stamped further ahead of `now_ms` (this PC's clock) than
    `clock.MAX_FORWARD_MS` is flagged `clock_ahead`."""
    return [row for row, _state in _described(session, _selected(ConflictQuery()), now_ms=now_ms)]


def _selected(
    query: ConflictQuery, branch: uuid.UUID | None = None, peer: uuid.UUID | None = None
) -> Select[tuple[SyncConflict]]:
    """The open conflicts `query` admits, in the order they are listed (oldest first); with
    `branch` or `peer`, narrowed in SQL to those that may be on a record of that branch or
    hold a value from that PC (`select_conflicts` then decides exactly, on these only)."""
    stmt = select(SyncConflict)
    if query.entity is not None:
        stmt = stmt.where(SyncConflict.entity == query.entity)
    if query.field is not None:
        stmt = stmt.where(SyncConflict.field == query.field)
    if branch is not None:
        stmt = stmt.where(may_belong(SyncConflict.entity, SyncConflict.row_id, branch))
    if peer is not None:
        # A value's option is an entry of that field; a removal's, of any field of the record.
        stmt = stmt.where(
            exists().where(
                Change.entity == SyncConflict.entity,
                Change.row_id == SyncConflict.row_id,
                Change.origin == peer,
                (Change.field == SyncConflict.field) | (SyncConflict.kind == "delete"),
            )
        )
    return stmt.order_by(SyncConflict.id)


def count_conflicts(session: Session, query: ConflictQuery) -> int:
    """How many open conflicts `query` admits (counted in SQL, none described)."""
    return session.scalar(select(func.count()).select_from(_selected(query).subquery())) or 0


def conflict_page(
    session: Session, query: ConflictQuery, offset: int, limit: int, now_ms: int | None = None
) -> list[ConflictRow]:
    """The open conflicts `query` admits from `offset`, at most `limit`: only these are read
    and named (a page of the list, not the thousands a first import can leave). `now_ms` as
    for `list_conflicts`."""
    page = _selected(query).offset(offset).limit(limit)
    return [row for row, _state in _described(session, page, now_ms=now_ms)]


def conflict_kinds(session: Session) -> list[ConflictKind]:
    """The open conflicts counted by table, field and kind (what the page's filter offers)."""
    rows = session.execute(
        select(SyncConflict.entity, SyncConflict.field, SyncConflict.kind, func.count())
        .group_by(SyncConflict.entity, SyncConflict.field, SyncConflict.kind)
        .order_by(SyncConflict.entity, SyncConflict.field, SyncConflict.kind)
    ).all()
    return [ConflictKind(entity, field, kind, n) for entity, field, kind, n in rows]


def _described(
    session: Session,
    stmt: Select[tuple[SyncConflict]],
    cancelled: Callable[[], bool] | None = None,
    progress: Callable[[int], None] | None = None,
    now_ms: int | None = None,
) -> list[tuple[ConflictRow, merge.RecordState]]:
    """Each open conflict `stmt` selects as people read it, with its record's state (records
    read in chunks, not one by one: a first import of two loaded PCs can list thousands).
    `cancelled()` is asked every hundred conflicts (True: `SettleCancelled`); `progress(done)`
    is told how many are described so far; `now_ms` as for `list_conflicts`."""
    names, here = _names(session), _here(session)
    conflicts = list(session.scalars(stmt))
    states = _states(session, conflicts)
    found = []
    for done, conflict in enumerate(conflicts):
        if done % 100 == 0:
            if cancelled is not None and cancelled():
                raise errors.SettleCancelled()
            if progress is not None:
                progress(done)
        state = states[(conflict.entity, conflict.row_id)]
        described = _describe(session, conflict, names, state, here, now_ms)
        if described is not None:
            found.append((described, state))
    return found


def open_conflicts_by_branch(session: Session) -> Counter[uuid.UUID | None]:
    """How many conflicts wait for a person, per branch of the record they are on (from the
    conflicts' records alone: none is described)."""
    resolver = BranchResolver(session.connection())
    return Counter(
        resolver.branch_of(entity, row_id)
        for entity, row_id in session.execute(select(SyncConflict.entity, SyncConflict.row_id))
    )


def resolve(session: Session, conflict_id: int, pick: int) -> ConflictRow:
    """Settle a conflict with the option numbered `pick`; the choice is logged and syncs."""
    conflict = session.get(SyncConflict, conflict_id)
    described = _describe(session, conflict, _names(session)) if conflict else None
    if conflict is None or described is None:
        raise errors.ConflictNotFound(conflict_id)
    if not 1 <= pick <= len(described.options):
        raise errors.BadPick(pick, len(described.options))
    state = _states(session, [conflict])[(conflict.entity, conflict.row_id)]
    append_local(session, [_pick_entry(described, pick, state)])
    merge.apply_record(session.connection(), conflict.entity, conflict.row_id)
    return described


def _pick_entry(described: ConflictRow, pick: int, state: merge.RecordState) -> LocalEntry:
    """The local entry that settles `described` with its option `pick`, given its record's
    state (for `append_local`; the record is brought in line by `merge.apply_record(s)`)."""
    entity, row_id, field = described.entity, described.row_id, described.field
    row_leaves = state.leaves.get(ROW, [])
    others_on_row = [leaf.key for leaf in row_leaves[1:]]
    if described.kind == "delete":
        op = Op.RESTORE if described.options[pick - 1].value == KEEP else Op.DELETE
        return (entity, row_id, ROW, op, None, None, others_on_row)
    leaves = state.leaves[field]
    chosen, shown = leaves[pick - 1], leaves[0]
    others = [leaf.key for leaf in leaves[1:]]
    op = Op.SET
    if field == ROW:
        op = Op.DELETE if chosen.op == Op.DELETE.value else Op.RESTORE
    return (entity, row_id, field, op, shown.new_value, chosen.new_value, others)


def bulk_pick(conflict: ConflictRow, keep: str, peer: uuid.UUID | None = None) -> int | None:
    """The option "keep this PC's values" (`keep` LOCAL) or "keep the other PC's values"
    (REMOTE) picks for `conflict`, or None when that is not one value: no version was made on
    that side, or (three PCs) the other PCs made different ones. `peer`: the other PC's values
    are that PC's only. A removal conflict is settled the same way: the side that removed, or
    the side that edited meanwhile.
    """
    if keep == LOCAL:
        candidates = [o for o in conflict.options if o.here]
    elif peer is not None:
        candidates = [o for o in conflict.options if not o.here and o.origin == peer]
    else:
        candidates = [o for o in conflict.options if not o.here]
    values: list[object] = []
    for option in candidates:
        if option.value not in values:
            values.append(option.value)
    return candidates[0].number if len(values) == 1 else None


def select_conflicts(
    session: Session,
    rows: list[ConflictRow],
    *,
    ids: Iterable[int] | None = None,
    branch: uuid.UUID | None = None,
    entity: str | None = None,
    field: str | None = None,
    peer: uuid.UUID | None = None,
) -> list[ConflictRow]:
    """The conflicts of `rows` that every given criterion admits: among `ids` (what a page
    lists), on a record of `branch`, of table `entity`, of `field`, with a value from `peer`."""
    wanted = set(ids) if ids is not None else None
    resolver = BranchResolver(session.connection()) if branch is not None else None
    return [
        row
        for row in rows
        if (wanted is None or row.id in wanted)
        and (entity is None or row.entity == entity)
        and (field is None or row.field == field)
        and (peer is None or any(o.origin == peer for o in row.options))
        and (resolver is None or resolver.branch_of(row.entity, row.row_id) == branch)
    ]


def resolve_all(
    session: Session,
    keep: str,
    *,
    ids: Iterable[int] | None = None,
    branch: uuid.UUID | None = None,
    entity: str | None = None,
    field: str | None = None,
    peer: uuid.UUID | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BulkResolution:
    """Settle every open conflict the criteria admit (`select_conflicts`) by keeping this PC's
    values (`keep` LOCAL) or the other PC's (REMOTE), as `bulk_pick` chooses.

    Each settled conflict gets the very entry `resolve` would write, so the choices travel to
    the other PCs as single ones do; the caller's unit of work holds them all (one
    transaction). Conflicts with no single value on that side are left for a person, counted.

    `progress(done, total)` counts twice the conflicts chosen: each one read, then each one's
    record brought in line. `cancelled()` is asked as it goes: True stops with
    `SettleCancelled`, and the caller's transaction, rolled back, leaves nothing settled.
    """
    if keep not in (LOCAL, REMOTE):
        raise ValueError(keep)
    stmt = _selected(ConflictQuery(entity, field), branch, peer)
    wanted = set(ids) if ids is not None else None
    if wanted is not None and len(wanted) <= _IDS_IN_SQL:
        stmt = stmt.where(SyncConflict.id.in_(wanted))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    if wanted is not None:
        total = min(total, len(wanted))
    steps = 2 * max(total, 1)

    def read(done: int) -> None:
        if progress is not None:
            progress(min(done, total), steps)

    described = _described(session, stmt, cancelled, read)
    states = {row.id: state for row, state in described}
    chosen = select_conflicts(
        session,
        [row for row, _state in described],
        ids=wanted,
        branch=branch,
        peer=peer,
    )
    settled: list[ConflictRow] = []
    left: list[ConflictRow] = []
    values: list[LocalEntry] = []
    removals: list[LocalEntry] = []
    for row in chosen:
        pick = bulk_pick(row, keep, peer)
        if pick is None:
            left.append(row)
            continue
        # Each entry depends only on its own field's leaves (and the record's `_row` ones),
        # which the other choices do not change: the state read before holds for all.
        entry = _pick_entry(row, pick, states[row.id])
        (removals if row.kind == "delete" else values).append(entry)
        settled.append(row)
    if cancelled is not None and cancelled():
        raise errors.SettleCancelled()
    # Removal conflicts last: a removal kept then names the values just chosen for the
    # record's other fields as seen (else they would come back as edits it had not seen).
    for entries in (values, removals):
        if entries:
            append_local(session, entries)

    def applied(done: int, records: int) -> None:
        if progress is not None and records:
            progress(total + done * total // records, steps)

    # The records once, after every choice is logged (as many single `resolve`s would leave
    # them), a few statements per chunk of records rather than per conflict.
    try:
        merge.apply_records(
            session.connection(),
            {(r.entity, r.row_id) for r in settled},
            progress=applied,
            cancelled=cancelled,
        )
    except errors.ImportCancelled as cancel:
        raise errors.SettleCancelled() from cancel
    if progress is not None:
        progress(steps, steps)
    return BulkResolution(keep, tuple(settled), tuple(left))


def duplicate_members(session: Session) -> list[DuplicateGroup]:
    """Members entered twice (same ID number, two records), offered for merging."""
    doubled = session.execute(
        select(Member.branch_id, Member.id_number)
        .where(Member.deleted.is_(False), Member.id_number != "")
        .group_by(Member.branch_id, Member.id_number)
        .having(func.count() > 1)
        .order_by(Member.id_number)
    ).all()
    groups = []
    names = _names(session) if doubled else {}
    for branch_id, id_number in doubled:
        members = session.scalars(
            select(Member)
            .where(
                Member.deleted.is_(False),
                Member.branch_id == branch_id,
                Member.id_number == id_number,
            )
            .order_by(Member.id)
        ).all()
        groups.append(
            DuplicateGroup(
                id_number,
                tuple((m.id, m.name) for m in members),
                tuple(_duplicate_record(session, m, names) for m in members),
            )
        )
    return groups


def _duplicate_record(
    session: Session, member: Member, names: dict[uuid.UUID, str]
) -> DuplicateRecord:
    """What a clerk needs to tell two records with one ID number apart."""
    entries = session.execute(
        select(Change.origin, Change.actor, Change.hlc, Change.field, Change.op)
        .where(Change.entity == Member.__tablename__, Change.row_id == member.id)
        .order_by(Change.hlc)
    ).all()
    created = next((e for e in entries if e.field == ROW and e.op == Op.CREATE.value), None)
    created = created or (entries[0] if entries else None)
    changed = entries[-1] if entries else None

    def pc(entry: Any) -> str:
        return names.get(entry.origin, "") if entry is not None else ""

    group = session.get(PartyGroup, member.party_group_id) if member.party_group_id else None
    branch = session.get(Branch, member.branch_id)
    return DuplicateRecord(
        id=member.id,
        name=member.name,
        gender=labels.value_text(Member.__tablename__, "gender", member.gender),
        birth_date=member.birth_date,
        branch=branch.name if branch is not None else "",
        party_group=group.name if group is not None else "",
        phone=member.phone,
        joined_on=member.joined_on,
        address=member.address,
        created_on=pc(created),
        created_by=(created.actor or "") if created is not None else "",
        created_at=clock.to_datetime(created.hlc) if created is not None else None,
        changed_on=pc(changed),
        changed_by=(changed.actor or "") if changed is not None else "",
        changed_at=clock.to_datetime(changed.hlc) if changed is not None else None,
    )


def merge_duplicates(session: Session, id_number: str) -> DuplicateMerge:
    """Merge the members entered more than once with `id_number` into one record.

    The record kept is always the one with the smallest id (for UUIDv7 ids, the earliest
    entered), so two PCs that merge the same pair keep the same record and converge. Its empty
    fields are filled from the others (smallest id first), records of other tables that point at
    the others are moved to it, and the others are removed (tombstones: the merge syncs like any
    edit, and a removed record can be restored).
    """
    members = session.scalars(
        select(Member)
        .where(Member.deleted.is_(False), Member.id_number == id_number.strip())
        .order_by(Member.branch_id, Member.id)
    ).all()
    group = [m for m in members if m.branch_id == members[0].branch_id] if members else []
    if len(group) < 2:
        raise errors.NoDuplicates(id_number)
    kept, others = group[0], group[1:]
    filled: list[str] = []
    for other in others:
        for name in MEMBER_FIELDS:
            if getattr(kept, name) in (None, "") and getattr(other, name) not in (None, ""):
                setattr(kept, name, getattr(other, name))
                filled.append(name)
        other.deleted = True
    moved = _move_references(session, {o.id for o in others}, kept.id)
    session.flush()
    return DuplicateMerge(
        id_number, kept.id, kept.name, tuple(o.id for o in others), tuple(filled), moved
    )


def _move_references(session: Session, old: set[uuid.UUID], new: uuid.UUID) -> int:
    """Point every synced record that refers to a member in `old` at `new` (logged, so it syncs)."""
    moved = 0
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        for fk in table.foreign_keys:
            if fk.column.table.name != Member.__tablename__ or mapper.class_ is Member:
                continue
            attribute = mapper.get_property_by_column(fk.parent).key
            for row in session.scalars(select(mapper.class_).where(fk.parent.in_(old))):
                setattr(row, attribute, new)
                moved += 1
    return moved
