# SPDX-License-Identifier: GPL-3.0-or-later
"""The audit trail: who changed what and when, read from the change log (never written here).

`audit_entries(session, query)` filters by user, record and period and resolves each entry to
words a person reads (the record's name, the field's label, the kind of change);
`write_csv()` exports them. The change log itself is only written by the data core's session
hook, so nothing here, in the audit page or in `red-steward audit` can alter it. No Qt here.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import IO, Any, NamedTuple

from sqlalchemy import ColumnElement, Select, String, and_, func, literal_column, or_, select
from sqlalchemy import text as sql_text
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from desktop.i18n import N_, _
from desktop.models import labels
from desktop.models.register import pinyin
from desktop.models.store import clock
from desktop.models.store.base import Base
from desktop.models.store.changelog import ROW, Change, decode

OPS: dict[str, str] = {
    "create": N_("Added"),
    "set": N_("Changed"),
    "delete": N_("Removed"),
    "restore": N_("Restored"),
}
#: Fields whose values are pictures or other bytes: the trail says a picture changed, no more.
BINARY_FIELDS = ("photo",)
#: The fields read from the log to name records (labels.RECORD_NAMES) and find them.
NAME_FIELDS = frozenset(f for fields in labels.RECORD_NAMES.values() for f in fields)
#: At most this many entries are held by the page (the newest, read a page at a time as the
#: clerk scrolls) and counted; the CSV export has no limit.
VIEW_LIMIT = 5000
#: Entries read per page.
PAGE_SIZE = 200


@dataclasses.dataclass(frozen=True, slots=True)
class AuditQuery:
    """Which entries to show; every filter is optional. `record` matches a record by its name
    as the register's filter does (the beginning of the name, of its pinyin or initials, of a
    member's given name; digits of an ID number), `since`/`until` are local dates, both
    included."""

    user: str | None = None
    record: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


@dataclasses.dataclass(frozen=True, slots=True)
class AuditEntry:
    when: dt.datetime  # local time
    user: str
    entity: str
    entity_label: str
    row_id: uuid.UUID
    record: str
    field: str
    field_label: str
    op: str
    op_label: str
    old_value: Any
    new_value: Any
    #: The PC the change was made on (its replica id) and its name as shown (#14).
    origin: uuid.UUID | None = None
    origin_label: str = ""


#: The largest clock stamp (a 64-bit integer).
_HLC_MAX = 2**63 - 1
#: Where a page ends: the last entry's (hlc, origin, seq); the next page starts after it.
Cursor = tuple[int, uuid.UUID, int]


@dataclasses.dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of entries, newest first; `after` continues with the next (None: the end)."""

    entries: list[AuditEntry]
    after: Cursor | None
    #: The record filter matched more than `MATCH_LIMIT` records: the entries are those of the
    #: first ones taken (the page says so: type more of the name).
    capped: bool = False


#: The names of the PCs in `origins`, by id (`desktop.sync.identity.replica_labels`, given by
#: the composition root: the models do not import sync).
OriginNames = Callable[[Session, Iterable[uuid.UUID]], Mapping[uuid.UUID, str]]


def _local_midnight_ms(day: dt.date) -> int:
    moment = dt.datetime.combine(day, dt.time()).astimezone()
    return int(moment.timestamp() * 1000)


#: Rows named per query when only some records' names are wanted.
_NAMES_CHUNK = 500
#: The most records a record filter takes from the tables (the first in the indexes' order: a
#: whole name before the longer ones it begins), and again the most named after them; their
#: entries are read by record. A common surname matches tens of thousands of a county's
#: members: then only these are shown, and the page says so (#22).
MATCH_LIMIT = 500


