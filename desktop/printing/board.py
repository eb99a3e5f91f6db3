# SPDX-License-Identifier: GPL-3.0-or-later
"""The commitment board (红色管家承诺公示 / 亮身份、作承诺): the sheet hung on the notice board.

Drawn directly on the canvas: a title naming the village and the year, a grid of cards (photo,
name, post, area, phone, commitment), and a footer inviting villagers' supervision with the
branch's phone, optionally with a QR code. Every commitment on a board is set in the same size:
the largest at which all of them fit, never below MIN_COMMITMENT_SIZE; a commitment that does
not fit even then is a `UserError` naming its steward. No ID number is ever on the data.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from desktop import i18n
from desktop.errors import UserError
from desktop.i18n import _, format_date
from desktop.models.documents.rows import BoardSteward, CommitmentBoardData
from desktop.printing import fonts, grid, styles
from desktop.printing.fit import (
    Fitted,
    TextLines,
    fits,
    largest_lines,
    largest_paragraph,
    largest_size,
    lay_out,
    line_size,
    markup,
)
from desktop.printing.fonts import draw_string, string_width
from desktop.printing.page import new_canvas
from desktop.printing.result import Rendered

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]

#: Readable from two metres: the floors every card keeps, and the sizes it grows to.
MIN_NAME_SIZE, MAX_NAME_SIZE = 24.0, 28.0
MIN_COMMITMENT_SIZE, MAX_COMMITMENT_SIZE = 14.0, 20.0
INFO_SIZE = 13.0
POST_SIZE = 16.0
#: A name longer than two lines at MIN_NAME_SIZE shrinks to this floor (it is never cut).
MIN_LONG_NAME_SIZE = 12.0
#: Cards one sheet holds at most: A3 for the village notice board, A4 for a door (one or two).
MAX_PER_SHEET = {"A3": 12, "A4": 2}
MIN_PHOTO_H = 25 * mm
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
    """Where things sit on a card of a given size (every card of a board has the same size)."""

    w: float
    h: float
    strip_h: float
    pad: float
    left_w: float
    photo_w: float
    photo_h: float
    name_h: float
    #: Columns of the board's grid (every sheet has the same, so cards line up).
    cols: int = 1

    @classmethod
    def of(cls, card_w: float, card_h: float) -> _Geometry | None:
        """The card's layout, or None when the photo would be too small to recognise anyone."""
        strip_h = 12 * mm
        pad = 4 * mm
        left_w = min(38 * mm, card_w * 0.3)
        name_h = 2 * MIN_NAME_SIZE * 1.12 + 1
        photo_h = min(card_h - strip_h - 2 * pad - name_h - 2 * mm, left_w / PHOTO_RATIO)
        if photo_h < MIN_PHOTO_H:
            return None
        return cls(card_w, card_h, strip_h, pad, left_w, photo_h * PHOTO_RATIO, photo_h, name_h)

    @property
    def right_w(self) -> float:
        return self.w - 3 * self.pad - self.left_w


def _commitment_markup(steward: BoardSteward) -> str:
    label = _("My commitment: ")
    return (
        f'<font color="#{styles.RED.hexval()[2:]}">{markup(label)}</font>'
        f"{markup(steward.commitment)}"
    )


def _commitment_pieces(steward: BoardSteward) -> tuple[tuple[styles.colors.Color, str], ...]:
    """`_commitment_markup` as coloured pieces for `largest_lines`."""
    text = "\n".join(line for line in steward.commitment.strip().splitlines())
    return ((styles.RED, _("My commitment: ")), (styles.INK, text))


def _commitment_leading(size: float) -> float:
    """`styles.style`'s leading, as the Paragraph of an English commitment has."""
    return round(size * 1.4, 2)


def _info_pieces(steward: BoardSteward) -> tuple[tuple[styles.colors.Color, str], ...]:
    """`_info_markup` as one piece for `lay_out`: the area, then the phone on its own line."""
    lines = [
        _("Serving: {area}").format(area=steward.area),
        _("Phone: {phone}").format(phone=steward.phone),
    ]
    return ((styles.INK, "\n".join(part for line in lines for part in line.strip().splitlines())),)


def _info_markup(steward: BoardSteward) -> str:
    return "<br/>".join(
        [
            markup(_("Serving: {area}").format(area=steward.area)),
            markup(_("Phone: {phone}").format(phone=steward.phone)),
        ]
    )


