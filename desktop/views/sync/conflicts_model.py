# SPDX-License-Identifier: GPL-3.0-or-later
"""The open conflicts as a Qt list model that pages from the database, and their wording.

A first import between two loaded PCs leaves thousands of conflicts (a county hub far more):
only the count is read for the whole list, and each conflict is read and named when the view
scrolls to its page (`PAGE_SIZE` conflicts, a few pages kept), as the register pages (#22).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from desktop.i18n import _, format_datetime
from desktop.sync.conflicts import KEEP, REMOVE
from desktop.sync.readmodels import CLOCK_AHEAD, ConflictOption, ConflictQuery, ConflictRow
from desktop.sync.service import SyncService
from desktop.views.qtmodels.page_cache import PageCache

Index = QModelIndex | QPersistentModelIndex


def when_text(value: dt.datetime | None) -> str:
    return format_datetime(value) if value else _("not yet")


def _where(option: ConflictOption) -> str:
    """Which PC a version comes from: this one, or the other one (by its name when known)."""
    if option.here:
        return _("this PC")
    if option.replica_name:
        return _("the other PC ({name})").format(name=option.replica_name)
    return _("the other PC")


def shown(text: str) -> str:
    return text or _("(empty)")


def option_text(option: ConflictOption) -> str:
    """A choice as a clerk reads it: 本机的值：138…（刘，2026年12月5日 10:00）."""
    if option.value == KEEP:
        text = _("Keep the record, with the edits made meanwhile")
    elif option.value == REMOVE:
        text = _("Remove the record")
    elif option.here:
        text = _("The value on this PC: {value}").format(value=shown(option.text))
    else:
        text = _("The value on {pc}: {value}").format(pc=_where(option), value=shown(option.text))
    who = option.actor or option.replica_name
    when = when_text(option.when)
    text += " " + (_("({who}, {when})").format(who=who, when=when) if who else f"({when})")
    if option.clock_ahead:
        text += "  " + _(CLOCK_AHEAD)
    return text + ("  " + _("(shown now)") if option.shown else "")


def conflict_sentence(conflict: ConflictRow) -> str:
    """第一党小组 刘志强 的联系电话：本机 138…，另一台电脑 139…"""
    if conflict.kind == "delete":
        return _("{record}: removed on one PC, edited on another").format(record=conflict.record)
    versions = _("; ").join(
        _("{pc}: {value}").format(pc=_where(o), value=shown(o.text)) for o in conflict.options
    )
    return _("{record}, {field}: {versions}").format(
        record=conflict.record, field=conflict.field_label, versions=versions
    )


class ConflictListModel(QAbstractListModel):
    """The open conflicts a `ConflictQuery` admits, oldest first, read a page at a time."""

    ROW_ROLE = Qt.ItemDataRole.UserRole + 1
    #: Each conflict read is named (its record, its values, the PCs): a page is kept small.
    PAGE_SIZE = 50
    MAX_PAGES = 8

    def __init__(self, sync: SyncService, parent: Any = None) -> None:
        super().__init__(parent)
        self._sync = sync
        self._query = ConflictQuery()
        self._pages: PageCache[ConflictRow] = PageCache(self.MAX_PAGES)
        self._count = 0
        #: (offset, limit) of every page read since the last reset (what the tests bound).
        self.reads: list[tuple[int, int]] = []

    @property
    def query(self) -> ConflictQuery:
        return self._query

    def set_query(self, query: ConflictQuery) -> None:
        """List what `query` admits (also after a change: read again from the database)."""
        self.beginResetModel()
        self._query = query
        self._pages.clear()
        self.reads = []
        self._count = self._sync.conflict_count(query)
        self.endResetModel()

    def refresh(self) -> None:
        self.set_query(self._query)

    def _read(self, offset: int, limit: int) -> list[ConflictRow]:
        self.reads.append((offset, limit))
        return self._sync.conflict_page(self._query, offset, limit)

    def row_at(self, row: int) -> ConflictRow | None:
        """The conflict listed at `row` (None: no such row, or settled since it was counted)."""
        if not 0 <= row < self._count:
            return None
        return self._pages.row(row, self.PAGE_SIZE, self._read)

    def rows_held(self) -> int:
        return sum(len(page) for page in self._pages.values())

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, self.ROW_ROLE):
            return None
        conflict = self.row_at(index.row())
        if conflict is None:
            return None
        if role == self.ROW_ROLE:
            return conflict
        return conflict_sentence(conflict)


class OneLineDelegate(QStyledItemDelegate):
    """Every row one line as high as the first, as wide as the view (a long sentence is
    elided; its tooltip holds it whole). A view with uniform item sizes measures a sample row
    (Qt takes the last one), which would read the last page for nothing."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(1, super().sizeHint(option, index.siblingAtRow(0)).height())


__all__ = [
    "ConflictListModel",
    "OneLineDelegate",
    "conflict_sentence",
    "option_text",
    "shown",
    "when_text",
]