def _record_names(
    session: Session,
    row_ids: Iterable[uuid.UUID],
    entities: Mapping[uuid.UUID, str | None] | None = None,
) -> dict[uuid.UUID, tuple[str, str]]:
    """The current name (labels.record_name) and ID number (for members) of the records
    `row_ids` and of the ones their names refer to (a volunteer's member, a roster's team...),
    from the log itself: the newest value of each naming field, so removed records keep theirs.

    Only those records are read, each through the log's (entity, row_id) index: `entities`
    gives a record's table when it is known, else every named table is looked in. A county's
    log names hundreds of thousands of records; reading them all took hundreds of megabytes
    and tens of seconds for a page (#22)."""
    found: dict[uuid.UUID, str] = {}
    values: dict[uuid.UUID, dict[str, Any]] = {}
    naming = (*NAME_FIELDS, "id_number")

    def load(batch: Mapping[str | None, Sequence[uuid.UUID]]) -> None:
        wheres = [
            and_(
                Change.entity == entity if entity else Change.entity.in_(_NAMED_ENTITIES),
                Change.row_id.in_(ids),
            )
            for entity, ids in batch.items()
        ]
        stmt = select(
            Change.entity, Change.row_id, Change.field, Change.new_value, Change.hlc, Change.seq
        ).where(or_(*wheres), Change.field.in_(naming))
        # Ordered here, not in SQL: an ORDER BY hlc makes SQLite walk the whole log's hlc index.
        for entity, row_id, field, value, _hlc, _seq in sorted(
            session.execute(stmt), key=lambda r: (r.hlc, r.seq)
        ):
            if field == "id_number" or field in labels.RECORD_NAMES.get(entity, ()):
                found[row_id] = entity
                values.setdefault(row_id, {})[field] = decode(value)

    wanted: dict[uuid.UUID, str | None] = dict.fromkeys(row_ids)
    wanted.update(entities or {})
    asked: set[uuid.UUID] = set()
    while wanted.keys() - asked:  # the records, then those their naming fields refer to
        batch = list(wanted.keys() - asked)
        asked.update(batch)
        for start in range(0, len(batch), _NAMES_CHUNK):
            by_entity: dict[str | None, list[uuid.UUID]] = {}
            for row_id in batch[start : start + _NAMES_CHUNK]:
                by_entity.setdefault(wanted[row_id], []).append(row_id)
            load(by_entity)
        for row_id in batch:
            for field, value in values.get(row_id, {}).items():
                ref = _uuid(value) if isinstance(value, str) else None
                if ref is not None and ref not in wanted:
                    wanted[ref] = _target(found[row_id], field)
    names: dict[uuid.UUID, str] = {}

    def name(row_id: uuid.UUID | None, seen: frozenset[uuid.UUID] = frozenset()) -> str:
        if row_id is None or row_id in seen or row_id not in found:
            return ""
        if row_id not in names:
            inner = seen | {row_id}
            names[row_id] = labels.record_name(
                found[row_id], values[row_id].get, lambda _f, ref: name(_uuid(ref), inner)
            )
        return names[row_id]

    return {
        row_id: (name(row_id), str(fields.get("id_number") or ""))
        for row_id, fields in values.items()
    }


#: Every table whose records have a name (the log's entity names).
_NAMED_ENTITIES = sorted(labels.RECORD_NAMES)


@functools.cache
def _target(entity: str, field: str) -> str | None:
    """The table `entity.field` points at (a member's party group), None when not known:
    then a record is looked for in every named table."""
    table = Base.metadata.tables.get(entity)
    column = table.c.get(field) if table is not None else None
    for key in column.foreign_keys if column is not None else ():
        if key.column.table.name in labels.RECORD_NAMES:
            return key.column.table.name
    return None


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def audit_users(session: Session) -> list[str]:
    """Everyone who appears in the log, for the filter's choices: one seek of the
    (actor, hlc) index per account, never a scan of the log."""
    users: list[str] = []
    last: str | None = None
    while True:
        stmt = select(func.min(Change.actor)).where(Change.actor.is_not(None))
        if last is not None:
            stmt = stmt.where(Change.actor > last)
        last = session.scalar(stmt)
        if last is None:
            return users
        if last:
            users.append(last)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: The tables whose naming fields the register's search keys index (migration 0011): read
#: through those indexes, never with LIKE (hundreds of thousands of rows on a county hub).
_KEYED = ("member", "household")


