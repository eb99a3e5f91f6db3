# SPDX-License-Identifier: GPL-3.0-or-later
"""A county-size first copy over HTTP goes in bounded rounds: real progress, a cancel or a
dropped connection costs at most the round in flight, and the next exchange resumes.

The hub is the real FastAPI app served by uvicorn on loopback in a thread of this process, so the
tests can count its rounds and cut a connection after the hub applied a request.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import socket
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import event, func, select

from desktop import paths
from desktop.cli.main import main
from desktop.hub.app import exchange_once, make_app
from desktop.models.demo import loader
from desktop.models.register.member import Member
from desktop.models.register.members import save_member
from desktop.models.register.rows import MemberDraft
from desktop.models.register.validation import make_id_number
from desktop.models.store.changelog import Change
from desktop.models.store.db import Database
from desktop.models.store.sync_state import SyncImport
from desktop.sync import errors, exchange
from desktop.sync.http import exchange_with_hub
from tests.conftest import member_draft
from tests.sync.conftest import Node

LIMIT = 200
ENTRIES = 3000

_people = itertools.count()


def _draft() -> MemberDraft:
    n = next(_people)
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=(n * 41) % 9000)
    return MemberDraft(
        name="张" + "文武德才"[n % 4] + str(n),
        id_number=make_id_number("430121", birth, n % 997),
        status="full",
        joined_on=dt.date(1999, 7, 1),
        confirmed_on=dt.date(2000, 7, 1),
        address=f"{n % 9 + 1}组",
        phone=f"139{n:08d}",
    )


def _entries(node: Node) -> set[tuple[Any, int]]:
    with node.db.read() as session:
        return set(session.execute(select(Change.origin, Change.seq)))


def _fill(node: Node) -> uuid.UUID:
    """Members added to the node's demo branch until it holds at least ENTRIES change-log
    entries; returns the branch's id."""
    branch_id = loader.demo_id("branch")
    while len(_entries(node)) < ENTRIES:
        with node.db.unit_of_work(node.name) as session:
            for _ in range(20):
                save_member(session, branch_id, _draft())
    return branch_id


class HubServer:
    """The hub app on loopback, counting POST /exchange rounds; `drop_after_apply` makes the
    chosen request be applied by the hub, then its answer cut off half-way."""

    def __init__(self, node: Node) -> None:
        self.node, self.rounds = node, 0
        self.drop_after_apply: set[int] = set()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        app = make_app(node.db)

        async def counted(scope: Any, receive: Any, send: Any) -> None:
            if scope["type"] != "http" or scope["path"] != "/exchange":
                await app(scope, receive, send)
                return
            self.rounds += 1
            if self.rounds not in self.drop_after_apply:
                await app(scope, receive, send)
                return
            held: list[dict[str, Any]] = []

            async def hold(message: dict[str, Any]) -> None:
                held.append(message)

            await app(scope, receive, hold)  # the hub imports the request and seals its answer
            start, body = held[0], b"".join(m.get("body", b"") for m in held[1:])
            headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
            await send(
                {**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]}
            )
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            raise ConnectionResetError("the line dropped")  # uvicorn closes the connection

        config = uvicorn.Config(counted, host="127.0.0.1", port=self.port, log_level="critical")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> HubServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive()
            time.sleep(0.05)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def county(tmp_path: Path, demo_copy: Any) -> Iterator[tuple[Node, Node, Node]]:
    """An office PC holding a branch of >= ENTRIES entries, an empty laptop, an empty hub."""
    demo_copy(tmp_path / "office")
    office, laptop, hub = (Node(tmp_path, n) for n in ("office", "laptop", "hub"))
    branch_id = _fill(office)
    office.trust(hub)
    laptop.trust(hub, branches=[branch_id])  # both new: the laptop names its branch
    hub.trust(office)
    hub.trust(laptop, branches=[branch_id])
    yield office, laptop, hub
    for node in (office, laptop, hub):
        node.close()


class Progress:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.calls: list[tuple[int, int]] = []
        self.cancel = threading.Event()
        self.cancel_after = cancel_after

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))
        if self.cancel_after is not None and done >= self.cancel_after:
            self.cancel.set()

    def check(self) -> None:
        dones = [done for done, _total in self.calls]
        assert dones == sorted(dones), "progress never goes back"
        assert all(done <= total for done, total in self.calls[1:])
        assert self.calls[-1][0] == self.calls[-1][1] > 0


