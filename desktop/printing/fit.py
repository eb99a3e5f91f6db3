# SPDX-License-Identifier: GPL-3.0-or-later
"""Fitting text into a box: wrap first, then shrink in half-point steps, never past a floor.

Nothing is ever drawn outside its box: a text that does not fit at the smallest size is reported
(None), and the template turns that into a `UserError` naming the item.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from desktop.printing import fonts
from desktop.printing.styles import CANNOT_START_LINE

STEP = 0.5


def markup(text: str) -> str:
    """Plain text as Paragraph markup: escaped, line breaks kept, rare characters in the
    fallback face that has them (`fonts.markup`)."""
    return "<br/>".join(fonts.markup(line) for line in text.strip().splitlines())


class Fitted(Paragraph):
    """A Paragraph that remembers its last wrap: wrapped again at the same width (a card's text
    is measured while fitting, then wrapped once more to be drawn) it keeps its lines instead
    of breaking them again. Its lines do not depend on the height offered."""

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth, availHeight):  # type: ignore[no-untyped-def]  # noqa: N803
        if self._wrapped is not None and self._wrapped[0] == availWidth:
            return self._wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size


def fits(paragraph: Paragraph, width: float, height: float) -> bool:
    _w, h = paragraph.wrap(width, height)
    return bool(h <= height + 0.01)


def largest_size(
    text: str,
    width: float,
    height: float,
    make_style: Callable[[float], ParagraphStyle],
    max_size: float,
    min_size: float,
) -> float | None:
    found = largest_paragraph(text, width, height, make_style, max_size, min_size)
    return None if found is None else float(found.style.fontSize)


def largest_paragraph(
    text: str,
    width: float,
    height: float,
    make_style: Callable[[float], ParagraphStyle],
    max_size: float,
    min_size: float,
) -> Fitted | None:
    """`text` as a Paragraph at `largest_size`, already wrapped at `width`, or None.

    The largest size in [min_size, max_size] (half-point steps, down from `max_size`) at which
    `text` fits.

    Found by a guess and then halving the range rather than by trying every step: a text set
    larger is never shorter (its lines hold fewer characters and are further apart), so the
    sizes that fit are the ones below some size, and a few Paragraphs find it (a board tries
    every card at each card size its plan considers)."""
    if max_size < min_size - 1e-6:
        return None
    steps = int((max_size - min_size + 1e-6) // STEP)  # sizes: max_size - k * STEP, k = 0..steps

    tried: dict[int, Fitted] = {}

    def fits_at(k: int) -> bool:
        tried[k] = Fitted(text, make_style(max_size - k * STEP))
        return fits(tried[k], width, height)

    if fits_at(0):
        return tried[0]
    if steps == 0:
        return None
    # The search starts from a guess: a text's height grows about as its size squared (more
    # lines, each taller), so the size that fits is near max_size * sqrt(room / height). Most
    # texts are settled by the guess and the step above it.
    too_big, fitting = 0, steps
    estimate = max_size * math.sqrt(height / max(tried[0].height, 1e-6))
    guess = min(max(math.ceil((max_size - estimate) / STEP - 1e-6), 1), steps)
    if fits_at(guess):
        fitting = guess
        if guess - 1 > too_big and not fits_at(guess - 1):
            too_big = guess - 1
    else:
        too_big = guess
        if guess == steps or not fits_at(steps):
            return None
    while fitting - too_big > 1:
        middle = (too_big + fitting) // 2
        if fits_at(middle):
            fitting = middle
        else:
            too_big = middle
    return tried[fitting]


def line_size(text: str, width: float, max_size: float, min_size: float) -> float | None:
    """The largest size at which `text` fits `width` on one line."""
    size = max_size
    while size >= min_size - 1e-6:
        if fonts.string_width(text, size) <= width:
            return size
        size -= STEP
    return None


#: cjkFragSplit's tolerance: a line may be this much wider than its box.
_FUZZ = 1e-6


@functools.lru_cache(maxsize=1 << 14)
def _char_width(ch: str) -> float:
    """The width of `ch` at 1 pt (in its face: the main one or its fallback)."""
    return fonts.string_width(ch, 1.0)


@dataclass(frozen=True, slots=True)
class TextLines:
    """Chinese text broken into lines by hand, for a canvas text object: what a CJK Paragraph
    does (break between any two characters, 禁则, one closing mark may hang in the margin), at a
    fraction of its cost. Each line is (colour, text) pieces; a piece switches faces per run of
    rare characters when drawn. The first baseline is `size` under the top, as a Paragraph's."""

    lines: tuple[tuple[tuple[Color, str], ...], ...]
    size: float
    leading: float
    #: Each line centred in this width (from the x drawn at), else left-aligned.
    centred_in: float | None = None

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading

    def draw(self, canvas: Canvas, x: float, top: float) -> None:
        text = canvas.beginText(x, top - self.size)
        text.setLeading(self.leading)
        face = None
        for line in self.lines:
            if self.centred_in is not None:
                used = sum(fonts.string_width(piece, self.size) for _c, piece in line)
                text.setTextOrigin(x + (self.centred_in - used) / 2, text.getY())
            for colour, piece in line:
                text.setFillColor(colour)
                for run_face, chunk in fonts.runs(piece):
                    if run_face != face:
                        text.setFont(run_face, self.size, self.leading)
                        face = run_face
                    text.textOut(chunk)
            text.textLine("")
        canvas.drawText(text)


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x3000


