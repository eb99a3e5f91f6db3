# SPDX-License-Identifier: GPL-3.0-or-later
"""Many conflicts settled at once (issue #14): "keep this PC's values / the other PC's values
for all of them", one unit of work whose choices travel like single resolutions."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from desktop.models.register.member import Member
from desktop.models.register.members import get_member, remove_member, save_member
from desktop.models.store.changelog import Change, ChangeBase
from desktop.sync.conflicts import LOCAL, REMOTE, bulk_pick
from desktop.sync.errors import SettleCancelled
from desktop.sync.readmodels import ConflictQuery
from tests.sync.conftest import Node, pair

PHONES = ("13900000101", "13900000102", "13900000103")


def _members(node: Node, n: int) -> list:  # type: ignore[type-arg]
    with node.db.read() as session:
        return list(session.scalars(select(Member.id).order_by(Member.id).limit(n)))


def _edit(node: Node, member_id, **changes) -> None:  # type: ignore[no-untyped-def]
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


def _values(node: Node, member_ids) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    with node.db.read() as session:
        return [
            (m.phone, m.address)
            for m in (session.get(Member, member_id) for member_id in member_ids)
        ]


def _local_entries(node: Node) -> int:
    with node.db.read() as session:
        return session.scalar(
            select(func.count()).select_from(Change).where(Change.origin == node.id)
        )


@pytest.fixture
def two(nodes):  # type: ignore[no-untyped-def]
    """Office and laptop, each having edited the phone and address of three members."""
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    office.send(laptop)
    targets = _members(office, 3)
    for i, member_id in enumerate(targets):
        _edit(office, member_id, phone=f"1390000020{i}", address=f"办公室 {i}")
        _edit(laptop, member_id, phone=f"1390000030{i}", address=f"笔记本 {i}")
    office.send(laptop)
    laptop.send(office)
    return office, laptop, targets


def test_keeping_this_pcs_values_settles_every_conflict_and_travels(two):
    office, laptop, targets = two
    assert len(laptop.sync.conflicts()) == len(office.sync.conflicts()) == 6
    before = _local_entries(laptop)

    result = laptop.sync.resolve_all(LOCAL)

    assert len(result.settled) == 6 and result.left == ()
    assert laptop.sync.conflicts() == []
    laptop_values = [(f"1390000030{i}", f"笔记本 {i}") for i in range(3)]
    assert _values(laptop, targets) == laptop_values
    # One entry per conflict, each replacing every value it was chosen over, as `resolve`
    # writes it: one transaction.
    with laptop.db.read() as session:
        mine = session.execute(
            select(Change.field, Change.tx_id, Change.base_origin, Change.seq).where(
                Change.origin == laptop.id, Change.seq > before
            )
        ).all()
        assert sorted(f for f, *_ in mine) == ["address"] * 3 + ["phone"] * 3
        assert len({tx for _f, tx, *_ in mine}) == 1
        for _f, _tx, base_origin, seq in mine:
            further = session.scalars(
                select(ChangeBase.base_origin).where(
                    ChangeBase.origin == laptop.id, ChangeBase.seq == seq
                )
            ).all()
            assert {base_origin, *further} == {office.id, laptop.id}
    assert _local_entries(laptop) == before + 6

    laptop.send(office)
    office.send(laptop)
    for node in (office, laptop):
        assert node.sync.conflicts() == []
        assert _values(node, targets) == laptop_values
    assert office.snapshot() == laptop.snapshot()


def test_keeping_the_other_pcs_values_narrowed_to_one_field(two):
    office, laptop, targets = two
    result = laptop.sync.resolve_all(REMOTE, field="phone", entity="member")
    assert [c.field for c in result.settled] == ["phone"] * 3 and result.left == ()
    assert {c.field for c in laptop.sync.conflicts()} == {"address"}
    assert [phone for phone, _address in _values(laptop, targets)] == [
        f"1390000020{i}" for i in range(3)
    ]
    laptop.send(office)
    assert {c.field for c in office.sync.conflicts()} == {"address"}
    assert [phone for phone, _address in _values(office, targets)] == [
        f"1390000020{i}" for i in range(3)
    ]
    # Narrowed to what a page lists: only those ids.
    first = laptop.sync.conflicts()[0]
    assert [c.id for c in laptop.sync.resolve_all(LOCAL, ids=[first.id]).settled] == [first.id]
    assert len(laptop.sync.conflicts()) == 2
    # Criteria that admit nothing settle nothing.
    assert laptop.sync.resolve_all(LOCAL, entity="steward").settled == ()
    assert len(laptop.sync.conflicts()) == 2


def test_a_conflict_of_three_values_is_left_for_a_person_and_counted(nodes):
    office, laptop, hub = nodes("office", "laptop", "hub", demo="office")
    pair(office, laptop, hub)
    office.send(laptop)
    office.send(hub)
    [target, other] = _members(office, 2)
    for node, phone in zip((office, laptop, hub), PHONES, strict=True):
        _edit(node, target, phone=phone)
    _edit(laptop, other, phone="13900000999")  # a two-value conflict beside it
    _edit(office, other, phone="13900000888")
    for a in (office, laptop, hub):
        for b in (office, laptop, hub):
            if a is not b:
                a.send(b)
    assert len(office.sync.conflicts()) == 2

    result = office.sync.resolve_all(REMOTE)
    assert [c.row_id for c in result.settled] == [other]
    assert [c.row_id for c in result.left] == [target]
    assert len(result.left[0].options) == 3
    [still] = office.sync.conflicts()
    assert still.row_id == target
    # This PC's own value among the three is one value: "keep this PC's" would settle it.
    [mine] = [o for o in still.options if o.here]
    assert bulk_pick(still, LOCAL) == mine.number and mine.text == PHONES[0]
    assert bulk_pick(still, REMOTE) is None

    # Naming the PC whose value to keep settles it.
    named = office.sync.resolve_all(REMOTE, peer=hub.id)
    assert [c.row_id for c in named.settled] == [target] and named.left == ()
    for node in (laptop, hub):
        office.send(node)
    for node in (office, laptop, hub):
        assert node.sync.conflicts() == []
        assert _values(node, [target, other])[0][0] == PHONES[2]
        assert _values(node, [target, other])[1][0] == "13900000999"


def test_removal_conflicts_keep_the_side_asked_for(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    office.send(laptop)
    [removed_here, removed_there] = _members(office, 2)
    with office.db.unit_of_work() as session:
        remove_member(session, removed_here)
    with laptop.db.unit_of_work() as session:
        remove_member(session, removed_there)
    _edit(laptop, removed_here, phone="13900000033")
    _edit(office, removed_there, phone="13900000044", address="新地址")
    office.send(laptop)
    laptop.send(office)
    assert {c.kind for c in office.sync.conflicts()} == {"delete"}
    # This PC's values: its removal of the one, its edits of the other (kept).
    assert len(office.sync.resolve_all(LOCAL).settled) == 2
    office.send(laptop)
    for node in (office, laptop):
        with node.db.read() as session:
            assert session.get(Member, removed_here).deleted
            kept = session.get(Member, removed_there)
            assert not kept.deleted and kept.phone == "13900000044"
        assert node.sync.conflicts() == []
    assert office.snapshot() == laptop.snapshot()


def test_conflicts_are_read_a_page_at_a_time_and_counted_in_sql(two):
    _office, laptop, _targets = two
    everything = laptop.sync.conflicts()
    assert laptop.sync.conflict_count(ConflictQuery()) == 6
    assert laptop.sync.conflict_count(ConflictQuery("member", "phone")) == 3
    first, rest = (laptop.sync.conflict_page(ConflictQuery(), o, 4) for o in (0, 4))
    assert [c.id for c in first + rest] == [c.id for c in everything]
    assert [c.options for c in first + rest] == [c.options for c in everything]
    phones = laptop.sync.conflict_page(ConflictQuery("member", "phone"), 1, 10)
    assert [c.field for c in phones] == ["phone", "phone"]
    kinds = {(k.entity, k.field, k.kind): k.count for k in laptop.sync.conflict_kinds()}
    assert kinds == {("member", "address", "value"): 3, ("member", "phone", "value"): 3}


def test_a_cancelled_bulk_settle_writes_nothing(two):
    _office, laptop, targets = two
    before, values = _local_entries(laptop), _values(laptop, targets)
    seen: list[tuple[int, int]] = []
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if done >= total // 2:  # the choices are logged: cancel while the records are applied
            cancel.set()

    with pytest.raises(SettleCancelled):
        laptop.sync.resolve_all(LOCAL, progress=progress, cancel=cancel)
    assert seen[-1][0] >= seen[-1][1] // 2, "cancelled after the choices were logged"
    assert len(laptop.sync.conflicts()) == 6
    assert _local_entries(laptop) == before and _values(laptop, targets) == values


def test_a_branch_or_a_pc_named_reads_only_its_conflicts(nodes):
    """`sync resolve --all --branch` on a hub (10,000 branches) or `--peer`: the conflicts of
    that branch, or with a value from that PC, are the only ones read and described (they were
    all read, then sorted out one by one)."""
    from desktop.models.register.groups import create_branch
    from tests.conftest import member_draft
    from tests.sql_reads import reads

    office, laptop, hub = nodes("office", "laptop", "hub", demo="office")
    with office.db.unit_of_work(office.name) as session:
        other = create_branch(session, "青山村党支部", "青山镇", "临江县")
        theirs = [save_member(session, other.id, member_draft()).id for _ in range(3)]
    pair(office, laptop, hub)
    office.send(laptop)
    office.send(hub)
    ours = _members(office, 8)
    ours = [m for m in ours if m not in theirs][:3]
    for member_id in ours:  # the demo branch's, with the laptop
        _edit(office, member_id, phone="13900000401")
        _edit(laptop, member_id, phone="13900000402")
    for member_id in theirs:  # the other branch's, with the hub
        _edit(office, member_id, phone="13900000501")
        _edit(hub, member_id, phone="13900000502")
    laptop.send(office)
    hub.send(office)
    assert len(office.sync.conflicts()) == 6

    def conflicts_read(seen) -> int:  # type: ignore[no-untyped-def]
        return sum(r.rows for r in seen if r.sql.startswith("SELECT sync_conflict.id"))

    with reads() as seen:
        by_branch = office.sync.resolve_all(REMOTE, branch=other.id)
    assert sorted(c.row_id for c in by_branch.settled) == sorted(theirs)
    assert conflicts_read(seen) == 3, [r for r in seen if "sync_conflict" in r.sql]
    with reads() as seen:
        by_peer = office.sync.resolve_all(LOCAL, peer=laptop.id)
    assert sorted(c.row_id for c in by_peer.settled) == sorted(ours)
    assert conflicts_read(seen) == 3
    assert office.sync.conflicts() == []
    assert _values(office, theirs)[0][0] == "13900000502"
    assert _values(office, ours)[0][0] == "13900000401"
