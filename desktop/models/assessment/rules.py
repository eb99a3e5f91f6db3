# SPDX-License-Identifier: GPL-3.0-or-later
"""A year's assessment and its written rules (考核细则). Functions take the session first.

Rules are written while the year is open. Once the sheets go out (scoring), a change is still
possible but explicit: it needs a reason, which is stored on the rule and so logged with the
change. A final year changes nothing until it is reopened (with a reason, see grading.py).
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, UserError, ValidationFailed
from desktop.i18n import _
from desktop.models.assessment import results
from desktop.models.assessment.assessment import (
    KINDS,
    MEASURES,
    SOURCES,
    Assessment,
    AssessmentRule,
    new_id,
)
from desktop.models.assessment.rows import AssessmentOptions, AssessmentRow, RuleDraft, RuleRow
from desktop.models.stewards.steward import COMMITMENT_STAGES

MAX_POINTS = Decimal(1000)


def assessment_row(a: Assessment) -> AssessmentRow:
    return AssessmentRow(
        id=a.id,
        year=a.year,
        state=a.state,
        drop_extremes=bool(a.drop_extremes),
        excellent_min=results.points(a.excellent_min),
        competent_min=results.points(a.competent_min),
        basic_min=results.points(a.basic_min),
        excellent_share=a.excellent_share,
        published_from=a.published_from,
        published_until=a.published_until,
        finalised_on=a.finalised_on,
        reopen_reason=a.reopen_reason or "",
    )


def find_assessment(session: Session, branch_id: uuid.UUID, year: int) -> Assessment | None:
    return session.scalar(
        select(Assessment)
        .where(Assessment.branch_id == branch_id, Assessment.year == year, ~Assessment.deleted)
        .order_by(Assessment.id)
        .limit(1)
    )


def get_assessment(session: Session, branch_id: uuid.UUID, year: int) -> Assessment:
    found = find_assessment(session, branch_id, year)
    if found is None:
        raise NotFound(_("There is no assessment for {year} yet.").format(year=year))
    return found


def list_assessments(session: Session, branch_id: uuid.UUID) -> list[AssessmentRow]:
    """Every year's assessment, the newest first."""
    found = session.scalars(
        select(Assessment)
        .where(Assessment.branch_id == branch_id, ~Assessment.deleted)
        .order_by(Assessment.year.desc())
    ).all()
    return [assessment_row(a) for a in found]


def require_state(a: Assessment, *states: str) -> None:
    if a.state in states:
        return
    if a.state == "final":
        raise UserError(
            _("The {year} assessment is final. Reopen it (with a reason) to change it.").format(
                year=a.year
            )
        )
    if a.state == "scoring":
        raise UserError(
            _("Scoring of {year} has started: the rules and scorers are locked.").format(
                year=a.year
            )
        )
    raise UserError(
        _("Scoring of {year} has not started yet: print and hand out the sheets first.").format(
            year=a.year
        )
    )


def open_year(
    session: Session, branch_id: uuid.UUID, year: int, copy_from: int | None = None
) -> AssessmentRow:
    """Start `year`'s assessment; its rules and options are copied from `copy_from` (by default
    the latest earlier year that has one), so a branch writes its rules once."""
    if not 2000 <= year <= 2100:
        raise ValidationFailed({"year": _("The year must be between 2000 and 2100.")})
    if find_assessment(session, branch_id, year) is not None:
        raise UserError(_("There is already an assessment for {year}.").format(year=year))
    source = None
    if copy_from is not None:
        source = get_assessment(session, branch_id, copy_from)
    else:
        source = session.scalar(
            select(Assessment)
            .where(Assessment.branch_id == branch_id, Assessment.year < year, ~Assessment.deleted)
            .order_by(Assessment.year.desc())
            .limit(1)
        )
    new = Assessment(
        id=new_id(session, f"assessment-{year}"), branch_id=branch_id, year=year, state="open"
    )
    if source is not None:
        for name in ("drop_extremes", "excellent_min", "competent_min", "basic_min"):
            setattr(new, name, getattr(source, name))
        new.excellent_share = source.excellent_share
    session.add(new)
    session.flush()
    if source is not None:
        for rule in list_rules(session, source.id):
            _add_rule(session, new, rule.draft())
    session.flush()
    return assessment_row(new)


