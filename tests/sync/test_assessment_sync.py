# SPDX-License-Identifier: GPL-3.0-or-later
"""The assessment syncs like everything else: two PCs keying one box differently is a conflict a
person settles, and a finalised year is final on every replica."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from desktop.models.assessment.rows import RuleDraft
from desktop.models.assessment.service import AssessmentService
from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.members import save_member
from desktop.models.stewards.service import StewardService
from tests.conftest import member_draft
from tests.sync.conftest import pair

YEAR = 2025


def _branch_with_sheets(node):
    with node.db.unit_of_work() as session:
        branch = create_branch(session, "测试村党支部", "青山镇", "临江县")
        group = add_party_group(session, branch.id)
        member = save_member(session, branch.id, member_draft(name="王一"))
    steward = StewardService(node.db, branch.id).appoint(
        member.id, "group", group.id, dt.date(2024, 1, 1)
    )
    service = AssessmentService(node.db, branch.id, node.name)
    service.open_year(YEAR)
    rule = service.save_rule(YEAR, RuleDraft("服务数量", "party_group", Decimal(50)))
    service.start_scoring(YEAR)
    return branch.id, steward.id, rule.id


def test_two_pcs_keying_one_box_differently_is_a_conflict_then_final_everywhere(nodes):
    office, laptop = nodes("office", "laptop")
    branch_id, steward_id, rule_id = _branch_with_sheets(office)
    pair(office, laptop)
    office.send(laptop)
    box = {(steward_id, rule_id): None}
    at_office = AssessmentService(office.db, branch_id, "office")
    at_laptop = AssessmentService(laptop.db, branch_id, "laptop")
    at_office.key_scores(YEAR, "2025-D1", {k: Decimal(45) for k in box})
    at_laptop.key_scores(YEAR, "2025-D1", {k: Decimal(48) for k in box})
    office.send(laptop)
    laptop.send(office)
    values = {
        n.name: s.sheet(YEAR, "2025-D1").boxes[0].value
        for n, s in ((office, at_office), (laptop, at_laptop))
    }
    assert len(set(values.values())) == 1  # one provisional winner everywhere
    [conflict] = office.sync.conflicts()
    assert (conflict.entity, conflict.field, conflict.kind) == ("score", "value", "value")
    assert {o.value for o in conflict.options} == {450, 480}
    # The clerk settles it on the office PC; the pick travels like any edit.
    pick = next(i for i, o in enumerate(conflict.options, start=1) if o.value == 480)
    office.sync.resolve(conflict.id, pick)
    at_office.finalise(YEAR, dt.date(YEAR, 12, 31))
    office.send(laptop)
    assert laptop.sync.conflicts() == []
    assert at_laptop.sheet(YEAR, "2025-D1").boxes[0].value == Decimal("48.0")
    assert at_laptop.year(YEAR).state == "final"
    [result] = at_laptop.results(YEAR).stewards
    assert (result.total, result.grade) == (Decimal("48.0"), "incompetent")
    assert office.snapshot() == laptop.snapshot()
