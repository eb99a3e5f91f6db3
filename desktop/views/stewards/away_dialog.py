# SPDX-License-Identifier: GPL-3.0-or-later
"""A team member's days away (请假): the first and last day and a reason; rosters skip them."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop.i18n import _, format_date, qt_date_format
from desktop.models.stewards.rows import UnavailabilityRow
from desktop.views.keys import DiscardGuard


@dataclasses.dataclass(frozen=True)
class Away:
    first: dt.date
    last: dt.date
    reason: str


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class AwayDialog(DiscardGuard, QDialog):
    def __init__(
        self,
        name: str,
        known: Sequence[UnavailabilityRow] = (),
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("away_dialog")
        self.setWindowTitle(_("Days away of {name}").format(name=name))
        today = today or dt.date.today()
        self.first_edit = QDateEdit(_qdate(today), objectName="away_first")
        self.last_edit = QDateEdit(_qdate(today), objectName="away_last")
        for edit in (self.first_edit, self.last_edit):
            edit.setDisplayFormat(qt_date_format())
            edit.setCalendarPopup(True)
        self.first_edit.dateChanged.connect(self._follow_first)
        self.reason_edit = QLineEdit(objectName="away_reason")
        self.reason_edit.setMaxLength(100)
        self.known_label = QLabel(objectName="away_known")
        self.known_label.setWordWrap(True)
        self.known_label.setText(
            _("Already recorded: {periods}").format(
                periods="；".join(
                    f"{format_date(r.starts_on)} – {format_date(r.ends_on)}"
                    + (f"（{r.reason}）" if r.reason else "")
                    for r in known
                )
            )
            if known
            else _("No days away recorded yet.")
        )
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        for label, widget in (
            (_("&First day:"), self.first_edit),
            (_("&Last day:"), self.last_edit),
            (_("&Reason:"), self.reason_edit),
        ):
            form.addRow(label, widget)
        form.addRow(self.known_label)
        form.addRow(buttons)
        self.mark_clean()  # Esc asks before throwing away what is typed from now on

    def _follow_first(self, first: QDate) -> None:
        if self.last_edit.date() < first:
            self.last_edit.setDate(first)

    def away(self) -> Away:
        return Away(
            self.first_edit.date().toPython(),
            self.last_edit.date().toPython(),
            self.reason_edit.text(),
        )

    @classmethod
    def ask(
        cls, name: str, known: Sequence[UnavailabilityRow], parent: QWidget | None = None
    ) -> Away | None:
        dialog = cls(name, known, parent)
        return dialog.away() if dialog.exec() == QDialog.DialogCode.Accepted else None
