# SPDX-License-Identifier: GPL-3.0-or-later
"""A county hub set up and run as a clerk would, in real processes on loopback.

`red-steward hub init`, `red-steward sync trust CARD` (on the hub folder) and `red-steward hub
serve` run as subprocesses; two village PCs of the demo branch (the office PC and an empty laptop)
and a PC of another branch sync with it over HTTP through the same client code the app uses.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from desktop.models.demo import loader
from desktop.models.register.branch import Branch
from desktop.models.register.groups import create_branch
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from desktop.models.store import replica
from desktop.models.store.base import uuid7
from desktop.models.store.changelog import SCHEMA_VERSION, Change
from desktop.models.store.db import Database
from desktop.sync import bundle, errors, exchange, identity
from desktop.sync.http import exchange_with_hub
from tests.conftest import member_draft
from tests.sync.conftest import Node

pytestmark = pytest.mark.slow

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONUNBUFFERED": "1"}
RED_STEWARD = [sys.executable, "-m", "desktop"]


def red_steward(*args: object) -> str:
    """Run the command line in its own process, as a clerk or a script would."""
    done = subprocess.run(
        [*RED_STEWARD, *map(str, args)],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HubProcess:
    """`red-steward hub serve` on 127.0.0.1, started and stopped like the real service."""

    def __init__(self, folder: Path, log: Path) -> None:
        self.folder, self.log = folder, log
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [
                    *RED_STEWARD,
                    "hub",
                    "serve",
                    "--data-dir",
                    str(self.folder),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                env=ENV,
                stdout=sink,
                stderr=sink,
            )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/card", timeout=2) as response:
                    response.read()
                return
            except (urllib.error.URLError, OSError):
                assert self.process.poll() is None, self.log.read_text()
                assert time.monotonic() < deadline, "the hub did not answer within a minute"
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.process = None

    def post(self, data: bytes, sender: Node) -> tuple[int, dict[str, Any], bytes]:
        """A raw POST /exchange signed by `sender`, as its client signs one (the hub checks that
        from the headers first): (status, summary header or error body, body)."""
        from desktop.sync.http import Signer

        with sender.db.bookkeeping() as session:
            headers = Signer(identity.local_identity(session)).headers(data)
        request = urllib.request.Request(
            self.url + "/exchange", data=data, method="POST", headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                body = response.read()
                return response.status, json.loads(response.headers["X-Red-Steward-Summary"]), body
        except urllib.error.HTTPError as error:
            with error:
                body = error.read()
            return error.code, json.loads(body), body

    def changes(self) -> int:
        """How many change-log entries the served file holds (read alongside the hub)."""
        db = Database.open(self.folder)
        try:
            with db.read() as session:
                return session.scalar(select(func.count()).select_from(Change))
        finally:
            db.close()

    def members(self) -> dict[Any, tuple[Any, ...]]:
        db = Database.open(self.folder)
        try:
            with db.read() as session:
                return _members(session)
        finally:
            db.close()


def _members(session: Any) -> dict[Any, tuple[Any, ...]]:
    return {row.id: tuple(row) for row in session.execute(select(Member.__table__))}


def members(node: Node) -> dict[Any, tuple[Any, ...]]:
    with node.db.read() as session:
        return _members(session)


def branches(node: Node) -> set[str]:
    with node.db.read() as session:
        return set(session.scalars(select(Branch.name)))


def edit(node: Node, member_id: Any, **changes: Any) -> None:
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


def own_changes(node: Node) -> int:
    """The changes this PC made, under its id and under the ids it had before (the demo folder
    it started from is a copy, so it continues under a new id: desktop/models/store/replica.py)."""
    with node.db.read() as session:
        mine = [node.id, *replica.predecessors(session)]
        return session.scalar(
            select(func.count()).select_from(Change).where(Change.origin.in_(mine))
        )


@pytest.fixture
def county(tmp_path, hub_server, demo_copy):  # type: ignore[no-untyped-def]
    """A hub paired with the office PC, an empty laptop (demo branch) and a PC of 青山村; the
    hub's data in its folder or, in the second run, on PostgreSQL (given once, to `hub init`)."""
    hub_folder, hub_card = tmp_path / "hub", tmp_path / "hub.card"
    red_steward(
        "hub",
        "init",
        "--data-dir",
        hub_folder,
        "--card-out",
        hub_card,
        *(["--db", hub_server] if hub_server else []),
    )
    demo_copy(tmp_path / "office")
    office, laptop, qingshan = (Node(tmp_path, name) for name in ("office", "laptop", "qingshan"))
    with qingshan.db.unit_of_work("qingshan") as session:
        other = create_branch(session, "青山村党支部", "青山镇", "临江县")
        for name in ("赵外村", "钱外村", "孙外村"):
            save_member(session, other.id, member_draft(name=name))
    red = loader.demo_id("branch")
    for node, branches in ((office, None), (laptop, [red]), (qingshan, None)):
        node.sync.trust(node.sync.read_card(hub_card), branches)  # the new laptop names it
    # On the hub, trusting a card grants the branches it holds; the empty laptop's is named.
    red_steward("sync", "trust", office.card(), "--data-dir", hub_folder)
    red_steward("sync", "trust", laptop.card(), "--data-dir", hub_folder, "--branch", str(red))
    red_steward("sync", "trust", qingshan.card(), "--data-dir", hub_folder)
    hub = HubProcess(hub_folder, tmp_path / "hub.log")
    hub.start()
    yield hub, office, laptop, qingshan
    hub.stop()
    for node in (office, laptop, qingshan):
        node.close()


