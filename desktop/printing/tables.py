# SPDX-License-Identifier: GPL-3.0-or-later
"""Tabular documents (the register, rosters): a title block and one table that repeats its header.

Cells are Paragraphs, so long text wraps inside its column. A single row taller than a page
cannot be split by ReportLab; that becomes a `UserError` instead of a broken file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
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

from desktop import i18n
from desktop.errors import UserError
from desktop.i18n import _
from desktop.printing import styles
from desktop.printing.fit import markup
from desktop.printing.fonts import in_main_face, register_fonts, string_width
from desktop.printing.page import canvas_maker

ProgressFn = Callable[[int, int], None]

#: No page of a table holds fewer body rows than this (no one- or two-row orphan pages).
MIN_ROWS_TOGETHER = 3

#: The cells' left and right padding.
PADDING = 1.2 * mm
#: Room kept free when deciding that a text fits its cell on one line (Paragraph adds up the
#: characters' widths one by one; a text this close to the edge is left to it).
_FIT_SLACK = 0.5
#: The table's ALIGN for a column's alignment (justified text on one line is left-aligned).
_ALIGN = {TA_LEFT: "LEFT", TA_CENTER: "CENTER", TA_RIGHT: "RIGHT"}


class _Cells:
    """Body cells that print as `Paragraph(markup(value), style)` would, made cheaply when they
    can be (the register has 30,000 cells; a Paragraph each was most of its time).

    An empty text is an empty cell (an empty Paragraph is 0 high and draws nothing). A text in
    the main face is a plain string, which the table draws itself in the same face, size,
    leading, colour and place (set by `_section_story`'s table style) without parsing markup:
    as it is when it fits its column on one line, else broken into lines by a Paragraph once
    per distinct text and column (a register repeats its educations and statuses thousands of
    times), joined with newlines. Only a text holding a character of a fallback face, with
    spaces Paragraph would fold, or whose lines the table could not place exactly where
    Paragraph does, stays a Paragraph."""

    def __init__(self) -> None:
        #: A text's plain form by (text, style, room), None when it must be a Paragraph.
        self._plain: dict[tuple[str, int, float], str | None] = {}

    def __call__(self, value: str, style: ParagraphStyle, room: float) -> object:
        if not value.strip():
            return []
        key = (value, id(style), room)
        if key not in self._plain:
            self._plain[key] = _plain(value, style, room)
        plain = self._plain[key]
        return Paragraph(markup(value), style) if plain is None else plain


def _plain(value: str, style: ParagraphStyle, room: float) -> str | None:
    if value != " ".join(value.split()) or not in_main_face(value):
        return None
    if string_width(value, style.fontSize) <= room - _FIT_SLACK:
        return value
    return _broken(value, style, room)


def _broken(value: str, style: ParagraphStyle, room: float) -> str | None:
    """`value`'s lines as Paragraph breaks them in `room`, joined with newlines; None when a
    line would not be drawn as wide as Paragraph draws it (so not centred alike)."""
    paragraph = Paragraph(markup(value), style)
    paragraph.wrap(room, 1e6)
    broken = paragraph.blPara
    if broken.kind != 0:
        return None
    lines = []
    for extra, words in broken.lines:
        line = " ".join(words)
        # A line before a split word counts the space after it (Paragraph centres "Full "
        # of "Full member"): the space is kept so that the table centres it alike.
        for drawn in (line, line + " "):
            if abs(string_width(drawn, style.fontSize) - (room - extra)) <= 0.01:
                lines.append(drawn)
                break
        else:
            return None
    return "\n".join(lines)


#: What an English line breaks around besides spaces: Chinese, Japanese and Korean characters,
#: ideographic punctuation and full-width forms (a line may break between any two of them).
_BREAKS_AROUND = re.compile(
    r"[\s\u2e80-\u9fff\ua000-\ua4cf\uac00-\ud7af\uf900-\ufaff\ufe30-\uffef\U00020000-\U0003ffff]+"
)


def longest_word(text: str, size: float) -> float:
    """The width of the widest part of `text` that a cell's line cannot break inside: in
    English, where lines break only at spaces (and around Chinese characters), its longest
    word; in Chinese, where a line may break between any two characters, nothing (0)."""
    if i18n.language() != "en":
        return 0.0
    return max((string_width(word, size) for word in _BREAKS_AROUND.split(text)), default=0.0)


def fit_words(
    widths: Sequence[float],
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    size: float,
    keep: Collection[int] = (),
) -> list[float]:
    """`widths` with every column at least as wide as its longest word (header or cell) and
    the padding, so that English never breaks a word ("Wednesda/y", "Educa/tion"). The room
    is taken from the columns wider than their own longest word, in proportion to what they
    have to spare, never from the columns in `keep` (sized to their values, which must not
    break). When the spare room is not enough, the columns that need least get theirs."""
    floors = []
    for i, column in enumerate(columns):
        longest = max(
            [longest_word(column.title, size), *(longest_word(row[i], size) for row in rows)]
        )
        floors.append(longest + 2 * PADDING + _FIT_SLACK + 0.5 if longest else 0.0)
    short = sum(max(floor - width, 0.0) for floor, width in zip(floors, widths, strict=True))
    spare = sum(
        max(width - floor, 0.0)
        for i, (floor, width) in enumerate(zip(floors, widths, strict=True))
        if i not in keep
    )
    if not short or not spare:
        return list(widths)
    # Without room for every word, the smallest shortfalls are made up first: a column whose
    # words all fit is worth more than several that still break.
    given: dict[int, float] = {}
    budget = spare
    for i in sorted(range(len(widths)), key=lambda i: floors[i] - widths[i]):
        need = floors[i] - widths[i]
        if need <= 0 or need > budget:
            continue
        given[i] = need
        budget -= need
    taken = (spare - budget) / spare
    return [
        width + given[i]
        if i in given
        else width
        if i in keep or width <= floor
        else width - (width - floor) * taken
        for i, (floor, width) in enumerate(zip(floors, widths, strict=True))
    ]


def _align_commands(columns: Sequence[Column]) -> list[tuple[object, ...]]:
    """The body's ALIGN, one command per run of columns aligned alike (the table applies its
    style again to each page's part: few commands keep that cheap)."""
    commands: list[tuple[object, ...]] = []
    start = 0
    for i in range(1, len(columns) + 1):
        if i == len(columns) or columns[i].align != columns[start].align:
            align = _ALIGN.get(columns[start].align, "LEFT")
            commands.append(("ALIGN", (start, 1), (i - 1, -1), align))
            start = i
    return commands


class _RowsTogether(Table):
    """A table that never leaves fewer than `MIN_ROWS_TOGETHER` body rows at the foot of a page
    or at the top of the next one.

    ReportLab asks where a table may split for the space left on a page; this moves that point up
    so that at least three rows go on (the last rows never stand alone), or declines the split (the
    table starts on the next page) when fewer than three rows would stay. Its parts are made with
    `self.__class__`, so every continued part keeps the rule. `_full_height` is the frame's
    height: rows so tall that three do not fit a whole page are split as ReportLab would (moving
    them would only leave a page empty).
    """

    _full_height: float = 0.0
    #: The height of what must follow the table's last row on the same page (the register's
    #: statistics and signature lines): the last rows go over with it rather than leave it a
    #: page of its own. Only the part holding the last row keeps it (`split`).
    _tail: float = 0.0

    def _keeps_tail(self, availHeight: float) -> bool:  # noqa: N803
        """The whole table fits here but not with its tail, and its last rows can go over with
        the tail (three of them, under the header, fit a page with it)."""
        if not self._tail:
            return False
        heights = self._rowHeights
        header = self.repeatRows if isinstance(self.repeatRows, int) else 0
        if len(heights) - header < MIN_ROWS_TOGETHER:
            return False
        whole = sum(heights)
        last = sum(heights[:header]) + sum(heights[-MIN_ROWS_TOGETHER:])
        return whole <= availHeight < whole + self._tail and last + self._tail <= self._full_height

    def wrap(self, availWidth, availHeight):  # type: ignore[no-untyped-def]  # noqa: N803
        width, height = super().wrap(availWidth, availHeight)
        if self._keeps_tail(availHeight):
            return width, availHeight + 1  # not here whole: split, the last rows go over
        return width, height

    def split(self, availWidth, availHeight):  # type: ignore[no-untyped-def]  # noqa: N803
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2:
            parts[0]._tail = 0.0
        return parts

    def _getFirstPossibleSplitRowPosition(self, availHeight, ignoreSpans=0):  # type: ignore[no-untyped-def]  # noqa: N802, N803
        n: int = super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans)
        heights = self._rowHeights
        total = len(heights)
        header = self.repeatRows if isinstance(self.repeatRows, int) else 0
        if n >= total and self._keeps_tail(availHeight):
            n = total - MIN_ROWS_TOGETHER
            if n - header < MIN_ROWS_TOGETHER:  # too few would stay: all of it goes over
                return 0
            return n
        if n <= header or n >= total:
            return n

        def fits_a_page(first: int, last: int) -> bool:
            """Rows first..last-1 under the header fit on a whole page."""
            return sum(heights[:header]) + sum(heights[first:last]) <= self._full_height

        # Keep the last rows company: move some rows down to the next page, if they fit there.
        if total - n < MIN_ROWS_TOGETHER and fits_a_page(total - MIN_ROWS_TOGETHER, total):
            n = total - MIN_ROWS_TOGETHER
        # Too few rows would stay here: start on the next page, if at least three stay together
        # there. Rows so tall that the next page keeps fewer (it fits three, but the last rows
        # take some of them along) stay here: moving them would leave this page empty.
        too_few = n - header < MIN_ROWS_TOGETHER
        if too_few and availHeight < self._full_height - 1:
            return 0 if self._rows_on_a_page(header) - header >= MIN_ROWS_TOGETHER else n
        return n

    def _rows_on_a_page(self, first: int) -> int:
        """Where a whole page starting with row `first` (under the header) would end: as many
        rows as fit, fewer when the last rows then need company (the rule above)."""
        heights = self._rowHeights
        total = len(heights)
        header = self.repeatRows if isinstance(self.repeatRows, int) else 0
        room = self._full_height - sum(heights[:header])
        end = first
        while end < total and sum(heights[first : end + 1]) <= room:
            end += 1
        last = total - MIN_ROWS_TOGETHER
        if end < total and total - end < MIN_ROWS_TOGETHER and sum(heights[last:]) <= room:
            end = max(last, first)
        return end

    def _drawCell(self, cellval, cellstyle, pos, size):  # type: ignore[no-untyped-def]  # noqa: N802
        """A plain string cell drawn as ReportLab draws it, but each distinct line's text
        operators made once per document (`_CachedText`): a register draws the same
        statuses, dates and groups thousands of times. Anything else goes to ReportLab."""
        just = cellstyle.alignment
        if (
            not isinstance(cellval, str)
            or cellstyle.direction
            or cellstyle.shaping
            or just not in _CachedText.ALIGNS
            or not self.canv.bottomup
        ):
            return super()._drawCell(cellval, cellstyle, pos, size)
        canv = self.canv
        if self._curcellstyle is not cellstyle:  # as Table._drawCell sets the colour and font
            cur = self._curcellstyle
            if cur is None or cellstyle.color != cur.color:
                canv.setFillColor(cellstyle.color)
            if (
                cur is None
                or cellstyle.leading != cur.leading
                or cellstyle.fontname != cur.fontname
                or cellstyle.fontsize != cur.fontsize
            ):
                canv.setFont(cellstyle.fontname, cellstyle.fontsize, cellstyle.leading)
            self._curcellstyle = cellstyle
        colpos, rowpos = pos
        colwidth, rowheight = size
        if just == "LEFT":
            x = colpos + cellstyle.leftPadding
        elif just == "RIGHT":
            x = colpos + colwidth - cellstyle.rightPadding
        else:
            x = colpos + (colwidth + cellstyle.leftPadding - cellstyle.rightPadding) * 0.5
        lines = cellval.split("\n")
        leading, fontsize, valign = cellstyle.leading, cellstyle.fontsize, cellstyle.valign
        if valign == "BOTTOM":
            y = rowpos + cellstyle.bottomPadding + len(lines) * leading - fontsize
        elif valign == "TOP":
            y = rowpos + rowheight - cellstyle.topPadding - fontsize
        else:
            padding = cellstyle.bottomPadding + rowheight - cellstyle.topPadding
            y = rowpos + (padding + len(lines) * leading) / 2.0 - fontsize
        text = _CachedText.of(canv)
        for line in lines:
            text.draw(x, y, line, just)
            y -= leading
        return None


