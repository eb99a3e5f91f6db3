# SPDX-License-Identifier: GPL-3.0-or-later
"""Data safety: backups to a folder or USB stick, restore, accounts and roles, the lock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import paths
from desktop.errors import UserError
from desktop.i18n import _, format_datetime
from desktop.models.store import backup
from desktop.models.store.accounts import AccountService
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials
from desktop.views import messages, tasks, ui_state
from desktop.views.ops import ACCOUNTS, BACKUP, Ops
from desktop.views.security.account_dialog import AccountDialog
from desktop.views.security.restore_dialog import RestoreDialog


def ask_password(parent: QWidget | None, title: str, label: str) -> str | None:
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Password)
    return text if ok and text else None


def format_when(when: dt.datetime | None) -> str:
    return _("not yet") if when is None else format_datetime(when)


class SecurityPage(QWidget):
    status_message = Signal(str)
    #: (backup file, credentials that open it): the application swaps the data and signs in.
    restore_requested = Signal(object, object)
    lock_minutes_changed = Signal(int)

    def __init__(
        self,
        db: Database,
        accounts: AccountService,
        parent: QWidget | None = None,
        *,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("security_page")
        self.db = db
        self.accounts = accounts
        self.ops = ops if ops is not None else Ops(self)
        self.ops.changed.connect(self._on_changed)
        self.ops.backed_up.connect(self.refresh)  # the backup after an import or a sync
        self._task: tasks.Task | None = None

        self.backup_box = QGroupBox()
        self.last_backup_label = QLabel(objectName="last_backup_label")
        self.last_backup_label.setWordWrap(True)
        self.policy_label = QLabel(objectName="policy_label")
        self.policy_label.setWordWrap(True)
        self.backup_button = QPushButton(objectName="backup_button")
        self.restore_button = QPushButton(objectName="restore_button")
        self.backup_button.clicked.connect(self._on_backup_clicked)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        row = QHBoxLayout()
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch()
        box = QVBoxLayout(self.backup_box)
        box.addWidget(self.last_backup_label)
        box.addWidget(self.policy_label)
        box.addLayout(row)

        self.accounts_box = QGroupBox()
        self.signed_in_label = QLabel(objectName="signed_in_label")
        self.account_list = QListWidget(objectName="account_list")
        self.account_list.setMaximumHeight(self.fontMetrics().height() * 8)
        self.add_account_button = QPushButton(objectName="add_account_button")
        self.password_button = QPushButton(objectName="password_button")
        self.remove_account_button = QPushButton(objectName="remove_account_button")
        self.add_account_button.clicked.connect(self._on_add_account_clicked)
        self.password_button.clicked.connect(self._on_password_clicked)
        self.remove_account_button.clicked.connect(self._on_remove_account_clicked)
        buttons = QHBoxLayout()
        for button in (self.add_account_button, self.password_button, self.remove_account_button):
            buttons.addWidget(button)
        buttons.addStretch()
        abox = QVBoxLayout(self.accounts_box)
        abox.addWidget(self.signed_in_label)
        abox.addWidget(self.account_list)
        abox.addLayout(buttons)

        self.lock_combo = QComboBox(objectName="lock_combo")
        for minutes in ui_state.LOCK_CHOICES:
            self.lock_combo.addItem("", minutes)
        self.lock_combo.setCurrentIndex(self.lock_combo.findData(ui_state.lock_minutes()))
        self.lock_combo.currentIndexChanged.connect(self._on_lock_combo_changed)
        self._lock_label = QLabel()
        self._lock_label.setBuddy(self.lock_combo)
        form = QFormLayout()
        form.addRow(self._lock_label, self.lock_combo)

        layout = QVBoxLayout(self)
        layout.addWidget(self.backup_box)
        layout.addWidget(self.accounts_box)
        layout.addLayout(form)
        layout.addStretch()

        is_admin = db.user is None or db.user.is_admin
        can_write = db.user is None or db.user.can_write
        self.restore_button.setEnabled(is_admin)
        self.backup_button.setEnabled(can_write)
        self.add_account_button.setEnabled(is_admin)
        self.remove_account_button.setEnabled(is_admin)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.backup_box.setTitle(_("Backups"))
        self.backup_button.setText(_("&Back up to a folder or USB stick…"))
        self.restore_button.setText(_("&Restore from a backup…"))
        self.accounts_box.setTitle(_("Accounts"))
        self.add_account_button.setText(_("&Add account…"))
        self.password_button.setText(_("Set &password…"))
        self.remove_account_button.setText(_("Re&move account"))
        self._lock_label.setText(_("&Lock the window after"))
        for i in range(self.lock_combo.count()):
            minutes = self.lock_combo.itemData(i)
            self.lock_combo.setItemText(
                i, _("never") if minutes == 0 else _("{n} minutes without use").format(n=minutes)
            )
        self.refresh()

    def refresh(self) -> None:
        when = backup.last_backup(self.db.path.parent)
        self.last_backup_label.setText(
            _("Last backup: {when}. Automatic backups are kept in {folder}.").format(
                when=format_when(when), folder=paths.backup_dir(self.db.path.parent)
            )
        )
        self.policy_label.setText(
            _(
                "Automatic backups kept: the last {per_reason} before each import, sync, upgrade "
                "and after each import and sync; one a day for the last {days} days; one a month "
                "for {months} months. They use {size:.1f} MB."
            ).format(
                per_reason=backup.KEEP_PER_REASON,
                days=backup.KEEP_DAYS,
                months=backup.KEEP_MONTHS,
                size=backup.space_used(self.db.path.parent) / 1e6,
            )
        )
        if self.db.user is not None:
            self.signed_in_label.setText(
                _("Signed in as {name} ({role}).").format(
                    name=self.db.user.username, role=self.db.user.role_label
                )
            )
        self.account_list.clear()
        for account in self.accounts.list():
            item = QListWidgetItem(f"{account.username} — {account.role_label}")
            item.setData(0x0100, account.username)
            self.account_list.addItem(item)

    def _selected_username(self) -> str | None:
        item = self.account_list.currentItem()
        return item.data(0x0100) if item is not None else None

    # -- backups

    def _on_backup_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose the folder or USB stick"))
        if folder:
            self.backup_to(Path(folder))

    def backup_to(self, folder: Path) -> tasks.Task:
        self.backup_button.setEnabled(False)
        self.status_message.emit(_("Backing up…"))
        self._task = self.ops.run_long(
            self,
            lambda _progress, _cancel: backup.backup_to_folder(self.db, folder),
            {BACKUP},
            done=self._on_backup_finished,
            failed=self._on_task_failed,
            pool=QThreadPool.globalInstance(),
        )
        return self._task

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {ACCOUNTS, BACKUP}:
            self.refresh()

    def _on_backup_finished(self, target: Any) -> None:
        self.backup_button.setEnabled(True)
        self.status_message.emit(_("Wrote and checked the backup {path}.").format(path=target))

    def _on_task_failed(self, error: BaseException) -> None:
        self.backup_button.setEnabled(self.db.user is None or self.db.user.can_write)
        self.restore_button.setEnabled(self.db.user is None or self.db.user.is_admin)
        messages.show_error(self, error)

    def restore_dialog(self) -> RestoreDialog:
        """The automatic backups, each with what restoring it would lose, or another file."""
        return RestoreDialog(backup.restore_choices(self.db), self)

    def _on_restore_clicked(self) -> None:
        try:
            dialog = self.restore_dialog()
        except UserError as error:
            messages.show_error(self, error)
            return
        if dialog.exec() and dialog.chosen is not None:
            self.restore_from(dialog.chosen)

    def restore_from(self, path: Path) -> None:
        user = self.db.user.username if self.db.user else ""
        password = ask_password(
            self,
            _("Restore a backup"),
            _("Password of {user} when the backup was made:").format(user=user),
        )
        if password is None:
            return
        credentials = Credentials(user, password)

        def check() -> tuple[Any, str]:
            info = backup.verify_backup(path, credentials)
            return info, backup.lost_since(self.db, info).sentence(info.created)

        def verified(result: tuple[Any, str]) -> None:
            info, lost = result
            question = (
                _(
                    "Restore the backup of {when} ({n} members)? The current data is kept "
                    "aside in the backups folder, and you sign in again afterwards."
                ).format(when=format_when(info.created), n=info.members)
                + "\n\n"
                + lost
            )
            if messages.confirm(self, _("Restore a backup"), question):
                self.restore_requested.emit(path, credentials)

        # Reading and checking a county-size backup takes a while: off the GUI thread.
        self.ops.run(self, check, (), done=verified)

    # -- accounts

    def _on_add_account_clicked(self) -> None:
        self.account_dialog().open()

    def account_dialog(self) -> AccountDialog:
        """One dialog for a new account: user name, role, and the password typed twice."""
        dialog = AccountDialog(self.accounts, self, ops=self.ops)
        dialog.accepted.connect(lambda: self._on_account_added(dialog))
        return dialog

    def _on_account_added(self, dialog: AccountDialog) -> None:
        if dialog.added is not None:
            self.status_message.emit(
                _("Added the account {name} ({role}).").format(
                    name=dialog.added.username, role=dialog.added.role_label
                )
            )

    def add_account(self, name: str, role: str, password: str) -> None:
        self.ops.run(
            self,
            lambda: self.accounts.add(name, role, password),
            {ACCOUNTS},
            done=lambda account: self.status_message.emit(
                _("Added the account {name} ({role}).").format(
                    name=account.username, role=account.role_label
                )
            ),
        )

    def _on_password_clicked(self) -> None:
        name = self._selected_username() or (self.db.user.username if self.db.user else None)
        if name is None:
            return
        password = ask_password(
            self, _("Set password"), _("New password for {name}:").format(name=name)
        )
        if password is None:
            return
        self.ops.run(
            self,
            lambda: self.accounts.set_password(name, password),
            {ACCOUNTS},
            done=lambda _result: self.status_message.emit(
                _("Changed the password of {name}.").format(name=name)
            ),
        )

    def _on_remove_account_clicked(self) -> None:
        name = self._selected_username()
        if name is None:
            return
        if not messages.confirm(
            self, _("Remove account"), _("Remove the account {name}?").format(name=name)
        ):
            return
        self.ops.run(self, lambda: self.accounts.remove(name), {ACCOUNTS})

    def _on_lock_combo_changed(self) -> None:
        minutes = self.lock_combo.currentData()
        ui_state.set_lock_minutes(minutes)
        self.lock_minutes_changed.emit(minutes)
