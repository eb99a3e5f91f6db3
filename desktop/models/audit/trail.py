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
from desktop.models.store import clock
from desktop.models.store.changelog import ROW, Change, decode

#: Entities (table names) as people call them.
ENTITIES: dict[str, str] = {
    "member": N_("Party member"),
    "branch": N_("Party branch"),
    "party_group": N_("Party group"),
    "villager_group": N_("Villager group"),
    "household": N_("Household"),
    "steward": N_("Steward"),
    "commitment": N_("Commitment"),
    "service_team": N_("Service team"),
    "volunteer": N_("Team member"),
    "unavailability": N_("Days away"),
    "roster": N_("Duty roster"),
    "duty": N_("Duty"),
    "service_kind": N_("Kind of service"),
    "service_record": N_("Service"),
    "service_person": N_("Who served"),
    "service_household": N_("Household served"),
    "household_care": N_("Carer of a household"),
    "assessment": N_("Annual assessment"),
    "assessment_rule": N_("Assessment rule"),
    "assessment_scorer": N_("Assessment scorer"),
    "score_sheet": N_("Scoring sheet"),
    "score": N_("Score"),
    "assessment_result": N_("Assessment result"),
    "meeting": N_("Meeting"),
    "attendance": N_("Attendance"),
    "decision": N_("Decision"),
    "meeting_frequency": N_("Meeting frequency"),
    "committee_seat": N_("Committee seat"),
}
OPS: dict[str, str] = {
    "create": N_("Added"),
    "set": N_("Changed"),
    "delete": N_("Removed"),
    "restore": N_("Restored"),
}
FIELDS: dict[str, str] = {
    "name": N_("Name"),
    "id_number": N_("ID number"),
    "gender": N_("Gender"),
    "birth_date": N_("Birth date"),
    "ethnicity": N_("Ethnicity"),
    "education": N_("Education"),
    "status": N_("Category"),
    "standing": N_("Membership status"),
    "joined_on": N_("Joined the party"),
    "confirmed_on": N_("Became full member"),
    "party_group_id": N_("Party group"),
    "villager_group_id": N_("Villager group"),
    "occupation": N_("Post or occupation"),
    "phone": N_("Phone"),
    "address": N_("Address"),
    "lost_contact": N_("Lost contact"),
    "lost_contact_on": N_("Lost contact since"),
    "floating": N_("Floating member"),
    "floating_to": N_("Gone to"),
    "notes": N_("Notes"),
    "branch_id": N_("Party branch"),
    "town": N_("Town"),
    "county": N_("County"),
    "number": N_("Number"),
    "alias": N_("Alias"),
    "head_name": N_("Head of household"),
    "head_member_id": N_("Head of household (member)"),
    "elderly_alone": N_("Elderly living alone"),
    "low_income": N_("Low income"),
    "needs_visits": N_("Needs regular visits"),
    "member_id": N_("Party member"),
    "steward_id": N_("Steward"),
    "role": N_("Role"),
    "started_on": N_("Since"),
    "ended_on": N_("Until"),
    "year": N_("Year"),
    "content": N_("Content"),
    "stage": N_("Stage"),
    "phone_public": N_("Phone shown on the board"),
    "photo": N_("Photo"),
    "area": N_("Area"),
    "pledged_on": N_("Pledged on"),
    "reviewed_on": N_("Reviewed on"),
    "published_on": N_("Published on"),
    "fulfilled_on": N_("Fulfilled on"),
    "evaluated_on": N_("Evaluated on"),
    "evaluation": N_("Evaluation"),
    "team_id": N_("Service team"),
    "left_on": N_("Left the team"),
    "volunteer_id": N_("Team member"),
    "starts_on": N_("From"),
    "ends_on": N_("To"),
    "reason": N_("Reason"),
    "days": N_("Duty days"),
    "slots": N_("Slots"),
    "printed_at": N_("Printed at"),
    "edited_at": N_("Edited at"),
    "roster_id": N_("Duty roster"),
    "day": N_("Day"),
    "slot": N_("Slot"),
    "code": N_("Code"),
    "sort_order": N_("Order"),
    "active": N_("In use"),
    "served_on": N_("Served on"),
    "kind": N_("Kind of service"),
    "minutes": N_("Minutes"),
    "commitment_id": N_("Commitment"),
    "duty_id": N_("Duty"),
    "record_id": N_("Service"),
    "household_id": N_("Household"),
    "visit_interval_days": N_("Visit every (days)"),
    "state": N_("State"),
    "drop_extremes": N_("Drop the highest and lowest score"),
    "excellent_min": N_("Lowest total for excellent"),
    "competent_min": N_("Lowest total for competent"),
    "basic_min": N_("Lowest total for basically competent"),
    "excellent_share": N_("Largest share of excellent (%)"),
    "published_from": N_("Posted from"),
    "published_until": N_("Posted until"),
    "finalised_on": N_("Finalised on"),
    "reopen_reason": N_("Reason for reopening"),
    "assessment_id": N_("Annual assessment"),
    "description": N_("How it is scored"),
    "source": N_("Scored by"),
    "maximum": N_("Maximum"),
    "weight": N_("Weight (%)"),
    "measure": N_("Counted from"),
    "mapping": N_("Points"),
    "change_reason": N_("Reason for the change"),
    "scorer_kind": N_("Kind of scorer"),
    "sheet_id": N_("Scoring sheet"),
    "rule_id": N_("Assessment rule"),
    "value": N_("Score"),
    "total": N_("Total"),
    "grade": N_("Grade"),
    "rank": N_("Rank"),
    "computed": N_("Computed points"),
    "remarks": N_("Remarks"),
    "topic": N_("Topic"),
    "starts_at": N_("Starts at"),
    "ends_at": N_("Ends at"),
    "place": N_("Place"),
    "chair": N_("Chair"),
    "recorder": N_("Recorder"),
    "audience": N_("Who should attend"),
    "agenda": N_("Agenda"),
    "summary": N_("Summary"),
    "held": N_("Held"),
    "quorum": N_("Quorum"),
    "meeting_id": N_("Meeting"),
    "guest_name": N_("Guest"),
    "guest_org": N_("Guest's organisation"),
    "made_up_on": N_("Made up on"),
    "owner": N_("Owner"),
    "due_on": N_("Due on"),
    "done_on": N_("Done on"),
    "carried_to_id": N_("Carried over to"),
    "months": N_("Every (months)"),
    "post": N_("Post"),
}
#: Where one entity's field means something else than the same name elsewhere.
ENTITY_FIELDS: dict[tuple[str, str], str] = {
    ("volunteer", "joined_on"): N_("Joined the team"),
    ("assessment_rule", "kind"): N_("Kind of item"),
    ("assessment_rule", "number"): N_("Item number"),
    ("assessment_rule", "name"): N_("Item"),
    ("score_sheet", "code"): N_("Sheet code"),
    ("meeting", "kind"): N_("Kind of meeting"),
    ("meeting_frequency", "kind"): N_("Kind of meeting"),
    ("meeting_frequency", "day"): N_("Day of the month"),
    ("attendance", "state"): N_("Attendance"),
    ("attendance", "reason"): N_("Reason for absence"),
    ("decision", "state"): N_("State"),
}
#: Fields whose values are pictures or other bytes: the trail says a picture changed, no more.
BINARY_FIELDS = ("photo",)
#: The fields that name a record (a household is named by its head, a meeting by its topic).
NAME_FIELDS = ("name", "head_name", "topic")
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


