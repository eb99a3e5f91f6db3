# SPDX-License-Identifier: GPL-3.0-or-later
"""First start: the clerk creates the administrator account, which locks the data."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.i18n import _
from desktop.models.store import keyring
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials

ERROR_STYLE = "color: #b00020;"


class CreateAdminDialog(QDialog):
    """Creates the key file and the encrypted data file; `self.db` is then open."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("create_admin_dialog")
        self.setWindowTitle(_("Protect the register"))
        self.folder = folder
        self.db: Database | None = None
        intro = QLabel(
            _(
                "The register holds members' ID numbers, phones and addresses, so it is kept "
                "encrypted and opens only with a password. Create the administrator account "
                "(usually the branch secretary). Other accounts can be added later."
            )
        )
        intro.setWordWrap(True)
        self.user_edit = QLineEdit(objectName="username")
        self.password_edit = QLineEdit(objectName="password")
        self.repeat_edit = QLineEdit(objectName="repeat_password")
        for edit in (self.password_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(
            _("at least {n} characters").format(n=keyring.MIN_PASSWORD)
        )
        self.error_label = QLabel(objectName="error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("User name"), self.user_edit)
        form.addRow(_("Password"), self.password_edit)
        form.addRow(_("Password again"), self.repeat_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("ok_button")
        self.ok_button.setText(_("Create the account"))
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.user_edit.setFocus()

    def _on_ok(self) -> None:
        user, password = self.user_edit.text().strip(), self.password_edit.text()
        problem = keyring.username_problem(user) or keyring.password_problem(password)
        if problem is None and password != self.repeat_edit.text():
            problem = _("The two passwords differ.")
        if problem:
            self.error_label.setText(problem)
            return
        try:
            self.db = Database.open(self.folder, credentials=Credentials(user, password))
        except UserError as error:
            self.error_label.setText(error.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, folder: Path) -> Database | None:
        dialog = cls(folder, parent)
        return dialog.db if dialog.exec() == QDialog.DialogCode.Accepted else None
