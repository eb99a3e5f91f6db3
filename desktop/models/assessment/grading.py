# SPDX-License-Identifier: GPL-3.0-or-later
"""Results of a year: the records computed items count, totals and grades, finalising and
reopening, and each steward's grades across years. Functions take the session first; the
arithmetic itself is in results.py (pure).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from fractions import Fraction

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, UserError
from desktop.i18n import _, ngettext
from desktop.models.assessment import results, rules, scoring
from desktop.models.assessment.assessment import Assessment, AssessmentResult, new_id
from desktop.models.assessment.rows import (
    GradeHistory,
    ItemResult,
    ResultSheet,
    StewardResult,
)
from desktop.models.register.branch import PartyGroup
from desktop.models.stewards import households
from desktop.models.stewards.service_record import ServicePerson, ServiceRecord
from desktop.models.stewards.steward import Commitment, Steward
from desktop.models.stewards.team import Volunteer

#: The mapping of a computed item in a final year: its stored tenths, 0.1 point each.
FROZEN = {"per": "0.1"}


def _reference_day(year: int, today: dt.date) -> dt.date:
    return min(today, dt.date(year, 12, 31))


def measure_values(
    session: Session, a: Assessment, stewards: list[Steward], today: dt.date
) -> dict[uuid.UUID, dict[str, object]]:
    """steward → measure → the count (or commitment stage) the records give for the year."""
    first, last = dt.date(a.year, 1, 1), dt.date(a.year, 12, 31)
    served = session.execute(
        select(
            Volunteer.member_id,
            ServiceRecord.id,
            ServiceRecord.minutes,
            ServiceRecord.duty_id,
        )
        .join(ServicePerson, ServicePerson.record_id == ServiceRecord.id)
        .join(Volunteer, Volunteer.id == ServicePerson.volunteer_id)
        .where(
            ServiceRecord.branch_id == a.branch_id,
            ~ServiceRecord.deleted,
            ~ServicePerson.deleted,
            ServiceRecord.served_on >= first,
            ServiceRecord.served_on <= last,
            Volunteer.member_id.is_not(None),
        )
    ).all()
    records: dict[uuid.UUID, dict[uuid.UUID, tuple[int, bool]]] = defaultdict(dict)
    for member_id, record_id, minutes, duty_id in served:
        records[member_id][record_id] = (minutes or 0, duty_id is not None)
    overdue: dict[uuid.UUID | None, int] = defaultdict(int)
    for row in households.overdue_households(
        session, a.branch_id, today=_reference_day(a.year, today)
    ):
        overdue[row.party_group_id] += 1
    out: dict[uuid.UUID, dict[str, object]] = {}
    for s in stewards:
        own = records.get(s.member_id, {})
        stage = session.scalar(
            select(Commitment.stage)
            .where(Commitment.steward_id == s.id, Commitment.year == a.year, ~Commitment.deleted)
            .order_by(Commitment.id.desc())
            .limit(1)
        )
        out[s.id] = {
            "services": len(own),
            "hours": Fraction(sum(m for m, _d in own.values()), 60),
            "duties": sum(1 for _m, duty in own.values() if duty),
            # The households of the group a steward leads; the chief leads no group.
            "overdue_visits": overdue.get(s.party_group_id, 0) if s.party_group_id else 0,
            "commitment": stage,
        }
    return out


def _post(session: Session, s: Steward) -> str:
    if s.role == "chief":
        return _("Chief steward")
    group = session.get(PartyGroup, s.party_group_id) if s.party_group_id else None
    return _("Steward of {group}").format(group=group.name if group else "")


def _commitment(session: Session, s: Steward, year: int) -> tuple[str, str]:
    c = session.scalar(
        select(Commitment)
        .where(Commitment.steward_id == s.id, Commitment.year == year, ~Commitment.deleted)
        .order_by(Commitment.id.desc())
        .limit(1)
    )
    return (c.content, c.evaluation or "") if c else ("", "")


def _stored(session: Session, a: Assessment) -> dict[uuid.UUID, AssessmentResult]:
    return {
        r.steward_id: r
        for r in session.scalars(
            select(AssessmentResult).where(
                AssessmentResult.assessment_id == a.id, ~AssessmentResult.deleted
            )
        )
    }


def _decode_computed(text: str) -> dict[uuid.UUID, int]:
    out = {}
    for part in filter(None, text.split("|")):
        rule_id, _sep, value = part.partition("=")
        out[uuid.UUID(rule_id)] = int(value)
    return out


def compute(
    session: Session, a: Assessment, today: dt.date
) -> tuple[list[tuple[Steward, str]], list[results.Outcome], int]:
    """(stewards, their outcomes, empty boxes) of the year as it stands."""
    stewards = scoring.assessed_stewards(session, a)
    rule_rows = rules.list_rules(session, a.id)
    specs = [
        results.RuleSpec(
            r.id, r.kind, r.source, Fraction(r.maximum), r.weight, r.measure, r.mapping
        )
        for r in rule_rows
    ]
    boxes: dict[tuple[uuid.UUID, uuid.UUID], list[Fraction | None]] = defaultdict(list)
    missing = 0
    for score, _sheet in scoring._live_boxes(session, a):
        boxes[(score.steward_id, score.rule_id)].append(
            None if score.value is None else Fraction(score.value, 10)
        )
        missing += score.value is None
    computed: dict[tuple[uuid.UUID, uuid.UUID], object] = {}
    stored = _stored(session, a) if a.state == "final" else {}
    if stored:
        # A final year keeps the points the records gave when it was finalised: read as a
        # count of tenths at 0.1 points each.
        specs = [
            results.RuleSpec(x.id, x.kind, x.source, x.maximum, x.weight, "frozen", FROZEN)
            if x.source == "computed"
            else x
            for x in specs
        ]
    values = measure_values(session, a, [s for s, _n in stewards], today)
    for s, _name in stewards:
        frozen = _decode_computed(stored[s.id].computed) if s.id in stored else {}
        for r in rule_rows:
            if r.source == "computed":
                live = values[s.id].get(r.measure)
                computed[(s.id, r.id)] = frozen.get(r.id, 0) if stored else live
    options = results.Options(
        drop_extremes=bool(a.drop_extremes),
        thresholds=(
            results.points(a.excellent_min),
            results.points(a.competent_min),
            results.points(a.basic_min),
        ),
        excellent_share=a.excellent_share,
    )
    outcomes = results.assess(specs, [s.id for s, _n in stewards], boxes, computed, options)
    return stewards, outcomes, missing


def result_sheet(
    session: Session, branch_id: uuid.UUID, year: int, today: dt.date | None = None
) -> ResultSheet:
    """Every steward's items, total, grade and rank: stored ones for a final year."""
    a = rules.get_assessment(session, branch_id, year)
    stewards, outcomes, missing = compute(session, a, today or dt.date.today())
    stored = _stored(session, a) if a.state == "final" else {}
    rule_rows = rules.list_rules(session, a.id)
    source = {r.id: r.source for r in rule_rows}
    out = []
    for (s, name), o in zip(stewards, outcomes, strict=True):
        content, evaluation = _commitment(session, s, a.year)
        kept = stored.get(s.id)
        items = tuple(
            ItemResult(
                rule_id=i.rule_id,
                means={} if i.mean is None else {source[i.rule_id]: results.rounded(i.mean, 2)},
                points=None if i.points is None else results.rounded(i.points, 2),
                contribution=results.rounded(i.contribution, 2),
                scores=i.scores,
                missing=i.missing,
            )
            for i in o.items
        )
        out.append(
            StewardResult(
                steward_id=s.id,
                name=name,
                post=_post(session, s),
                items=items,
                total=results.points(kept.total) if kept else o.total,
                grade_by_total=o.grade_by_total,
                grade=kept.grade if kept else o.grade,
                rank=kept.rank if kept else o.rank,
                commitment=content,
                evaluation=evaluation,
                remarks=kept.remarks if kept else "",
            )
        )
    return ResultSheet(
        assessment=rules.assessment_row(a),
        rules=tuple(rule_rows),
        stewards=tuple(out),
        missing=missing,
        final=a.state == "final",
    )


