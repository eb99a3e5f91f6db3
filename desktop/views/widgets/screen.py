# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeping a window on its screen: a saved size from a larger screen or a smaller text size
never puts part of the window out of reach."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QLayout, QScrollArea, QWidget


def available_geometry(widget: QWidget) -> QRect:
    """The part of the widget's screen not taken by the taskbar (the primary one if unknown)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget) -> None:
    """Shrink and move `window` so that all of it, frame included, is on its screen."""
    room = available_geometry(window)
    frame = window.frameGeometry()
    extra_w = max(0, frame.width() - window.width())
    extra_h = max(0, frame.height() - window.height())
    width = min(window.width(), room.width() - extra_w)
    height = min(window.height(), room.height() - extra_h)
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), room.x()), room.right() + 1 - frame.width())
    y = min(max(frame.y(), room.y()), room.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)


class FormScroll(QScrollArea):
    """A dialog's fields, scrolling when they are taller than the screen (a long form at a
    large text size on a laptop); as tall as the fields otherwise, without a frame."""

    def __init__(self, layout: QLayout, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        inner = QWidget()
        inner.setLayout(layout)
        layout.setContentsMargins(0, 0, 0, 0)
        self.setWidget(inner)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def _room(self) -> int:
        """At most the screen's height less room for the rest of a dialog and its frame."""
        return int(available_geometry(self).height() * 0.7)

    def sizeHint(self) -> QSize:
        inner = self.widget().sizeHint().expandedTo(self.widget().minimumSizeHint())
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar, min(inner.height(), self._room()))

    def minimumSizeHint(self) -> QSize:
        inner = self.widget().minimumSizeHint()
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(inner.width() + bar, min(inner.height(), self._room()))


def scrolling(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area: a side panel that scrolls on its own instead of
    making the page wider than the window."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
