# SPDX-License-Identifier: GPL-3.0-or-later
"""Stored rosters: generated fairly, reopened, edited by hand with checks, printed, then changed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from desktop.errors import UserError, ValidationFailed
from desktop.models.documents import sheets
from desktop.models.register.groups import list_party_groups
from desktop.models.stewards import rosters, teams
from desktop.models.store.changelog import Change

D = dt.date


@pytest.fixture
def team(db, branch):
    with db.unit_of_work() as s:
        group = list_party_groups(s, branch.id)[0]
        team = teams.ensure_team(s, branch.id, group.id)
        people = [
            teams.add_volunteer(s, team.id, name=n, phone=f"1391234567{i}")
            for i, n in enumerate(["甲一", "乙二", "丙三", "丁四"])
        ]
        teams.add_unavailability(s, people[0].id, D(2026, 3, 9), D(2026, 3, 13), "外出")
    return team, people


def test_a_month_roster_is_stored_fair_and_respects_unavailability(db, branch, team):
    team_row, people = team
    with db.unit_of_work() as s:
        detail = rosters.generate_roster(
            s, team_row.id, D(2026, 3, 1), D(2026, 3, 31), slots=("上午", "下午")
        )
    # March 2026 has 22 working days, two slots each.
    assert len(detail.duties) == 44 and detail.roster.unfilled == 0
    assert detail.spread <= 1
    away = people[0].id
    assert not [
        d
        for d in detail.duties
        if d.volunteer_id == away and D(2026, 3, 9) <= d.day <= D(2026, 3, 13)
    ]
    assert next(f for f in detail.fairness if f.volunteer_id == away).unavailable_days == 5
    with db.read() as s:
        listed = rosters.list_rosters(s, branch.id)
        again = rosters.roster_detail(s, detail.roster.id)
        logged = s.scalar(
            select(func.count())
            .select_from(Change)
            .where(Change.entity == "duty", Change.field == "_row")
        )
    assert [r.id for r in listed] == [detail.roster.id]
    assert again.duties == detail.duties
    assert logged == 44


def test_bad_periods_are_refused(db, team):
    team_row, _ = team
    with pytest.raises(ValidationFailed), db.unit_of_work() as s:
        rosters.generate_roster(s, team_row.id, D(2026, 3, 31), D(2026, 3, 1))
    with pytest.raises(ValidationFailed), db.unit_of_work() as s:
        rosters.generate_roster(s, team_row.id, D(2026, 1, 1), D(2026, 12, 31))
    with pytest.raises(UserError), db.unit_of_work() as s:  # National Day week: no workday
        rosters.generate_roster(s, team_row.id, D(2026, 10, 1), D(2026, 10, 7))


def test_hand_edits_check_availability_and_show_after_printing(db, team):
    team_row, people = team
    with db.unit_of_work() as s:
        detail = rosters.generate_roster(s, team_row.id, D(2026, 3, 2), D(2026, 3, 13))
        rosters.mark_printed(s, detail.roster.id, dt.datetime(2026, 3, 1, 8, 0))
    assert not detail.roster.changed_after_print
    on_tenth = next(d for d in detail.duties if d.day == D(2026, 3, 10))
    with pytest.raises(UserError, match="甲一"), db.unit_of_work() as s:
        rosters.reassign_duty(s, on_tenth.id, people[0].id)  # away that week
    first = detail.duties[0]
    last = next(d for d in detail.duties if d.day == D(2026, 3, 5))
    assert first.volunteer_id != last.volunteer_id
    with db.unit_of_work() as s:
        swapped = rosters.swap_duties(s, first.id, last.id)
    by_id = {d.id: d for d in swapped.duties}
    assert by_id[first.id].volunteer_id == last.volunteer_id
    assert by_id[last.id].volunteer_id == first.volunteer_id
    assert swapped.roster.changed_after_print
    with db.read() as s:
        sheet = sheets.roster_sheet(s, detail.roster.id)
    assert sheet.team == team_row.name
    assert [p for d in sheet.duties for p in d.people] == [d.person_name for d in swapped.duties]
    # Reassigning moves the fairness column.
    target = next(p for p in people[1:] if p.id != by_id[first.id].volunteer_id)
    free_day = next(
        d
        for d in swapped.duties
        if d.volunteer_id != target.id
        and not any(o.day == d.day and o.volunteer_id == target.id for o in swapped.duties)
    )
    before = {f.volunteer_id: f.duties for f in swapped.fairness}
    with db.unit_of_work() as s:
        after = rosters.reassign_duty(s, free_day.id, target.id)
    counts = {f.volunteer_id: f.duties for f in after.fairness}
    assert counts[target.id] == before[target.id] + 1
    assert counts[free_day.volunteer_id] == before[free_day.volunteer_id] - 1


def test_a_second_duty_on_the_same_day_is_refused(db, team):
    team_row, _ = team
    with db.unit_of_work() as s:
        detail = rosters.generate_roster(
            s, team_row.id, D(2026, 3, 2), D(2026, 3, 2), slots=("上午", "下午")
        )
    morning, afternoon = detail.duties
    with pytest.raises(UserError, match=afternoon.person_name), db.unit_of_work() as s:
        rosters.reassign_duty(s, morning.id, afternoon.volunteer_id)


def test_hours_from_the_signed_sheet_become_service_records(db, branch, team):
    from desktop.models.stewards import service_records

    team_row, _ = team
    with db.unit_of_work() as s:
        detail = rosters.generate_roster(s, team_row.id, D(2026, 3, 2), D(2026, 3, 6))
    first, second = detail.duties[:2]
    with db.unit_of_work() as s:
        rosters.key_duty_hours(s, first.id, 180, today=D(2026, 3, 10))
        rosters.key_duty_hours(s, second.id, 120, today=D(2026, 3, 10))
        after = rosters.key_duty_hours(s, second.id, 150, today=D(2026, 3, 10))
    assert [d.signed_minutes for d in after.duties[:3]] == [180, 150, None]
    with db.read() as s:
        sums = {r.label: r.minutes for r in service_records.sum_services(s, branch.id, "person")}
    assert sums == {first.person_name: 180, second.person_name: 150}
    with db.unit_of_work() as s:
        cleared = rosters.key_duty_hours(s, first.id, 0, today=D(2026, 3, 10))
    assert cleared.duties[0].signed_minutes is None
    with pytest.raises(UserError), db.unit_of_work() as s:  # still to come
        rosters.key_duty_hours(s, first.id, 60, today=D(2026, 3, 1))
