# SPDX-License-Identifier: GPL-3.0-or-later
"""Two village PCs and a real hub process on loopback converge over HTTP."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from desktop.cli.main import main
from desktop.models.demo import loader
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from desktop.models.store.base import uuid7
from desktop.sync import errors
from desktop.sync.http import exchange_with_hub
from tests.sync.conftest import Node

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def hub_process(tmp_path, hub_server, demo_copy):  # type: ignore[no-untyped-def]
    """A hub folder prepared in-process, then served by a real `red-steward hub serve` (which
    finds a PostgreSQL database the folder was set up with on its own)."""
    demo_copy(tmp_path / "office")
    office, laptop = Node(tmp_path, "office"), Node(tmp_path, "laptop")
    hub = Node(tmp_path, "hub", server=hub_server)
    office.trust(hub)
    laptop.trust(hub, branches=[loader.demo_id("branch")])  # both new: the laptop names its branch
    hub.trust(office)
    hub.trust(laptop, branches=[loader.demo_id("branch")])
    hub.close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "hub.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "desktop",
                "hub",
                "serve",
                "--data-dir",
                str(hub.folder),
                "--port",
                str(port),
            ],
            env=ENV,
            stdout=sink,
            stderr=sink,
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url + "/card", timeout=2) as response:
                response.read()
            break
        except (urllib.error.URLError, OSError):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline
            time.sleep(0.2)
    yield office, laptop, hub, url
    process.terminate()
    process.wait(timeout=30)
    office.close()
    laptop.close()


def _set(node, member_id, **changes):  # type: ignore[no-untyped-def]
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


def test_two_villages_converge_through_a_hub_over_http(hub_process, capsys):
    office, laptop, hub, url = hub_process
    capsys.readouterr()
    assert main(["sync", "push", "--hub", url, "--data-dir", str(office.folder), "--json"]) == 0
    pushed = json.loads(capsys.readouterr().out)
    assert pushed["sent"] > 1000
    assert main(["sync", "pull", "--hub", url, "--data-dir", str(laptop.folder), "--json"]) == 0
    pulled = json.loads(capsys.readouterr().out)
    assert pulled["records_added"] > 100
    assert laptop.snapshot() == office.snapshot(), "the laptop is a full copy, via the hub"

    with office.db.read() as session:
        first, second = session.scalars(select(Member.id).order_by(Member.id).limit(2)).all()
    _set(office, first, phone="13900008888")
    _set(laptop, first, address="红旗村五组")
    _set(office, second, notes="办公室")
    _set(laptop, second, notes="笔记本")
    for node in (laptop, office, laptop):
        exchange_with_hub(node.db, url)
    assert laptop.snapshot() == office.snapshot()
    with office.db.read() as session:
        member = session.get(Member, first)
        assert (member.phone, member.address) == ("13900008888", "红旗村五组")
    [conflict] = office.sync.conflicts()
    assert {o.value for o in conflict.options} == {"办公室", "笔记本"}
    hub_again = Node(hub.root, "hub")  # the served file, read alongside the running hub
    assert hub_again.snapshot() == office.snapshot()
    hub_again.close()


def test_the_hub_refuses_a_stranger_and_keeps_serving(hub_process, tmp_path):
    office, _laptop, _hub, url = hub_process
    [stranger] = [Node(tmp_path, "stranger")]
    # (the hub holds no branch yet: the stranger names the one it claims)
    stranger.sync.trust(stranger.sync.read_card(_card_file(url, tmp_path)), [uuid7()])
    with pytest.raises(errors.HubRefused) as refused:
        exchange_with_hub(stranger.db, url)
    assert "不信任" in str(refused.value)
    assert "（经网络发送）" in str(refused.value), "no file name: how it came"
    junk = urllib.request.Request(url + "/exchange", data=b"junk", method="POST")
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(junk, timeout=10)
    assert bad.value.code == 401, "unsigned: refused from its headers"
    bad.value.close()
    assert exchange_with_hub(office.db, url).sent > 0
    stranger.close()


def test_an_unreachable_hub_is_a_plain_message(tmp_path):
    [village] = [Node(tmp_path, "village")]
    with pytest.raises(errors.HubUnreachable):
        exchange_with_hub(village.db, f"http://127.0.0.1:{_free_port()}", retries=1)
    village.close()


def _card_file(url, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "hub.card"
    with urllib.request.urlopen(url + "/card", timeout=10) as response:
        path.write_bytes(response.read())
    return path


def test_a_database_the_hub_cannot_use_is_a_plain_refusal(tmp_path, capsys):
    code = main(
        [
            "hub",
            "serve",
            "--data-dir",
            str(tmp_path / "hub"),
            "--port",
            str(_free_port()),
            "--db",
            "mysql://hub:secret@localhost/county",
        ]
    )
    err = capsys.readouterr().err
    assert code != 0 and "PostgreSQL" in err and "--db" in err and "Traceback" not in err
    assert "secret" not in err, "a password is never printed"


def test_a_database_server_that_does_not_answer_is_a_plain_message(tmp_path, capsys):
    hub = tmp_path / "hub"
    code = main(
        [
            "hub",
            "serve",
            "--data-dir",
            str(hub),
            "--port",
            str(_free_port()),
            "--db",
            f"postgresql://hub:secret@127.0.0.1:{_free_port()}/county",
        ]
    )
    err = capsys.readouterr().err
    assert code != 0 and "127.0.0.1" in err and "Traceback" not in err
    assert "secret" not in err, "a password is never printed"
    assert not (hub / "server-database.sealed").exists(), "an address that failed is not kept"


JUNK = 250 * 1024 * 1024


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _serving(port: int) -> int:
    """The pid of the `hub serve` process listening on `port`."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in argv and str(port).encode() in argv:
                return int(entry.name)
    raise AssertionError("no hub process")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_junk_bodies_are_refused_before_the_hub_reads_them(hub_process):
    from concurrent.futures import ThreadPoolExecutor

    from desktop.sync.http import Signer
    from desktop.sync.identity import local_identity

    office, _laptop, _hub, url = hub_process
    port = int(url.rsplit(":", 1)[1])
    pid = _serving(port)
    before = _rss_mb(pid)
    with office.db.bookkeeping() as session:
        signed = Signer(local_identity(session)).headers(b"not what is sent")
    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _i: _junk(port, {}), range(4)))
        too_large = pool.submit(_junk, port, signed).result()
    grown = _rss_mb(pid) - before
    assert grown < 64, f"the hub grew by {grown:.0f} MB for junk it should not have read"
    assert set(statuses) <= {401, None} and too_large in (413, None)
    assert exchange_with_hub(office.db, url).sent > 0, "and it still serves"


