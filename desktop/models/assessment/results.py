# SPDX-License-Identifier: GPL-3.0-or-later
"""The arithmetic of the assessment, as pure functions (no session, no clock): tested alone.

How a total is made, in order:
1. **Mean per item.** An item scored by groups takes the mean of the scores its groups gave (the
   groups of its one scorer kind); with `drop_extremes` and at least five scores, the highest
   and the lowest one are dropped first. Empty boxes are left out of the mean.
2. **Computed items** take points from a count in the records (per event or hour, capped at the
   item's maximum) or from the commitment's stage (points per stage).
3. **Points** are the mean (or computed points) capped at the item's maximum; an item adds
   points × weight / 100; a deduction subtracts that much. The total is never below 0.
4. Exact fractions all the way; the total is rounded once, half up, to one decimal. The grade is
   read from the rounded total, so what is printed is what was graded.
5. **Grades** by thresholds (default 优秀 ≥ 90, 合格 ≥ 70, 基本合格 ≥ 60, else 不合格).
6. **The 优秀 cap** (optional, percent of the assessed stewards, rounded down). Candidates are
   ranked by total, then by what the villager groups gave, then by what the party groups gave.
   When the cap falls inside a group still tied on all three, nobody of that group is 优秀
   (they are 合格): the cap is never exceeded and no lot is drawn. `TIE_RULE` says this on paper.
"""

from __future__ import annotations

import dataclasses
import math
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from desktop.i18n import N_

#: Printed under the result list when a cap on 优秀 applies.
TIE_RULE = N_(
    "Excellent is limited to {allowed} stewards ({share}%). Stewards are ranked by total, "
    "then by the villager groups' points, then by the party groups' points; stewards still "
    "equal where the limit falls are all rated competent, so the limit is never exceeded."
)
#: Scores from at least this many groups are needed before the highest and lowest are dropped.
DROP_EXTREMES_FROM = 5
GRADE_ORDER = ("excellent", "competent", "basically_competent", "incompetent")
COUNT_MEASURES = ("services", "hours", "duties", "overdue_visits")
TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")


def points(tenths: int) -> Decimal:
    """Stored tenths → points."""
    return (Decimal(tenths) / 10).quantize(TENTH)


def tenths(value: Decimal | Fraction | int | str) -> int:
    """Points → stored tenths (rounded half up)."""
    return int(rounded(Fraction(Decimal(value) if isinstance(value, str) else value) * 10, 0))


def text(value: Decimal | None) -> str:
    """Points as printed: 50, 42.5 (no trailing zeros, never an exponent)."""
    return "" if value is None else format(value.normalize(), "f")


def rounded(value: Fraction, places: int = 1) -> Decimal:
    """Half-up rounding of an exact value (Python's round() would round half to even)."""
    scaled = value * 10**places
    whole = math.floor(abs(scaled) + Fraction(1, 2))
    return (Decimal(whole if scaled >= 0 else -whole) / Decimal(10) ** places).quantize(
        Decimal(1).scaleb(-places)
    )


def mean(values: Sequence[Fraction], drop_extremes: bool = False) -> Fraction | None:
    """The mean of the scores (None without any); drops the highest and lowest when asked and
    there are at least `DROP_EXTREMES_FROM`."""
    if not values:
        return None
    kept = sorted(values)
    if drop_extremes and len(kept) >= DROP_EXTREMES_FROM:
        kept = kept[1:-1]
    return Fraction(sum(kept, Fraction(0))) / len(kept)


def computed_points(
    measure: str, mapping: Mapping[str, str], value: object, maximum: Fraction
) -> Fraction:
    """Points of a computed item: a count × points per event (capped at `maximum`), or the
    points of the commitment's stage (`value` the stage code, None without a commitment)."""
    if measure == "commitment":
        if value is None:
            return Fraction(0)
        earned = Fraction(Decimal(mapping.get(str(value), "0")))
    else:
        per = Fraction(Decimal(mapping.get("per", "0")))
        earned = per * Fraction(str(value or 0))
    return max(Fraction(0), min(earned, maximum))


def grade_for(total: Decimal, thresholds: tuple[Decimal, Decimal, Decimal]) -> str:
    """The grade of a total; `thresholds` the lowest totals of 优秀, 合格, 基本合格."""
    excellent, competent, basic = thresholds
    if total >= excellent:
        return "excellent"
    if total >= competent:
        return "competent"
    if total >= basic:
        return "basically_competent"
    return "incompetent"


@dataclasses.dataclass(frozen=True, slots=True)
class Standing:
    """What the cap compares: the total, then the villager groups', then the party groups'."""

    steward_id: uuid.UUID
    total: Decimal
    villager: Fraction = Fraction(0)
    party: Fraction = Fraction(0)

    @property
    def key(self) -> tuple[Decimal, Fraction, Fraction]:
        return (self.total, self.villager, self.party)


