# SPDX-License-Identifier: GPL-3.0-or-later
"""China's public holidays (法定节假日) and make-up working days (调休上班), 2025–2027.

From the State Council General Office's yearly notices (国务院办公厅关于部分节假日安排的通知).
The `holidays` package was checked (0.108): it lists only weekday days off and none of the
weekend make-up working days, and estimates future years, so a small table is kept here.
2027 is provisional: only the statutory days (after the 2025 revision of the rules) until the
notice for 2027 is published; then replace its rows. Dates outside the table follow the week.
"""

from __future__ import annotations

import datetime as dt

_D = dt.date


def _span(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


#: Days off, by year (holiday and the weekend days folded into it).
HOLIDAYS: dict[int, frozenset[dt.date]] = {
    2025: frozenset(
        [
            _D(2025, 1, 1),
            *_span(_D(2025, 1, 28), _D(2025, 2, 4)),
            *_span(_D(2025, 4, 4), _D(2025, 4, 6)),
            *_span(_D(2025, 5, 1), _D(2025, 5, 5)),
            *_span(_D(2025, 5, 31), _D(2025, 6, 2)),
            *_span(_D(2025, 10, 1), _D(2025, 10, 8)),
        ]
    ),
    2026: frozenset(
        _span(_D(2026, 1, 1), _D(2026, 1, 3))
        + _span(_D(2026, 2, 15), _D(2026, 2, 23))
        + _span(_D(2026, 4, 4), _D(2026, 4, 6))
        + _span(_D(2026, 5, 1), _D(2026, 5, 5))
        + _span(_D(2026, 6, 19), _D(2026, 6, 21))
        + _span(_D(2026, 9, 25), _D(2026, 9, 27))
        + _span(_D(2026, 10, 1), _D(2026, 10, 7))
    ),
    # Provisional: statutory days only (元旦 1, 春节 4 from 除夕, 清明 1, 劳动节 2, 端午 1,
    # 中秋 1, 国庆 3).
    2027: frozenset(
        [
            _D(2027, 1, 1),
            *_span(_D(2027, 2, 5), _D(2027, 2, 8)),
            _D(2027, 4, 5),
            *_span(_D(2027, 5, 1), _D(2027, 5, 2)),
            _D(2027, 6, 9),
            _D(2027, 9, 15),
            *_span(_D(2027, 10, 1), _D(2027, 10, 3)),
        ]
    ),
}

#: Weekend days that are working days (调休上班).
MAKEUP_WORKDAYS: dict[int, frozenset[dt.date]] = {
    2025: frozenset(
        [_D(2025, 1, 26), _D(2025, 2, 8), _D(2025, 4, 27), _D(2025, 9, 28), _D(2025, 10, 11)]
    ),
    2026: frozenset(
        [
            _D(2026, 1, 4),
            _D(2026, 2, 14),
            _D(2026, 2, 28),
            _D(2026, 5, 9),
            _D(2026, 9, 20),
            _D(2026, 10, 10),
        ]
    ),
    2027: frozenset(),
}

#: Years whose table is final.
CONFIRMED_YEARS = frozenset({2025, 2026})


def is_holiday(day: dt.date) -> bool:
    return day in HOLIDAYS.get(day.year, frozenset())


def is_workday(day: dt.date) -> bool:
    """A working day in the official calendar (a make-up Saturday counts, a holiday does not)."""
    if is_holiday(day):
        return False
    if day in MAKEUP_WORKDAYS.get(day.year, frozenset()):
        return True
    return day.weekday() < 5


def duty_days(first: dt.date, last: dt.date, days: str = "workdays") -> list[dt.date]:
    """The days of [first, last] that carry duty: "workdays", or "daily" (all but holidays)."""
    span = _span(first, last) if last >= first else []
    if days == "daily":
        return [d for d in span if not is_holiday(d)]
    return [d for d in span if is_workday(d)]
