# SPDX-License-Identifier: GPL-3.0-or-later
"""Fitting text into a box: wrap first, then shrink in half-point steps, never past a floor.

Nothing is ever drawn outside its box: a text that does not fit at the smallest size is reported
(None), and the template turns that into a `UserError` naming the item.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from desktop.printing import fonts

STEP = 0.5


def markup(text: str) -> str:
    """Plain text as Paragraph markup: escaped, line breaks kept, rare characters in the
    fallback face that has them (`fonts.markup`)."""
    return "<br/>".join(fonts.markup(line) for line in text.strip().splitlines())


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
    """The largest size in [min_size, max_size] (half-point steps) at which `text` fits."""
    size = max_size
    while size >= min_size - 1e-6:
        if fits(Paragraph(text, make_style(size)), width, height):
            return size
        size -= STEP
    return None


def line_size(text: str, width: float, max_size: float, min_size: float) -> float | None:
    """The largest size at which `text` fits `width` on one line."""
    size = max_size
    while size >= min_size - 1e-6:
        if fonts.string_width(text, size) <= width:
            return size
        size -= STEP
    return None
