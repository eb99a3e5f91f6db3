# SPDX-License-Identifier: GPL-3.0-or-later
"""What the clerk sees between signing in and the window: the app's name and a busy word.

Opening the register takes a few seconds on an old PC (more at town or county scale); with
nothing on screen a clerk may think the app did not start and start it twice (issue #18).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QSplashScreen

from desktop import paths
from desktop.i18n import _

WIDTH, HEIGHT = 420, 260


def _picture() -> QPixmap:
    pixmap = QPixmap(WIDTH, HEIGHT)
    pixmap.fill(QColor("#fff8f0"))
    icon = QPixmap(str(paths.resource_path("icons", "red-steward-256.png")))
    painter = QPainter(pixmap)
    if not icon.isNull():
        painter.drawPixmap(
            (WIDTH - 96) // 2, 28, icon.scaled(96, 96, Qt.AspectRatioMode.KeepAspectRatio)
        )
    font = QFont(QApplication.font())
    font.setPointSizeF(font.pointSizeF() * 1.8)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("#b3261e"))
    painter.drawText(0, 136, WIDTH, 48, Qt.AlignmentFlag.AlignCenter, _("Red Steward"))
    painter.end()
    return pixmap


def opening_splash() -> QSplashScreen:
    """Shown at once, with a busy cursor, until `finish_opening` (the window is up)."""
    splash = QSplashScreen(_picture())
    splash.setObjectName("opening_splash")
    splash.showMessage(
        _("Opening the register…"),
        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
        QColor("#333333"),
    )
    splash.show()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QApplication.processEvents()  # painted now, before the register is read
    return splash


def finish_opening(splash: QSplashScreen | None, window: object | None = None) -> None:
    """Close the splash (when the window is given: once it is shown) and end the busy cursor."""
    if splash is None:
        return
    if QApplication.overrideCursor() is not None:
        QApplication.restoreOverrideCursor()
    if window is not None:
        splash.finish(window)  # type: ignore[arg-type]
    else:
        splash.close()