def _prefix_per_origin(node: Node, source: Node) -> None:
    """What `node` holds of `source`'s entries is, per origin, everything up to some seq."""
    held, everything = _entries(node), _entries(source)
    assert held <= everything
    for origin in {o for o, _s in everything}:
        top = max((s for o, s in held if o == origin), default=0)
        assert {(o, s) for o, s in everything if o == origin and s <= top} <= held


def test_a_first_copy_goes_both_ways_in_rounds_with_progress(county):
    office, laptop, hub = county
    total = len(_entries(office))
    with HubServer(hub) as server:
        pushing = Progress()
        pushed = exchange_with_hub(office.db, server.url, progress=pushing.__call__, limit=LIMIT)
        assert pushed.sent == total
        assert server.rounds == pushed.rounds > total // (2 * LIMIT)
        pushing.check()
        assert pushing.calls[-1] == (total, total)

        pulling = Progress()
        before = server.rounds
        pulled = exchange_with_hub(laptop.db, server.url, progress=pulling.__call__, limit=LIMIT)
        assert pulled.received.entries_new == total and pulled.received.entries_known == 0
        assert server.rounds - before == pulled.rounds > total // (2 * LIMIT)
        pulling.check()
        # the hub told the laptop from the first round how much was coming
        assert pulling.calls[1][1] == total
        assert len(pulling.calls) == pulled.rounds + 1
        backups = list(paths.backup_dir(laptop.folder).glob("auto-*-sync.rsbackup"))
        assert len(backups) == 1, "one backup before the exchange changed anything, not per round"

        again = exchange_with_hub(laptop.db, server.url, limit=LIMIT)
        assert (again.sent, again.received.entries_new, again.rounds) == (0, 0, 1)
    assert laptop.snapshot() == office.snapshot() == hub.snapshot()


def test_a_cancel_between_rounds_keeps_both_sides_whole_and_the_next_sync_finishes(county):
    office, laptop, hub = county
    total = len(_entries(office))
    with HubServer(hub) as server:
        exchange_with_hub(office.db, server.url, limit=LIMIT)
        progress = Progress(cancel_after=1)
        with pytest.raises(errors.SyncCancelled) as cancelled:
            exchange_with_hub(
                laptop.db,
                server.url,
                progress=progress.__call__,
                cancel=progress.cancel,
                limit=LIMIT,
            )
        assert "cancelled" in cancelled.value.message or "取消" in cancelled.value.message
        first = len(_entries(laptop))
        assert 0 < first < total and server.rounds > 1
        _prefix_per_origin(laptop, office)
        # every member the laptop shows already is whole (same row as on the office PC)
        key = [c.name for c in Member.__table__.c].index("id")
        office_rows = {row[key]: row for row in office.snapshot()["member"]}
        shown = laptop.snapshot()["member"]
        assert shown and all(office_rows[row[key]] == row for row in shown)

        rest = exchange_with_hub(laptop.db, server.url, limit=LIMIT)
        assert rest.received.entries_known == 0, "nothing it had acknowledged came again"
        assert rest.received.entries_new == total - first
    assert laptop.snapshot() == office.snapshot()


def test_an_answer_lost_after_the_hub_applied_the_round_is_resumed(county, capsys, monkeypatch):
    office, laptop, hub = county
    total = len(_entries(office))
    with HubServer(hub) as server:
        server.drop_after_apply = {2}  # the second round: applied by the hub, answer cut off
        pushed = exchange_with_hub(office.db, server.url, limit=LIMIT)
        assert pushed.sent == total
        with hub.db.read() as session:
            applied = session.scalar(select(func.sum(SyncImport.entries_new)))
            imports = session.scalar(select(func.count()).select_from(SyncImport))
        assert applied == total, "the round that was applied twice stored nothing twice"
        assert imports == server.rounds == pushed.rounds + 1

        server.drop_after_apply = {server.rounds + 2}
        before = server.rounds
        capsys.readouterr()
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # a clerk at a terminal
        assert (
            main(
                [
                    "sync",
                    "pull",
                    "--hub",
                    server.url,
                    "--data-dir",
                    str(laptop.folder),
                    "--batch",
                    str(LIMIT),
                    "--json",
                ]
            )
            == 0
        )
        printed = capsys.readouterr()
        pulled = json.loads(printed.out)  # stdout: the same JSON as ever
        assert pulled["entries_new"] == total and pulled["sent"] == 0
        lines = printed.err.splitlines()
        assert len(lines) == server.rounds - before - 1 > 1, "a line per round that got through"
        assert lines[-1] == f"{total:,} / {total:,} 条更改"
    assert laptop.snapshot() == office.snapshot() == hub.snapshot()


