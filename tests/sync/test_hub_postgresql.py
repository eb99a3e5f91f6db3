# SPDX-License-Identifier: GPL-3.0-or-later
"""A hub whose data is on PostgreSQL: what differs from a data file, tested on a real server.

The sync suites (test_hub_process, test_hub_http, test_convergence) run once more against
PostgreSQL through the `hub_server` fixture; these are the parts only a server hub has.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from desktop.cli.main import main
from desktop.models.register.groups import create_branch
from desktop.models.register.member import Member
from desktop.models.register.members import save_member
from desktop.models.store.changelog import Change, Replica
from desktop.models.store.db import Database
from desktop.models.store.server_store import SEALED_NAME
from desktop.sync.identity import local_identity
from tests.conftest import member_draft
from tests.sync.conftest import Node, pair

pytestmark = pytest.mark.slow


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_folder_remembers_its_server_and_never_holds_the_password_in_clear(
    tmp_path, pg_url, capsys, demo_copy
):
    hub = tmp_path / "hub"
    password = make_url(pg_url).password
    assert (
        main(
            [
                "hub",
                "init",
                "--data-dir",
                str(hub),
                "--db",
                pg_url,
                "--card-out",
                str(tmp_path / "hub.card"),
            ]
        )
        == 0
    )
    printed = capsys.readouterr()
    assert password not in printed.out + printed.err
    files = _files(hub)
    assert SEALED_NAME in files and "red-steward.sqlite3" not in files
    assert not any(password.encode() in data for data in files.values())

    # Later commands on the folder find the server without --db: trust a village's card.
    demo_copy(tmp_path / "village")
    village = Node(tmp_path, "village")
    assert main(["sync", "trust", str(village.card()), "--data-dir", str(hub)]) == 0
    assert main(["sync", "peers", "--data-dir", str(hub), "--json"]) == 0
    assert str(village.id) in capsys.readouterr().out
    # A backup of a server hub is the server's business: a plain message, no file in the folder.
    assert main(["backup", "--data-dir", str(hub), "--to", str(tmp_path / "stick")]) != 0
    assert "pg_dump" in capsys.readouterr().err
    assert not (tmp_path / "stick").exists() or not any((tmp_path / "stick").iterdir())
    village.close()


def test_a_folder_that_holds_a_data_file_is_not_silently_moved_to_a_server(
    tmp_path, pg_url, capsys
):
    hub = tmp_path / "hub"
    assert main(["hub", "init", "--data-dir", str(hub)]) == 0
    capsys.readouterr()
    assert main(["hub", "init", "--data-dir", str(hub), "--db", pg_url]) != 0
    err = capsys.readouterr().err
    assert "new data folder" in err or "新的数据文件夹" in err, err
    assert not (hub / SEALED_NAME).exists()


def test_a_hub_on_a_server_relays_a_branch_and_its_conflicts_by_usb(tmp_path, pg_url, demo_copy):
    demo_copy(tmp_path / "office")
    office, laptop = Node(tmp_path, "office"), Node(tmp_path, "laptop")
    hub = Node(tmp_path, "hub", server=pg_url)
    pair(office, hub, laptop)
    office.send(hub)
    hub.send(laptop)
    assert laptop.snapshot() == office.snapshot() == hub.snapshot()

    with office.db.read() as session:
        member_id = session.scalars(select(Member.id).order_by(Member.id).limit(1)).one()
    for node, phone in ((office, "13900001111"), (laptop, "13900002222")):
        with node.db.unit_of_work() as session:
            member = session.get(Member, member_id)
            member.phone = phone
    office.send(hub)
    laptop.send(hub)
    [conflict] = hub.sync.conflicts()
    assert {o.value for o in conflict.options} == {"13900001111", "13900002222"}
    hub.sync.resolve(
        conflict.id, next(o.number for o in conflict.options if o.value == "13900002222")
    )
    hub.send(office)
    hub.send(laptop)
    assert office.snapshot() == laptop.snapshot() == hub.snapshot()
    with office.db.read() as session:
        assert session.get(Member, member_id).phone == "13900002222"
    for node in (office, laptop, hub):
        node.close()


def test_two_hub_processes_writing_at_once_never_share_a_sequence_number(tmp_path, pg_url):
    """Two writers on one server (two hub processes, or two exchanges at once) take turns, as
    SQLite's BEGIN IMMEDIATE makes them: each change keeps a sequence number of its own."""
    first = Node(tmp_path, "hub", server=pg_url)
    with first.db.unit_of_work() as session:
        branch = create_branch(session, "测试村党支部", "青山镇", "临江县")
    second = Database.open(first.folder)  # finds the same server through the folder
    assert second.replica_id == first.db.replica_id
    drafts = [member_draft() for _ in range(40)]
    errors: list[BaseException] = []

    def write(db: Database, mine: list) -> None:  # type: ignore[type-arg]
        try:
            for draft in mine:
                with db.unit_of_work() as session:
                    save_member(session, branch.id, draft)
        except BaseException as error:
            errors.append(error)

    threads = [
        threading.Thread(target=write, args=(db, drafts[i::2]))
        for i, db in enumerate((first.db, second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    with first.db.read() as session:
        seqs = session.scalars(select(Change.seq).where(Change.origin == first.id)).all()
        top = session.scalar(select(Replica.last_seq).where(Replica.is_local))
        members = session.scalar(select(func.count()).select_from(Member))
    assert members == 40
    assert len(seqs) == len(set(seqs)) and max(seqs) == top
    second.close()
    first.close()


def test_a_server_hub_keeps_its_private_keys_sealed_with_the_data_key(tmp_path, pg_url):
    from desktop.models.store.sync_state import SyncIdentity
    from desktop.sync import errors

    hub = Node(tmp_path, "hub", server=pg_url)
    me = hub.sync.me()
    with hub.db.read() as session:
        stored = session.scalars(select(SyncIdentity)).one()
        identity = local_identity(session)
    raw = identity.sign_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    assert len(stored.sign_key) > 32 and raw not in stored.sign_key
    hub.close()
    reopened = Node(tmp_path, "hub")  # the folder finds the server; the keys open again
    assert reopened.sync.me() == me
    reopened.close()
    # Another data folder (another key file) on the same database cannot use the keys.
    stranger = Node(tmp_path, "elsewhere", server=pg_url)
    with pytest.raises(errors.IdentityUnreadable):
        stranger.sync.me()
    stranger.close()
