# SPDX-License-Identifier: GPL-3.0-or-later
"""Decisions (议定事项): the chosen meeting's, or every open one; overdue ones in red.

Open decisions of earlier joint meetings are carried over to the next joint meeting's agenda:
with a meeting's decisions shown, those carried to it are listed after its own.
"""

from __future__ import annotations

import datetime as dt
import uuid

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _, format_date, qt_date_format
from desktop.models.meetings.rows import DecisionRow, MeetingOverview
from desktop.models.meetings.service import MeetingService
from desktop.views import messages
from desktop.views.meetings.decision_dialog import DecisionDialog
from desktop.views.ops import MEETINGS, Ops
from desktop.views.qtmodels.rows_model import Column, RowsTableModel

STATE_LABELS = {"open": N_("Open"), "done": N_("Done"), "dropped": N_("Dropped")}
SCOPES = (("open", N_("All open decisions")), ("meeting", N_("This meeting's decisions")))


class DecisionsPanel(QWidget):
    status_message = Signal(str)

    def __init__(
        self,
        meetings: MeetingService,
        ops: Ops,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.meetings, self.ops, self.today = meetings, ops, today
        self.detail: MeetingOverview | None = None
        self._carried: set[uuid.UUID] = set()

        def state(row: DecisionRow) -> str:
            if row.overdue(self.today):
                return _("Overdue")
            if row.id in self._carried:
                return _("Carried over")
            return _(STATE_LABELS.get(row.state, row.state))

        def overdue(row: DecisionRow) -> bool:
            return row.overdue(self.today)

        columns = (
            Column(N_("Decision"), lambda r: r.content),
            Column(N_("Owner"), lambda r: r.owner),
            Column(N_("Due"), lambda r: format_date(r.due_on), warn=overdue),
            Column(N_("State"), state, warn=overdue),
            Column(
                N_("Meeting"),
                lambda r: f"{format_date(r.meeting_on)} {r.meeting_topic}".strip(),
            ),
        )
        self.model = RowsTableModel(columns, self)
        self.table = QTableView(objectName="decision_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.scope = QComboBox(objectName="decision_scope")
        for code, _label in SCOPES:
            self.scope.addItem("", code)
        self.scope.currentIndexChanged.connect(self.refresh)
        self.done_button = QPushButton(objectName="decision_done_button")
        self.done_button.clicked.connect(lambda: self.set_state("done"))
        self.drop_button = QPushButton(objectName="decision_drop_button")
        self.drop_button.clicked.connect(lambda: self.set_state("dropped"))
        self.reopen_button = QPushButton(objectName="decision_reopen_button")
        self.reopen_button.clicked.connect(lambda: self.set_state("open"))
        self.change_button = QPushButton(objectName="decision_change_button")
        self.change_button.clicked.connect(self.change)
        self.table.doubleClicked.connect(self.change)
        self.remove_button = QPushButton(objectName="decision_remove_button")
        self.remove_button.clicked.connect(self.remove)

        self.content_edit = QLineEdit(objectName="decision_content")
        self.owner_edit = QLineEdit(objectName="decision_owner")
        self.due_check = QCheckBox(objectName="decision_has_due")
        self.due_check.setChecked(True)
        self.due_edit = QDateEdit(
            QDate(today.year, today.month, today.day).addMonths(1), objectName="decision_due"
        )
        self.due_edit.setDisplayFormat(qt_date_format())
        self.due_edit.setCalendarPopup(True)
        self.due_check.toggled.connect(self.due_edit.setEnabled)
        self.decide_button = QPushButton(objectName="decide_button")
        self.decide_button.clicked.connect(self.add)
        for edit in (self.content_edit, self.owner_edit):
            edit.returnPressed.connect(self.add)

        top = QHBoxLayout()
        top.addWidget(self.scope)
        top.addStretch()
        for button in (
            self.done_button,
            self.drop_button,
            self.reopen_button,
            self.change_button,
            self.remove_button,
        ):
            top.addWidget(button)
        entry = QHBoxLayout()
        entry.addWidget(self.content_edit, 3)
        entry.addWidget(self.owner_edit, 1)
        entry.addWidget(self.due_check)
        entry.addWidget(self.due_edit)
        entry.addWidget(self.decide_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(entry)
        self.retranslate()

    def retranslate(self) -> None:
        labels = dict(SCOPES)
        for index in range(self.scope.count()):
            self.scope.setItemText(index, _(labels[self.scope.itemData(index)]))
        self.done_button.setText(_("Mark done"))
        self.drop_button.setText(_("Drop"))
        self.reopen_button.setText(_("Reopen"))
        self.change_button.setText(_("Change…"))
        self.change_button.setToolTip(_("Change the decision's text, owner, due date or notes"))
        self.remove_button.setText(_("Remove"))
        self.remove_button.setToolTip(_("Remove a decision recorded by mistake"))
        self.content_edit.setPlaceholderText(_("What was decided"))
        self.owner_edit.setPlaceholderText(_("Who does it"))
        self.due_check.setText(_("Due by"))
        self.decide_button.setText(_("Add decision"))
        self.decide_button.setToolTip(_("Add a decision to the chosen meeting"))

    def show_detail(self, detail: MeetingOverview | None) -> None:
        self.detail = detail
        self.decide_button.setEnabled(detail is not None)
        self.refresh()

    def refresh(self) -> None:
        selected = self.current()
        self._carried = set()
        if self.scope.currentData() == "meeting" and self.detail is not None:
            self._carried = {d.id for d in self.detail.carried_over}
            rows = [*self.detail.decisions, *self.detail.carried_over]
        elif self.scope.currentData() == "meeting":
            rows = []
        else:
            rows = self.meetings.decisions(state="open")
        self.model.set_rows(rows)
        if selected is not None:
            self.model.select_record(self.table, selected.id)

    def current(self) -> DecisionRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def add(self) -> None:
        content = self.content_edit.text().strip()
        if self.detail is None:
            self.status_message.emit(_("Choose the meeting that decided it first."))
            return
        if not content:
            self.status_message.emit(_("Write what was decided."))
            self.content_edit.setFocus()
            return
        meeting_id = self.detail.meeting.id
        owner = self.owner_edit.text()
        due = self.due_edit.date().toPython() if self.due_check.isChecked() else None

        def added(_row: DecisionRow) -> None:
            self.content_edit.clear()
            self.owner_edit.clear()
            self.content_edit.setFocus()

        self.ops.run(
            self,
            lambda: self.meetings.decide(meeting_id, content, owner, due),
            {MEETINGS},
            done=added,
        )

    def set_state(self, state: str) -> None:
        row = self.current()
        if row is None:
            self.status_message.emit(_("Choose a decision first."))
            return
        self.ops.run(self, lambda: self.meetings.update_decision(row.id, state=state), {MEETINGS})

    def change(self) -> None:
        """Change the chosen decision's words in a dialog."""
        row = self.current()
        if row is None:
            self.status_message.emit(_("Choose a decision first."))
            return
        dialog = DecisionDialog(self.meetings, self.ops, row, self)
        dialog.saved.connect(lambda _row: self.status_message.emit(_("The decision was changed.")))
        dialog.open()

    def remove(self) -> None:
        row = self.current()
        if row is None:
            self.status_message.emit(_("Choose a decision first."))
            return
        if not messages.confirm(
            self,
            _("Remove a decision"),
            _("Remove the decision “{text}”? Mark it dropped instead if it was decided.").format(
                text=row.content if len(row.content) <= 40 else row.content[:40] + "…"
            ),
        ):
            return
        self.ops.run(self, lambda: self.meetings.remove_decision(row.id), {MEETINGS})