def _wraps_as_cjk(text: str) -> bool:
    """A steward's text wraps by character with 禁则 when it holds Chinese, in any language."""
    return i18n.language() != "en" or styles.has_cjk(text)


def _commitment_style(size: float, cjk: bool = True) -> ParagraphStyle:
    """`styles.style(size)`, made once per size and way of wrapping: a plan fits every card at
    several sizes, and a ParagraphStyle takes longer to make than a short Paragraph to wrap.
    Paragraphs never change their style; they share it."""
    return _style_of(size, None, TA_LEFT, "body", cjk)


def _info_style(cjk: bool = True) -> ParagraphStyle:
    return _style_of(INFO_SIZE, INFO_SIZE * 1.3, TA_LEFT, "body", cjk)


def _name_style(size: float, cjk: bool = True) -> ParagraphStyle:
    return _style_of(size, size * 1.1, TA_CENTER, "name", cjk)


@functools.lru_cache(maxsize=128)
def _style_of(
    size: float, leading: float | None, align: int, name: str, cjk: bool
) -> ParagraphStyle:
    return styles.style(size, leading=leading, align=align, name=name, cjk=cjk)


@dataclass(frozen=True, slots=True)
class CardText:
    """One steward's card, each text at the largest size its own box allows."""

    steward: BoardSteward
    name: Paragraph | TextLines
    name_size: float
    info: Paragraph | TextLines
    commitment: Paragraph | TextLines
    commitment_size: float


def card_text(g: _Geometry, steward: BoardSteward) -> CardText | None:
    """The card's texts, or None when its commitment does not fit at MIN_COMMITMENT_SIZE."""
    name = name_lines(steward.name, g.left_w, g.name_h, MAX_NAME_SIZE)
    info: Paragraph | TextLines
    if _wraps_as_cjk(steward.area):
        info = lay_out(_info_pieces(steward), g.right_w, INFO_SIZE, INFO_SIZE * 1.3)
        info_h = info.height
    else:
        info = Fitted(_info_markup(steward), _info_style(False))
        _w, info_h = info.wrap(g.right_w, g.h)
    box_h = g.h - g.strip_h - 2 * g.pad - info_h - 2 * mm
    commitment: Paragraph | TextLines | None
    if _wraps_as_cjk(steward.commitment):
        # Chinese: laid out by hand and drawn as plain lines (a Paragraph per size tried
        # cost most of the board's time), with the same breaks and 禁则.
        commitment = largest_lines(
            _commitment_pieces(steward),
            g.right_w,
            box_h,
            MAX_COMMITMENT_SIZE,
            MIN_COMMITMENT_SIZE,
            _commitment_leading,
        )
    else:
        commitment = largest_paragraph(
            _commitment_markup(steward),
            g.right_w,
            box_h,
            functools.partial(_commitment_style, cjk=False),
            MAX_COMMITMENT_SIZE,
            MIN_COMMITMENT_SIZE,
        )
    if commitment is None:
        return None
    return CardText(
        steward,
        name,
        name.size if isinstance(name, TextLines) else name.style.fontSize,
        info,
        commitment,
        commitment.size if isinstance(commitment, TextLines) else commitment.style.fontSize,
    )


