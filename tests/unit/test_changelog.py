# SPDX-License-Identifier: GPL-3.0-or-later
"""Every write path leaves the right change-log entries, in the same transaction."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.errors import ValidationFailed
from desktop.models.register.member import Member
from desktop.models.register.members import remove_member, restore_member, save_member
from desktop.models.register.service import MemberService
from desktop.models.store import clock
from desktop.models.store.changelog import (
    ROW,
    Change,
    FieldHead,
    HardDeleteRefused,
    decode,
    encode,
)
from desktop.models.store.db import Database
from tests.conftest import member_draft


def entries(db: Database, row_id=None) -> list[Change]:  # type: ignore[no-untyped-def]
    with db.read() as session:
        stmt = select(Change).order_by(Change.seq)
        if row_id is not None:
            stmt = stmt.where(Change.row_id == row_id)
        return list(session.scalars(stmt))


def test_creating_a_member_logs_the_row_and_each_field(db, branch, make_member):
    row = make_member(name="李秀英", address="红旗村3组")
    log = entries(db, row.id)
    assert log[0].field == ROW and log[0].op == "create"
    fields = {e.field: decode(e.new_value) for e in log[1:]}
    assert fields["name"] == "李秀英"
    assert fields["address"] == "红旗村3组"
    assert fields["id_number"] == row.id_number
    assert fields["birth_date"] == row.birth_date.isoformat()
    assert all(e.op == "set" and e.old_value is None for e in log[1:])
    assert {e.origin for e in log} == {db.replica_id}
    assert all(e.entity == "member" for e in log)


def test_an_edit_logs_old_and_new_value_based_on_the_previous_entry(db, branch, make_member):
    row = make_member(phone="13900000001")
    before = {e.field: e for e in entries(db, row.id)}
    with db.unit_of_work(actor="clerk") as session:
        save_member(session, branch.id, row.draft.replace(phone="13900000002"), row.id)
    after = entries(db, row.id)[len(before) :]
    assert len(after) == 1, "only the changed field is logged"
    change = after[0]
    # The log names the signed-in user, whatever the caller claims.
    assert (change.field, change.op, change.actor) == ("phone", "set", db.user.username)
    assert db.user.username == "admin"
    assert decode(change.old_value) == "13900000001"
    assert decode(change.new_value) == "13900000002"
    assert (change.base_origin, change.base_seq) == (before["phone"].origin, before["phone"].seq)
    with db.read() as session:
        head = session.get(FieldHead, ("member", row.id, "phone"))
    assert (head.origin, head.seq) == (change.origin, change.seq)


def test_saving_unchanged_values_logs_nothing(db, branch, make_member):
    row = make_member()
    count = len(entries(db))
    with db.unit_of_work() as session:
        save_member(session, branch.id, row.draft, row.id)
    assert len(entries(db)) == count


def test_remove_and_restore_are_row_entries_and_keep_a_tombstone(db, branch, make_member):
    row = make_member()
    with db.unit_of_work() as session:
        remove_member(session, row.id)
    with db.read() as session:
        assert session.get(Member, row.id).deleted is True, "a tombstone, not a DELETE"
    with db.unit_of_work() as session:
        restore_member(session, row.id)
    ops = [(e.field, e.op) for e in entries(db, row.id)][-2:]
    assert ops == [(ROW, "delete"), (ROW, "restore")]
    delete, restore = entries(db, row.id)[-2:]
    assert (restore.base_origin, restore.base_seq) == (delete.origin, delete.seq)


def test_a_failed_transaction_leaves_no_entries(db, branch, make_member):
    make_member()
    count = len(entries(db))
    with pytest.raises(RuntimeError), db.unit_of_work() as session:
        save_member(session, branch.id, member_draft())
        session.flush()  # the entries are written...
        raise RuntimeError("power cut")  # ...and rolled back with the record
    assert len(entries(db)) == count
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 1


def test_invalid_input_writes_neither_record_nor_entries(db, branch):
    count = len(entries(db))
    with pytest.raises(ValidationFailed), db.unit_of_work() as session:
        save_member(session, branch.id, member_draft(id_number="430121196001011230"))
    assert len(entries(db)) == count


def test_hard_delete_is_refused(db, branch, make_member):
    row = make_member()
    with pytest.raises(HardDeleteRefused), db.unit_of_work() as session:
        session.delete(session.get(Member, row.id))
    with db.read() as session:
        assert session.get(Member, row.id) is not None


def test_sequence_numbers_are_contiguous_and_clock_increases(db, branch, make_member):
    for _ in range(3):
        make_member()
    log = entries(db)
    assert [e.seq for e in log] == list(range(1, len(log) + 1))
    stamps = [e.hlc for e in log]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_the_replica_id_survives_reopening_and_differs_between_databases(tmp_path):
    first = Database.open(tmp_path / "a")
    replica = first.replica_id
    first.close()
    again = Database.open(tmp_path / "a")
    other = Database.open(tmp_path / "b")
    assert again.replica_id == replica
    assert other.replica_id != replica
    again.close()
    other.close()


def test_the_clock_never_goes_back_when_the_pc_date_does(db, branch, make_member, monkeypatch):
    make_member()
    last = entries(db)[-1].hlc
    year_2003 = 1_041_379_200_000
    monkeypatch.setattr(clock, "wall_ms", lambda: year_2003)
    row = make_member()
    later = entries(db, row.id)
    assert min(e.hlc for e in later) > last
    assert clock.physical_ms(later[0].hlc) >= clock.physical_ms(last)


def _canonical(value: Any) -> str:
    """What `encode` must write, worked out the slow way."""
    if isinstance(value, bytes):
        value = base64.b64encode(value).decode("ascii")
    elif isinstance(value, uuid.UUID):
        value = str(value)
    elif isinstance(value, dt.date):
        value = value.isoformat()
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "李秀英",
        'a "quoted" \\ back\\slash',
        "tab\tnew\nline\x00\x1f",
        "𠮷祥 🎉 \u2028",
        dt.date(2024, 2, 29),
        dt.datetime(2024, 2, 29, 8, 30, 5),
        uuid.UUID("0190f1b2-3c4d-7e5f-8a9b-0c1d2e3f4a5b"),
        True,
        False,
        0,
        42,
        -1.5,
        b"\x00\xff photo",
    ],
)
def test_values_are_logged_as_canonical_json(value: Any) -> None:
    assert encode(value) == _canonical(value)
    assert encode(None) is None


def test_a_bulk_add_stamps_each_entry_after_the_last_when_the_clock_stands_still(db, branch):
    [first] = MemberService(db, branch.id).add_many([member_draft()])
    last = entries(db, first)[-1].hlc
    year_2003 = 1_041_379_200_000
    db.wall_clock = lambda: year_2003  # behind every stamp so far, and not moving
    added = MemberService(db, branch.id).add_many([member_draft(), member_draft()])
    log = [e for row_id in added for e in entries(db, row_id)]
    assert [e.hlc for e in log] == list(range(last + 1, last + 1 + len(log)))
    assert [e.seq for e in log] == list(range(log[0].seq, log[0].seq + len(log)))


def test_a_bulk_add_stamps_each_record_with_the_clock_as_it_moves_on(db, branch):
    readings = itertools.count(1_900_000_000_000, 1000)
    db.wall_clock = lambda: next(readings)  # a second passes between two readings
    added = MemberService(db, branch.id).add_many([member_draft(), member_draft()])
    stamps = [[e.hlc for e in entries(db, row_id)] for row_id in added]
    for stamped in stamps:
        assert stamped == list(range(stamped[0], stamped[0] + len(stamped)))
    assert clock.physical_ms(stamps[1][0]) > clock.physical_ms(stamps[0][-1])
