# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo's year of meetings: held through the meetings functions, nothing doubled."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select

from desktop.models.demo import loader
from desktop.models.meetings.meeting import Attendance, Decision, Meeting
from desktop.models.meetings.service import MeetingService
from desktop.models.register.groups import current_branch


def test_a_year_of_meetings_with_attendance_decisions_and_make_ups(demo_db):
    today = dt.date.today()
    with demo_db.read() as s:
        branch = current_branch(s)
    service = MeetingService(demo_db, branch.id)
    rows = service.meetings()
    held = [m for m in rows if m.held]
    kinds = Counter(m.kind for m in held)
    assert 11 <= kinds["committee"] <= 12
    assert kinds["joint"] == 4 and 3 <= kinds["assembly"] <= 4 and 3 <= kinds["lecture"] <= 4
    assert kinds["group"] >= 12
    assert [m for m in rows if not m.held and m.kind == "committee"]  # next month's, planned
    assert all(m.starts_at.date() < today for m in held)
    # Realistic attendance: most present, some on leave (the floating members among them).
    assert sum(m.leave for m in held) > 0 and sum(m.present for m in held) > 5 * sum(
        m.leave + m.absent for m in held
    )
    assert len(service.make_ups()) == 2
    assert len(service.make_ups(open_only=False)) > 2
    decisions = service.decisions()
    states = Counter(d.state for d in decisions)
    assert states["done"] >= 3 and states["open"] >= 2
    assert service.overdue_decisions(today)
    assert [s.post for s in service.committee(today)][:2] == ["secretary", "deputy"]


def test_loading_the_demo_twice_adds_no_meeting(demo_db):
    def counts() -> tuple[int, ...]:
        with demo_db.read() as s:
            return tuple(
                s.scalar(select(func.count()).select_from(t))
                for t in (Meeting, Attendance, Decision)
            )

    before = counts()
    with demo_db.unit_of_work() as s:
        created, _branch = loader.load_demo(s)
    assert not created and counts() == before
