# SPDX-License-Identifier: GPL-3.0-or-later
"""A table model over a list the database pages: columns as `RowsTableModel` takes them, and
two functions of a service, one counting the rows and one reading `limit` rows from `offset`.

Only the pages the view shows are read (`PAGE_SIZE` rows each, the last `MAX_PAGES` kept), so
a list as long as a county's register never sits in memory at once (#22). A view over it sets
its header's resize precision to `PAGE_SIZE`, so that sizing the columns reads one page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.i18n import _
from desktop.views.qtmodels.page_cache import PageCache
from desktop.views.qtmodels.rows_model import Column, RowsTableModel

Index = QModelIndex | QPersistentModelIndex

#: What a paged model shows: nothing to read.
NOTHING: tuple[Callable[[], int], Callable[[int, int], list[Any]]] = (
    lambda: 0,
    lambda _offset, _limit: [],
)


class PagedRowsModel(QAbstractTableModel):
    ROW_ROLE = RowsTableModel.ROW_ROLE
    PAGE_SIZE = 100
    MAX_PAGES = 16

    def __init__(self, columns: Sequence[Column], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._count_rows, self._read = NOTHING
        self._pages: PageCache[Any] = PageCache(self.MAX_PAGES)
        self._count = 0

    def set_source(self, count: Callable[[], int], read: Callable[[int, int], list[Any]]) -> None:
        """Show the rows `read(offset, limit)` gives, `count()` of them (read again: also
        after a change)."""
        self.beginResetModel()
        self._count_rows, self._read = count, read
        self._pages.clear()
        self._count = count()
        self.endResetModel()

    def refresh(self) -> None:
        self.set_source(self._count_rows, self._read)

    def row_at(self, row: int) -> Any:
        if not 0 <= row < self._count:
            return None
        return self._pages.row(row, self.PAGE_SIZE, self._read)

    def select_record(self, view: Any, record_id: Any) -> bool:
        """Select and make current, in `view`, the row whose record has this `id` among the
        pages read; False when it is not among them."""
        for page_no, page in self._pages.items():
            for offset, row in enumerate(page):
                if row.id == record_id:
                    number = page_no * self.PAGE_SIZE + offset
                    view.selectRow(number)
                    view.setCurrentIndex(self.index(number, 0))
                    return True
        return False

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
