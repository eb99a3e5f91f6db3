# SPDX-License-Identifier: GPL-3.0-or-later
"""Planning the branch's meetings: how often each kind is due (三会一课 and the joint meeting),
and who sits on the branch committee (the audience of a 支委会).

Each change is saved by itself through `Ops` as soon as it is made (a frequency chosen, a member
seated, a seat ended), so the page's due list behind the dialog follows at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.i18n import N_, _, format_date
from desktop.models.meetings.rows import EVERY, CommitteeSeatRow, FrequencyRow
from desktop.models.meetings.service import MeetingService
from desktop.views.ops import MEETINGS, Ops
from desktop.views.qtmodels.rows_model import Column, RowsTableModel
from desktop.views.search_picker import Choice, SearchPicker

POST_LABELS = {
    "secretary": N_("Secretary"),
    "deputy": N_("Deputy secretary"),
    "organisation": N_("Organisation member"),
    "publicity": N_("Publicity member"),
    "discipline": N_("Discipline member"),
    "member": N_("Committee member"),
}
SEAT_COLUMNS = (
    Column(N_("Name"), lambda r: r.name),
    Column(N_("Post"), lambda r: r.post_label),
    Column(N_("Since"), lambda r: format_date(r.started_on)),
)


class PlanDialog(QDialog):
    def __init__(
        self, meetings: MeetingService, ops: Ops, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("meeting_plan_dialog")
        self.setWindowTitle(_("Plan the meetings"))
        self.meetings, self.ops, self.today = meetings, ops, today
        self.rows: list[FrequencyRow] = []

        self.frequencies = QTableWidget(0, 3, objectName="frequency_table")
        self.frequencies.setHorizontalHeaderLabels(
            [_("Kind of meeting"), _("Required"), _("Held by day (0: the period's end)")]
        )
        self.frequencies.verticalHeader().hide()
        self.frequencies.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.frequencies.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.every: dict[str, QComboBox] = {}
        self.days: dict[str, QSpinBox] = {}

        self.seat_model = RowsTableModel(SEAT_COLUMNS, self)
        self.seats = QTableView(objectName="committee_table")
        self.seats.setModel(self.seat_model)
        self.seats.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.seats.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.seats.verticalHeader().hide()
        self.seats.horizontalHeader().setStretchLastSection(True)
        # Type a name, its pinyin or initials: the first matches are offered, not the register.
        self.member_picker = SearchPicker(self._search_members, name="seat_member")
        self.post_combo = QComboBox(objectName="seat_post")
        for code, label in POST_LABELS.items():
            self.post_combo.addItem(_(label), code)
        self.since_edit = QDateEdit(
            QDate(today.year, today.month, today.day), objectName="seat_since"
        )
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_edit.setCalendarPopup(True)
        self.seat_button = QPushButton(_("&Seat"), objectName="seat_button")
        self.seat_button.setToolTip(_("Put the member on the committee in this post"))
        self.seat_button.clicked.connect(self.seat)
        self.end_button = QPushButton(_("&End the chosen seat"), objectName="end_seat_button")
        self.end_button.setToolTip(
            _("The member leaves the committee: from today they no longer sit on it")
        )
        self.end_button.clicked.connect(self.end_seat)
        self.problem = QLabel(objectName="plan_problem")
        self.problem.setStyleSheet("color: #b3261e")
        self.problem.setWordWrap(True)

        often = QWidget()
        often_layout = QVBoxLayout(often)
        note = QLabel(
            _(
                "Periods are calendar months, quarters and years. A kind that is not required "
                "is never shown as due."
            )
        )
        note.setWordWrap(True)
        often_layout.addWidget(note)
        often_layout.addWidget(self.frequencies)
        committee = QWidget()
        committee_layout = QVBoxLayout(committee)
        committee_layout.addWidget(self.seats, 1)
        entry = QHBoxLayout()
        for widget in (self.member_picker, self.post_combo, self.since_edit, self.seat_button):
            entry.addWidget(widget)
        committee_layout.addLayout(entry)
        end_row = QHBoxLayout()
        end_row.addWidget(self.end_button)
        end_row.addStretch()
        committee_layout.addLayout(end_row)
        self.tabs = QTabWidget(objectName="plan_tabs")
        self.tabs.addTab(often, _("How often"))
        self.tabs.addTab(committee, _("Branch committee"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(620, 420)
        self.load()

    # ------------------------------------------------------------------ reading

    def load(self) -> None:
        self.rows = self.meetings.frequencies()
        self.frequencies.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            item = self.frequencies.item(r, 0)
            if item is None:
                item = QTableWidgetItem()
                self.frequencies.setItem(r, 0, item)
            item.setText(row.kind_label)
            every = self.every.get(row.kind)
            if every is None:
                every = QComboBox(objectName=f"every_{row.kind}")
                for months, label in EVERY.items():
                    every.addItem(_(label), months)
                day = QSpinBox(objectName=f"day_{row.kind}")
                day.setRange(0, 31)
                day.setSpecialValueText(_("period's end"))
                self.every[row.kind], self.days[row.kind] = every, day
                self.frequencies.setCellWidget(r, 1, every)
                self.frequencies.setCellWidget(r, 2, day)
                every.activated.connect(lambda _i, kind=row.kind: self.save_frequency(kind))
                day.editingFinished.connect(lambda kind=row.kind: self.save_frequency(kind))
            every = self.every[row.kind]
            every.blockSignals(True)
            every.setCurrentIndex(max(every.findData(row.months), 0))
            every.blockSignals(False)
            self.days[row.kind].blockSignals(True)
            self.days[row.kind].setValue(row.day or 0)
            self.days[row.kind].blockSignals(False)
        self.seat_model.set_rows(self.meetings.committee(self.today))
        self.member_picker.clear_choice()

    def current_seat(self) -> CommitteeSeatRow | None:
        rows = self.seats.selectionModel().selectedRows()
        return self.seat_model.row_at(rows[0].row()) if rows else None

    # ------------------------------------------------------------------ writing

    def _run(self, fn: Callable[[], object]) -> None:
        """Save one change; read everything again after it (or after a refusal, whose reason
        is shown under the tabs)."""

        def refused(error: UserError) -> bool:
            self.problem.setText(error.message)
            self.load()
            return True

        def finished(_result: object) -> None:
            self.problem.clear()
            self.load()

        self.ops.run(self, fn, {MEETINGS}, done=finished, refused=refused)

    def save_frequency(self, kind: str) -> None:
        months = self.every[kind].currentData()
        day = self.days[kind].value() or None
        current = next((r for r in self.rows if r.kind == kind), None)
        if current is not None and (current.months, current.day) == (months, day):
            return
        self._run(lambda: self.meetings.set_frequency(kind, months, day))

    def _search_members(self, text: str, limit: int) -> list[Choice]:
        """Members matching `text` who hold no seat yet."""
        seated = {r.member_id for r in self.seat_model.rows()}
        found = self.meetings.candidates(text, limit + len(seated))
        return [Choice(mid, name) for mid, name in found if mid not in seated][:limit]

    def seat(self) -> None:
        member_id = self.member_picker.current_key()
        if member_id is None:
            self.problem.setText(_("Choose a member of the branch from the list."))
            self.member_picker.setFocus()
            return
        post = self.post_combo.currentData()
        since = self.since_edit.date().toPython()
        self._run(lambda: self.meetings.seat(member_id, post, since))

    def end_seat(self) -> None:
        seat = self.current_seat()
        if seat is None:
            self.problem.setText(_("Choose a seat first."))
            return
        last_day = self.today - dt.timedelta(days=1)  # a seat's end day is its last day
        self._run(lambda: self.meetings.end_seat(seat.id, last_day))
