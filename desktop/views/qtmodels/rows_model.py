# SPDX-License-Identifier: GPL-3.0-or-later
"""A table model over a list of frozen rows, described by columns (header, text)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from desktop.i18n import _

Index = QModelIndex | QPersistentModelIndex


@dataclasses.dataclass(frozen=True)
class Column:
    header: str  # an N_() message, translated when shown
    text: Callable[[Any], str]
    align_center: bool = False
    #: True when the cell should be drawn as a warning (overdue, unfilled…).
    warn: Callable[[Any], bool] | None = None


class RowsTableModel(QAbstractTableModel):
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1
    WARN_BRUSH = QBrush(QColor("#b3261e"))

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def select_record(self, view: Any, record_id: Any) -> bool:
        """Select and make current, in `view` (a table over this model), the row whose record
        has this `id`; False when it is not shown."""
        for number, row in enumerate(self._rows):
            if row.id == record_id:
                view.selectRow(number)
                view.setCurrentIndex(self.index(number, 0))
                return True
        return False

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.columns[section].header)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_center:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.warn and column.warn(row):
            return self.WARN_BRUSH
        if role == self.ROW_ROLE:
            return row
        return None
