# SPDX-License-Identifier: GPL-3.0-or-later
"""A year of assessment through the service: rules, scorers, sheets, keying, grades, locks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop.errors import UserError, ValidationFailed
from desktop.models.assessment.rows import AssessmentOptions, RuleDraft
from desktop.models.stewards.service import StewardService
from desktop.models.store.changelog import Change
from tests.assessment_year import YEAR, make_year

D = Decimal


@pytest.fixture
def year(db, branch, make_member):  # type: ignore[no-untyped-def]
    return make_year(db, branch, make_member)


def test_default_scorers_follow_the_areas(year):
    service, ids, (v1, v2) = year
    scorers = service.scorers(YEAR)
    assert scorers == []
    scorers = service.default_scorers(YEAR)
    pairs = {(r.scorer.kind, r.scorer.group_id, r.steward_id) for r in scorers}
    # every party group scores all three; the chief is scored by both villager groups
    assert sum(1 for k, _g, _s in pairs if k == "party_group") == 6
    assert ("villager_group", v1, ids["one"]) in pairs
    assert ("villager_group", v2, ids["one"]) not in pairs
    assert {("villager_group", v1, ids["chief"]), ("villager_group", v2, ids["chief"])} <= pairs
    assert sum(1 for k, _g, _s in pairs if k == "branch") == 3


def _key_all(service, scores):
    """scores: code → {(steward, rule name): value}"""
    rules = {r.name: r.id for r in service.rules(YEAR)}
    for code, values in scores.items():
        service.key_scores(
            YEAR, code, {(sid, rules[name]): D(v) for (sid, name), v in values.items()}
        )


def test_a_full_year_from_rules_to_final_grades(year, db):
    service, ids, _v = year
    service.set_options(YEAR, AssessmentOptions(excellent_share=34))
    sheets = service.start_scoring(YEAR)
    assert [s.code for s in sheets] == ["2025-D1", "2025-D2", "2025-C1", "2025-C2", "2025-Z1"]
    assert all(s.missing == s.boxes for s in sheets)
    c, one, two = ids["chief"], ids["one"], ids["two"]
    _key_all(
        service,
        {
            "2025-D1": {(c, "服务数量"): "48", (one, "服务数量"): "45", (two, "服务数量"): "40"},
            "2025-D2": {(c, "服务数量"): "50", (one, "服务数量"): "47", (two, "服务数量"): "42.5"},
            "2025-C1": {(c, "服务质量"): "39", (one, "服务质量"): "38"},
            "2025-C2": {(c, "服务质量"): "37", (two, "服务质量"): "30"},
        },
    )
    assert [m[0] for m in service.missing(YEAR)] == ["2025-Z1"] * 3
    with pytest.raises(UserError, match="3"):
        service.finalise(YEAR, dt.date(YEAR, 12, 28))
    _key_all(
        service, {"2025-Z1": {(c, "违纪扣分"): "0", (one, "违纪扣分"): "0", (two, "违纪扣分"): "2"}}
    )
    live = service.results(YEAR, today=dt.date(YEAR, 12, 28))
    by_id = {r.steward_id: r for r in live.stewards}
    # chief: 49 + 38 + pledged 5 = 92; one: 46 + 38 + 0 = 84; two: 41.25 + 30 - 2 = 69.3 (rounded)
    assert by_id[c].total == D("92.0") and by_id[c].grade == "excellent"
    assert by_id[one].total == D("84.0") and by_id[one].grade == "competent"
    assert by_id[two].total == D("69.3") and by_id[two].grade == "basically_competent"
    assert [by_id[x].rank for x in (c, one, two)] == [1, 2, 3]
    final = service.finalise(YEAR, dt.date(YEAR, 12, 28))
    assert final.final and service.year(YEAR).state == "final"
    assert [h.grade for h in service.history(c)] == ["excellent"]
    # The commitment moves on after finalising: the final year keeps what it stored.
    advanced = StewardService(db, service.branch_id).advance_commitment(
        ids["pledge"], dt.date(YEAR, 12, 30)
    )
    assert advanced.stage == "reviewed"
    again = {r.steward_id: r for r in service.results(YEAR).stewards}
    assert again[c].total == D("92.0")


def test_scores_above_the_maximum_are_refused(year):
    service, ids, _v = year
    service.start_scoring(YEAR)
    rule = next(r for r in service.rules(YEAR) if r.name == "服务数量")
    with pytest.raises(ValidationFailed, match="50"):
        service.key_scores(YEAR, "2025-D1", {(ids["one"], rule.id): D("50.5")})
    with pytest.raises(ValidationFailed):
        service.key_scores(YEAR, "2025-D1", {(ids["one"], rule.id): D("-1")})
    with pytest.raises(ValidationFailed):
        service.key_scores(YEAR, "2025-D1", {(ids["one"], rule.id): D("10.25")})
    grid = service.key_scores(YEAR, "2025-D1", {(ids["one"], rule.id): D("50")})
    assert grid.box(ids["one"], rule.id).value == D("50.0")
    assert grid.sheet.missing == grid.sheet.boxes - 1


def test_rules_lock_when_scoring_starts_and_a_change_needs_a_logged_reason(year, db):
    service, _ids, _v = year
    service.start_scoring(YEAR)
    rule = next(r for r in service.rules(YEAR) if r.name == "服务数量")
    changed = RuleDraft("服务数量", "party_group", D(60))
    with pytest.raises(UserError, match=r"reason|原因"):
        service.save_rule(YEAR, changed, rule.id)
    with pytest.raises(UserError):
        service.set_options(YEAR, AssessmentOptions(excellent_share=30))
    service.save_rule(YEAR, changed, rule.id, reason="镇里统一标准")
    with db.read() as s:
        logged = {
            (c.field, c.new_value)
            for c in s.scalars(select(Change).where(Change.row_id == rule.id))
        }
    assert ("change_reason", '"镇里统一标准"') in logged and ("maximum", "600") in logged
    # A scored item added during scoring gets its boxes on the sheets at once.
    service.save_rule(YEAR, RuleDraft("参会", "party_group", D(5)), reason="补充")
    grid = service.sheet(YEAR, "2025-D1")
    assert {r.name for r in grid.rules} == {"服务数量", "参会"}
    assert len(grid.boxes) == 6


def test_final_year_is_locked_and_reopening_needs_a_reason(year, db):
    service, ids, _v = year
    service.start_scoring(YEAR)
    for sheet in service.sheets(YEAR):
        grid = service.sheet(YEAR, sheet.code)
        service.key_scores(YEAR, sheet.code, {(b.steward_id, b.rule_id): D(1) for b in grid.boxes})
    service.finalise(YEAR, dt.date(YEAR, 12, 31))
    rule = service.rules(YEAR)[0]
    with pytest.raises(UserError, match=r"final|定稿|最终"):
        service.key_scores(YEAR, "2025-D1", {(ids["one"], rule.id): D(2)})
    with pytest.raises(UserError):
        service.save_rule(YEAR, rule.draft(), rule.id, reason="x")
    with pytest.raises(UserError):
        service.reopen(YEAR, "  ")
    service.reopen(YEAR, "王一的分数录错了")
    assert service.year(YEAR).state == "scoring"
    assert service.year(YEAR).reopen_reason == "王一的分数录错了"
    service.key_scores(YEAR, "2025-D1", {(ids["one"], rule.id): D(2)})
    service.finalise(YEAR, dt.date(YEAR, 12, 31))
    assert len(service.history(ids["one"])) == 1


def test_next_year_copies_the_rules_and_options(year):
    service, _ids, _v = year
    service.set_options(YEAR, AssessmentOptions(excellent_share=30, drop_extremes=True))
    service.open_year(YEAR + 1)
    assert [r.name for r in service.rules(YEAR + 1)] == [r.name for r in service.rules(YEAR)]
    row = service.year(YEAR + 1)
    assert (row.state, row.excellent_share, row.drop_extremes) == ("open", 30, True)
    with pytest.raises(UserError):
        service.open_year(YEAR + 1)


def test_key_a_sheet_from_a_table(year):
    service, ids, _v = year
    service.start_scoring(YEAR)
    grid = service.key_table(
        YEAR, "2025-d1", ["姓名", "1"], [["李书记", "48"], ["王一", ""], ["赵二", "40.5"]]
    )
    values = {b.steward_id: b.value for b in grid.boxes}
    assert values == {ids["chief"]: D("48.0"), ids["one"]: None, ids["two"]: D("40.5")}
    with pytest.raises(UserError, match="张三"):
        service.key_table(YEAR, "2025-D1", ["姓名", "1"], [["张三", "1"]])
    with pytest.raises(UserError, match="服务质量"):
        service.key_table(YEAR, "2025-D1", ["姓名", "服务质量"], [["王一", "1"]])


def test_remarks_only_on_final_results_and_not_too_long(db, branch, make_member):  # type: ignore[no-untyped-def]
    import datetime as dt

    from desktop.errors import NotFound, UserError
    from tests.assessment_year import YEAR, key_everything, make_year

    service, stewards, _groups = make_year(db, branch, make_member)
    service.start_scoring(YEAR)
    with pytest.raises(UserError):
        service.set_remarks(YEAR, stewards["one"], "尚未定稿")
    key_everything(service)
    service.finalise(YEAR, dt.date(YEAR, 12, 30))
    with pytest.raises(UserError):
        service.set_remarks(YEAR, stewards["one"], "长" * 201)
    with pytest.raises(NotFound):
        service.set_remarks(YEAR, stewards["pledge"], "不是管家")
    service.set_remarks(YEAR, stewards["one"], "  服务热情  ")
    assert {s.steward_id: s.remarks for s in service.results(YEAR).stewards}[
        stewards["one"]
    ] == "服务热情"