def _record_terms(
    needle: str,
) -> tuple[dict[str, list[ColumnElement[bool]]], dict[str, list[tuple[str, str]]]]:
    """How each named table's records match `needle` by their own fields, and which of their
    naming fields point at another table's record (a steward is named after its member).

    Members and households match as the register's filter finds them (`_keyed_terms`); the
    other tables, a branch's own few records, by a name containing the text or a coded field
    by its label."""
    tables = Base.metadata.tables
    like = f"%{_escape_like(needle)}%"
    folded = needle.casefold()
    direct: dict[str, list[ColumnElement[bool]]] = {}
    refs: dict[str, list[tuple[str, str]]] = {}
    for entity, fields in labels.RECORD_NAMES.items():
        table = tables.get(entity)
        if table is None:
            continue
        for field in fields:
            column = table.c.get(field)
            if column is None:
                continue
            target = _target(entity, field)
            if column.foreign_keys:
                if target is not None:
                    refs.setdefault(entity, []).append((field, target))
                continue
            if entity in _KEYED:
                continue
            coded = labels.value_labels(entity, field)
            if coded is not None:
                codes = [c for c, label in coded.items() if folded in _(label).casefold()]
                if codes:
                    direct.setdefault(entity, []).append(column.in_(codes))
            elif isinstance(column.type, String):
                direct.setdefault(entity, []).append(column.like(like, escape="\\"))
    return direct, refs


def _keyed_terms(session: Session, needle: str) -> list[tuple[str, Select[Any]]]:
    """The ids of the members and households matching `needle`, each way an index range, as
    the register's filter finds them (desktop/models/register/members.py): letters begin the
    name's pinyin or initials ("wang", "wf"), Chinese the name or a member's given name (王,
    王芳, 芳), three or more digits are anywhere in a member's ID number (the trigram index),
    fewer begin it. Every branch of the file: the audit trail is the file's."""
    tables = Base.metadata.tables
    member, household = tables["member"], tables["household"]
    # `IN` on the indexes' leading columns: a seek per branch, not a walk of the register.
    branches = select(tables["branch"].c.id)
    in_member = (member.c.branch_id.in_(branches), member.c.deleted.in_([False, True]))
    in_household = (household.c.branch_id.in_(branches),)
    found: list[tuple[str, Select[Any]]] = []
    sqlite = session.get_bind().dialect.name == "sqlite"

    def add(entity: str, *where: ColumnElement[bool]) -> None:
        table = tables[entity]
        if sqlite:
            # The rowids first, from the index the range serves: asked for the id, SQLite
            # walks the register's covering index instead (it holds the id), the whole branch.
            rowid = literal_column(f"{entity}.rowid")
            inner = select(rowid).select_from(table).where(*where).correlate(None)
            inner = inner.limit(MATCH_LIMIT + 1)  # a common surname: not every one of them
            found.append((entity, select(table.c.id).where(rowid.in_(inner))))
        else:
            found.append((entity, select(table.c.id).where(*where)))

    token = needle.strip()
    if pinyin.is_pinyin(token):
        add("member", *in_member, pinyin.key_starts_with(member.c.name_pinyin, token))
        add("member", *in_member, pinyin.key_starts_with(member.c.name_initials, token))
        add("household", *in_household, pinyin.key_starts_with(household.c.head_pinyin, token))
        add("household", *in_household, pinyin.key_starts_with(household.c.head_initials, token))
    elif not token.isascii() and not any(c.isdigit() for c in token):
        add("member", pinyin.starts_with(member.c.name, token))
        add("member", *in_member, pinyin.starts_with(member.c.name_given, token))
        for syllable in pinyin.first_syllables(token[0]):
            add(
                "household",
                *in_household,
                pinyin.key_starts_with(household.c.head_pinyin, syllable),
                pinyin.starts_with(household.c.head_name, token),
            )
    elif pinyin.is_id_fragment(token) and sqlite:
        digits = sql_text(
            "SELECT rowid FROM member_digits WHERE member_digits MATCH :fragment"
        ).bindparams(fragment=f'id_number : "{token.upper()}"')
        add("member", literal_column("member.rowid").in_(digits))
    elif pinyin.is_id_fragment(token):  # a PostgreSQL hub has no trigram index: the plain query
        add("member", member.c.id_number.like(f"%{_escape_like(token.upper())}%", escape="\\"))
    else:
        add("member", pinyin.starts_with(member.c.id_number, token.upper()))
    return found


