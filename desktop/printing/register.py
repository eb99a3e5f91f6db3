# SPDX-License-Identifier: GPL-3.0-or-later
"""The member register (花名册): the whole table, landscape, header repeated on every page.

An internal file copy, not a public sheet: it carries the ID numbers, as the county's form does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from desktop.i18n import _, format_date
from desktop.models.documents.rows import MemberRegisterData
from desktop.printing import fonts, styles
from desktop.printing.fit import markup
from desktop.printing.fonts import register_fonts, string_width
from desktop.printing.result import Rendered
from desktop.printing.tables import PADDING, Column, build_table_document, fit_words


def register_title(data: MemberRegisterData) -> str:
    return _("{branch} member register").format(branch=data.branch_name)


#: Columns whose values must never break (an ID number, a date, a phone, a group's name): they
#: are as wide as their longest value. The others share what is left by weight.
_UNBROKEN = {1, 4, 5, 8, 9, 11, 12}

#: The widest an unbroken column grows, in characters of the body size: a name or a group's name
#: longer than any usual one (the data core takes names of 30 characters, group names of 100)
#: wraps onto more lines rather than squeezing the address and notes out of the page. ID numbers
#: and dates have a fixed length and no cap.
_CAP = {1: 6, 3: 4, 6: 6, 7: 5, 10: 6, 11: 7, 12: 7}


def _widths(columns: list[Column], rows: list[list[str]], total: float, size: float) -> list[float]:
    pad = 2 * PADDING + 1
    fixed: dict[int, float] = {}
    wanted: dict[int, float] = {}
    #: The usual value of a short Chinese column, in characters (balanced when it must wrap).
    chars: dict[int, int] = {}
    for i, column in enumerate(columns):
        longest = max((string_width(row[i], size) for row in rows), default=0)
        if i in _CAP:
            longest = min(longest, _CAP[i] * size)
        # A short header (性别) sets the width too; a long one may wrap onto two lines.
        header = min(string_width(column.title, size), 4 * size)
        if i in _UNBROKEN or column.weight <= 5:
            fixed[i] = max(longest, header, 2 * size) + pad
        else:
            # Most values on one line: a rare long one (小学及以下 among 初中 and 高中) wraps.
            usual_text = _usual_text([row[i] for row in rows], size)
            usual = string_width(usual_text, size)
            wanted[i] = max(min(usual, longest), header, 2 * size) + pad
            if i in _CAP and styles.has_cjk(usual_text):
                chars[i] = len(usual_text)
    widths = _share(columns, wanted, total - sum(fixed.values()), size, chars)
    return fit_words(
        [fixed.get(i, widths.get(i, 0.0)) for i in range(len(columns))],
        columns,
        rows,
        size,
        keep=fixed,
    )


#: The share of a wrapping column's values that `_widths` tries to keep on one line.
_USUAL = 0.9


def _usual_text(values: list[str], size: float) -> str:
    """The value that `_USUAL` of `values` are no wider than."""
    ordered = sorted(values, key=lambda value: string_width(value, size))
    return ordered[min(int(len(ordered) * _USUAL), len(ordered) - 1)] if ordered else ""


#: The least room the address and the notes keep (in characters of the body size, or their
#: usual value if shorter) before the short wrapping columns get room of their own.
_WRAP_LEAST = 5


def _share(
    columns: list[Column],
    wanted: dict[int, float],
    left: float,
    size: float,
    chars: dict[int, int] | None = None,
) -> dict[int, float]:
    """The columns that may wrap share what the fixed ones leave (`left`).

    The address and the notes (no cap) keep at least `_WRAP_LEAST` characters; the short ones
    (an education, a status, an occupation: capped) then get the room their usual value needs
    on one line, the narrowest first, as long as what is left lets the others as much (those
    that cannot have it share the rest equally); whatever the short ones leave goes to the
    address and the notes, by weight. A short Chinese column (`chars`: its usual value's
    length) that still cannot hold its usual value on one line is narrowed to break it evenly
    (正式/党员, not 正式党/员), the room it frees going to the address."""
    pad = 2 * PADDING + 1
    short = [i for i in wanted if i in _CAP]
    long = [i for i in wanted if i not in _CAP] or short
    keeps = {i: min(wanted[i], _WRAP_LEAST * size + pad) for i in long if i not in short}
    least = sum(keeps.values())
    widths: dict[int, float] = {}
    open_ = sorted((i for i in short if i not in long), key=lambda i: wanted[i])
    room = max(left - least, 0.0)
    # Water-filling: the narrowest wants are met first; those left share equally.
    for n, i in enumerate(open_):
        level = room / (len(open_) - n)
        widths[i] = min(wanted[i], level)
        length = (chars or {}).get(i, 0)
        fit = int((widths[i] - pad) / size + 0.01)
        if widths[i] < wanted[i] and 0 < fit < length:
            lines = -(-length // fit)
            widths[i] = -(-length // lines) * size + pad
        room -= widths[i]
    rest = left - sum(widths.values()) - least
    weight = sum(columns[i].weight for i in long)
    widths.update({i: keeps.get(i, 0.0) + rest * columns[i].weight / weight for i in long})
    return widths


#: A note longer than this is continued after the table (附注), so that no row outgrows a page.
NOTE_IN_CELL = 60


def _continued_notes(rows: list[list[str]], names: list[str], size: float) -> list[Flowable]:
    """Notes too long for their cell: the cell keeps their beginning and a pointer; the whole
    note follows the table under 附注, numbered and naming the member."""
    continued: list[Flowable] = []
    for row, name in zip(rows, names, strict=True):
        note = row[-1]
        if len(note) <= NOTE_IN_CELL:
            continue
        number = len(continued) // 2 + 1
        row[-1] = _("{start}… (continued in note {n})").format(start=note[:30], n=number)
        if not continued:
            continued.append(Spacer(1, 3 * mm))
            continued.append(Paragraph(markup(_("Notes continued")), styles.style(size + 2)))
        continued.append(
            Paragraph(
                markup(_("{n}. {name}: {note}").format(n=number, name=name, note=note)),
                styles.style(size + 0.5),
            )
        )
    return continued


def statistics_line(data: MemberRegisterData) -> str:
    return _(
        "{total} members in all: {full} full and {probationary} probationary members; "
        "{male} men and {female} women; {floating} floating members."
    ).format(
        total=len(data.rows),
        full=data.full,
        probationary=data.probationary,
        male=data.male,
        female=data.female,
        floating=data.floating,
    )


def _closing(data: MemberRegisterData, width: float, size: float) -> list[Flowable]:
    """The statistics line, then the signature and seal lines of the last page."""
    body = styles.style(size + 1)
    blank = "＿" * 6
    cell = styles.style(size + 1)
    signatures = Table(
        [
            [
                Paragraph(markup(_("Filled in by: {blank}").format(blank=blank)), cell),
                Paragraph(markup(_("Checked by: {blank}").format(blank=blank)), cell),
                Paragraph(
                    markup(_("Branch secretary (signature): {blank}").format(blank=blank)), cell
                ),
            ],
            [
                Paragraph(markup(_("Party organisation (seal)")), cell),
                Paragraph("", cell),
                Paragraph(
                    markup(_("Date filled in: {date}").format(date=_("____ / __ / __"))), cell
                ),
            ],
        ],
        colWidths=[width / 3] * 3,
        rowHeights=[12 * mm, 22 * mm],
    )
    signatures.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), register_fonts(), size),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [
        Spacer(1, 2.5 * mm),
        Paragraph(markup(statistics_line(data)), body),
        Spacer(1, 5 * mm),
        signatures,
    ]


def render_member_register(
    data: MemberRegisterData,
    out: BinaryIO,
    *,
    paper: str = "A4",
    landscape: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Rendered:
    """The register in the official style (landscape only: its columns need the width)."""
    c = TA_CENTER
    columns = [
        Column(_("Row number"), 3, c),
        Column(_("Name"), 6.5, c),
        Column(_("Gender"), 3, c),
        Column(_("Ethnicity"), 5, c),
        Column(_("ID number"), 15.5, c),
        Column(_("Birth date"), 9, c),
        Column(_("Education"), 8, c),
        Column(_("Member status"), 7.5, c),
        Column(_("Joined"), 9, c),
        Column(_("Confirmed"), 9, c),
        Column(_("Occupation"), 8, c),
        Column(_("Party group"), 8, c),
        Column(_("Phone"), 9.5, c),
        Column(_("Address"), 17),
        Column(_("Notes"), 9),
    ]
    rows = [
        [
            str(i),
            r.name,
            r.gender,
            r.ethnicity,
            r.id_number,
            r.birth_date,
            r.education,
            r.status,
            r.joined_on,
            r.confirmed_on,
            r.occupation,
            r.party_group,
            r.phone,
            r.address,
            r.notes,
        ]
        for i, r in enumerate(data.rows, start=1)
    ]
    fonts.check(
        [(_("The branch"), data.branch_name)]
        + [(r.name, "".join(row)) for r, row in zip(data.rows, rows, strict=True)]
    )
    size = 9.0 if paper.upper() == "A4" else 10.5
    after_table = _continued_notes(rows, [r.name for r in data.rows], size)
    pagesize = styles.page_size(paper, True)
    width = pagesize[0] - 2 * styles.MARGIN
    unit = "".join(part for part in (data.county, data.town) if part)
    subtitle = "　　".join(
        part
        for part in (
            _("Unit: {unit}").format(unit=unit) if unit else "",
            _("As of {date}").format(date=format_date(data.printed_on)),
        )
        if part
    )
    pages = build_table_document(
        out,
        title=register_title(data),
        subtitle_lines=[subtitle],
        columns=columns,
        rows=rows,
        pagesize=pagesize,
        footer_left=_("{branch} · printed on {date}").format(
            branch=data.branch_name, date=format_date(data.printed_on)
        ),
        font_size=size,
        progress=progress,
        form=True,
        widths=_widths(columns, rows, width, size),
        closing=_closing(data, width, size),
        after_table=after_table,
        mark=_("Internal document · keep confidential"),
    )
    return Rendered(pages=pages)