def test_an_old_client_without_a_limit_still_gets_everything_at_once(county):
    office, _laptop, hub = county
    total = len(_entries(office))
    data, count = exchange.export_bytes(office.db, hub.id)
    assert count == total
    status, _answer, summary = exchange_once(hub.db, data)
    assert status == 200 and summary["entries_new"] == total and summary["waiting"] == 0
    assert _entries(hub) == _entries(office)


class _Steps:
    """SQLite's virtual machine steps (in thousands) on a data file's connections while
    `counting`: the work its queries do, whatever is done with the rows they return."""

    def __init__(self, db: Database) -> None:
        self.db, self.count = db, 0
        event.listen(db.engine, "before_cursor_execute", self._watch)

    def _watch(self, conn: Any, *_args: Any) -> None:
        conn.connection.dbapi_connection.set_progress_handler(self._tick, 1000)

    def _tick(self) -> int:
        self.count += 1
        return 0  # go on

    def counting(self, run: Any) -> int:
        self.count = 0
        run()
        return self.count

    def close(self) -> None:
        event.remove(self.db.engine, "before_cursor_execute", self._watch)


def test_a_round_reads_about_its_part_not_everything_the_peer_lacks(county):
    """Issue #14, case 9: a round of LIMIT entries out of ENTRIES costs the database about
    LIMIT entries' work, not ENTRIES' (so a first copy in rounds is linear, not quadratic)."""
    office, _laptop, hub = county
    exchange.export_bytes(office.db, hub.id)  # every transaction signed once, as on a first send
    steps = _Steps(office.db)
    try:
        everything = steps.counting(lambda: exchange.export_bytes(office.db, hub.id))
        part = steps.counting(lambda: exchange.export_batch(office.db, hub.id, LIMIT))
    finally:
        steps.close()
    total = len(_entries(office))
    assert total >= ENTRIES and everything > 0
    assert part * 3 < everything, (part, everything)


def _other_branch(node: Node, members: int) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A second branch on `node` with `members` members, written after everything else."""
    from desktop.models.register.groups import create_branch

    with node.db.unit_of_work(node.name) as session:
        branch = create_branch(session, "青山村党支部", "青山镇", "临江县")
    made = []
    for start in range(0, members, 20):
        with node.db.unit_of_work(node.name) as session:
            made += [
                save_member(session, branch.id, member_draft()).id
                for _ in range(start, min(start + 20, members))
            ]
    return branch.id, made


def test_a_partly_entitled_peer_has_another_branchs_entries_read_once_not_every_round(nodes):
    """docs/sync.md, "Next steps" 5: a peer entitled to one of a sender's branches has the
    other branch's entries above its vector read by one round, not again by every round; an
    entry for it after them still goes, and a record moved into its branch goes whole."""
    office, laptop = nodes("office", "laptop", demo="office")
    red = loader.demo_id("branch")
    office.trust(laptop, branches=[red])
    laptop.trust(office, branches=[red])
    office.send(laptop)
    laptop.send(office)  # the laptop holds all of red, and the office knows it
    _qingshan, moved = _other_branch(office, 150)  # about 2,000 entries the laptop may not have
    batches: list[exchange.Batch] = []
    steps = _Steps(office.db)
    try:
        rounds = [
            steps.counting(lambda: batches.append(exchange.export_batch(office.db, laptop.id)))
            for _round in range(3)
        ]
    finally:
        steps.close()
    assert [b.entries for b in batches] == [0, 0, 0]
    first, second, third = rounds
    assert second * 5 < first and third * 5 < first, rounds

    with office.db.unit_of_work() as session:  # red again, after the other branch's stretch
        member = session.scalars(select(Member).where(Member.branch_id == red)).first()
        member.phone = "13900000000"
    batch = exchange.export_batch(office.db, laptop.id, LIMIT)
    assert batch.entries == 1 and batch.waiting == 0

    with office.db.unit_of_work() as session:  # a clerk of both branches moves her to red
        session.get(Member, moved[0]).branch_id = red
    with office.db.read() as session:
        peer = session.get(exchange.SyncPeer, laptop.id)
        sent = {(e["origin"], e["seq"]) for e in exchange.pending_entries(session, peer)}
        hers = set(
            session.execute(select(Change.origin, Change.seq).where(Change.row_id == moved[0]))
        )
    assert hers <= sent  # her whole history, though a round had left it out before the move
