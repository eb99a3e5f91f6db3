# SPDX-License-Identifier: GPL-3.0-or-later
"""Paper, margins, colours and paragraph styles shared by every printed document."""

from __future__ import annotations

import re

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A3, A4
from reportlab.lib.pagesizes import landscape as _landscape
from reportlab.lib.pagesizes import portrait as _portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from desktop import i18n
from desktop.printing.fonts import register_fonts

#: 禁则: what may not start a line in Chinese. ReportLab's list has the Japanese full stops and
#: brackets but not the Chinese comma, semicolon, colon, question and exclamation marks or
#: closing quotes, so a board could have lines starting with ，or ；.
CANNOT_START_LINE = "，。、；：？！）」』】〕〉》”’…—·％‰℃,.;:?!)]}%"


def _extend_line_breaking_rules() -> None:
    # Both copies: a Paragraph of several fragments (a coloured label and a pledge) breaks with
    # paragraph's, a Paragraph of one fragment (a name, an area) with textsplit's.
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (paragraph, textsplit):
        module.ALL_CANNOT_START = "".join(  # type: ignore[attr-defined]
            dict.fromkeys(module.ALL_CANNOT_START + CANNOT_START_LINE)  # type: ignore[attr-defined]
        )


_extend_line_breaking_rules()

#: From the CJK radicals on: Chinese characters, their punctuation, the full-width forms.
_CJK = re.compile("[\u2e80-\U0003ffff]")


def has_cjk(text: str) -> bool:
    """`text` holds Chinese, so it wraps by character with 禁则 whatever the app's language
    (an English board still posts a Chinese pledge)."""
    return _CJK.search(text) is not None


PAPERS: dict[str, tuple[float, float]] = {"A4": A4, "A3": A3}
#: Safe on ordinary office printers, whose unprintable edge is 4–6 mm.
MARGIN = 14 * mm
#: The footer band below the frame: page numbers and the issuer line sit here.
FOOTER_HEIGHT = 9 * mm

#: 党建红: the red of party notices; dark ink for body text, a soft grey for rules.
RED = colors.HexColor("#C8161D")
DARK_RED = colors.HexColor("#9E0F14")
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#B0B0B0")
PAPER_TINT = colors.HexColor("#FFF8F0")
HEADER_FILL = colors.HexColor("#F3D6D3")


def page_size(paper: str, landscape: bool) -> tuple[float, float]:
    """The page in points; `paper` is "A4" or "A3" (anything else is a programming error)."""
    width, height = (_landscape if landscape else _portrait)(PAPERS[paper.upper()])
    return float(width), float(height)


def style(
    size: float,
    *,
    leading: float | None = None,
    align: int = TA_LEFT,
    color: colors.Color = INK,
    name: str = "body",
    cjk: bool | None = None,
) -> ParagraphStyle:
    """A paragraph style in the shipped face, wrapping Chinese by character (with 禁则).

    `cjk` True wraps so in any language (the text is Chinese); None by the app's language."""
    return ParagraphStyle(
        name=f"{name}-{size:g}",
        fontName=register_fonts(),
        fontSize=size,
        leading=leading if leading is not None else round(size * 1.4, 2),
        alignment=align,
        textColor=color,
        # CJK: break between any two characters, with 禁则 (no line starts with ，。).
        # English keeps whole words (CJK mode would split "Occupation" mid-word).
        wordWrap="CJK" if (i18n.language() != "en" if cjk is None else cjk) else None,
        splitLongWords=True,
    )


def title_style(size: float) -> ParagraphStyle:
    return style(size, leading=size * 1.25, align=TA_CENTER, color=RED, name="title")


def cell_style(size: float = 9, align: int = TA_LEFT) -> ParagraphStyle:
    return style(size, leading=size * 1.3, align=align, name="cell")


def header_cell_style(size: float = 9) -> ParagraphStyle:
    return style(size, leading=size * 1.3, align=TA_CENTER, name="header")
