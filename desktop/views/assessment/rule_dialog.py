# SPDX-License-Identifier: GPL-3.0-or-later
"""Writing one item of the rules (考核细则): name, kind, who scores it, maximum, weight.

Problems show next to their fields as they are found (the service's own checks); once scoring
has started a change needs a reason, asked for in the same dialog and kept in the change log.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _
from desktop.models.assessment.rows import KINDS, MEASURES, SOURCES, RuleDraft, RuleRow
from desktop.models.assessment.service import AssessmentService
from desktop.views.keys import DiscardGuard

PROBLEM_STYLE = "color: #b3261e"


class RuleDialog(DiscardGuard, QDialog):
    def __init__(
        self,
        service: AssessmentService,
        rule: RuleRow | None = None,
        needs_reason: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rule_dialog")
        self.setWindowTitle(_("Assessment item") if rule is None else _("Change an item"))
        self.service = service
        self.needs_reason = needs_reason
        self.name_edit = QLineEdit(objectName="rule_name")
        self.name_edit.setMaxLength(100)
        self.description_edit = QLineEdit(objectName="rule_description")
        self.description_edit.setPlaceholderText(_("How it is scored, as printed on the sheets"))
        self.kind_combo = QComboBox(objectName="rule_kind")
        for code, label in KINDS.items():
            self.kind_combo.addItem(_(label), code)
        self.source_combo = QComboBox(objectName="rule_source")
        for code, label in SOURCES.items():
            self.source_combo.addItem(_(label), code)
        self.maximum_edit = QLineEdit(objectName="rule_maximum")
        self.weight_spin = QSpinBox(objectName="rule_weight")
        self.weight_spin.setRange(1, 1000)
        self.weight_spin.setSuffix(" %")
        self.weight_spin.setValue(100)
        self.measure_combo = QComboBox(objectName="rule_measure")
        for code, label in MEASURES.items():
            self.measure_combo.addItem(_(label), code)
        self.mapping_edit = QLineEdit(objectName="rule_mapping")
        self.reason_edit = QLineEdit(objectName="rule_reason")
        self.problems = {
            name: QLabel(objectName=f"{name}_problem")
            for name in ("name", "kind", "source", "maximum", "weight", "measure", "mapping")
        }
        self.problems["reason"] = QLabel(objectName="reason_problem")
        for label in self.problems.values():
            label.setStyleSheet(PROBLEM_STYLE)
            label.setWordWrap(True)
            label.hide()

        form = QFormLayout()
        rows = (
            (_("&Name"), self.name_edit, "name"),
            (_("&How it is scored"), self.description_edit, None),
            (_("&Kind"), self.kind_combo, "kind"),
            (_("&Scored by"), self.source_combo, "source"),
            (_("&Maximum points"), self.maximum_edit, "maximum"),
            (_("&Weight"), self.weight_spin, "weight"),
            (_("&Counts"), self.measure_combo, "measure"),
            (_("&Points"), self.mapping_edit, "mapping"),
        )
        self._computed_rows: list[QWidget] = []
        for text, widget, problem in rows:
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
            if problem is not None:
                form.addRow("", self.problems[problem])
            if widget in (self.measure_combo, self.mapping_edit):
                self._computed_rows += [label, widget]
        self.reason_label = QLabel(_("&Reason for the change"))
        self.reason_label.setBuddy(self.reason_edit)
        form.addRow(self.reason_label, self.reason_edit)
        form.addRow("", self.problems["reason"])
        self.reason_label.setVisible(needs_reason)
        self.reason_edit.setVisible(needs_reason)
        self.note = QLabel(
            _(
                "Scoring has started: the rules are locked. A change needs a reason, which is "
                "kept in the change log."
            )
            if needs_reason
            else ""
        )
        self.note.setWordWrap(True)
        self.note.setVisible(needs_reason)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.source_combo.currentIndexChanged.connect(self._on_source_changed)
        self.measure_combo.currentIndexChanged.connect(self._on_source_changed)
        if rule is not None:
            self.set_draft(rule.draft())
        self._on_source_changed()
        self.mark_clean()  # Esc asks before throwing away what is typed from now on

    def set_draft(self, draft: RuleDraft) -> None:
        self.name_edit.setText(draft.name)
        self.description_edit.setText(draft.description)
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(draft.kind), 0))
        self.source_combo.setCurrentIndex(max(self.source_combo.findData(draft.source), 0))
        self.maximum_edit.setText(f"{draft.maximum:f}".rstrip("0").rstrip("."))
        self.weight_spin.setValue(draft.weight)
        if draft.measure:
            self.measure_combo.setCurrentIndex(max(self.measure_combo.findData(draft.measure), 0))
        if draft.measure == "commitment":
            self.mapping_edit.setText(json.dumps(draft.mapping, ensure_ascii=False))
        else:
            self.mapping_edit.setText(draft.mapping.get("per", ""))

    def _on_source_changed(self) -> None:
        computed = self.source_combo.currentData() == "computed"
        for widget in self._computed_rows:
            widget.setVisible(computed)
        self.mapping_edit.setPlaceholderText(
            _('Points per stage, e.g. {"fulfilled": "4", "evaluated": "5"}')
            if self.measure_combo.currentData() == "commitment"
            else _("Points per event or hour, e.g. 0.5")
        )

    def draft(self) -> tuple[RuleDraft, dict[str, str]]:
        """The rule as written, and problems the service cannot see (a number that is none)."""
        problems: dict[str, str] = {}
        try:
            maximum = Decimal(self.maximum_edit.text().strip())
        except InvalidOperation:
            maximum = Decimal(0)
            problems["maximum"] = _("The maximum must be a number of points, e.g. 20.")
        mapping: dict[str, str] = {}
        text = self.mapping_edit.text().strip()
        if self.measure_combo.currentData() == "commitment":
            try:
                loaded = json.loads(text) if text else {}
                mapping = {str(k): str(v) for k, v in dict(loaded).items()}
            except (ValueError, TypeError):
                problems["mapping"] = _(
                    'Write the points per stage as {"stage": "points", …}, e.g. '
                    '{"fulfilled": "4", "evaluated": "5"}.'
                )
        elif text:
            mapping = {"per": text}
        draft = RuleDraft(
            name=self.name_edit.text(),
            source=self.source_combo.currentData(),
            maximum=maximum,
            kind=self.kind_combo.currentData(),
            weight=self.weight_spin.value(),
            description=self.description_edit.text(),
            measure=self.measure_combo.currentData(),
            mapping=mapping,
        )
        return draft, problems

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, label in self.problems.items():
            label.setText(problems.get(name, ""))
            label.setVisible(name in problems)

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def accept(self) -> None:
        draft, problems = self.draft()
        problems = self.service.validate_rule(draft) | problems
        if self.needs_reason and not self.reason():
            problems["reason"] = _("Give the reason for changing a locked rule.")
        self.show_problems(problems)
        if not problems:
            super().accept()

    @classmethod
    def ask(
        cls,
        service: AssessmentService,
        rule: RuleRow | None = None,
        needs_reason: bool = False,
        parent: QWidget | None = None,
    ) -> tuple[RuleDraft, str] | None:
        """The rule as written and the reason for the change, or None when cancelled."""
        dialog = cls(service, rule, needs_reason, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.draft()[0], dialog.reason()