class _CachedText:
    """The text operators of `Canvas.drawString` (and its centred and right forms) for a line,
    made once per document and font, then only placed: `beginText(0, 0)`, `textLine`,
    `getCode` give "BT 1 0 0 1 0 0 Tm <the font and the text> ET"; a draw writes that with the
    line's own origin, exactly what ReportLab would have written (the font subset's codes of a
    character never change within a document)."""

    ALIGNS = ("LEFT", "RIGHT", "CENTRE", "CENTER")
    _ORIGIN = "BT 1 0 0 1 0 0 Tm"

    def __init__(self, canv: Any) -> None:
        self._canv = canv
        self._made: dict[tuple[str, str, float, float], tuple[float, str]] = {}

    @classmethod
    def of(cls, canv: Any) -> _CachedText:
        cached = canv.__dict__.get("_rs_cached_text")
        if cached is None or cached._canv is not canv:
            cached = canv._rs_cached_text = cls(canv)
        return cached

    def draw(self, x: float, y: float, line: str, just: str) -> None:
        canv = self._canv
        key = (line, canv._fontname, canv._fontsize, canv._leading)
        made = self._made.get(key)
        if made is None:
            text = canv.beginText(0, 0)
            text.textLine(line)
            code = text.getCode()
            width = stringWidth(line, canv._fontname, canv._fontsize)
            if not code.startswith(self._ORIGIN):  # never seen: draw it as ReportLab does
                made = (width, "")
            else:
                made = (width, code[len(self._ORIGIN) :])
            self._made[key] = made
        width, rest = made
        if just == "RIGHT":
            x -= width
        elif just != "LEFT":
            x -= 0.5 * width
        if not rest:
            text = canv.beginText(x, y)
            text.textLine(line)
            canv.drawText(text)
            return
        canv._code.append(f"BT 1 0 0 1 {fp_str(x, y)} Tm{rest}")


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    #: Relative width (the table takes the frame's whole width).
    weight: float
    align: int = TA_LEFT


