# SPDX-License-Identifier: GPL-3.0-or-later
"""Changing a decision (议定事项) after the meeting: its text, who does it, by when, notes.

The state (done, dropped, open again) has its own buttons on the panel; this is for the words.
A refusal from the service (an empty text, a due date before the meeting) shows in the dialog,
which stays open.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.i18n import _
from desktop.models.meetings.rows import DecisionRow
from desktop.models.meetings.service import MeetingService
from desktop.views.keys import DiscardGuard
from desktop.views.ops import MEETINGS, Ops

PROBLEM_STYLE = "color: #b3261e"


class DecisionDialog(DiscardGuard, QDialog):
    saved = Signal(object)  # the DecisionRow as stored

    def __init__(
        self, meetings: MeetingService, ops: Ops, row: DecisionRow, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("decision_dialog")
        self.setWindowTitle(_("Change a decision"))
        self.meetings, self.ops, self.row = meetings, ops, row
        self.content_edit = QPlainTextEdit(row.content, objectName="decision_text")
        self.content_edit.setTabChangesFocus(True)
        self.owner_edit = QLineEdit(row.owner, objectName="decision_owner_edit")
        self.due_check = QCheckBox(_("Due &by"), objectName="decision_due_check")
        self.due_check.setChecked(row.due_on is not None)
        due = row.due_on or dt.date.today()
        self.due_edit = QDateEdit(
            QDate(due.year, due.month, due.day), objectName="decision_due_edit"
        )
        self.due_edit.setDisplayFormat("yyyy-MM-dd")
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setEnabled(self.due_check.isChecked())
        self.due_check.toggled.connect(self.due_edit.setEnabled)
        self.notes_edit = QLineEdit(row.notes, objectName="decision_notes_edit")
        self.problem = QLabel(objectName="decision_problem")
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        for text, widget in (
            (_("&Decision"), self.content_edit),
            (_("&Owner"), self.owner_edit),
            (None, self.due_check),
            (None, self.due_edit),
            (_("&Notes"), self.notes_edit),
        ):
            if text is None:
                form.addRow("", widget)
                continue
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.content_edit.setFocus()
        self.mark_clean()  # Esc asks before throwing away what is typed from now on

    def changes(self) -> dict[str, object]:
        return {
            "content": self.content_edit.toPlainText(),
            "owner": self.owner_edit.text(),
            "due_on": self.due_edit.date().toPython() if self.due_check.isChecked() else None,
            "notes": self.notes_edit.text(),
        }

    def accept(self) -> None:
        """Save through Ops; the dialog closes when it is stored, and stays with the reason
        when the service refuses."""
        changes, decision_id = self.changes(), self.row.id

        def refused(error: UserError) -> bool:
            self.problem.setText(error.message)
            self.problem.show()
            self.buttons.setEnabled(True)
            return True

        def done(row: DecisionRow) -> None:
            self.saved.emit(row)
            super(DecisionDialog, self).accept()

        self.buttons.setEnabled(False)
        self.ops.run(
            self,
            lambda: self.meetings.update_decision(decision_id, **changes),
            {MEETINGS},
            done=done,
            refused=refused,
        )
