# SPDX-License-Identifier: GPL-3.0-or-later
"""The households as a Qt table model that pages from the database (as the register does).

The rows are counted, and only the pages the view shows are read (`PAGE_SIZE` households
each, the last `MAX_PAGES` kept), in the order and with the filters of a `HouseholdQuery`, so
a county's households never sit in memory at once (#22).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.i18n import _
from desktop.models.stewards.rows import HouseholdQuery, HouseholdRow
from desktop.models.stewards.service import StewardService
from desktop.views.qtmodels.page_cache import PageCache
from desktop.views.qtmodels.rows_model import Column, RowsTableModel

Index = QModelIndex | QPersistentModelIndex


class HouseholdTableModel(QAbstractTableModel):
    ROW_ROLE = RowsTableModel.ROW_ROLE
    PAGE_SIZE = 100
    MAX_PAGES = 16

    def __init__(
        self, stewards: StewardService, columns: Sequence[Column], parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._stewards = stewards
        self.columns = list(columns)
        self._query = HouseholdQuery()
        self._pages: PageCache[HouseholdRow] = PageCache(self.MAX_PAGES)
        self._count = 0

    @property
    def query(self) -> HouseholdQuery:
        return self._query

    def set_query(self, query: HouseholdQuery) -> None:
        """Show the households `query` gives (read again: also after a change)."""
        self.beginResetModel()
        self._query = query
        self._pages.clear()
        self._count = self._stewards.household_count(query)
        self.endResetModel()

    def row_at(self, row: int) -> HouseholdRow | None:
        if not 0 <= row < self._count:
            return None
        return self._pages.row(
            row,
            self.PAGE_SIZE,
            lambda offset, limit: self._stewards.household_page(self._query, offset, limit),
        )

    def select_record(self, view: Any, household_id: uuid.UUID) -> bool:
        """Select and make current, in `view`, the row of this household (wherever it stands
        in the list, found by the database); False when the list does not hold it."""
        row = self._stewards.household_position(self._query, household_id)
        if row is None or not 0 <= row < self._count:
            return False
        view.selectRow(row)
        view.setCurrentIndex(self.index(row, 0))
        return True

    # ------------------------------------------------------------------ Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

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
        row = self.row_at(index.row())
        if row is None:
            return None
        column = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column.text(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_center:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column.warn and column.warn(row):
            return RowsTableModel.WARN_BRUSH
        if role == self.ROW_ROLE:
            return row
        return None
