# SPDX-License-Identifier: GPL-3.0-or-later
"""Backups stream the data file: a county-size file never sits in memory whole."""

from __future__ import annotations

import os
import time
import tracemalloc

import pytest

from desktop import errors
from desktop.models.store import backup
from desktop.models.store.keyring import Credentials
from tests.conftest import TEST_PASSWORD, TEST_USER


def test_taking_verifying_and_restoring_a_backup_holds_no_whole_copy_in_memory(
    db, branch, make_member, data_dir, tmp_path
):
    for n in range(60):
        make_member(notes=f"{n}" + "备注" * 20_000)  # about 120 KB each: a file of several MB
    size = db.path.stat().st_size
    assert size > 4_000_000
    tracemalloc.start()
    try:
        made = backup.take_backup(db, "manual")
        assert made is not None
        taken = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        credentials = Credentials(TEST_USER, TEST_PASSWORD)
        info = backup.verify_backup(made, credentials)
        verified = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        db.close()
        backup.restore_backup(made, data_dir, credentials)
        restored = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.members == 60
    limit = backup.CHUNK * 2 + 500_000
    assert taken < limit and verified < limit and restored < limit, (size, taken, verified)


def test_a_backup_cut_short_is_refused(db, branch, make_member, tmp_path):
    make_member()
    made = backup.take_backup(db, "manual")
    assert made is not None
    made.write_bytes(made.read_bytes()[:-100])
    with pytest.raises(errors.BackupInvalid):
        backup.check_backup(made)


def test_what_a_backup_cut_short_left_is_removed_at_the_next_backup(db, data_dir):
    """A killed backup leaves its scratch copy or temp file, as large as the data file; the
    next backup removes such leftovers once they are too old to be a backup in progress."""
    from desktop import paths

    folder = paths.backup_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    old_scratch = folder / ".red-steward-backup-abc123"
    old_scratch.mkdir()
    (old_scratch / "copy.sqlite3").write_bytes(b"x" * 1000)
    old_temp = folder / "auto-daily-20261201.rsbak.tmp"
    old_temp.write_bytes(b"y" * 1000)
    fresh_temp = folder / "auto-import-20261207.rsbak.tmp"  # perhaps another backup running now
    fresh_temp.write_bytes(b"z")
    stale = time.time() - backup.LEFTOVER_AGE.total_seconds() - 60
    for path in (old_scratch, old_temp):
        os.utime(path, (stale, stale))

    assert backup.take_backup(db, "manual") is not None

    assert not old_scratch.exists() and not old_temp.exists()
    assert fresh_temp.exists()
    assert not list(folder.glob(".red-steward-backup-*")), "the backup's own scratch is gone too"
