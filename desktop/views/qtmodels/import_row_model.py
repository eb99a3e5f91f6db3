# SPDX-License-Identifier: GPL-3.0-or-later
"""The import preview's rows: what each row of the file becomes, with its problems."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from desktop.i18n import N_, _
from desktop.tabular.member_import import Action, ImportPlan, RowPlan
from desktop.tabular.report import action_label

ModelIndex = QModelIndex | QPersistentModelIndex
ERROR_BACKGROUND = QColor("#fde2e1")
WARNING_BACKGROUND = QColor("#fff4ce")
DIMMED = QColor("#707070")


class ImportRowModel(QAbstractTableModel):
    HEADERS = (
        N_("Sheet"),
        N_("Row"),
        N_("Name"),
        N_("ID number"),
        N_("Action"),
        N_("Problems and notes"),
    )
    HOUSEHOLD_HEADERS = (
        N_("Sheet"),
        N_("Row"),
        N_("Head of household"),
        N_("Address"),
        N_("Action"),
        N_("Problems and notes"),
    )
    ACTION_COLUMN = 4
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    #: A matched row was switched between update and skip.
    decision_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._plan: ImportPlan | None = None

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self._plan = plan
        self.endResetModel()

    @property
    def kind(self) -> str:
        return self._plan.kind if self._plan else "members"

    def _headers(self) -> tuple[str, ...]:
        return self.HOUSEHOLD_HEADERS if self.kind == "households" else self.HEADERS

    @property
    def rows(self) -> list[RowPlan]:
        return self._plan.rows if self._plan else []

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(self._headers()[section])
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if (
            index.isValid()
            and index.column() == self.ACTION_COLUMN
            and self.rows[index.row()].matched
        ):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(row.errors + row.warnings) or None
        if role == Qt.ItemDataRole.CheckStateRole and column == self.ACTION_COLUMN and row.matched:
            return Qt.CheckState.Checked if row.action == Action.UPDATE else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.errors:
                return QBrush(ERROR_BACKGROUND)
            if row.warnings:
                return QBrush(WARNING_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and row.action in (
            Action.UNCHANGED,
            Action.SKIP,
            Action.DUPLICATE,
            Action.IGNORED,
        ):
            return QBrush(DIMMED)
        if role == self.ROW_ROLE:
            return row
        return None

    def _display(self, row: RowPlan, column: int) -> str:
        if column == 0:
            return row.sheet
        if column == 1:
            return str(row.row_number)
        if column == 2:
            return row.name
        if column == 3:
            return row.address if self.kind == "households" else row.id_number
        if column == self.ACTION_COLUMN:
            text = action_label(row, self.kind)
            if row.matched and row.changed:
                text += " · " + _("{n} fields").format(n=len(row.changed))
            return text
        return "  ".join(row.errors + row.warnings)

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole or self._plan is None:
            return False
        row = self.rows[index.row()]
        if not row.matched:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        self._plan.decide(index.row(), Action.UPDATE if checked else Action.SKIP)
        self.dataChanged.emit(
            self.index(index.row(), 0), self.index(index.row(), self.columnCount() - 1)
        )
        self.decision_changed.emit()
        return True