def parse_mapping(text: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in json.loads(text).items()} if text else {}


def rule_row(r: AssessmentRule) -> RuleRow:
    return RuleRow(
        id=r.id,
        number=r.number,
        name=r.name,
        description=r.description or "",
        kind=r.kind,
        source=r.source,
        maximum=results.points(r.maximum),
        weight=r.weight,
        measure=r.measure or "",
        mapping=parse_mapping(r.mapping),
        change_reason=r.change_reason or "",
    )


def _rules(session: Session, assessment_id: uuid.UUID) -> list[AssessmentRule]:
    return list(
        session.scalars(
            select(AssessmentRule)
            .where(AssessmentRule.assessment_id == assessment_id, ~AssessmentRule.deleted)
            .order_by(AssessmentRule.number, AssessmentRule.id)
        )
    )


def list_rules(session: Session, assessment_id: uuid.UUID) -> list[RuleRow]:
    """The rules in their printed order."""
    return [rule_row(r) for r in _rules(session, assessment_id)]


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def validate_rule(draft: RuleDraft) -> dict[str, str]:
    """Problems with a rule, field → message (empty when it can be saved)."""
    problems: dict[str, str] = {}
    if not draft.name.strip():
        problems["name"] = _("Name the item.")
    elif len(draft.name.strip()) > 100:
        problems["name"] = _("The item's name is at most 100 characters.")
    if draft.kind not in KINDS:
        problems["kind"] = _("Choose item, bonus or deduction.")
    if draft.source not in SOURCES:
        problems["source"] = _("Choose who scores the item.")
    maximum = draft.maximum
    if not (0 < maximum <= MAX_POINTS) or maximum != maximum.quantize(results.TENTH):
        problems["maximum"] = _(
            "The maximum must be more than 0 and at most 1000 points, in tenths at most."
        )
    if not 0 < draft.weight <= 1000:
        problems["weight"] = _("The weight must be a percentage between 1 and 1000.")
    if draft.source == "computed":
        if draft.measure not in MEASURES:
            problems["measure"] = _("Choose what a computed item counts.")
        elif draft.measure == "commitment":
            bad = [k for k in draft.mapping if k not in COMMITMENT_STAGES]
            values = [_decimal(v) for v in draft.mapping.values()]
            if bad or not draft.mapping or any(v is None or v < 0 for v in values):
                problems["mapping"] = _(
                    "Give the points of each commitment stage (pledged, reviewed, published, "
                    "fulfilled, evaluated), none below 0."
                )
        else:
            per = _decimal(draft.mapping.get("per", ""))
            if per is None or per <= 0 or set(draft.mapping) != {"per"}:
                problems["mapping"] = _("Give the points per event or hour, more than 0.")
    return problems


def _normal(draft: RuleDraft) -> RuleDraft:
    computed = draft.source == "computed"
    return RuleDraft(
        name=draft.name.strip(),
        source=draft.source,
        maximum=draft.maximum,
        kind=draft.kind,
        weight=draft.weight,
        description=draft.description.strip(),
        measure=draft.measure if computed else "",
        mapping=dict(draft.mapping) if computed else {},
    )


def _apply(rule: AssessmentRule, draft: RuleDraft) -> None:
    rule.name = draft.name
    rule.description = draft.description
    rule.kind = draft.kind
    rule.source = draft.source
    rule.maximum = results.tenths(draft.maximum)
    rule.weight = draft.weight
    rule.measure = draft.measure
    rule.mapping = (
        json.dumps(draft.mapping, sort_keys=True, ensure_ascii=False) if draft.mapping else ""
    )