@dataclass(frozen=True, slots=True)
class TableSection:
    """One table with its title block, as `build_table_document` takes it; several of them make
    one document (a month's rosters of every team), each starting on a new page."""

    title: str
    subtitle_lines: Sequence[str]
    columns: Sequence[Column]
    rows: Sequence[Sequence[str]]
    font_size: float = 9.0
    row_padding: float = 1.2 * mm
    form: bool = False
    widths: Sequence[float] | None = None
    closing: Sequence[Flowable] = ()
    title_size: float = 18.0
    #: Flowed after the table and before `closing` (continued text, such as long notes).
    after_table: Sequence[Flowable] = ()


def build_table_document(
    out: BinaryIO,
    *,
    title: str,
    subtitle_lines: Sequence[str],
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    pagesize: tuple[float, float],
    footer_left: str = "",
    font_size: float = 9.0,
    row_padding: float = 1.2 * mm,
    progress: ProgressFn | None = None,
    form: bool = False,
    widths: Sequence[float] | None = None,
    closing: Sequence[Flowable] = (),
    mark: str = "",
    title_size: float = 18.0,
    after_table: Sequence[Flowable] = (),
) -> int:
    """Write the document; returns its page count.

    `form` sets it in the official style: a black title and subtitle, a black ruled grid, no
    fill. `widths` (points) overrides the columns' weights; `closing` follows the table on the
    last page (kept together); `mark` is printed at the top right of every page."""
    section = TableSection(
        title,
        subtitle_lines,
        columns,
        rows,
        font_size,
        row_padding,
        form,
        widths,
        closing,
        title_size,
        after_table,
    )
    return build_table_sections(
        out, [section], pagesize=pagesize, footer_left=footer_left, progress=progress, mark=mark
    )


