# SPDX-License-Identifier: GPL-3.0-or-later
"""Opening the data file: each bad state gets its own clear error, never a traceback."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from desktop import errors, paths
from desktop.models.store import db as dbmod
from desktop.models.store.db import Database
from tests.conftest import member_draft


def test_a_new_database_is_wal_with_foreign_keys(db):
    with db.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_damaged_file_is_refused_and_left_alone(data_dir):
    data_dir.mkdir()
    path = paths.database_path(data_dir)
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(errors.DatabaseCorrupt) as raised:
        Database.open(data_dir)
    assert str(path) in raised.value.message
    assert path.read_bytes() == b"this is not a database" * 100


def test_broken_pages_are_found_by_the_check_after_opening(data_dir, branch, make_member, db):
    """Opening no longer reads the whole file (seconds at county scale); the check the window
    runs in the background once it is shown finds the damage and says so in plain words."""
    for _ in range(30):
        make_member(notes="备注" * 200)
    conn = db.raw_connection()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db.close()
    path = paths.database_path(data_dir)
    raw = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(raw), page * 8)):
        raw[offset] = 0xA5
    path.write_bytes(bytes(raw))
    damaged = Database.open(data_dir)
    try:
        with pytest.raises(errors.DatabaseDamaged) as raised:
            damaged.check_integrity()
    finally:
        damaged.close()
    # One translated line; SQLite's own words go to the log only.
    assert raised.value.message == errors.DatabaseDamaged(path).message
    assert "备份" in raised.value.message  # what to do: restore a backup
    assert raised.value.detail


def test_a_sound_file_passes_the_check(db, branch, make_member):
    make_member()
    db.check_integrity()  # no error


def _damage(data_dir, db) -> str:  # type: ignore[no-untyped-def]
    """Break pages in the middle of the (checkpointed) file; returns the file's path."""
    conn = db.raw_connection()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db.close()
    path = paths.database_path(data_dir)
    raw = bytearray(path.read_bytes())
    for offset in range(4096 * 3, min(len(raw), 4096 * 8)):
        raw[offset] = 0xA5
    path.write_bytes(bytes(raw))
    return str(path)


def test_a_damaged_file_is_one_line_on_stderr_and_the_details_go_to_the_log(
    data_dir, branch, make_member, db
):
    import os
    import subprocess
    import sys

    for _ in range(30):
        make_member(notes="备注" * 200)
    path = _damage(data_dir, db)
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "members", "list", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1
    # Opening no longer reads every page; the daily backup the command takes, or the reading
    # of the damaged pages, finds the damage: one line either way.
    assert result.stderr.splitlines() in (
        [f"red-steward: {errors.DatabaseDamaged(path).message}"],
        [f"red-steward: {errors.DatabaseCorrupt(path).message}"],
    )
    assert "已损坏" in result.stderr
    log = (paths.backup_dir(data_dir).parent / "logs" / "red-steward.log").read_text("utf-8")
    assert path in log and "damaged" in log


def test_a_foreign_sqlite_file_is_refused(data_dir):
    data_dir.mkdir()
    with sqlite3.connect(paths.database_path(data_dir)) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER)")
    with pytest.raises(errors.DatabaseCorrupt):
        Database.open(data_dir)


def test_a_newer_database_is_refused_with_the_version(db, data_dir):
    with db.raw_connection() as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    db.close()
    with pytest.raises(errors.DatabaseTooNew) as raised:
        Database.open(data_dir)
    assert "0099" in raised.value.message


def test_a_read_only_medium_is_read_and_left_exactly_as_it_was(
    db, branch, make_member, data_dir, monkeypatch
):
    from desktop.models.register.service import MemberService

    saved = make_member(name="欧阳春花")
    db.close()
    before = {p.name: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
    # As root every file is writable, so the operating system's answer is simulated here.
    monkeypatch.setattr(dbmod.os, "access", lambda path, mode: False)
    opened = Database.open(data_dir, create=False)
    assert opened.read_only
    members = MemberService(opened, branch.id)
    assert members.get(saved.id).name == "欧阳春花"
    with pytest.raises(errors.DatabaseReadOnly):
        members.save(member_draft())
    opened.close()
    after = {p.name: p.read_bytes() for p in data_dir.rglob("*") if p.is_file()}
    assert after == before, "reading a read-only medium wrote to it"


def test_a_locked_database_gives_a_clear_message_and_keeps_data(db, branch, monkeypatch):
    other = db.raw_connection()
    other.isolation_level = None
    other.execute("BEGIN EXCLUSIVE")
    try:
        monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_S", 0.2)
        locked = Database(db.path, dbmod._make_engine(db.path, db._key), user=db.user)
    except errors.DatabaseLocked:
        locked = None  # already refused while registering the replica: also fine
    try:
        if locked is not None:
            with pytest.raises(errors.DatabaseLocked), locked.unit_of_work() as session:
                from desktop.models.register.members import save_member

                save_member(session, branch.id, member_draft())
    finally:
        other.execute("ROLLBACK")
        other.close()
    from desktop.models.register.members import count_members
    from desktop.models.register.rows import MemberQuery

    with db.read() as session:
        assert count_members(session, branch.id, MemberQuery()) == 0


def test_no_data_and_no_create_says_how_to_start(tmp_path):
    with pytest.raises(errors.NoBranch) as raised:
        Database.open(tmp_path / "nothing", create=False)
    assert "red-steward init" in raised.value.message


def _older_copy_in_place(db, data_dir, change):  # type: ignore[no-untyped-def]
    """Make `change`, then put the file back as it was before it (as a lost WAL leaves it)."""
    conn = db.raw_connection()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    path = paths.database_path(data_dir)
    old = path.read_bytes()
    change()
    db.close()
    path.write_bytes(old)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def test_a_data_file_older_than_the_last_saved_change_says_so(data_dir, branch, make_member, db):
    import os
    import subprocess
    import sys

    make_member()
    db.close()
    again = Database.open(data_dir, create=False)
    assert again.missing_since is None, "the app's own mark matches the file"
    from desktop.models.register.service import MemberService

    members = MemberService(again, branch.id)
    _older_copy_in_place(again, data_dir, lambda: members.save(member_draft(name="李秀英")))
    behind = Database.open(data_dir, create=False)
    assert behind.missing_since is not None
    behind.close()
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "members", "list", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        env={**os.environ},
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0
    assert result.stderr.splitlines() == [f"red-steward: {dbmod.missing_changes(behind)}"]
    assert "丢失" in result.stderr


def test_the_window_checkpoints_the_wal_after_each_unit_of_work(
    data_dir, branch, make_member, db, tmp_path
):
    import shutil

    from desktop.models.store import keyring

    db.checkpoint_after_write = True
    saved = make_member(name="欧阳春花")
    # The data file alone, without its WAL, already holds the saved member.
    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(paths.database_path(data_dir), paths.database_path(copy))
    shutil.copy(keyring.keys_path(data_dir), keyring.keys_path(copy))
    alone = Database.open(copy, create=False)
    from desktop.models.register.service import MemberService

    assert MemberService(alone, branch.id).get(saved.id).name == "欧阳春花"
    alone.close()
