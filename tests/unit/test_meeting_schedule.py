# SPDX-License-Identifier: GPL-3.0-or-later
"""How often meetings are due: periods, due days and missed periods around month and year ends."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.errors import ValidationFailed
from desktop.models.meetings.rows import MeetingDraft
from desktop.models.meetings.schedule import (
    VALID_MONTHS,
    add_months,
    due_day,
    due_row,
    period_bounds,
)
from desktop.models.meetings.service import MeetingService

D = dt.date
days = st.dates(min_value=D(2000, 1, 1), max_value=D(2099, 12, 31))
months = st.sampled_from([m for m in VALID_MONTHS if m])


@given(days, months)
def test_periods_partition_the_calendar_aligned_on_january(day, n):
    start, end = period_bounds(day, n)
    assert start <= day <= end and start.day == 1
    assert (start.month - 1) % n == 0
    following = end + dt.timedelta(days=1)
    assert following.day == 1 and period_bounds(following, n)[0] == following
    assert (following.year * 12 + following.month) - (start.year * 12 + start.month) == n
    assert period_bounds(start - dt.timedelta(days=1), n)[1] == start - dt.timedelta(days=1)


@given(days, st.integers(1, 31))
def test_a_fixed_day_falls_in_the_periods_last_month_or_on_its_last_day(day, fixed):
    _start, end = period_bounds(day, 1)
    due = due_day(end, fixed)
    assert due.month == end.month and due.day == min(fixed, end.day)


def test_period_ends_around_month_and_year_ends():
    assert period_bounds(D(2026, 12, 31), 1) == (D(2026, 12, 1), D(2026, 12, 31))
    assert period_bounds(D(2027, 1, 1), 3) == (D(2027, 1, 1), D(2027, 3, 31))
    assert period_bounds(D(2028, 2, 29), 1) == (D(2028, 2, 1), D(2028, 2, 29))
    assert period_bounds(D(2026, 9, 30), 3) == (D(2026, 7, 1), D(2026, 9, 30))
    assert period_bounds(D(2026, 6, 30), 12) == (D(2026, 1, 1), D(2026, 12, 31))
    assert add_months(D(2026, 11, 1), 3) == D(2027, 2, 1)
    assert due_day(D(2027, 2, 28), 31) == D(2027, 2, 28)
    assert due_day(D(2026, 3, 31), None) == D(2026, 3, 31)
    with pytest.raises(ValueError):
        period_bounds(D(2026, 1, 1), 5)


def test_monthly_meeting_due_held_and_overdue():
    # Held in November: held this month; December not yet: due until the 31st.
    nov = due_row("committee", 1, None, [D(2026, 11, 10)], D(2026, 11, 30))
    assert nov is not None and (nov.state, nov.held_on) == ("held", D(2026, 11, 10))
    dec = due_row("committee", 1, None, [D(2026, 11, 10)], D(2026, 12, 31))
    assert dec is not None and (dec.state, dec.due_on, dec.previous_missed) == (
        "due",
        D(2026, 12, 31),
        False,
    )
    # On New Year's Day December is the previous period, and it was missed.
    jan = due_row("committee", 1, None, [D(2026, 11, 10)], D(2027, 1, 1))
    assert jan is not None and (jan.state, jan.previous_missed, jan.missed_this_year) == (
        "due",
        True,
        0,
    )
    assert jan.needs_attention
    # 主题党日 on the 15th: overdue from the 16th.
    theme = due_row("theme_day", 1, 15, [], D(2026, 12, 16), since=D(2026, 12, 1))
    assert theme is not None and (theme.state, theme.due_on) == ("overdue", D(2026, 12, 15))
    on_the_day = due_row("theme_day", 1, 15, [], D(2026, 12, 15), since=D(2026, 12, 1))
    assert on_the_day is not None and on_the_day.state == "due"
    assert due_row("joint", 0, None, [], D(2026, 12, 1)) is None


def test_missed_periods_of_the_year_count_only_since_records_began():
    held = [D(2026, 1, 20), D(2026, 7, 3)]
    row = due_row("assembly", 3, None, held, D(2026, 11, 2), since=D(2026, 1, 1))
    assert row is not None
    assert (row.period_start, row.period_end) == (D(2026, 10, 1), D(2026, 12, 31))
    # Q2 missed; Q1 and Q3 held.
    assert (row.missed_this_year, row.previous_missed) == (1, False)
    late_start = due_row("assembly", 3, None, [], D(2026, 11, 2), since=D(2026, 9, 15))
    assert late_start is not None
    assert (late_start.missed_this_year, late_start.previous_missed) == (1, True)
    newer = due_row("assembly", 3, None, [], D(2026, 11, 2), since=D(2026, 10, 5))
    assert newer is not None and (newer.missed_this_year, newer.previous_missed) == (0, False)


@given(days, st.sets(days, max_size=6), months)
def test_held_in_the_period_is_never_due_or_overdue(today, held, n):
    row = due_row("group", n, None, held, today, since=D(2000, 1, 1))
    assert row is not None
    in_period = [d for d in held if row.period_start <= d <= row.period_end]
    assert (row.state == "held") == bool(in_period)
    assert row.state != "overdue"  # without a fixed day, due is the period's last day
    assert 0 <= row.missed_this_year <= 12 // n


def test_the_branch_sets_its_frequencies_and_the_service_reports_due_kinds(db, branch):
    service = MeetingService(db, branch.id)
    defaults = {f.kind: f.months for f in service.frequencies()}
    assert defaults == {
        "assembly": 3,
        "committee": 1,
        "group": 1,
        "lecture": 3,
        "theme_day": 1,
        "life": 12,
        "joint": 3,
    }
    service.set_frequency("joint", 2)
    service.set_frequency("theme_day", 1, day=15)
    service.set_frequency("joint", 2)  # again: the same record
    frequencies = {f.kind: (f.months, f.day) for f in service.frequencies()}
    assert frequencies["joint"] == (2, None) and frequencies["theme_day"] == (1, 15)
    with pytest.raises(ValidationFailed):
        service.set_frequency("joint", 5)
    with pytest.raises(ValidationFailed):
        service.set_frequency("theme_day", 1, day=32)
    today = D(2026, 12, 20)
    service.save(MeetingDraft(kind="committee", starts_at=dt.datetime(2026, 12, 3, 9), held=True))
    service.save(MeetingDraft(kind="committee", starts_at=dt.datetime(2026, 10, 3, 9), held=True))
    due = {r.kind: r for r in service.due(today)}
    assert due["committee"].state == "held" and due["committee"].previous_missed
    assert due["theme_day"].state == "overdue"
    assert due["joint"].period_start == D(2026, 11, 1)
    # Records began in October: nothing earlier is counted as missed.
    assert due["assembly"].missed_this_year == 0
