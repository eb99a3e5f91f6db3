# SPDX-License-Identifier: GPL-3.0-or-later
"""Scorers, score sheets and keying scores back from paper. Functions take the session first.

Starting the scoring locks the rules and scorers, and makes one sheet per scorer group with
every box it will hold, empty. Keying fills boxes; a score above the item's maximum is refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, UserError, ValidationFailed
from desktop.i18n import _
from desktop.models.assessment import results, rules
from desktop.models.assessment.assessment import (
    Assessment,
    AssessmentRule,
    AssessmentScorer,
    Score,
    ScoreSheet,
    new_id,
)
from desktop.models.assessment.rows import (
    BoxRow,
    ScorerGroup,
    ScorerRow,
    SheetGrid,
    SheetRow,
)
from desktop.models.register.branch import PartyGroup, VillagerGroup
from desktop.models.register.member import Member
from desktop.models.stewards.household import Household
from desktop.models.stewards.steward import Steward

SCORER_KINDS = ("party_group", "villager_group", "branch")
#: The letter of a sheet's code per scorer kind: 党 (D), 村 (C), 支 (Z).
CODE_LETTERS = {"party_group": "D", "villager_group": "C", "branch": "Z"}


def assessed_stewards(session: Session, a: Assessment) -> list[tuple[Steward, str]]:
    """The stewards in post at some time in the year, the chief first, then by group."""
    first, last = dt.date(a.year, 1, 1), dt.date(a.year, 12, 31)
    found = session.execute(
        select(Steward, Member.name, PartyGroup.number)
        .join(Member, Member.id == Steward.member_id)
        .outerjoin(PartyGroup, PartyGroup.id == Steward.party_group_id)
        .where(
            Steward.branch_id == a.branch_id,
            ~Steward.deleted,
            (Steward.started_on.is_(None)) | (Steward.started_on <= last),
            (Steward.ended_on.is_(None)) | (Steward.ended_on >= first),
        )
    ).all()
    ordered = sorted(found, key=lambda r: (r[0].role != "chief", r[2] or 0, r[1], r[0].id))
    return [(s, name) for s, name, _n in ordered]


def _scorer_name(session: Session, kind: str, group_id: uuid.UUID | None) -> str:
    if kind == "party_group" and group_id:
        group = session.get(PartyGroup, group_id)
        return group.name if group else ""
    if kind == "villager_group" and group_id:
        vgroup = session.get(VillagerGroup, group_id)
        if vgroup is None:
            return ""
        return f"{vgroup.name}（{vgroup.alias}）" if vgroup.alias else vgroup.name
    return _("Branch committee")


def _group_id(row: AssessmentScorer | ScoreSheet) -> uuid.UUID | None:
    return row.party_group_id if row.scorer_kind == "party_group" else row.villager_group_id


def _scorer_rows(session: Session, a: Assessment) -> list[AssessmentScorer]:
    return list(
        session.scalars(
            select(AssessmentScorer).where(
                AssessmentScorer.assessment_id == a.id, ~AssessmentScorer.deleted
            )
        )
    )


def list_scorers(session: Session, branch_id: uuid.UUID, year: int) -> list[ScorerRow]:
    a = rules.get_assessment(session, branch_id, year)
    names = {s.id: name for s, name in assessed_stewards(session, a)}
    order = {sid: i for i, sid in enumerate(names)}
    found = []
    for row in _scorer_rows(session, a):
        group = ScorerGroup(row.scorer_kind, _group_id(row), "")
        found.append((row, group))
    out = [
        ScorerRow(
            row.id,
            ScorerGroup(g.kind, g.group_id, _scorer_name(session, g.kind, g.group_id)),
            row.steward_id,
            names.get(row.steward_id, ""),
        )
        for row, g in found
    ]
    return sorted(
        out,
        key=lambda r: (
            SCORER_KINDS.index(r.scorer.kind),
            r.scorer.name,
            order.get(r.steward_id, 10**6),
        ),
    )


def scorer_choices(
    session: Session, branch_id: uuid.UUID, year: int
) -> tuple[list[ScorerGroup], list[tuple[uuid.UUID, str]]]:
    """Who may score (every party group, every villager group, the branch committee) and who
    is assessed in `year` (id, name): the choices for setting one scorer by hand."""
    a = rules.get_assessment(session, branch_id, year)
    party = session.scalars(
        select(PartyGroup)
        .where(PartyGroup.branch_id == branch_id, ~PartyGroup.deleted)
        .order_by(PartyGroup.number)
    ).all()
    villager = session.scalars(
        select(VillagerGroup)
        .where(VillagerGroup.branch_id == branch_id, ~VillagerGroup.deleted)
        .order_by(VillagerGroup.number)
    ).all()
    groups = [
        *(
            ScorerGroup("party_group", g.id, _scorer_name(session, "party_group", g.id))
            for g in party
        ),
        *(
            ScorerGroup("villager_group", g.id, _scorer_name(session, "villager_group", g.id))
            for g in villager
        ),
        ScorerGroup("branch", None, _scorer_name(session, "branch", None)),
    ]
    return groups, [(s.id, name) for s, name in assessed_stewards(session, a)]


def _served_villager_groups(session: Session, branch_id: uuid.UUID) -> dict[uuid.UUID, set]:
    """party group → the villager groups of the households its team covers."""
    served: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for pgroup, vgroup in session.execute(
        select(Household.party_group_id, Household.villager_group_id).where(
            Household.branch_id == branch_id,
            ~Household.deleted,
            Household.party_group_id.is_not(None),
            Household.villager_group_id.is_not(None),
        )
    ):
        served[pgroup].add(vgroup)
    return served


def _add_scorer(
    session: Session, a: Assessment, kind: str, group_id: uuid.UUID | None, steward_id: uuid.UUID
) -> None:
    session.add(
        AssessmentScorer(
            id=new_id(session, f"scorer-{a.year}-{kind}-{group_id}-{steward_id}"),
            assessment_id=a.id,
            scorer_kind=kind,
            party_group_id=group_id if kind == "party_group" else None,
            villager_group_id=group_id if kind == "villager_group" else None,
            steward_id=steward_id,
        )
    )


def default_scorers(session: Session, branch_id: uuid.UUID, year: int) -> list[ScorerRow]:
    """Replace the scorers with the usual ones: every party group scores every steward; each
    villager group scores the stewards serving its area (the chief serves them all); the branch
    committee scores everyone when an item is scored by it."""
    a = rules.get_assessment(session, branch_id, year)
    rules.require_state(a, "open")
    for row in _scorer_rows(session, a):
        row.deleted = True
    stewards = [s for s, _name in assessed_stewards(session, a)]
    pgroups = session.scalars(
        select(PartyGroup.id).where(PartyGroup.branch_id == branch_id, ~PartyGroup.deleted)
    ).all()
    vgroups = session.scalars(
        select(VillagerGroup.id).where(VillagerGroup.branch_id == branch_id, ~VillagerGroup.deleted)
    ).all()
    served = _served_villager_groups(session, branch_id)
    branch_scores = any(r.source == "branch" for r in rules._rules(session, a.id))
    for s in stewards:
        for g in pgroups:
            _add_scorer(session, a, "party_group", g, s.id)
        areas = vgroups if s.role == "chief" else served.get(s.party_group_id, set())
        for v in vgroups:
            if v in areas:
                _add_scorer(session, a, "villager_group", v, s.id)
        if branch_scores:
            _add_scorer(session, a, "branch", None, s.id)
    session.flush()
    return list_scorers(session, branch_id, year)


def set_scorer(
    session: Session,
    branch_id: uuid.UUID,
    year: int,
    kind: str,
    group_id: uuid.UUID | None,
    steward_id: uuid.UUID,
    scores: bool,
) -> None:
    """Let a group score a steward, or not."""
    a = rules.get_assessment(session, branch_id, year)
    rules.require_state(a, "open")
    if kind not in SCORER_KINDS or (kind == "branch") != (group_id is None):
        raise ValidationFailed(
            {"scorer": _("Choose a party group, a villager group or the branch.")}
        )
    existing = [
        r
        for r in _scorer_rows(session, a)
        if r.scorer_kind == kind and _group_id(r) == group_id and r.steward_id == steward_id
    ]
    if scores and not existing:
        session.add(
            AssessmentScorer(
                assessment_id=a.id,
                scorer_kind=kind,
                party_group_id=group_id if kind == "party_group" else None,
                villager_group_id=group_id if kind == "villager_group" else None,
                steward_id=steward_id,
            )
        )
    elif not scores:
        for r in existing:
            r.deleted = True
    session.flush()


def _sheets(session: Session, a: Assessment) -> list[ScoreSheet]:
    return list(
        session.scalars(
            select(ScoreSheet)
            .where(ScoreSheet.assessment_id == a.id, ~ScoreSheet.deleted)
            .order_by(ScoreSheet.code)
        )
    )


def _group_number(session: Session, kind: str, group_id: uuid.UUID | None) -> int:
    table = PartyGroup if kind == "party_group" else VillagerGroup
    if group_id is None:
        return 1
    group = session.get(table, group_id)
    return group.number if group else 0


def start_scoring(session: Session, branch_id: uuid.UUID, year: int) -> list[SheetRow]:
    """Lock the rules and scorers and make the sheets, one per scorer group, boxes empty."""
    a = rules.get_assessment(session, branch_id, year)
    rules.require_state(a, "open")
    if not rules._rules(session, a.id):
        raise UserError(_("Write the rules of {year} before scoring starts.").format(year=year))
    if not _scorer_rows(session, a):
        default_scorers(session, branch_id, year)
    a.state = "scoring"
    ensure_boxes(session, a)
    return list_sheets(session, branch_id, year)


def ensure_boxes(session: Session, a: Assessment) -> None:
    """Make the sheets and boxes the rules and scorers call for that do not exist yet."""
    sheets = {(s.scorer_kind, _group_id(s)): s for s in _sheets(session, a)}
    boxes = {
        (b.sheet_id, b.steward_id, b.rule_id)
        for b in session.scalars(
            select(Score)
            .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
            .where(ScoreSheet.assessment_id == a.id, ~Score.deleted)
        )
    }
    by_source: dict[str, list[AssessmentRule]] = defaultdict(list)
    for rule in rules._rules(session, a.id):
        by_source[rule.source].append(rule)
    scorers = [r for r in _scorer_rows(session, a) if by_source.get(r.scorer_kind)]
    for scorer in scorers:
        kind, group_id = scorer.scorer_kind, _group_id(scorer)
        if (kind, group_id) not in sheets:
            number = _group_number(session, kind, group_id)
            code = f"{a.year}-{CODE_LETTERS[kind]}{number}"
            sheets[(kind, group_id)] = ScoreSheet(
                id=new_id(session, f"sheet-{code}"),
                assessment_id=a.id,
                scorer_kind=kind,
                party_group_id=group_id if kind == "party_group" else None,
                villager_group_id=group_id if kind == "villager_group" else None,
                code=code,
            )
            session.add(sheets[(kind, group_id)])
    # The sheets first: without relationships the flush does not order the inserts by key.
    session.flush()
    for scorer in scorers:
        sheet = sheets[(scorer.scorer_kind, _group_id(scorer))]
        for rule in by_source[scorer.scorer_kind]:
            if (sheet.id, scorer.steward_id, rule.id) not in boxes:
                session.add(
                    Score(
                        id=new_id(session, f"score-{sheet.id}-{scorer.steward_id}-{rule.id}"),
                        sheet_id=sheet.id,
                        steward_id=scorer.steward_id,
                        rule_id=rule.id,
                    )
                )
                boxes.add((sheet.id, scorer.steward_id, rule.id))
    session.flush()


def _live_boxes(
    session: Session, a: Assessment, sheet_id: uuid.UUID | None = None
) -> list[tuple[Score, ScoreSheet]]:
    """The boxes that count (of live sheets and live rules), of one sheet or all."""
    stmt = (
        select(Score, ScoreSheet)
        .join(ScoreSheet, ScoreSheet.id == Score.sheet_id)
        .join(AssessmentRule, AssessmentRule.id == Score.rule_id)
        .where(
            ScoreSheet.assessment_id == a.id,
            ~ScoreSheet.deleted,
            ~Score.deleted,
            ~AssessmentRule.deleted,
            AssessmentRule.source == ScoreSheet.scorer_kind,
        )
    )
    if sheet_id is not None:
        stmt = stmt.where(Score.sheet_id == sheet_id)
    return [(score, sheet) for score, sheet in session.execute(stmt)]


def _sheet_row(session: Session, sheet: ScoreSheet, boxes: list[Score]) -> SheetRow:
    return SheetRow(
        id=sheet.id,
        code=sheet.code,
        scorer=ScorerGroup(
            sheet.scorer_kind,
            _group_id(sheet),
            _scorer_name(session, sheet.scorer_kind, _group_id(sheet)),
        ),
        stewards=len({b.steward_id for b in boxes}),
        boxes=len(boxes),
        missing=sum(1 for b in boxes if b.value is None),
    )


def list_sheets(session: Session, branch_id: uuid.UUID, year: int) -> list[SheetRow]:
    a = rules.get_assessment(session, branch_id, year)
    by_sheet: dict[uuid.UUID, list[Score]] = defaultdict(list)
    for score, sheet in _live_boxes(session, a):
        by_sheet[sheet.id].append(score)
    rows = [_sheet_row(session, s, by_sheet.get(s.id, [])) for s in _sheets(session, a)]
    return sorted(rows, key=lambda r: (SCORER_KINDS.index(r.scorer.kind), _code_number(r.code)))


def _code_number(code: str) -> tuple[int, str]:
    """2026-D10 sorts after 2026-D9."""
    tail = code.rsplit("-", 1)[-1][1:]
    return (int(tail), code) if tail.isdigit() else (0, code)


def _sheet(
    session: Session, branch_id: uuid.UUID, year: int, code: str
) -> tuple[Assessment, ScoreSheet]:
    a = rules.get_assessment(session, branch_id, year)
    for sheet in _sheets(session, a):
        if sheet.code.lower() == code.strip().lower():
            return a, sheet
    raise NotFound(_("There is no sheet {code} in {year}.").format(code=code, year=year))


def sheet_grid(session: Session, branch_id: uuid.UUID, year: int, code: str) -> SheetGrid:
    """One sheet's stewards × items and its boxes, for keying."""
    a, sheet = _sheet(session, branch_id, year, code)
    boxes = [s for s, _sh in _live_boxes(session, a, sheet.id)]
    names = [(s.id, name) for s, name in assessed_stewards(session, a)]
    on_sheet = {b.steward_id for b in boxes}
    rule_ids = {b.rule_id for b in boxes}
    return SheetGrid(
        sheet=_sheet_row(session, sheet, boxes),
        year=a.year,
        stewards=tuple((sid, name) for sid, name in names if sid in on_sheet),
        rules=tuple(r for r in rules.list_rules(session, a.id) if r.id in rule_ids),
        boxes=tuple(
            BoxRow(
                b.id, b.steward_id, b.rule_id, None if b.value is None else results.points(b.value)
            )
            for b in boxes
        ),
        locked=a.state != "scoring",
    )


