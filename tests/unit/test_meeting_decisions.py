# SPDX-License-Identifier: GPL-3.0-or-later
"""Decisions (议定事项): owner, due date, state, overdue, carried over to the next joint meeting."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.errors import ValidationFailed
from desktop.models.meetings.rows import MeetingDraft
from desktop.models.meetings.service import MeetingService

D = dt.date


def joint(service, day, topic="联席会议"):  # type: ignore[no-untyped-def]
    return service.save(
        MeetingDraft(kind="joint", starts_at=dt.datetime.combine(day, dt.time(14)), topic=topic)
    )


@pytest.fixture
def service(db, branch):  # type: ignore[no-untyped-def]
    return MeetingService(db, branch.id, "admin")


def test_open_decisions_carry_over_to_the_next_joint_meeting(service):
    first = joint(service, D(2026, 3, 10), "第一季度联席会议")
    road = service.decide(first.id, "硬化三组通组公路", "第三党小组服务队", D(2026, 5, 31))
    lamps = service.decide(first.id, "修复村口路灯", "村支部", D(2026, 4, 15))
    done = service.decide(first.id, "走访独居老人", "红色管家", D(2026, 3, 31))
    service.update_decision(done.id, state="done", today=D(2026, 3, 28))
    # A committee decision is the branch's own business: never on the joint agenda.
    committee = service.save(
        MeetingDraft(kind="committee", starts_at=dt.datetime(2026, 4, 2, 9), audience="members")
    )
    service.decide(committee.id, "发展对象公示", "组织委员")
    second = joint(service, D(2026, 6, 12), "第二季度联席会议")
    carried = service.detail(second.id).carried_over
    assert [d.content for d in carried] == ["修复村口路灯", "硬化三组通组公路"]
    assert all(d.carried_to_on == D(2026, 6, 12) for d in carried)
    # Done in between: stays with the second meeting's record, not carried further.
    service.update_decision(lamps.id, state="done", today=D(2026, 7, 1))
    third = joint(service, D(2026, 9, 8), "第三季度联席会议")
    assert [d.content for d in service.detail(third.id).carried_over] == ["硬化三组通组公路"]
    # Planning a meeting in between later does not pull the item back from the third.
    joint(service, D(2026, 8, 1), "临时联席会议")
    assert [d.content for d in service.detail(third.id).carried_over] == ["硬化三组通组公路"]
    # Removing the meeting it was carried to frees it for the next one.
    service.remove(third.id)
    fourth = joint(service, D(2026, 12, 8))
    assert [d.id for d in service.detail(fourth.id).carried_over] == [road.id]


def test_state_done_on_and_overdue(service):
    meeting = joint(service, D(2026, 3, 10))
    late = service.decide(meeting.id, "清理河道垃圾", "第二党小组", D(2026, 4, 1))
    later = service.decide(meeting.id, "建立防汛值班表", "村支部", D(2026, 6, 1))
    service.decide(meeting.id, "年底评议", "镇党建中心")  # no due date: never overdue
    assert [d.content for d in service.overdue_decisions(D(2026, 4, 2))] == ["清理河道垃圾"]
    assert not late.overdue(D(2026, 4, 1)) and late.overdue(D(2026, 4, 2))
    done = service.update_decision(late.id, state="done", notes="已清理", today=D(2026, 4, 5))
    assert (done.state, done.done_on, done.notes) == ("done", D(2026, 4, 5), "已清理")
    assert [d.id for d in service.overdue_decisions(D(2026, 7, 1))] == [later.id]
    reopened = service.update_decision(late.id, state="open")
    assert reopened.done_on is None
    moved = service.update_decision(later.id, due_on=D(2026, 12, 31), owner="第一党小组")
    assert (moved.due_on, moved.owner) == (D(2026, 12, 31), "第一党小组")
    assert [d.state for d in service.decisions(state="open")] == ["open"] * 3
    assert [d.content for d in service.decisions()][-1] == "年底评议"  # undated last


def test_decisions_are_validated(service):
    meeting = joint(service, D(2026, 3, 10))
    with pytest.raises(ValidationFailed) as error:
        service.decide(meeting.id, "  ", "村支部", D(2026, 3, 1))
    assert set(error.value.problems) == {"content", "due_on"}
    row = service.decide(meeting.id, "修水渠", "村支部")
    with pytest.raises(ValidationFailed):
        service.update_decision(row.id, state="later")
    with pytest.raises(ValidationFailed):
        service.update_decision(row.id, due_on=D(2025, 1, 1))
