# SPDX-License-Identifier: GPL-3.0-or-later
"""A damaged data file: the message with "Salvage data…" beside "Restore a backup…", and the
salvage's summary, shown before anything is replaced (`desktop.models.store.salvage`)."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.models.store.salvage import SalvageSummary


class DamageChoice(enum.Enum):
    SALVAGE = "salvage"
    RESTORE = "restore"


class DamageBox(QMessageBox):
    """The one plain sentence about the damage, and the two ways on (an administrator's)."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Warning, _("Red Steward"), message, parent=parent)
        self.setObjectName("damage_box")
        self.salvage_button = self.addButton(_("&Salvage data…"), QMessageBox.ButtonRole.ActionRole)
        self.salvage_button.setObjectName("salvage_button")
        self.restore_button = self.addButton(
            _("&Restore a backup…"), QMessageBox.ButtonRole.ActionRole
        )
        self.restore_button.setObjectName("damage_restore_button")
        self.addButton(QMessageBox.StandardButton.Close)
        self.setInformativeText(
            _(
                "Salvage copies what can still be read out of the damaged file and adds what "
                "only the newest backup has; you see the result before anything is replaced."
            )
        )

    def choice(self) -> DamageChoice | None:
        clicked = self.clickedButton()
        if clicked is self.salvage_button:
            return DamageChoice.SALVAGE
        if clicked is self.restore_button:
            return DamageChoice.RESTORE
        return None

    @classmethod
    def ask(cls, parent: QWidget | None, message: str) -> DamageChoice | None:
        box = cls(message, parent)
        box.exec()
        return box.choice()


class SalvageDialog(QDialog):
    """What the salvage got, per table; accepted: use the salvaged data."""

    def __init__(self, summary: SalvageSummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("salvage_dialog")
        self.setWindowTitle(_("Salvage the data"))
        intro = QLabel(
            _(
                "This is what could be saved; nothing has been replaced yet. If you use it, the "
                "damaged file is kept in the backups folder and you sign in again."
            )
        )
        intro.setWordWrap(True)
        self.summary_text = QPlainTextEdit(objectName="salvage_summary")
        self.summary_text.setReadOnly(True)
        self.summary_text.setPlainText("\n".join(summary.lines()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.use_button = QPushButton(_("&Use the salvaged data"), objectName="use_salvaged_button")
        buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.summary_text)
        layout.addWidget(buttons)
        self.resize(640, 420)

    @classmethod
    def ask(cls, parent: QWidget | None, summary: SalvageSummary) -> bool:
        return cls(summary, parent).exec() == QDialog.DialogCode.Accepted
