# SPDX-License-Identifier: GPL-3.0-or-later
"""Two PCs that wrote the same value concurrently agree: no conflict to review (#14, case 7)."""

from __future__ import annotations

from sqlalchemy import select

from desktop.models.demo import loader
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from tests.sync.conftest import pair


def _edit(node, member_id, **changes):
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


def test_equal_concurrent_values_are_not_conflicts_and_a_later_edit_stays_clean(nodes):
    office, laptop = nodes("office", "laptop")
    with office.db.unit_of_work() as session:
        loader.load_demo(session)
    pair(office, laptop)
    office.send(laptop)
    with office.db.read() as session:
        target = session.scalars(select(Member.id).order_by(Member.id).limit(1)).one()
    _edit(office, target, phone="13900000123")
    _edit(laptop, target, phone="13900000123")  # the same value, typed on both PCs
    office.send(laptop)
    laptop.send(office)
    assert office.sync.conflicts() == [] and laptop.sync.conflicts() == []
    _edit(office, target, phone="13900000456")  # replaces the agreed value on both
    office.send(laptop)
    for node in (office, laptop):
        assert node.sync.conflicts() == []
        with node.db.read() as session:
            assert session.get(Member, target).phone == "13900000456"
    assert office.snapshot() == laptop.snapshot()
