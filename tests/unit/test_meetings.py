# SPDX-License-Identifier: GPL-3.0-or-later
"""Meetings: who should attend, quorum and voting rights, make-up (补课), attendance counts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from desktop.errors import ValidationFailed
from desktop.models.meetings.meeting import Attendance
from desktop.models.meetings.meetings import quorum
from desktop.models.meetings.rows import AttendanceEntry, ExpectedPerson, MeetingDraft
from desktop.models.meetings.service import MeetingService
from desktop.models.store.changelog import Change

#: A day every test member (probationary ones joined 200 days ago) had joined by.
ON = dt.datetime.combine(dt.date.today() - dt.timedelta(days=100), dt.time(9, 0))


def person(n: int, votes: bool = True) -> ExpectedPerson:
    import uuid

    return ExpectedPerson(uuid.UUID(int=n), f"党员{n}", 1, votes)


@pytest.fixture
def service(db, branch):  # type: ignore[no-untyped-def]
    return MeetingService(db, branch.id, "admin")


@pytest.fixture
def people(make_member):  # type: ignore[no-untyped-def]
    """Four full members and two probationary ones (who attend but have no vote)."""
    full = [make_member(name=f"张{c}") for c in "一二三四"]
    probationary = [
        make_member(
            name=f"李{c}",
            status="probationary",
            joined_on=dt.date.today() - dt.timedelta(days=200),
            confirmed_on=None,
        )
        for c in "五六"
    ]
    return full, probationary


def assembly(service, **changes):  # type: ignore[no-untyped-def]
    draft = MeetingDraft(kind="assembly", starts_at=ON, topic="第一季度党员大会", **changes)
    return service.save(draft)


def test_quorum_is_more_than_half_of_the_voting_members():
    voters = [person(i) for i in range(4)]
    probationary = [person(10 + i, votes=False) for i in range(3)]
    expected = voters + probationary
    # Two of four voters is half, not more than half; the probationary members do not count.
    half = quorum("assembly", expected, [p.member_id for p in voters[:2] + probationary])
    assert (half.state, half.voters, half.voters_present, half.needed) == ("not_met", 4, 2, 3)
    three = quorum("assembly", expected, [p.member_id for p in voters[:3]])
    assert three.state == "met"
    assert quorum("assembly", [], []).state == "not_met"
    assert (
        quorum("committee", voters[:3], [voters[0].member_id, voters[1].member_id]).state == "met"
    )
    assert quorum("group", expected, []).state == "not_required"
    assert quorum("joint", expected, []).state == "not_required"


def test_a_recorded_assembly_derives_who_should_attend_and_checks_quorum(service, people):
    full, probationary = people
    meeting = assembly(service)
    detail = service.detail(meeting.id)
    assert not meeting.held and meeting.quorum == ""
    assert {p.name for p in detail.unrecorded} == {m.name for m in full + probationary}
    assert {p.name for p in detail.unrecorded if not p.votes} == {"李五", "李六"}
    # Two full members and both probationary ones present: 2 of 4 votes, no quorum.
    entries = [AttendanceEntry("present", member_id=m.id) for m in full[:2] + probationary]
    entries += [
        AttendanceEntry("leave", member_id=full[2].id, reason="外出务工"),
        AttendanceEntry("absent", member_id=full[3].id),
    ]
    detail = service.attend(meeting.id, entries)
    row = detail.meeting
    assert row.held and row.quorum == "not_met"
    assert (row.expected, row.present, row.leave, row.absent) == (6, 4, 1, 1)
    assert detail.unrecorded == ()
    # The member on leave comes after all: three of four votes.
    detail = service.attend(meeting.id, [AttendanceEntry("present", member_id=full[2].id)])
    assert detail.meeting.quorum == "met"
    assert service.quorum(meeting.id).voters_present == 3
    # Recording the same person again edits their line, never adds a second one.
    with service.db.read() as s:
        lines = s.scalars(select(Attendance).where(Attendance.meeting_id == meeting.id)).all()
    assert len(lines) == 6


def test_all_present_and_named_guests(service, people):
    full, _probationary = people
    meeting = service.save(MeetingDraft(kind="joint", starts_at=ON, audience="members"))
    detail = service.attend(
        meeting.id,
        [
            AttendanceEntry("leave", member_id=full[0].id, reason="住院"),
            AttendanceEntry("present", guest_name="王镇长", guest_org="青山镇党建中心"),
        ],
        all_present=True,
    )
    assert detail.meeting.present == 5 and detail.meeting.leave == 1
    [guest] = [a for a in detail.attendance if a.is_guest]
    assert (guest.name, guest.guest_org) == ("王镇长", "青山镇党建中心")
    assert detail.meeting.quorum == "not_required"
    with pytest.raises(ValidationFailed):
        service.attend(meeting.id, [AttendanceEntry("present", guest_name="  ")])
    with pytest.raises(ValidationFailed):
        service.attend(meeting.id, [AttendanceEntry("late", member_id=full[1].id)])


def test_who_should_attend_by_audience(service, branch, people, db):
    full, _probationary = people
    groups = [(gid, name) for gid, _n, name in service.party_groups()]
    with db.unit_of_work() as s:
        from desktop.models.register.member import Member

        s.get(Member, full[0].id).party_group_id = groups[1][0]
        s.get(Member, full[1].id).standing = "suspended"
    day = ON.date()
    assert [p.name for p in service.expected("group", groups[1][0], day)] == ["张一"]
    assert "张二" not in {p.name for p in service.expected("members", None, day)}
    assert service.expected("committee", None, day) == []
    service.seat(full[2].id, "secretary", dt.date(2025, 1, 1))
    seat = service.seat(full[3].id, "organisation", dt.date(2025, 1, 1))
    service.end_seat(seat.id, day - dt.timedelta(days=10))
    assert [p.name for p in service.expected("committee", None, day)] == ["张三"]
    assert [p.name for p in service.expected("committee", None, day - dt.timedelta(days=20))] == [
        "张三",
        "张四",
    ]
    assert service.expected("guests", None, day) == []
    with pytest.raises(ValidationFailed) as error:
        service.save(MeetingDraft(kind="group", starts_at=ON))
    assert "party_group_id" in error.value.problems


def test_absent_members_stay_listed_for_make_up_until_it_is_recorded(service, people):
    full, probationary = people
    meeting = assembly(service)
    service.attend(
        meeting.id,
        [
            AttendanceEntry("leave", member_id=full[0].id, reason="外出"),
            AttendanceEntry("absent", member_id=probationary[0].id),
        ],
        all_present=True,
    )
    # A committee meeting needs no 补课.
    committee = service.save(MeetingDraft(kind="committee", starts_at=ON, audience="members"))
    service.attend(committee.id, [AttendanceEntry("absent", member_id=full[1].id)])
    open_ = service.make_ups()
    assert sorted(r.name for r in open_) == ["张一", "李五"]
    with pytest.raises(ValidationFailed):
        service.make_up(open_[0].attendance_id, ON.date() - dt.timedelta(days=1))
    done = service.make_up(open_[0].attendance_id, ON.date() + dt.timedelta(days=5))
    assert done.made_up_on == ON.date() + dt.timedelta(days=5)
    assert [r.name for r in service.make_ups()] == [
        r.name for r in open_ if r.attendance_id != done.attendance_id
    ]
    assert len(service.make_ups(open_only=False)) == 2
    # A present member has nothing to make up.
    present = next(a for a in service.detail(meeting.id).attendance if a.state == "present")
    with pytest.raises(ValidationFailed):
        service.make_up(present.id, ON.date() + dt.timedelta(days=5))


def test_attendance_counts_for_the_assessment(service, people):
    full, _probationary = people
    first = assembly(service)
    service.attend(first.id, [AttendanceEntry("leave", member_id=full[0].id)], all_present=True)
    second = service.save(
        MeetingDraft(kind="lecture", starts_at=ON + dt.timedelta(hours=3), topic="党课")
    )
    service.attend(second.id, [AttendanceEntry("absent", member_id=full[0].id)], all_present=True)
    # Planned but not held: not counted.
    service.save(MeetingDraft(kind="lecture", starts_at=ON + dt.timedelta(hours=5)))
    counts = {c.name: c for c in service.attendance_counts(ON.year)}
    zhang = counts["张一"]
    assert (zhang.expected, zhang.present, zhang.leave, zhang.absent) == (2, 0, 1, 1)
    assert zhang.rate == 0.0
    assert counts["张二"].rate == 1.0
    make_up = next(r for r in service.make_ups() if r.meeting_id == second.id)
    service.make_up(make_up.attendance_id, ON.date() + dt.timedelta(days=5))
    after = service.member_attendance(full[0].id, ON.year)
    assert after is not None and after.made_up == 1 and after.rate == 0.5
    assert service.attendance_counts(ON.year - 1) == []


def test_every_change_is_in_the_change_log(service, people, db):
    full, _ = people
    meeting = assembly(service)
    service.attend(meeting.id, [AttendanceEntry("present", member_id=full[0].id)])
    decision = service.decide(meeting.id, "修缮村部屋顶", "村支部", ON.date())
    service.remove(meeting.id)
    with db.read() as s:
        entities = {c.entity for c in s.scalars(select(Change).where(Change.op == "delete"))}
        assert {"meeting", "attendance", "decision"} <= entities
    assert service.meetings() == [] and service.decisions() == []
    assert decision.state == "open"


def test_a_meeting_is_validated(service, branch):
    with pytest.raises(ValidationFailed) as error:
        service.save(MeetingDraft(kind="party", starts_at=ON, ends_at=ON - dt.timedelta(hours=1)))
    assert {"kind", "ends_at"} <= set(error.value.problems)
    future = dt.datetime.now() + dt.timedelta(days=10)
    with pytest.raises(ValidationFailed):
        service.save(MeetingDraft(kind="lecture", starts_at=future, held=True))
    planned = service.save(MeetingDraft(kind="lecture", starts_at=future))
    assert not planned.held and planned.audience == "members"


def test_who_should_attend_is_listed_in_pinyin_order(service, make_member):
    """李 comes before 陈 by code point; a clerk reads the list by pinyin: chen, li, zeng."""
    for name in ("李建国", "曾小红", "陈红梅"):
        make_member(name=name)
    meeting = assembly(service)
    assert [p.name for p in service.detail(meeting.id).unrecorded] == ["陈红梅", "李建国", "曾小红"]
    assert [name for _id, name in service.candidates("c", 10)] == ["陈红梅"]
