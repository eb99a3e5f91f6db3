# SPDX-License-Identifier: GPL-3.0-or-later
"""Adding many members at once (`MemberService.add_many`): the same record and the same change
log as adding each one singly, the same rules, and it syncs."""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop.errors import RowsInvalid
from desktop.i18n import _
from desktop.models.register import validation
from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.member import Member
from desktop.models.register.members import save_member
from desktop.models.register.rows import MemberQuery
from desktop.models.register.service import MemberService
from desktop.models.store.changelog import Change, FieldHead
from desktop.models.store.db import Database
from tests.conftest import member_draft
from tests.sync.conftest import Node, pair


def _branch(db: Database) -> tuple[uuid.UUID, uuid.UUID]:
    with db.unit_of_work() as session:
        branch = create_branch(session, "测试村党支部", "青山镇", "临江县")
        group = add_party_group(session, branch.id)
    return branch.id, group.id


def _record_and_log(db: Database, member_id: uuid.UUID) -> tuple[dict[str, Any], list[Any]]:
    """The member's columns and its change-log entries (seq order), with what differs between
    two data files by construction (ids, counters, clocks) taken out."""
    with db.read() as session:
        member = session.get_one(Member, member_id)
        record = {c.key: getattr(member, c.key) for c in Member.__table__.columns}
        entries = session.execute(
            select(Change).where(Change.row_id == member_id).order_by(Change.seq)
        ).scalars()
        log = [
            (e.entity, e.field, e.op, e.old_value, e.base_origin, e.base_seq, e.actor)
            + ((e.new_value,) if e.field not in ("branch_id", "party_group_id") else ())
            + (e.schema_version, e.origin == db.replica_id)
            for e in entries
        ]
        heads = session.scalars(select(FieldHead.field).where(FieldHead.row_id == member_id))
        log.append(sorted(heads))
    for key in ("id", "branch_id", "party_group_id"):
        record.pop(key)
    return record, log


def test_a_member_added_in_bulk_equals_one_added_singly(tmp_path: Path) -> None:
    single, bulk = Database.open(tmp_path / "single"), Database.open(tmp_path / "bulk")
    draft = member_draft(address=" 青山村3组 ", notes="", education="high_school")
    try:
        branch_id, group_id = _branch(single)
        with single.unit_of_work() as session:
            one = save_member(session, branch_id, draft.replace(party_group_id=group_id)).id
        branch_id, group_id = _branch(bulk)
        [many] = MemberService(bulk, branch_id).add_many([draft.replace(party_group_id=group_id)])
        assert _record_and_log(bulk, many) == _record_and_log(single, one)
    finally:
        single.close()
        bulk.close()


def test_an_edit_after_a_bulk_add_points_at_the_bulk_entry(db, branch) -> None:  # type: ignore[no-untyped-def]
    service = MemberService(db, branch.id)
    [member_id] = service.add_many([member_draft()])
    row = service.save(service.get(member_id).draft.replace(phone="13900000001"), member_id)
    assert row.phone == "13900000001"
    with db.read() as session:
        entries = {
            e.seq: e
            for e in session.scalars(
                select(Change).where(Change.row_id == member_id, Change.field == "phone")
            )
        }
    first, edit = (entries[seq] for seq in sorted(entries))
    assert (edit.base_origin, edit.base_seq) == (first.origin, first.seq)
    assert edit.old_value == first.new_value


def test_invalid_drafts_are_all_reported_and_nothing_is_written(db, branch, make_member) -> None:  # type: ignore[no-untyped-def]
    taken = make_member()
    twin = member_draft()
    drafts = [
        member_draft(),
        member_draft(id_number=taken.id_number),
        twin,
        dataclasses.replace(twin, name="李四"),  # same ID number as an earlier draft
        member_draft(name=""),
    ]
    service = MemberService(db, branch.id)
    with pytest.raises(RowsInvalid) as raised:
        service.add_many(drafts)
    assert set(raised.value.rows) == {1, 3, 4}
    assert taken.name in raised.value.rows[1]["id_number"]
    assert twin.name in raised.value.rows[3]["id_number"]
    assert raised.value.rows[4]["name"] == _(validation.MSG_NAME_REQUIRED)
    assert raised.value.problems == raised.value.rows[1]
    assert service.count(MemberQuery()) == 1


def test_batches_before_an_invalid_one_stay_and_indexes_count_from_the_first(db, branch) -> None:  # type: ignore[no-untyped-def]
    service = MemberService(db, branch.id)
    saved: list[int] = []
    drafts = [member_draft() for _ in range(5)] + [member_draft(name="")]
    with pytest.raises(RowsInvalid) as raised:
        service.add_many(drafts, batch_size=2, progress=saved.append)
    assert set(raised.value.rows) == {5}
    assert saved == [2, 4]
    assert service.count(MemberQuery()) == 4


def test_members_added_in_bulk_sync_to_another_pc(tmp_path: Path) -> None:
    office, laptop = Node(tmp_path, "office"), Node(tmp_path, "laptop")
    try:
        branch_id, group_id = _branch(office.db)
        drafts = [member_draft(party_group_id=group_id) for _ in range(30)]
        ids = MemberService(office.db, branch_id).add_many(drafts, batch_size=7)
        pair(office, laptop)
        office.send(laptop)
        assert laptop.snapshot() == office.snapshot()
        rows = MemberService(laptop.db, branch_id).rows(MemberQuery())
        assert sorted(r.id for r in rows) == sorted(ids)
    finally:
        office.close()
        laptop.close()
