# SPDX-License-Identifier: GPL-3.0-or-later
"""How often each kind of meeting is due, and where it stands: calendar arithmetic (pure
functions, no database) and the branch's frequency settings.

Periods are aligned on January: monthly periods are calendar months, quarterly ones the calendar
quarters, yearly the calendar year. That is how the town counts (第一季度的党员大会), and it is why
a frequency must divide twelve.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import ValidationFailed
from desktop.i18n import _
from desktop.models.meetings.meeting import DEFAULT_FREQUENCY, KINDS, MeetingFrequency
from desktop.models.meetings.rows import DueRow, FrequencyRow

#: Months a frequency may have (0: no set frequency): the divisors of twelve.
VALID_MONTHS = (0, 1, 2, 3, 4, 6, 12)
FREQUENCY_NAMESPACE = uuid.UUID("5d2f0c1e-8a43-4f7b-9b1d-3c6e0a9f7e52")


def add_months(first: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after the month of `first`."""
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def period_bounds(on: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The period of `months` months (a divisor of 12) that contains `on`: first and last day."""
    if months not in VALID_MONTHS or months == 0:
        raise ValueError(f"a period of {months} months")
    start = dt.date(on.year, (on.month - 1) // months * months + 1, 1)
    return start, add_months(start, months) - dt.timedelta(days=1)


def due_day(period_end: dt.date, fixed_day: int | None) -> dt.date:
    """The day a meeting of the period is due: the fixed day in the period's last month (the
    31st is the month's last day in a shorter month), else the period's last day."""
    if not fixed_day:
        return period_end
    return period_end.replace(day=min(fixed_day, period_end.day))


def due_row(
    kind: str,
    months: int,
    fixed_day: int | None,
    held_days: Iterable[dt.date],
    today: dt.date,
    since: dt.date | None = None,
) -> DueRow | None:
    """Where `kind` stands on `today`, given the days it was held; None without a frequency.

    Periods that ended before `since` (when the branch started keeping its meetings here) are
    never reported missed, so a new data file does not open with a page of false alarms.
    """
    if not months:
        return None
    held = sorted(set(held_days))
    start, end = period_bounds(today, months)
    due_on = due_day(end, fixed_day)
    held_now = [d for d in held if start <= d <= end]
    state = "held" if held_now else "overdue" if today > due_on else "due"

    def missed(first: dt.date, last: dt.date) -> bool:
        if since is not None and last < since:
            return False
        return not any(first <= d <= last for d in held)

    prev_start, prev_end = period_bounds(start - dt.timedelta(days=1), months)
    missed_count = 0
    period = dt.date(today.year, 1, 1)
    while period < start:
        p_start, p_end = period_bounds(period, months)
        missed_count += missed(p_start, p_end)
        period = p_end + dt.timedelta(days=1)
    return DueRow(
        kind=kind,
        kind_label=_(KINDS.get(kind, kind)),
        months=months,
        period_start=start,
        period_end=end,
        due_on=due_on,
        held_on=held_now[0] if held_now else None,
        state=state,
        previous_missed=missed(prev_start, prev_end),
        missed_this_year=missed_count,
    )


def frequency_id(branch_id: uuid.UUID, kind: str) -> uuid.UUID:
    """The same id on every PC, so two PCs setting one kind's frequency meet in one record."""
    return uuid.uuid5(FREQUENCY_NAMESPACE, f"{branch_id}/{kind}")


def frequencies(session: Session, branch_id: uuid.UUID) -> list[FrequencyRow]:
    """Every kind's required frequency: the branch's setting, else the rules' default."""
    stored = {
        f.kind: f
        for f in session.scalars(
            select(MeetingFrequency).where(
                MeetingFrequency.branch_id == branch_id, ~MeetingFrequency.deleted
            )
        )
    }
    rows = []
    for kind, label in KINDS.items():
        found = stored.get(kind)
        months = found.months if found else DEFAULT_FREQUENCY[kind]
        rows.append(FrequencyRow(kind, _(label), months, found.day if found else None))
    return rows


def set_frequency(
    session: Session, branch_id: uuid.UUID, kind: str, months: int, day: int | None = None
) -> FrequencyRow:
    problems = {}
    if kind not in KINDS:
        problems["kind"] = _("Choose a kind of meeting from the list.")
    if months not in VALID_MONTHS:
        problems["months"] = _("A meeting can be due every 1, 2, 3, 4, 6 or 12 months (or 0).")
    if day is not None and not 1 <= day <= 31:
        problems["day"] = _("The day of the month is a number from 1 to 31.")
    if problems:
        raise ValidationFailed(problems)
    row_id = frequency_id(branch_id, kind)
    found = session.get(MeetingFrequency, row_id)
    if found is None:
        found = MeetingFrequency(id=row_id, branch_id=branch_id, kind=kind)
        session.add(found)
    found.months, found.day, found.deleted = months, day, False
    session.flush()
    return FrequencyRow(kind, _(KINDS[kind]), months, day)
