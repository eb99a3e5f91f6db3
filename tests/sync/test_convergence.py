# SPDX-License-Identifier: GPL-3.0-or-later
"""Convergence as a property: three real replicas, random edits, removals and bundle trips in
random order (bundles lost, replayed, delivered late; exchanges with the hub through its HTTP
handler, answers lost), clocks skewed by years. After everyone
has exchanged with everyone, every replica holds the same data, and no value anyone wrote has
vanished: each is either superseded by an edit made by someone who had it in front of them, or
still listed as a conflict.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop.errors import UserError
from desktop.hub.app import exchange_once
from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, remove_member, restore_member, save_member
from desktop.models.register.rows import MemberDraft
from desktop.models.register.validation import make_id_number
from desktop.models.store.changelog import Change
from desktop.sync import errors, exchange, merge
from tests.sync.conftest import Node, pair

YEAR_MS = 365 * 24 * 3600 * 1000
NOW_MS = 1_790_000_000_000  # late 2026
FIELDS = {
    "address": ["一组", "二组", "三组", "村口"],
    "notes": ["甲", "乙", "丙", ""],
    "education": ["primary", "university", "college", None],
}

_people = itertools.count()


def member_draft() -> MemberDraft:
    n = next(_people)
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=(n * 37) % 4000)
    return MemberDraft(
        name="李" + "军红平安"[n % 4],
        id_number=make_id_number("430121", birth, n % 997),
        status="full",
        joined_on=dt.date(2000, 7, 1),
        confirmed_on=dt.date(2001, 7, 1),
    )


replica = st.integers(0, 2)
operation = st.one_of(
    st.tuples(
        st.just("edit"),
        replica,
        st.integers(0, 9),
        st.sampled_from(sorted(FIELDS)),
        st.integers(0, 3),
    ),
    st.tuples(st.just("remove"), replica, st.integers(0, 9)),
    st.tuples(st.just("restore"), replica, st.integers(0, 9)),
    st.tuples(st.just("add"), replica),
    st.tuples(st.just("export"), replica, replica),
    st.tuples(st.just("import"), st.integers(0, 50)),
    st.tuples(st.just("http"), st.integers(0, 1), st.booleans()),
    st.tuples(st.just("resolve"), replica, st.integers(1, 3)),
    st.tuples(st.just("clock"), replica, st.integers(-3 * YEAR_MS, 3 * YEAR_MS)),
)


def _members(node: Node) -> list:
    with node.db.read() as session:
        return list(session.scalars(select(Member.id).order_by(Member.id)))


def _run(ops: list, root: Path, hub_server: str | None = None, limit: int | None = None) -> None:
    """`hub_server`: the hub's data on PostgreSQL (tests.pg). `limit`: every bundle made during
    the schedule, and every exchange at the end, carries at most about that many entries
    (`exchange.bounded`), so partial bundles are the norm."""
    global _people
    _people = itertools.count()  # the same schedule makes the same people (hypothesis replays)
    nodes = [Node(root, "office"), Node(root, "laptop"), Node(root, "hub", server=hub_server)]
    try:
        for node in nodes:
            node.db.wall_clock = lambda: NOW_MS
        with nodes[0].db.unit_of_work() as session:
            branch = create_branch(session, "测试村党支部", "青山镇", "临江县")
            add_party_group(session, branch.id)
            for _ in range(3):
                save_member(session, branch.id, member_draft())
        pair(*nodes)
        for other in nodes[1:]:
            nodes[0].send(other)
        stick: list[tuple[Node, Path]] = []
        for op in ops:
            _step(op, nodes, stick, branch.id, limit)
        # Quiescence: everyone exchanges with everyone, twice round.
        for _round in range(2):
            for a in nodes:
                for b in nodes:
                    if a is not b and limit is None:
                        a.send(b)
                    elif a is not b:
                        _converse(a, b, limit)
        _check(nodes)
    finally:
        for node in nodes:
            node.close()


def _converse(a: Node, b: Node, limit: int) -> None:
    """Bounded bundles back and forth (each acknowledging the last) until neither has more."""
    for _round in range(1000):
        there = exchange.export_batch(a.db, b.id, limit)
        b.sync.import_bundle_bytes(there.data)
        back = exchange.export_batch(b.db, a.id, limit)
        a.sync.import_bundle_bytes(back.data)
        if there.waiting == back.waiting == 0:
            return
    raise AssertionError("the exchange never ended")


def _step(op: tuple, nodes: list[Node], stick: list, branch_id, limit: int | None) -> None:
    kind, *args = op
    if kind == "edit":
        node, index, field, value = nodes[args[0]], args[1], args[2], args[3]
        ids = _members(node)
        if not ids:
            return
        member_id = ids[index % len(ids)]
        try:
            with node.db.unit_of_work(node.name) as session:
                row = get_member(session, member_id)
                draft = row.draft.replace(**{field: FIELDS[field][value]})
                save_member(session, branch_id, draft, member_id)
        except UserError:
            pass  # removed here meanwhile: the GUI would refuse the same
    elif kind in ("remove", "restore"):
        node, index = nodes[args[0]], args[1]
        ids = _members(node)
        if not ids:
            return
        member_id = ids[index % len(ids)]
        try:
            with node.db.unit_of_work(node.name) as session:
                deleted = session.get(Member, member_id).deleted
                if kind == "remove" and not deleted:
                    remove_member(session, member_id)
                elif kind == "restore" and deleted:
                    restore_member(session, member_id)
        except UserError:
            pass
    elif kind == "add":
        node = nodes[args[0]]
        with node.db.unit_of_work(node.name) as session:
            save_member(session, branch_id, member_draft())
    elif kind == "export":
        a, b = nodes[args[0]], nodes[args[1]]
        if a is not b and limit is None:
            stick.append((b, a.bundle_for(b)))
        elif a is not b:
            path = a.root / "stick" / f"{a.name}-to-{b.name}-{len(stick)}-bounded.rsb"
            exchange.export_bundle(a.db, b.id, path, limit)
            stick.append((b, path))
    elif kind == "import":
        if stick:
            target, path = stick[args[0] % len(stick)]
            # delivered late or twice: refused, and nothing is lost by it
            with contextlib.suppress(errors.BundleReplayed):
                target.sync.import_file(path)
    elif kind == "http":
        # The hub (node 2) answering a village over its HTTP endpoint's own code path; the
        # answer may be lost on the way back (then the village simply asks again later).
        village, hub = nodes[args[0]], nodes[2]
        if limit is None:
            data, _count = exchange.export_bytes(village.db, hub.id)
        else:
            data = exchange.export_batch(village.db, hub.id, limit).data
        status, answer, _summary = exchange_once(hub.db, data, limit)
        assert status == 200
        if args[1]:
            village.sync.import_bundle_bytes(answer)
    elif kind == "resolve":
        node, pick = nodes[args[0]], args[1]
        conflicts = node.sync.conflicts()
        if conflicts:
            conflict = conflicts[0]
            node.sync.resolve(conflict.id, (pick - 1) % len(conflict.options) + 1)
    elif kind == "clock":
        node, offset = nodes[args[0]], args[1]
        node.db.wall_clock = lambda: NOW_MS + offset


def _check(nodes: list[Node]) -> None:
    first = nodes[0].snapshot()
    for node in nodes[1:]:
        assert node.snapshot() == first
    with nodes[0].db.read() as session:
        everything = set(session.execute(select(Change.origin, Change.seq)))
        records = set(session.execute(select(Change.entity, Change.row_id)))
    for node in nodes:
        with node.db.read() as session:
            # nothing written anywhere is missing anywhere
            assert set(session.execute(select(Change.origin, Change.seq))) == everything
            conn = session.connection()
            listed = {(c.entity, c.row_id, c.field): c for c in node.sync.conflicts()}
            for entity, row_id in records:
                state = merge.compute(merge.load_entries(conn, entity, row_id))
                for field, leaves in state.leaves.items():
                    if field == "_row":
                        continue
                    # every entry is a leaf or an ancestor of one (superseded by someone who saw it)
                    # (leaves that wrote the same value agree: no conflict, issue #14)
                    if len({(leaf.op, leaf.new_value) for leaf in leaves}) > 1:
                        conflict = listed[(entity, row_id, field)]
                        assert [o.value for o in conflict.options] == [
                            merge.decode(leaf.new_value) for leaf in leaves
                        ]
                if state.unseen:
                    assert listed[(entity, row_id, "_row")].kind == "delete"
                # the table shows the provisional winners
                table = merge.synced_table(entity)
                row = conn.execute(select(table).where(table.c.id == row_id)).mappings().one()
                assert row["deleted"] == state.deleted
                for field, leaves in state.leaves.items():
                    if field in row:
                        expected = merge._python_value(
                            table.c[field], merge.decode(leaves[0].new_value)
                        )
                        assert row[field] == expected


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_replicas_converge_and_lose_nothing(ops):
    root = Path(tempfile.mkdtemp(prefix="converge-"))
    try:
        _run(ops, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_replicas_converge_through_a_hub_on_postgresql(ops):
    """The same property with the hub's data on PostgreSQL (a new database per example)."""
    from tests.pg import fresh_database

    root = Path(tempfile.mkdtemp(prefix="converge-pg-"))
    try:
        with fresh_database() as url:
            _run(ops, root, url)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_a_typical_history_converges(tmp_path, hub_server):
    """One fixed schedule, so the property's machinery is checked even with few examples."""
    ops = [
        ("clock", 1, -2 * YEAR_MS),
        ("edit", 0, 0, "address", 1),
        ("edit", 1, 0, "address", 2),
        ("remove", 2, 0),
        ("export", 0, 1),
        ("export", 1, 0),
        ("export", 2, 0),
        ("import", 1),
        ("import", 0),
        ("import", 2),
        ("add", 1),
        ("resolve", 0, 2),
        ("export", 0, 2),
        ("import", 3),
        ("import", 3),
    ]
    _run(ops, tmp_path, hub_server)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_replicas_converge_with_bundles_of_three_entries(ops):
    """The same property when every bundle and every hub answer carries at most about 3 entries:
    a receiver must never believe it holds what it did not get, and entries whose bases or
    parents come in a later bundle must still merge to the same result."""
    root = Path(tempfile.mkdtemp(prefix="converge-bounded-"))
    try:
        _run(ops, root, limit=3)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25))
def test_replicas_converge_when_records_are_applied_two_at_a_time(ops):
    """The same property when an import applies its records in chunks of two (a large import's
    chunks of `merge.CHUNK`): what one record's entries give never depends on its neighbours."""
    root = Path(tempfile.mkdtemp(prefix="converge-chunked-"))
    chunk, merge.CHUNK = merge.CHUNK, 2
    try:
        _run(ops, root)
    finally:
        merge.CHUNK = chunk
        shutil.rmtree(root, ignore_errors=True)
