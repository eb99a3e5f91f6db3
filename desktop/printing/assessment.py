# SPDX-License-Identifier: GPL-3.0-or-later
"""The annual assessment's printouts: the blank scoring sheets (one per scorer group), the result
list for the wall (公示) and each steward's 年度考核表.

Plain rows in (documents/rows.py), PDF out; no Qt, no session, no clock (`printed_on` is data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import BinaryIO

from reportlab.lib.colors import Color
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from desktop.errors import UserError
from desktop.i18n import _, format_date
from desktop.models.documents.rows import (
    AssessmentFormData,
    AssessmentPrintData,
    AssessmentResultListData,
    BlankScoreSheetData,
)
from desktop.printing import styles
from desktop.printing.fit import markup
from desktop.printing.fonts import missing_glyphs, register_fonts
from desktop.printing.page import canvas_maker
from desktop.printing.result import Rendered

ProgressFn = Callable[[int, int], None]
#: The blank line a person signs or writes on.
BLANK = "＿＿＿＿＿＿＿＿"


def _p(text: str, size: float = 10, align: int = TA_LEFT, color: Color = styles.INK) -> Paragraph:
    return Paragraph(markup(text), styles.style(size, align=align, color=color))


def _table(
    rows: list[list[object]],
    widths: list[float],
    size: float,
    header_rows: int = 1,
    label_columns: tuple[int, ...] = (),
) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows)
    shaded = (
        [("BACKGROUND", (0, 0), (-1, header_rows - 1), styles.HEADER_FILL)] if header_rows else []
    )
    shaded += [("BACKGROUND", (c, 0), (c, -1), styles.HEADER_FILL) for c in label_columns]
    table.setStyle(
        TableStyle(
            [
                *shaded,
                ("FONT", (0, 0), (-1, -1), register_fonts(), size),
                ("GRID", (0, 0), (-1, -1), 0.5, styles.RULE),
                ("BOX", (0, 0), (-1, -1), 0.9, styles.INK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 1.2 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 1.2 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2 * mm),
            ]
        )
    )
    return table


def _build(
    out: BinaryIO,
    story: Sequence[Flowable],
    *,
    pagesize: tuple[float, float],
    title: str,
    footer_left: str,
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
            _(
                "A line of the sheet is too long to fit on one page. Shorten the longest "
                "text (an item's name or a remark) and try again."
            )
        ) from error
    return pages[0]


def _footer(branch: str, printed_on: dt.date) -> str:
    return _("{branch} · printed on {date}").format(branch=branch, date=format_date(printed_on))


# ---------------------------------------------------------------- blank scoring sheets


def sheet_title(sheet: BlankScoreSheetData) -> str:
    return _("{branch} red stewards' annual assessment {year}: scoring sheet").format(
        branch=sheet.branch_name, year=sheet.year
    )


def _blank_sheet_story(
    sheet: BlankScoreSheetData, frame_width: float, size: float
) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(markup(sheet_title(sheet)), styles.title_style(16))]
    head = Table(
        [
            [
                _p(_("Scored by: {scorer}").format(scorer=sheet.scorer), 10),
                _p(_("Sheet {code}").format(code=sheet.code), 10, TA_RIGHT),
            ]
        ],
        colWidths=[frame_width * 0.7, frame_width * 0.3],
    )
    head.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), register_fonts(), 10),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story += [Spacer(1, 2 * mm), head, Spacer(1, 2 * mm)]
    header = [
        Paragraph(markup(t), styles.header_cell_style(size))
        for t in (_("Row number"), _("Name"), _("Post"))
    ] + [
        Paragraph(
            markup(
                _("{number}. {name} (max. {maximum})").format(
                    number=i.number, name=i.name, maximum=i.maximum
                )
            ),
            styles.header_cell_style(size),
        )
        for i in sheet.items
    ]
    cell = styles.cell_style(size, TA_CENTER)
    body = [
        [Paragraph(str(n), cell), Paragraph(markup(name), cell), Paragraph(markup(post), cell)]
        + ["" for _i in sheet.items]
        for n, (name, post) in enumerate(sheet.stewards, start=1)
    ]
    fixed = [8 * mm, 22 * mm, 36 * mm]
    rest = (frame_width - sum(fixed)) / max(1, len(sheet.items))
    table = _table([header, *body], fixed + [rest] * len(sheet.items), size)
    table.setStyle(
        TableStyle(
            [
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None]),
                ("TOPPADDING", (0, 1), (-1, -1), 2.4 * mm),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 2.4 * mm),
            ]
        )
    )
    story.append(table)
    described = [i for i in sheet.items if i.description]
    if described:
        story.append(Spacer(1, 2 * mm))
        for i in described:
            story.append(_p(f"{i.number}. {i.name}：{i.description}", 8, color=styles.MUTED))
    story.append(Spacer(1, 3 * mm))
    story.append(
        _p(
            _("Write each score in its box, at most the item's maximum; one decimal at most."),
            8.5,
            color=styles.MUTED,
        )
    )
    story.append(Spacer(1, 6 * mm))
    story.append(
        KeepTogether(
            [
                _p(
                    "　　".join(
                        [
                            _("Scorers (signatures): {blank}").format(blank=BLANK * 2),
                            _("Date: {blank}").format(blank=BLANK),
                        ]
                    ),
                    10.5,
                )
            ]
        )
    )
    return story


def render_blank_sheets(
    sheets: Sequence[BlankScoreSheetData],
    out: BinaryIO,
    *,
    paper: str = "A4",
    landscape: bool = True,
    progress: ProgressFn | None = None,
) -> Rendered:
    """Every sheet from a new page, in the order given."""
    pagesize = styles.page_size(paper, landscape)
    frame_width = pagesize[0] - 2 * styles.MARGIN
    size = 9.0 if paper.upper() == "A4" else 11.0
    story: list[Flowable] = []
    for n, sheet in enumerate(sheets):
        if n:
            story.append(PageBreak())
        story += _blank_sheet_story(sheet, frame_width, size)
        if progress is not None:
            progress(n + 1, len(sheets) + 1)
    first = sheets[0]
    pages = _build(
        out,
        story,
        pagesize=pagesize,
        title=sheet_title(first),
        footer_left=_footer(first.branch_name, first.printed_on),
    )
    texts = [
        s.scorer
        + "".join(n + p for n, p in s.stewards)
        + "".join(i.name + i.description for i in s.items)
        for s in sheets
    ]
    return Rendered(pages, tuple(missing_glyphs([first.branch_name, *texts])))


# ---------------------------------------------------------------- results: the wall list, the forms


def result_list_title(data: AssessmentResultListData) -> str:
    return _("{branch} red stewards' annual assessment {year}: results").format(
        branch=data.branch_name, year=data.year
    )


def _result_list_story(data: AssessmentResultListData, frame_width: float) -> list[Flowable]:
    story: list[Flowable] = [Paragraph(markup(result_list_title(data)), styles.title_style(18))]
    if not data.final:
        story.append(_p(_("Provisional: not final yet"), 10, TA_CENTER, styles.RED))
    story.append(Spacer(1, 4 * mm))
    size = 10.5
    header = [
        Paragraph(markup(t), styles.header_cell_style(size))
        for t in (_("Rank"), _("Name"), _("Post"), _("Total"), _("Grade"))
    ]
    cell = styles.cell_style(size, TA_CENTER)
    body = [
        [
            Paragraph(markup(v), cell)
            for v in (line.rank, line.name, line.post, line.total, line.grade)
        ]
        for line in data.lines
    ]
    weights = [1, 2, 3.5, 1.5, 2]
    widths = [frame_width * w / sum(weights) for w in weights]
    story.append(_table([header, *body], widths, size))
    story.append(Spacer(1, 4 * mm))
    for line in data.rules_text:
        story.append(_p(line, 9, color=styles.MUTED))
    story.append(Spacer(1, 3 * mm))
    if data.published_from and data.published_until:
        story.append(
            _p(
                _("Posted from {first} to {last}.").format(
                    first=format_date(data.published_from), last=format_date(data.published_until)
                ),
                10.5,
            )
        )
    if data.branch_phone:
        objection = _(
            "Objections may be raised with the branch during the posting period, phone {phone}."
        ).format(phone=data.branch_phone)
    else:
        objection = _("Objections may be raised with the branch during the posting period.")
    story.append(_p(objection, 10.5))
    story.append(Spacer(1, 8 * mm))
    story.append(_p(data.branch_name, 11, TA_RIGHT))
    story.append(_p(format_date(data.printed_on), 11, TA_RIGHT))
    return story


def form_title(form: AssessmentFormData) -> str:
    return _("Red steward's annual assessment form {year}").format(year=form.year)


def _form_story(form: AssessmentFormData, frame_width: float) -> list[Flowable]:
    size = 9.5
    story: list[Flowable] = [Paragraph(markup(form_title(form)), styles.title_style(17))]
    story.append(Spacer(1, 4 * mm))
    label = styles.header_cell_style(size)
    cell = styles.cell_style(size, TA_CENTER)
    info = _table(
        [
            [
                Paragraph(markup(_("Name")), label),
                Paragraph(markup(form.name), cell),
                Paragraph(markup(_("Post")), label),
                Paragraph(markup(form.post), cell),
                Paragraph(markup(_("Party branch")), label),
                Paragraph(markup(form.branch_name), cell),
            ]
        ],
        [frame_width * w for w in (0.1, 0.17, 0.1, 0.25, 0.12, 0.26)],
        size,
        header_rows=0,
        label_columns=(0, 2, 4),
    )
    story += [info, Spacer(1, 3 * mm)]
    header = [
        Paragraph(markup(t), styles.header_cell_style(size))
        for t in (
            _("No."),
            _("Item"),
            _("Kind"),
            _("Scored by"),
            _("Maximum"),
            _("Score"),
            _("Counts"),
        )
    ]
    body = [
        [
            Paragraph(str(line.number), cell),
            Paragraph(markup(line.name), styles.cell_style(size)),
            Paragraph(markup(line.kind), cell),
            Paragraph(markup(line.scored_by), cell),
            Paragraph(markup(line.maximum), cell),
            Paragraph(markup(line.score), cell),
            Paragraph(markup(line.points), cell),
        ]
        for line in form.lines
    ]
    weights = [0.6, 3, 1.2, 2.6, 1, 1, 1.1]
    story.append(_table([header, *body], [frame_width * w / sum(weights) for w in weights], size))
    story.append(Spacer(1, 3 * mm))
    summary = _("Total: {total}　　Grade: {grade}　　Rank: {rank}").format(
        total=form.total, grade=form.grade, rank=form.rank
    )
    story.append(_p(summary, 12))
    story.append(Spacer(1, 3 * mm))
    wide = [frame_width * 0.2, frame_width * 0.8]
    lines = [
        (_("Commitment"), form.commitment or "—"),
        (_("Year-end evaluation of the commitment"), form.evaluation or "—"),
        (_("Remarks"), form.remarks or ""),
    ]
    story.append(
        _table(
            [
                [Paragraph(markup(k), label), Paragraph(markup(v), styles.cell_style(size))]
                for k, v in lines
            ],
            wide,
            size,
            header_rows=0,
            label_columns=(0,),
        )
    )
    story.append(Spacer(1, 10 * mm))
    story.append(_p(_("Steward (signature): {blank}").format(blank=BLANK), 10.5))
    story.append(Spacer(1, 6 * mm))
    story.append(
        _p(_("Opinion of the branch committee (seal): {blank}").format(blank=BLANK * 2), 10.5)
    )
    story.append(Spacer(1, 6 * mm))
    story.append(_p(_("Date: {blank}").format(blank=BLANK), 10.5, TA_RIGHT))
    return story


def render_assessment_results(
    data: AssessmentPrintData,
    out: BinaryIO,
    *,
    paper: str = "A4",
    landscape: bool = False,
    progress: ProgressFn | None = None,
) -> Rendered:
    """The result list for the wall, then each steward's form on a page of its own."""
    pagesize = styles.page_size(paper, landscape)
    frame_width = pagesize[0] - 2 * styles.MARGIN
    story = _result_list_story(data.result_list, frame_width)
    for n, form in enumerate(data.forms, start=1):
        story.append(PageBreak())
        story += _form_story(form, frame_width)
        if progress is not None:
            progress(n, len(data.forms) + 1)
    listed = data.result_list
    pages = _build(
        out,
        story,
        pagesize=pagesize,
        title=result_list_title(listed),
        footer_left=_footer(listed.branch_name, listed.printed_on),
    )
    texts = [listed.branch_name, *("".join((r.name, r.post)) for r in listed.lines)]
    texts += [
        f.commitment + f.evaluation + f.remarks + "".join(line.name for line in f.lines)
        for f in data.forms
    ]
    return Rendered(pages, tuple(missing_glyphs(texts)))