def check_score(value: Decimal | None, maximum: Decimal, name: str) -> int | None:
    """The tenths to store, or a `ValidationFailed` for a score above the maximum."""
    if value is None:
        return None
    if not (0 <= value <= maximum) or value != value.quantize(results.TENTH):
        raise ValidationFailed(
            {
                "value": _("{item}: a score is 0 to {maximum}, in tenths at most.").format(
                    item=name, maximum=results.text(maximum)
                )
            }
        )
    return results.tenths(value)


def key_scores(
    session: Session,
    branch_id: uuid.UUID,
    year: int,
    code: str,
    values: dict[tuple[uuid.UUID, uuid.UUID], Decimal | None],
) -> SheetGrid:
    """Key boxes of one sheet: (steward, rule) → score, None to empty a box. All or nothing."""
    a, sheet = _sheet(session, branch_id, year, code)
    if a.state != "scoring":
        rules.require_state(a, "scoring")
    boxes = {(s.steward_id, s.rule_id): s for s, _sh in _live_boxes(session, a, sheet.id)}
    for key, value in values.items():
        box = boxes.get(key)
        if box is None:
            raise NotFound(_("That box is not on sheet {code}.").format(code=sheet.code))
        rule = session.get_one(AssessmentRule, box.rule_id)
        stored = check_score(value, results.points(rule.maximum), rule.name)
        if box.value != stored:
            box.value = stored
    session.flush()
    return sheet_grid(session, branch_id, year, code)


