# SPDX-License-Identifier: GPL-3.0-or-later
"""The assessment area's service: each method is one unit of work (see services.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from desktop.models.assessment import grading, rules, scoring
from desktop.models.assessment.rows import (
    AssessmentOptions,
    AssessmentRow,
    GradeHistory,
    ResultSheet,
    RuleDraft,
    RuleRow,
    ScorerGroup,
    ScorerRow,
    SheetGrid,
    SheetRow,
)
from desktop.models.store.db import Database


class AssessmentService:
    def __init__(self, db: Database, branch_id: uuid.UUID, actor: str | None = None) -> None:
        self.db, self.branch_id, self.actor = db, branch_id, actor

    # ------------------------------------------------------------------ years and rules

    def years(self) -> list[AssessmentRow]:
        with self.db.read() as s:
            return rules.list_assessments(s, self.branch_id)

    def year(self, year: int) -> AssessmentRow:
        with self.db.read() as s:
            return rules.assessment_row(rules.get_assessment(s, self.branch_id, year))

    def open_year(self, year: int, copy_from: int | None = None) -> AssessmentRow:
        with self.db.unit_of_work(self.actor) as s:
            return rules.open_year(s, self.branch_id, year, copy_from)

    def set_options(self, year: int, options: AssessmentOptions) -> AssessmentRow:
        with self.db.unit_of_work(self.actor) as s:
            return rules.set_options(s, self.branch_id, year, options)

    def rules(self, year: int) -> list[RuleRow]:
        with self.db.read() as s:
            return rules.list_rules(s, rules.get_assessment(s, self.branch_id, year).id)

    def validate_rule(self, draft: RuleDraft) -> dict[str, str]:
        return rules.validate_rule(draft)

    def save_rule(
        self, year: int, draft: RuleDraft, rule_id: uuid.UUID | None = None, reason: str = ""
    ) -> RuleRow:
        with self.db.unit_of_work(self.actor) as s:
            return rules.save_rule(s, self.branch_id, year, draft, rule_id, reason)

    def remove_rule(self, year: int, rule_id: uuid.UUID, reason: str = "") -> None:
        with self.db.unit_of_work(self.actor) as s:
            rules.remove_rule(s, self.branch_id, year, rule_id, reason)

    # ------------------------------------------------------------------ scorers and sheets

    def scorers(self, year: int) -> list[ScorerRow]:
        with self.db.read() as s:
            return scoring.list_scorers(s, self.branch_id, year)

    def default_scorers(self, year: int) -> list[ScorerRow]:
        with self.db.unit_of_work(self.actor) as s:
            return scoring.default_scorers(s, self.branch_id, year)

    def scorer_choices(self, year: int) -> tuple[list[ScorerGroup], list[tuple[uuid.UUID, str]]]:
        """Every group that may score, and the stewards assessed in `year` (id, name)."""
        with self.db.read() as s:
            return scoring.scorer_choices(s, self.branch_id, year)

    def set_scorer(
        self,
        year: int,
        kind: str,
        group_id: uuid.UUID | None,
        steward_id: uuid.UUID,
        scores: bool = True,
    ) -> None:
        with self.db.unit_of_work(self.actor) as s:
            scoring.set_scorer(s, self.branch_id, year, kind, group_id, steward_id, scores)

    def start_scoring(self, year: int) -> list[SheetRow]:
        with self.db.unit_of_work(self.actor) as s:
            return scoring.start_scoring(s, self.branch_id, year)

    def sheets(self, year: int) -> list[SheetRow]:
        with self.db.read() as s:
            return scoring.list_sheets(s, self.branch_id, year)

    def sheet(self, year: int, code: str) -> SheetGrid:
        with self.db.read() as s:
            return scoring.sheet_grid(s, self.branch_id, year, code)

    def key_scores(
        self, year: int, code: str, values: dict[tuple[uuid.UUID, uuid.UUID], Decimal | None]
    ) -> SheetGrid:
        with self.db.unit_of_work(self.actor) as s:
            return scoring.key_scores(s, self.branch_id, year, code, values)

    def key_table(
        self, year: int, code: str, header: list[str], table: list[list[str]]
    ) -> SheetGrid:
        with self.db.unit_of_work(self.actor) as s:
            return scoring.key_table(s, self.branch_id, year, code, header, table)

    def missing(self, year: int) -> list[tuple[str, str, str]]:
        with self.db.read() as s:
            return scoring.missing_boxes(s, self.branch_id, year)

    # ------------------------------------------------------------------ results

    def results(self, year: int, today: dt.date | None = None) -> ResultSheet:
        with self.db.read() as s:
            return grading.result_sheet(s, self.branch_id, year, today)

    def finalise(self, year: int, on: dt.date | None = None) -> ResultSheet:
        with self.db.unit_of_work(self.actor) as s:
            return grading.finalise(s, self.branch_id, year, on or dt.date.today())

    def set_remarks(self, year: int, steward_id: uuid.UUID, text: str) -> None:
        """The remark (评语) on a steward's final result, printed on their form."""
        with self.db.unit_of_work(self.actor) as s:
            grading.set_remarks(s, self.branch_id, year, steward_id, text)

    def reopen(self, year: int, reason: str) -> None:
        with self.db.unit_of_work(self.actor) as s:
            grading.reopen(s, self.branch_id, year, reason)

    def history(self, steward_id: uuid.UUID) -> list[GradeHistory]:
        with self.db.read() as s:
            return grading.grade_history(s, steward_id)
