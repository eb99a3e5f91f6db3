# SPDX-License-Identifier: GPL-3.0-or-later
"""The board's automatic grid: how many cards a sheet holds and where each one goes.

A card is judged by its "unit", min(width / IDEAL_RATIO, height): the height a card of the ideal
shape would have. The grid with the largest unit wins, and a sheet holds as many cards as keep
the unit at or above MIN_UNIT, which is what lets 16 stewards share one A3 landscape sheet while
an A4 sheet takes six to eight. The chief steward stands alone in the top row of the first sheet
(`lead_alone`), the group stewards in full rows below, a partial last row centred, as boards are
hung.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.lib.units import mm

IDEAL_RATIO = 1.75
MIN_UNIT = 48 * mm
GAP = 5 * mm
#: Cards are not stretched past these shapes when few stewards leave room to spare.
MAX_RATIO = 2.4
MIN_RATIO = 1.25
MAX_PER_SHEET = 16


@dataclass(frozen=True, slots=True)
class Grid:
    cols: int
    rows: int
    card_w: float
    card_h: float

    @property
    def unit(self) -> float:
        return min(self.card_w / IDEAL_RATIO, self.card_h)


def best_grid(n: int, width: float, height: float, lead_alone: bool = False) -> Grid:
    """The grid of n cards with the largest unit; `lead_alone` keeps the first card (the chief
    steward) in a row of its own above the others."""
    best: Grid | None = None
    for cols in range(1, n + 1):
        rows = 1 + math.ceil((n - 1) / cols) if lead_alone and n > 1 else math.ceil(n / cols)
        if not lead_alone and (rows - 1) * cols >= n:
            continue  # a whole empty row
        card_w = (width - (cols - 1) * GAP) / cols
        card_h = (height - (rows - 1) * GAP) / rows
        if card_w <= 0 or card_h <= 0:
            continue
        card_h = min(card_h, card_w / MIN_RATIO)
        card_w = min(card_w, card_h * MAX_RATIO)
        grid = Grid(cols, rows, card_w, card_h)
        if best is None or grid.unit > best.unit + 1e-6:
            best = grid
    assert best is not None
    return best


def row_sizes(n: int, cols: int, lead_alone: bool = False) -> list[int]:
    """How many cards each row holds, top first: full rows, then a partial one (centred); with
    `lead_alone`, the first card alone above all of them."""
    if lead_alone and n > 1:
        return [1, *row_sizes(n - 1, cols)]
    rows = math.ceil(n / cols)
    return [cols] * (rows - 1) + [n - (rows - 1) * cols] if rows else []


def capacity(width: float, height: float) -> int:
    """How many cards one sheet of this area holds at a readable size (at least one)."""
    fitting = [
        k
        for k in range(1, MAX_PER_SHEET + 1)
        if best_grid(k, width, height).unit >= MIN_UNIT - 1e-6
    ]
    return max(fitting, default=1)


def split(n: int, per_sheet: int) -> list[int]:
    """n cards over as few sheets as hold them, balanced (13 over A4 by 8: 7 and 6)."""
    sheets = max(1, math.ceil(n / per_sheet))
    base, extra = divmod(n, sheets)
    return [base + (1 if i < extra else 0) for i in range(sheets)]


def positions(
    n: int,
    grid: Grid,
    x: float,
    y: float,
    width: float,
    height: float,
    top_aligned: bool = False,
    lead_alone: bool = False,
) -> list[tuple[float, float]]:
    """Bottom-left corners of n cards in the area whose bottom-left is (x, y).

    Rows are centred horizontally; vertically the grid is centred, or starts at the top of the
    area (`top_aligned`, for the sheets of a board spread over several: they then line up).
    `lead_alone` puts the first card in a row of its own on top (the chief steward).
    """
    sizes = row_sizes(n, grid.cols, lead_alone)
    used_h = len(sizes) * grid.card_h + (len(sizes) - 1) * GAP
    top = y + height - (0 if top_aligned else (height - used_h) / 2)
    result: list[tuple[float, float]] = []
    index = 0
    for row, in_row in enumerate(sizes):
        row_w = in_row * grid.card_w + (in_row - 1) * GAP
        left = x + (width - row_w) / 2
        bottom = top - (row + 1) * grid.card_h - row * GAP
        for col in range(in_row):
            result.append((left + col * (grid.card_w + GAP), bottom))
            index += 1
    return result
