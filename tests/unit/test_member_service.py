# SPDX-License-Identifier: GPL-3.0-or-later
"""The register's rules and queries, on a real database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from desktop.errors import UserError, ValidationFailed
from desktop.i18n import _
from desktop.models.register import validation
from desktop.models.register.groups import list_party_groups
from desktop.models.register.members import (
    count_members,
    get_member,
    page_members,
    remove_member,
    restore_member,
    save_member,
)
from desktop.models.register.rows import MEMBER_FIELDS, MemberDraft, MemberQuery
from tests.conftest import member_draft


def test_a_replaced_draft_keeps_every_other_field_and_refuses_unknown_ones() -> None:
    draft = member_draft(address="红旗村3组", notes="老支书", education="high_school")
    assert draft.replace(phone="13900000001") == dataclasses.replace(draft, phone="13900000001")
    assert draft.replace() == draft
    with pytest.raises(TypeError):
        draft.replace(nickname="老王")
    assert tuple(field.name for field in dataclasses.fields(MemberDraft)) == MEMBER_FIELDS


def save(db, branch, draft, member_id=None):  # type: ignore[no-untyped-def]
    with db.unit_of_work() as session:
        return save_member(session, branch.id, draft, member_id)


def problems(db, branch, **overrides):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as raised:
        save(db, branch, member_draft(**overrides))
    return raised.value.problems


def test_birth_date_and_gender_are_filled_from_the_id_number(db, branch):
    id_number = validation.make_id_number("430121", dt.date(1972, 3, 9), 124)  # even: female
    row = save(db, branch, member_draft(id_number=id_number.lower(), gender="", birth_date=None))
    assert row.birth_date == dt.date(1972, 3, 9)
    assert row.gender == "female"
    assert row.id_number == id_number.upper()


def test_a_wrong_check_digit_is_reported_on_the_id_field(db, branch):
    good = validation.make_id_number("430121", dt.date(1972, 3, 9), 124)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    found = problems(db, branch, id_number=bad, gender="female")
    assert set(found) == {"id_number"}
    assert found["id_number"] == _(validation.MSG_ID_CHECK)


def test_the_same_id_number_twice_is_refused(db, branch, make_member):
    first = make_member()
    found = problems(db, branch, id_number=first.id_number)
    assert first.name in found["id_number"]


def test_a_removed_member_frees_the_id_number_and_restore_then_refuses(db, branch, make_member):
    first = make_member()
    with db.unit_of_work() as session:
        remove_member(session, first.id)
    save(db, branch, member_draft(id_number=first.id_number, name="王五"))
    with pytest.raises(UserError), db.unit_of_work() as session:
        restore_member(session, first.id)


def test_dates_are_checked_against_each_other_and_today(db, branch):
    found = problems(db, branch, joined_on=dt.date(1995, 1, 1), confirmed_on=dt.date(1994, 1, 1))
    assert "confirmed_on" in found
    found = problems(
        db,
        branch,
        joined_on=dt.date.today() + dt.timedelta(days=3),
        confirmed_on=None,
        status="probationary",
    )
    assert "joined_on" in found


def test_a_probationary_member_has_no_confirmation_date(db, branch):
    found = problems(
        db,
        branch,
        status="probationary",
        joined_on=dt.date.today() - dt.timedelta(days=100),
        confirmed_on=dt.date.today(),
    )
    assert "confirmed_on" in found


def test_phone_and_required_fields(db, branch):
    found = problems(db, branch, name="", phone="12345")
    assert set(found) >= {"name", "phone"}


def test_floating_and_lost_contact_need_their_details(db, branch):
    found = problems(
        db, branch, floating=True, floating_to="", lost_contact=True, lost_contact_on=None
    )
    assert set(found) >= {"floating_to", "lost_contact_on"}


def test_the_party_group_must_exist_in_this_branch(db, branch):
    import uuid

    found = problems(db, branch, party_group_id=uuid.uuid4())
    assert "party_group_id" in found


def test_filter_matches_name_phone_id_number_group_and_status(db, branch, make_member):
    with db.read() as session:
        group2 = list_party_groups(session, branch.id)[1]
    a = make_member(name="王建国", phone="13912345678")
    b = make_member(name="李秀英", party_group_id=group2.id)
    c = make_member(
        name="赵小红",
        status="probationary",
        joined_on=dt.date.today() - dt.timedelta(days=200),
        confirmed_on=None,
    )

    def names(text: str) -> set[str]:
        with db.read() as session:
            return {r.name for r in page_members(session, branch.id, MemberQuery(text), 0, 50)}

    assert names("王建") == {a.name}
    assert names("5678") == {a.name}
    assert names(b.id_number[-6:]) == {b.name}
    assert names("第二党小组") == {b.name}
    assert names("预备") == {c.name}
    assert names("王 5678") == {a.name}, "every word must match"
    assert names("100%") == set(), "LIKE wildcards are taken literally"


def test_filter_finds_people_by_pinyin_and_initials(db, branch, make_member):
    for name in ("陈建国", "陈红", "曾小兵", "单雄", "解放军", "王伟"):
        make_member(name=name)

    def names(text: str) -> list[str]:
        with db.read() as session:
            query = MemberQuery(text)
            rows = page_members(session, branch.id, query, 0, 50)
            assert count_members(session, branch.id, query) == len(rows)
            return [r.name for r in rows]

    assert names("cjg") == ["陈建国"]
    assert names("CJG") == ["陈建国"]
    assert names("chen") == ["陈红", "陈建国"]  # in pinyin order: chenhong, chenjianguo
    assert names("c") == ["陈红", "陈建国"]
    assert names("zeng") == ["曾小兵"] and names("ceng") == []
    assert names("shan") == ["单雄"] and names("dan") == []
    assert names("xie") == ["解放军"] and names("jie") == []
    assert names("chen 建") == ["陈建国"], "every word must match"
    assert names("zz") == []


def test_id_number_and_phone_fragments_follow_edits(db, branch, make_member):
    row = make_member(name="陈建国", phone="13912345678")

    def names(text: str) -> list[str]:
        with db.read() as session:
            query = MemberQuery(text)
            rows = page_members(session, branch.id, query, 0, 50)
            assert count_members(session, branch.id, query) == len(rows)
            return [r.name for r in rows]

    assert names("2345") == ["陈建国"] and names(row.id_number[-7:-1]) == ["陈建国"]
    with db.unit_of_work() as session:
        draft = get_member(session, row.id).draft.replace(phone="13800008888")
        save_member(session, branch.id, draft, row.id)
    assert names("2345") == [] and names("0888") == ["陈建国"]
    with db.unit_of_work() as session:
        remove_member(session, row.id)
    assert names("0888") == []


@pytest.mark.parametrize("few", [5000, 0])
def test_fragments_read_few_matches_or_walk_the_order_for_many(
    db, branch, make_member, monkeypatch, few
):
    from desktop.models.register import members

    monkeypatch.setattr(members, "FEW", few)
    for name in ("张三", "曾四", "阿五", "陈六"):
        make_member(name=name, phone=f"1370000{len(name)}{ord(name[0]) % 1000:03d}")
    make_member(name="王七", phone="13912340000")
    with db.read() as session:
        query = MemberQuery("1370")
        rows = page_members(session, branch.id, query, 0, 3)
        assert count_members(session, branch.id, query) == 4
        rest = page_members(session, branch.id, query, 3, 3)
    assert [r.name for r in rows + rest] == ["阿五", "陈六", "曾四", "张三"]


def test_names_are_listed_in_pinyin_order(db, branch, make_member):
    # By code point this would be 张 (U+5F20) 曾 (U+66FE) 阿 (U+963F) 陈 (U+9648).
    for name in ("张三", "曾四", "阿五", "陈六"):
        make_member(name=name)
    with db.read() as session:
        rows = page_members(session, branch.id, MemberQuery(), 0, 50)
        backwards = page_members(session, branch.id, MemberQuery(descending=True), 0, 50)
    assert [r.name for r in rows] == ["阿五", "陈六", "曾四", "张三"]
    assert [r.name for r in backwards] == ["张三", "曾四", "陈六", "阿五"]


def test_pages_are_sorted_stable_and_complete(db, branch, make_member):
    for _n in range(25):
        make_member()
    query = MemberQuery(sort_field="birth_date", descending=True)
    with db.read() as session:
        assert count_members(session, branch.id, query) == 25
        pages = [page_members(session, branch.id, query, offset, 10) for offset in (0, 10, 20)]
    rows = [r for page in pages for r in page]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert len({r.id for r in rows}) == 25
    births = [r.birth_date for r in rows]
    assert births == sorted(births, reverse=True)


def test_group_list_counts_members(db, branch, make_member):
    with db.read() as session:
        group1 = list_party_groups(session, branch.id)[0]
    make_member(party_group_id=group1.id)
    make_member(party_group_id=group1.id)
    with db.read() as session:
        counts = {g.name: g.member_count for g in list_party_groups(session, branch.id)}
    assert counts == {"第一党小组": 2, "第二党小组": 0}


def _plan(db, stmt) -> str:  # type: ignore[no-untyped-def]
    compiled = stmt.compile(db.engine)
    params = [compiled.params[name] for name in compiled.positiontup]
    params = [p.hex if isinstance(p, uuid.UUID) else p for p in params]
    with db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        return " | ".join(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {compiled}", params))


@pytest.mark.parametrize("text", ["", "王伟", "0315"])
def test_register_pages_walk_the_covering_index_without_sorting(db, branch, text):
    """Opening, scrolling and filtering the register read one index, never sort the table.

    This is what keeps the register instant at county scale (benchmarks/register_paging.py).
    """
    from desktop.models.register.member import Member
    from desktop.models.register.members import _filters

    query = MemberQuery(text)
    stmt = (
        select(Member.id)
        .where(*_filters(branch.id, query))
        .order_by(Member.name_pinyin, Member.id)
        .offset(100)
        .limit(200)
    )
    plan = _plan(db, stmt)
    assert "COVERING INDEX ix_member_register_order" in plan
    assert "TEMP B-TREE" not in plan


def test_moving_members_to_a_group_is_one_change_for_all_or_none(db, branch, make_member):
    import uuid as _uuid

    from desktop.errors import NotFound
    from desktop.models.register.service import BranchService, MemberService

    first, second = BranchService(db).party_groups(branch.id)
    members = MemberService(db, branch.id)
    a, b = make_member(party_group_id=first.id), make_member(party_group_id=second.id)
    assert members.move_to_group([a.id, b.id], second.id) == 1  # b was there already
    assert {members.get(m.id).draft.party_group_id for m in (a, b)} == {second.id}
    with pytest.raises(NotFound):  # one unknown member: nobody moves
        members.move_to_group([a.id, _uuid.uuid4()], first.id)
    assert members.get(a.id).draft.party_group_id == second.id
