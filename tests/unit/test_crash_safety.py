# SPDX-License-Identifier: GPL-3.0-or-later
"""Killing a real writer process at random moments never loses a committed change; a full
disk is a clear message in the user's language and loses nothing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from desktop.i18n import _
from desktop.models.register.member import Member
from desktop.models.store.db import Database
from tests.unit import crash_writer

ROOT = Path(__file__).resolve().parents[2]
KILLS = 16


def start_writer(data_dir: Path, branch_id: object, first: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.unit.crash_writer",
            str(data_dir),
            str(branch_id),
            str(first),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.mark.slow
def test_killing_a_writer_at_random_points_loses_no_committed_change(db, branch, data_dir):
    db.close()
    rng = random.Random(20261123)
    reported: set[int] = set()
    first = 0
    kills_while_writing = 0
    for _round in range(KILLS):
        writer = start_writer(data_dir, branch.id, first)
        assert writer.stdout is not None
        ready = writer.stdout.readline()
        assert ready.strip() == "ready", writer.stderr.read() if writer.stderr else ready
        time.sleep(rng.uniform(0.0, 0.5))
        writer.send_signal(signal.SIGKILL)
        out, err = writer.communicate(timeout=30)
        assert writer.returncode == -signal.SIGKILL, err
        batches = [
            int(line.split()[1]) for line in out.splitlines() if line.startswith("committed ")
        ]
        kills_while_writing += bool(batches)
        reported |= set(batches)
        # The next writer starts past every batch this one may have begun.
        first = (max(batches) + 2) if batches else first + 1000

        after = Database.open(data_dir, create=False)  # the check runs below (integrity_check)
        try:
            conn = after.raw_connection()
            try:
                assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
            finally:
                conn.close()
            with after.read() as session:
                notes = session.scalars(
                    select(Member.notes).where(Member.branch_id == branch.id)
                ).all()
        finally:
            after.close()
        per_batch = Counter(int(n.removeprefix("batch-")) for n in notes)
        missing = reported - set(per_batch)
        assert not missing, f"committed batches lost after a kill: {sorted(missing)}"
        half = {b: n for b, n in per_batch.items() if n != crash_writer.PER_BATCH}
        assert not half, f"half-written transactions: {half}"
    # Many kills fell while the writer was committing, not only before its first commit.
    assert kills_while_writing >= KILLS // 3
    assert len(reported) > KILLS


KILLS_EACH = int(os.environ.get("RED_STEWARD_KILLS", "24"))


def _roster(path: Path, round_: int, rows: int) -> Path:
    """The `round_`-th roster of `rows` members no other round has."""
    lines = ["姓名,身份证号,入党时间,转正时间"]
    for n in range(rows):
        draft = crash_writer.draft(round_ * rows + n, 0)
        lines.append(f"{draft.name},{draft.id_number},1990.07,1991.07")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.slow
def test_killing_an_import_at_random_points_leaves_all_of_it_or_none(
    db, branch, data_dir, tmp_path
):
    from tests.unit import crash_ops

    db.close()
    seen = crash_ops.kill_imports(
        data_dir, branch.id, lambda n: _roster(tmp_path / f"r{n}.csv", n, 200), 200, KILLS_EACH
    )
    assert sum(seen.values()) == KILLS_EACH
    assert seen["none"] >= 1 and seen["all"] + seen["finished"] >= 1, seen


@pytest.mark.slow
def test_killing_a_restore_at_random_points_leaves_the_old_data_or_the_backup(
    db, branch, make_member, data_dir, tmp_path
):
    from desktop.models.register.service import MemberService
    from desktop.models.store import backup
    from tests.conftest import member_draft
    from tests.unit import crash_ops

    make_member()
    made = backup.backup_to_folder(db, tmp_path / "stick")
    for _n in range(3):
        make_member()
    db.close()

    def add_three(folder: Path) -> None:
        again = Database.open(folder, create=False)
        try:
            members = MemberService(again, branch.id)
            for _n in range(3):
                members.save(member_draft())
        finally:
            again.close()

    seen = crash_ops.kill_restores(data_dir, made, KILLS_EACH, add_three)
    assert seen["none"] >= 1 and sum(seen.values()) - seen["none"] >= 1, seen
    assert not (data_dir / "restore-in-progress.json").exists()


@pytest.mark.gui
def test_a_full_disk_while_saving_a_member_is_a_message_in_chinese_and_keeps_the_form(
    qtbot, db, branch, make_member
):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from sqlalchemy import event

    from desktop.models.register.service import BranchService, MemberService
    from desktop.models.store import db as dbmod
    from desktop.views.members.member_dialog import MemberDialog

    kept = make_member(phone="13900001234")
    engine = dbmod._make_engine(db.path, db._key)

    @event.listens_for(engine, "connect")
    def _full_disk(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # SQLite's limit on the file's size fails exactly as a full disk does.
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    full = Database(db.path, engine, user=db.user, key=db._key, keys=db.keys)
    members = MemberService(full, branch.id)
    branches = BranchService(full)
    dialog = MemberDialog(
        members,
        branches.party_groups(branch.id),
        branches.villager_groups(branch.id),
        members.get(kept.id),
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    long_notes = "入党积极分子培养记录，" * 3000  # more than the pages the "disk" has left
    dialog.fields["notes"].setPlainText(long_notes)
    dialog.line("phone").setText("13900009999")
    seen: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, read_and_close)
            return
        seen.append(box.text())
        box.accept()

    QTimer.singleShot(50, read_and_close)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == [
        _("The disk is full, so the change was not saved. Free some space and try again.")
    ]
    assert "磁盘已满" in seen[0]
    # Nothing typed is lost: the form stays open with the clerk's text, ready to save again.
    assert dialog.isVisible()
    assert dialog.fields["notes"].toPlainText() == long_notes
    assert dialog.line("phone").text() == "13900009999"
    full.close()
    # Nothing stored is lost either: the member is as before, and the file is sound.
    stored = MemberService(db, branch.id).get(kept.id)
    assert stored.phone == "13900001234" and stored.notes == ""
    conn = db.raw_connection()
    try:
        assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
    finally:
        conn.close()
