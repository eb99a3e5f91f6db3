# SPDX-License-Identifier: GPL-3.0-or-later
"""The register as a Qt table model that pages from the database.

Only the row count and the pages the view actually shows are fetched (`PAGE_SIZE` rows each,
a few pages kept), and sorting and filtering are done by SQL, so a county's hundreds of
thousands of members scroll as fast as a village's sixty.

A new filter reads its first page first: when that page is not full it is everything, and no
count is needed; otherwise the rows are counted a moment later (the event loop's next turn),
after the first page is on screen, and the rows below it appear then (#22).
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)

from desktop.i18n import N_, _, format_date
from desktop.models.register.member import GENDERS, STATUSES
from desktop.models.register.rows import MemberQuery, MemberRow
from desktop.models.register.service import MemberService
from desktop.views.qtmodels.page_cache import PageCache

Index = QModelIndex | QPersistentModelIndex


class MemberTableModel(QAbstractTableModel):
    #: (sort field, header) per column.
    COLUMNS: tuple[tuple[str, str], ...] = (
        ("name", N_("Name")),
        ("gender", N_("Gender")),
        ("party_group", N_("Party group")),
        ("status", N_("Category")),
        ("birth_date", N_("Birth date")),
        ("joined_on", N_("Joined")),
        ("phone", N_("Phone")),
        ("id_number", N_("ID number")),
        ("villager_group", N_("Villager group")),
    )
    ROW_ROLE = Qt.ItemDataRole.UserRole + 1
    #: A screen's worth and more even at small text: the first page is what a keystroke waits
    #: for, so it is kept small (building each row costs more than reading it, #22).
    PAGE_SIZE = 100
    MAX_PAGES = 16
    #: The number of rows is known (after a filter whose first page was full, a moment later).
    counted = Signal(int)

    def __init__(self, members: MemberService, parent: Any = None) -> None:
        super().__init__(parent)
        self._members = members
        self._query = MemberQuery()
        self._pages: PageCache[MemberRow] = PageCache(self.MAX_PAGES)
        self._count = 0
        self._pending = 0  # which query the scheduled count is for (a newer one cancels it)
        self._read_first_page()

    def _read_first_page(self) -> None:
        page = self._members.page(self._query, 0, self.PAGE_SIZE)
        self._pages.put(0, page)
        self._count = len(page)
        self._pending += 1
        if len(page) == self.PAGE_SIZE:
            QTimer.singleShot(0, lambda pending=self._pending: self._count_rows(pending))

    def _count_rows(self, pending: int) -> None:
        if pending != self._pending:
            return  # the filter changed since: its own count is scheduled
        self.count_now()

    def count_now(self) -> int:
        """Count the rows of the current query now (when a caller needs it before the timer)."""
        self._pending += 1
        total = self._members.count(self._query)
        if total > self._count:
            self.beginInsertRows(QModelIndex(), self._count, total - 1)
            self._count = total
            self.endInsertRows()
        elif total < self._count:  # the register changed under the first page: read again
            self.beginResetModel()
            self._count = total
            self._pages.clear()
            self.endResetModel()
        self.counted.emit(self._count)
        return self._count

    # ------------------------------------------------------------------ the query

    @property
    def query(self) -> MemberQuery:
        return self._query

    def set_query(self, query: MemberQuery) -> None:
        self.beginResetModel()
        self._query = query
        self._pages.clear()
        self._read_first_page()
        self.endResetModel()
        if self._count < self.PAGE_SIZE:
            self.counted.emit(self._count)

    def set_filter(self, text: str, party_group_id: uuid.UUID | None = None) -> None:
        q = self._query
        self.set_query(MemberQuery(text, party_group_id, q.sort_field, q.descending))

    def refresh(self) -> None:
        self.set_query(self._query)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.COLUMNS):
            return
        q = self._query
        self.set_query(
            MemberQuery(
                q.text,
                q.party_group_id,
                self.COLUMNS[column][0],
                order == Qt.SortOrder.DescendingOrder,
            )
        )

    # ------------------------------------------------------------------ rows

    def row_at(self, row: int) -> MemberRow | None:
        if not 0 <= row < self._count:
            return None
        return self._pages.row(
            row,
            self.PAGE_SIZE,
            lambda offset, limit: self._members.page(self._query, offset, limit),
        )

    def row_of(self, member_id: uuid.UUID) -> int | None:
        """The row of a member among the loaded pages (after a save, to select it)."""
        for page_no, page in self._pages.items():
            for offset, row in enumerate(page):
                if row.id == member_id:
                    return page_no * self.PAGE_SIZE + offset
        return None

    # ------------------------------------------------------------------ Qt API

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            return _(self.COLUMNS[section][1])
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, self.COLUMNS[index.column()][0])
        if role == self.ROW_ROLE:
            return row
        return None

    @staticmethod
    def _display(row: MemberRow, field: str) -> str:
        if field == "gender":
            return _(GENDERS.get(row.gender, row.gender))
        if field == "status":
            return _(STATUSES.get(row.status, row.status))
        if field == "party_group":
            return row.party_group_name
        if field == "villager_group":
            return row.villager_group_name
        if field in ("birth_date", "joined_on"):
            return format_date(getattr(row, field))
        return str(getattr(row, field) or "")
