# SPDX-License-Identifier: GPL-3.0-or-later
"""Salvaging a damaged data file: real SQLCipher files, pages really overwritten."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from desktop import errors, paths
from desktop.models.register.member import Member
from desktop.models.store import backup, salvage
from desktop.models.store.changelog import Replica
from desktop.models.store.db import Database, connect_raw
from desktop.models.store.keyring import Credentials
from tests.conftest import TEST_PASSWORD, TEST_USER

ADMIN = Credentials(TEST_USER, TEST_PASSWORD)
PAGE = 4096


def _members(path: Path, key: bytes) -> dict[str, tuple[object, ...]]:
    """Every member row of a sound file, by id."""
    conn = connect_raw(path, key)
    try:
        return {row[0]: tuple(row[1:]) for row in conn.execute("SELECT id, * FROM member")}
    finally:
        conn.close()


def _rowids(path: Path, key: bytes) -> dict[str, int]:
    conn = connect_raw(path, key)
    try:
        return {row[1]: row[0] for row in conn.execute("SELECT rowid, id FROM member")}
    finally:
        conn.close()


def _readable(path: Path, key: bytes, rowids: dict[str, int]) -> dict[str, tuple[object, ...]]:
    """The members that can still be read one by one from a damaged file (its own b-tree
    lookup by rowid: the oracle that salvage must match)."""
    conn = connect_raw(path, key)
    found = {}
    try:
        for member_id, rowid in rowids.items():
            try:
                row = conn.execute("SELECT * FROM member WHERE rowid = ?", (rowid,)).fetchone()
            except Exception:  # a damaged page: not readable
                conn.close()  # SQLite's pager stays in its error state: a new connection
                conn = connect_raw(path, key)
                continue
            if row is not None:
                found[member_id] = tuple(row)
    finally:
        conn.close()
    return found


def _close(db: Database) -> None:
    conn = db.raw_connection()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db.close()


def _overwrite(path: Path, first: int, last: int) -> None:
    """Overwrite pages `first`..`last` (0-based) of a closed data file."""
    with path.open("r+b") as fh:
        fh.seek(first * PAGE)
        fh.write(b"\xa5" * ((last - first + 1) * PAGE))


def _damage(db: Database, first: int, last: int) -> None:
    _close(db)
    _overwrite(db.path, first, last)


def _member_leaves(
    path: Path, key: bytes, rowids: dict[str, int], in_backup: set[str], scratch: Path
) -> tuple[int, int]:
    """A page of the member table that holds only members the backup has, and one that holds
    only members made after it, found by damaging one page at a time in a copy."""
    pristine = path.read_bytes()
    copy = scratch / "probe.db"
    old = new = None
    for page in range(1, len(pristine) // PAGE):
        copy.write_bytes(pristine)
        _overwrite(copy, page, page)
        lost = set(rowids) - set(_readable(copy, key, rowids))
        if not 0 < len(lost) < len(rowids) // 4:
            continue
        if old is None and lost <= in_backup:
            old = page
        if new is None and not lost & in_backup:
            new = page
        if old is not None and new is not None:
            return old, new
    raise AssertionError("no page of members only")


@pytest.fixture
def damaged(db, branch, make_member, data_dir, tmp_path):  # type: ignore[no-untyped-def]
    """A data file with 60 members in the newest backup and 60 more after it; one page of
    members the backup has and one of members made after it overwritten. Returns the key,
    the members before the damage, those in the backup and every member's rowid."""
    for _ in range(60):
        make_member(notes="备注" * 100)
    backup.take_automatic_backup(db, "daily")
    key = db._key
    in_backup = _members(db.path, key)
    for _ in range(60):
        make_member(notes="后来" * 100)
    with db.unit_of_work() as session:  # every sixth member of the backup changed since
        for member in session.scalars(select(Member).order_by(Member.id)).all()[:60:6]:
            member.phone = "13700000000"
    before = _members(db.path, key)
    rowids = _rowids(db.path, key)
    _close(db)
    for page in _member_leaves(db.path, key, rowids, set(in_backup), tmp_path):
        _overwrite(db.path, page, page)
    return key, before, in_backup, rowids


