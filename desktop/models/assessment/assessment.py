# SPDX-License-Identifier: GPL-3.0-or-later
"""The annual assessment (年度考核) of the red stewards: its rules, scorers, sheets and scores.

Points are stored in tenths of a point (whole numbers keep the change log and sync exact, as
minutes do for the service log); the rows and the arithmetic speak in points (`Decimal`).
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from desktop.models.assessment.rows import GRADES as GRADES
from desktop.models.assessment.rows import KINDS as KINDS
from desktop.models.assessment.rows import MEASURES as MEASURES
from desktop.models.assessment.rows import SOURCES as SOURCES
from desktop.models.assessment.rows import STATES as STATES
from desktop.models.store.base import SyncedRecord, uuid7

#: `session.info` key: a function from a stable key to an id. The demo sets it, so that its
#: assessment records get name-based ids like the rest of the demo, and loading it on two PCs
#: that later sync duplicates nothing. Real use leaves it unset: UUIDv7 ids.
ID_FACTORY = "assessment_ids"


def new_id(session: Session, key: str) -> uuid.UUID:
    factory = session.info.get(ID_FACTORY)
    return factory(key) if factory is not None else uuid7()


class Assessment(SyncedRecord):
    """One year's assessment of the branch's stewards, and how it is graded."""

    __tablename__ = "assessment"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="open")
    #: Drop the highest and the lowest score of an item when at least five groups scored it.
    drop_extremes: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The lowest totals (tenths) for 优秀, 合格 and 基本合格.
    excellent_min: Mapped[int] = mapped_column(Integer, default=900)
    competent_min: Mapped[int] = mapped_column(Integer, default=700)
    basic_min: Mapped[int] = mapped_column(Integer, default=600)
    #: The largest share of 优秀, in percent of the assessed stewards; 0 for no cap.
    excellent_share: Mapped[int] = mapped_column(Integer, default=0)
    #: The result list's publication period on the wall (公示).
    published_from: Mapped[dt.date | None] = mapped_column(Date)
    published_until: Mapped[dt.date | None] = mapped_column(Date)
    finalised_on: Mapped[dt.date | None] = mapped_column(Date)
    #: Why the year was last reopened (logged with the reopening).
    reopen_reason: Mapped[str] = mapped_column(Text, default="")


class AssessmentRule(SyncedRecord):
    """One item of the written rules (考核细则)."""

    __tablename__ = "assessment_rule"

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    #: How it is scored, as printed on the sheets (每次2分，全年最多12分).
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(10), default="item")
    source: Mapped[str] = mapped_column(String(20))
    #: The most points (tenths): a box's maximum, or a computed item's annual cap.
    maximum: Mapped[int] = mapped_column(Integer)
    #: Percent of the item's points that count towards the total.
    weight: Mapped[int] = mapped_column(Integer, default=100)
    #: For computed items: what is counted (MEASURES) and its points (see rules.parse_mapping).
    measure: Mapped[str] = mapped_column(String(20), default="")
    mapping: Mapped[str] = mapped_column(Text, default="")
    #: Why the rule was changed after scoring had started (logged with the change).
    change_reason: Mapped[str] = mapped_column(Text, default="")


class AssessmentScorer(SyncedRecord):
    """A scorer group scores a steward: a party group, a villager group, or the branch."""

    __tablename__ = "assessment_scorer"

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), index=True)
    scorer_kind: Mapped[str] = mapped_column(String(20))
    party_group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("party_group.id"))
    villager_group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("villager_group.id"))
    steward_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("steward.id"), index=True)


class ScoreSheet(SyncedRecord):
    """One scorer group's paper sheet (测评表): its stewards × the items it scores."""

    __tablename__ = "score_sheet"

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), index=True)
    scorer_kind: Mapped[str] = mapped_column(String(20))
    party_group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("party_group.id"))
    villager_group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("villager_group.id"))
    #: Printed on the sheet, so that a returned sheet is keyed into the right place (2026-D1).
    code: Mapped[str] = mapped_column(String(20))


class Score(SyncedRecord):
    """One box of a sheet; made empty when the sheets go out, so that two PCs keying the same
    box edit one record (a conflict a person settles), never two."""

    __tablename__ = "score"

    sheet_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("score_sheet.id"), index=True)
    steward_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("steward.id"), index=True)
    rule_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment_rule.id"), index=True)
    #: Tenths of a point; None while the box is empty.
    value: Mapped[int | None] = mapped_column(Integer)


class AssessmentResult(SyncedRecord):
    """A steward's final result, written when the year is finalised (so it stays final on every
    replica even if the service log changes later)."""

    __tablename__ = "assessment_result"

    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), index=True)
    steward_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("steward.id"), index=True)
    #: Tenths of a point.
    total: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(20))
    rank: Mapped[int] = mapped_column(Integer)
    #: The computed items' points at finalising, "rule id=tenths|…".
    computed: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