def test_villages_converge_through_the_hub_and_never_see_another_branch(county):
    hub, office, laptop, qingshan = county
    pushed = exchange_with_hub(office.db, hub.url)
    assert pushed.sent == own_changes(office) > 1000
    assert pushed.received.entries_new == 0, "the hub holds nothing else of this branch"
    pushed = exchange_with_hub(qingshan.db, hub.url)
    assert pushed.sent == own_changes(qingshan) > 3
    assert pushed.received.entries_new == 0, "青山村 is not sent the demo branch"
    pulled = exchange_with_hub(laptop.db, hub.url)
    assert pulled.sent == 0 and pulled.received.records_added > 100
    assert laptop.snapshot() == office.snapshot(), "the empty laptop is a full copy, via the hub"
    assert exchange_with_hub(office.db, hub.url).received.entries_new == 0

    red_ids = list(members(office))
    first, second = red_ids[0], red_ids[1]
    [outsider] = [i for i, row in members(qingshan).items() if "赵外村" in row]
    edit(office, first, phone="13900008888")
    edit(laptop, first, address="红旗村五组")
    edit(office, second, notes="办公室")
    edit(laptop, second, notes="笔记本")
    edit(qingshan, outsider, notes="青山村的备注")
    for node in (laptop, office, qingshan, laptop):
        exchange_with_hub(node.db, hub.url)

    assert laptop.snapshot() == office.snapshot()
    row = members(office)[first]
    assert "13900008888" in row and "红旗村五组" in row, "edits of two fields merged"
    for node in (office, laptop):
        [conflict] = node.sync.conflicts()
        assert {o.value for o in conflict.options} == {"办公室", "笔记本"}
    # Never another branch's data, in either direction.
    assert branches(office) == branches(laptop) == {"红旗村党支部"} != branches(qingshan)
    assert branches(qingshan) == {"青山村党支部"}
    assert not set(members(qingshan)) & set(red_ids)
    assert not any("赵外村" in row or "青山村的备注" in row for row in members(office).values())
    # The hub's clerk sees, per village PC, the conflicts open in the branch it shares: the
    # red branch's two PCs have one each, 青山村 none.
    import json

    peers = json.loads(red_steward("sync", "peers", "--data-dir", hub.folder, "--json"))
    assert {p["id"]: p["open_conflicts"] for p in peers} == {
        str(office.id): 1,
        str(laptop.id): 1,
        str(qingshan.id): 0,
    }
    # The hub holds both branches, each exactly as its villages do.
    on_hub = hub.members()
    assert on_hub == members(office) | members(qingshan)
    assert "青山村的备注" in on_hub[outsider]