def draw_card(canvas: Canvas, x: float, y: float, g: _Geometry, card: CardText) -> None:
    steward, w, h = card.steward, g.w, g.h
    canvas.saveState()
    canvas.setStrokeColor(styles.RED)
    canvas.setLineWidth(1.5 if steward.chief else 1.0)
    canvas.setFillColor(styles.PAPER_TINT)
    canvas.roundRect(x, y, w, h, 2 * mm, stroke=1, fill=1)
    # The red strip with the post: 总管家 / 第一党小组小管家.
    canvas.setFillColor(styles.DARK_RED if steward.chief else styles.RED)
    strip = canvas.beginPath()
    strip.roundRect(x, y + h - g.strip_h, w, g.strip_h, 2 * mm)
    canvas.drawPath(strip, stroke=0, fill=1)
    canvas.rect(x, y + h - g.strip_h, w, g.strip_h / 2, stroke=0, fill=1)
    post_size = line_size(steward.post, w - 2 * g.pad, POST_SIZE, 10) or 10
    canvas.setFillColor(styles.colors.white)
    draw_string(
        canvas,
        x + w / 2,
        y + h - g.strip_h / 2 - post_size * 0.36,
        _clip(steward.post, w - 2 * g.pad, post_size),
        post_size,
        "centre",
    )
    # Photo (or a silhouette) centred in the left column, and the name under it.
    top = y + h - g.strip_h - g.pad
    px = x + g.pad + (g.left_w - g.photo_w) / 2
    draw_photo(canvas, steward.photo, px, top - g.photo_h, g.photo_w, g.photo_h)
    name_top = top - g.photo_h - 2 * mm
    if isinstance(card.name, TextLines):
        name_h = card.name.height
        card.name.draw(canvas, x + g.pad, name_top - (g.name_h + name_h) / 2 + name_h)
    else:
        _w, name_h = card.name.wrap(g.left_w, g.name_h)
        card.name.drawOn(canvas, x + g.pad, name_top - (g.name_h + name_h) / 2)
    # Right column: area and phone, a rule, the commitment.
    rx = x + 2 * g.pad + g.left_w
    if isinstance(card.info, TextLines):
        info_h = card.info.height
        card.info.draw(canvas, rx, top)
    else:
        _w, info_h = card.info.wrap(g.right_w, h)
        card.info.drawOn(canvas, rx, top - info_h)
    rule_y = top - info_h - 1 * mm
    canvas.setStrokeColor(styles.RULE)
    canvas.setLineWidth(0.5)
    canvas.line(rx, rule_y, rx + g.right_w, rule_y)
    if isinstance(card.commitment, TextLines):
        card.commitment.draw(canvas, rx, rule_y - 1 * mm)
    else:
        _w, text_h = card.commitment.wrap(g.right_w, h)
        card.commitment.drawOn(canvas, rx, rule_y - 1 * mm - text_h)
    canvas.restoreState()


def name_lines(name: str, width: float, height: float, max_size: float) -> Paragraph | TextLines:
    """`name_paragraph`, as one plain line when the name fits one (as most do)."""
    size = line_size(name, width - 1, max_size, MIN_NAME_SIZE)
    if size is None or "\n" in name.strip():
        return name_paragraph(name, width, height, max_size)
    line = ((styles.INK, " ".join(name.split())),)
    return TextLines((line,), size, size * 1.1, centred_in=width)


def name_paragraph(name: str, width: float, height: float, max_size: float) -> Paragraph:
    """A steward's name, centred, as large as fits `width` × `height`: one line if it can, else
    two (a long name wraps; it is never cut)."""
    text = markup(name)
    style_of = functools.partial(_name_style, cjk=_wraps_as_cjk(name))
    # One line if the name fits at a readable size, else two lines (never cut).
    size = line_size(name, width - 1, max_size, MIN_NAME_SIZE) or largest_size(
        text, width, height, style_of, max_size, MIN_LONG_NAME_SIZE
    )
    if size is None:
        raise UserError(_("The name {name} is too long for the board.").format(name=name))
    return Paragraph(text, style_of(size))


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
    text = board_title(data)
    if data.draft:
        text = _("{title} (draft)").format(title=text)
    title = Paragraph(markup(text), styles.title_style(size))
    title.wrap(avail, size * 3)
    motto = Paragraph(
        markup(_("Show who we are · Make our pledge · Accept supervision")),
        styles.style(size * 0.45, align=TA_CENTER, color=styles.DARK_RED),
    )
    motto.wrap(avail, size)
    return title, motto


def _header_height(header: tuple[Paragraph, Paragraph]) -> float:
    title, motto = header
    return float(title.height + motto.height + 1.5 * mm + 2 * mm + 1.2 * mm + 4 * mm)


def _draw_header(
    canvas: Canvas, header: tuple[Paragraph, Paragraph], width: float, top: float
) -> float:
    """Title and motto (`_header`, made once for every sheet); returns the y under the rule."""
    title, motto = header
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


