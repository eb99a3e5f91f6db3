# SPDX-License-Identifier: GPL-3.0-or-later
"""The audit trail: who changed what and when, filtered by user, record and period; read-only.

The page only reads the change log (desktop/models/audit.py) and offers no way to change it;
the table's cells cannot be edited. "Export…" writes what is shown (without the view's limit)
as CSV, UTF-8 with a BOM so that Excel shows the Chinese text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.i18n import _, format_datetime, qt_date_format
from desktop.models.audit import trail
from desktop.models.audit.service import AuditService
from desktop.models.audit.trail import AuditEntry, AuditQuery, Cursor
from desktop.views import messages
from desktop.views.keys import to_table_on_enter
from desktop.views.ops import Ops
from desktop.views.widgets.flow import flow_row
from desktop.views.widgets.wrap import WrapLabel

#: How long the record filter waits for the next keystroke before it looks (ms).
RECORD_DELAY_MS = 200
#: The period choices: (key, days back; None: no limit, -1: the dates chosen below).
PERIODS = (("all", None), ("today", 0), ("week", 6), ("month", 29), ("dates", -1))


class AuditModel(QAbstractTableModel):
    """The entries matching a query as a read-only table (no cell is editable), newest first.

    Only the first page is read when the query changes; the view asks for the next one
    (`fetchMore`) as the clerk scrolls to the end, up to `trail.VIEW_LIMIT` entries: a county's
    ten million entries are never read into memory (#22)."""

    COLUMNS = 9

    def __init__(self, audit: AuditService | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.audit = audit
        self.query = AuditQuery()
        self.entries: list[AuditEntry] = []
        self.headers: list[str] = []
        self._after: Cursor | None = None
        self._times: dict[int, str] = {}
        #: The record filter took only the first `trail.MATCH_LIMIT` matching records.
        self.capped = False

    def set_query(self, query: AuditQuery) -> None:
        """Show the first page of `query` (read now)."""
        assert self.audit is not None
        page = self.audit.page(query, None, trail.PAGE_SIZE)
        self.beginResetModel()
        self.query, self.entries, self._after = query, list(page.entries), page.after
        self.capped = page.capped
        self._times.clear()
        self.endResetModel()

    def set_entries(self, entries: list[AuditEntry]) -> None:
        self.beginResetModel()
        self.entries, self._after, self.capped = entries, None, False
        self._times.clear()
        self.endResetModel()

    def complete(self) -> bool:
        """Whether every matching entry is held (no further page)."""
        return self._after is None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> bool:
        if parent is not None and parent.isValid():
            return False
        return self._after is not None and len(self.entries) < trail.VIEW_LIMIT

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> None:
        if not self.canFetchMore(parent) or self.audit is None:
            return
        size = min(trail.PAGE_SIZE, trail.VIEW_LIMIT - len(self.entries))
        page = self.audit.page(self.query, self._after, size)
        if page.entries:
            first = len(self.entries)
            self.beginInsertRows(QModelIndex(), first, first + len(page.entries) - 1)
            self.entries.extend(page.entries)
            self.endInsertRows()
        self._after = page.after

    def set_headers(self, headers: list[str]) -> None:
        """The headers in the current language (the times are formatted in it anew)."""
        self.headers = headers
        self._times.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(headers) - 1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else self.COLUMNS

    def text(self, row: int, column: int) -> str:
        if column == 0:  # formatted once per row: Babel's formatting is the slow part
            return self._times.get(row) or self._times.setdefault(
                row, format_datetime(self.entries[row].when, seconds=True)
            )
        e = self.entries[row]
        if column == 7:
            return trail.display_value(e.old_value)
        if column == 8:
            return trail.display_value(e.new_value)
        return (e.user, e.origin_label, e.entity_label, e.record, e.op_label, e.field_label)[
            column - 1
        ]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(index.row(), index.column())
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and section < len(self.headers)
        ):
            return self.headers[section]
        return None


class AuditPage(QWidget):
    status_message = Signal(str)
    #: The widest a short column is fitted to its rows, in Chinese characters of the table's
    #: font (so it grows with the text size); the clerk can widen it.
    MAX_FIT_CHARACTERS = 18

    def __init__(
        self, audit: AuditService, parent: QWidget | None = None, *, ops: Ops | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("audit_page")
        self.audit = audit
        self.ops = ops if ops is not None else Ops(self)
        #: Every change is logged: a page in view shows it at once, a hidden one on showing.
        self.ops.changed.connect(self._on_changed)

        self.user_combo = QComboBox(objectName="audit_user")
        self.record_edit = QLineEdit(objectName="audit_record")
        self.record_edit.setClearButtonEnabled(True)
        self.period_combo = QComboBox(objectName="audit_period")
        self.since_edit = QDateEdit(objectName="audit_since", calendarPopup=True)
        self.until_edit = QDateEdit(objectName="audit_until", calendarPopup=True)
        for edit in (self.since_edit, self.until_edit):
            edit.setDisplayFormat(qt_date_format())
            edit.setDate(QDate.currentDate())
        self.export_button = QPushButton(objectName="audit_export")
        self._user_label, self._record_label = QLabel(), QLabel()
        self._period_label, self._to_label = QLabel(), QLabel()
        self._user_label.setBuddy(self.user_combo)
        self._record_label.setBuddy(self.record_edit)
        self._period_label.setBuddy(self.period_combo)
        self.count_label = WrapLabel(objectName="audit_count")

        self.model = AuditModel(audit, self)
        self.table = QTableView(objectName="audit_table")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # The time column is sized from the rows in view, not from every row held.
        self.table.horizontalHeader().setResizeContentsPrecision(50)

        # Over two lines or more at a large text size on a laptop.
        filters = flow_row(
            self._user_label,
            self.user_combo,
            self._record_label,
            self.record_edit,
            self._period_label,
            self.period_combo,
            self.since_edit,
            self._to_label,
            self.until_edit,
            self.export_button,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        self.retranslate()
        self.user_combo.currentIndexChanged.connect(self.reload)
        # A record's name is looked for in the tables (half a second at 100,000 members):
        # once the clerk pauses typing, or at once on Enter or Down (as the register's filter).
        self._record_timer = QTimer(self, singleShot=True, interval=RECORD_DELAY_MS)
        self._record_timer.timeout.connect(self.reload)
        self.record_edit.textChanged.connect(self._record_timer.start)
        to_table_on_enter(self.record_edit, self.table, before=self._apply_record)
        self.period_combo.currentIndexChanged.connect(self._on_period_changed)
        self.since_edit.dateChanged.connect(self.reload)
        self.until_edit.dateChanged.connect(self.reload)
        self.export_button.clicked.connect(self._on_export_clicked)
        self._on_period_changed()

    def retranslate(self) -> None:
        self._user_label.setText(_("&User:"))
        self._record_label.setText(_("&Record:"))
        self.record_edit.setPlaceholderText(_("name, pinyin or ID number"))
        self._period_label.setText(_("&Period:"))
        self._to_label.setText(_("to"))
        self.export_button.setText(_("&Export to CSV…"))
        periods = {
            "all": _("All"),
            "today": _("Today"),
            "week": _("Last 7 days"),
            "month": _("Last 30 days"),
            "dates": _("From the date to the date"),
        }
        current = self.period_combo.currentIndex()
        self.period_combo.blockSignals(True)
        self.period_combo.clear()
        for key, _days in PERIODS:
            self.period_combo.addItem(periods[key], key)
        self.period_combo.setCurrentIndex(max(current, 0))
        self.period_combo.blockSignals(False)
        self.model.set_headers(
            [
                _("Time"),
                _("User"),
                _("PC"),
                _("Kind"),
                _("Record"),
                _("Change"),
                _("Field"),
                _("Old value"),
                _("New value"),
            ]
        )

    # ------------------------------------------------------------------ filters

    def query(self) -> AuditQuery:
        user = self.user_combo.currentData()
        days = dict(PERIODS)[self.period_combo.currentData() or "all"]
        since = until = None
        if days == -1:
            since = self.since_edit.date().toPython()
            until = self.until_edit.date().toPython()
        elif days is not None:
            since = dt.date.today() - dt.timedelta(days=days)
        return AuditQuery(
            user=user or None,
            record=self.record_edit.text().strip() or None,
            since=since,
            until=until,
        )

    def _on_period_changed(self) -> None:
        chosen = self.period_combo.currentData() == "dates"
        for widget in (self.since_edit, self._to_label, self.until_edit):
            widget.setVisible(chosen)
        if self.isVisible():  # otherwise showEvent reads the log, once, when it is shown
            self.reload()

    def _reload_users(self) -> None:
        users = self.audit.users()
        current = self.user_combo.currentData()
        self.user_combo.blockSignals(True)
        self.user_combo.clear()
        self.user_combo.addItem(_("Everyone"), None)
        for user in users:
            self.user_combo.addItem(user, user)
        index = self.user_combo.findData(current) if current else 0
        self.user_combo.setCurrentIndex(max(index, 0))
        self.user_combo.blockSignals(False)

    def _apply_record(self) -> None:
        if self._record_timer.isActive():
            self.reload()

    def reload(self) -> None:
        """The first page of the filters' entries now; the count on the event loop's next
        turn, after the page is on screen (counted up to `trail.VIEW_LIMIT`)."""
        self._record_timer.stop()
        query = self.query()
        try:
            self.model.set_query(query)
        except UserError as error:
            messages.show_error(self, error)
            return
        self._fit_columns()
        if self.model.complete():
            self._show_count(len(self.model.entries))
        else:
            self.count_label.setText("")
            QTimer.singleShot(0, lambda: self._count(query))

    def _fit_columns(self) -> None:
        """The short columns (time to field) fit the rows in view, each at most
        `MAX_FIT_CHARACTERS` wide; the old and new values share what is left. A PC's name is
        shown whole: names begin with the branch's, and only their end tells two PCs apart."""
        widest = self.table.fontMetrics().horizontalAdvance("中" * self.MAX_FIT_CHARACTERS)
        for column in range(AuditModel.COLUMNS - 2):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))

    def _count(self, query: AuditQuery) -> None:
        if query != self.model.query:  # the filters changed meanwhile: that reload counts
            return
        try:
            n = self.audit.count(query, trail.VIEW_LIMIT)
        except UserError as error:
            messages.show_error(self, error)
            return
        self._show_count(n)

    def _show_count(self, n: int) -> None:
        if n > trail.VIEW_LIMIT:
            text = _(
                "More than {n} changes: the newest {n} are shown as you scroll; narrow the "
                "filter, or export them all."
            )
            n = trail.VIEW_LIMIT
        else:
            text = _("{n} changes.")
        text = text.format(n=n)
        if self.model.capped:
            text += " " + _(
                "More than {n} records match the name: only the changes of the first {n} are "
                "shown; type more of it."
            ).format(n=trail.MATCH_LIMIT)
        self.count_label.setText(text)

    def _on_changed(self, _areas: frozenset[str]) -> None:
        if self.isVisible():
            self._reload_users()
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        self._reload_users()
        self.reload()
        super().showEvent(event)

    # ------------------------------------------------------------------ export

    def _on_export_clicked(self) -> None:
        name = f"audit-{dt.date.today():%Y%m%d}.csv"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the audit trail"), str(Path.home() / name), _("CSV files (*.csv)")
        )
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> int:
        """Every entry matching the filters (not only the newest shown) to a CSV file."""
        try:
            n = self.audit.export_csv(self.query(), path)
        except UserError as error:
            messages.show_error(self, error)
            return 0
        self.status_message.emit(_("Exported {n} changes to {path}.").format(n=n, path=path))
        return n
