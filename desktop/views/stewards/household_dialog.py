# SPDX-License-Identifier: GPL-3.0-or-later
"""Adding or editing one household (户), with each problem shown next to its field."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError, ValidationFailed
from desktop.i18n import _
from desktop.models.stewards.rows import DEFAULT_VISIT_INTERVALS, HouseholdDraft
from desktop.models.stewards.service import StewardService
from desktop.views.field_form import FieldForm, error_label, form_error_label
from desktop.views.keys import DiscardGuard
from desktop.views.ops import HOUSEHOLDS, Ops
from desktop.views.widgets.screen import FormScroll

FLAG_FIELDS = ("elderly_alone", "low_income", "needs_visits")
TEXT_FIELDS = ("head_name", "address", "phone")


def _group_combo(groups: Sequence[tuple[uuid.UUID, str]]) -> QComboBox:
    # Ids as strings: findData() compares wrapped Python objects by identity, not by value.
    combo = QComboBox()
    combo.addItem(_("(none)"), "")
    for group_id, name in groups:
        combo.addItem(name, str(group_id))
    return combo


def _group_id(combo: QComboBox) -> uuid.UUID | None:
    data = combo.currentData()
    return uuid.UUID(data) if data else None


class HouseholdDialog(FieldForm, DiscardGuard, QDialog):
    household_saved = Signal(object)  # the saved household's id

    def __init__(
        self,
        stewards: StewardService,
        household_id: uuid.UUID | None = None,
        parent: QWidget | None = None,
        *,
        party_group_id: uuid.UUID | None = None,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("household_dialog")
        self._stewards = stewards
        self._ops = ops if ops is not None else Ops(self)
        self._household_id = household_id
        self._draft = (
            stewards.household(household_id)
            if household_id
            else HouseholdDraft(party_group_id=party_group_id)
        )
        self.saved_id: uuid.UUID | None = None
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._labels: dict[str, QLabel] = {}
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(12)
        self._grid.setColumnMinimumWidth(1, 320)

        self._add("head_name", QLineEdit())
        self._add("address", QLineEdit())
        self._add("phone", QLineEdit())
        self._add("villager_group_id", _group_combo(stewards.villager_groups()))
        self._add("party_group_id", _group_combo(stewards.party_groups()))
        flags = QWidget()
        flag_row = QHBoxLayout(flags)
        flag_row.setContentsMargins(0, 0, 0, 0)
        self.flag_boxes: dict[str, QCheckBox] = {}
        for flag in FLAG_FIELDS:
            box = QCheckBox(objectName=flag)
            self.flag_boxes[flag] = box
            flag_row.addWidget(box)
        flag_row.addStretch()
        self._add("flags", flags)
        self._add("visit_interval_days", QLineEdit())
        notes = QPlainTextEdit()
        notes.setTabChangesFocus(True)
        notes.setMaximumHeight(70)
        self._add("notes", notes)
        self._labels["flags"].setBuddy(self.flag_boxes["elderly_alone"])

        self.form_error = form_error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        self.buttons.accepted.connect(self._on_save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(FormScroll(self._grid))
        layout.addWidget(self.form_error)
        layout.addWidget(self.buttons)
        self.retranslate()
        self._load(self._draft)
        self.watch_fields()
        self.line("head_name").setFocus()
        self.mark_clean()  # Esc asks before throwing away what is typed from now on

    # ------------------------------------------------------------------ building

    def _add(self, field: str, widget: QWidget) -> None:
        if field not in ("flags",):
            widget.setObjectName(field)
        label = QLabel()
        label.setBuddy(widget)
        error = error_label(field)
        row = len(self.fields) * 2
        self._grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight)
        self._grid.addWidget(widget, row, 1)
        self._grid.addWidget(error, row + 1, 1)
        self.fields[field], self.errors[field], self._labels[field] = widget, error, label

    def retranslate(self) -> None:
        self.setWindowTitle(_("Edit household") if self._household_id else _("New household"))
        labels = {
            "head_name": _("&Head of household"),
            "address": _("A&ddress or house number"),
            "phone": _("&Phone"),
            "villager_group_id": _("&Villager group"),
            "party_group_id": _("Party g&roup"),
            "flags": _("Flags"),
            "visit_interval_days": _("Visit &interval (days)"),
            "notes": _("&Notes"),
        }
        for field, text in labels.items():
            self._labels[field].setText(text)
        self.flag_boxes["elderly_alone"].setText(_("Elderly living &alone"))
        self.flag_boxes["low_income"].setText(_("&Low-income household"))
        self.flag_boxes["needs_visits"].setText(_("Needs regular visi&ts"))
        self.line("address").setPlaceholderText(_("e.g. Group 3, No. 12"))
        self.line("visit_interval_days").setPlaceholderText(
            _("empty: by the flags ({a}, {b} or {c} days)").format(
                a=DEFAULT_VISIT_INTERVALS["elderly_alone"],
                b=DEFAULT_VISIT_INTERVALS["needs_visits"],
                c=DEFAULT_VISIT_INTERVALS["low_income"],
            )
        )

    # ------------------------------------------------------------------ data

    def _load(self, draft: HouseholdDraft) -> None:
        for field in TEXT_FIELDS:
            self.line(field).setText(getattr(draft, field))
        for field in ("villager_group_id", "party_group_id"):
            combo = self.combo(field)
            value = getattr(draft, field)
            combo.setCurrentIndex(max(combo.findData(str(value) if value else ""), 0))
        for flag, box in self.flag_boxes.items():
            box.setChecked(getattr(draft, flag))
        interval = draft.visit_interval_days
        self.line("visit_interval_days").setText(str(interval) if interval else "")
        notes = self.fields["notes"]
        assert isinstance(notes, QPlainTextEdit)
        notes.setPlainText(draft.notes)

    def draft(self) -> tuple[HouseholdDraft, dict[str, str]]:
        """What the form holds, and the interval's problem when it is not a number."""
        problems: dict[str, str] = {}
        # Full-width digits (as a Chinese input method types them) read as digits.
        text = "".join(
            unicodedata.normalize("NFKC", self.line("visit_interval_days").text()).split()
        )
        interval: int | None = None
        if text:
            if text.isascii() and text.isdigit():
                interval = int(text)
            else:
                problems["visit_interval_days"] = _(
                    "Enter the interval as a whole number of days, or leave it empty."
                )
        notes = self.fields["notes"]
        assert isinstance(notes, QPlainTextEdit)
        draft = self._draft.replace(
            **{f: self.line(f).text() for f in TEXT_FIELDS},
            villager_group_id=_group_id(self.combo("villager_group_id")),
            party_group_id=_group_id(self.combo("party_group_id")),
            **{f: box.isChecked() for f, box in self.flag_boxes.items()},
            visit_interval_days=interval,
            notes=notes.toPlainText(),
        )
        return draft, problems

    def current_problems(self) -> dict[str, str]:
        draft, problems = self.draft()
        return {**self._stewards.validate_household(draft), **problems}

    # ------------------------------------------------------------------ slots

    def _on_save(self) -> None:
        """Save on the database thread; the dialog stays open with the problems shown next to
        their fields when the rules refuse, and closes once the household is saved."""
        draft, problems = self.draft()
        if problems:
            # An interval that is not a number and the rules' problems are shown together.
            self.show_problems({**self._stewards.validate_household(draft), **problems})
            return
        household_id = self._household_id

        def saved(saved_id: uuid.UUID) -> None:
            self.saved_id = saved_id
            self.show_problems({})
            self.household_saved.emit(saved_id)
            self.accept()

        def refused(error: UserError) -> bool:
            if not isinstance(error, ValidationFailed):
                return False  # a read-only account, a full disk, a removed household
            self.show_problems({**self._stewards.validate_household(draft), **error.problems})
            return True

        self.save_button.setEnabled(False)
        self._ops.run(
            self,
            lambda: self._stewards.save_household(draft, household_id),
            {HOUSEHOLDS},
            done=saved,
            refused=refused,
            finally_=lambda: self.save_button.setEnabled(True),
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, stewards: StewardService, household_id: uuid.UUID | None = None
    ) -> uuid.UUID | None:
        dialog = cls(stewards, household_id, parent)
        return dialog.saved_id if dialog.exec() == QDialog.DialogCode.Accepted else None
