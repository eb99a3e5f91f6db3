# SPDX-License-Identifier: GPL-3.0-or-later
"""The meetings area's service: each method is one unit of work (see desktop/services.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from desktop.models.meetings import decisions, meetings, schedule
from desktop.models.meetings.rows import (
    AttendanceCount,
    AttendanceEntry,
    AttendanceLine,
    CommitteeSeatRow,
    DecisionRow,
    DueRow,
    ExpectedPerson,
    FrequencyRow,
    HeldAgainstDue,
    MakeUpRow,
    MeetingDetail,
    MeetingDraft,
    MeetingOverview,
    MeetingRow,
    QuorumResult,
)
from desktop.models.store.db import Database


class MeetingService:
    def __init__(self, db: Database, branch_id: uuid.UUID, actor: str | None = None) -> None:
        self.db, self.branch_id, self.actor = db, branch_id, actor

    # ------------------------------------------------------------------ plan and record

    def frequencies(self) -> list[FrequencyRow]:
        with self.db.read() as s:
            return schedule.frequencies(s, self.branch_id)

    def set_frequency(self, kind: str, months: int, day: int | None = None) -> FrequencyRow:
        with self.db.unit_of_work(self.actor) as s:
            return schedule.set_frequency(s, self.branch_id, kind, months, day)

    def due(self, today: dt.date) -> list[DueRow]:
        """Each kind with a frequency: held, due or overdue this period."""
        with self.db.read() as s:
            return meetings.due_meetings(s, self.branch_id, today)

    def held_against_due(self, year: int, today: dt.date) -> list[HeldAgainstDue]:
        """Each kind over `year`: held against due (the register's summary, the hub's report)."""
        with self.db.read() as s:
            return meetings.held_against_due(s, self.branch_id, year, today)

    def meetings(self, year: int | None = None, kind: str | None = None) -> list[MeetingRow]:
        with self.db.read() as s:
            return meetings.list_meetings(s, self.branch_id, year, kind)

    def find(self, id_or_prefix: str) -> uuid.UUID:
        with self.db.read() as s:
            return meetings.find_meeting(s, self.branch_id, id_or_prefix)

    def detail(self, meeting_id: uuid.UUID) -> MeetingDetail:
        """The meeting with every line of its attendance: for the command line and the
        sheets. The window reads `overview` and the lines a page at a time instead (#22)."""
        with self.db.read() as s:
            return meetings.meeting_detail(s, meeting_id)

    def overview(self, meeting_id: uuid.UUID) -> MeetingOverview:
        """The meeting with its counts, quorum and decisions, none of its people."""
        with self.db.read() as s:
            return meetings.meeting_overview(s, meeting_id)

    def save(self, draft: MeetingDraft, meeting_id: uuid.UUID | None = None) -> MeetingRow:
        """Plan a meeting (draft.held False) or record one; returns it as stored."""
        with self.db.unit_of_work(self.actor) as s:
            return meetings.save_meeting(s, self.branch_id, draft, meeting_id)

    def remove(self, meeting_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as s:
            meetings.remove_meeting(s, meeting_id)

    def expected(
        self, audience: str, party_group_id: uuid.UUID | None, on: dt.date
    ) -> list[ExpectedPerson]:
        with self.db.read() as s:
            return meetings.expected_people(s, self.branch_id, audience, party_group_id, on)

    def party_groups(self) -> list[tuple[uuid.UUID, int, str]]:
        """The branch's party groups: (id, number, name), by number."""
        from desktop.models.register import groups

        with self.db.read() as s:
            return groups.party_group_names(s, self.branch_id)

    def members(self) -> list[tuple[uuid.UUID, str]]:
        """Every member who could be recorded (id, name), by name: for guests from elsewhere
        in the branch and for the committee."""
        from desktop.models.register import members
        from desktop.models.register.rows import MemberQuery

        with self.db.read() as s:
            return [(r.id, r.name) for r in members.list_members(s, self.branch_id, MemberQuery())]

    def candidates(self, text: str, limit: int) -> list[tuple[uuid.UUID, str]]:
        """The first `limit` members matching `text` as the register's filter does (a name,
        pinyin or its initials, an ID-number fragment), by name: what a window offers as the
        clerk types, never the whole register."""
        from desktop.models.register import members
        from desktop.models.register.rows import MemberQuery

        with self.db.read() as s:
            rows = members.page_members(s, self.branch_id, MemberQuery(text=text), 0, limit)
        return [(r.id, r.name) for r in rows]

    # ------------------------------------------------------------------ attendance

    def attend(
        self,
        meeting_id: uuid.UUID,
        entries: Sequence[AttendanceEntry],
        all_present: bool = False,
    ) -> MeetingDetail:
        """Record attendance; returns every line (see `mark` for the meeting's counts only)."""
        with self.db.unit_of_work(self.actor) as s:
            meetings.record_attendance(s, meeting_id, entries, all_present)
            return meetings.meeting_detail(s, meeting_id)

    def mark(
        self,
        meeting_id: uuid.UUID,
        entries: Sequence[AttendanceEntry],
        all_present: bool = False,
    ) -> MeetingRow:
        """Record attendance as `attend` does; returns the meeting with its counts, reading
        none of its lines (what the window calls at any size of register)."""
        with self.db.unit_of_work(self.actor) as s:
            return meetings.record_attendance(s, meeting_id, entries, all_present)

    def attendance_count(self, meeting_id: uuid.UUID) -> int:
        """How many lines the meeting's attendance list has (recorded, guests, still to record)."""
        with self.db.read() as s:
            return meetings.attendance_line_count(s, meeting_id)

    def attendance_page(
        self, meeting_id: uuid.UUID, offset: int, limit: int
    ) -> list[AttendanceLine]:
        """`limit` lines of the meeting's attendance list from `offset`, in the list's order."""
        with self.db.read() as s:
            return meetings.attendance_lines(s, meeting_id, offset, limit)

    def remove_attendance(self, attendance_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as s:
            meetings.remove_attendance(s, attendance_id)

    def quorum(self, meeting_id: uuid.UUID) -> QuorumResult:
        with self.db.read() as s:
            return meetings.meeting_quorum(s, meeting_id)

    def make_up(self, attendance_id: uuid.UUID, on: dt.date | None) -> MakeUpRow:
        with self.db.unit_of_work(self.actor) as s:
            return meetings.record_make_up(s, attendance_id, on)

    def make_ups(self, open_only: bool = True) -> list[MakeUpRow]:
        with self.db.read() as s:
            return meetings.make_ups(s, self.branch_id, open_only)

    def attendance_counts(self, year: int) -> list[AttendanceCount]:
        """Each member's attendance this year: the computed item the assessment scores."""
        with self.db.read() as s:
            return meetings.attendance_counts(s, self.branch_id, year)

    def member_attendance(self, member_id: uuid.UUID, year: int) -> AttendanceCount | None:
        with self.db.read() as s:
            found = meetings.attendance_counts(s, self.branch_id, year, member_id)
        return found[0] if found else None

    # ------------------------------------------------------------------ decisions

    def decide(
        self,
        meeting_id: uuid.UUID,
        content: str,
        owner: str = "",
        due_on: dt.date | None = None,
    ) -> DecisionRow:
        with self.db.unit_of_work(self.actor) as s:
            return decisions.add_decision(s, meeting_id, content, owner, due_on)

    def update_decision(self, decision_id: uuid.UUID, **changes: object) -> DecisionRow:
        """Change a decision: content, owner, due_on, state, notes (see decisions.py)."""
        with self.db.unit_of_work(self.actor) as s:
            return decisions.update_decision(s, decision_id, **changes)  # type: ignore[arg-type]

    def remove_decision(self, decision_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as s:
            decisions.remove_decision(s, decision_id)

    def decisions(self, state: str | None = None, kind: str | None = None) -> list[DecisionRow]:
        with self.db.read() as s:
            return decisions.list_decisions(s, self.branch_id, state=state, kind=kind)

    def overdue_decisions(self, today: dt.date) -> list[DecisionRow]:
        with self.db.read() as s:
            return decisions.overdue_decisions(s, self.branch_id, today)

    # ------------------------------------------------------------------ the committee

    def committee(self, on: dt.date | None = None) -> list[CommitteeSeatRow]:
        with self.db.read() as s:
            return meetings.committee(s, self.branch_id, on)

    def seat(
        self, member_id: uuid.UUID, post: str, started_on: dt.date | None = None
    ) -> CommitteeSeatRow:
        with self.db.unit_of_work(self.actor) as s:
            return meetings.seat_member(s, self.branch_id, member_id, post, started_on)

    def end_seat(self, seat_id: uuid.UUID, ended_on: dt.date) -> None:
        with self.db.unit_of_work(self.actor) as s:
            meetings.end_seat(s, seat_id, ended_on)
