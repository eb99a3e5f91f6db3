# SPDX-License-Identifier: GPL-3.0-or-later
"""Keying one paper scoring sheet: its stewards (rows) × items (columns), fast from the keyboard.

Type a score and press Tab or Enter: it is saved and the next box opens (row by row, as the
paper is read). A score above the item's maximum is refused at once, the box stays open and the
reason is shown. Empty boxes are tinted, so what is still missing shows at a glance.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.i18n import _
from desktop.models.assessment.rows import SheetGrid

Index = QModelIndex | QPersistentModelIndex
TENTH = Decimal("0.1")


def points_text(value: Decimal | None) -> str:
    """12.0 → "12", 7.5 → "7.5"."""
    if value is None:
        return ""
    return f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"


class ScoreGridModel(QAbstractTableModel):
    """The boxes of one sheet; `key_requested` asks the page to save a box."""

    #: steward id, rule id, the score (None empties the box).
    key_requested = Signal(object, object, object)
    EMPTY_BRUSH = QBrush(QColor("#fff3c4"))
    PENDING_BRUSH = QBrush(QColor("#e3eefc"))

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.grid: SheetGrid | None = None
        self._values: dict[tuple[uuid.UUID, uuid.UUID], Decimal | None] = {}
        #: Boxes typed but not saved yet, and what was typed (shown over what was read).
        self._pending: dict[tuple[uuid.UUID, uuid.UUID], Decimal | None] = {}

    # ------------------------------------------------------------------ contents

    def set_grid(self, grid: SheetGrid | None) -> None:
        """Show `grid`; the same sheet with the same shape is updated in place (keying goes on)."""
        same = (
            grid is not None
            and self.grid is not None
            and grid.sheet.id == self.grid.sheet.id
            and grid.stewards == self.grid.stewards
            and [r.id for r in grid.rules] == [r.id for r in self.grid.rules]
        )
        if not same:
            self.beginResetModel()
        self.grid = grid
        self._values = {(b.steward_id, b.rule_id): b.value for b in grid.boxes} if grid else {}
        if not same:
            self._pending.clear()
        self._values.update({k: v for k, v in self._pending.items() if k in self._values})
        if same:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )
        else:
            self.endResetModel()

    def settled(self, key: tuple[uuid.UUID, uuid.UUID]) -> None:
        """The box's save ended (saved or refused): show what was read from now on."""
        if self._pending.pop(key, None) is not None or key in self._values:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def key(self, index: Index) -> tuple[uuid.UUID, uuid.UUID]:
        assert self.grid is not None
        return self.grid.stewards[index.row()][0], self.grid.rules[index.column()].id

    def is_box(self, index: Index) -> bool:
        return index.isValid() and self.key(index) in self._values

    def missing(self) -> int:
        return sum(1 for v in self._values.values() if v is None)

    def boxes(self) -> int:
        return len(self._values)

    def problem(self, index: Index, text: str) -> str | None:
        """Why `text` cannot go into the box at `index`; None when it can."""
        assert self.grid is not None
        rule = self.grid.rules[index.column()]
        text = text.strip().replace("，", ".").replace("。", ".")
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            return _('"{text}" is not a number.').format(text=text)
        if not value.is_finite() or value < 0:
            return _('"{text}" is not a score.').format(text=text)
        if value > rule.maximum:
            return _("{item}: at most {maximum} points; {value} is refused.").format(
                item=rule.name, maximum=points_text(rule.maximum), value=text
            )
        if value != value.quantize(TENTH):
            return _("{item}: scores are kept in tenths of a point.").format(item=rule.name)
        return None

    # ------------------------------------------------------------------ Qt

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.grid is None else len(self.grid.stewards)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.grid is None else len(self.grid.rules)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if self.grid is None or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        if orientation == Qt.Orientation.Vertical:
            return self.grid.stewards[section][1]
        rule = self.grid.rules[section]
        # L10N: a column of the score grid: the item and its maximum.
        return _("{item}\n(max {maximum})").format(
            item=rule.name, maximum=points_text(rule.maximum)
        )

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not self.is_box(index):
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.grid is not None and not self.grid.locked:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.grid is None:
            return None
        key = self.key(index)
        if key not in self._values:
            return None
        value = self._values[key]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return points_text(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if key in self._pending:
                return self.PENDING_BRUSH
            return self.EMPTY_BRUSH if value is None else None
        if role == Qt.ItemDataRole.ToolTipRole and value is None:
            return _("Empty: not keyed yet")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_box(index):
            return False
        text = str(value).strip().replace("，", ".").replace("。", ".")
        if self.problem(index, text) is not None:
            return False
        score = Decimal(text).quantize(TENTH) if text else None
        key = self.key(index)
        if self._values[key] == score:
            return True
        self._values[key] = score
        self._pending[key] = score
        self.dataChanged.emit(index, index)
        self.key_requested.emit(key[0], key[1], score)
        return True


class _ScoreDelegate(QStyledItemDelegate):
    """A line editor per box; Tab and Enter check the score first and refuse it at once."""

    def __init__(self, view: ScoreGridView) -> None:
        super().__init__(view)
        self.view = view
        self._index = QPersistentModelIndex()

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setObjectName("score_editor")
        editor.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._index = QPersistentModelIndex(index)
        return editor

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QLineEdit)
        grid = self.view.grid_model
        problem = grid.problem(index, editor.text())
        if problem is not None:  # focus went elsewhere: the box keeps its score
            self.view.refused.emit(problem)
            return
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit):
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                problem = self.view.grid_model.problem(self._index, editor.text())
                if problem is not None:
                    self.view.refused.emit(problem)
                    editor.selectAll()
                    return True
                self.view.refused.emit("")
                back = key == Qt.Key.Key_Backtab or (
                    key == Qt.Key.Key_Tab and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                )
                self.commitData.emit(editor)
                self.closeEditor.emit(
                    editor,
                    QAbstractItemDelegate.EndEditHint.EditPreviousItem
                    if back
                    else QAbstractItemDelegate.EndEditHint.EditNextItem,
                )
                return True
        return super().eventFilter(editor, event)


class ScoreGridView(QTableView):
    """The grid: typing a digit opens the box, Tab/Enter save it and open the next one,
    Delete empties a box."""

    #: Why a score was refused ("" once a good score is typed).
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("score_grid")
        self.grid_model = ScoreGridModel(self)
        self.setModel(self.grid_model)
        self.setItemDelegate(_ScoreDelegate(self))
        self.setTabKeyNavigation(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.horizontalHeader().setDefaultSectionSize(self.fontMetrics().horizontalAdvance("M") * 9)
        self.horizontalHeader().setMinimumHeight(self.fontMetrics().height() * 3)

    def set_grid(self, grid: SheetGrid | None) -> None:
        """Show a sheet; the same sheet again keeps the current box (keying goes on)."""
        shown = self.grid_model.grid
        self.grid_model.set_grid(grid)
        if grid is not None and (shown is None or shown.sheet.id != grid.sheet.id):
            self.setCurrentIndex(self.grid_model.index(0, 0))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.setCurrentIndex(
                    self.moveCursor(
                        QAbstractItemView.CursorAction.MoveNext, Qt.KeyboardModifier.NoModifier
                    )
                )
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.grid_model.is_box(
                self.currentIndex()
            ):
                if self.grid_model.flags(self.currentIndex()) & Qt.ItemFlag.ItemIsEditable:
                    self.grid_model.setData(self.currentIndex(), "")
                return
        super().keyPressEvent(event)
