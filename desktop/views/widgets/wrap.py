# SPDX-License-Identifier: GPL-3.0-or-later
"""A label that wraps and always gets the height its lines need.

A word-wrapped QLabel in a dialog's grid is given the height of its size hint, which Qt works
out for a wider label; in a narrow column at a large text size only the middle lines of a long
message showed. This label asks for the height its text needs at the width it was given.
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class WrapLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None, **kwargs: object) -> None:
        super().__init__(text, parent, **kwargs)
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit_height()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        needed = self.heightForWidth(self.width()) if self.text() else 0
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)
        elif not self.text() and self.minimumHeight():
            self.setMinimumHeight(0)
