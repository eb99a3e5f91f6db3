# SPDX-License-Identifier: GPL-3.0-or-later
"""The bundled Chinese font, registered with Qt so that no PC shows empty boxes."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from desktop.paths import resource_path

log = logging.getLogger(__name__)

BUNDLED_FONT = "wqy-microhei.ttc"
_families: list[str] = []
_fallbacks: list[str] = []


def register_fonts() -> list[str]:
    """Register the shipped font(s) once; returns the families Qt now knows from them."""
    if not _families:
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", BUNDLED_FONT)))
        if font_id < 0:
            log.error("could not load the bundled font %s", BUNDLED_FONT)
        else:
            _families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return list(_families)


def register_fallbacks() -> list[str]:
    """Register the faces the printouts fall back to for rare characters (CJK Extensions A and
    B: Hanazono, BabelStone Han, SimSun-ExtB; see desktop/printing/fonts.py), where this computer
    has them; returns their families, in the printouts' order: 王𠈌 on screen is 王𠈌 on paper."""
    if not _fallbacks:
        from desktop.printing.fonts import fallback_files

        for path in fallback_files():
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                log.warning("could not load the fallback font %s", path)
                continue
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in _fallbacks:
                    _fallbacks.append(family)
    return list(_fallbacks)


def apply_app_font(app: QApplication, scale_percent: int = 100) -> QFont:
    """Use the bundled font for the whole app, at the user's text size."""
    families = register_fonts()
    font = QFont(app.font())
    if families:
        # The bundled face first, then the rare characters' fallbacks, the system's own after.
        font.setFamilies([families[0], *register_fallbacks(), *font.families()])
    base = 10.0
    font.setPointSizeF(base * scale_percent / 100)
    app.setFont(font)
    return font
