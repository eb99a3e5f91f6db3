# SPDX-License-Identifier: GPL-3.0-or-later
"""Locking the window after a while without keyboard or mouse, on a shared village PC."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from desktop import errors
from desktop.i18n import _
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials
from desktop.views.security.sign_in_dialog import SignInDialog

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class InactivityWatcher(QObject):
    """Emits `idle` once after `minutes` without input anywhere in the application."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.timer.stop()
        if minutes > 0:
            self.timer.setInterval(minutes * 60_000)
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self.minutes > 0:
            self.timer.start()  # restarts the countdown
        return False

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class UnlockDialog(SignInDialog):
    """The signed-in user types the password again; the data stays open behind a blank window."""

    remembers_user = False  # the name is the signed-in user's, shown read-only
    offers_salvage = False

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        self.current = db
        username = db.user.username if db.user else ""
        super().__init__(db.path.parent, username, parent)
        self.setObjectName("unlock_dialog")
        self.user_edit.setReadOnly(True)
        self.forgot_button.hide()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(_("Red Steward is locked"))
        self.intro.setText(
            _(
                "The window is locked (after a while without use, or with Ctrl+L). Type your "
                "password to go on, or quit."
            )
        )
        self.sign_in_button.setText(_("Unlock"))

    def open(self, credentials: Credentials) -> Database:
        if self.current.keys is None:
            return self.current
        _key, account = self.current.keys.unlock(credentials)
        if self.current.user is not None and account.username != self.current.user.username:
            raise errors.WrongPassword()
        return self.current
