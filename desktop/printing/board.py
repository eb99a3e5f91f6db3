# SPDX-License-Identifier: GPL-3.0-or-later
"""The commitment board (红色管家承诺公示 / 亮身份、作承诺): the sheet hung on the notice board.

Drawn directly on the canvas: a title naming the village and the year, a grid of cards (photo,
name, post, area, phone, commitment), and a footer inviting villagers' supervision with the
branch's phone, optionally with a QR code. Every commitment on a board is set in the same size:
the largest at which all of them fit, never below MIN_COMMITMENT_SIZE; a commitment that does
not fit even then is a `UserError` naming its steward. No ID number is ever on the data.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from desktop.errors import UserError
from desktop.i18n import _, format_date
from desktop.models.documents.rows import BoardSteward, CommitmentBoardData
from desktop.printing import fonts, grid, styles
from desktop.printing.fit import fits, largest_size, line_size, markup
from desktop.printing.fonts import draw_string, string_width
from desktop.printing.page import new_canvas
from desktop.printing.result import Rendered

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]

MIN_COMMITMENT_SIZE = 7.0
MIN_INFO_SIZE = 6.5
#: 一寸照 proportions (25 × 35 mm).
PHOTO_RATIO = 25 / 35
#: vCard escapes a line break inside a value as backslash-n.
VCARD_NEWLINE = "\\n"


def board_title(data: CommitmentBoardData) -> str:
    return _("{village} red stewards' commitments for {year}").format(
        village=data.village, year=data.year
    )


def vcard_text(data: CommitmentBoardData, limit: int = 700) -> str:
    """The board as a vCard-like text for the QR code: the branch, then each steward's line.

    Commitments are left out: thirteen of them overflow a QR code a phone can still read from
    a printed sheet, and so is a steward's phone when it is the branch's. Lines that still do
    not fit `limit` bytes are dropped from the end.
    """
    name = data.branch_name
    lines = [board_title(data)]
    lines += [
        f"{s.post} {s.name}" + (f" {s.phone}" if s.phone != data.branch_phone else "")
        for s in data.stewards
    ]
    while True:
        head = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", f"TEL;TYPE=WORK:{data.branch_phone}"]
        note = ["NOTE:" + VCARD_NEWLINE.join(lines)] if lines else []
        text = "\n".join([*head, *note, "END:VCARD"])
        if len(text.encode("utf-8")) <= limit or (not lines and not name):
            return text
        if lines:
            lines.pop()
        else:
            name = name[:-1]


@dataclass(frozen=True, slots=True)
class _Geometry:
    """Sizes shared by every card of a board, derived from the card size."""

    strip_h: float
    pad: float
    photo_w: float
    photo_h: float
    name_h: float
    info_max: float
    commitment_max: float

    @classmethod
    def of(cls, card_w: float, card_h: float) -> _Geometry:
        scale = card_h / (52 * mm)
        strip_h = min(max(card_h * 0.14, 6 * mm), 11 * mm)
        pad = min(max(card_w * 0.03, 2.5 * mm), 5 * mm)
        name_h = min(max(card_h * 0.13, 5.5 * mm), 11 * mm)
        photo_h = card_h - strip_h - 2 * pad - name_h
        photo_w = min(photo_h * PHOTO_RATIO, card_w * 0.3)
        photo_h = photo_w / PHOTO_RATIO
        return cls(
            strip_h,
            pad,
            photo_w,
            photo_h,
            name_h,
            info_max=min(max(8.5 * scale, 8.0), 13.0),
            commitment_max=min(max(12.0 * scale, 9.0), 16.0),
        )


def _commitment_markup(steward: BoardSteward) -> str:
    label = _("My commitment: ")
    return (
        f'<font color="#{styles.RED.hexval()[2:]}">{markup(label)}</font>'
        f"{markup(steward.commitment)}"
    )


def _info_markup(steward: BoardSteward) -> str:
    return "<br/>".join(
        [
            markup(_("Serving: {area}").format(area=steward.area)),
            markup(_("Phone: {phone}").format(phone=steward.phone)),
        ]
    )


class _Card:
    def __init__(self, geometry: _Geometry, card_w: float, card_h: float) -> None:
        self.g, self.w, self.h = geometry, card_w, card_h
        self.right_w = card_w - 3 * geometry.pad - geometry.photo_w

    def info_size(self, steward: BoardSteward) -> float:
        """Area and phone: each on one line if a slightly smaller size allows, else wrapped."""
        g = self.g
        one_line = [
            line_size(text, self.right_w, g.info_max, MIN_INFO_SIZE + 1)
            for text in (
                _("Serving: {area}").format(area=steward.area),
                _("Phone: {phone}").format(phone=steward.phone),
            )
        ]
        if all(size is not None for size in one_line):
            return min(size for size in one_line if size is not None)
        size = largest_size(
            _info_markup(steward),
            self.right_w,
            3 * g.info_max * 1.4,
            styles.style,
            g.info_max,
            MIN_INFO_SIZE,
        )
        if size is None:
            raise UserError(
                _(
                    "The area or phone of {name} is too long for the board. "
                    "Shorten it and print again."
                ).format(name=steward.name)
            )
        return size

    def commitment_box_h(self, steward: BoardSteward, info_size: float) -> float:
        info = Paragraph(_info_markup(steward), styles.style(info_size))
        _w, info_h = info.wrap(self.right_w, self.h)
        return float(self.h - self.g.strip_h - 2 * self.g.pad - info_h - 2 * mm)

    def draw(
        self,
        canvas: Canvas,
        x: float,
        y: float,
        steward: BoardSteward,
        info_size: float,
        commitment_size: float,
    ) -> None:
        g, w, h = self.g, self.w, self.h
        canvas.saveState()
        canvas.setStrokeColor(styles.RED)
        canvas.setLineWidth(1.2 if steward.chief else 0.8)
        canvas.setFillColor(styles.PAPER_TINT)
        canvas.roundRect(x, y, w, h, 2 * mm, stroke=1, fill=1)
        # The red strip with the post: 总管家 / 第一党小组小管家.
        canvas.setFillColor(styles.DARK_RED if steward.chief else styles.RED)
        strip = canvas.beginPath()
        strip.roundRect(x, y + h - g.strip_h, w, g.strip_h, 2 * mm)
        canvas.drawPath(strip, stroke=0, fill=1)
        canvas.rect(x, y + h - g.strip_h, w, g.strip_h / 2, stroke=0, fill=1)
        post_size = (
            line_size(steward.post, w - 2 * g.pad, g.strip_h * 0.55 / 0.9 * 0.9, MIN_INFO_SIZE)
            or MIN_INFO_SIZE
        )
        canvas.setFillColor(styles.colors.white)
        draw_string(
            canvas,
            x + w / 2,
            y + h - g.strip_h / 2 - post_size * 0.36,
            _clip(steward.post, w - 2 * g.pad, post_size),
            post_size,
            "centre",
        )
        # Photo (or a silhouette), and the name under it.
        px, py = x + g.pad, y + h - g.strip_h - g.pad - g.photo_h
        draw_photo(canvas, steward.photo, px, py, g.photo_w, g.photo_h)
        name = name_paragraph(steward.name, g.photo_w + g.pad, g.name_h, g.name_h * 0.8)
        _w, name_h = name.wrap(g.photo_w + g.pad, g.name_h)
        name.drawOn(canvas, px - g.pad / 2, y + g.pad + (g.name_h - name_h) / 2)
        # Right column: area and phone, a rule, the commitment.
        rx = px + g.photo_w + g.pad
        top = y + h - g.strip_h - g.pad
        info = Paragraph(_info_markup(steward), styles.style(info_size))
        _w, info_h = info.wrap(self.right_w, h)
        info.drawOn(canvas, rx, top - info_h)
        rule_y = top - info_h - 1 * mm
        canvas.setStrokeColor(styles.RULE)
        canvas.setLineWidth(0.4)
        canvas.line(rx, rule_y, rx + self.right_w, rule_y)
        text = Paragraph(_commitment_markup(steward), styles.style(commitment_size))
        _w, text_h = text.wrap(self.right_w, h)
        text.drawOn(canvas, rx, rule_y - 1 * mm - text_h)
        canvas.restoreState()


def name_paragraph(name: str, width: float, height: float, max_size: float) -> Paragraph:
    """A steward's name, centred, as large as fits `width` × `height`: one line if it can, else
    two (a long name wraps; it is never cut)."""

    def make(size: float) -> ParagraphStyle:
        return styles.style(size, leading=size * 1.1, align=TA_CENTER, name="name")

    text = markup(name)
    size = largest_size(text, width, height, make, max_size, MIN_INFO_SIZE)
    if size is None:
        raise UserError(_("The name {name} is too long for the board.").format(name=name))
    return Paragraph(text, make(size))


def _clip(text: str, width: float, size: float) -> str:
    """A last guard for the post (never a name) already shrunk to the floor: cut, not overflow."""
    while text and string_width(text, size) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text


def draw_photo(canvas: Canvas, photo: bytes | None, x: float, y: float, w: float, h: float) -> None:
    canvas.saveState()
    clip = canvas.beginPath()
    clip.rect(x, y, w, h)
    canvas.clipPath(clip, stroke=0, fill=0)
    drawn = False
    if photo:
        from reportlab.lib.utils import ImageReader

        try:
            canvas.drawImage(
                ImageReader(io.BytesIO(photo)),
                x,
                y,
                w,
                h,
                preserveAspectRatio=True,
                anchor="c",
                mask="auto",
            )
            drawn = True
        except Exception:  # a damaged photo must not stop the board
            log.warning("could not draw a steward's photo", exc_info=True)
    if not drawn:
        canvas.setFillColor(styles.colors.HexColor("#E4E4E4"))
        canvas.rect(x, y, w, h, stroke=0, fill=1)
        canvas.setFillColor(styles.colors.HexColor("#B5B5B5"))
        canvas.circle(x + w / 2, y + h * 0.62, w * 0.21, stroke=0, fill=1)
        canvas.ellipse(x + w * 0.12, y - h * 0.22, x + w * 0.88, y + h * 0.42, stroke=0, fill=1)
    canvas.restoreState()
    canvas.saveState()
    canvas.setStrokeColor(styles.RULE)
    canvas.setLineWidth(0.5)
    canvas.rect(x, y, w, h, stroke=1, fill=0)
    canvas.restoreState()


def _header(data: CommitmentBoardData, width: float, size: float) -> tuple[Paragraph, Paragraph]:
    avail = width - 2 * styles.MARGIN
    title = Paragraph(markup(board_title(data)), styles.title_style(size))
    title.wrap(avail, size * 3)
    motto = Paragraph(
        markup(_("Show who we are · Make our pledge · Accept supervision")),
        styles.style(size * 0.45, align=TA_CENTER, color=styles.DARK_RED),
    )
    motto.wrap(avail, size)
    return title, motto


def _header_height(data: CommitmentBoardData, width: float, size: float) -> float:
    title, motto = _header(data, width, size)
    return float(title.height + motto.height + 1.5 * mm + 2 * mm + 1.2 * mm + 4 * mm)


def _draw_header(
    canvas: Canvas, data: CommitmentBoardData, width: float, top: float, size: float
) -> float:
    """Title and motto; returns the y under the header's rule."""
    title, motto = _header(data, width, size)
    title.drawOn(canvas, styles.MARGIN, top - title.height)
    y = top - title.height - 1.5 * mm
    motto.drawOn(canvas, styles.MARGIN, y - motto.height)
    y -= motto.height + 2 * mm
    canvas.saveState()
    canvas.setStrokeColor(styles.RED)
    canvas.setLineWidth(1.6)
    canvas.line(styles.MARGIN, y, width - styles.MARGIN, y)
    canvas.setLineWidth(0.5)
    canvas.line(styles.MARGIN, y - 1.2 * mm, width - styles.MARGIN, y - 1.2 * mm)
    canvas.restoreState()
    return float(y - 1.2 * mm - 4 * mm)


