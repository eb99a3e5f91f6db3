# SPDX-License-Identifier: GPL-3.0-or-later
"""The assessment's arithmetic (results.py): means, drop-high-low, weights, caps, thresholds,
the 优秀 cap and its ties. Pure functions, so examples and properties."""

from __future__ import annotations

import uuid
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from desktop.models.assessment import results
from desktop.models.assessment.results import Options, RuleSpec, Standing

F = Fraction
D = Decimal
THRESHOLDS = (D(90), D(70), D(60))
scores = st.lists(st.integers(0, 1000).map(lambda t: F(t, 10)), min_size=1, max_size=12)


def test_mean_drops_highest_and_lowest_only_from_five_scores():
    assert results.mean([F(10), F(20), F(90), F(40)], drop_extremes=True) == F(40)
    assert results.mean([F(10), F(20), F(30), F(40), F(100)], drop_extremes=True) == F(30)
    assert results.mean([F(10), F(20), F(30), F(40), F(100)]) == F(40)
    assert results.mean([]) is None


@given(scores, st.booleans())
def test_the_mean_lies_between_the_lowest_and_highest_score(values, drop):
    value = results.mean(values, drop)
    assert min(values) <= value <= max(values)


@given(scores)
def test_dropping_extremes_never_moves_the_mean_outside_the_kept_range(values):
    kept = sorted(values)[1:-1] if len(values) >= 5 else values
    assert min(kept) <= results.mean(values, True) <= max(kept)


def test_computed_items_are_capped_per_year_and_map_commitment_stages():
    per = {"per": "2"}
    assert results.computed_points("services", per, 4, F(12)) == F(8)
    assert results.computed_points("services", per, 30, F(12)) == F(12)
    assert results.computed_points("hours", {"per": "0.5"}, F(7, 2), F(10)) == F(7, 4)
    stages = {"published": "6", "evaluated": "10"}
    assert results.computed_points("commitment", stages, "evaluated", F(10)) == F(10)
    assert results.computed_points("commitment", stages, "pledged", F(10)) == 0
    assert results.computed_points("commitment", stages, None, F(10)) == 0


@given(st.integers(0, 500), st.integers(1, 50), st.integers(1, 1000))
def test_computed_points_never_exceed_the_cap(count, per, cap):
    got = results.computed_points("services", {"per": str(per)}, count, F(cap))
    assert 0 <= got <= cap and (got == cap or got == per * count)


def test_grades_by_thresholds_at_their_edges():
    grade = results.grade_for
    assert grade(D("90.0"), THRESHOLDS) == "excellent"
    assert grade(D("89.9"), THRESHOLDS) == "competent"
    assert grade(D("70.0"), THRESHOLDS) == "competent"
    assert grade(D("69.9"), THRESHOLDS) == "basically_competent"
    assert grade(D("60.0"), THRESHOLDS) == "basically_competent"
    assert grade(D("59.9"), THRESHOLDS) == "incompetent"


@given(st.decimals(0, 200, places=1), st.decimals(0, 200, places=1))
def test_a_higher_total_never_gets_a_lower_grade(a, b):
    order = results.GRADE_ORDER
    low, high = sorted((a, b))
    assert order.index(results.grade_for(high, THRESHOLDS)) <= order.index(
        results.grade_for(low, THRESHOLDS)
    )


def test_rounding_is_half_up_once():
    assert results.rounded(F(6925, 100)) == D("69.3")
    assert results.rounded(F(8945, 100)) == D("89.5")  # round() would give 89.4
    assert results.rounded(F(-5, 100)) == D("-0.1")
    assert results.text(D("50.0")) == "50" and results.text(D("42.50")) == "42.5"


def _ids(n):
    return [uuid.UUID(int=i + 1) for i in range(n)]


def test_the_excellent_cap_keeps_the_best_and_demotes_the_rest():
    a, b, c, d, e, f = _ids(6)
    totals = {a: D(98), b: D(95), c: D(93), d: D(91), e: D(80), f: D(60)}
    standings = [Standing(i, t) for i, t in totals.items()]
    grades = {i: results.grade_for(t, THRESHOLDS) for i, t in totals.items()}
    capped = results.cap_excellent(standings, grades, 34)  # 6 × 34% = 2.04 → 2
    assert [capped[i] for i in (a, b, c, d, e, f)] == [
        "excellent",
        "excellent",
        "competent",
        "competent",
        "competent",
        "basically_competent",
    ]
    assert results.cap_excellent(standings, grades, 0) == grades


