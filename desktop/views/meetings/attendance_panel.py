# SPDX-License-Identifier: GPL-3.0-or-later
"""Who attended the chosen meeting: present, 请假 with a reason, absent; guests; 补课.

Everyone who should attend is listed, recorded or not; choose people (Shift/Ctrl for several),
a state and a reason, and Record. "Everyone else present" fills the rest in one step.

The list is read a page at a time as it scrolls (a branch meeting at a county's scale expects
500,000 members), and its counts and quorum are counted by the database (#22).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _, format_date, qt_date_format
from desktop.models.meetings.rows import AttendanceEntry, AttendanceLine, MeetingOverview
from desktop.models.meetings.service import MeetingService
from desktop.views.ops import MEETINGS, Ops
from desktop.views.qtmodels.paged_model import NOTHING, PagedRowsModel
from desktop.views.qtmodels.rows_model import Column
from desktop.views.widgets.flow import flow_row

STATE_LABELS = {
    "present": N_("Present"),
    "leave": N_("Absent with leave"),
    "absent": N_("Absent"),
}
QUORUM_LABELS = {
    "": N_("Not checked"),
    "not_required": N_("No quorum required"),
    "met": N_("Quorum met"),
    "not_met": N_("No quorum"),
}


def _state_text(line: AttendanceLine) -> str:
    return _(STATE_LABELS[line.state]) if line.state else _("Not recorded")


def _made_up(line: AttendanceLine) -> str:
    if line.made_up_on:
        return format_date(line.made_up_on)
    return _("To make up") if line.state in ("leave", "absent") and line.member_id else ""


COLUMNS = (
    Column(N_("Name"), lambda r: r.name + (f"({r.guest_org})" if r.guest_org else "")),
    Column(N_("Attendance"), _state_text, warn=lambda r: r.state == "absent"),
    Column(N_("Reason"), lambda r: r.reason),
    Column(N_("Make-up"), _made_up, warn=lambda r: _made_up(r) == _("To make up")),
)


def quorum_text(overview: MeetingOverview) -> str:
    m, quorum = overview.meeting, overview.quorum
    counts = _(
        "Expected {expected}, present {present}, with leave {leave}, absent {absent}"
    ).format(expected=m.expected, present=m.present, leave=m.leave, absent=m.absent)
    state = _(QUORUM_LABELS.get(quorum.state, quorum.state))
    if quorum.state in ("met", "not_met"):
        state += _(" ({present} of {voters} voting members present, {needed} needed)").format(
            present=quorum.voters_present, voters=quorum.voters, needed=quorum.needed
        )
    return f"{counts} · {state}"


class AttendancePanel(QWidget):
    status_message = Signal(str)

    def __init__(self, meetings: MeetingService, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.meetings, self.ops = meetings, ops
        self.meeting_id: uuid.UUID | None = None
        self.model = PagedRowsModel(COLUMNS, self)
        self.table = QTableView(objectName="attendance_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        # Names and reasons in full at any text size; the table scrolls sideways when narrow.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setResizeContentsPrecision(self.model.PAGE_SIZE)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.quorum_label = QLabel(objectName="quorum_label")
        self.quorum_label.setWordWrap(True)
        self.state_combo = QComboBox(objectName="attendance_state")
        for code in STATE_LABELS:
            self.state_combo.addItem("", code)
        self.reason_edit = QLineEdit(objectName="attendance_reason")
        self.reason_edit.returnPressed.connect(self.record_selected)
        self.record_button = QPushButton(objectName="attend_button")
        self.record_button.clicked.connect(self.record_selected)
        self.all_present_button = QPushButton(objectName="all_present_button")
        self.all_present_button.clicked.connect(self.all_others_present)
        self.guest_name = QLineEdit(objectName="guest_name")
        self.guest_org = QLineEdit(objectName="guest_org")
        self.guest_button = QPushButton(objectName="add_guest_button")
        self.guest_button.clicked.connect(self.add_guest)
        self.guest_org.returnPressed.connect(self.add_guest)
        self.make_up_date = QDateEdit(QDate.currentDate(), objectName="make_up_date")
        self.make_up_date.setDisplayFormat(qt_date_format())
        self.make_up_date.setCalendarPopup(True)
        self.make_up_button = QPushButton(objectName="make_up_button")
        self.make_up_button.clicked.connect(self.record_make_up)

        # Each row goes on over more lines at a large text size on a laptop.
        record = flow_row(
            self.state_combo, self.reason_edit, self.record_button, self.all_present_button
        )
        others = flow_row(
            self.guest_name,
            self.guest_org,
            self.guest_button,
            self.make_up_date,
            self.make_up_button,
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.quorum_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(record)
        layout.addWidget(others)
        self.retranslate()
        self.show_detail(None)

    def retranslate(self) -> None:
        for index in range(self.state_combo.count()):
            self.state_combo.setItemText(index, _(STATE_LABELS[self.state_combo.itemData(index)]))
        self.reason_edit.setPlaceholderText(_("Reason (for leave or absence)"))
        self.record_button.setText(_("Record for the chosen"))
        self.all_present_button.setText(_("Everyone else present"))
        self.guest_name.setPlaceholderText(_("Guest's name"))
        self.guest_org.setPlaceholderText(_("Organisation or post"))
        self.guest_button.setText(_("Add guest"))
        self.make_up_button.setText(_("Made up on this day"))
        self.make_up_button.setToolTip(_("Record the make-up lesson (补课) of the chosen people"))

    def show_detail(self, detail: MeetingOverview | None) -> None:
        """Show one meeting's people (None: no meeting chosen)."""
        self.meeting_id = meeting_id = detail.meeting.id if detail else None
        if meeting_id is None:
            self.model.set_source(*NOTHING)
        else:
            self.model.set_source(
                lambda: self.meetings.attendance_count(meeting_id),
                lambda offset, limit: self.meetings.attendance_page(meeting_id, offset, limit),
            )
        self.quorum_label.setText(
            quorum_text(detail) if detail else _("Choose a meeting to record who attended.")
        )
        for widget in (self.record_button, self.all_present_button, self.guest_button):
            widget.setEnabled(detail is not None)
        self.make_up_button.setEnabled(detail is not None)

    def chosen(self) -> list[AttendanceLine]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.row_at(index.row()) for index in rows]

    def record_selected(self) -> None:
        chosen = self.chosen()
        if self.meeting_id is None or not chosen:
            self.status_message.emit(_("Choose the people to record first."))
            return
        state = self.state_combo.currentData()
        reason = self.reason_edit.text()
        entries = [
            AttendanceEntry(
                state,
                member_id=line.member_id,
                guest_name="" if line.member_id else line.name,
                guest_org=line.guest_org,
                reason=reason,
            )
            for line in chosen
        ]
        self._attend(entries)
        self.reason_edit.clear()

    def all_others_present(self) -> None:
        if self.meeting_id is not None:
            self._attend([], all_present=True)

    def add_guest(self) -> None:
        name = self.guest_name.text().strip()
        if self.meeting_id is None or not name:
            self.status_message.emit(_("Give the guest's name."))
            return
        self._attend([AttendanceEntry("present", guest_name=name, guest_org=self.guest_org.text())])
        self.guest_name.clear()
        self.guest_org.clear()

    def _attend(self, entries: list[AttendanceEntry], all_present: bool = False) -> None:
        meeting_id = self.meeting_id
        assert meeting_id is not None
        self.ops.run(self, lambda: self.meetings.mark(meeting_id, entries, all_present), {MEETINGS})

    def record_make_up(self) -> None:
        chosen = [
            line
            for line in self.chosen()
            if line.attendance_id and line.member_id and line.state in ("leave", "absent")
        ]
        if not chosen:
            self.status_message.emit(_("Choose people who were absent first."))
            return
        on = self.make_up_date.date().toPython()

        def save() -> None:
            for line in chosen:
                assert line.attendance_id is not None
                self.meetings.make_up(line.attendance_id, on)

        self.ops.run(self, save, {MEETINGS})