def _footer_lines(data: CommitmentBoardData) -> list[str]:
    """The supervision lines: 公示期, the branch's phone, the town's when known."""
    lines = []
    if data.posted_from and data.posted_until:
        lines.append(
            _("Posted for objections from {start} to {end}.").format(
                start=format_date(data.posted_from), end=format_date(data.posted_until)
            )
        )
    lines.append(
        _(
            "Villagers are welcome to supervise how the stewards keep their commitments. "
            "Supervision phone: {phone}"
        ).format(phone=data.branch_phone)
    )
    if data.town_phone:
        lines.append(
            _("Supervision phone of the {town} party committee: {phone}").format(
                town=data.town, phone=data.town_phone
            )
        )
    return lines


def _signature_lines(data: CommitmentBoardData) -> list[str]:
    """落款: the branch with a place for its seal, and the date."""
    return [_("{branch} (seal)").format(branch=data.branch_name), format_date(data.printed_on)]


def _footer_height(data: CommitmentBoardData, size: float, qr: bool) -> float:
    text_h = size * 1.4 * max(len(_footer_lines(data)) + 1, 3) + 4 * mm
    return float(max(size * 2.6 * mm if qr else 0, text_h))


@dataclass(frozen=True, slots=True)
class _Footer:
    """The footer band of every sheet, laid out once: the supervision lines on the left, the
    落款 on the right, a QR code at the far right when asked for."""

    data: CommitmentBoardData
    width: float
    bottom: float
    band_h: float
    qr: bool
    issuer: Paragraph
    issuer_w: float
    invite: Paragraph

    @classmethod
    def of(
        cls,
        data: CommitmentBoardData,
        width: float,
        bottom: float,
        band_h: float,
        size: float,
        qr: bool,
    ) -> _Footer:
        left, right = styles.MARGIN, width - styles.MARGIN
        if qr:
            right -= band_h + 4 * mm
        signature = _signature_lines(data)
        issuer_w = min(max(string_width(t, size) for t in signature) + 2 * mm, (right - left) * 0.4)
        issuer = Paragraph(markup("\n".join(signature)), styles.style(size, align=TA_RIGHT))
        issuer.wrap(issuer_w, band_h)
        avail = right - left - issuer_w - 8 * mm
        invite = Paragraph(markup("\n".join(_footer_lines(data))), styles.style(size))
        if not fits(invite, avail, band_h):
            invite = Paragraph(invite.text, styles.style(size * 0.85))
        invite.wrap(avail, band_h)
        return cls(data, width, bottom, band_h, qr, issuer, issuer_w, invite)

    def draw(self, canvas: Canvas) -> None:
        bottom, band_h = self.bottom, self.band_h
        left, right = styles.MARGIN, self.width - styles.MARGIN
        if self.qr:
            draw_qr(canvas, vcard_text(self.data), right - band_h, bottom, band_h)
            right -= band_h + 4 * mm
        canvas.saveState()
        canvas.setStrokeColor(styles.RED)
        canvas.setLineWidth(0.6)
        canvas.line(left, bottom + band_h, right, bottom + band_h)
        canvas.restoreState()
        # Room below the name and date for the seal, which is stamped over them.
        self.issuer.drawOn(
            canvas, right - self.issuer_w, bottom + band_h - 3 * mm - self.issuer.height
        )
        self.invite.drawOn(canvas, left, bottom + band_h - 2 * mm - self.invite.height)


def _draw_draft_mark(canvas: Canvas, width: float, height: float) -> None:
    """草稿 across the sheet: a draft for the branch meeting is never mistaken for the board."""
    canvas.saveState()
    canvas.setFillColor(styles.colors.Color(0.8, 0.1, 0.1, alpha=0.12))
    canvas.translate(width / 2, height / 2)
    canvas.rotate(30)
    draw_string(canvas, 0, 0, _("DRAFT"), min(width, height) * 0.3, "centre")
    canvas.restoreState()


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