def _matching_ids(session: Session, needle: str) -> tuple[dict[str, set[uuid.UUID]], bool]:
    """The records whose name or ID number matches `needle`, by table, and whether more
    matched than were taken: at most `MATCH_LIMIT` found directly, each way a read that stops
    there, then at most as many again named after them, to a fixpoint (a commitment after its
    steward after its member)."""
    tables = Base.metadata.tables
    direct, refs = _record_terms(needle)
    ways = _keyed_terms(session, needle)
    ways += [(e, select(tables[e].c.id).where(or_(*terms))) for e, terms in direct.items()]
    matched: dict[str, set[uuid.UUID]] = {}
    taken = _Taken()
    for entity, stmt in ways:
        if not taken.add(session, entity, stmt, matched):
            break
    named = _named_after(session, matched, refs)
    return _nonempty(matched), taken.capped or named


class _Taken:
    """Records taken into `matched`, at most `MATCH_LIMIT`; `capped` once more were found (a
    read that stopped at its limit may have had more, even if those it read were known)."""

    def __init__(self) -> None:
        self.count = 0
        self.capped = False

    def add(
        self,
        session: Session,
        entity: str,
        stmt: Select[Any],
        matched: dict[str, set[uuid.UUID]],
        fresh: dict[str, set[uuid.UUID]] | None = None,
    ) -> bool:
        """Take the ids `stmt` finds; False once the limit is reached."""
        found = list(session.scalars(stmt.limit(MATCH_LIMIT + 1)))
        self.capped = self.capped or len(found) > MATCH_LIMIT
        known = matched.setdefault(entity, set())
        for row_id in found:
            if row_id in known:
                continue
            if self.count == MATCH_LIMIT:
                self.capped = True
                return False
            known.add(row_id)
            if fresh is not None:
                fresh.setdefault(entity, set()).add(row_id)
            self.count += 1
        return not self.capped


def _named_after(
    session: Session, matched: dict[str, set[uuid.UUID]], refs: dict[str, list[tuple[str, str]]]
) -> bool:
    """Add to `matched` the records named after them (through their foreign keys' indexes),
    at most `MATCH_LIMIT` of these; whether more were left out."""
    tables = Base.metadata.tables
    frontier = {entity: set(ids) for entity, ids in matched.items()}
    taken = _Taken()
    while frontier:
        fresh: dict[str, set[uuid.UUID]] = {}
        for entity, fields in refs.items():
            column_id = tables[entity].c.id
            for field, target in fields:
                ids = list(frontier.get(target, ()))
                for start in range(0, len(ids), _NAMES_CHUNK):
                    chunk = ids[start : start + _NAMES_CHUNK]
                    stmt = select(column_id).where(tables[entity].c[field].in_(chunk))
                    if not taken.add(session, entity, stmt, matched, fresh):
                        return True
        frontier = fresh
    return taken.capped


def _nonempty(matched: dict[str, set[uuid.UUID]]) -> dict[str, set[uuid.UUID]]:
    return {entity: ids for entity, ids in matched.items() if ids}


class _Filters(NamedTuple):
    terms: list[ColumnElement[bool]] | None  # None: nothing can match
    capped: bool  # the record filter took only the first `MATCH_LIMIT` records


