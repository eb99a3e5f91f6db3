# SPDX-License-Identifier: GPL-3.0-or-later
"""A steward's commitment of the year: text with a live character count, and its stage."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _, format_date, ngettext
from desktop.models.stewards.rows import COMMITMENT_MAX_CHARS, COMMITMENT_STAGES, StewardRow
from desktop.views.ops import STEWARDS, Ops
from desktop.views.widgets.wrap import WrapLabel

if TYPE_CHECKING:
    from desktop.models.stewards.service import StewardService

STAGES = tuple(COMMITMENT_STAGES)


class CommitmentBox(QGroupBox):
    def __init__(
        self, stewards: StewardService, parent: QWidget | None = None, *, ops: Ops | None = None
    ) -> None:
        super().__init__(parent)
        self.stewards = stewards
        self.ops = ops if ops is not None else Ops(self)
        self.steward: StewardRow | None = None
        self.year = dt.date.today().year
        self.text_edit = QPlainTextEdit(objectName="commitment_text")
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setFixedHeight(self.fontMetrics().height() * 5)
        self.count_label = QLabel(objectName="commitment_count")
        self.stage_label = WrapLabel(objectName="commitment_stage")
        self.evaluation_edit = QLineEdit(objectName="commitment_evaluation")
        self.save_button = QPushButton(objectName="save_commitment")
        self.next_button = QPushButton(objectName="next_stage")
        self.text_edit.textChanged.connect(self._count)
        self.save_button.clicked.connect(self.save)
        self.next_button.clicked.connect(self.next_stage)
        row = QHBoxLayout()
        row.addWidget(self.count_label)
        row.addStretch()
        row.addWidget(self.save_button)
        stage_row = QHBoxLayout()
        stage_row.addWidget(self.evaluation_edit, 1)
        stage_row.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_edit)
        layout.addLayout(row)
        layout.addWidget(self.stage_label)
        layout.addLayout(stage_row)
        self.retranslate()
        self.show_steward(None)

    def retranslate(self) -> None:
        self.setTitle(_("Commitment of {year}").format(year=self.year))
        self.save_button.setText(_("Save commitment"))
        self.evaluation_edit.setPlaceholderText(_("Evaluation (for the last stage)"))
        self._count()

    def _count(self) -> None:
        n = len(self.text_edit.toPlainText().strip())
        self.count_label.setText(
            _("{count} / {limit} characters").format(count=n, limit=COMMITMENT_MAX_CHARS)
        )
        self.count_label.setStyleSheet("color: #b3261e" if n > COMMITMENT_MAX_CHARS else "")

    def show_steward(self, steward: StewardRow | None) -> None:
        self.steward = steward
        commitment = steward.commitment if steward else None
        self.setEnabled(steward is not None)
        self.text_edit.setPlainText(commitment.content if commitment else "")
        if commitment is None:
            self.stage_label.setText(_("Not pledged yet this year."))
            self.next_button.setText(_("Next stage"))
            self.next_button.setEnabled(False)
            return
        parts = []
        for stage in STAGES:
            day = commitment.stage_dates.get(stage)
            mark = "●" if STAGES.index(stage) <= STAGES.index(commitment.stage) else "○"
            parts.append(
                f"{mark} {_(COMMITMENT_STAGES[stage])}" + (f" {format_date(day)}" if day else "")
            )
        self.stage_label.setText(
            " → ".join(parts)
            + (
                "\n"
                + ngettext(
                    "{n} service linked as fulfilling it.",
                    "{n} services linked as fulfilling it.",
                    commitment.service_count,
                ).format(n=commitment.service_count)
            )
        )
        index = STAGES.index(commitment.stage)
        self.next_button.setEnabled(index + 1 < len(STAGES))
        self.next_button.setText(
            _("Move to: {stage}").format(stage=_(COMMITMENT_STAGES[STAGES[index + 1]]))
            if index + 1 < len(STAGES)
            else _("Evaluated")
        )
        self.evaluation_edit.setText(commitment.evaluation)
        self.evaluation_edit.setEnabled(index + 1 == len(STAGES) - 1)

    def _run(self, action: Callable[[], object]) -> None:
        """The page showing the box refreshes from the announced change."""
        self.ops.run(self, action, {STEWARDS})

    def save(self) -> None:
        if self.steward is not None:
            steward_id: uuid.UUID = self.steward.id
            self._run(
                lambda: self.stewards.save_commitment(
                    steward_id, self.year, self.text_edit.toPlainText()
                )
            )

    def next_stage(self) -> None:
        if self.steward is not None and self.steward.commitment is not None:
            commitment_id = self.steward.commitment.id
            self._run(
                lambda: self.stewards.advance_commitment(
                    commitment_id, dt.date.today(), self.evaluation_edit.text()
                )
            )