def plan(
    stewards: tuple[BoardSteward, ...], paper: str, area_w: float, area_h: float
) -> tuple[_Geometry, list[CardText], list[int]]:
    """How many cards a sheet holds: the most at which every card keeps its readable sizes.

    Every sheet uses the card size of the fullest one, so all cards of a board look alike; each
    card's commitment is set at the largest size its own box allows. A commitment that does not
    fit even one card to a sheet is a `UserError` naming its steward.
    """
    most = min(len(stewards), MAX_PER_SHEET.get(paper.upper(), 2))
    chief = stewards[0].chief
    # The longest commitments first: a card size too small for one fails before the others are
    # set (the cards are the same whatever the order).
    order = sorted(range(len(stewards)), key=lambda i: -len(stewards[i].commitment))
    for per_sheet in range(most, 0, -1):
        counts = grid.split(len(stewards), per_sheet)
        # The chief alone on top: first in a grid with a row to himself on the first sheet (as
        # many sheets as without), else in the plain grid with the first sheet holding fewer.
        grids = [(grid.best_grid(max(counts), area_w, area_h, lead_alone=chief), False)]
        if chief:
            grids.append((grid.best_grid(max(counts), area_w, area_h), True))
        failed: tuple[_Geometry, dict[int, CardText | None]] | None = None
        for card_grid, first_holds_fewer in grids:
            geometry = _Geometry.of(card_grid.card_w, card_grid.card_h)
            if geometry is None:
                continue
            geometry = dataclasses.replace(geometry, cols=card_grid.cols)
            # Card by card, stopping at the first that does not fit this size.
            made: dict[int, CardText | None] = {}
            for i in order:
                made[i] = card_text(geometry, stewards[i])
                if made[i] is None:
                    break
            if len(made) < len(stewards) or made[order[-1]] is None:
                failed = (geometry, made)
                continue
            if first_holds_fewer:
                counts = _chief_alone(len(stewards), counts, card_grid, area_h)
            cards = [made[i] for i in range(len(stewards))]
            return geometry, [c for c in cards if c is not None], counts
        if per_sheet == 1 and failed is not None:
            # The first steward in the board's order whose commitment does not fit.
            geometry, made = failed
            steward = next(
                s
                for i, s in enumerate(stewards)
                if (made[i] if i in made else card_text(geometry, s)) is None
            )
            raise UserError(
                _(
                    "The commitment of {name} is too long to fit on the board "
                    "({length} characters). Shorten it, or print on A3 paper, and try again."
                ).format(name=steward.name, length=len(steward.commitment))
            )
    raise UserError(_("The paper is too small for the board."))


def _chief_alone(n: int, counts: list[int], card_grid: grid.Grid, area_h: float) -> list[int]:
    """The cards per sheet when the chief steward stands alone in the top row of the first sheet:
    the first sheet holds the chief and as many full rows below as the sheet has room for (at
    most as many cards as the fullest sheet), the rest are shared out as before."""
    rows_fit = max(1, int((area_h + grid.GAP + 1e-6) // (card_grid.card_h + grid.GAP)))
    first = min(n, max(counts), 1 + (rows_fit - 1) * card_grid.cols)
    if first == n:
        return [n]
    return [first, *grid.split(n - first, max(counts))]


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
    footer_size = 13.0 if is_large else 11.0
    header = _header(data, width, title_size)
    header_bottom = height - styles.MARGIN - _header_height(header)
    band_h = _footer_height(data, footer_size, qr)
    footer = _Footer.of(data, width, styles.MARGIN, band_h, footer_size, qr)
    area_x, area_w = styles.MARGIN, width - 2 * styles.MARGIN
    area_y = styles.MARGIN + band_h + 4 * mm
    area_h = header_bottom - area_y
    geometry, cards, counts = plan(data.stewards, paper, area_w, area_h)
    lead_alone = data.stewards[0].chief
    cols = geometry.cols

    canvas = new_canvas(out, (width, height), board_title(data))
    done, total = 0, len(data.stewards)
    for sheet, count in enumerate(counts):
        if data.draft:
            _draw_draft_mark(canvas, width, height)
        _draw_header(canvas, header, width, height - styles.MARGIN)
        # The fullest sheet's columns on every sheet: the cards line up from sheet to sheet.
        sheet_grid = grid.Grid(cols, math.ceil(count / cols), geometry.w, geometry.h)
        # The chief steward alone on top of the first sheet, the group stewards in rows below.
        for x, y in grid.positions(
            count,
            sheet_grid,
            area_x,
            area_y,
            area_w,
            area_h,
            top_aligned=len(counts) > 1,
            lead_alone=lead_alone and sheet == 0,
        ):
            draw_card(canvas, x, y, geometry, cards[done])
            done += 1
            if progress is not None:
                progress(done, total)
        footer.draw(canvas)
        canvas.showPage()
    canvas.save()
    return Rendered(pages=len(counts))
