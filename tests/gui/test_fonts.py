# SPDX-License-Identifier: GPL-3.0-or-later
"""The window shows the rare characters the printouts print (CJK Extensions A and B)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetrics, QImage
from PySide6.QtWidgets import QApplication, QLabel

from desktop.printing.fonts import fallback_files
from desktop.views import fonts

pytestmark = pytest.mark.gui

#: 䶮 (Extension A), 𠈌 and 𪚥 (Extension B): the names the issue found printed as nothing.
RARE = "䶮𠈌𪚥"


@pytest.fixture
def app_font(qapp):  # type: ignore[no-untyped-def]
    before = QFont(qapp.font())
    yield fonts.apply_app_font(qapp, 100)
    QApplication.setFont(before)


def _ink(label: QLabel) -> int:
    image = label.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    return sum(
        1
        for y in range(image.height())
        for x in range(image.width())
        if image.pixelColor(x, y).value() < 128
    )


def test_the_fallback_faces_follow_the_bundled_one_in_the_app_font(qtbot, app_font):
    if not fallback_files():
        pytest.skip("no fallback face (fonts-hanazono) on this computer")
    families = app_font.families()
    fallbacks = fonts.register_fallbacks()
    assert fallbacks and families[: 1 + len(fallbacks)] == [*fonts.register_fonts()[:1], *fallbacks]
    # Each rare character is in one of the faces the app font names, before the system's.
    for ch in RARE:
        assert any(QFontMetrics(QFont(f)).inFontUcs4(ord(ch)) for f in fallbacks), ch
    # And a real label draws them: more ink with them than without.
    with_rare, plain = QLabel("王" + RARE), QLabel("王")
    for label in (with_rare, plain):
        qtbot.addWidget(label)
        label.setFont(app_font)
        label.resize(200, 40)
    assert _ink(with_rare) > 2 * _ink(plain)
