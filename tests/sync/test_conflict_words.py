# SPDX-License-Identifier: GPL-3.0-or-later
"""A conflict speaks as the pages do (issue 18): the record by its group and name, the field by
its label, each value as shown on the pages and said to come from this PC or the other one;
never ids, codes or `_row`."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from desktop import i18n
from desktop.i18n import _
from desktop.models.register.branch import PartyGroup
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from desktop.views.sync.conflicts_model import conflict_sentence, option_text
from tests.sync.conftest import Node, pair

UUID = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|\b[0-9a-f]{8}\b")


@pytest.fixture
def replicas(tmp_path, demo_copy):  # type: ignore[no-untyped-def]
    demo_copy(tmp_path / "office", "wang")
    office, laptop = Node(tmp_path, "office", user="wang"), Node(tmp_path, "laptop", user="li")
    pair(office, laptop)
    office.send(laptop)
    yield office, laptop
    office.close()
    laptop.close()


def _edit(node: Node, member_id, **changes) -> None:  # type: ignore[no-untyped-def]
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


def test_a_conflict_reads_like_the_pages(replicas):
    office, laptop = replicas
    with office.db.read() as session:
        member = session.scalars(
            select(Member).where(Member.party_group_id.is_not(None)).order_by(Member.id).limit(1)
        ).one()
        name, member_id = member.name, member.id
        group = session.get(PartyGroup, member.party_group_id).name
        other_group = session.scalars(
            select(PartyGroup.name, PartyGroup.id).where(PartyGroup.id != member.party_group_id)
        ).first()
        other_group_id = session.scalars(
            select(PartyGroup.id).where(PartyGroup.name == other_group)
        ).first()
        standing = member.standing
    _edit(office, member_id, phone="13900005555", standing="suspended")
    _edit(laptop, member_id, phone="13900006666", party_group_id=other_group_id)
    _edit(office, member_id, party_group_id=None)
    office.send(laptop)
    assert standing == "normal"

    by_field = {c.field: c for c in laptop.sync.conflicts()}
    assert {"phone", "party_group_id"} <= set(by_field)
    phone = by_field["phone"]
    assert phone.record.endswith(name) and phone.field_label == "联系电话"
    assert {(o.text, o.here) for o in phone.options} == {
        ("13900006666", True),
        ("13900005555", False),
    }
    sentence = conflict_sentence(phone)
    assert sentence.startswith(f"{phone.record} 的联系电话：")
    assert "本机 13900006666" in sentence and "另一台电脑" in sentence and "13900005555" in sentence
    here = next(o for o in phone.options if o.here)
    assert option_text(here).startswith("本机的值：13900006666")

    groups = by_field["party_group_id"]
    assert groups.field_label == "党小组"
    assert {o.text for o in groups.options} == {other_group, ""}
    assert any("（空）" in option_text(o) for o in groups.options)
    for conflict in by_field.values():
        words = [conflict_sentence(conflict), *(option_text(o) for o in conflict.options)]
        for text in words:
            assert not UUID.search(text), text
            assert "_row" not in text and "party_group_id" not in text
    assert group in phone.record or other_group in phone.record or phone.record == name


@pytest.mark.parametrize(
    ("language", "here", "other"),
    [("zh_TW", "本機的值", "另一臺電腦"), ("en", "The value on this PC", "the other PC")],
)
def test_the_choices_follow_the_language(replicas, language, here, other):
    office, laptop = replicas
    with office.db.read() as session:
        member_id = session.scalars(select(Member.id).order_by(Member.id).limit(1)).one()
    _edit(office, member_id, ethnicity="03")
    _edit(laptop, member_id, ethnicity="06")
    office.send(laptop)
    i18n.set_language(language)
    [conflict] = [c for c in laptop.sync.conflicts() if c.field == "ethnicity"]
    texts = [option_text(o) for o in conflict.options]
    assert any(t.startswith(here) for t in texts), texts
    assert other in conflict_sentence(conflict)
    assert {o.text for o in conflict.options} == {_("Miao"), _("Hui")}