def _filters(session: Session, query: AuditQuery) -> _Filters:
    """The WHERE terms of `query` on the log."""
    terms: list[ColumnElement[bool]] = []
    if query.user:
        terms.append(Change.actor == query.user)
    if query.since:
        terms.append(Change.hlc >= clock.pack(_local_midnight_ms(query.since), 0))
    if query.until:
        end = _local_midnight_ms(query.until + dt.timedelta(days=1))
        terms.append(Change.hlc < clock.pack(end, 0))
    needle = (query.record or "").strip()
    if not needle:
        return _Filters(terms, False)
    # The matching records' ids (a bounded few), and the log's (entity, row_id) index finds
    # their entries; those few records' entries are sorted, never the log.
    ids, capped = _matching_ids(session, needle)
    if not ids:
        return _Filters(None, capped)
    terms.append(
        or_(*(and_(Change.entity == e, Change.row_id.in_(list(v))) for e, v in ids.items()))
    )
    return _Filters(terms, capped)


def _after(cursor: Cursor) -> ColumnElement[bool]:
    """The entries older than `cursor` in the page's order; `hlc <=` keeps the index range."""
    hlc, origin, seq = cursor
    same_origin_older = and_(Change.origin == origin, Change.seq < seq)
    return and_(
        Change.hlc <= hlc,
        or_(Change.hlc < hlc, Change.origin < origin, same_origin_older),
    )


def audit_page(
    session: Session,
    query: AuditQuery = AuditQuery(),
    after: Cursor | None = None,
    size: int = PAGE_SIZE,
    origin_names: OriginNames | None = None,
) -> AuditPage:
    """The `size` newest entries matching `query` (after `after`), newest first: one index
    range of the log (by time, by account or by record) and the names of only these entries'
    records and PCs, so that a page costs the same on a village's log and a county's."""
    terms, capped = _filters(session, query)
    if terms is None:
        return AuditPage([], None, capped)
    # A range on hlc, even the whole of it, has SQLite walk the hlc index newest first and stop
    # at the page; without one it sorted the whole log for the three-column order.
    terms.append(_after(after) if after is not None else Change.hlc <= _HLC_MAX)
    stmt = (
        select(*_COLUMNS)
        .where(*terms)
        .order_by(Change.hlc.desc(), Change.origin.desc(), Change.seq.desc())
        .limit(size)
    )
    changes = list(session.execute(stmt))
    entries = _entries(session, changes, origin_names)
    last = changes[-1] if len(changes) == size else None
    return AuditPage(entries, (last.hlc, last.origin, last.seq) if last else None, capped)


def record_capped(session: Session, query: AuditQuery) -> bool:
    """Whether `query`'s record filter matches more than `MATCH_LIMIT` records, so that only
    the changes of the first are read (what the page's `AuditPage.capped` says)."""
    return bool(query.record and query.record.strip()) and _filters(session, query).capped


def count_entries(session: Session, query: AuditQuery = AuditQuery(), cap: int = VIEW_LIMIT) -> int:
    """How many entries match `query`, counted up to `cap` + 1 (more says "more than cap"):
    counting a county's whole log takes seconds."""
    terms = _filters(session, query).terms
    if terms is None:
        return 0
    inner = select(Change.hlc).where(*terms).limit(cap + 1).subquery()
    return session.scalar(select(func.count()).select_from(inner)) or 0


def iter_entries(
    session: Session,
    query: AuditQuery = AuditQuery(),
    limit: int | None = None,
    origin_names: OriginNames | None = None,
    size: int = 1000,
) -> Iterator[AuditEntry]:
    """Every entry matching `query` (at most `limit`), newest first, read page by page: the
    CSV export and the command line stream the whole log without holding it."""
    after: Cursor | None = None
    left = limit
    while left is None or left > 0:
        step = size if left is None else min(size, left)
        page = audit_page(session, query, after, step, origin_names)
        yield from page.entries
        if left is not None:
            left -= len(page.entries)
        if page.after is None:
            return
        after = page.after


def audit_entries(
    session: Session,
    query: AuditQuery = AuditQuery(),
    limit: int | None = VIEW_LIMIT,
    origin_names: OriginNames | None = None,
) -> list[AuditEntry]:
    """The entries matching `query`, newest first (at most `limit`)."""
    return list(iter_entries(session, query, limit, origin_names))


