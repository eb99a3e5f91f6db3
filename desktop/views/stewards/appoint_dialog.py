# SPDX-License-Identifier: GPL-3.0-or-later
"""Appointing a steward: the member, the post (chief or a party group's), and the first day."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QWidget,
)

from desktop.i18n import _, qt_date_format
from desktop.models.stewards.rows import ROLES
from desktop.models.stewards.service import StewardService
from desktop.views.keys import DiscardGuard
from desktop.views.search_picker import SearchPicker
from desktop.views.stewards.member_choices import member_search


@dataclasses.dataclass(frozen=True)
class Appointment:
    member_id: uuid.UUID
    role: str
    party_group_id: uuid.UUID | None
    started_on: dt.date


class AppointDialog(DiscardGuard, QDialog):
    def __init__(self, stewards: StewardService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("appoint_dialog")
        self.setWindowTitle(_("Appoint a steward"))
        # Type a name: the first matches of the register are offered (never all of it).
        self.member_picker = SearchPicker(member_search(stewards), name="appoint_member")
        self.member_picker.setPlaceholderText(_("Type a name or ID number"))
        self.role_combo = QComboBox(objectName="appoint_role")
        for code in ("group", "chief"):
            self.role_combo.addItem(_(ROLES[code]), code)
        self.group_combo = QComboBox(objectName="appoint_group")
        for group_id, name in stewards.party_groups():
            self.group_combo.addItem(name, str(group_id))
        today = dt.date.today()
        self.date_edit = QDateEdit(
            QDate(today.year, today.month, today.day), objectName="appoint_date"
        )
        self.date_edit.setDisplayFormat(qt_date_format())
        self.date_edit.setCalendarPopup(True)
        self.note = QLabel(
            _("The post's present holder, if any, ends the day before; the history is kept.")
        )
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        for label, widget in (
            (_("&Member:"), self.member_picker),
            (_("&Post:"), self.role_combo),
            (_("Party &group:"), self.group_combo),
            (_("&From:"), self.date_edit),
        ):
            form.addRow(label, widget)
        form.addRow(self.note)
        form.addRow(buttons)
        self.member_picker.picked.connect(self._follow_member)
        self.role_combo.currentIndexChanged.connect(self._follow_role)
        self.mark_clean()  # Esc asks before throwing away what is typed from now on

    def _follow_member(self, _member_id: uuid.UUID | None) -> None:
        choice = self.member_picker.current_choice()
        group = choice.extra if choice is not None else None
        if group is not None:
            self.group_combo.setCurrentIndex(max(self.group_combo.findData(str(group)), 0))

    def _follow_role(self) -> None:
        self.group_combo.setEnabled(self.role_combo.currentData() == "group")

    def appointment(self) -> Appointment | None:
        member = self.member_picker.current_key()
        if member is None:
            return None
        role = self.role_combo.currentData()
        group = self.group_combo.currentData() if role == "group" else None
        return Appointment(
            member,
            role,
            uuid.UUID(group) if group else None,
            self.date_edit.date().toPython(),
        )

    @classmethod
    def ask(cls, stewards: StewardService, parent: QWidget | None = None) -> Appointment | None:
        dialog = cls(stewards, parent)
        return dialog.appointment() if dialog.exec() == QDialog.DialogCode.Accepted else None
