# SPDX-License-Identifier: GPL-3.0-or-later
"""First start with no data: create the branch, or open the demo branch to look around."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import ValidationFailed
from desktop.i18n import _
from desktop.models.register.rows import BranchInfo
from desktop.models.register.service import BranchService

ERROR_STYLE = "color: #b00020;"


class FirstRunDialog(QDialog):
    #: What the clerk chose: create a branch, or load the demo.
    CREATE, DEMO = "create", "demo"

    def __init__(self, branches: BranchService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_run_dialog")
        self.setWindowTitle(_("Welcome to Red Steward"))
        self.branches = branches
        self.choice: str | None = None
        self.branch: BranchInfo | None = None
        intro = QLabel(
            _(
                "There is no branch on this PC yet. Enter your branch to begin, "
                "or open the demo branch to look around first."
            )
        )
        intro.setWordWrap(True)
        self.name_edit = QLineEdit(objectName="branch_name")
        self.name_edit.setPlaceholderText(_("e.g. 红旗村党支部"))
        self.town_edit = QLineEdit(objectName="branch_town")
        self.county_edit = QLineEdit(objectName="branch_county")
        self.phone_edit = QLineEdit(objectName="branch_phone")
        self.error_label = QLabel(objectName="error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Branch name"), self.name_edit)
        form.addRow(_("Town"), self.town_edit)
        form.addRow(_("County"), self.county_edit)
        form.addRow(_("Branch phone"), self.phone_edit)
        buttons = QDialogButtonBox()
        self.create_button = QPushButton(_("Create the branch"), objectName="create_button")
        self.demo_button = QPushButton(_("Open the demo branch"), objectName="demo_button")
        buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        self.create_button.clicked.connect(self._on_create_clicked)
        self.demo_button.clicked.connect(self._on_demo_clicked)
        self.create_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def _on_create_clicked(self) -> None:
        try:
            self.branch = self.branches.create(
                self.name_edit.text(),
                self.town_edit.text(),
                self.county_edit.text(),
                self.phone_edit.text(),
            )
        except ValidationFailed as failed:
            self.error_label.setText("\n".join(failed.problems.values()))
            return
        self.choice = self.CREATE
        self.accept()

    def _on_demo_clicked(self) -> None:
        self.choice = self.DEMO
        self.accept()