def test_a_sync_resumes_after_a_dropped_hub_and_sends_nothing_twice(county):
    hub, office, laptop, _qingshan = county
    assert exchange_with_hub(office.db, hub.url).sent > 1000
    again = exchange_with_hub(office.db, hub.url)
    assert again.sent == 0, "the hub's answer acknowledged everything (checkpoint)"
    assert again.received.entries_new == again.received.entries_known == 0
    assert exchange_with_hub(laptop.db, hub.url).received.records_added > 100
    again = exchange_with_hub(laptop.db, hub.url)
    assert (again.sent, again.received.entries_new, again.received.entries_known) == (0, 0, 0)

    # The hub goes down while the office has edits waiting: a plain message, nothing lost.
    before = own_changes(office)
    target = next(iter(members(office)))
    edit(office, target, phone="13911112222", notes="断网时改的")
    made = own_changes(office) - before
    hub.stop()
    with pytest.raises(errors.HubUnreachable):
        exchange_with_hub(office.db, hub.url, retries=1)
    hub.start()
    resumed = exchange_with_hub(office.db, hub.url)
    assert resumed.sent == made > 0, "only what the hub had not acknowledged"
    pulled = exchange_with_hub(laptop.db, hub.url)
    assert (pulled.received.entries_new, pulled.received.entries_known) == (made, 0)
    assert laptop.snapshot() == office.snapshot()

    # An answer lost on the way back: the office sends the same entries again; the hub applies
    # them once.
    edit(office, target, notes="答复丢失")
    lost, count = exchange.export_bytes(office.db, _hub_id(office))
    status, summary, _body = hub.post(lost, office)
    assert (status, summary["entries_new"]) == (200, count)
    stored = hub.changes()
    retry, count_again = exchange.export_bytes(office.db, _hub_id(office))
    assert count_again == count, "not acknowledged, so sent again"
    status, summary, _body = hub.post(retry, office)
    assert (status, summary["entries_new"]) == (200, 0)
    assert hub.changes() == stored, "nothing applied twice"
    assert exchange_with_hub(office.db, hub.url).sent == count  # the answer finally arrives
    assert exchange_with_hub(office.db, hub.url).sent == 0


def test_the_hub_refuses_strangers_and_misaddressed_or_altered_bundles(county, tmp_path):
    hub, office, _laptop, qingshan = county
    stranger = Node(tmp_path, "stranger")
    with stranger.db.unit_of_work("stranger") as session:
        save_member(
            session,
            create_branch(session, "陌生村党支部", "某镇", "某县").id,
            member_draft(name="冒名者"),
        )
    stranger.sync.trust(stranger.sync.read_card(tmp_path / "hub.card"))  # for its one branch
    stored = hub.changes()

    with pytest.raises(errors.HubRefused) as refused:
        exchange_with_hub(stranger.db, hub.url)
    assert "不信任" in str(refused.value), "the hub's reason, in the clerk's language"

    qingshan.trust(office)  # a bundle made for the office PC, carried to the hub by mistake
    misaddressed, _count = exchange.export_bytes(qingshan.db, office.id)
    status, answer, _body = hub.post(misaddressed, qingshan)
    assert (status, answer["code"]) == (421, "BundleForeign")
    assert str(office.id) in answer["message"], answer["message"]

    altered = bytearray(exchange.export_bytes(office.db, _hub_id(office))[0])
    altered[len(altered) // 2] ^= 0x01
    status, answer, _body = hub.post(bytes(altered), office)
    assert (status, answer["code"]) == (400, "BundleDamaged")
    status, answer, _body = hub.post(b"", office)
    assert status == 400

    hub_card = identity.card_from_file(tmp_path / "hub.card")
    with office.db.unit_of_work() as session:
        me = identity.local_identity(session)
    newer = bundle.seal(
        {"vv": {}, "entries": []},
        sender=me,
        recipient=hub_card.replica_id,
        recipient_box_public=hub_card.box_public,
        bundle_id=uuid7(),
        bundle_seq=10**6,
        schema=SCHEMA_VERSION + 1,
        created_ms=0,
        entries=0,
        app="9.4.0",
    )
    status, answer, _body = hub.post(newer, office)
    assert (status, answer["code"]) == (426, "BundleTooNew")
    assert "9.4.0" in answer["message"], "the hub names the version to install"

    assert hub.changes() == stored, "nothing refused was stored"
    assert exchange_with_hub(office.db, hub.url).sent > 1000, "and the hub still serves"
    stranger.close()


def _hub_id(node: Node) -> Any:
    [peer] = node.sync.peers(waiting=False)
    return peer.id


def test_villages_syncing_at_the_same_moment_are_all_served(county):
    from concurrent.futures import ThreadPoolExecutor

    hub, office, laptop, qingshan = county
    with ThreadPoolExecutor(3) as pool:
        results = list(
            pool.map(lambda node: exchange_with_hub(node.db, hub.url), (office, qingshan, laptop))
        )
    assert results[0].sent == own_changes(office) and results[1].sent == own_changes(qingshan)
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda node: exchange_with_hub(node.db, hub.url), (laptop, qingshan)))
    assert laptop.snapshot() == office.snapshot()
    assert hub.members() == members(office) | members(qingshan)
