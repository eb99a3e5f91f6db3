# SPDX-License-Identifier: GPL-3.0-or-later
"""Fitting text into a box: wrap first, then shrink in half-point steps, never past a floor.

Nothing is ever drawn outside its box: a text that does not fit at the smallest size is reported
(None), and the template turns that into a `UserError` naming the item.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from desktop.printing import fonts

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