def _record_names(session: Session) -> dict[uuid.UUID, tuple[str, str]]:
    """Every logged record's current name (and ID number for members), from the log itself:
    the newest `name` / `id_number` value of each row, so removed records keep theirs."""
    names: dict[uuid.UUID, tuple[str, str]] = {}
    stmt = (
        select(Change.row_id, Change.field, Change.new_value)
        .where(Change.field.in_((*NAME_FIELDS, "id_number")))
        .order_by(Change.hlc, Change.seq)
    )
    for row_id, field, value in session.execute(stmt):
        name, id_number = names.get(row_id, ("", ""))
        text = decode(value) or ""
        names[row_id] = (name, str(text)) if field == "id_number" else (str(text), id_number)
    return names


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
    names = _record_names(session)
    if query.record and query.record.strip():
        needle = query.record.strip().casefold()
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
    return [_entry(c, names) for c in session.scalars(stmt)]


def _entry(change: Change, names: dict[uuid.UUID, tuple[str, str]]) -> AuditEntry:
    name, _id_number = names.get(change.row_id, ("", ""))
    label = ENTITY_FIELDS.get((change.entity, change.field)) or FIELDS.get(change.field)
    field_label = "" if change.field == ROW else _(label) if label else change.field
    return AuditEntry(
        when=clock.to_datetime(change.hlc).astimezone(),
        user=change.actor or "",
        entity=change.entity,
        entity_label=_(ENTITIES[change.entity]) if change.entity in ENTITIES else change.entity,
        row_id=change.row_id,
        record=name or str(change.row_id)[:8],
        field=change.field,
        field_label=field_label,
        op=change.op,
        op_label=_(OPS[change.op]) if change.op in OPS else change.op,
        old_value=_value(change.old_value, change.field, names),
        new_value=_value(change.new_value, change.field, names),
    )


def _value(text: str | None, field: str, names: dict[uuid.UUID, tuple[str, str]]) -> Any:
    if field in BINARY_FIELDS:
        return _("(a picture)") if text not in (None, "null") else None
    return _named(decode(text), field, names)


def _named(value: Any, field: str, names: dict[uuid.UUID, tuple[str, str]]) -> Any:
    """A reference to another record (party_group_id…) as that record's name, when known."""
    if not field.endswith("_id") or not isinstance(value, str):
        return value
    try:
        name = names.get(uuid.UUID(value), ("", ""))[0]
    except ValueError:
        return value
    return name or value


def display_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict | list):
        return ""  # a row entry's snapshot: the record column already names it
    return str(value)


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
            e.when.strftime("%Y-%m-%d %H:%M:%S"),
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
