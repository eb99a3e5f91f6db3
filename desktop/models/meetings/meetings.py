# SPDX-License-Identifier: GPL-3.0-or-later
"""Meetings: plan and record them, who should attend, attendance, quorum and make-up (补课).

Session-first functions: they never commit; the service opens the unit of work.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    extract,
    false,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from desktop.errors import NotFound, ValidationFailed
from desktop.i18n import _
from desktop.models.meetings import decisions, schedule
from desktop.models.meetings.meeting import (
    ATTENDANCE_STATES,
    AUDIENCES,
    DEFAULT_AUDIENCE,
    KINDS,
    POSTS,
    Attendance,
    CommitteeSeat,
    Decision,
    Meeting,
)
from desktop.models.meetings.rows import (
    AttendanceCount,
    AttendanceEntry,
    AttendanceLine,
    AttendanceRow,
    CommitteeSeatRow,
    DueRow,
    ExpectedPerson,
    HeldAgainstDue,
    MakeUpRow,
    MeetingDetail,
    MeetingDraft,
    MeetingOverview,
    MeetingRow,
    QuorumResult,
)
from desktop.models.register import pinyin
from desktop.models.register.branch import PartyGroup
from desktop.models.register.member import Member
from desktop.models.stewards.steward import Steward

#: Kinds whose absent members must make the meeting up (补课) until it is recorded.
MAKE_UP_KINDS = ("assembly", "lecture", "life")
TOPIC_MAX = 200
ATTENDANCE_NAMESPACE = uuid.UUID("8e0b6c2a-1f47-4d93-a6c5-7b2e9d4f1a03")


# ----------------------------------------------------------------------------- who should attend


def _current(started: dt.date | None, ended: dt.date | None, on: dt.date) -> bool:
    return (started is None or started <= on) and (ended is None or ended >= on)


def _expected_where(
    session: Session,
    branch_id: uuid.UUID,
    audience: str,
    party_group_id: uuid.UUID | None,
    on: dt.date,
) -> list[ColumnElement[bool]] | None:
    """The conditions on `Member` of who should attend; None: nobody (guests only)."""
    if audience == "guests":
        return None
    where = [
        Member.branch_id == branch_id,
        ~Member.deleted,
        Member.standing == "normal",
        Member.joined_on.is_(None) | (Member.joined_on <= on),
    ]
    if audience == "group":
        where.append(Member.party_group_id == party_group_id)
    elif audience == "committee":
        seats = session.scalars(
            select(CommitteeSeat).where(
                CommitteeSeat.branch_id == branch_id, ~CommitteeSeat.deleted
            )
        )
        ids = {s.member_id for s in seats if _current(s.started_on, s.ended_on, on)}
        where.append(Member.id.in_(ids))
    elif audience == "stewards":
        stewards = session.scalars(
            select(Steward).where(Steward.branch_id == branch_id, ~Steward.deleted)
        )
        ids = {s.member_id for s in stewards if _current(s.started_on, s.ended_on, on)}
        where.append(Member.id.in_(ids))
    return where


def _meeting_expected_where(session: Session, meeting: Meeting) -> list[ColumnElement[bool]] | None:
    """`_expected_where` of a stored meeting (its branch, audience, group and day)."""
    return _expected_where(
        session,
        meeting.branch_id,
        meeting.audience,
        meeting.party_group_id,
        meeting.starts_at.date(),
    )


def expected_people(
    session: Session,
    branch_id: uuid.UUID,
    audience: str,
    party_group_id: uuid.UUID | None,
    on: dt.date,
) -> list[ExpectedPerson]:
    """Who should attend (应到), derived from the register as it stands: members in normal
    standing who had joined by `on`, narrowed to the committee, one group or the stewards."""
    where = _expected_where(session, branch_id, audience, party_group_id, on)
    if where is None:
        return []
    stmt = (
        select(Member, PartyGroup.number)
        .outerjoin(PartyGroup, PartyGroup.id == Member.party_group_id)
        .where(*where)
    )
    people = [
        ExpectedPerson(m.id, m.name, number, m.status == "full")
        for m, number in session.execute(stmt)
    ]
    people.sort(
        key=lambda p: (p.party_group_number or 0, pinyin.full_of(p.name), p.name, p.member_id)
    )
    return people


def quorum(
    kind: str, expected: Sequence[ExpectedPerson], present: Iterable[uuid.UUID]
) -> QuorumResult:
    """The quorum where the rules require one (a pure function; `_quorum_of` counts the same
    in SQL for a meeting as stored).

    党员大会: more than half of the members with a vote must be present; a probationary member
    attends but has no vote, so counts on neither side. 支委会: more than half of the committee.
    """
    if kind == "assembly":
        voters = [p for p in expected if p.votes]
    elif kind == "committee":
        voters = list(expected)
    else:
        return QuorumResult("not_required", 0, 0)
    here = set(present)
    n_present = sum(1 for p in voters if p.member_id in here)
    met = n_present * 2 > len(voters)
    return QuorumResult("met" if met else "not_met", len(voters), n_present)


# ----------------------------------------------------------------------------- the meeting record


def _meeting(session: Session, meeting_id: uuid.UUID) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.deleted:
        raise NotFound(_("The meeting was not found."))
    return meeting


def validate(session: Session, branch_id: uuid.UUID, draft: MeetingDraft) -> dict[str, str]:
    problems: dict[str, str] = {}
    if draft.kind not in KINDS:
        problems["kind"] = _("Choose a kind of meeting from the list.")
    audience = draft.audience or DEFAULT_AUDIENCE.get(draft.kind, "members")
    if audience not in AUDIENCES:
        problems["audience"] = _("Choose who should attend from the list.")
    if audience == "group":
        group = session.get(PartyGroup, draft.party_group_id) if draft.party_group_id else None
        if group is None or group.deleted or group.branch_id != branch_id:
            problems["party_group_id"] = _("Choose the party group that meets.")
    if len(draft.topic.strip()) > TOPIC_MAX:
        problems["topic"] = _("The topic is at most {n} characters.").format(n=TOPIC_MAX)
    if draft.ends_at is not None and draft.ends_at < draft.starts_at:
        problems["ends_at"] = _("The meeting cannot end before it starts.")
    if draft.held and draft.starts_at > dt.datetime.now() + dt.timedelta(days=1):
        problems["starts_at"] = _("A meeting in the future cannot have been held yet.")
    for field, value, limit in (
        ("place", draft.place, 100),
        ("chair", draft.chair, 50),
        ("recorder", draft.recorder, 50),
    ):
        if len(value.strip()) > limit:
            problems[field] = _("This is at most {n} characters.").format(n=limit)
    return problems


def save_meeting(
    session: Session,
    branch_id: uuid.UUID,
    draft: MeetingDraft,
    meeting_id: uuid.UUID | None = None,
    new_id: uuid.UUID | None = None,
) -> MeetingRow:
    """Plan a meeting (held False) or record one; a joint meeting takes the open decisions of
    the earlier joint meetings onto its agenda (carried over). `new_id` names a new meeting
    (the demo's name-based ids); by default it gets a fresh one."""
    problems = validate(session, branch_id, draft)
    if problems:
        raise ValidationFailed(problems)
    if meeting_id is None:
        meeting = Meeting(branch_id=branch_id, kind=draft.kind)
        if new_id is not None:
            meeting.id = new_id
        session.add(meeting)
    else:
        meeting = _meeting(session, meeting_id)
    audience = draft.audience or DEFAULT_AUDIENCE[draft.kind]
    meeting.kind = draft.kind
    meeting.topic = draft.topic.strip()
    meeting.starts_at = draft.starts_at.replace(second=0, microsecond=0, tzinfo=None)
    meeting.ends_at = (
        draft.ends_at.replace(second=0, microsecond=0, tzinfo=None) if draft.ends_at else None
    )
    meeting.place = draft.place.strip()
    meeting.chair = draft.chair.strip()
    meeting.recorder = draft.recorder.strip()
    meeting.audience = audience
    meeting.party_group_id = draft.party_group_id if audience == "group" else None
    meeting.agenda = draft.agenda.strip()
    meeting.summary = draft.summary.strip()
    # A meeting with attendance recorded was held, whatever the form says.
    meeting.held = draft.held or (meeting_id is not None and _has_attendance(session, meeting_id))
    session.flush()
    if meeting.kind == "joint":
        decisions.carry_over(session, meeting)
    _update_quorum(session, meeting)
    return meeting_row(session, meeting)


def _has_attendance(session: Session, meeting_id: uuid.UUID) -> bool:
    return (
        session.scalar(
            select(Attendance.id)
            .where(Attendance.meeting_id == meeting_id, ~Attendance.deleted)
            .limit(1)
        )
        is not None
    )


def remove_meeting(session: Session, meeting_id: uuid.UUID) -> None:
    """Remove a meeting with its attendance and decisions (tombstones: undoable, synced)."""
    meeting = _meeting(session, meeting_id)
    meeting.deleted = True
    for a in session.scalars(select(Attendance).where(Attendance.meeting_id == meeting_id)):
        a.deleted = True
    for d in session.scalars(select(Decision).where(Decision.meeting_id == meeting_id)):
        d.deleted = True
    for d in session.scalars(select(Decision).where(Decision.carried_to_id == meeting_id)):
        d.carried_to_id = None
    session.flush()


def _attendance(session: Session, meeting_id: uuid.UUID) -> list[Attendance]:
    return list(
        session.scalars(
            select(Attendance).where(Attendance.meeting_id == meeting_id, ~Attendance.deleted)
        )
    )


def _expected_for(session: Session, meeting: Meeting) -> list[ExpectedPerson]:
    return expected_people(
        session,
        meeting.branch_id,
        meeting.audience,
        meeting.party_group_id,
        meeting.starts_at.date(),
    )


def _counts(session: Session, meeting: Meeting) -> tuple[int, int, int, int]:
    """应到 / 实到 / 请假 / 缺席 among members: the expected plus any member recorded absent.

    Counted in SQL: a branch meeting expects every member of the register (500,000 at a
    county's scale), and the list of meetings shows these counts for each (#22).
    """
    where = _meeting_expected_where(session, meeting)
    expected_ids = select(Member.id).where(*where) if where is not None else None
    n_expected = (
        session.scalar(select(func.count()).select_from(expected_ids.subquery()))
        if expected_ids is not None
        else 0
    ) or 0
    recorded = [
        Attendance.meeting_id == meeting.id,
        ~Attendance.deleted,
        Attendance.member_id.is_not(None),
    ]
    inside = Attendance.member_id.in_(expected_ids) if expected_ids is not None else false()
    states: dict[str, int] = defaultdict(int)
    # Absent (with leave or not) counts whoever is recorded; present, only the expected.
    for state, n in session.execute(
        select(Attendance.state, func.count())
        .where(*recorded, (Attendance.state != "present") | inside)
        .group_by(Attendance.state)
    ):
        states[state] += n
    # A member recorded absent who was not expected is expected after all.
    n_expected += (
        session.scalar(
            select(func.count())
            .select_from(Attendance)
            .where(*recorded, Attendance.state != "present", ~inside)
        )
        or 0
    )
    return n_expected, states["present"], states["leave"], states["absent"]


def _expected_ids(session: Session, meeting: Meeting) -> Select[tuple[uuid.UUID]] | None:
    """The ids of who should attend `meeting`, as a query; None: nobody (guests only)."""
    where = _meeting_expected_where(session, meeting)
    return select(Member.id).where(*where) if where is not None else None


def _quorum_of(session: Session, meeting: Meeting) -> QuorumResult:
    """`quorum` of a stored meeting, counted in SQL: a branch meeting at a county's scale
    expects 500,000 members, and this runs on every attendance recorded (#22)."""
    if meeting.kind not in ("assembly", "committee"):
        return QuorumResult("not_required", 0, 0)
    where = _meeting_expected_where(session, meeting)
    if where is None:
        return QuorumResult("not_met", 0, 0)
    if meeting.kind == "assembly":  # a probationary member has no vote
        where.append(Member.status == "full")
    voters = select(Member.id).where(*where)
    n_voters = session.scalar(select(func.count()).select_from(voters.subquery())) or 0
    n_present = (
        session.scalar(
            select(func.count(func.distinct(Attendance.member_id))).where(
                Attendance.meeting_id == meeting.id,
                ~Attendance.deleted,
                Attendance.state == "present",
                Attendance.member_id.in_(voters),
            )
        )
        or 0
    )
    met = n_present * 2 > n_voters
    return QuorumResult("met" if met else "not_met", n_voters, n_present)


def _update_quorum(session: Session, meeting: Meeting) -> None:
    if not meeting.held:
        meeting.quorum = ""
        return
    result = _quorum_of(session, meeting)
    if meeting.quorum != result.state:
        meeting.quorum = result.state
        session.flush()


def meeting_quorum(session: Session, meeting_id: uuid.UUID) -> QuorumResult:
    return _quorum_of(session, _meeting(session, meeting_id))


def meeting_row(session: Session, meeting: Meeting) -> MeetingRow:
    group = session.get(PartyGroup, meeting.party_group_id) if meeting.party_group_id else None
    expected, present, leave, absent = _counts(session, meeting)
    open_count = len(
        session.scalars(
            select(Decision.id).where(
                Decision.meeting_id == meeting.id, ~Decision.deleted, Decision.state == "open"
            )
        ).all()
    )
    return MeetingRow(
        id=meeting.id,
        kind=meeting.kind,
        kind_label=_(KINDS.get(meeting.kind, meeting.kind)),
        topic=meeting.topic,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        place=meeting.place,
        chair=meeting.chair,
        recorder=meeting.recorder,
        audience=meeting.audience,
        party_group_id=meeting.party_group_id,
        party_group_name=group.name if group else "",
        agenda=meeting.agenda,
        summary=meeting.summary,
        held=meeting.held,
        quorum=meeting.quorum,
        expected=expected,
        present=present,
        leave=leave,
        absent=absent,
        open_decisions=open_count,
    )


def list_meetings(
    session: Session,
    branch_id: uuid.UUID,
    year: int | None = None,
    kind: str | None = None,
) -> list[MeetingRow]:
    """Meetings, newest first."""
    stmt = select(Meeting).where(Meeting.branch_id == branch_id, ~Meeting.deleted)
    if year is not None:
        stmt = stmt.where(extract("year", Meeting.starts_at) == year)
    if kind:
        stmt = stmt.where(Meeting.kind == kind)
    stmt = stmt.order_by(Meeting.starts_at.desc(), Meeting.id)
    return [meeting_row(session, m) for m in session.scalars(stmt)]


def find_meeting(session: Session, branch_id: uuid.UUID, prefix: str) -> uuid.UUID:
    """A meeting by its id or the id's first characters (as the command line takes it)."""
    text = prefix.strip().lower()
    ids = [
        i
        for i in session.scalars(
            select(Meeting.id).where(Meeting.branch_id == branch_id, ~Meeting.deleted)
        )
        if text and str(i).startswith(text)
    ]
    if len(ids) != 1:
        raise NotFound(_("No single meeting has an id starting with {text}.").format(text=prefix))
    return ids[0]


def _attendance_row(session: Session, a: Attendance) -> AttendanceRow:
    member = session.get(Member, a.member_id) if a.member_id else None
    return AttendanceRow(
        id=a.id,
        meeting_id=a.meeting_id,
        member_id=a.member_id,
        name=member.name if member else a.guest_name,
        guest_org=a.guest_org,
        state=a.state,
        state_label=_(ATTENDANCE_STATES.get(a.state, a.state)),
        reason=a.reason,
        made_up_on=a.made_up_on,
    )


def meeting_detail(session: Session, meeting_id: uuid.UUID) -> MeetingDetail:
    meeting = _meeting(session, meeting_id)
    expected = _expected_for(session, meeting)
    rows = _attendance(session, meeting.id)
    recorded = {a.member_id for a in rows if a.member_id}
    order = {p.member_id: i for i, p in enumerate(expected)}
    lines = sorted(
        (_attendance_row(session, a) for a in rows),
        key=lambda r: (
            r.is_guest,
            order.get(r.member_id, len(order)) if r.member_id else 0,
            pinyin.full_of(r.name),
            r.name,
        ),
    )
    return MeetingDetail(
        meeting=meeting_row(session, meeting),
        attendance=tuple(lines),
        unrecorded=tuple(p for p in expected if p.member_id not in recorded),
        decisions=tuple(
            decisions.list_decisions(session, meeting.branch_id, meeting_id=meeting.id)
        ),
        carried_over=tuple(
            decisions.list_decisions(session, meeting.branch_id, carried_to_id=meeting.id)
        ),
    )


def meeting_overview(session: Session, meeting_id: uuid.UUID) -> MeetingOverview:
    """The meeting, its counts, quorum and decisions, in a few queries: none reads its people."""
    meeting = _meeting(session, meeting_id)
    return MeetingOverview(
        meeting=meeting_row(session, meeting),
        quorum=_quorum_of(session, meeting),
        decisions=tuple(
            decisions.list_decisions(session, meeting.branch_id, meeting_id=meeting.id)
        ),
        carried_over=tuple(
            decisions.list_decisions(session, meeting.branch_id, carried_to_id=meeting.id)
        ),
    )


def _lines(session: Session, meeting: Meeting) -> Select[tuple[object, ...]]:
    """Every line of the attendance list, unordered: the members recorded (section 0), the
    guests (1), then who should attend and is not recorded yet (2)."""
    number = func.coalesce(PartyGroup.number, 0)
    live = (Attendance.meeting_id == meeting.id, ~Attendance.deleted)
    recorded = (
        select(
            case((Attendance.member_id.is_(None), 1), else_=0).label("section"),
            number.label("number"),
            func.coalesce(Member.name_pinyin, Attendance.guest_name).label("sort_name"),
            func.coalesce(Member.name, Attendance.guest_name).label("name"),
            Attendance.state.label("state"),
            Attendance.member_id.label("member_id"),
            Attendance.id.label("attendance_id"),
            Attendance.guest_org.label("guest_org"),
            Attendance.reason.label("reason"),
            Attendance.made_up_on.label("made_up_on"),
        )
        .outerjoin(Member, Member.id == Attendance.member_id)
        .outerjoin(PartyGroup, PartyGroup.id == Member.party_group_id)
        .where(*live)
    )
    where = _meeting_expected_where(session, meeting)
    if where is None:
        return recorded
    taken = select(Attendance.member_id).where(*live, Attendance.member_id.is_not(None))
    unrecorded = (
        select(
            literal(2),
            number,
            Member.name_pinyin,
            Member.name,
            literal(""),
            Member.id,
            null(),
            literal(""),
            literal(""),
            null(),
        )
        .outerjoin(PartyGroup, PartyGroup.id == Member.party_group_id)
        .where(*where, Member.id.not_in(taken))
    )
    return union_all(recorded, unrecorded)  # type: ignore[return-value]


def attendance_line_count(session: Session, meeting_id: uuid.UUID) -> int:
    lines = _lines(session, _meeting(session, meeting_id)).subquery()
    return session.scalar(select(func.count()).select_from(lines)) or 0


def attendance_lines(
    session: Session, meeting_id: uuid.UUID, offset: int, limit: int
) -> list[AttendanceLine]:
    """A page of the meeting's attendance list, read in SQL (a branch meeting at a county's
    scale expects 500,000 members, #22): the members recorded, then the guests, then who is
    not recorded yet; members by party group and the pinyin of their names."""
    lines = _lines(session, _meeting(session, meeting_id)).subquery()
    stmt = (
        select(lines)
        .order_by(
            lines.c.section,
            lines.c.number,
            lines.c.sort_name,
            lines.c.name,
            lines.c.member_id,
            lines.c.attendance_id,
        )
        .offset(offset)
        .limit(limit)
    )
    return [
        AttendanceLine(
            name=row.name,
            state=row.state,
            member_id=row.member_id,
            attendance_id=row.attendance_id,
            guest_org=row.guest_org,
            reason=row.reason,
            made_up_on=row.made_up_on,
        )
        for row in session.execute(stmt)
    ]


# ----------------------------------------------------------------------------- attendance


def attendance_id(meeting_id: uuid.UUID, entry: AttendanceEntry) -> uuid.UUID:
    """One person's line of one meeting has the same id on every PC: recording it twice, or on
    two PCs, edits one record instead of listing the person twice."""
    who = f"member/{entry.member_id}" if entry.member_id else f"guest/{entry.guest_name.strip()}"
    return uuid.uuid5(ATTENDANCE_NAMESPACE, f"{meeting_id}/{who}")


def record_attendance(
    session: Session,
    meeting_id: uuid.UUID,
    entries: Sequence[AttendanceEntry],
    all_present: bool = False,
) -> MeetingRow:
    """Record who attended, was absent with leave (请假) or absent; `all_present` marks every
    expected member not in `entries` present. The meeting counts as held from now on.

    Returns the meeting with its counts, not its people (see `meeting_detail`): those not yet
    recorded are found in SQL, and only they are read (#22)."""
    meeting = _meeting(session, meeting_id)
    problems: dict[str, str] = {}
    for entry in entries:
        if entry.state not in ATTENDANCE_STATES:
            problems["state"] = _("Attendance is present, absent with leave, or absent.")
        if entry.member_id is None and not entry.guest_name.strip():
            problems["guest_name"] = _("Give the guest's name.")
        if entry.member_id is not None:
            member = session.get(Member, entry.member_id)
            if member is None or member.deleted or member.branch_id != meeting.branch_id:
                problems["member_id"] = _("Someone chosen is not a member of this branch.")
        if len(entry.reason) > 100 or len(entry.guest_name) > 50 or len(entry.guest_org) > 100:
            problems["reason"] = _("A name, organisation or reason is too long.")
    if problems:
        raise ValidationFailed(problems)
    for entry in entries:
        _put_attendance(
            session, meeting, entry, session.get(Attendance, attendance_id(meeting.id, entry))
        )
    expected = _expected_ids(session, meeting) if all_present else None
    if expected is not None:
        listed = {e.member_id for e in entries}
        taken = select(Attendance.member_id).where(
            Attendance.meeting_id == meeting.id,
            ~Attendance.deleted,
            Attendance.member_id.is_not(None),
        )
        # A line taken back earlier is a tombstone with the same id: it comes back to life.
        removed = {
            a.id: a
            for a in session.scalars(
                select(Attendance).where(Attendance.meeting_id == meeting.id, Attendance.deleted)
            )
        }
        for member_id in session.scalars(expected.where(Member.id.not_in(taken))).all():
            if member_id not in listed:
                entry = AttendanceEntry("present", member_id=member_id)
                _put_attendance(
                    session, meeting, entry, removed.get(attendance_id(meeting.id, entry))
                )
    meeting.held = True
    session.flush()
    _update_quorum(session, meeting)
    return meeting_row(session, meeting)


def _put_attendance(
    session: Session, meeting: Meeting, entry: AttendanceEntry, row: Attendance | None
) -> None:
    """Record one line, on `row` (the line of the same id already stored) or a new one."""
    if row is None:
        row = Attendance(
            id=attendance_id(meeting.id, entry), meeting_id=meeting.id, member_id=entry.member_id
        )
        session.add(row)
    row.deleted = False
    row.state = entry.state
    row.reason = entry.reason.strip() if entry.state != "present" else ""
    if entry.member_id is None:
        row.guest_name = entry.guest_name.strip()
        row.guest_org = entry.guest_org.strip()
    if entry.state == "present":
        row.made_up_on = None


def remove_attendance(session: Session, attendance_row_id: uuid.UUID) -> None:
    row = session.get(Attendance, attendance_row_id)
    if row is None or row.deleted:
        raise NotFound(_("That attendance line was not found."))
    row.deleted = True
    session.flush()
    _update_quorum(session, _meeting(session, row.meeting_id))


def record_make_up(session: Session, attendance_row_id: uuid.UUID, on: dt.date | None) -> MakeUpRow:
    """Record the day an absent member made the meeting up (补课); None takes it back."""
    row = session.get(Attendance, attendance_row_id)
    if row is None or row.deleted or row.member_id is None:
        raise NotFound(_("That attendance line was not found."))
    meeting = _meeting(session, row.meeting_id)
    if row.state == "present":
        raise ValidationFailed(
            {"made_up_on": _("A member who was present has nothing to make up.")}
        )
    if on is not None and on < meeting.starts_at.date():
        raise ValidationFailed({"made_up_on": _("A meeting cannot be made up before it was held.")})
    row.made_up_on = on
    session.flush()
    return _make_up_row(session, row, meeting)


def _make_up_row(session: Session, a: Attendance, meeting: Meeting) -> MakeUpRow:
    member = session.get(Member, a.member_id)
    return MakeUpRow(
        attendance_id=a.id,
        meeting_id=meeting.id,
        meeting_kind=meeting.kind,
        meeting_on=meeting.starts_at.date(),
        meeting_topic=meeting.topic,
        member_id=a.member_id,  # type: ignore[arg-type]
        name=member.name if member else "",
        state=a.state,
        made_up_on=a.made_up_on,
    )


def make_ups(session: Session, branch_id: uuid.UUID, open_only: bool = True) -> list[MakeUpRow]:
    """Members absent from a meeting that requires 补课: still to make up (or all of them)."""
    stmt = (
        select(Attendance, Meeting)
        .join(Meeting, Meeting.id == Attendance.meeting_id)
        .join(Member, Member.id == Attendance.member_id)
        .where(
            Meeting.branch_id == branch_id,
            ~Meeting.deleted,
            Meeting.held,
            Meeting.kind.in_(MAKE_UP_KINDS),
            ~Attendance.deleted,
            ~Member.deleted,
            Attendance.state.in_(("leave", "absent")),
        )
        .order_by(Meeting.starts_at, Member.name_pinyin, Member.name)
    )
    if open_only:
        stmt = stmt.where(Attendance.made_up_on.is_(None))
    return [_make_up_row(session, a, m) for a, m in session.execute(stmt)]


# ----------------------------------------------------------------------------- what is due


def due_meetings(session: Session, branch_id: uuid.UUID, today: dt.date) -> list[DueRow]:
    """Each kind with a frequency: held, due or overdue in its current period."""
    held: dict[str, list[dt.date]] = defaultdict(list)
    first: dt.date | None = None
    for kind, starts_at, was_held in session.execute(
        select(Meeting.kind, Meeting.starts_at, Meeting.held).where(
            Meeting.branch_id == branch_id, ~Meeting.deleted
        )
    ):
        day = starts_at.date()
        first = day if first is None else min(first, day)
        if was_held:
            held[kind].append(day)
    since = first or today.replace(day=1)
    rows = []
    for f in schedule.frequencies(session, branch_id):
        row = schedule.due_row(f.kind, f.months, f.day, held[f.kind], today, since=since)
        if row is not None:
            rows.append(row)
    return rows


def held_against_due(
    session: Session, branch_id: uuid.UUID, year: int, today: dt.date
) -> list[HeldAgainstDue]:
    """Each kind with a frequency, or held in `year`: held against due over the year (what the
    town checks, and what the year's register sums up). In the current year only the periods
    begun by `today` are due."""
    held: dict[str, int] = defaultdict(int)
    for (kind,) in session.execute(
        select(Meeting.kind).where(
            Meeting.branch_id == branch_id,
            ~Meeting.deleted,
            Meeting.held,
            extract("year", Meeting.starts_at) == year,
        )
    ):
        held[kind] += 1
    now = {r.kind: r.state for r in due_meetings(session, branch_id, today)}
    rows = []
    for f in schedule.frequencies(session, branch_id):
        due = 12 // f.months if f.months else 0
        if year == today.year and f.months:
            start, _end = schedule.period_bounds(today, f.months)
            due = (start.month - 1) // f.months + 1
        if due or held[f.kind]:
            rows.append(
                HeldAgainstDue(
                    kind=f.kind,
                    kind_label=f.kind_label,
                    months=f.months,
                    held=held[f.kind],
                    due=due,
                    now=now.get(f.kind, "") if year == today.year else "",
                )
            )
    return rows


# ----------------------------------------------------------------------------- attendance counts


def attendance_counts(
    session: Session,
    branch_id: uuid.UUID,
    year: int,
    member_id: uuid.UUID | None = None,
) -> list[AttendanceCount]:
    """Each member's attendance at the year's held meetings they were expected at: what the
    annual assessment scores. Guests and meetings without a register line are not counted."""
    meetings = session.scalars(
        select(Meeting).where(
            Meeting.branch_id == branch_id,
            ~Meeting.deleted,
            Meeting.held,
            extract("year", Meeting.starts_at) == year,
        )
    ).all()
    tally: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    names: dict[uuid.UUID, str] = {}
    for meeting in meetings:
        expected = {p.member_id: p.name for p in _expected_for(session, meeting)}
        names.update(expected)
        by_member = {a.member_id: a for a in _attendance(session, meeting.id) if a.member_id}
        for mid in set(expected) | {m for m, a in by_member.items() if a.state != "present"}:
            a = by_member.get(mid)
            t = tally[mid]
            t[0] += 1
            if a is None:
                continue
            t[{"present": 1, "leave": 2, "absent": 3}[a.state]] += 1
            t[4] += a.made_up_on is not None
    if member_id is not None:
        tally = {member_id: tally[member_id]} if member_id in tally else {}
    missing = [m for m in tally if m not in names]
    for m in session.scalars(select(Member).where(Member.id.in_(missing))):
        names[m.id] = m.name
    rows = [AttendanceCount(mid, names.get(mid, ""), *t) for mid, t in tally.items()]
    rows.sort(key=lambda r: (pinyin.full_of(r.name), r.name, r.member_id))  # pinyin order
    return rows


# ----------------------------------------------------------------------------- the committee


def committee(
    session: Session, branch_id: uuid.UUID, on: dt.date | None = None
) -> list[CommitteeSeatRow]:
    """The committee's seats (current on `on`, or every seat when `on` is None)."""
    rows = []
    order = list(POSTS)
    stmt = (
        select(CommitteeSeat, Member.name)
        .join(Member, Member.id == CommitteeSeat.member_id)
        .where(CommitteeSeat.branch_id == branch_id, ~CommitteeSeat.deleted)
    )
    for seat, name in session.execute(stmt):
        if on is not None and not _current(seat.started_on, seat.ended_on, on):
            continue
        rows.append(
            CommitteeSeatRow(
                seat.id,
                seat.member_id,
                name,
                seat.post,
                _(POSTS.get(seat.post, seat.post)),
                seat.started_on,
                seat.ended_on,
            )
        )
    rows.sort(key=lambda r: (order.index(r.post) if r.post in order else len(order), r.name))
    return rows


def seat_member(
    session: Session,
    branch_id: uuid.UUID,
    member_id: uuid.UUID,
    post: str,
    started_on: dt.date | None = None,
    new_id: uuid.UUID | None = None,
) -> CommitteeSeatRow:
    """Put a member on the committee (elected at 换届, or co-opted)."""
    if post not in POSTS:
        raise ValidationFailed({"post": _("Choose a post on the committee from the list.")})
    member = session.get(Member, member_id)
    if member is None or member.deleted or member.branch_id != branch_id:
        raise NotFound(_("The member was not found."))
    seat = CommitteeSeat(branch_id=branch_id, member_id=member_id, post=post, started_on=started_on)
    if new_id is not None:
        seat.id = new_id
    session.add(seat)
    session.flush()
    [row] = [r for r in committee(session, branch_id) if r.id == seat.id]
    return row


def end_seat(session: Session, seat_id: uuid.UUID, ended_on: dt.date) -> None:
    seat = session.get(CommitteeSeat, seat_id)
    if seat is None or seat.deleted:
        raise NotFound(_("The committee seat was not found."))
    seat.ended_on = ended_on
    session.flush()


def meeting_branch(session: Session, meeting_id: uuid.UUID) -> uuid.UUID:
    return _meeting(session, meeting_id).branch_id
