# SPDX-License-Identifier: GPL-3.0-or-later
"""The meetings page (会议): what is due this period, the meetings of a year, and for the chosen
meeting its attendance and decisions; prints its sign-in sheet and minutes and the open
decisions."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _, format_date, format_datetime
from desktop.models.meetings.rows import DueRow, MeetingRow
from desktop.models.meetings.service import MeetingService
from desktop.printing import jobs
from desktop.views import ui_state
from desktop.views.meetings.attendance_panel import QUORUM_LABELS, AttendancePanel
from desktop.views.meetings.decisions_panel import DecisionsPanel
from desktop.views.meetings.meeting_dialog import KIND_LABELS, MeetingDialog
from desktop.views.meetings.plan_dialog import PlanDialog
from desktop.views.ops import GROUPS, MEETINGS, MEMBERS, STEWARDS, Ops
from desktop.views.qtmodels.rows_model import Column, RowsTableModel
from desktop.views.widgets.flow import flow_row
from desktop.views.widgets.wrap import WrapLabel

DUE_STATES = {"held": N_("Held"), "due": N_("Not yet held"), "overdue": N_("Overdue")}


def _due_state(row: DueRow) -> str:
    text = _(DUE_STATES[row.state])
    if row.previous_missed:
        text += _(", last period missed")
    return text


DUE_COLUMNS = (
    Column(N_("Kind"), lambda r: r.kind_label),
    Column(
        N_("This period"),
        lambda r: f"{format_date(r.period_start)} – {format_date(r.period_end)}",
    ),
    Column(N_("Due by"), lambda r: format_date(r.due_on)),
    Column(N_("State"), _due_state, warn=lambda r: r.needs_attention),
)
MEETING_COLUMNS = (
    Column(N_("Time"), lambda r: format_datetime(r.starts_at)),
    Column(N_("Kind"), lambda r: r.kind_label),
    Column(N_("Topic"), lambda r: r.topic),
    Column(
        N_("Present/expected"),
        lambda r: f"{r.present}/{r.expected}" if r.held else _("Planned"),
        align_center=True,
    ),
    Column(
        N_("Quorum"),
        # Only where the rules require one (党员大会, 支委会).
        lambda r: _(QUORUM_LABELS[r.quorum]) if r.held and r.quorum in ("met", "not_met") else "",
        warn=lambda r: r.quorum == "not_met",
    ),
    Column(N_("Open decisions"), lambda r: str(r.open_decisions or ""), align_center=True),
)


def _table(name: str, model: RowsTableModel) -> QTableView:
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table


class MeetingsPage(QWidget):
    status_message = Signal(str)

    def __init__(
        self,
        meetings: MeetingService,
        printing: Any = None,
        parent: QWidget | None = None,
        *,
        ops: Ops | None = None,
        today: dt.date | None = None,
    ) -> None:
        """`printing`: the print centre's service (its `sheet()` gives a sheet's data)."""
        super().__init__(parent)
        self.setObjectName("meetings_page")
        self.meetings, self.printing = meetings, printing
        self.ops = ops if ops is not None else Ops(self)
        self.ops.changed.connect(self._on_changed)
        self.today = today or dt.date.today()

        self.kind_filter = QComboBox(objectName="meeting_kind_filter")
        self.kind_filter.addItem("", "")
        for code in KIND_LABELS:
            self.kind_filter.addItem("", code)
        self.year_filter = QSpinBox(objectName="meeting_year_filter")
        self.year_filter.setRange(2000, self.today.year + 1)
        self.year_filter.setValue(self.today.year)
        self.kind_filter.currentIndexChanged.connect(lambda: self.refresh())
        self.year_filter.valueChanged.connect(lambda: self.refresh())
        self.new_button = QPushButton(objectName="new_meeting_button")
        self.new_button.clicked.connect(lambda: self.edit_meeting(None))
        self.edit_button = QPushButton(objectName="edit_meeting_button")
        self.edit_button.clicked.connect(lambda: self.edit_meeting(self.current_id()))
        self.plan_button = QPushButton(objectName="plan_meetings_button")
        self.plan_button.clicked.connect(self.plan)
        self.sign_in_button = QPushButton(objectName="print_sign_in_button")
        self.sign_in_button.clicked.connect(lambda: self.print_sheet(jobs.SIGN_IN))
        self.minutes_button = QPushButton(objectName="print_minutes_button")
        self.minutes_button.clicked.connect(lambda: self.print_sheet(jobs.MINUTES))
        self.decisions_button = QPushButton(objectName="print_decisions_button")
        self.decisions_button.clicked.connect(lambda: self.print_sheet(jobs.DECISIONS))
        self.register_button = QPushButton(objectName="print_register_button")
        self.register_button.clicked.connect(lambda: self.print_sheet(jobs.MEETING_REGISTER))
        self.due_label = WrapLabel(objectName="due_label")
        self.due_model = RowsTableModel(DUE_COLUMNS, self)
        self.due_table = _table("due_table", self.due_model)
        self.due_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.meeting_model = RowsTableModel(MEETING_COLUMNS, self)
        self.meeting_table = _table("meeting_table", self.meeting_model)
        self.meeting_table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch
        )
        self.meeting_table.horizontalHeader().setStretchLastSection(False)
        self.meeting_table.doubleClicked.connect(lambda: self.edit_meeting(self.current_id()))
        self.meeting_table.selectionModel().selectionChanged.connect(self.show_current)
        self.attendance = AttendancePanel(meetings, self.ops, self)
        self.decisions = DecisionsPanel(meetings, self.ops, self.today, self)
        for panel in (self.attendance, self.decisions):
            panel.status_message.connect(self.status_message)
        self.tabs = QTabWidget(objectName="meeting_tabs")
        self.tabs.addTab(self.attendance, "")
        self.tabs.addTab(self.decisions, "")

        self.kind_label, self.year_label = QLabel(), QLabel()
        self.kind_label.setBuddy(self.kind_filter)
        self.year_label.setBuddy(self.year_filter)
        # Over two lines or more at a large text size on a laptop.
        bar = flow_row(
            self.kind_label,
            self.kind_filter,
            self.year_label,
            self.year_filter,
            self.new_button,
            self.edit_button,
            self.plan_button,
            self.sign_in_button,
            self.minutes_button,
            self.decisions_button,
            self.register_button,
        )
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.due_label)
        left_layout.addWidget(self.due_table)
        left_layout.addWidget(self.meeting_table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(bar)
        layout.addWidget(splitter, 1)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.kind_label.setText(_("&Kind:"))
        self.year_label.setText(_("&Year:"))
        for index in range(self.kind_filter.count()):
            code = self.kind_filter.itemData(index)
            self.kind_filter.setItemText(index, _(KIND_LABELS[code]) if code else _("All kinds"))
        self.new_button.setText(_("&New meeting…"))
        self.edit_button.setText(_("&Edit…"))
        self.plan_button.setText(_("&Plan…"))
        self.plan_button.setToolTip(
            _("How often each kind of meeting is due, and who sits on the branch committee")
        )
        self.sign_in_button.setText(_("Sign-in sheet…"))
        self.minutes_button.setText(_("Minutes…"))
        self.decisions_button.setText(_("Open decisions…"))
        self.register_button.setText(_("Year's register…"))
        for button, tip in (
            (self.sign_in_button, _("Save the chosen meeting's sign-in sheet as a PDF")),
            (self.minutes_button, _("Save the chosen meeting's minutes as a PDF")),
            (self.decisions_button, _("Save the list of open decisions as a PDF")),
            (
                self.register_button,
                _("Save the chosen year's meeting register (held, attendance rates) as a PDF"),
            ),
        ):
            button.setToolTip(tip)
        self.tabs.setTabText(0, _("Attendance"))
        self.tabs.setTabText(1, _("Decisions"))
        self.attendance.retranslate()
        self.decisions.retranslate()

    # ------------------------------------------------------------------ showing

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Read what is due, the meetings of the chosen year and kind, and the chosen meeting."""
        select = select or self.current_id()
        due = self.meetings.due(self.today)
        shown = [r for r in due if r.state != "held" or r.previous_missed]
        self.due_model.set_rows(shown)
        overdue = sum(r.state == "overdue" for r in due)
        self.due_label.setText(
            _("Due this period: {due}, overdue: {overdue}").format(
                due=sum(r.state == "due" for r in due), overdue=overdue
            )
            if shown
            else _("Every kind of meeting has been held this period.")
        )
        self.due_table.setVisible(bool(shown))
        self.due_table.setMaximumHeight(
            self.due_table.horizontalHeader().height()
            + self.due_table.verticalHeader().defaultSectionSize() * max(1, len(shown))
            + 4
        )
        rows = self.meetings.meetings(
            self.year_filter.value(), self.kind_filter.currentData() or None
        )
        self.meeting_model.set_rows(rows)
        if select is None or not self.meeting_model.select_record(self.meeting_table, select):
            self.show_current()

    def current(self) -> MeetingRow | None:
        rows = self.meeting_table.selectionModel().selectedRows()
        return self.meeting_model.row_at(rows[0].row()) if rows else None

    def current_id(self) -> uuid.UUID | None:
        row = self.current()
        return row.id if row else None

    def show_current(self) -> None:
        meeting_id = self.current_id()
        detail = self.meetings.overview(meeting_id) if meeting_id else None
        self.attendance.show_detail(detail)
        self.decisions.show_detail(detail)
        for button in (self.edit_button, self.sign_in_button, self.minutes_button):
            button.setEnabled(detail is not None)

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {MEETINGS, MEMBERS, GROUPS, STEWARDS}:
            self.refresh()

    # ------------------------------------------------------------------ actions

    def edit_meeting(self, meeting_id: uuid.UUID | None) -> None:
        dialog = MeetingDialog(self.meetings, meeting_id, self, ops=self.ops)
        dialog.meeting_saved.connect(self._on_saved)
        dialog.open()

    def plan(self) -> None:
        """The frequencies and the committee, in a dialog that saves each change at once."""
        dialog = PlanDialog(self.meetings, self.ops, self.today, self)
        dialog.open()

    def _on_saved(self, meeting_id: uuid.UUID) -> None:
        """Show the year of the meeting just saved and choose it."""
        row = self.meetings.overview(meeting_id).meeting
        if row.starts_at.year != self.year_filter.value():
            self.year_filter.setValue(row.starts_at.year)
        if self.kind_filter.currentData() not in ("", row.kind):
            self.kind_filter.setCurrentIndex(0)
        self.refresh(select=meeting_id)

    def ask_save_path(self, suggested: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save as PDF"),
            str(Path(ui_state.last_folder()) / suggested),
            _("PDF files (*.pdf)"),
        )
        return path

    def print_sheet(self, document: str) -> None:
        """Lay out a sheet as a PDF file the clerk chooses (sign-in, minutes, open decisions, the
        register of the year shown)."""
        for_meeting = document in (jobs.SIGN_IN, jobs.MINUTES)
        meeting_id = self.current_id() if for_meeting else None
        if for_meeting and meeting_id is None:
            self.status_message.emit(_("Choose a meeting first."))
            return
        names = {
            jobs.SIGN_IN: _("sign-in sheet"),
            jobs.MINUTES: _("minutes"),
            jobs.DECISIONS: _("open decisions"),
            jobs.MEETING_REGISTER: _("meeting register"),
        }
        year = self.year_filter.value() if document == jobs.MEETING_REGISTER else None
        path = self.ask_save_path(f"{names[document]}{year or ''}.pdf")
        if not path or self.printing is None:
            return
        ui_state.set_last_folder(str(Path(path).parent))
        options = jobs.choose_options(document, meeting_id=meeting_id, year=year)
        today = self.today

        def render() -> Path:
            data = self.printing.sheet(document, today, year=year, meeting_id=meeting_id)
            jobs.write_pdf(Path(path), options, data)
            return Path(path)

        self.ops.run(
            self,
            render,
            (),
            done=lambda saved: self.status_message.emit(_("Saved {path}").format(path=saved)),
            progress=_("Laying out the sheet…"),
        )
