# SPDX-License-Identifier: GPL-3.0-or-later
"""The data of the meeting sheets (sign-in sheet, minutes, open decisions, the year's register),
read from the meetings area into the printing rows, every value already text."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.i18n import _, format_date
from desktop.models.documents.rows import (
    DecisionLine,
    DecisionListData,
    MeetingHeader,
    MeetingRegisterData,
    MeetingRegisterLine,
    MinutesData,
    SignInPerson,
    SignInSheetData,
)
from desktop.models.documents.sheets import _branch
from desktop.models.meetings import decisions, meetings
from desktop.models.meetings.meeting import KINDS, QUORUM_STATES, Meeting
from desktop.models.meetings.rows import DecisionRow, MeetingDetail, MeetingRow


def _when(row: MeetingRow) -> str:
    text = f"{format_date(row.starts_at.date())} {row.starts_at:%H:%M}"
    if row.ends_at is not None:
        end = f"{row.ends_at:%H:%M}"
        if row.ends_at.date() != row.starts_at.date():
            end = f"{format_date(row.ends_at.date())} {end}"
        text += f"—{end}"
    return text


def _header(branch_name: str, row: MeetingRow) -> MeetingHeader:
    kind = row.kind_label
    if row.kind == "group" and row.party_group_name:
        # L10N: a party group's meeting: 第一党小组会
        kind = _("{group} meeting").format(group=row.party_group_name)
    return MeetingHeader(
        branch_name=branch_name,
        kind=kind,
        topic=row.topic,
        when=_when(row),
        place=row.place,
        chair=row.chair,
        recorder=row.recorder,
    )


def _group_label(number: int | None) -> str:
    from desktop.models.register.groups import default_party_group_name

    return default_party_group_name(number) if number else ""


def sign_in_sheet(session: Session, meeting_id: uuid.UUID, printed_on: dt.date) -> SignInSheetData:
    """Everyone who should attend, by party group and name, with leave already asked for;
    members recorded who were not expected, and guests, below them."""
    detail = meetings.meeting_detail(session, meeting_id)
    branch = _branch(session, meetings.meeting_branch(session, meeting_id))
    recorded = {a.member_id: a for a in detail.attendance if a.member_id}
    expected = meetings.expected_people(
        session,
        branch.id,
        detail.meeting.audience,
        detail.meeting.party_group_id,
        detail.meeting.starts_at.date(),
    )
    people = []
    for p in expected:
        line = recorded.pop(p.member_id, None)
        leave = _leave_text(line.reason) if line and line.state == "leave" else ""
        people.append(SignInPerson(p.name, _group_label(p.party_group_number), leave))
    for line in recorded.values():
        people.append(
            SignInPerson(line.name, "", _leave_text(line.reason) if line.state == "leave" else "")
        )
    guests = tuple(SignInPerson(a.name, a.guest_org) for a in detail.attendance if a.is_guest)
    return SignInSheetData(
        meeting=_header(branch.name, detail.meeting),
        people=tuple(people),
        guests=guests,
        printed_on=printed_on,
    )


def _leave_text(reason: str) -> str:
    return reason or _("Leave")


def _names(names: list[str]) -> str:
    return "、".join(names)


def minutes(session: Session, meeting_id: uuid.UUID, printed_on: dt.date) -> MinutesData:
    detail: MeetingDetail = meetings.meeting_detail(session, meeting_id)
    branch = _branch(session, meetings.meeting_branch(session, meeting_id))
    row = detail.meeting
    absent = [
        f"{a.name}（{a.state_label}{'：' + a.reason if a.reason else ''}）"
        for a in detail.attendance
        if not a.is_guest and a.state != "present"
    ]
    guests = [
        f"{a.name}（{a.guest_org}）" if a.guest_org else a.name
        for a in detail.attendance
        if a.is_guest and a.state == "present"
    ]
    agenda = row.agenda
    if detail.carried_over:
        carried = "\n".join(
            f"· {d.content}（{d.owner}）" if d.owner else f"· {d.content}"
            for d in detail.carried_over
        )
        agenda = (
            (agenda + "\n" if agenda else "")
            + _("Decisions still open from earlier meetings:")
            + "\n"
            + carried
        )
    lines = []
    for i, d in enumerate(detail.decisions, start=1):
        extra = "；".join(
            part
            for part in (
                _("owner: {owner}").format(owner=d.owner) if d.owner else "",
                _("due {date}").format(date=format_date(d.due_on)) if d.due_on else "",
            )
            if part
        )
        lines.append(f"{i}. {d.content}" + (f"（{extra}）" if extra else ""))
    quorum = ""
    if row.held and row.quorum in ("met", "not_met"):
        result = meetings.meeting_quorum(session, meeting_id)
        quorum = _("{state}: {present} of {voters} members with a vote present").format(
            state=_(QUORUM_STATES[row.quorum]),
            present=result.voters_present,
            voters=result.voters,
        )
    return MinutesData(
        meeting=_header(branch.name, row),
        expected=str(row.expected) if row.held else "",
        present=str(row.present) if row.held else "",
        absent=_names(absent),
        guests=_names(guests),
        quorum=quorum,
        agenda=agenda,
        summary=row.summary,
        decisions=tuple(lines),
        printed_on=printed_on,
    )


def _decision_line(d: DecisionRow, today: dt.date) -> DecisionLine:
    kind = _(KINDS.get(d.meeting_kind, d.meeting_kind))
    return DecisionLine(
        content=d.content,
        owner=d.owner,
        due=format_date(d.due_on),
        state=_("Overdue") if d.overdue(today) else d.state_label,
        source=f"{kind} {format_date(d.meeting_on)}",
        notes=d.notes,
        overdue=d.overdue(today),
    )


def open_decisions(session: Session, branch_id: uuid.UUID, printed_on: dt.date) -> DecisionListData:
    """The open decisions, as listed for the next joint meeting: the overdue ones first."""
    branch = _branch(session, branch_id)
    rows = decisions.list_decisions(session, branch_id, state="open")
    rows.sort(key=lambda d: (not d.overdue(printed_on), d.due_on is None, d.due_on or printed_on))
    return DecisionListData(
        branch_name=branch.name,
        title=_("{branch}: decisions still open").format(branch=branch.name),
        lines=tuple(_decision_line(d, printed_on) for d in rows),
        printed_on=printed_on,
    )


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else ""


def meeting_years(session: Session, branch_id: uuid.UUID) -> list[int]:
    """The years in which the branch held meetings, the newest first: the years whose register
    (held meetings only) has a line. A year of planned meetings only (early January) is not one."""
    starts = session.scalars(
        select(Meeting.starts_at).where(
            Meeting.branch_id == branch_id, ~Meeting.deleted, Meeting.held
        )
    )
    return sorted({when.year for when in starts}, reverse=True)


def meeting_register(
    session: Session, branch_id: uuid.UUID, year: int, printed_on: dt.date
) -> MeetingRegisterData:
    """The year's held meetings, oldest first, with attendance rates and held-against-due."""
    branch = _branch(session, branch_id)
    rows = [r for r in meetings.list_meetings(session, branch_id, year) if r.held]
    rows.reverse()
    lines = []
    for r in rows:
        notes = []
        if r.quorum == "not_met":
            notes.append(_(QUORUM_STATES["not_met"]))
        header = _header(branch.name, r)
        lines.append(
            MeetingRegisterLine(
                day=format_date(r.starts_at.date()),
                kind=header.kind,
                topic=r.topic,
                expected=str(r.expected),
                present=str(r.present),
                leave=str(r.leave),
                absent=str(r.absent),
                rate=_percent(r.present, r.expected),
                notes="；".join(notes),
            )
        )
    summary = [
        _("{kind}: {held} held of {due} due").format(kind=r.kind_label, held=r.held, due=r.due)
        for r in meetings.held_against_due(session, branch_id, year, printed_on)
    ]
    return MeetingRegisterData(
        branch_name=branch.name,
        year=year,
        lines=tuple(lines),
        summary=tuple(summary),
        printed_on=printed_on,
    )
