# SPDX-License-Identifier: GPL-3.0-or-later
"""One place that names every table, field and record for people.

The member dialog's labels, the spreadsheet headers (and the words the import recognises for
them), the audit trail and the sync page's conflicts all read their names here, so a field is
called the same everywhere and a new table or field is named once. Values are shown as the pages
show them (`value_text`: 男 not "male", 汉族 not "01", 2006年7月1日 not "2006-07-01"). Messages are
N_() markers, translated where shown; `entity_label`, `field_label` and `value_text` translate.
No Qt here.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from desktop.i18n import N_, _, format_date, format_datetime

#: The change log's field for a record's own life (added, removed, restored).
ROW_FIELD = "_row"

#: Tables (entities) as people call them.
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
    ROW_FIELD: N_("The record itself"),
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

#: How a record is named for people: the values of these fields, in order, joined by spaces.
#: A field ending in `_id` stands for the name of the record it points at (a steward is named by
#: its member); `starts_on` and `ends_on` together are one period.
RECORD_NAMES: dict[str, tuple[str, ...]] = {
    "branch": ("name",),
    "party_group": ("name",),
    "villager_group": ("name",),
    "member": ("name",),
    "household": ("head_name",),
    "steward": ("member_id",),
    "commitment": ("steward_id", "year"),
    "service_team": ("name",),
    "volunteer": ("name",),
    "unavailability": ("volunteer_id", "starts_on", "ends_on"),
    "roster": ("team_id", "starts_on", "ends_on"),
    "duty": ("volunteer_id", "day", "slot"),
    "service_kind": ("name",),
    "service_record": ("served_on",),
    "service_person": ("volunteer_id",),
    "service_household": ("household_id",),
    "household_care": ("volunteer_id", "household_id"),
    "assessment": ("year",),
    "assessment_rule": ("assessment_id", "number", "name"),
    "assessment_scorer": ("assessment_id", "scorer_kind"),
    "score_sheet": ("code",),
    "score": ("sheet_id", "steward_id", "rule_id"),
    "assessment_result": ("assessment_id", "steward_id"),
    "meeting": ("kind", "topic", "starts_at"),
    "attendance": ("meeting_id", "member_id", "guest_name"),
    "decision": ("content",),
    "meeting_frequency": ("kind",),
    "committee_seat": ("member_id", "post"),
}


def field_message(entity: str, field: str) -> str:
    """The untranslated label (an N_() message) of `entity`'s `field`; the field itself if none."""
    return ENTITY_FIELDS.get((entity, field)) or FIELDS.get(field) or field


def field_messages(entity: str, fields: Iterable[str]) -> dict[str, str]:
    """`fields` of `entity` with their untranslated labels, in the order given."""
    return {field: field_message(entity, field) for field in fields}


def field_label(entity: str, field: str) -> str:
    """How people call `entity`'s `field`, in the current language."""
    message = field_message(entity, field)
    return _(message) if message != field else field


def entity_label(entity: str) -> str:
    """How people call a table's records, in the current language."""
    return _(ENTITIES[entity]) if entity in ENTITIES else entity


#: What a record's own entry means (the `_row` field's values in the log and in conflicts).
ROW_VALUES: dict[str, str] = {
    "create": N_("the record is kept"),
    "restore": N_("the record is kept"),
    "delete": N_("the record is removed"),
}
#: Where a record lives, said before its name where it stands alone (a sync conflict):
#: 第一党小组 刘志强.
CONTEXT_FIELDS: dict[str, str] = {"member": "party_group_id", "household": "villager_group_id"}


