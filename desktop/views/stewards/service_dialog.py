# SPDX-License-Identifier: GPL-3.0-or-later
"""Changing a recorded service (a wrong day, hours or name): the entry form's fields in a dialog."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError, ValidationFailed
from desktop.i18n import _
from desktop.models.stewards.rows import ServiceDraft, ServiceRecordRow
from desktop.models.stewards.service import ServiceLogService
from desktop.views.keys import DiscardGuard
from desktop.views.ops import HOUSEHOLDS, SERVICE_LOG, STEWARDS, Ops
from desktop.views.stewards.names_completer import NamesCompleter, NameSearch, split_names


def resolve_names(
    text: str, find: Callable[[str], uuid.UUID | None], unknown: str
) -> tuple[tuple[uuid.UUID, ...], str | None]:
    """The ids of the names typed, found as the command line finds them (`find_volunteer`,
    `find_household`): a name must be one person's, or one household's head or address."""
    ids = []
    for name in split_names(text):
        found = find(name)
        if found is None:
            return (), unknown.format(name=name)
        ids.append(found)
    return tuple(ids), None


def read_service_form(form: Any, log: ServiceLogService) -> tuple[ServiceDraft, dict[str, str]]:
    """The service a form's fields describe (the service log's entry row and this dialog share
    the field names), with the names that found no one or more than one person."""
    people, people_error = resolve_names(
        form.people_edit.text(),
        log.find_volunteer,
        _("{name} is not on a team (or two people have that name)."),
    )
    households, household_error = resolve_names(
        form.households_edit.text(),
        log.find_household,
        _("No single household has the head {name}."),
    )
    problems = {}
    if people_error:
        problems["volunteer_ids"] = people_error
    if household_error:
        problems["household_ids"] = household_error
    draft = ServiceDraft(
        served_on=form.date_edit.date().toPython(),
        kind=form.kind_combo.currentData(),
        minutes=round(form.hours_spin.value() * 60),
        volunteer_ids=people,
        household_ids=households,
        notes=form.notes_edit.text(),
        fulfils_commitment=form.commitment_check.isChecked(),
    )
    return draft, problems


class ServiceDialog(DiscardGuard, QDialog):
    """Edit one service record; saving runs `ServiceLogService.update` through `ops`."""

    def __init__(
        self,
        log: ServiceLogService,
        row: ServiceRecordRow,
        people: list[str],
        households: list[str] | NameSearch,
        parent: QWidget | None = None,
        *,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("service_dialog")
        self.log, self.row = log, row
        self.ops = ops if ops is not None else Ops(self)
        self.saved: ServiceRecordRow | None = None
        day = row.served_on
        self.date_edit = QDateEdit(QDate(day.year, day.month, day.day), objectName="edit_date")
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setCalendarPopup(True)
        self.kind_combo = QComboBox(objectName="edit_kind")
        for kind in log.kinds():
            self.kind_combo.addItem(kind.label, kind.code)
        if self.kind_combo.findData(row.kind) < 0:  # a kind hidden since: still this record's
            self.kind_combo.addItem(row.kind_label, row.kind)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(row.kind))
        self.hours_spin = QDoubleSpinBox(
            objectName="edit_hours", decimals=1, minimum=0.0, maximum=24.0, singleStep=0.5
        )
        self.hours_spin.setValue(row.minutes / 60)
        self.people_edit = QLineEdit("、".join(row.people), objectName="edit_people")
        self.households_edit = QLineEdit("、".join(row.households), objectName="edit_households")
        self.notes_edit = QLineEdit(row.notes, objectName="edit_notes")
        self.commitment_check = QCheckBox(objectName="edit_fulfils")
        self.commitment_check.setChecked(row.commitment_id is not None)
        self.people_completer = NamesCompleter(people, self.people_edit, self)
        self.households_completer = NamesCompleter(households, self.households_edit, self)
        self.error_label = QLabel(objectName="edit_error")
        self.error_label.setStyleSheet("color: #b3261e")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        self.form = QFormLayout()
        self._labels = [QLabel() for _ in range(6)]
        for label, widget in zip(
            self._labels,
            (
                self.date_edit,
                self.kind_combo,
                self.hours_spin,
                self.people_edit,
                self.households_edit,
                self.notes_edit,
            ),
            strict=True,
        ):
            label.setBuddy(widget)
            self.form.addRow(label, widget)
        self.form.addRow(self.commitment_check)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.retranslate()
        self.people_edit.setFocus()
        self.mark_clean()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Change the service"))
        for label, text in zip(
            self._labels,
            (_("&Date"), _("&Kind"), _("Hou&rs"), _("&Who served"), _("Hou&seholds"), _("&Notes")),
            strict=True,
        ):
            label.setText(text)
        self.commitment_check.setText(_("Fulfils the co&mmitment"))

    def draft(self) -> tuple[ServiceDraft, dict[str, str]]:
        return read_service_form(self, self.log)

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return  # already saving
        draft, problems = self.draft()
        if problems:
            self.error_label.setText(" ".join(problems.values()))
            return

        def saved(row: ServiceRecordRow) -> None:
            self.saved = row
            self.accept()

        def refused(error: UserError) -> bool:
            if isinstance(error, ValidationFailed):
                self.error_label.setText(" ".join(error.problems.values()))
                return True
            return False

        self.save_button.setEnabled(False)
        self.ops.run(
            self,
            lambda: self.log.update(self.row.id, draft),
            {SERVICE_LOG, HOUSEHOLDS, STEWARDS},
            done=saved,
            refused=refused,
            finally_=lambda: self.save_button.setEnabled(True),
        )