def build_table_sections(
    out: BinaryIO,
    sections: Sequence[TableSection],
    *,
    pagesize: tuple[float, float],
    footer_left: str = "",
    progress: ProgressFn | None = None,
    mark: str = "",
) -> int:
    """Write the sections one after the other, each from the top of a new page; returns the
    document's page count. The PDF's title is the first section's."""
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
        title=sections[0].title,
        author=_("Red Steward"),
        creator="Red Steward",
        invariant=1,
        pageTemplates=[PageTemplate(id="page", frames=[frame])],
    )
    pages: list[int] = [0]

    def page_done(n: int) -> None:
        pages[0] = n

    total = sum(len(section.rows) for section in sections) * 2
    done = 0
    story: list[Flowable] = []
    for number, section in enumerate(sections):
        if number:
            story.append(PageBreak())
        story.extend(_section_story(section, frame, progress, done, total))
        done += len(section.rows)
    try:
        doc.build(
            story,
            canvasmaker=canvas_maker(
                footer_left=footer_left, on_page_done=page_done, header_right=mark
            ),
        )
    except LayoutError as error:
        raise UserError(
            _(
                "A line of the table is too long to fit on one page. Shorten the "
                "longest text (an address or a note) and try again."
            )
        ) from error
    if progress is not None:
        progress(total, total)
    return pages[0]