def finalise(
    session: Session, branch_id: uuid.UUID, year: int, on: dt.date, today: dt.date | None = None
) -> ResultSheet:
    """Grade the year and lock it: every box must be keyed. The results are stored, computed
    items with the points the records give now, so the year stays final on every replica."""
    a = rules.get_assessment(session, branch_id, year)
    rules.require_state(a, "scoring")
    stewards, outcomes, missing = compute(session, a, today or on)
    if missing:
        raise UserError(
            ngettext(
                "{n} box is still empty. Key every returned sheet before finalising.",
                "{n} boxes are still empty. Key every returned sheet before finalising.",
                missing,
            ).format(n=missing)
        )
    if not stewards:
        raise UserError(_("There is no steward to assess in {year}.").format(year=year))
    source = {r.id: r.source for r in rules.list_rules(session, a.id)}
    stored = _stored(session, a)
    for (s, _name), o in zip(stewards, outcomes, strict=True):
        frozen = "|".join(
            f"{i.rule_id}={results.tenths(i.points or Fraction(0))}"
            for i in o.items
            if source[i.rule_id] == "computed"
        )
        row = stored.get(s.id)
        if row is None:
            row = AssessmentResult(
                id=new_id(session, f"result-{a.year}-{s.id}"), assessment_id=a.id, steward_id=s.id
            )
            session.add(row)
        row.total = results.tenths(o.total)
        row.grade, row.rank, row.computed = o.grade, o.rank, frozen
    a.state, a.finalised_on = "final", on
    session.flush()
    return result_sheet(session, branch_id, year, today or on)


