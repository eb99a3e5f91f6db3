# SPDX-License-Identifier: GPL-3.0-or-later
"""Meeting sheets: the sign-in sheet (签到表), the minutes (会议记录) in the record book's
layout, the open decisions (议定事项) for the next joint meeting, and a year's meeting register.

Plain rows in (documents/rows.py), PDF out; no Qt, no Session, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from desktop.errors import UserError
from desktop.i18n import _, format_date, ngettext
from desktop.models.documents.rows import (
    DecisionListData,
    MeetingHeader,
    MeetingRegisterData,
    MinutesData,
    SignInSheetData,
)
from desktop.printing import styles
from desktop.printing.fit import markup
from desktop.printing.fonts import missing_glyphs, register_fonts
from desktop.printing.page import canvas_maker
from desktop.printing.result import Rendered
from desktop.printing.tables import Column, build_table_document

ProgressFn = Callable[[int, int], None]
#: Blank lines at the end of a sign-in sheet, for people who come unannounced.
SPARE_LINES = 3


def _footer(branch: str, printed_on: object) -> str:
    return _("{branch} · printed on {date}").format(
        branch=branch,
        date=format_date(printed_on),  # type: ignore[arg-type]
    )


def _header_texts(m: MeetingHeader) -> list[str]:
    return [m.branch_name, m.kind, m.topic, m.when, m.place, m.chair, m.recorder]


def _when_where(m: MeetingHeader) -> str:
    return "　".join(
        part
        for part in (
            _("Time: {when}").format(when=m.when),
            _("Place: {place}").format(place=m.place) if m.place else "",
        )
        if part
    )


# ----------------------------------------------------------------------------- sign-in sheet


def sign_in_title(data: SignInSheetData) -> str:
    return _("{branch} {kind} sign-in sheet").format(
        branch=data.meeting.branch_name, kind=data.meeting.kind
    )


def render_sign_in_sheet(
    data: SignInSheetData,
    out: BinaryIO,
    *,
    paper: str = "A4",
    landscape: bool = False,
    progress: ProgressFn | None = None,
) -> Rendered:
    """Every person who should attend, a wide signature column, and the 请假 column."""
    c = TA_CENTER
    columns = [
        Column(_("Row number"), 5, c),
        Column(_("Name"), 11, c),
        Column(_("Party group or organisation"), 16, c),
        Column(_("Signature"), 22, c),
        Column(_("Leave (reason)"), 18, c),
    ]
    people = [*data.people, *data.guests]
    rows = [[str(i), p.name, p.note, "", p.leave] for i, p in enumerate(people, start=1)]
    rows += [[str(len(rows) + i), "", "", "", ""] for i in range(1, SPARE_LINES + 1)]
    m = data.meeting
    subtitle = [
        _("Topic: {topic}").format(topic=m.topic) if m.topic else "",
        _when_where(m),
        "　".join(
            part
            for part in (
                ngettext(
                    "{n} person should attend", "{n} people should attend", len(data.people)
                ).format(n=len(data.people)),
                _("Chair: {name}").format(name=m.chair) if m.chair else "",
                _("Recorder: {name}").format(name=m.recorder) if m.recorder else "",
            )
            if part
        ),
    ]
    pages = build_table_document(
        out,
        title=sign_in_title(data),
        subtitle_lines=[s for s in subtitle if s],
        columns=columns,
        rows=rows,
        pagesize=styles.page_size(paper, landscape),
        footer_left=_footer(m.branch_name, data.printed_on),
        font_size=10.5,
        row_padding=3.6 * mm,
        progress=progress,
    )
    texts = _header_texts(m) + [p.name + p.note + p.leave for p in people]
    return Rendered(pages=pages, missing_glyphs=tuple(missing_glyphs(texts)))


# ----------------------------------------------------------------------------- minutes


def _document(
    out: BinaryIO,
    title: str,
    pagesize: tuple[float, float],
    footer_left: str,
    story: Sequence[object],
) -> int:
    width, height = pagesize
    frame = Frame(
        styles.MARGIN,
        styles.MARGIN,
        width - 2 * styles.MARGIN,
        height - 2 * styles.MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    doc = BaseDocTemplate(
        out,
        pagesize=pagesize,
        title=title,
        author=_("Red Steward"),
        creator="Red Steward",
        invariant=1,
        pageTemplates=[PageTemplate(id="page", frames=[frame])],
    )
    pages = [0]

    def page_done(n: int) -> None:
        pages[0] = n

    try:
        doc.build(
            list(story), canvasmaker=canvas_maker(footer_left=footer_left, on_page_done=page_done)
        )
    except LayoutError as error:
        raise UserError(
            _("A part of the minutes is too long for one page. Shorten it and try again.")
        ) from error
    return pages[0]


def minutes_title(data: MinutesData) -> str:
    return _("{branch} {kind} minutes").format(
        branch=data.meeting.branch_name, kind=data.meeting.kind
    )


def render_minutes(
    data: MinutesData,
    out: BinaryIO,
    *,
    paper: str = "A4",
    landscape: bool = False,
    progress: ProgressFn | None = None,
) -> Rendered:
    """The record book's page: a ruled grid of the meeting's facts, then the agenda, what was
    said and what was decided, and lines for the chair's and the recorder's signatures."""
    size = 10.5
    pagesize = styles.page_size(paper, landscape)
    width = pagesize[0] - 2 * styles.MARGIN
    label = styles.style(size, align=TA_CENTER, name="label")
    value = styles.style(size, name="value")
    m = data.meeting

    def p(text: str, style: object = value) -> Paragraph:
        return Paragraph(markup(text), style)

    grid = [
        [p(_("Kind of meeting"), label), p(m.kind), p(_("Time"), label), p(m.when)],
        [p(_("Place"), label), p(m.place), p(_("Chair"), label), p(m.chair)],
        [
            p(_("Recorder"), label),
            p(m.recorder),
            p(_("Expected / present"), label),
            p(f"{data.expected} / {data.present}" if data.expected else ""),
        ],
        [p(_("Absent, and why"), label), p(data.absent), "", ""],
        [p(_("Also attending"), label), p(data.guests), "", ""],
        [p(_("Topic"), label), p(m.topic), "", ""],
    ]
    if data.quorum:
        grid.append([p(_("Quorum"), label), p(data.quorum), "", ""])
    spans = [("SPAN", (1, r), (3, r)) for r in range(3, len(grid))]
    table = Table(grid, colWidths=[w * width for w in (0.19, 0.31, 0.16, 0.34)])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), register_fonts(), size),
                ("GRID", (0, 0), (-1, -1), 0.5, styles.RULE),
                ("BOX", (0, 0), (-1, -1), 0.9, styles.INK),
                ("BACKGROUND", (0, 0), (0, -1), styles.HEADER_FILL),
                ("BACKGROUND", (2, 0), (2, 2), styles.HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2 * mm),
                *spans,
            ]
        )
    )
    heading = styles.style(12, color=styles.DARK_RED, name="heading")
    body = styles.style(size, leading=size * 1.7, name="minutes")
    story: list[object] = [
        Paragraph(markup(minutes_title(data)), styles.title_style(18)),
        Spacer(1, 4 * mm),
        table,
    ]
    sections = [
        (_("Agenda"), data.agenda),
        (_("What was said"), data.summary),
        (_("Decisions"), "\n".join(data.decisions)),
    ]
    for title, text in sections:
        story.append(Spacer(1, 4 * mm))
        paragraphs = [Paragraph(markup(line), body) for line in text.splitlines() if line.strip()]
        if not paragraphs:
            # Room to write by hand in the book.
            paragraphs = [Spacer(1, 18 * mm)]
        story.append(KeepTogether([Paragraph(markup(title), heading), paragraphs[0]]))
        story.extend(paragraphs[1:])
    signatures = Table(
        [[p(_("Chair's signature:")), "", p(_("Recorder's signature:")), ""]],
        colWidths=[w * width for w in (0.18, 0.32, 0.18, 0.32)],
    )
    signatures.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), register_fonts(), size),
                ("LINEBELOW", (1, 0), (1, 0), 0.6, styles.INK),
                ("LINEBELOW", (3, 0), (3, 0), 0.6, styles.INK),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("TOPPADDING", (0, 0), (-1, -1), 6 * mm),
            ]
        )
    )
    story += [Spacer(1, 8 * mm), signatures]
    pages = _document(
        out, minutes_title(data), pagesize, _footer(m.branch_name, data.printed_on), story
    )
    if progress is not None:
        progress(1, 1)
    texts = [
        *_header_texts(m),
        data.absent,
        data.guests,
        data.quorum,
        data.agenda,
        data.summary,
        *data.decisions,
    ]
    return Rendered(pages=pages, missing_glyphs=tuple(missing_glyphs(texts)))


# ----------------------------------------------------------------------------- decisions


def render_open_decisions(
    data: DecisionListData,
    out: BinaryIO,
    *,
    paper: str = "A4",
    landscape: bool = True,
    progress: ProgressFn | None = None,
) -> Rendered:
    if not data.lines:
        raise UserError(_("There are no open decisions to print."))
    c = TA_CENTER
    columns = [
        Column(_("Row number"), 4, c),
        Column(_("Decision"), 30, TA_LEFT),
        Column(_("Owner"), 12, c),
        Column(_("Due"), 8, c),
        Column(_("State"), 6, c),
        Column(_("Decided at"), 13, c),
        Column(_("Progress"), 16, TA_LEFT),
    ]
    rows = [
        [str(i), d.content, d.owner, d.due, d.state, d.source, d.notes]
        for i, d in enumerate(data.lines, start=1)
    ]
    overdue = sum(1 for d in data.lines if d.overdue)
    subtitle = "　".join(
        part
        for part in (
            ngettext("{n} open decision", "{n} open decisions", len(rows)).format(n=len(rows)),
            ngettext("{n} overdue", "{n} overdue", overdue).format(n=overdue) if overdue else "",
            _("As of {date}").format(date=format_date(data.printed_on)),
        )
        if part
    )
    pages = build_table_document(
        out,
        title=data.title,
        subtitle_lines=[subtitle],
        columns=columns,
        rows=rows,
        pagesize=styles.page_size(paper, landscape),
        footer_left=_footer(data.branch_name, data.printed_on),
        font_size=10.0,
        row_padding=2.2 * mm,
        progress=progress,
    )
    texts = [data.title] + ["".join(r) for r in rows]
    return Rendered(pages=pages, missing_glyphs=tuple(missing_glyphs(texts)))


# ----------------------------------------------------------------------------- the year's register


def meeting_register_title(data: MeetingRegisterData) -> str:
    return _("{branch} meetings of {year}").format(branch=data.branch_name, year=data.year)


def render_meeting_register(
    data: MeetingRegisterData,
    out: BinaryIO,
    *,
    paper: str = "A4",
    landscape: bool = True,
    progress: ProgressFn | None = None,
) -> Rendered:
    if not data.lines:
        raise UserError(_("No meeting of {year} has been recorded as held.").format(year=data.year))
    c = TA_CENTER
    columns = [
        Column(_("Row number"), 4, c),
        Column(_("Date"), 9, c),
        Column(_("Kind of meeting"), 13, c),
        Column(_("Topic"), 30, TA_LEFT),
        Column(_("Expected"), 5, c),
        Column(_("Present"), 5, c),
        Column(_("On leave"), 5, c),
        Column(_("Absent"), 5, c),
        Column(_("Attendance rate"), 7, c),
        Column(_("Notes"), 10, TA_LEFT),
    ]
    rows = [
        [
            str(i),
            line.day,
            line.kind,
            line.topic,
            line.expected,
            line.present,
            line.leave,
            line.absent,
            line.rate,
            line.notes,
        ]
        for i, line in enumerate(data.lines, start=1)
    ]
    pages = build_table_document(
        out,
        title=meeting_register_title(data),
        subtitle_lines=["；".join(data.summary)] if data.summary else [],
        columns=columns,
        rows=rows,
        pagesize=styles.page_size(paper, landscape),
        footer_left=_footer(data.branch_name, data.printed_on),
        font_size=9.5,
        progress=progress,
    )
    texts = [data.branch_name, *data.summary] + ["".join(r) for r in rows]
    return Rendered(pages=pages, missing_glyphs=tuple(missing_glyphs(texts)))
