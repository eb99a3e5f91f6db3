# SPDX-License-Identifier: GPL-3.0-or-later
"""This PC's name and role, as every PC it syncs with shows it; and a trusted PC's name here."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.sync.readmodels import PC_ROLES, PcName
from desktop.views.widgets.wrap import WrapLabel


class PcNameDialog(QDialog):
    """Asks for this PC's name, offering the default (its branch and role) until one is typed."""

    def __init__(
        self,
        current: PcName,
        default_for: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sync_name_dialog")
        self._default_for = default_for
        self._default = current.default
        self.hint = WrapLabel(objectName="sync_name_hint")
        self.role = QComboBox(objectName="sync_name_role")
        for key, label in PC_ROLES.items():
            self.role.addItem(_(label), key)
        self.role.setCurrentIndex(max(0, self.role.findData(current.role)))
        self.name = QLineEdit(current.name, objectName="sync_name_edit")
        self.name.setPlaceholderText(current.default)
        self.name.setMaxLength(60)
        # Room for a town's, a village's and a role's names whole (at any text size).
        self.name.setMinimumWidth(self.name.fontMetrics().horizontalAdvance("党" * 18))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.form = QFormLayout()
        self.form.addRow(_("&Role:"), self.role)
        self.form.addRow(_("&Name:"), self.name)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.role.currentIndexChanged.connect(self._on_role_changed)
        self.setWindowTitle(_("This PC's name"))
        self.hint.setText(
            _(
                "The PCs this one syncs with show it by this name, in their list of PCs, in "
                "conflicts and in messages. Choose one its clerks and the town recognise. "
                "The new name reaches them with this PC's next card or sync."
            )
        )
        self.resize(460, self.sizeHint().height())

    def _on_role_changed(self) -> None:
        """A name still at the default follows the role; a typed one stays."""
        new_default = self._default_for(self.chosen_role())
        if self.name.text().strip() in ("", self._default):
            self.name.setText(new_default)
        self._default = new_default
        self.name.setPlaceholderText(new_default)

    def chosen_role(self) -> str:
        return str(self.role.currentData())

    def chosen_name(self) -> str:
        """The name typed; "" when it is the default (so it keeps following the branch)."""
        text = " ".join(self.name.text().split())
        return "" if text == self._default else text

    @classmethod
    def ask(
        cls,
        current: PcName,
        default_for: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> tuple[str, str] | None:
        """(name, role) as chosen; the name "" means the default. None: cancelled."""
        dialog = cls(current, default_for, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen_name(), dialog.chosen_role()


def ask_peer_name(parent: QWidget | None, card_name: str) -> str | None:
    """What this PC will call a PC it trusts, its card's name offered. None: cancelled."""
    name, ok = QInputDialog.getText(
        parent,
        _("Name the PC"),
        _(
            "What should this PC call it? Its card calls it {name}; keep that, or type a "
            "name you recognise."
        ).format(name=card_name or "-"),
        QLineEdit.EchoMode.Normal,
        card_name,
    )
    return " ".join(name.split()) if ok else None
