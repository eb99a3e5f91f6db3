# SPDX-License-Identifier: GPL-3.0-or-later
"""The duties of one roster as a table whose person column is edited with a combo box."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.i18n import N_, _, format_date
from desktop.models.stewards.rows import DutyRow, VolunteerRow

Index = QModelIndex | QPersistentModelIndex
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
PERSON_COLUMN = 2
HOURS_COLUMN = 4


class DutyTableModel(QAbstractTableModel):
    HEADERS = (N_("Date"), N_("Slot"), N_("On duty"), N_("Phone"), N_("Signed hours"))
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1
    PERSON_ROLE = Qt.ItemDataRole.UserRole + 3

    def __init__(
        self,
        reassign: Callable[[DutyRow, uuid.UUID | None], bool],
        key_hours: Callable[[DutyRow, int], bool],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._rows: list[DutyRow] = []
        self._reassign, self._key_hours = reassign, key_hours

    def set_rows(self, rows: list[DutyRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[DutyRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.HEADERS[section])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in (PERSON_COLUMN, HOURS_COLUMN):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return f"{format_date(row.day)} {_(WEEKDAYS[row.day.weekday()])}"
            if index.column() == PERSON_COLUMN and row.volunteer_id is None:
                return _("(nobody available)")
            if index.column() == HOURS_COLUMN:
                return "" if row.signed_minutes is None else f"{row.signed_minutes / 60:g}"
            return (None, row.slot, row.person_name, row.phone)[index.column()]
        if role == Qt.ItemDataRole.EditRole and index.column() == HOURS_COLUMN:
            return "" if row.signed_minutes is None else f"{row.signed_minutes / 60:g}"
        if role == Qt.ItemDataRole.ForegroundRole and row.volunteer_id is None:
            return QBrush(QColor("#b3261e"))
        if role == self.PERSON_ROLE:
            return row.volunteer_id
        if role == self.ROW_ROLE:
            return row
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() not in (PERSON_COLUMN, HOURS_COLUMN):
            return False
        row = self._rows[index.row()]
        if index.column() == HOURS_COLUMN:
            return self._key_hours(row, value)
        if value == row.volunteer_id:
            return False
        return self._reassign(row, value)


class PersonDelegate(QStyledItemDelegate):
    """Edits the person of a duty with a combo box of the team (type to jump, Enter to commit)."""

    def __init__(self, people: Callable[[], list[VolunteerRow]], parent: Any = None) -> None:
        super().__init__(parent)
        self._people = people

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = QComboBox(parent, objectName="duty_person_combo")
        combo.addItem(_("(nobody)"), "")
        for person in self._people():
            combo.addItem(person.name, str(person.id))  # text: QVariant compares it exactly
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        current = index.data(DutyTableModel.PERSON_ROLE)
        editor.setCurrentIndex(max(editor.findData(str(current) if current else ""), 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        data = editor.currentData()
        model.setData(index, uuid.UUID(data) if data else None, Qt.ItemDataRole.EditRole)


class DutyTableView(QTableView):
    """Enter opens the person of the current duty (or its hours, in that column), as F2 does;
    Enter in the editor commits."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
            and self.currentIndex().isValid()
        ):
            column = HOURS_COLUMN if self.currentIndex().column() == HOURS_COLUMN else PERSON_COLUMN
            index = self.model().index(self.currentIndex().row(), column)
            self.setCurrentIndex(index)
            self.edit(index)
            event.accept()
            return
        super().keyPressEvent(event)