def test_salvage_keeps_what_can_be_read_takes_the_rest_from_the_backup(damaged, data_dir):
    key, before, in_backup, rowids = damaged
    path = paths.database_path(data_dir)
    damaged_bytes = path.read_bytes()
    readable = _readable(path, key, rowids)
    assert 0 < len(readable) < len(before)  # the damage hit members, not all of them

    summary = salvage.salvage(data_dir, ADMIN)

    assert path.read_bytes() == damaged_bytes  # nothing written to the damaged file
    result = _members(summary.salvaged_path, key)
    for member_id, row in readable.items():  # members on undamaged pages come back as they were
        assert result[member_id] == row
    for member_id, row in in_backup.items():  # members the backup had come back
        assert result[member_id] == readable.get(member_id, row)
    lost = set(before) - set(readable) - set(in_backup)
    assert set(result) == set(before) - lost
    members = summary.table("member")
    assert members.recovered == len(readable)
    assert members.from_backup == len(set(in_backup) - set(readable))
    assert members.lost == len(lost)
    changed = [m for m, row in readable.items() if m in in_backup and row != in_backup[m]]
    assert changed and summary.members_changed == len(changed)
    assert len(summary.members_from_backup) == members.from_backup
    assert summary.backup_path is not None
    text = "\n".join(summary.lines())
    assert f"取自备份 {members.from_backup} 名" in text, text

    old_replica = _local_replica(summary.salvaged_path, key)
    assert old_replica is not None
    aside = salvage.replace_with_salvaged(data_dir)
    kept = aside / path.name
    assert kept.read_bytes() == damaged_bytes  # the damaged file is kept, unchanged
    assert "before-salvage-" in aside.name
    assert not salvage.salvaged_path(data_dir).exists()

    db = Database.open(data_dir, create=False, credentials=ADMIN)
    try:
        db.check_integrity()
        assert db.missing_since is None
        assert db.replica_id != old_replica  # continues under a new id, as a restore does
        with db.read() as session:
            old = session.get(Replica, old_replica)
            assert old is not None and old.succeeded_by == db.replica_id
    finally:
        db.close()
    assert set(_members(path, key)) == set(result)


def _local_replica(path: Path, key: bytes):  # type: ignore[no-untyped-def]
    import uuid

    conn = connect_raw(path, key)
    try:
        for (rid,) in conn.execute("SELECT id FROM replica WHERE is_local"):
            return uuid.UUID(rid)
    finally:
        conn.close()
    return None


def test_a_sound_file_is_not_salvaged(db, branch, make_member, data_dir):
    make_member()
    db.close()
    with pytest.raises(salvage.NotDamaged) as raised:
        salvage.salvage(data_dir, ADMIN)
    assert "没有损坏" in raised.value.message
    assert not salvage.salvaged_path(data_dir).exists()


def test_the_wrong_password_salvages_nothing(damaged, data_dir):
    with pytest.raises(errors.WrongPassword) as raised:
        salvage.salvage(data_dir, Credentials(TEST_USER, "not-the-password"))
    assert raised.value.message == errors.WrongPassword().message
    assert not salvage.salvaged_path(data_dir).exists()


def test_a_file_whose_first_pages_are_gone_says_restore_instead(db, branch, make_member, data_dir):
    make_member()
    _damage(db, 0, 2)
    with pytest.raises(salvage.NothingReadable) as raised:
        salvage.salvage(data_dir, ADMIN)
    assert "恢复" in raised.value.message


def test_without_a_backup_what_can_be_read_is_kept(db, branch, make_member, data_dir):
    for _ in range(80):
        make_member(notes="备注" * 100)
    key = db._key
    before = _members(db.path, key)
    rowids = _rowids(db.path, key)
    pages = db.path.stat().st_size // PAGE
    _damage(db, pages // 2, pages // 2 + 3)
    readable = _readable(db.path, key, rowids)
    summary = salvage.salvage(data_dir, ADMIN)
    assert summary.backup_path is None
    assert _members(summary.salvaged_path, key) == readable
    assert summary.table("member").recovered == len(readable)
    assert summary.table("member").lost == len(before) - len(readable)
    salvage.discard_salvaged(data_dir)
    assert not summary.salvaged_path.exists()


def test_the_cli_prints_the_summary_and_replaces_only_when_told(damaged, data_dir, capsys):
    import json

    from desktop.cli.main import main

    path = paths.database_path(data_dir)
    damaged_bytes = path.read_bytes()
    assert main(["salvage", "--data-dir", str(data_dir)]) == 0  # a script, no --yes: a preview
    printed = capsys.readouterr().out
    assert "党员" in printed and "备份" in printed
    assert "--yes" in printed
    assert path.read_bytes() == damaged_bytes
    assert not salvage.salvaged_path(data_dir).exists()

    assert main(["salvage", "--data-dir", str(data_dir), "--yes", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["replaced"] is True
    assert (Path(result["kept"]) / path.name).read_bytes() == damaged_bytes
    members = result["tables"]["member"]
    assert members["from_backup"] == len(result["members_from_backup"]) > 0
    assert main(["members", "list", "--json", "--data-dir", str(data_dir)]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == members["recovered"] + members["from_backup"]


def test_the_cli_says_in_one_line_that_a_sound_file_needs_no_salvage(
    db, branch, make_member, data_dir
):
    import os
    import subprocess
    import sys

    make_member()
    db.close()
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "salvage", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"red-steward: {salvage.NotDamaged(paths.database_path(data_dir)).message}"
    ]
