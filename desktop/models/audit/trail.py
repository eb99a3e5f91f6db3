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
import uuid
from collections.abc import Iterable, Sequence
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.i18n import N_, _
from desktop.models import labels
from desktop.models.store import clock
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
#: At most this many entries are read for one view (the newest); the CSV export has no limit.
VIEW_LIMIT = 5000


@dataclasses.dataclass(frozen=True, slots=True)
class AuditQuery:
    """Which entries to show; every filter is optional. `record` matches the record's name or
    ID number (a part of it), `since`/`until` are local dates, both included."""

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


def _local_midnight_ms(day: dt.date) -> int:
    moment = dt.datetime.combine(day, dt.time()).astimezone()
    return int(moment.timestamp() * 1000)


#: Rows named per query when only some records' names are wanted.
_NAMES_CHUNK = 500


def _record_names(
    session: Session, row_ids: Iterable[uuid.UUID] | None = None
) -> dict[uuid.UUID, tuple[str, str]]:
    """Every logged record's current name (labels.record_name) and ID number (for members),
    from the log itself: the newest value of each naming field, so removed records keep theirs.

    With `row_ids`, only those records and the ones their names refer to (a volunteer's member,
    a roster's team...) are read: a county's log names hundreds of thousands of records, and
    reading them all took hundreds of megabytes for a page that shows 5,000 entries (#22)."""
    entities: dict[uuid.UUID, str] = {}
    values: dict[uuid.UUID, dict[str, Any]] = {}

    def load(ids: Sequence[uuid.UUID] | None) -> None:
        stmt = select(Change.entity, Change.row_id, Change.field, Change.new_value).where(
            Change.field.in_((*NAME_FIELDS, "id_number"))
        )
        if ids is not None:
            stmt = stmt.where(Change.row_id.in_(ids))
        for entity, row_id, field, value in session.execute(stmt.order_by(Change.hlc, Change.seq)):
            if field == "id_number" or field in labels.RECORD_NAMES.get(entity, ()):
                entities[row_id] = entity
                values.setdefault(row_id, {})[field] = decode(value)

    if row_ids is None:
        load(None)
    else:
        wanted, asked = set(row_ids), set()
        while wanted - asked:  # the records, then those their naming fields refer to
            batch = list(wanted - asked)
            asked.update(batch)
            for start in range(0, len(batch), _NAMES_CHUNK):
                load(batch[start : start + _NAMES_CHUNK])
            for row_id in batch:
                for value in values.get(row_id, {}).values():
                    ref = _uuid(value) if isinstance(value, str) else None
                    if ref is not None:
                        wanted.add(ref)
    names: dict[uuid.UUID, str] = {}

    def name(row_id: uuid.UUID | None, seen: frozenset[uuid.UUID] = frozenset()) -> str:
        if row_id is None or row_id in seen or row_id not in entities:
            return ""
        if row_id not in names:
            inner = seen | {row_id}
            names[row_id] = labels.record_name(
                entities[row_id], values[row_id].get, lambda _f, ref: name(_uuid(ref), inner)
            )
        return names[row_id]

    return {
        row_id: (name(row_id), str(fields.get("id_number") or ""))
        for row_id, fields in values.items()
    }


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def audit_users(session: Session) -> list[str]:
    """Everyone who appears in the log, for the filter's choices."""
    stmt = select(Change.actor).distinct().where(Change.actor.is_not(None)).order_by(Change.actor)
    return [a for a in session.scalars(stmt) if a]


def audit_entries(
    session: Session, query: AuditQuery = AuditQuery(), limit: int | None = VIEW_LIMIT
) -> list[AuditEntry]:
    """The entries matching `query`, newest first."""
    stmt = select(Change)
    if query.user:
        stmt = stmt.where(Change.actor == query.user)
    if query.since:
        stmt = stmt.where(Change.hlc >= clock.pack(_local_midnight_ms(query.since), 0))
    if query.until:
        end = _local_midnight_ms(query.until + dt.timedelta(days=1))
        stmt = stmt.where(Change.hlc < clock.pack(end, 0))
    by_record = bool(query.record and query.record.strip())
    names: dict[uuid.UUID, tuple[str, str]] = {}
    if by_record or limit is None:
        names = _record_names(session)  # finding a record by name needs every name
    if by_record:
        needle = (query.record or "").strip().casefold()
        rows = [
            row_id
            for row_id, (name, id_number) in names.items()
            if needle in name.casefold() or needle in id_number.casefold()
        ]
        if not rows:
            return []
        stmt = stmt.where(Change.row_id.in_(rows))
    stmt = stmt.order_by(Change.hlc.desc(), Change.seq.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    changes = session.scalars(stmt).all()
    if not names:
        # The names of the records shown, and of those their values refer to (a group's id).
        shown = {c.row_id for c in changes}
        for change in changes:
            for text in (change.old_value, change.new_value):
                if text and change.field not in BINARY_FIELDS:
                    ref = _uuid(decode(text)) if text.startswith('"') else None
                    if ref is not None:
                        shown.add(ref)
        names = _record_names(session, shown)
    return [_entry(c, names) for c in changes]


def _entry(change: Change, names: dict[uuid.UUID, tuple[str, str]]) -> AuditEntry:
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
