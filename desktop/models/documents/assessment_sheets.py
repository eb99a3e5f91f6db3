# SPDX-License-Identifier: GPL-3.0-or-later
"""The assessment's printed sheets' data, read from the database into documents/rows.py."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from desktop.errors import UserError
from desktop.i18n import _
from desktop.models.assessment import grading, results, rules, scoring
from desktop.models.assessment.assessment import GRADES, KINDS, SOURCES
from desktop.models.assessment.rows import ResultSheet
from desktop.models.documents.rows import (
    AssessmentFormData,
    AssessmentFormLine,
    AssessmentItemHead,
    AssessmentPrintData,
    AssessmentResultLine,
    AssessmentResultListData,
    BlankScoreSheetData,
)
from desktop.models.documents.sheets import _branch

#: What an item adds to the total on the form: a deduction shows with its minus sign.
_NO_SCORE = "—"


def blank_sheets(
    session: Session, branch_id: uuid.UUID, year: int, printed_on: dt.date
) -> list[BlankScoreSheetData]:
    """Every scorer group's sheet of `year` (scoring must have started: the sheets exist)."""
    branch = _branch(session, branch_id)
    assessed = scoring.assessed_stewards(session, rules.get_assessment(session, branch_id, year))
    posts = {s.id: grading._post(session, s) for s, _n in assessed}
    out = []
    for sheet in scoring.list_sheets(session, branch_id, year):
        grid = scoring.sheet_grid(session, branch_id, year, sheet.code)
        out.append(
            BlankScoreSheetData(
                branch_name=branch.name,
                year=year,
                code=sheet.code,
                scorer=sheet.scorer.name,
                items=tuple(
                    AssessmentItemHead(r.number, r.name, results.text(r.maximum), r.description)
                    for r in grid.rules
                ),
                stewards=tuple((name, posts.get(sid, "")) for sid, name in grid.stewards),
                printed_on=printed_on,
            )
        )
    if not out:
        raise UserError(
            _("There are no sheets for {year} yet: start the scoring first.").format(year=year)
        )
    return out


def _rules_text(sheet: ResultSheet) -> tuple[str, ...]:
    a = sheet.assessment
    lines = [
        _(
            "Excellent from {excellent} points, competent from {competent}, basically "
            "competent from {basic}, below that incompetent."
        ).format(
            excellent=results.text(a.excellent_min),
            competent=results.text(a.competent_min),
            basic=results.text(a.basic_min),
        )
    ]
    allowed = results.excellent_allowed(len(sheet.stewards), a.excellent_share)
    if allowed is not None:
        lines.append(_(results.TIE_RULE).format(share=a.excellent_share, allowed=allowed))
    return tuple(lines)


def assessment_print(
    session: Session, branch_id: uuid.UUID, year: int, printed_on: dt.date
) -> AssessmentPrintData:
    """The wall's result list and every steward's form."""
    branch = _branch(session, branch_id)
    sheet = grading.result_sheet(session, branch_id, year, printed_on)
    rule_by_id = {r.id: r for r in sheet.rules}
    forms = []
    for s in sheet.stewards:
        lines = []
        for item in s.items:
            rule = rule_by_id[item.rule_id]
            score = next(iter(item.means.values()), None)
            lines.append(
                AssessmentFormLine(
                    number=rule.number,
                    name=rule.name,
                    kind=_(KINDS[rule.kind]),
                    scored_by=_(SOURCES[rule.source]),
                    maximum=results.text(rule.maximum),
                    score=_NO_SCORE if score is None else results.text(score),
                    points=results.text(item.contribution),
                )
            )
        forms.append(
            AssessmentFormData(
                branch_name=branch.name,
                year=year,
                name=s.name,
                post=s.post,
                lines=tuple(lines),
                total=results.text(s.total),
                grade=_(GRADES[s.grade]),
                rank=str(s.rank),
                commitment=s.commitment,
                evaluation=s.evaluation,
                remarks=s.remarks,
                printed_on=printed_on,
            )
        )
    ranked = sorted(sheet.stewards, key=lambda r: (r.rank, r.name))
    result_list = AssessmentResultListData(
        branch_name=branch.name,
        year=year,
        lines=tuple(
            AssessmentResultLine(
                str(r.rank), r.name, r.post, results.text(r.total), _(GRADES[r.grade])
            )
            for r in ranked
        ),
        rules_text=_rules_text(sheet),
        published_from=sheet.assessment.published_from,
        published_until=sheet.assessment.published_until,
        branch_phone=branch.phone,
        final=sheet.final,
        printed_on=printed_on,
    )
    return AssessmentPrintData(result_list=result_list, forms=tuple(forms))
