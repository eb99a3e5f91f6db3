# SPDX-License-Identifier: GPL-3.0-or-later
"""The recovery key, shown once at setup: to be written down or printed and locked away."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _


class RecoveryKeyDialog(QDialog):
    def __init__(
        self,
        recovery_key: str,
        username: str,
        branch_folder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recovery_key_dialog")
        self.setWindowTitle(_("Recovery key"))
        self.recovery_key, self.username, self.folder = recovery_key, username, branch_folder
        intro = QLabel(
            _(
                "If every administrator password is forgotten, this recovery key is the only way "
                "back into the register: nobody, not even the town centre, can open it otherwise. "
                "Write it down or print it now and keep it locked away. It is shown only this once."
            )
        )
        intro.setWordWrap(True)
        self.key_label = QLabel(recovery_key, objectName="recovery_key")
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(self.font().pointSizeF() * 1.5)
        font.setBold(True)
        self.key_label.setFont(font)
        self.key_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_label.setStyleSheet("padding: 12px; border: 1px solid #999; background: #fff;")
        self.copy_button = QPushButton(_("&Copy"), objectName="copy_button")
        self.print_button = QPushButton(_("&Print…"), objectName="print_button")
        self.done_check = QCheckBox(
            _("I have written down or printed the recovery key"), objectName="done_check"
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("ok_button")
        self.ok_button.setEnabled(False)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        self.done_check.toggled.connect(self.ok_button.setEnabled)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.key_label)
        layout.addWidget(self.done_check)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def reject(self) -> None:
        # Escape must not skip the key: it closes only once the clerk confirmed.
        if self.done_check.isChecked():
            super().reject()

    def sheet_html(self) -> str:
        title = _("Red Steward recovery key")
        account = _("Administrator account: {user}").format(user=self.username)
        advice = _(
            "Keep this sheet locked away. With it, a forgotten password can be replaced "
            "(sign-in window: Forgot the password…)."
        )
        return (
            f"<h2>{title}</h2><p>{account}</p>"
            f"<p style='font-size: 20pt; font-family: monospace'><b>{self.recovery_key}</b>"
            f"</p><p>{advice}</p>"
        )

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.recovery_key)

    def _on_print_clicked(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        document = QTextDocument()
        document.setHtml(self.sheet_html())
        document.print_(printer)

    @classmethod
    def show_once(cls, parent: QWidget | None, recovery_key: str, username: str) -> None:
        cls(recovery_key, username, parent=parent).exec()
