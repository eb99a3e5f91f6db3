# SPDX-License-Identifier: GPL-3.0-or-later
"""The backup after an import (issue #22): the result first, then the backup in the background,
and the window does not close before it is written."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from desktop.models.register.member import Member
from desktop.models.store import backup
from desktop.models.store.keyring import Credentials
from desktop.services import Services
from desktop.tabular.readers import read_workbook
from desktop.views import tasks
from desktop.views.main_window import MainWindow
from desktop.views.sync.sync_page import SyncPage
from tests.conftest import TEST_PASSWORD
from tests.tabular import rosters

pytestmark = pytest.mark.gui


def _reasons(folder) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.reason for b in backup.automatic_backups(folder)]


def test_the_sync_page_shows_the_import_then_backs_it_up(settle, qtbot, replicas):
    office, laptop = replicas
    page = SyncPage(laptop.sync)
    qtbot.addWidget(page)
    seen: list[tuple[str, list[str]]] = []
    # When the backup starts, the clerk reads the summary already, and no backup holds it yet.
    page.ops.backing_up.connect(
        lambda _note: seen.append((page.result_label.text(), _reasons(laptop.folder)))
    )

    page.import_file(office.bundle_for(laptop))
    settle(90_000)
    [(shown, reasons)] = seen
    assert "新增" in shown
    assert reasons == ["sync"], "the backup before, not yet the one after"
    newest, before = backup.automatic_backups(laptop.folder)[:2]
    assert (newest.reason, before.reason) == ("synced", "sync")
    with office.db.read() as session:
        members = session.scalar(select(func.count()).select_from(Member))
    li = Credentials("li", TEST_PASSWORD)  # the laptop's clerk (`replicas`)
    assert backup.verify_backup(newest.path, li).members == members > 0
    assert backup.verify_backup(before.path, li).members == 0


def _import_through_the_window(qtbot, window, tmp_path):  # type: ignore[no-untyped-def]
    number = rosters.id_number(*rosters.GOOD_A[1:])
    book = tmp_path / "r.csv"
    book.write_text(f"姓名,身份证号,入党时间,转正时间\n王建国,{number},1990.07,1991.07\n")
    tabular = window.services.tabular
    plan = tabular.preview(read_workbook(book))
    window.ops.run(window, lambda: tabular.commit(plan), {"members"})


def test_the_window_notes_the_backup_and_waits_for_it_when_it_closes(qtbot, db, branch, tmp_path):
    window = MainWindow(Services(db))
    qtbot.addWidget(window)
    gate = threading.Event()

    def hold_the_backup(_note: str) -> None:
        # Runs before the backup is queued: the database thread is busy until the gate opens.
        tasks.run_task(lambda _p, _c: gate.wait(30), lambda _r: None, lambda _e: None)
        threading.Timer(0.5, gate.set).start()

    window.ops.backing_up.connect(hold_the_backup)
    _import_through_the_window(qtbot, window, tmp_path)
    qtbot.waitUntil(window.ops.backing_up_now, timeout=10_000)
    assert window.backup_label.text() == "正在备份刚才的更改…"
    assert _reasons(db.path.parent) == ["import"], "the import is shown before its backup"

    window.close()  # waits for the backup
    assert _reasons(db.path.parent)[:2] == ["imported", "import"]
    assert not window.ops.backing_up_now()
    assert window.backup_label.text().startswith("上次备份")