def key_table(
    session: Session,
    branch_id: uuid.UUID,
    year: int,
    code: str,
    header: list[str],
    table: list[list[str]],
) -> SheetGrid:
    """Key a sheet from a table as typed from paper (a CSV): the first column the steward's
    name, one column per item headed by its number or name; an empty cell is left alone."""
    grid = sheet_grid(session, branch_id, year, code)
    by_name = {r.name: r for r in grid.rules} | {str(r.number): r for r in grid.rules}
    columns = []
    for title in header[1:]:
        rule = by_name.get(title.strip())
        if rule is None:
            raise UserError(
                _('Column "{title}" is not an item of sheet {code}.').format(title=title, code=code)
            )
        columns.append(rule)
    stewards = {name: sid for sid, name in grid.stewards}
    values: dict[tuple[uuid.UUID, uuid.UUID], Decimal | None] = {}
    for line in table:
        if not line or not "".join(line).strip():
            continue
        sid = stewards.get(line[0].strip())
        if sid is None:
            raise UserError(
                _("{name} is not on sheet {code}.").format(name=line[0].strip(), code=code)
            )
        for rule, cell in zip(columns, line[1:], strict=False):
            if cell.strip():
                value = rules._decimal(cell)
                if value is None:
                    raise ValidationFailed(
                        {
                            "value": _('{name}, {item}: "{cell}" is not a number.').format(
                                name=line[0].strip(), item=rule.name, cell=cell
                            )
                        }
                    )
                values[(sid, rule.id)] = value
    return key_scores(session, branch_id, year, code, values)


def missing_boxes(session: Session, branch_id: uuid.UUID, year: int) -> list[tuple[str, str, str]]:
    """Every empty box: (sheet code, steward, item), in sheet order."""
    a = rules.get_assessment(session, branch_id, year)
    names = {s.id: name for s, name in assessed_stewards(session, a)}
    rule_names = {r.id: (r.number, r.name) for r in rules.list_rules(session, a.id)}
    empty = [
        (sheet.code, names.get(score.steward_id, ""), rule_names[score.rule_id])
        for score, sheet in _live_boxes(session, a)
        if score.value is None
    ]
    return [(code, name, rule[1]) for code, name, rule in sorted(empty)]