@functools.cache
def _value_sets() -> dict[tuple[str | None, str], Mapping[str, str]]:
    """(entity or None for any, field) → code → N_() label, from each area's choices (read when
    first needed: the areas' modules import the tables, which must not import this module)."""
    from desktop.models.assessment import rows as assessment
    from desktop.models.meetings import meeting
    from desktop.models.register import rows as register
    from desktop.models.stewards import rows as stewards

    scorer_kinds = {k: ENTITIES[k] for k in ("party_group", "villager_group", "branch")}
    return {
        ("member", "gender"): register.GENDERS,
        ("member", "ethnicity"): register.ETHNICITIES,
        ("member", "education"): register.EDUCATIONS,
        ("member", "occupation"): register.OCCUPATIONS,
        ("member", "status"): register.STATUSES,
        ("member", "standing"): register.STANDINGS,
        ("steward", "role"): stewards.ROLES,
        ("commitment", "stage"): stewards.COMMITMENT_STAGES,
        ("service_record", "kind"): stewards.DEFAULT_KINDS,
        ("service_kind", "code"): stewards.DEFAULT_KINDS,
        ("meeting", "kind"): meeting.KINDS,
        ("meeting_frequency", "kind"): meeting.KINDS,
        ("meeting", "audience"): meeting.AUDIENCES,
        ("meeting", "quorum"): meeting.QUORUM_STATES,
        ("attendance", "state"): meeting.ATTENDANCE_STATES,
        ("decision", "state"): meeting.DECISION_STATES,
        ("committee_seat", "post"): meeting.POSTS,
        ("assessment", "state"): assessment.STATES,
        ("assessment_rule", "kind"): assessment.KINDS,
        ("assessment_rule", "source"): assessment.SOURCES,
        ("assessment_rule", "measure"): assessment.MEASURES,
        ("assessment_result", "grade"): assessment.GRADES,
        ("assessment_scorer", "scorer_kind"): scorer_kinds,
        ("score_sheet", "scorer_kind"): scorer_kinds,
        (None, ROW_FIELD): ROW_VALUES,
    }


def value_labels(entity: str, field: str) -> Mapping[str, str] | None:
    """The coded values of `entity`'s `field` with their N_() labels; None for a free field."""
    sets = _value_sets()
    return sets.get((entity, field)) or sets.get((None, field))


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2})?")


def value_text(
    entity: str,
    field: str,
    value: Any,
    name_of: Callable[[str, Any], str] | None = None,
) -> str:
    """`value` of `entity`'s `field` as the pages show it, in the current language ("" for none).

    A code is its label (male → 男, 01 → 汉族), a date or moment is written as everywhere else
    (i18n.format_date), yes/no is a word, and a reference (a field ending in `_id`) is the name
    of the record it points at, from `name_of(field, id)` (the caller knows where to look); a
    reference whose record is unknown is "", never the id itself.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.endswith("_id"):
        return name_of(field, value) if name_of is not None else ""
    choices = value_labels(entity, field)
    if choices is not None and str(value) in choices:
        return _(choices[str(value)])
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return format_date(dt.date.fromisoformat(value))
    if isinstance(value, str) and _ISO_MOMENT.fullmatch(value):
        return format_datetime(dt.datetime.fromisoformat(value))
    if isinstance(value, dict | list):
        return ""  # a record's snapshot in its own entry: the record's name says it
    return str(value).strip()


def record_name(
    entity: str, value: Callable[[str], Any], name_of: Callable[[str, Any], str]
) -> str:
    """How a record of `entity` is named for people ("" when none of its naming fields is known).

    `value(field)` gives the record's value of a field; `name_of(field, id)` the name of the
    record a reference field points at (the caller knows where to look: the log or the table).
    """
    fields = RECORD_NAMES.get(entity, ())
    parts = []
    for field in fields:
        if field == "ends_on" and "starts_on" in fields:
            continue
        raw = value(field)
        if field == "starts_on" and "ends_on" in fields:
            first = value_text(entity, field, raw)
            last = value_text(entity, "ends_on", value("ends_on"))
            text = f"{first}–{last}" if first and last else first or last
        else:
            text = value_text(entity, field, raw, name_of)
        if text:
            parts.append(text)
    return " ".join(parts)
