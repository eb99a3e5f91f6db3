# SPDX-License-Identifier: GPL-3.0-or-later
"""A name's pinyin keys are derived on each PC: never sent, recomputed when sync applies (#18)."""

from __future__ import annotations

from sqlalchemy import select

from desktop.models.register.groups import create_branch
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, page_members, save_member
from desktop.models.register.rows import MemberQuery
from desktop.models.store.changelog import Change
from tests.conftest import member_draft
from tests.sync.conftest import pair


def test_keys_arrive_with_the_name_and_follow_its_edit(nodes):
    office, laptop = nodes("office", "laptop")
    with office.db.unit_of_work() as session:
        branch = create_branch(session, "测试村党支部", "青山镇", "临江县")
        saved = save_member(session, branch.id, member_draft(name="曾建国"))
        member_id, number = saved.id, saved.id_number
    pair(office, laptop)
    office.send(laptop)

    def keys(node):
        with node.db.read() as session:
            return tuple(
                session.execute(
                    select(Member.name_pinyin, Member.name_initials).where(Member.id == member_id)
                ).one()
            )

    assert keys(laptop) == ("zengjianguo", "zjg")
    with office.db.unit_of_work() as session:
        draft = get_member(session, member_id).draft.replace(name="解红")
        save_member(session, branch.id, draft, member_id)
    office.send(laptop)
    assert keys(laptop) == ("xiehong", "xh")
    with laptop.db.read() as session:  # found on the laptop by pinyin and by ID fragment
        for text in ("xh", "xie", number[-8:-2]):
            rows = page_members(session, branch.id, MemberQuery(text), 0, 10)
            assert [r.name for r in rows] == ["解红"], text
    for node in (office, laptop):
        with node.db.read() as session:
            assert not set(session.scalars(select(Change.field))) & {
                "name_pinyin",
                "name_initials",
                "head_pinyin",
                "head_initials",
            }
