# SPDX-License-Identifier: GPL-3.0-or-later
"""Rows that wrap instead of widening the window: buttons and status labels at large text sizes.

FlowLayout is Qt's own "Flow Layout" example: items left to right, on to the next line when the
row is full. A word-wrapped label inside it is given the row's width and the height it needs.
FlowBox is a widget holding one; it keeps its minimum height in step with its width, because
the main window's and a status bar's layouts do not ask a child for its height-for-width.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QStyle, QWidget


class FlowLayout(QLayout):
    def __init__(
        self, parent: QWidget | None = None, spacing: int = -1, line_spacing: int = -1
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._line_spacing = line_spacing
        if parent is not None:
            self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        """All on one line."""
        width = height = 0
        for item in self._visible():
            hint = _one_line_hint(item)
            width += hint.width() + self._gap()
            height = max(height, hint.height())
        margins = self.contentsMargins()
        return QSize(
            max(0, width - self._gap()) + margins.left() + margins.right(),
            height + margins.top() + margins.bottom(),
        )

    def minimumSize(self) -> QSize:
        """As narrow as the widest single item (a wrapping label: a few characters)."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _gap(self) -> int:
        if self._spacing >= 0:
            return self._spacing
        parent = self.parentWidget()
        if parent is None:
            return 6
        return parent.style().pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing) or 6

    def _line_gap(self) -> int:
        if self._line_spacing >= 0:
            return self._line_spacing
        parent = self.parentWidget()
        if parent is None:
            return 6
        return parent.style().pixelMetric(QStyle.PixelMetric.PM_LayoutVerticalSpacing) or 6

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _do_layout(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        x, y, line_height = area.x(), area.y(), 0
        gap = self._gap()
        line: list[tuple[QLayoutItem, QRect]] = []

        def finish_line() -> None:
            if apply:
                for item, geometry in line:
                    # Centred on the line, so that a label sits level with a button.
                    geometry.moveTop(geometry.y() + (line_height - geometry.height()) // 2)
                    item.setGeometry(geometry)
            line.clear()

        for item in self._visible():
            hint = _one_line_hint(item)
            width = max(item.minimumSize().width(), min(hint.width(), area.width()))
            height = item.heightForWidth(width) if item.hasHeightForWidth() else hint.height()
            if line and x + width > area.right() + 1:
                finish_line()
                x, y = area.x(), y + line_height + self._line_gap()
                line_height = 0
            line.append((item, QRect(QPoint(x, y), QSize(width, height))))
            x += width + gap
            line_height = max(line_height, height)
        finish_line()
        return y + line_height - rect.y() + margins.bottom()


def _one_line_hint(item: QLayoutItem) -> QSize:
    """The item's size hint; for a word-wrapped label, as wide as its text on one line (its own
    hint is a narrower, taller block), so that it wraps only when the row is too short."""
    hint = item.sizeHint()
    label = item.widget()
    if isinstance(label, QLabel) and label.wordWrap() and label.text():
        margins = label.contentsMargins()
        width = max(
            label.fontMetrics().horizontalAdvance(line) for line in label.text().splitlines()
        )
        width += margins.left() + margins.right() + 2 * label.margin() + 2
        hint = QSize(width, label.heightForWidth(width))
    return hint


class FlowBox(QWidget):
    """A widget whose children flow over as many lines as its width needs."""

    def __init__(
        self, parent: QWidget | None = None, spacing: int = -1, line_spacing: int = -1
    ) -> None:
        super().__init__(parent)
        self.flow = FlowLayout(self, spacing, line_spacing)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def addWidget(self, widget: QWidget) -> None:
        self.flow.addWidget(widget)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height(event.size().width())

    def _fit_height(self, width: int) -> None:
        needed = self.flow.heightForWidth(width)
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.flow.minimumSize().width(), self.flow.heightForWidth(self.width()))


def flow_row(*widgets: QWidget, spacing: int = -1) -> FlowBox:
    """A row of controls (a filter, its choices, the page's buttons) that goes on over more
    lines when the page is narrower than the row: a large text size on a laptop."""
    box = FlowBox(spacing=spacing)
    for widget in widgets:
        box.addWidget(widget)
    return box