def test_ties_at_the_cap_go_by_villagers_then_party_then_nobody():
    a, b, c, d = _ids(4)
    grades = dict.fromkeys((a, b, c, d), "excellent")
    # 4 × 50% = 2 places; b and c tie on total, the villagers' points decide for b
    by_villagers = [
        Standing(a, D(99)),
        Standing(b, D(95), F(30)),
        Standing(c, D(95), F(29)),
        Standing(d, D(91)),
    ]
    capped = results.cap_excellent(by_villagers, grades, 50)
    assert [capped[i] for i in (a, b, c, d)] == ["excellent", "excellent", "competent", "competent"]
    # still tied on all three: neither gets the last place, so the cap is never exceeded
    tied = [
        Standing(a, D(99)),
        Standing(b, D(95), F(30), F(40)),
        Standing(c, D(95), F(30), F(40)),
        Standing(d, D(91)),
    ]
    capped = results.cap_excellent(tied, grades, 50)
    assert [capped[i] for i in (a, b, c, d)] == ["excellent", "competent", "competent", "competent"]


@given(
    st.lists(st.integers(850, 1000), min_size=1, max_size=30),
    st.integers(1, 100),
    st.integers(0, 3),
)
def test_the_cap_is_never_exceeded_and_never_skips_a_better_steward(tenths, share, spread):
    ids = _ids(len(tenths))
    standings = [
        Standing(i, results.points(t), F(t % (spread + 1)))
        for i, t in zip(ids, tenths, strict=True)
    ]
    grades = {s.steward_id: results.grade_for(s.total, THRESHOLDS) for s in standings}
    capped = results.cap_excellent(standings, grades, share)
    excellent = [s for s in standings if capped[s.steward_id] == "excellent"]
    assert len(excellent) <= len(standings) * share // 100
    for s in standings:
        if capped[s.steward_id] != grades[s.steward_id]:
            assert grades[s.steward_id] == "excellent" and capped[s.steward_id] == "competent"
    # whoever is excellent ranks strictly above everyone who lost it
    lost = [s for s in standings if grades[s.steward_id] == "excellent" and s not in excellent]
    assert all(w.key > x.key for w in excellent for x in lost)


def test_ranks_share_places_on_equal_totals():
    a, b, c, d = _ids(4)
    assert results.ranks({a: D(90), b: D(95), c: D(90), d: D(80)}) == {a: 2, b: 1, c: 2, d: 4}


def test_weights_caps_and_deductions_in_one_total():
    quantity = RuleSpec(uuid.uuid4(), "item", "party_group", F(50), weight=80)
    quality = RuleSpec(uuid.uuid4(), "item", "villager_group", F(50))
    kept = RuleSpec(
        uuid.uuid4(), "item", "computed", F(10), measure="services", mapping={"per": "1"}
    )
    fined = RuleSpec(uuid.uuid4(), "deduction", "branch", F(20))
    sid = uuid.uuid4()
    boxes = {
        (sid, quantity.id): [F(50), F(40), F(45), F(30), F(49)],
        (sid, quality.id): [F(48), None],
        (sid, fined.id): [F(3)],
    }
    [outcome] = results.assess(
        [quantity, quality, kept, fined],
        [sid],
        boxes,
        {(sid, kept.id): 14},
        Options(drop_extremes=True, thresholds=THRESHOLDS),
    )
    # quantity: drop 50 and 30 → mean 44.67 × 0.8 = 35.73; quality 48; services 14 → cap 10; −3
    items = {i.rule_id: i for i in outcome.items}
    assert items[quantity.id].mean == F(134, 3)
    assert items[quality.id].missing == 1 and items[quality.id].scores == 1
    assert items[kept.id].points == 10
    assert items[fined.id].contribution == -3
    assert outcome.total == D("90.7")
    assert outcome.grade == "excellent" and outcome.rank == 1


@given(st.lists(st.integers(0, 500), min_size=1, max_size=8), st.integers(1, 200))
def test_the_total_is_never_negative_nor_above_the_weighted_maximum(tenths, weight):
    item = RuleSpec(uuid.uuid4(), "item", "party_group", F(50), weight=weight)
    fined = RuleSpec(uuid.uuid4(), "deduction", "branch", F(50))
    sid = uuid.uuid4()
    values = [F(t, 10) for t in tenths]
    [outcome] = results.assess(
        [item, fined],
        [sid],
        {(sid, item.id): values, (sid, fined.id): values[:1]},
        {},
        Options(),
    )
    assert D(0) <= outcome.total <= results.rounded(F(50) * weight / 100)