def _footer_height(size: float, qr: bool) -> float:
    return float(max(size * 2.6 * mm if qr else 0, size * 2.2 + 4 * mm))


def _draw_footer(
    canvas: Canvas,
    data: CommitmentBoardData,
    width: float,
    bottom: float,
    band_h: float,
    size: float,
    qr: bool,
) -> None:
    left, right = styles.MARGIN, width - styles.MARGIN
    if qr:
        draw_qr(canvas, vcard_text(data), right - band_h, bottom, band_h)
        right -= band_h + 4 * mm
    canvas.saveState()
    canvas.setStrokeColor(styles.RED)
    canvas.setLineWidth(0.6)
    canvas.line(left, bottom + band_h, right, bottom + band_h)
    canvas.restoreState()
    invite = Paragraph(
        markup(
            _(
                "Villagers are welcome to supervise how the stewards keep their commitments. "
                "Supervision phone: {phone}"
            ).format(phone=data.branch_phone)
        ),
        styles.style(size),
    )
    issuer = Paragraph(
        markup(f"{data.branch_name}\n{format_date(data.printed_on)}"), styles.style(size, align=2)
    )
    issuer_w = min(
        max(string_width(t, size) for t in (data.branch_name, format_date(data.printed_on)))
        + 2 * mm,
        (right - left) * 0.35,
    )
    _w, ih = issuer.wrap(issuer_w, band_h)
    issuer.drawOn(canvas, right - issuer_w, bottom + band_h - 2 * mm - ih)
    avail = right - left - issuer_w - 6 * mm
    if not fits(invite, avail, band_h):
        invite = Paragraph(invite.text, styles.style(size * 0.8))
    _w, vh = invite.wrap(avail, band_h)
    invite.drawOn(canvas, left, bottom + band_h - 2 * mm - vh)


