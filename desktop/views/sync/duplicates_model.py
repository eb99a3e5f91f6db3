# SPDX-License-Identifier: GPL-3.0-or-later
"""The records entered twice with one ID number, side by side: a line per detail, a column per
record, the details that differ in bold (what tells the clerk which is which)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from desktop.i18n import _
from desktop.sync.readmodels import DuplicateGroup

Index = QModelIndex | QPersistentModelIndex


class DuplicateComparisonModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[tuple[str, list[str]]] = []
        self._records = 0
        self._bold = QFont()
        self._bold.setBold(True)

    def set_group(self, group: DuplicateGroup | None) -> None:
        self.beginResetModel()
        self._lines = group.side_by_side() if group is not None else []
        self._records = len(group.records) if group is not None else 0
        self.endResetModel()

    def differs(self, row: int) -> bool:
        return len(set(self._lines[row][1])) > 1

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._records

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _("Record {n}").format(n=section + 1)
        return self._lines[section][0] if 0 <= section < len(self._lines) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._lines[index.row()][1][index.column()]
        if role == Qt.ItemDataRole.FontRole and self.differs(index.row()):
            return self._bold
        return None
