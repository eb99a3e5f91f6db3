# SPDX-License-Identifier: GPL-3.0-or-later
"""Choosing the backup to restore: the automatic ones, each with what restoring it would lose,
or a file from a folder or USB stick."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _, format_datetime
from desktop.models.store import backup
from desktop.models.store.backup import RestoreChoice


def choice_text(choice: RestoreChoice) -> str:
    info = choice.info
    return "\n".join(
        (
            _("{when}, {reason}, {members} members").format(
                when=format_datetime(info.created),
                reason=backup.reason_label(info.reason),
                members=info.members,
            ),
            choice.lost.sentence(info.created),
        )
    )


class RestoreDialog(QDialog):
    """`chosen` is the backup file picked (None until then)."""

    def __init__(self, choices: list[RestoreChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("restore_dialog")
        self.setWindowTitle(_("Restore a backup"))
        self.chosen: Path | None = None
        intro = QLabel(
            _(
                "Choose the backup to go back to. Each says which changes made since would be "
                "lost. The current data is kept aside in the backups folder."
            )
        )
        intro.setWordWrap(True)
        self.backup_list = QListWidget(objectName="backup_list")
        self.backup_list.setWordWrap(True)
        for choice in choices:
            item = QListWidgetItem(choice_text(choice))
            item.setData(Qt.ItemDataRole.UserRole, str(choice.info.path))
            self.backup_list.addItem(item)
        if not choices:
            self.backup_list.addItem(_("There are no automatic backups yet."))
            self.backup_list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = QPushButton(_("&Restore"), objectName="restore_choice_button")
        self.other_button = QPushButton(_("&Other file…"), objectName="other_file_button")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._on_restore_clicked)
        self.other_button.clicked.connect(self._on_other_clicked)
        self.backup_list.currentItemChanged.connect(
            lambda item, _old: self.restore_button.setEnabled(
                item is not None and item.data(Qt.ItemDataRole.UserRole) is not None
            )
        )
        self.backup_list.itemDoubleClicked.connect(lambda _item: self._on_restore_clicked())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.backup_list)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def _on_restore_clicked(self) -> None:
        item = self.backup_list.currentItem()
        if item is None or item.data(Qt.ItemDataRole.UserRole) is None:
            return
        self.chosen = Path(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    def _on_other_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the backup to restore"), "", _("Red Steward backups (*.rsbackup)")
        )
        if name:
            self.chosen = Path(name)
            self.accept()
