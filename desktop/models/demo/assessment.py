# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo's annual assessment: last year finished (every box scored by every group, graded, the
cap on 优秀 applied, posted), this year open for scoring with some sheets keyed.

Made through the assessment area's functions, so it is logged like real data; its records get
name-based ids (assessment.ID_FACTORY), so loading the demo on two PCs duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from decimal import Decimal

from sqlalchemy.orm import Session

from desktop.models.assessment import grading, rules, scoring
from desktop.models.assessment.assessment import ID_FACTORY
from desktop.models.assessment.rows import AssessmentOptions, RuleDraft

D = Decimal
#: The branch's written rules (考核细则): 100 points, a bonus for hours, a deduction for visits
#: overdue.
RULES = (
    RuleDraft(
        "服务数量", "party_group", D(40), description="服务次数多、联系户覆盖全，由党小组评分"
    ),
    RuleDraft(
        "服务质量", "villager_group", D(40), description="群众满意、办事实在，由村民小组评分"
    ),
    RuleDraft("践诺评诺", "branch", D(20), description="年终评诺，由支委会评定"),
    RuleDraft(
        "服务时长",
        "computed",
        D(5),
        kind="bonus",
        description="每小时0.5分，全年最多5分",
        measure="hours",
        mapping={"per": "0.5"},
    ),
    RuleDraft(
        "走访逾期",
        "computed",
        D(5),
        kind="deduction",
        description="重点户逾期未走访，每户扣1分，最多扣5分",
        measure="overdue_visits",
        mapping={"per": "1"},
    ),
)


def _score(rng: random.Random, maximum: Decimal, strength: float) -> Decimal:
    """A plausible score: strong stewards near the maximum, in half points."""
    share = 0.78 + 0.2 * strength + rng.uniform(-0.03, 0.03)
    value = min(float(maximum), float(maximum) * share)
    return D(round(value * 2) / 2).quantize(D("0.1"))


def _key(
    session: Session,
    branch_id: uuid.UUID,
    year: int,
    codes: list[str],
    rng: random.Random,
    strength: dict[uuid.UUID, float],
) -> None:
    for code in codes:
        grid = scoring.sheet_grid(session, branch_id, year, code)
        maxima = {r.id: r.maximum for r in grid.rules}
        scoring.key_scores(
            session,
            branch_id,
            year,
            code,
            {
                (b.steward_id, b.rule_id): _score(rng, maxima[b.rule_id], strength[b.steward_id])
                for b in grid.boxes
            },
        )


def load(
    session: Session, branch_id: uuid.UUID, demo_id: Callable[[str], uuid.UUID], year: int
) -> None:
    """Last year (`year` - 1) final, `year` open for scoring with six sheets keyed."""
    session.info[ID_FACTORY] = demo_id
    try:
        _load(session, branch_id, year)
    finally:
        session.info.pop(ID_FACTORY, None)


def _load(session: Session, branch_id: uuid.UUID, year: int) -> None:
    rng = random.Random(20251228)
    last = year - 1
    rules.open_year(session, branch_id, last)
    for draft in RULES:
        rules.save_rule(session, branch_id, last, draft)
    rules.set_options(
        session,
        branch_id,
        last,
        AssessmentOptions(
            excellent_share=30,
            published_from=dt.date(year, 1, 5),
            published_until=dt.date(year, 1, 11),
        ),
    )
    sheets = scoring.start_scoring(session, branch_id, last)
    a = rules.get_assessment(session, branch_id, last)
    stewards = [s.id for s, _n in scoring.assessed_stewards(session, a)]
    # Five of the thirteen score 90 or more, so that the cap on 优秀 (30 %: 3) has work to do.
    strength = {sid: (0.95 if i % 3 == 0 else 0.2 + 0.03 * i) for i, sid in enumerate(stewards)}
    _key(session, branch_id, last, [s.code for s in sheets], rng, strength)
    grading.finalise(session, branch_id, last, dt.date(last, 12, 28), today=dt.date(last, 12, 28))
    # This year: the rules copied from last year, sheets out, the first few sheets back.
    rules.open_year(session, branch_id, year)
    rules.save_rule(
        session,
        branch_id,
        year,
        RuleDraft(
            "承诺进度",
            "computed",
            D(5),
            kind="bonus",
            description="承诺公示2分，践诺4分，评诺5分",
            measure="commitment",
            mapping={"published": "2", "fulfilled": "4", "evaluated": "5"},
        ),
    )
    sheets = scoring.start_scoring(session, branch_id, year)
    party = [s.code for s in sheets if s.scorer.kind == "party_group"]
    villager = [s.code for s in sheets if s.scorer.kind == "villager_group"]
    _key(session, branch_id, year, party[:4] + villager[:2], rng, strength)
