# SPDX-License-Identifier: GPL-3.0-or-later
"""The shipped Chinese font, registered with ReportLab once, embedded and subset in every PDF.

Never the CID font `STSong-Light`: it is not embedded, so what prints depends on the viewer's
fonts (blank pages in poppler without poppler-data). WenQuanYi Micro Hei has TrueType outlines,
covers Simplified and Traditional, and ReportLab subsets it. ReportLab does not complain about a
missing glyph (it draws an empty box), so `missing_glyphs` lets callers and tests check coverage.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from desktop.paths import resource_path

#: The ReportLab name of the one face every document uses (titles are set larger, not bolder).
FONT = "WQYMicroHei"
FONT_FILE = "wqy-microhei.ttc"

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the shipped face with ReportLab (once per process); returns its name."""
    global _registered
    with _lock:
        if not _registered:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFont

            path = resource_path("fonts", FONT_FILE)
            # The .ttc holds two faces; 0 is the proportional one (1 is the monospaced).
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT
            )
            _registered = True
    return FONT


def missing_glyphs(texts: Iterable[str]) -> list[str]:
    """The characters of `texts` the font cannot draw, in order of first appearance."""
    from reportlab.pdfbase import pdfmetrics

    register_fonts()
    char_to_glyph = pdfmetrics.getFont(FONT).face.charToGlyph  # type: ignore[attr-defined]
    missing: dict[str, None] = {}
    for text in texts:
        for ch in text:
            if ch not in missing and not ch.isspace() and ord(ch) not in char_to_glyph:
                missing[ch] = None
    return list(missing)
