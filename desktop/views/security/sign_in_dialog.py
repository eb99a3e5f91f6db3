# SPDX-License-Identifier: GPL-3.0-or-later
"""Signing in at each start: the data stays locked until a password opens it."""

from __future__ import annotations

import math
import time
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
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

from desktop import errors
from desktop.i18n import _
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials
from desktop.views import ui_state

ERROR_STYLE = "color: #b00020;"


class SignInDialog(QDialog):
    """Asks for a user name and password and opens the data with them (`self.db`).

    The user name last signed in with on this PC is filled in (the password never is)."""

    #: Whether a successful sign-in remembers the user name (the lock's dialog does not).
    remembers_user = True
    #: Whether a damaged data file offers salvage (not the lock's: the data is open behind it).
    offers_salvage = True

    def __init__(self, folder: Path, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if not username and self.remembers_user:
            username = ui_state.last_user()
        self.setObjectName("sign_in_dialog")
        self.folder = folder
        self.db: Database | None = None
        self._deadline = 0.0
        self.intro = QLabel(objectName="sign_in_intro")
        self.intro.setWordWrap(True)
        self.user_edit = QLineEdit(username, objectName="username")
        self.password_edit = QLineEdit(objectName="password")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(objectName="error_label")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self._user_label, self._password_label = QLabel(), QLabel()
        self._user_label.setBuddy(self.user_edit)
        self._password_label.setBuddy(self.password_edit)
        form = QFormLayout()
        form.addRow(self._user_label, self.user_edit)
        form.addRow(self._password_label, self.password_edit)
        self.buttons = QDialogButtonBox()
        self.sign_in_button = QPushButton(objectName="sign_in_button")
        self.forgot_button = QPushButton(objectName="forgot_button")
        self.buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.forgot_button, QDialogButtonBox.ButtonRole.HelpRole)
        #: Shown when the data file turns out damaged (the password was right): salvage it.
        self.salvage_button = QPushButton(objectName="salvage_button")
        self.buttons.addButton(self.salvage_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.salvage_button.hide()
        self._damaged_with: Credentials | None = None
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        self.sign_in_button.clicked.connect(self._on_sign_in_clicked)
        self.forgot_button.clicked.connect(self._on_forgot_clicked)
        self.salvage_button.clicked.connect(self._on_salvage_clicked)
        # A precise timer against a deadline: a coarse one may fire early and re-enable the
        # button before the key file allows the next attempt.
        self._countdown = QTimer(self, interval=200)
        self._countdown.setTimerType(Qt.TimerType.PreciseTimer)
        self._countdown.timeout.connect(self._on_countdown)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        # Only once the buttons sit in the dialog does the dialog know its default button;
        # Return must never open the recovery dialog.
        self.forgot_button.setAutoDefault(False)
        self.salvage_button.setAutoDefault(False)
        self.sign_in_button.setDefault(True)
        self.retranslate()
        (self.password_edit if username else self.user_edit).setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sign in to Red Steward"))
        self.intro.setText(_("The register is locked. Sign in with your user name and password."))
        self._user_label.setText(_("&User name"))
        self._password_label.setText(_("&Password"))
        self.sign_in_button.setText(_("Sign in"))
        self.forgot_button.setText(_("Forgot the password…"))
        self.salvage_button.setText(_("&Salvage data…"))

    def credentials(self) -> Credentials:
        return Credentials(self.user_edit.text().strip(), self.password_edit.text())

    def _on_sign_in_clicked(self) -> None:
        if not self.user_edit.text().strip() or not self.password_edit.text():
            self.error_label.setText(_("Enter your user name and password."))
            return
        try:
            self.db = self.open(self.credentials())
        except errors.SignInThrottled as throttled:
            self._start_wait(throttled.seconds)
            return
        except errors.UserError as error:  # wrong password, damaged or locked file…
            if self.offers_salvage and isinstance(error, errors.DatabaseCorrupt):
                self._damaged_with = self.credentials()  # the key file opened with them
                self.salvage_button.show()
            self.error_label.setText(error.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        if self.remembers_user:
            ui_state.set_last_user(self.credentials().username)
        self.accept()

    def open(self, credentials: Credentials) -> Database:
        """Opening is the password check (a wrapped key that only the password unwraps)."""
        return Database.open(self.folder, credentials=credentials)

    def _start_wait(self, seconds: int) -> None:
        self._deadline = time.monotonic() + seconds
        self.sign_in_button.setEnabled(False)
        self._on_countdown()
        self._countdown.start()

    def _on_salvage_clicked(self) -> None:
        """What can be read from the damaged file plus the newest backup, shown before it
        replaces anything (the damaged file is kept); then signed in with it."""
        from desktop.models.store import salvage
        from desktop.views.security.salvage_dialog import SalvageDialog

        credentials = self._damaged_with
        if credentials is None:
            return
        try:
            summary = salvage.salvage(self.folder, credentials)
        except errors.UserError as error:
            self.error_label.setText(error.message)
            return
        if not SalvageDialog.ask(self, summary):
            salvage.discard_salvaged(self.folder)
            return
        try:
            salvage.replace_with_salvaged(self.folder)
            self.db = self.open(credentials)
        except errors.UserError as error:
            self.error_label.setText(error.message)
            return
        self.accept()

    def _on_countdown(self) -> None:
        left = math.ceil(self._deadline - time.monotonic())
        if left <= 0:
            self._countdown.stop()
            self.sign_in_button.setEnabled(True)
            self.error_label.setText("")
            return
        self.error_label.setText(
            _("Too many wrong passwords. Wait {seconds} seconds, then try again.").format(
                seconds=left
            )
        )

    def _on_forgot_clicked(self) -> None:
        from desktop.views.security.recover_dialog import RecoverDialog

        if RecoverDialog.ask(self, self.folder, self.user_edit.text().strip()):
            self.password_edit.clear()
            self.error_label.setText(_("The password was changed. Sign in with the new one."))
            self.password_edit.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, folder: Path, username: str = "") -> Database | None:
        dialog = cls(folder, username, parent)
        return dialog.db if dialog.exec() == QDialog.DialogCode.Accepted else None
