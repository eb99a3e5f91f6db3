# SPDX-License-Identifier: GPL-3.0-or-later
"""Frozen rows of the meetings area for views and the command line (no SQLAlchemy inside).

The rows the printed sheets take are in documents/rows.py, which is all printing may import.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from desktop.i18n import N_

#: Months between meetings of a kind, as the Plan dialog and `meetings frequency` say them
#: (a divisor of twelve: periods are aligned on January).
EVERY = {
    0: N_("Not required"),
    1: N_("Every month"),
    2: N_("Every two months"),
    3: N_("Every quarter"),
    4: N_("Every four months"),
    6: N_("Every half year"),
    12: N_("Every year"),
}

_frozen = dataclasses.dataclass(frozen=True, slots=True)


@_frozen
class MeetingDraft:
    """What the clerk enters for a meeting, planned or held."""

    kind: str
    starts_at: dt.datetime
    topic: str = ""
    ends_at: dt.datetime | None = None
    place: str = ""
    chair: str = ""
    recorder: str = ""
    #: Who should attend; "" takes the kind's default (see meeting.DEFAULT_AUDIENCE).
    audience: str = ""
    party_group_id: uuid.UUID | None = None
    agenda: str = ""
    summary: str = ""
    held: bool = False

    def replace(self, **changes: object) -> MeetingDraft:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


@_frozen
class MeetingRow:
    id: uuid.UUID
    kind: str
    kind_label: str
    topic: str
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    place: str
    chair: str
    recorder: str
    audience: str
    party_group_id: uuid.UUID | None
    party_group_name: str
    agenda: str
    summary: str
    held: bool
    quorum: str
    #: 应到 / 实到 / 请假 / 缺席 among members (guests are not counted).
    expected: int
    present: int
    leave: int
    absent: int
    open_decisions: int

    def draft(self) -> MeetingDraft:
        return MeetingDraft(
            kind=self.kind,
            starts_at=self.starts_at,
            topic=self.topic,
            ends_at=self.ends_at,
            place=self.place,
            chair=self.chair,
            recorder=self.recorder,
            audience=self.audience,
            party_group_id=self.party_group_id,
            agenda=self.agenda,
            summary=self.summary,
            held=self.held,
        )


@_frozen
class ExpectedPerson:
    """Someone who should attend (应到): a member, with whether they may vote."""

    member_id: uuid.UUID
    name: str
    party_group_number: int | None
    #: A full member in normal standing votes; a probationary member does not (预备党员无表决权).
    votes: bool


@_frozen
class AttendanceEntry:
    """One line the clerk records: a member (member_id) or a guest (guest_name)."""

    state: str
    member_id: uuid.UUID | None = None
    guest_name: str = ""
    guest_org: str = ""
    reason: str = ""


@_frozen
class AttendanceRow:
    id: uuid.UUID
    meeting_id: uuid.UUID
    member_id: uuid.UUID | None
    name: str
    guest_org: str
    state: str
    state_label: str
    reason: str
    made_up_on: dt.date | None

    @property
    def is_guest(self) -> bool:
        return self.member_id is None


@_frozen
class AttendanceLine:
    """One line of a meeting's attendance list: a person recorded (attendance_id) or a member
    expected and not recorded yet (state "")."""

    name: str
    state: str
    member_id: uuid.UUID | None = None
    attendance_id: uuid.UUID | None = None
    guest_org: str = ""
    reason: str = ""
    made_up_on: dt.date | None = None

    @property
    def id(self) -> object:
        return self.attendance_id or self.member_id


@_frozen
class QuorumResult:
    """The quorum of a meeting (党员大会: more than half of the members with a vote present)."""

    state: str  # one of meeting.QUORUM_STATES
    voters: int
    voters_present: int

    @property
    def needed(self) -> int:
        """How many voters must be present: more than half."""
        return self.voters // 2 + 1


@_frozen
class DecisionRow:
    id: uuid.UUID
    meeting_id: uuid.UUID
    meeting_kind: str
    meeting_on: dt.date
    meeting_topic: str
    content: str
    owner: str
    due_on: dt.date | None
    state: str
    state_label: str
    done_on: dt.date | None
    notes: str
    carried_to_id: uuid.UUID | None
    carried_to_on: dt.date | None

    def overdue(self, today: dt.date) -> bool:
        return self.state == "open" and self.due_on is not None and self.due_on < today


@_frozen
class MeetingDetail:
    meeting: MeetingRow
    attendance: tuple[AttendanceRow, ...]
    #: Members who should attend but have no attendance line yet.
    unrecorded: tuple[ExpectedPerson, ...]
    decisions: tuple[DecisionRow, ...]
    #: Open decisions of earlier meetings carried over to this one's agenda.
    carried_over: tuple[DecisionRow, ...]


@_frozen
class MeetingOverview:
    """A meeting with its counts, quorum and decisions, without its people: what the window
    shows beside the attendance list, which it reads a page at a time (#22)."""

    meeting: MeetingRow
    quorum: QuorumResult
    decisions: tuple[DecisionRow, ...]
    #: Open decisions of earlier meetings carried over to this one's agenda.
    carried_over: tuple[DecisionRow, ...]


@_frozen
class FrequencyRow:
    kind: str
    kind_label: str
    months: int
    day: int | None


@_frozen
class DueRow:
    """Where one kind of meeting stands in its current period."""

    kind: str
    kind_label: str
    months: int
    period_start: dt.date
    period_end: dt.date
    #: The day it should be held by: the fixed day of the month if the branch keeps one,
    #: otherwise the period's last day.
    due_on: dt.date
    held_on: dt.date | None
    #: "held", "due" or "overdue" (the due day passed without a meeting).
    state: str
    #: The previous period ended without this kind of meeting.
    previous_missed: bool
    #: Periods of this year already over without this kind of meeting.
    missed_this_year: int

    @property
    def needs_attention(self) -> bool:
        return self.state == "overdue" or self.previous_missed


@_frozen
class HeldAgainstDue:
    """One kind of meeting over a year: how many were held against how many were due."""

    kind: str
    kind_label: str
    months: int
    held: int
    #: Periods of the year that required one: every period of a past year; of the current year,
    #: those begun by today (the current one counts as due, even before its due day).
    due: int
    #: Where the current period stands ("held", "due", "overdue"); "" for another year.
    now: str = ""


@_frozen
class MakeUpRow:
    """A member absent from a meeting that requires 补课, and whether they have made it up."""

    attendance_id: uuid.UUID
    meeting_id: uuid.UUID
    meeting_kind: str
    meeting_on: dt.date
    meeting_topic: str
    member_id: uuid.UUID
    name: str
    state: str
    made_up_on: dt.date | None


@_frozen
class AttendanceCount:
    """A member's attendance over a year: what the assessment scores."""

    member_id: uuid.UUID
    name: str
    expected: int
    present: int
    leave: int
    absent: int
    made_up: int

    @property
    def rate(self) -> float:
        """Present (or made up) over expected; 1.0 when nothing was expected."""
        if not self.expected:
            return 1.0
        return min(1.0, (self.present + self.made_up) / self.expected)


@_frozen
class CommitteeSeatRow:
    id: uuid.UUID
    member_id: uuid.UUID
    name: str
    post: str
    post_label: str
    started_on: dt.date | None
    ended_on: dt.date | None
