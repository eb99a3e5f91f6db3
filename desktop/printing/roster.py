# SPDX-License-Identifier: GPL-3.0-or-later
"""The duty roster sheet (值班表): a period's duties for one team, with a column to sign in.

Two shapes: a grid (one row per day, one column per slot) when the day has few slots, or a
list (one row per duty) otherwise. Both end in a blank sign-in column for the paper copy
pinned by the duty room's door.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm

from desktop.errors import UserError
from desktop.i18n import _, babel_locale, format_date
from desktop.models.documents.rows import RosterSheetData
from desktop.printing import fonts, styles
from desktop.printing.result import Rendered
from desktop.printing.tables import Column, TableSection, build_table_sections

#: More slots a day than this and the grid's columns get too narrow: use the list.
GRID_MAX_SLOTS = 4

#: How much larger the sheet's type and rows are on each paper than on A4: an A3 roster by the
#: duty room's door is read from further away, so it uses its size (√2 is A4 to A3).
PAPER_SCALE = {"A3": 1.4}


def _day(value: object) -> str:
    from babel.dates import format_skeleton

    return format_skeleton("MMMd", value, locale=babel_locale())  # type: ignore[arg-type]


def _weekday(value: object) -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, "EEEE", locale=babel_locale())  # type: ignore[arg-type]


def roster_layout(data: RosterSheetData, layout: str = "auto") -> str:
    if layout in ("grid", "list"):
        return layout
    has_notes = any(d.note for d in data.duties)
    return "grid" if len(data.slots) <= GRID_MAX_SLOTS and not has_notes else "list"


def render_roster_sheet(
    data: RosterSheetData,
    out: BinaryIO,
    *,
    paper: str = "A4",
    landscape: bool = False,
    layout: str = "auto",
    progress: Callable[[int, int], None] | None = None,
) -> Rendered:
    return render_roster_sheets(
        [data], out, paper=paper, landscape=landscape, layout=layout, progress=progress
    )


def render_roster_sheets(
    rosters: Sequence[RosterSheetData],
    out: BinaryIO,
    *,
    paper: str = "A4",
    landscape: bool = False,
    layout: str = "auto",
    progress: Callable[[int, int], None] | None = None,
) -> Rendered:
    """One or more rosters in one document (a month of every team's), each from a new page."""
    if not rosters:
        raise UserError(_("There is no duty roster to print for this month."))
    scale = PAPER_SCALE.get(paper.upper(), 1.0)
    sections = [_section(data, layout, scale) for data in rosters]
    first = rosters[0]
    pages = build_table_sections(
        out,
        sections,
        pagesize=styles.page_size(paper, landscape),
        footer_left=_("{branch} · printed on {date}").format(
            branch=first.branch_name, date=format_date(first.printed_on)
        ),
        progress=progress,
    )
    return Rendered(pages=pages)


def _section(data: RosterSheetData, layout: str, scale: float) -> TableSection:
    if not data.duties:
        raise UserError(_("The roster {title} has no duties to print.").format(title=data.title))
    c = TA_CENTER
    shape = roster_layout(data, layout)
    duties = sorted(data.duties, key=lambda d: (d.day, _slot_index(data.slots, d.slot)))
    if shape == "grid":
        columns = [Column(_("Date"), 9, c), Column(_("Weekday"), 8, c)]
        # A sign-in column per slot: 上午 and 下午 are different people.
        share = 66 / max(len(data.slots), 1)
        for slot in data.slots:
            columns.append(Column(slot, share * 0.55, c))
            columns.append(Column(_("{slot} sign-in").format(slot=slot), share * 0.45, c))
        by_day: dict[object, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for duty in duties:
            by_day[duty.day][duty.slot].extend(duty.people)
        rows = [
            [_day(day), _weekday(day)]
            + [cell for slot in data.slots for cell in ("、".join(slots.get(slot, [])), "")]
            for day, slots in by_day.items()
        ]
    else:
        columns = [
            Column(_("Date"), 9, c),
            Column(_("Weekday"), 8, c),
            Column(_("Slot"), 9, c),
            Column(_("On duty"), 18, c),
            Column(_("Phone"), 13, c),
            Column(_("Sign-in"), 14, c),
            Column(_("Notes"), 14),
        ]
        rows = [
            [_day(d.day), _weekday(d.day), d.slot, "、".join(d.people), d.phone, "", d.note]
            for d in duties
        ]
    subtitle = [
        _("Period: {start} to {end}").format(
            start=format_date(data.period_start), end=format_date(data.period_end)
        ),
        "　".join(
            part
            for part in (
                _("Team: {team}").format(team=data.team) if data.team else "",
                _("Steward: {name}").format(name=data.steward) if data.steward else "",
                _("Phone: {phone}").format(phone=data.phone) if data.phone else "",
            )
            if part
        ),
    ]
    fonts.check(
        [(data.title, f"{data.title}{data.team}{data.steward}{''.join(data.slots)}")]
        + [(person, person) for d in data.duties for person in d.people]
        + [(format_date(d.day), d.note) for d in data.duties]
    )
    return TableSection(
        title=data.title,
        subtitle_lines=[s for s in subtitle if s],
        columns=columns,
        rows=rows,
        font_size=10.0 * scale,
        row_padding=3.2 * mm * scale,
        title_size=18.0 * scale,
    )


def _slot_index(slots: tuple[str, ...], slot: str) -> int:
    return slots.index(slot) if slot in slots else len(slots)
