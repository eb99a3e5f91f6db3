# SPDX-License-Identifier: GPL-3.0-or-later
"""A year's grading options: the grade thresholds, the cap on 优秀, dropping the highest and
lowest score, and the result list's posting period (公示).

The thresholds, the cap and dropping are rules: they can be changed only while the rules are
written (before scoring starts); the posting period until the year is final. The service
checks the same (rules.set_options); the dialog shows the locked fields disabled.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.models.assessment.rows import GRADES, AssessmentOptions, AssessmentRow
from desktop.views.keys import DiscardGuard

PROBLEM_STYLE = "color: #b3261e"


def _points_spin(name: str, value: Decimal) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(objectName=name)
    spin.setDecimals(1)
    spin.setRange(0, 1000)
    spin.setSingleStep(1)
    spin.setValue(float(value))
    return spin


def _date_edit(name: str, value: dt.date) -> QDateEdit:
    edit = QDateEdit(objectName=name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(value.year, value.month, value.day))
    return edit


class OptionsDialog(DiscardGuard, QDialog):
    def __init__(self, year: AssessmentRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assessment_options_dialog")
        self.setWindowTitle(_("Grading of {year}").format(year=year.year))
        self.year = year
        self.rules_open = year.state == "open"
        self.excellent_spin = _points_spin("excellent_min", year.excellent_min)
        self.competent_spin = _points_spin("competent_min", year.competent_min)
        self.basic_spin = _points_spin("basic_min", year.basic_min)
        self.share_spin = QSpinBox(objectName="excellent_share")
        self.share_spin.setRange(0, 100)
        self.share_spin.setSuffix(" %")
        self.share_spin.setSpecialValueText(_("no cap"))
        self.share_spin.setValue(year.excellent_share)
        self.drop_check = QCheckBox(
            _("Drop the highest and the lowest score of an item scored by five groups or more"),
            objectName="drop_extremes",
        )
        self.drop_check.setChecked(year.drop_extremes)
        # The posting period: the week after New Year unless the clerk has set one.
        first = year.published_from or dt.date(year.year + 1, 1, 5)
        self.post_check = QCheckBox(_("Post the result list"), objectName="post_results")
        self.post_check.setChecked(year.published_from is not None)
        self.from_edit = _date_edit("published_from", first)
        self.until_edit = _date_edit(
            "published_until", year.published_until or first + dt.timedelta(days=6)
        )
        self.post_check.toggled.connect(self._on_post_toggled)
        self.problem = QLabel(objectName="options_problem")
        self.problem.setStyleSheet(PROBLEM_STYLE)
        self.problem.setWordWrap(True)
        self.problem.hide()

        form = QFormLayout()
        for text, widget in (
            (
                _("Lowest total for {grade}").format(grade=_(GRADES["excellent"])),
                self.excellent_spin,
            ),
            (
                _("Lowest total for {grade}").format(grade=_(GRADES["competent"])),
                self.competent_spin,
            ),
            (
                _("Lowest total for {grade}").format(grade=_(GRADES["basically_competent"])),
                self.basic_spin,
            ),
            (_("&Largest share of {grade}").format(grade=_(GRADES["excellent"])), self.share_spin),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.drop_check)
        form.addRow("", self.post_check)
        for text, widget in (
            (_("Posted &from"), self.from_edit),
            (_("Posted &until"), self.until_edit),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        self.note = QLabel(
            ""
            if self.rules_open
            else _(
                "Scoring has started: the thresholds, the cap and dropping are locked with the "
                "rules. The posting period can still be set."
            )
        )
        self.note.setWordWrap(True)
        self.note.setVisible(not self.rules_open)
        for widget in (self.excellent_spin, self.competent_spin, self.basic_spin):
            widget.setEnabled(self.rules_open)
        self.share_spin.setEnabled(self.rules_open)
        self.drop_check.setEnabled(self.rules_open)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self._on_post_toggled(self.post_check.isChecked())
        self.mark_clean()  # Esc asks before throwing away what is typed from now on

    def _on_post_toggled(self, on: bool) -> None:
        self.from_edit.setEnabled(on)
        self.until_edit.setEnabled(on)

    def options(self) -> AssessmentOptions:
        """What the clerk set: the grading only while the rules are open; the posting period
        when it is ticked (None leaves an option as it is)."""
        posted = self.post_check.isChecked()
        first = self.from_edit.date().toPython() if posted else None
        last = self.until_edit.date().toPython() if posted else None
        if not self.rules_open:
            return AssessmentOptions(published_from=first, published_until=last)
        return AssessmentOptions(
            drop_extremes=self.drop_check.isChecked(),
            excellent_min=Decimal(str(round(self.excellent_spin.value(), 1))),
            competent_min=Decimal(str(round(self.competent_spin.value(), 1))),
            basic_min=Decimal(str(round(self.basic_spin.value(), 1))),
            excellent_share=self.share_spin.value(),
            published_from=first,
            published_until=last,
        )

    def problems(self) -> str:
        """What the service would refuse, said before saving."""
        o = self.options()
        if self.rules_open and not (o.basic_min <= o.competent_min <= o.excellent_min):  # type: ignore[operator]
            return _("The thresholds must rise: basically competent ≤ competent ≤ excellent.")
        if o.published_from and o.published_until and o.published_until < o.published_from:
            return _("The posting ends before it starts.")
        return ""

    def accept(self) -> None:
        problem = self.problems()
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        if not problem:
            super().accept()

    @classmethod
    def ask(cls, year: AssessmentRow, parent: QWidget | None = None) -> AssessmentOptions | None:
        """The options as set, or None when cancelled (tests replace this)."""
        dialog = cls(year, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.options()