def excellent_allowed(assessed: int, share: int) -> int | None:
    """How many may be 优秀 (rounded down), or None when there is no cap."""
    return None if share <= 0 else assessed * share // 100


def cap_excellent(
    standings: Sequence[Standing], grades: Mapping[uuid.UUID, str], share: int
) -> dict[uuid.UUID, str]:
    """The grades after the 优秀 cap: candidates beyond it, or tied where it falls, become 合格."""
    result = dict(grades)
    allowed = excellent_allowed(len(standings), share)
    if allowed is None:
        return result
    candidates = sorted(
        (s for s in standings if grades[s.steward_id] == "excellent"),
        key=lambda s: s.key,
        reverse=True,
    )
    if len(candidates) <= allowed:
        return result
    boundary = candidates[allowed].key
    for s in candidates:
        if s.key <= boundary:
            result[s.steward_id] = "competent"
    return result


def ranks(totals: Mapping[uuid.UUID, Decimal]) -> dict[uuid.UUID, int]:
    """Competition ranking (1, 1, 3): equal totals share a rank."""
    ordered = sorted(totals.values(), reverse=True)
    return {sid: ordered.index(total) + 1 for sid, total in totals.items()}


@dataclasses.dataclass(frozen=True, slots=True)
class RuleSpec:
    id: uuid.UUID
    kind: str
    source: str
    maximum: Fraction
    weight: int = 100
    measure: str = ""
    mapping: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True, slots=True)
class ItemOutcome:
    rule_id: uuid.UUID
    mean: Fraction | None
    points: Fraction | None
    contribution: Fraction
    scores: int
    missing: int


@dataclasses.dataclass(frozen=True, slots=True)
class Outcome:
    steward_id: uuid.UUID
    items: tuple[ItemOutcome, ...]
    total: Decimal
    grade_by_total: str
    grade: str
    rank: int


@dataclasses.dataclass(frozen=True, slots=True)
class Options:
    drop_extremes: bool = False
    thresholds: tuple[Decimal, Decimal, Decimal] = (Decimal(90), Decimal(70), Decimal(60))
    excellent_share: int = 0


def item_outcome(
    rule: RuleSpec,
    boxes: Sequence[Fraction | None],
    computed: object,
    drop_extremes: bool,
) -> ItemOutcome:
    """One steward's item: `boxes` the scores its groups gave (None: empty box), `computed` the
    count or stage for a computed item."""
    if rule.source == "computed":
        item_mean = computed_points(rule.measure, rule.mapping, computed, rule.maximum)
        filled, missing = 0, 0
    else:
        filled_values = [b for b in boxes if b is not None]
        item_mean = mean(filled_values, drop_extremes)
        filled, missing = len(filled_values), len(boxes) - len(filled_values)
    item_points = None if item_mean is None else min(item_mean, rule.maximum)
    contribution = Fraction(0) if item_points is None else item_points * rule.weight / 100
    if rule.kind == "deduction":
        contribution = -contribution
    return ItemOutcome(rule.id, item_mean, item_points, contribution, filled, missing)


def assess(
    rules: Sequence[RuleSpec],
    stewards: Sequence[uuid.UUID],
    boxes: Mapping[tuple[uuid.UUID, uuid.UUID], Sequence[Fraction | None]],
    computed: Mapping[tuple[uuid.UUID, uuid.UUID], object],
    options: Options,
) -> list[Outcome]:
    """Every steward's items, total, grades and rank.

    `boxes[(steward, rule)]`: the scores of the groups that score that steward on that rule;
    `computed[(steward, rule)]`: the count or stage of a computed rule.
    """
    items: dict[uuid.UUID, tuple[ItemOutcome, ...]] = {}
    totals: dict[uuid.UUID, Decimal] = {}
    standings = []
    for sid in stewards:
        outcomes = tuple(
            item_outcome(
                r, boxes.get((sid, r.id), ()), computed.get((sid, r.id)), options.drop_extremes
            )
            for r in rules
        )
        items[sid] = outcomes
        exact = sum((o.contribution for o in outcomes), Fraction(0))
        totals[sid] = rounded(max(Fraction(0), exact))
        by_source = {r.id: r.source for r in rules}
        standings.append(
            Standing(
                sid,
                totals[sid],
                _sum(o.contribution for o in outcomes if by_source[o.rule_id] == "villager_group"),
                _sum(o.contribution for o in outcomes if by_source[o.rule_id] == "party_group"),
            )
        )
    by_total = {sid: grade_for(totals[sid], options.thresholds) for sid in stewards}
    capped = cap_excellent(standings, by_total, options.excellent_share)
    ranking = ranks(totals)
    return [
        Outcome(sid, items[sid], totals[sid], by_total[sid], capped[sid], ranking[sid])
        for sid in stewards
    ]


def _sum(values: Iterable[Fraction]) -> Fraction:
    return sum(values, Fraction(0))
