# SPDX-License-Identifier: GPL-3.0-or-later
"""Frozen rows of the assessment area for views and the command line (no SQLAlchemy inside).

Points are `Decimal`s with one decimal place; the tables keep tenths. The rows the printing
templates take are in documents/rows.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal

from desktop.i18n import N_

_frozen = dataclasses.dataclass(frozen=True, slots=True)

#: A year's life: rules written → sheets out and scores keyed (rules locked) → graded, locked.
STATES = {"open": N_("Writing the rules"), "scoring": N_("Scoring"), "final": N_("Final")}
#: An item counts towards the total; a bonus adds; a deduction subtracts.
KINDS = {"item": N_("Item"), "bonus": N_("Bonus"), "deduction": N_("Deduction")}
#: Who gives an item its points: scorer groups of a kind, the branch committee, or the records.
SOURCES = {
    "party_group": N_("Scored by the party groups"),
    "villager_group": N_("Scored by the villager groups"),
    "branch": N_("Scored by the branch committee"),
    "computed": N_("Computed from the records"),
}
#: What a computed item counts in the assessed year.
MEASURES = {
    "services": N_("Services given"),
    "hours": N_("Hours of service"),
    "duties": N_("Duties kept (signed sheets)"),
    "overdue_visits": N_("Households overdue for a visit"),
    "commitment": N_("Commitment stage"),
}
#: The grades, best first (优秀 / 合格 / 基本合格 / 不合格).
GRADES = {
    "excellent": N_("Excellent"),
    "competent": N_("Competent"),
    "basically_competent": N_("Basically competent"),
    "incompetent": N_("Incompetent"),
}


@_frozen
class AssessmentRow:
    id: uuid.UUID
    year: int
    state: str
    drop_extremes: bool
    excellent_min: Decimal
    competent_min: Decimal
    basic_min: Decimal
    #: Percent of the stewards who may be 优秀; 0 for no cap.
    excellent_share: int
    published_from: dt.date | None
    published_until: dt.date | None
    finalised_on: dt.date | None
    reopen_reason: str


@_frozen
class AssessmentOptions:
    """The grading options of a year; None leaves an option as it is."""

    drop_extremes: bool | None = None
    excellent_min: Decimal | None = None
    competent_min: Decimal | None = None
    basic_min: Decimal | None = None
    excellent_share: int | None = None
    published_from: dt.date | None = None
    published_until: dt.date | None = None


@_frozen
class RuleDraft:
    """A rule as the clerk writes it. `mapping`: for a count, points per event or hour
    ({"per": "2"}); for the commitment, points per stage ({"evaluated": "10", ...})."""

    name: str
    source: str
    maximum: Decimal
    kind: str = "item"
    weight: int = 100
    description: str = ""
    measure: str = ""
    mapping: dict[str, str] = dataclasses.field(default_factory=dict)


@_frozen
class RuleRow:
    id: uuid.UUID
    number: int
    name: str
    description: str
    kind: str
    source: str
    maximum: Decimal
    weight: int
    measure: str
    mapping: dict[str, str]
    change_reason: str

    def draft(self) -> RuleDraft:
        return RuleDraft(
            name=self.name,
            source=self.source,
            maximum=self.maximum,
            kind=self.kind,
            weight=self.weight,
            description=self.description,
            measure=self.measure,
            mapping=dict(self.mapping),
        )


@_frozen
class ScorerGroup:
    """A scorer: a party group, a villager group, or the branch committee (no group id)."""

    kind: str
    group_id: uuid.UUID | None
    name: str


@_frozen
class ScorerRow:
    id: uuid.UUID
    scorer: ScorerGroup
    steward_id: uuid.UUID
    steward_name: str


@_frozen
class SheetRow:
    id: uuid.UUID
    code: str
    scorer: ScorerGroup
    stewards: int
    boxes: int
    #: Boxes still empty; a sheet with all its boxes empty has not come back yet.
    missing: int

    @property
    def returned(self) -> bool:
        return self.missing < self.boxes


@_frozen
class BoxRow:
    id: uuid.UUID
    steward_id: uuid.UUID
    rule_id: uuid.UUID
    value: Decimal | None


@_frozen
class SheetGrid:
    """One sheet to key: its stewards (rows) × rules (columns) and the boxes."""

    sheet: SheetRow
    year: int
    stewards: tuple[tuple[uuid.UUID, str], ...]
    rules: tuple[RuleRow, ...]
    boxes: tuple[BoxRow, ...]
    locked: bool

    def box(self, steward_id: uuid.UUID, rule_id: uuid.UUID) -> BoxRow | None:
        for b in self.boxes:
            if b.steward_id == steward_id and b.rule_id == rule_id:
                return b
        return None


@_frozen
class ItemResult:
    rule_id: uuid.UUID
    #: Per scorer kind, the mean of its groups' scores (computed items: the key "computed").
    means: dict[str, Decimal]
    #: The item's points (before the weight) and what it adds to the total (after it, signed).
    points: Decimal | None
    contribution: Decimal
    #: How many scores went into the mean, and how many boxes are still empty.
    scores: int
    missing: int


@_frozen
class StewardResult:
    steward_id: uuid.UUID
    name: str
    post: str
    items: tuple[ItemResult, ...]
    total: Decimal
    #: The grade by the thresholds alone, and after the 优秀 cap (what is published).
    grade_by_total: str
    grade: str
    rank: int
    commitment: str
    evaluation: str
    remarks: str = ""


@_frozen
class ResultSheet:
    assessment: AssessmentRow
    rules: tuple[RuleRow, ...]
    stewards: tuple[StewardResult, ...]
    #: Boxes still empty over all sheets.
    missing: int
    #: Read from the stored results of a finalised year (else computed now).
    final: bool


@_frozen
class GradeHistory:
    year: int
    total: Decimal
    grade: str
