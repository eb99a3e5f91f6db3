# SPDX-License-Identifier: GPL-3.0-or-later
"""A forgotten password: the recovery key printed at setup sets a new one (no other way in)."""

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
from desktop.models.store import accounts

ERROR_STYLE = "color: #b00020;"


class RecoverDialog(QDialog):
    def __init__(self, folder: Path, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recover_dialog")
        self.setWindowTitle(_("Set a new password with the recovery key"))
        self.folder = folder
        intro = QLabel(
            _(
                "Type the recovery key from the sheet printed when the register was set "
                "up, then choose a new password for the account."
            )
        )
        intro.setWordWrap(True)
        self.key_edit = QLineEdit(objectName="recovery_key")
        self.key_edit.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.user_edit = QLineEdit(username, objectName="username")
        self.password_edit = QLineEdit(objectName="password")
        self.repeat_edit = QLineEdit(objectName="repeat_password")
        for edit in (self.password_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(objectName="error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Recovery key"), self.key_edit)
        form.addRow(_("User name"), self.user_edit)
        form.addRow(_("New password"), self.password_edit)
        form.addRow(_("New password again"), self.repeat_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("ok_button")
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def _on_ok(self) -> None:
        if self.password_edit.text() != self.repeat_edit.text():
            self.error_label.setText(_("The two passwords differ."))
            return
        try:
            accounts.recover(
                self.folder, self.key_edit.text(), self.user_edit.text(), self.password_edit.text()
            )
        except UserError as error:
            self.error_label.setText(error.message)
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, folder: Path, username: str = "") -> bool:
        return cls(folder, username, parent).exec() == QDialog.DialogCode.Accepted