def draw_qr(canvas: Canvas, text: str, x: float, y: float, size: float) -> None:
    """The QR code's modules as filled squares (ReportLab's widget would name Helvetica)."""
    from reportlab.graphics.barcode import qrencoder

    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(text)
    qr.make()
    count, border = qr.getModuleCount(), 2
    box = size / (count + 2 * border)
    canvas.saveState()
    canvas.setFillColor(styles.colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(styles.colors.black)
    for r, row in enumerate(qr.modules):
        for c, dark in enumerate(row):
            if dark:
                canvas.rect(
                    x + (c + border) * box,
                    y + size - (r + border + 1) * box,
                    box,
                    box,
                    stroke=0,
                    fill=1,
                )
    canvas.restoreState()


def render_commitment_board(
    data: CommitmentBoardData,
    out: BinaryIO,
    *,
    paper: str = "A3",
    landscape: bool = True,
    qr: bool = False,
    progress: ProgressFn | None = None,
) -> Rendered:
    """Write the board as PDF to `out`; one sheet when it holds every card, else several."""
    if not data.stewards:
        raise UserError(
            _("There are no stewards with a commitment for {year} to print.").format(year=data.year)
        )
    fonts.check(
        [
            (_("The title"), board_title(data)),
            (_("The branch"), data.branch_name + data.branch_phone),
        ]
        + [(s.name, f"{s.name}{s.post}{s.area}{s.phone}{s.commitment}") for s in data.stewards]
    )
    width, height = styles.page_size(paper, landscape)
    is_large = min(width, height) > 700
    title_size = 30.0 if is_large else 22.0
    footer_size = 11.0 if is_large else 9.0
    header_bottom = height - styles.MARGIN - _header_height(data, width, title_size)
    band_h = _footer_height(footer_size, qr)
    area_x, area_w = styles.MARGIN, width - 2 * styles.MARGIN
    area_y = styles.MARGIN + band_h + 4 * mm
    area_h = header_bottom - area_y
    per_sheet = grid.capacity(area_w, area_h)
    counts = grid.split(len(data.stewards), per_sheet)
    grids = [grid.best_grid(n, area_w, area_h) for n in counts]
    # One geometry (the smallest sheet's cards) so that every card on every sheet looks alike.
    smallest = min(grids, key=lambda g: g.card_h)
    geometry = _Geometry.of(smallest.card_w, smallest.card_h)
    card = _Card(geometry, smallest.card_w, smallest.card_h)

    # One size for every card's area and phone, as for the commitments: the board reads evenly.
    info_sizes = [min(card.info_size(s) for s in data.stewards)] * len(data.stewards)
    commitment_size = geometry.commitment_max
    for steward, info_size in zip(data.stewards, info_sizes, strict=True):
        box_h = card.commitment_box_h(steward, info_size)
        size = largest_size(
            _commitment_markup(steward),
            card.right_w,
            box_h,
            styles.style,
            commitment_size,
            MIN_COMMITMENT_SIZE,
        )
        if size is None:
            raise UserError(
                _(
                    "The commitment of {name} is too long to fit on the board "
                    "({length} characters). "
                    "Shorten it, or print on A3 paper, and try again."
                ).format(name=steward.name, length=len(steward.commitment))
            )
        commitment_size = size

    canvas = new_canvas(out, (width, height), board_title(data))
    done, total = 0, len(data.stewards)
    for count, sheet_grid in zip(counts, grids, strict=True):
        _draw_header(canvas, data, width, height - styles.MARGIN, title_size)
        sheet_grid = grid.Grid(sheet_grid.cols, sheet_grid.rows, card.w, card.h)
        for x, y in grid.positions(
            count, sheet_grid, area_x, area_y, area_w, area_h, top_aligned=len(counts) > 1
        ):
            steward = data.stewards[done]
            card.draw(canvas, x, y, steward, info_sizes[done], commitment_size)
            done += 1
            if progress is not None:
                progress(done, total)
        _draw_footer(canvas, data, width, styles.MARGIN, band_h, footer_size, qr)
        canvas.showPage()
    canvas.save()
    return Rendered(pages=len(counts))