REPLAYED = 60 * 1024 * 1024  # under MAX_REQUEST: declared or streamed, the hub takes it in


def _junk(
    port: int, headers: dict[str, str], size: int = JUNK, chunked: bool = False
) -> int | None:
    """POST `size` bytes of junk (as far as the hub lets them go), declared or chunked, under
    `headers` (none; or copied from a real request, as a listener on the village's network
    would replay them: they sign the hash of another body); the status, if one came."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.putrequest("POST", "/exchange")
        for name, value in headers.items():
            conn.putheader(name, value)
        if chunked:
            conn.putheader("Transfer-Encoding", "chunked")
        else:
            conn.putheader("Content-Length", str(size))
        conn.endheaders()
        chunk, sent = b"\x00" * (1 << 20), 0
        with contextlib.suppress(OSError):
            while sent < size:
                conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                sent += len(chunk)
            if chunked:
                conn.send(b"0\r\n\r\n")
        try:
            return conn.getresponse().status
        except (OSError, http.client.HTTPException):
            return None
    finally:
        conn.close()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
@pytest.mark.parametrize("chunked", [False, True], ids=["declared", "chunked"])
def test_bodies_under_the_cap_are_not_all_held_in_memory_at_once(hub_process, chunked):
    from concurrent.futures import ThreadPoolExecutor

    from desktop.sync.http import Signer
    from desktop.sync.identity import local_identity

    office, _laptop, _hub, url = hub_process
    port = int(url.rsplit(":", 1)[1])
    pid = _serving(port)
    before = peak = _rss_mb(pid)
    with office.db.bookkeeping() as session:
        seen = Signer(local_identity(session)).headers(b"a request seen on the wire")
    with ThreadPoolExecutor(8) as pool:
        sent = [pool.submit(_junk, port, seen, REPLAYED, chunked) for _ in range(8)]
        while not all(f.done() for f in sent):
            peak = max(peak, _rss_mb(pid))
            time.sleep(0.02)
    grown = peak - before
    assert {f.result() for f in sent} <= {400, None}, "the body is not the one signed"
    assert grown < 100, f"the hub held {grown:.0f} MB of bodies it could not use"
    assert exchange_with_hub(office.db, url).sent > 0, "and it still serves"


def _hold_open(port: int, headers: dict[str, str] | None) -> socket.socket:
    """A connection held open: bare (`headers` None: nothing sent), or a POST under `headers`
    declaring a body under the cap, of which the first MB is sent before the sender goes quiet."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    if headers is not None:
        lines = ["POST /exchange HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {REPLAYED}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + b"\x00" * (1 << 20))
    return sock


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc")
def test_a_village_is_served_while_connections_are_held_open(hub_process):
    """Under MAX_CONNECTIONS, senders that go quiet mid-body (under copied headers) or send
    nothing hold neither an exchange's turn nor, on PostgreSQL, a database connection."""
    from desktop.hub.app import MAX_CONNECTIONS, MAX_EXCHANGES
    from desktop.sync.http import Signer
    from desktop.sync.identity import local_identity

    office, _laptop, _hub, url = hub_process
    port = int(url.rsplit(":", 1)[1])
    pid = _serving(port)
    exchange_with_hub(office.db, url)  # the first copy, before anything is measured
    with office.db.read() as session:
        member_id = session.scalars(select(Member.id).order_by(Member.id).limit(1)).one()
    _set(office, member_id, phone="13900007777")
    before = _rss_mb(pid)
    with office.db.bookkeeping() as session:
        seen = Signer(local_identity(session)).headers(b"a request seen on the wire")
    quiet = MAX_CONNECTIONS - 8
    assert quiet > 2 * MAX_EXCHANGES
    held = [_hold_open(port, seen) for _ in range(quiet - 8)]
    held += [_hold_open(port, None) for _ in range(8)]
    try:
        started = time.monotonic()
        assert exchange_with_hub(office.db, url).sent == 1
        took = time.monotonic() - started
        grown = _rss_mb(pid) - before
    finally:
        for sock in held:
            sock.close()
    assert took < 30, f"a village waited {took:.0f} s behind connections that send nothing"
    assert grown < 64, f"the hub grew by {grown:.0f} MB for {quiet} quiet connections"