#: What a page reads of each entry: plain rows, not ORM objects (a third of a page's time).
_COLUMNS = (
    Change.origin,
    Change.seq,
    Change.hlc,
    Change.entity,
    Change.row_id,
    Change.field,
    Change.op,
    Change.old_value,
    Change.new_value,
    Change.actor,
)


def _entries(
    session: Session, changes: Sequence[Row[Any]], origin_names: OriginNames | None
) -> list[AuditEntry]:
    """The entries of `changes`, their records, values and PCs named."""
    # The names of the records shown, and of those their values refer to (a group's id).
    shown: dict[uuid.UUID, str | None] = {}
    for change in changes:
        for text in (change.old_value, change.new_value):
            if text and change.field not in BINARY_FIELDS:
                ref = _uuid(decode(text)) if text.startswith('"') else None
                if ref is not None:
                    shown[ref] = shown.get(ref) or _target(change.entity, change.field)
    shown.update({c.row_id: c.entity for c in changes})
    names = _record_names(session, (), shown)
    origins = {c.origin for c in changes}
    pcs = dict(origin_names(session, origins)) if origin_names and origins else {}
    return [_entry(c, names, pcs.get(c.origin, "")) for c in changes]


def _entry(
    change: Row[Any], names: dict[uuid.UUID, tuple[str, str]], origin_label: str = ""
) -> AuditEntry:
    name, _id_number = names.get(change.row_id, ("", ""))
    field_label = "" if change.field == ROW else labels.field_label(change.entity, change.field)
    return AuditEntry(
        when=clock.to_datetime(change.hlc).astimezone(),
        user=change.actor or "",
        entity=change.entity,
        entity_label=labels.entity_label(change.entity),
        row_id=change.row_id,
        record=name or _("(unnamed)"),
        field=change.field,
        field_label=field_label,
        op=change.op,
        op_label=_(OPS[change.op]) if change.op in OPS else change.op,
        old_value=_value(change.entity, change.field, change.old_value, names),
        new_value=_value(change.entity, change.field, change.new_value, names),
        origin=change.origin,
        origin_label=origin_label,
    )


def _value(
    entity: str, field: str, text: str | None, names: dict[uuid.UUID, tuple[str, str]]
) -> str | None:
    """The value as the pages show it (labels.value_text: 男 not male, a group's name not its
    id); None when there is none."""
    if field in BINARY_FIELDS:
        return _("(a picture)") if text not in (None, "null") else None
    value = decode(text)
    if value is None:
        return None

    def name_of(_field: str, ref: Any) -> str:
        row_id = _uuid(ref)
        return names.get(row_id, ("", ""))[0] if row_id else ""

    return labels.value_text(entity, field, value, name_of)


def display_value(value: Any) -> str:
    """An entry's value for the page and the CSV ("" for none)."""
    return "" if value is None else str(value)


def csv_header() -> list[str]:
    return [
        _("Time"),
        _("User"),
        _("Kind"),
        _("Record"),
        _("Change"),
        _("Field"),
        _("Old value"),
        _("New value"),
        _("Record id"),
        _("PC"),
    ]


def csv_rows(entries: Iterable[AuditEntry]) -> Iterable[list[str]]:
    for e in entries:
        yield [
            e.when.strftime("%Y-%m-%d %H:%M:%S"),  # data for a spreadsheet: sortable
            e.user,
            e.entity_label,
            e.record,
            e.op_label,
            e.field_label,
            display_value(e.old_value),
            display_value(e.new_value),
            str(e.row_id),
            e.origin_label,
        ]


def write_csv(entries: Sequence[AuditEntry] | Iterable[AuditEntry], out: IO[str]) -> int:
    """Write the entries as CSV (UTF-8 with BOM is the caller's choice of file encoding, so that
    Excel opens Chinese text); returns how many rows were written."""
    writer = csv.writer(out)
    writer.writerow(csv_header())
    n = 0
    for row in csv_rows(entries):
        writer.writerow(row)
        n += 1
    return n
