# SPDX-License-Identifier: GPL-3.0-or-later
"""Adding or editing one member, with each problem shown next to its field."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError, ValidationFailed
from desktop.i18n import _
from desktop.models import labels
from desktop.models.register.rows import (
    EDUCATIONS,
    ETHNICITIES,
    GENDERS,
    OCCUPATIONS,
    STANDINGS,
    STATUSES,
    MemberDraft,
    MemberRow,
    PartyGroupRow,
    VillagerGroupRow,
)
from desktop.models.register.service import MemberService
from desktop.views.combos import select_data
from desktop.views.field_form import (
    FieldForm,
    error_label,
    form_error_label,
    with_mnemonic,
)
from desktop.views.keys import DiscardGuard
from desktop.views.ops import MEMBERS, Ops
from desktop.views.widgets.screen import FormScroll

DATE_FIELDS = ("birth_date", "joined_on", "confirmed_on", "lost_contact_on")
#: The fields reached with Alt and a letter.
MNEMONICS = {"name": "N", "id_number": "I", "joined_on": "J", "party_group_id": "G", "phone": "P"}


def _combo(choices: Mapping[str, str], optional: bool = False) -> QComboBox:
    combo = QComboBox()
    if optional:
        combo.addItem("", None)
    for code, label in choices.items():
        combo.addItem(_(label), code)
    return combo


def _group_combo(groups: Sequence[PartyGroupRow | VillagerGroupRow]) -> QComboBox:
    combo = QComboBox()
    combo.addItem(_("(none)"), None)
    for group in groups:
        combo.addItem(group.name, group.id)
    return combo


class MemberDialog(FieldForm, DiscardGuard, QDialog):
    member_saved = Signal(object)  # the saved MemberRow

    def __init__(
        self,
        members: MemberService,
        party_groups: Sequence[PartyGroupRow],
        villager_groups: Sequence[VillagerGroupRow],
        row: MemberRow | None = None,
        parent: QWidget | None = None,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("member_dialog")
        self._members = members
        self._ops = ops if ops is not None else Ops(self)
        self._member_id: uuid.UUID | None = row.id if row else None
        self.saved_row: MemberRow | None = None
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._labels: dict[str, QLabel] = {}

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        self._grid = grid
        self._slot = 0
        self._add("name", QLineEdit())
        self._add("id_number", QLineEdit())
        self._add("gender", _combo(GENDERS, optional=True))
        self._add("birth_date", QLineEdit())
        self._add("ethnicity", _combo(ETHNICITIES))
        self._add("education", _combo(EDUCATIONS, optional=True))
        self._add("status", _combo(STATUSES))
        self._add("standing", _combo(STANDINGS))
        self._add("joined_on", QLineEdit())
        self._add("confirmed_on", QLineEdit())
        self._add("party_group_id", _group_combo(party_groups))
        self._add("villager_group_id", _group_combo(villager_groups))
        self._add("occupation", _combo(OCCUPATIONS, optional=True))
        self._add("phone", QLineEdit())
        self._add("address", QLineEdit(), wide=True)
        self._add("lost_contact", QCheckBox())
        self._add("lost_contact_on", QLineEdit())
        self._add("floating", QCheckBox())
        self._add("floating_to", QLineEdit())
        notes = QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setMaximumHeight(70)
        self._add("notes", notes, wide=True)

        self.form_error = form_error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

        #: The member's meetings this year (shown for a member already in the register).
        self.attendance_label = QLabel(objectName="member_attendance")
        self.attendance_label.hide()
        if row is not None:
            count = members.attendance(row.id, _today().year)
            if count is not None:
                self.attendance_label.setText(
                    _(
                        "Meetings this year: expected {expected}, present {present}, with leave "
                        "{leave}, absent {absent}, made up {made_up}"
                    ).format(
                        expected=count.expected,
                        present=count.present,
                        leave=count.leave,
                        absent=count.absent,
                        made_up=count.made_up,
                    )
                )
                self.attendance_label.show()

        layout = QVBoxLayout(self)
        layout.addWidget(FormScroll(grid))
        layout.addWidget(self.attendance_label)
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)

        # Fill birth date and gender as soon as a valid number is complete, not only on leaving
        # the field: a clerk who types the ID then clicks Save sees them filled too.
        self.line("id_number").textEdited.connect(self._on_id_number_typed)
        self.line("id_number").editingFinished.connect(self._on_id_number_edited)
        self.check("lost_contact").toggled.connect(self._sync_enabled)
        self.check("floating").toggled.connect(self._sync_enabled)
        self.retranslate()
        self._load(row.draft if row else MemberDraft())
        self._sync_enabled()
        self.watch_fields()
        # The whole ID number in view, at any text size.
        id_edit = self.line("id_number")
        id_edit.setMinimumWidth(id_edit.fontMetrics().horizontalAdvance("0" * 19) + 16)
        self.line("name").setFocus()
        self.mark_clean()  # Esc asks before throwing away what is typed from now on

    # ------------------------------------------------------------------ building

    def _add(self, field: str, widget: QWidget, wide: bool = False) -> None:
        widget.setObjectName(field)
        label = QLabel()
        label.setBuddy(widget)
        error = error_label(field)
        if wide and self._slot % 2:
            self._slot += 1
        row, col = divmod(self._slot, 2)
        span = 3 if wide else 1
        self._grid.addWidget(label, row * 2, col * 2, Qt.AlignmentFlag.AlignRight)
        self._grid.addWidget(widget, row * 2, col * 2 + 1, 1, span)
        self._grid.addWidget(error, row * 2 + 1, col * 2 + 1, 1, span)
        self._slot += 2 if wide else 1
        self.fields[field], self.errors[field], self._labels[field] = widget, error, label

    def retranslate(self) -> None:
        self.setWindowTitle(_("Edit member") if self._member_id else _("New member"))
        for field, label in self._labels.items():
            label.setText(with_mnemonic(labels.field_label("member", field), MNEMONICS.get(field)))
        hint = _("e.g. 2019-07-01")
        for field in DATE_FIELDS:
            self.line(field).setPlaceholderText(hint)
        self.line("id_number").setPlaceholderText(
            _("18 characters; birth date and gender are filled from it")
        )
        self.line("floating_to").setPlaceholderText(_("province, city, county"))

    # ------------------------------------------------------------------ data

    def _load(self, draft: MemberDraft) -> None:
        for field, widget in self.fields.items():
            value = getattr(draft, field)
            if isinstance(widget, QLineEdit):
                text = value.isoformat() if field in DATE_FIELDS and value else (value or "")
                widget.setText(str(text))
            elif isinstance(widget, QComboBox):
                select_data(widget, value)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value or "")

    def draft(self) -> tuple[MemberDraft, dict[str, str]]:
        """What the form holds, and the dates that could not be read."""
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        for field, widget in self.fields.items():
            if isinstance(widget, QLineEdit):
                text = widget.text()
                if field in DATE_FIELDS:
                    try:
                        values[field] = self._members.read_date(text)
                    except ValueError:
                        problems[field] = _("Cannot read this date; write it as 2019-07-01.")
                        values[field] = None
                else:
                    values[field] = text
            elif isinstance(widget, QComboBox):
                data = widget.currentData()
                values[field] = "" if data is None and field == "gender" else data
            elif isinstance(widget, QCheckBox):
                values[field] = widget.isChecked()
            elif isinstance(widget, QPlainTextEdit):
                values[field] = widget.toPlainText()
        return MemberDraft(**values), problems

    def current_problems(self) -> dict[str, str]:
        draft, problems = self.draft()
        return {**self._members.validate(draft, self._member_id), **problems}

    # ------------------------------------------------------------------ slots

    def _on_id_number_typed(self, text: str) -> None:
        self._on_id_number_edited()

    def _on_id_number_edited(self) -> None:
        facts = self._members.id_number_facts(self.line("id_number").text(), _today())
        if facts is None:
            return
        id_number, birth_date, gender = facts
        if self.line("id_number").text() != id_number:
            self.line("id_number").setText(id_number)
        if not self.line("birth_date").text().strip():
            self.line("birth_date").setText(birth_date.isoformat())
        if self.combo("gender").currentData() is None:
            select_data(self.combo("gender"), gender)

    def _sync_enabled(self) -> None:
        self.line("lost_contact_on").setEnabled(self.check("lost_contact").isChecked())
        self.line("floating_to").setEnabled(self.check("floating").isChecked())

    def _on_save(self) -> None:
        """Save on the database thread; the dialog stays open with the problems shown next to
        their fields when the rules refuse, and closes once the member is saved."""
        draft, problems = self.draft()
        if problems:
            # Unreadable dates and the rules' problems are shown together.
            self.show_problems({**self._members.validate(draft, self._member_id), **problems})
            return
        member_id = self._member_id

        def saved(row: MemberRow) -> None:
            self.saved_row = row
            self.show_problems({})
            self.member_saved.emit(row)
            self.accept()

        def refused(error: UserError) -> bool:
            if not isinstance(error, ValidationFailed):
                return False  # a read-only account, a full disk, a locked file: a message box
            self.show_problems({**self._members.validate(draft, member_id), **error.problems})
            return True

        self.save_button.setEnabled(False)
        self._ops.run(
            self,
            lambda: self._members.save(draft, member_id),
            {MEMBERS},
            done=saved,
            refused=refused,
            finally_=lambda: self.save_button.setEnabled(True),
        )

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        members: MemberService,
        party_groups: Sequence[PartyGroupRow],
        villager_groups: Sequence[VillagerGroupRow],
        row: MemberRow | None = None,
        ops: Ops | None = None,
    ) -> MemberRow | None:
        dialog = cls(members, party_groups, villager_groups, row, parent, ops)
        return dialog.saved_row if dialog.exec() == QDialog.DialogCode.Accepted else None


def _today():  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date.today()
