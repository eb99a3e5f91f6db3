# SPDX-License-Identifier: GPL-3.0-or-later
"""A small assessment year for the tests: three stewards, four rules, five sheets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from desktop.models.assessment.rows import RuleDraft
from desktop.models.assessment.service import AssessmentService
from desktop.models.register.branch import VillagerGroup
from desktop.models.stewards.household import Household
from desktop.models.stewards.service import StewardService

YEAR = 2025
D = Decimal


def make_year(db, branch, make_member):  # type: ignore[no-untyped-def]
    """A branch with two party groups, two villager groups, a chief and two group stewards; the
    year's rules: quantity by the party groups (max 50), quality by the villager groups
    (max 40), a computed commitment item (max 10) and a deduction by the branch."""
    stewards = StewardService(db, branch.id)
    groups = stewards.party_groups()
    with db.unit_of_work() as s:
        v1 = VillagerGroup(branch_id=branch.id, number=1, name="第一村民小组")
        v2 = VillagerGroup(branch_id=branch.id, number=2, name="第二村民小组")
        s.add_all([v1, v2])
        s.flush()
        # group 1 serves villager group 1, group 2 serves villager group 2
        s.add(
            Household(
                branch_id=branch.id,
                party_group_id=groups[0][0],
                villager_group_id=v1.id,
                head_name="甲",
            )
        )
        s.add(
            Household(
                branch_id=branch.id,
                party_group_id=groups[1][0],
                villager_group_id=v2.id,
                head_name="乙",
            )
        )
    chief = stewards.appoint(make_member(name="李书记").id, "chief", None, dt.date(2024, 1, 1))
    one = stewards.appoint(make_member(name="王一").id, "group", groups[0][0], dt.date(2024, 1, 1))
    two = stewards.appoint(make_member(name="赵二").id, "group", groups[1][0], dt.date(2024, 1, 1))
    pledge = stewards.save_commitment(chief.id, YEAR, "每月走访全村")
    service = AssessmentService(db, branch.id, "tester")
    service.open_year(YEAR)
    service.save_rule(YEAR, RuleDraft("服务数量", "party_group", D(50)))
    service.save_rule(YEAR, RuleDraft("服务质量", "villager_group", D(40)))
    service.save_rule(
        YEAR,
        RuleDraft(
            "践诺",
            "computed",
            D(10),
            measure="commitment",
            mapping={"pledged": "5", "published": "8", "evaluated": "10"},
        ),
    )
    service.save_rule(YEAR, RuleDraft("违纪扣分", "branch", D(20), kind="deduction"))
    return (
        service,
        {"chief": chief.id, "one": one.id, "two": two.id, "pledge": pledge.id},
        (v1.id, v2.id),
    )


def key_everything(service: AssessmentService, year: int = YEAR, value: str = "30") -> None:
    """Fill every box of every sheet with `value` (capped at each item's maximum)."""
    for sheet in service.sheets(year):
        grid = service.sheet(year, sheet.code)
        maxima = {r.id: r.maximum for r in grid.rules}
        service.key_scores(
            year,
            sheet.code,
            {(b.steward_id, b.rule_id): min(D(value), maxima[b.rule_id]) for b in grid.boxes},
        )
