# SPDX-License-Identifier: GPL-3.0-or-later
"""The roster generator's fairness rule, as properties over random teams and calendars."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.models.stewards import holidays_cn
from desktop.models.stewards.rostering import Assignment, duty_counts, fairness_spread, generate

START = dt.date(2026, 3, 2)


@st.composite
def problems(draw, max_people=7, max_days=20, max_slots=3):
    n_people = draw(st.integers(1, max_people))
    people = [f"p{i}" for i in range(n_people)]
    days = [START + dt.timedelta(days=i) for i in range(draw(st.integers(0, max_days)))]
    slots = [f"s{i}" for i in range(draw(st.integers(1, max_slots)))]
    unavailable = {
        p: frozenset(draw(st.sets(st.sampled_from(days), max_size=len(days))) if days else ())
        for p in people
    }
    return days, slots, people, unavailable


def _check_basic(days, slots, people, unavailable, result: list[Assignment]):
    assert [(a.day, a.slot) for a in result] == [(d, s) for d in days for s in slots]
    for day in days:
        on_day = [a.person for a in result if a.day == day and a.person is not None]
        assert len(on_day) == len(set(on_day)), "nobody twice on one day"
        free = [p for p in people if day not in unavailable[p]]
        # Every slot filled when enough people are available that day.
        assert len(on_day) == min(len(slots), len(free))
    for a in result:
        if a.person is not None:
            assert a.day not in unavailable[a.person]


@settings(max_examples=150, deadline=None)
@given(problems())
def test_every_slot_filled_and_nobody_on_an_unavailable_day(problem):
    days, slots, people, unavailable = problem
    _check_basic(days, slots, people, unavailable, generate(days, slots, people, unavailable))


@settings(max_examples=150, deadline=None)
@given(problems())
def test_counts_differ_by_at_most_one_when_everyone_is_available(problem):
    days, slots, people, _ = problem
    result = generate(days, slots, people, {})
    assert fairness_spread(duty_counts(result, people)) <= 1


@settings(max_examples=150, deadline=None)
@given(problems())
def test_no_single_move_would_even_the_counts(problem):
    days, slots, people, unavailable = problem
    result = generate(days, slots, people, unavailable)
    counts = duty_counts(result, people)
    for a in result:
        if a.person is None:
            continue
        on_day = {b.person for b in result if b.day == a.day}
        for other in people:
            if other in on_day or a.day in unavailable[other]:
                continue
            assert counts[other] >= counts[a.person] - 1, (a, other, counts)


def _best_spread(days, slots, people, unavailable) -> int:
    """The smallest spread any valid full assignment reaches (brute force, tiny cases only)."""
    per_day = []
    for day in days:
        free = [p for p in people if day not in unavailable[p]]
        per_day.append(list(itertools.combinations(free, min(len(slots), len(free)))))
    best = None
    for choice in itertools.product(*per_day):
        counts = dict.fromkeys(people, 0)
        for group in choice:
            for p in group:
                counts[p] += 1
        spread = fairness_spread(counts)
        best = spread if best is None else min(best, spread)
    return best or 0


@settings(max_examples=120, deadline=None)
@given(problems(max_people=4, max_days=6, max_slots=2))
def test_the_spread_is_the_smallest_the_availability_allows(problem):
    days, slots, people, unavailable = problem
    result = generate(days, slots, people, unavailable)
    assert fairness_spread(duty_counts(result, people)) == _best_spread(
        days, slots, people, unavailable
    )


def test_the_rotation_follows_the_team_order():
    days = [START + dt.timedelta(days=i) for i in range(6)]
    result = generate(days, ["全天"], ["甲", "乙", "丙"])
    assert [a.person for a in result] == ["甲", "乙", "丙", "甲", "乙", "丙"]


def test_nobody_available_leaves_the_slot_empty():
    result = generate([START], ["上午", "下午"], ["甲"], {"甲": frozenset({START})})
    assert [a.person for a in result] == [None, None]


def test_the_official_calendar_skips_holidays_and_keeps_makeup_saturdays():
    days = holidays_cn.duty_days(dt.date(2026, 9, 28), dt.date(2026, 10, 11))
    assert dt.date(2026, 10, 1) not in days  # National Day
    assert dt.date(2026, 10, 10) in days  # a Saturday worked instead (调休)
    assert dt.date(2026, 10, 11) not in days  # an ordinary Sunday
    assert dt.date(2026, 9, 28) in days
    daily = holidays_cn.duty_days(dt.date(2026, 9, 28), dt.date(2026, 10, 11), "daily")
    assert dt.date(2026, 10, 11) in daily and dt.date(2026, 10, 3) not in daily
