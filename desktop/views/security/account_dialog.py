# SPDX-License-Identifier: GPL-3.0-or-later
"""Adding an account in one dialog: user name, role, and the password typed twice."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
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
from desktop.models.store.accounts import AccountService
from desktop.models.store.keyring import Account
from desktop.views.keys import DiscardGuard
from desktop.views.ops import ACCOUNTS, Ops

ERROR_STYLE = "color: #b00020;"


class AccountDialog(DiscardGuard, QDialog):
    """The administrator adds an account; saving runs `AccountService.add` through `ops`."""

    def __init__(
        self, accounts: AccountService, parent: QWidget | None = None, *, ops: Ops | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("account_dialog")
        self.accounts = accounts
        self.ops = ops if ops is not None else Ops(self)
        self.added: Account | None = None
        self.user_edit = QLineEdit(objectName="account_username")
        self.role_combo = QComboBox(objectName="account_role")
        for code, label in keyring.ROLES.items():
            self.role_combo.addItem(_(label), code)
        self.role_combo.setCurrentIndex(self.role_combo.findData(keyring.CLERK))
        self.password_edit = QLineEdit(objectName="account_password")
        self.repeat_edit = QLineEdit(objectName="account_repeat")
        for edit in (self.password_edit, self.repeat_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel(objectName="account_error")
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setWordWrap(True)
        self._labels = [QLabel() for _ in range(4)]
        form = QFormLayout()
        for label, widget in zip(
            self._labels,
            (self.user_edit, self.role_combo, self.password_edit, self.repeat_edit),
            strict=True,
        ):
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.user_edit.setFocus()
        self.mark_clean()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add account"))
        for label, text in zip(
            self._labels,
            (_("&User name"), _("&Role"), _("&Password"), _("Password &again")),
            strict=True,
        ):
            label.setText(text)
        self.password_edit.setPlaceholderText(
            _("at least {n} characters").format(n=keyring.MIN_PASSWORD)
        )

    def problem(self) -> str | None:
        """What is wrong before anything is saved (the same checks the key file makes)."""
        user, password = self.user_edit.text().strip(), self.password_edit.text()
        problem = keyring.username_problem(user) or keyring.password_problem(password)
        if problem is None and password != self.repeat_edit.text():
            problem = _("The two passwords differ.")
        return problem

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return  # already saving
        problem = self.problem()
        if problem is not None:
            self.error_label.setText(problem)
            return
        name, role = self.user_edit.text().strip(), self.role_combo.currentData()
        password = self.password_edit.text()

        def added(account: Account) -> None:
            self.added = account
            self.accept()

        def refused(error: UserError) -> bool:
            self.error_label.setText(error.message)  # a name already taken…
            return True

        self.save_button.setEnabled(False)
        self.ops.run(
            self,
            lambda: self.accounts.add(name, role, password),
            {ACCOUNTS},
            done=added,
            refused=refused,
            finally_=lambda: self.save_button.setEnabled(True),
        )