def break_lines(text: str, width: float, size: float) -> list[tuple[int, int]]:
    """Where `text` (one paragraph, no line breaks) breaks at `width`: (start, end) of each line.

    Any two Chinese characters may part; a closing mark (`styles.CANNOT_START_LINE`) never
    starts a line: one that overflows hangs in the margin (as ReportLab's CJK wrap does), and
    when two would, the character before them comes down with them. A run of Latin letters or
    digits overflowing goes down from its last space or Chinese character (within half the
    line), as ReportLab does, so a phone number stays whole."""
    closing = CANNOT_START_LINE
    lines: list[tuple[int, int]] = []
    n, start, used, i = len(text), 0, 0.0, 0
    limit = width / size + _FUZZ  # in 1-pt widths: one multiplication per line, not per char
    while i < n:
        used += _char_width(text[i])
        if used <= limit or i == start:
            i += 1
            continue
        end = i  # text[i] overflows: the line ends before it, unless...
        if not _is_cjk(text[i]):
            for j in range(i - 1, (start + i) // 2, -1):
                if text[j] == " " or _is_cjk(text[j]):
                    end = j + 1
                    break
        if end < n and text[end] in closing:
            if end + 1 >= n or text[end + 1] not in closing:
                end += 1  # hangs
            else:
                while end > start + 1 and text[end] in closing:
                    end -= 1
        lines.append((start, end))
        start, used, i = end, 0.0, end
    if start < n:
        lines.append((start, n))
    return lines


def lay_out(
    pieces: Sequence[tuple[Color, str]], width: float, size: float, leading: float
) -> TextLines:
    """`pieces` of coloured text (a red label, then the pledge; a newline starts a new line)
    as lines at `size` within `width` (`break_lines`)."""
    text = "".join(p for _c, p in pieces)
    owners: list[int] = []
    for k, (_colour, piece) in enumerate(pieces):
        owners.extend([k] * len(piece))
    lines: list[tuple[tuple[Color, str], ...]] = []
    offset = 0
    for paragraph in text.split("\n"):
        for start, end in break_lines(paragraph, width, size) or [(0, 0)]:
            line: list[tuple[Color, str]] = []
            a = offset + start
            while a < offset + end:
                k = owners[a]
                b = a
                while b < offset + end and owners[b] == k:
                    b += 1
                line.append((pieces[k][0], text[a:b]))
                a = b
            lines.append(tuple(line))
        offset += len(paragraph) + 1
    return TextLines(tuple(lines), size, leading)


def largest_lines(
    pieces: Sequence[tuple[Color, str]],
    width: float,
    height: float,
    max_size: float,
    min_size: float,
    leading: Callable[[float], float],
) -> TextLines | None:
    """`pieces` laid out (`lay_out`) at the largest size in [min_size, max_size], half-point
    steps down from `max_size`, at which they fit `height`; None when none does. Laying out is
    cheap: every size is tried from the top."""
    size = max_size
    while size >= min_size - 1e-6:
        lines = lay_out(pieces, width, size, leading(size))
        if lines.height <= height + 0.01:
            return lines
        size -= STEP
    return None