#: The longest remark on a steward's result (a line or two of the printed 年度考核表).
REMARKS_MAX = 200


def set_remarks(
    session: Session, branch_id: uuid.UUID, year: int, steward_id: uuid.UUID, text: str
) -> None:
    """The branch's remark on a steward's final result (评语), printed on their 年度考核表. Only a
    final year has stored results; a remark changes no score, so it does not reopen the year."""
    a = rules.get_assessment(session, branch_id, year)
    if a.state != "final":
        raise UserError(
            _("Remarks are written on final results: finalise the {year} assessment first.").format(
                year=year
            )
        )
    text = text.strip()
    if len(text) > REMARKS_MAX:
        raise UserError(_("A remark is at most {n} characters.").format(n=REMARKS_MAX))
    row = _stored(session, a).get(steward_id)
    if row is None:
        raise NotFound(_("The steward has no result in {year}.").format(year=year))
    row.remarks = text
    session.flush()


def reopen(session: Session, branch_id: uuid.UUID, year: int, reason: str) -> None:
    """Back to scoring; the reason is stored with the change, and so logged."""
    a = rules.get_assessment(session, branch_id, year)
    if a.state != "final":
        raise UserError(_("The {year} assessment is not final.").format(year=year))
    if not reason.strip():
        raise UserError(_("Give a reason for reopening a final assessment."))
    a.state, a.reopen_reason = "scoring", reason.strip()
    session.flush()


def grade_history(session: Session, steward_id: uuid.UUID) -> list[GradeHistory]:
    """A steward's final results, the newest year first."""
    found = session.execute(
        select(Assessment.year, AssessmentResult.total, AssessmentResult.grade)
        .join(Assessment, Assessment.id == AssessmentResult.assessment_id)
        .where(
            AssessmentResult.steward_id == steward_id,
            ~AssessmentResult.deleted,
            ~Assessment.deleted,
            Assessment.state == "final",
        )
        .order_by(Assessment.year.desc())
    ).all()
    return [GradeHistory(year, results.points(total), grade) for year, total, grade in found]