def _add_rule(session: Session, a: Assessment, draft: RuleDraft) -> AssessmentRule:
    numbers = [r.number for r in _rules(session, a.id)]
    number = max(numbers, default=0) + 1
    rule = AssessmentRule(
        id=new_id(session, f"rule-{a.year}-{number}"), assessment_id=a.id, number=number
    )
    _apply(rule, draft)
    session.add(rule)
    session.flush()
    return rule


def _check_change(a: Assessment, reason: str) -> str:
    """Rules change freely while open; during scoring only with a reason; never when final."""
    require_state(a, "open", "scoring")
    reason = reason.strip()
    if a.state == "scoring" and not reason:
        raise UserError(
            _(
                "Scoring of {year} has started, so the rules are locked. Give a reason to "
                "change them anyway; it is kept in the change log."
            ).format(year=a.year)
        )
    return reason


def save_rule(
    session: Session,
    branch_id: uuid.UUID,
    year: int,
    draft: RuleDraft,
    rule_id: uuid.UUID | None = None,
    reason: str = "",
) -> RuleRow:
    """Add a rule (at the end) or change one."""
    a = get_assessment(session, branch_id, year)
    reason = _check_change(a, reason)
    draft = _normal(draft)
    problems = validate_rule(draft)
    if problems:
        raise ValidationFailed(problems)
    if rule_id is None:
        rule = _add_rule(session, a, draft)
    else:
        rule = _get_rule(session, a, rule_id)
        _apply(rule, draft)
    if a.state == "scoring":
        rule.change_reason = reason
        from desktop.models.assessment import scoring

        scoring.ensure_boxes(session, a)
    session.flush()
    return rule_row(rule)


def _get_rule(session: Session, a: Assessment, rule_id: uuid.UUID) -> AssessmentRule:
    rule = session.get(AssessmentRule, rule_id)
    if rule is None or rule.deleted or rule.assessment_id != a.id:
        raise NotFound(_("That assessment rule no longer exists."))
    return rule


def remove_rule(
    session: Session, branch_id: uuid.UUID, year: int, rule_id: uuid.UUID, reason: str = ""
) -> None:
    a = get_assessment(session, branch_id, year)
    reason = _check_change(a, reason)
    rule = _get_rule(session, a, rule_id)
    if a.state == "scoring":
        rule.change_reason = reason
    rule.deleted = True
    session.flush()


def set_options(
    session: Session, branch_id: uuid.UUID, year: int, options: AssessmentOptions
) -> AssessmentRow:
    """Grading options. Thresholds and the cap are rules too: locked like them; the publication
    period may be set until the year is final."""
    a = get_assessment(session, branch_id, year)
    grading = (
        options.drop_extremes,
        options.excellent_min,
        options.competent_min,
        options.basic_min,
        options.excellent_share,
    )
    require_state(a, "open") if any(v is not None for v in grading) else require_state(
        a, "open", "scoring"
    )
    excellent = (
        options.excellent_min
        if options.excellent_min is not None
        else results.points(a.excellent_min)
    )
    competent = (
        options.competent_min
        if options.competent_min is not None
        else results.points(a.competent_min)
    )
    basic = options.basic_min if options.basic_min is not None else results.points(a.basic_min)
    if not (0 <= basic <= competent <= excellent <= MAX_POINTS):
        raise ValidationFailed(
            {
                "thresholds": _(
                    "The thresholds must rise: basically competent ≤ competent ≤ excellent."
                )
            }
        )
    share = options.excellent_share if options.excellent_share is not None else a.excellent_share
    if not 0 <= share <= 100:
        raise ValidationFailed({"excellent_share": _("The share of excellent is 0 to 100%.")})
    first = options.published_from or a.published_from
    last = options.published_until or a.published_until
    if first and last and last < first:
        raise ValidationFailed({"published_until": _("The posting ends before it starts.")})
    if options.drop_extremes is not None:
        a.drop_extremes = options.drop_extremes
    a.excellent_min = results.tenths(excellent)
    a.competent_min = results.tenths(competent)
    a.basic_min = results.tenths(basic)
    a.excellent_share = share
    a.published_from, a.published_until = first, last
    session.flush()
    return assessment_row(a)