def _section_story(
    section: TableSection,
    frame: Frame,
    progress: ProgressFn | None,
    done: int,
    total: int,
) -> list[Flowable]:
    font_size, form = section.font_size, section.form
    title_style = styles.title_style(section.title_size)
    if form:
        title_style.textColor = styles.INK
    story: list[Flowable] = [Paragraph(markup(section.title), title_style)]
    for line in section.subtitle_lines:
        color = styles.INK if form else styles.MUTED
        story.append(
            Paragraph(
                markup(line),
                styles.style(section.title_size * 10 / 18, align=TA_CENTER, color=color),
            )
        )
    story.append(Spacer(1, 4 * mm))
    columns = section.columns
    widths = section.widths
    if widths is None:
        total_weight = sum(c.weight for c in columns)
        widths = fit_words(
            [frame._width * c.weight / total_weight for c in columns],
            columns,
            section.rows,
            font_size,
        )
    header = [Paragraph(markup(c.title), styles.header_cell_style(font_size)) for c in columns]
    body = []
    cell_styles = {c.align: styles.cell_style(font_size, c.align) for c in columns}
    cell = _Cells()
    cells = [
        (cell_styles[c.align], w - PADDING - PADDING) for c, w in zip(columns, widths, strict=True)
    ]
    for index, row in enumerate(section.rows, start=1):
        body.append(
            [cell(value, style, room) for (style, room), value in zip(cells, row, strict=True)]
        )
        if progress is not None and index % 50 == 0:
            progress(done + index, total)
    # Rows grow with their text (fixed heights would let text spill out of the cell).
    tail = 0.0
    if section.closing and not section.after_table:
        tail = sum(
            f.wrap(frame._width, frame._height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
            for f in section.closing
        )
    table_class = type(
        "RowsTogether", (_RowsTogether,), {"_full_height": frame._height, "_tail": tail}
    )
    table = table_class([header, *body], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                # The leading and colour of `styles.cell_style`: plain string cells (`_Cells`)
                # are drawn by the table with these.
                ("FONT", (0, 0), (-1, -1), register_fonts(), font_size, font_size * 1.3),
                ("TEXTCOLOR", (0, 0), (-1, -1), styles.INK),
                ("GRID", (0, 0), (-1, -1), 0.5, styles.INK if form else styles.RULE),
                ("BOX", (0, 0), (-1, -1), 0.9, styles.INK),
                ("BACKGROUND", (0, 0), (-1, 0), None if form else styles.HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, 0), 0.9, styles.INK),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2 * mm),
                ("TOPPADDING", (0, 1), (-1, -1), section.row_padding),
                ("BOTTOMPADDING", (0, 1), (-1, -1), section.row_padding),
                *_align_commands(columns),
            ]
        )
    )
    story.append(table)
    story.extend(section.after_table)
    if section.closing:
        story.append(KeepTogether(list(section.closing)))
    return story
