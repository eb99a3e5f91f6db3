# SPDX-License-Identifier: GPL-3.0-or-later
"""Meetings travel between PCs: a decision edited on two PCs, attendance recorded on both."""

from __future__ import annotations

import datetime as dt

from desktop.models.demo import loader
from desktop.models.meetings.rows import AttendanceEntry, MeetingDraft
from desktop.models.meetings.service import MeetingService
from tests.sync.conftest import pair


def _service(node, branch_id):  # type: ignore[no-untyped-def]
    return MeetingService(node.db, branch_id, node.name)


def test_a_decision_edited_on_two_pcs_merges_fields_and_keeps_a_conflict(nodes):
    office, laptop = nodes("office", "laptop")
    with office.db.unit_of_work() as session:
        _created, branch = loader.load_demo(session, dt.date(2026, 11, 20))
    pair(office, laptop)
    at_office = _service(office, branch.id)
    meeting = at_office.save(
        MeetingDraft(kind="joint", starts_at=dt.datetime(2026, 11, 10, 14), topic="联席会议")
    )
    decision = at_office.decide(meeting.id, "修复村口路灯", "村支部", dt.date(2026, 12, 1))
    office.send(laptop)
    at_laptop = _service(laptop, branch.id)
    assert decision.id in [d.id for d in at_laptop.decisions()]  # beside the demo's own
    # Different fields on each PC: both edits survive, no conflict.
    at_office.update_decision(decision.id, state="done", today=dt.date(2026, 11, 25))
    at_laptop.update_decision(decision.id, owner="第一党小组服务队")
    # The same field on both: one value shown everywhere, a conflict kept for a person.
    at_office.update_decision(decision.id, notes="已换灯泡")
    at_laptop.update_decision(decision.id, notes="已报镇里维修")
    office.send(laptop)
    laptop.send(office)
    rows = [
        next(d for d in _service(n, branch.id).decisions() if d.id == decision.id)
        for n in (office, laptop)
    ]
    assert rows[0] == rows[1]
    assert (rows[0].state, rows[0].owner, rows[0].done_on) == (
        "done",
        "第一党小组服务队",
        dt.date(2026, 11, 25),
    )
    assert rows[0].notes in {"已换灯泡", "已报镇里维修"}
    for node in (office, laptop):
        [conflict] = node.sync.conflicts()
        assert (conflict.entity, conflict.field) == ("decision", "notes")
    assert office.snapshot() == laptop.snapshot()


def test_one_persons_attendance_recorded_on_two_pcs_is_one_line(nodes):
    office, laptop = nodes("office", "laptop")
    with office.db.unit_of_work() as session:
        _created, branch = loader.load_demo(session, dt.date(2026, 11, 20))
    pair(office, laptop)
    at_office = _service(office, branch.id)
    meeting = at_office.save(
        MeetingDraft(kind="committee", starts_at=dt.datetime(2026, 11, 3, 9), audience="stewards")
    )
    office.send(laptop)
    at_laptop = _service(laptop, branch.id)
    someone = at_office.detail(meeting.id).unrecorded[0]
    at_office.attend(meeting.id, [AttendanceEntry("present", member_id=someone.member_id)])
    at_laptop.attend(
        meeting.id, [AttendanceEntry("leave", member_id=someone.member_id, reason="外出")]
    )
    office.send(laptop)
    laptop.send(office)
    lines = [
        [a for a in _service(n, branch.id).detail(meeting.id).attendance] for n in (office, laptop)
    ]
    assert lines[0] == lines[1] and len(lines[0]) == 1
    assert office.snapshot() == laptop.snapshot()
