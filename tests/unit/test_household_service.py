# SPDX-License-Identifier: GPL-3.0-or-later
"""Adding, editing, removing and restoring households: validation and the change log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from desktop.errors import NotFound, ValidationFailed
from desktop.i18n import _
from desktop.models.register import groups as group_rules
from desktop.models.register import validation
from desktop.models.register.branch import VillagerGroup
from desktop.models.stewards import households
from desktop.models.stewards.household import Household
from desktop.models.stewards.rows import HouseholdDraft, HouseholdQuery
from desktop.models.store.changelog import ROW, Change, decode


def _entries(db, row_id) -> list[Change]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return list(s.scalars(select(Change).where(Change.row_id == row_id).order_by(Change.seq)))


def _save(db, branch, draft, household_id=None):  # type: ignore[no-untyped-def]
    with db.unit_of_work("clerk") as s:
        return households.save_household(s, branch.id, draft, household_id)


@pytest.fixture
def groups(db, branch):  # type: ignore[no-untyped-def]
    with db.unit_of_work() as s:
        party = group_rules.list_party_groups(s, branch.id)[0].id
        vgroup = VillagerGroup(branch_id=branch.id, number=3, name="第三村民小组")
        s.add(vgroup)
        s.flush()
        return party, vgroup.id


def test_a_new_household_is_stored_normalized_and_logged_field_by_field(db, branch, groups):
    party, vgroup = groups
    household_id = _save(
        db,
        branch,
        HouseholdDraft(
            head_name=" 罗桂英 ",
            address="第三村民小组１２号",
            phone="138 1234 5678",
            party_group_id=party,
            villager_group_id=vgroup,
            elderly_alone=True,
            visit_interval_days=10,
            notes="  腿脚不便 ",
        ),
    )
    with db.read() as s:
        stored = households.get_household(s, household_id)
        rows = households.list_households(s, branch.id)
    assert stored == HouseholdDraft(
        head_name="罗桂英",
        address="第三村民小组12号",
        phone="13812345678",
        party_group_id=party,
        villager_group_id=vgroup,
        elderly_alone=True,
        visit_interval_days=10,
        notes="腿脚不便",
    )
    assert [(r.head_name, r.villager_group_name, r.visit_interval) for r in rows] == [
        ("罗桂英", "第三村民小组", 10)
    ]
    log = _entries(db, household_id)
    assert log[0].field == ROW and log[0].op == "create"
    assert {e.field: decode(e.new_value) for e in log[1:]}["head_name"] == "罗桂英"


def test_an_edit_logs_only_the_fields_that_changed(db, branch, groups):
    household_id = _save(db, branch, HouseholdDraft(head_name="陈大伯", address="5号"))
    before = len(_entries(db, household_id))
    with db.read() as s:
        draft = households.get_household(s, household_id)
    _save(db, branch, draft.replace(low_income=True, visit_interval_days=None), household_id)
    new = _entries(db, household_id)[before:]
    assert [(e.field, decode(e.old_value), decode(e.new_value)) for e in new] == [
        ("low_income", False, True)
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"head_name": "   "}, "head_name", households.MSG_HEAD_REQUIRED),
        ({"head_name": "罗" * 51}, "head_name", None),
        ({"address": "号" * 201}, "address", None),
        ({"phone": "8456123"}, "phone", validation.MSG_PHONE_NEEDS_AREA_CODE),
        ({"phone": "12345"}, "phone", validation.MSG_PHONE_INVALID),
        ({"visit_interval_days": 0}, "visit_interval_days", households.MSG_INTERVAL_RANGE),
        ({"visit_interval_days": 400}, "visit_interval_days", households.MSG_INTERVAL_RANGE),
    ],
)
def test_invalid_fields_are_refused_with_a_message_and_nothing_is_written(
    db, branch, groups, changes, field, message
):
    draft = HouseholdDraft(head_name="罗桂英").replace(**changes)
    with pytest.raises(ValidationFailed) as failed:
        _save(db, branch, draft)
    assert list(failed.value.problems) == [field]
    if message is not None:
        assert failed.value.problems[field] == _(message)
    else:
        assert "at most" in failed.value.problems[field] or "最多" in failed.value.problems[field]
    with db.read() as s:
        assert s.scalars(select(Household)).all() == []


def test_groups_of_another_branch_are_refused(db, branch, groups):
    with db.unit_of_work() as s:
        other = group_rules.create_branch(s, "别的村党支部", "青山镇", "临江县", "")
        foreign_party = group_rules.add_party_group(s, other.id)
        foreign_vgroup = VillagerGroup(branch_id=other.id, number=1, name="一组")
        s.add(foreign_vgroup)
        s.flush()
        foreign_vgroup_id = foreign_vgroup.id
    with pytest.raises(ValidationFailed) as failed:
        _save(
            db,
            branch,
            HouseholdDraft(
                head_name="罗桂英",
                party_group_id=foreign_party.id,
                villager_group_id=foreign_vgroup_id,
            ),
        )
    assert set(failed.value.problems) == {"party_group_id", "villager_group_id"}


def test_remove_and_restore_are_tombstones_in_the_log(db, branch, groups):
    household_id = _save(db, branch, HouseholdDraft(head_name="罗桂英"))
    with db.unit_of_work() as s:
        households.remove_household(s, household_id)
    with db.read() as s:
        assert households.list_households(s, branch.id) == []
    with pytest.raises(NotFound):
        _save(db, branch, HouseholdDraft(head_name="罗桂英"), household_id)
    with db.unit_of_work() as s:
        households.restore_household(s, household_id)
    with db.read() as s:
        assert [r.id for r in households.list_households(s, branch.id)] == [household_id]
    ops = [e.op for e in _entries(db, household_id) if e.field == ROW]
    assert ops == ["create", "delete", "restore"]


def test_the_list_is_read_a_page_at_a_time_in_one_order(db, branch, groups):
    """The households page reads pages, counts and positions from the database (#22): pages
    put together are the whole list, in party-group then address order (4号 before 12号)."""
    party, vgroup = groups
    numbers = [12, 4, 30, 1, 21, 7, 9, 2, 15, 3, 11, 26, 5]
    with db.unit_of_work() as s:
        for n in numbers:
            households.save_household(
                s,
                branch.id,
                HouseholdDraft(
                    f"王{n}",
                    f"第三村民小组{n}号",
                    party_group_id=party,
                    villager_group_id=vgroup,
                    elderly_alone=n % 2 == 1,
                ),
            )
        households.save_household(s, branch.id, HouseholdDraft("无组", "村口"))
    query = HouseholdQuery()
    with db.read() as s:
        whole = households.list_households(s, branch.id)
        pages = [
            households.page_households(s, branch.id, query, offset, 4)
            for offset in range(0, len(whole), 4)
        ]
        count = households.count_households(s, branch.id, query)
        positions = [households.household_position(s, branch.id, query, row.id) for row in whole]
        late = HouseholdQuery(overdue_only=True)
        overdue = households.page_households(s, branch.id, late)
        late_count = households.count_households(s, branch.id, late)
        found = households.count_households(s, branch.id, HouseholdQuery("王1"))
        outside = households.household_position(s, branch.id, HouseholdQuery("王1"), whole[-1].id)
    assert [r.id for page in pages for r in page] == [r.id for r in whole]
    assert count == len(whole) == len(numbers) + 1
    assert positions == list(range(len(whole)))
    assert [r.address for r in whole[:-1]] == [f"第三村民小组{n}号" for n in sorted(numbers)]
    assert whole[-1].head_name == "无组"  # no party group: last
    # Never visited: overdue by its whole interval (7 days when alone), the flagged ones only.
    assert late_count == len(overdue) == len([n for n in numbers if n % 2])
    assert all(r.overdue_days == 7 and r.elderly_alone for r in overdue)
    assert found == len([n for n in numbers if str(n).startswith("1")])  # 王1 王12 王15 王11
    assert outside is None
