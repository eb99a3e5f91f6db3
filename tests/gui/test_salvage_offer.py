# SPDX-License-Identifier: GPL-3.0-or-later
"""A damaged data file found after the window opens: "Salvage data…" beside "Restore a
backup…", the summary before anything is replaced, the damaged file kept."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import text

from desktop import paths
from desktop.models.store import backup
from desktop.models.store.db import Database
from desktop.views import app as app_module
from desktop.views.app import Application
from desktop.views.tasks import db_pool
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.gui


def _when_shown(name: str, act: Callable[[QWidget], object]) -> None:
    """When the modal dialog `name` shows, `act` on it (polled: it runs its own event loop)."""
    dialog = QApplication.activeModalWidget()
    if dialog is None or dialog.objectName() != name:
        QTimer.singleShot(50, lambda: _when_shown(name, act))
        return
    act(dialog)


def _damaged_application(qapp, db, data_dir, make_member):  # type: ignore[no-untyped-def]
    for _ in range(30):
        make_member(notes="备注" * 200)
    backup.take_automatic_backup(db, "daily")
    for _ in range(10):
        make_member(notes="后来" * 200)
    conn = db.raw_connection()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db.close()
    path = paths.database_path(data_dir)
    pages = path.stat().st_size // 4096
    with path.open("r+b") as fh:
        fh.seek(pages // 2 * 4096)
        fh.write(b"\xa5" * 4096 * 3)
    return Application(qapp, Database.open(data_dir))


def test_damage_offers_salvage_and_shows_the_summary_before_replacing(
    qapp, qtbot, data_dir, branch, make_member, db, monkeypatch
):  # type: ignore[no-untyped-def]
    application = _damaged_application(qapp, db, data_dir, make_member)
    damaged_db = application.db
    damaged_bytes = damaged_db.path.read_bytes()
    monkeypatch.setattr(app_module, "ask_password", lambda *a: TEST_PASSWORD)
    seen: dict[str, str] = {}

    def choose_salvage(box: QWidget) -> None:
        seen["offer"] = box.text()  # type: ignore[attr-defined]
        seen["buttons"] = " ".join(b.text() for b in box.buttons())  # type: ignore[attr-defined]
        box.salvage_button.click()  # type: ignore[attr-defined]

    def use_it(dialog: QWidget) -> None:
        seen["summary"] = dialog.summary_text.toPlainText()  # type: ignore[attr-defined]
        assert damaged_db.path.read_bytes() == damaged_bytes  # nothing replaced while shown
        dialog.use_button.click()  # type: ignore[attr-defined]

    _when_shown("damage_box", choose_salvage)
    _when_shown("salvage_dialog", use_it)
    try:
        application.check_integrity()
        qtbot.waitUntil(lambda: application.db is not damaged_db, timeout=60_000)
        qtbot.waitUntil(lambda: application.window is not None, timeout=10_000)
    finally:
        application.watcher.stop()
        application.backup_timer.stop()
        db_pool().waitForDone(30_000)

    assert "已损坏" in seen["offer"]
    assert "抢救数据" in seen["buttons"] and "恢复" in seen["buttons"]
    assert "党员" in seen["summary"] and "备份" in seen["summary"]
    [aside] = paths.backup_dir(data_dir).glob("before-salvage-*")
    assert (aside / damaged_db.path.name).read_bytes() == damaged_bytes
    application.db.check_integrity()
    assert "抢救" in application.window.message_label.text()
    application.window.close()
    application.db.close()


def test_declining_the_summary_replaces_nothing(
    qapp, qtbot, data_dir, branch, make_member, db, monkeypatch
):  # type: ignore[no-untyped-def]
    application = _damaged_application(qapp, db, data_dir, make_member)
    damaged_db = application.db
    damaged_bytes = damaged_db.path.read_bytes()
    monkeypatch.setattr(app_module, "ask_password", lambda *a: TEST_PASSWORD)
    declined: list[bool] = []

    def decline(dialog: QWidget) -> None:
        dialog.reject()  # type: ignore[attr-defined]
        declined.append(True)

    _when_shown("damage_box", lambda box: box.salvage_button.click())  # type: ignore[attr-defined]
    _when_shown("salvage_dialog", decline)
    try:
        application.check_integrity()
        qtbot.waitUntil(lambda: bool(declined), timeout=60_000)
        qtbot.waitUntil(
            lambda: not (data_dir / (damaged_db.path.name + ".salvaged")).exists(), timeout=10_000
        )
    finally:
        application.watcher.stop()
        application.backup_timer.stop()
        db_pool().waitForDone(30_000)
        damaged_db.close()
    assert application.db is damaged_db
    assert damaged_db.path.read_bytes() == damaged_bytes
    assert not list(paths.backup_dir(data_dir).glob("before-salvage-*"))


def test_a_file_that_cannot_be_opened_offers_salvage_at_sign_in(
    qtbot, data_dir, branch, make_member, db
):  # type: ignore[no-untyped-def]
    from desktop.views.security.sign_in_dialog import SignInDialog

    for _ in range(5):
        make_member()
    with db.read() as session:
        names = {m.name for m in session.execute(text("SELECT name FROM member"))}
    conn = db.raw_connection()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'alembic_version'"
    ).fetchone()
    conn.close()
    db.close()
    path = paths.database_path(data_dir)
    with path.open("r+b") as fh:  # the page opening reads first: the file cannot be opened
        fh.seek((root - 1) * 4096)
        fh.write(b"\xa5" * 4096)
    damaged_bytes = path.read_bytes()

    dialog = SignInDialog(data_dir, "admin")
    qtbot.addWidget(dialog)
    assert dialog.salvage_button.isHidden()
    dialog.password_edit.setText(TEST_PASSWORD)
    dialog.sign_in_button.click()
    assert "已损坏" in dialog.error_label.text()
    assert not dialog.salvage_button.isHidden()
    assert "抢救数据" in dialog.salvage_button.text()

    shown: list[str] = []

    def use_it(salvage_dialog: QWidget) -> None:
        shown.append(salvage_dialog.summary_text.toPlainText())  # type: ignore[attr-defined]
        salvage_dialog.use_button.click()  # type: ignore[attr-defined]

    _when_shown("salvage_dialog", use_it)
    dialog.salvage_button.click()
    assert shown and "党员" in shown[0]
    assert dialog.db is not None
    try:
        with dialog.db.read() as session:
            assert {m.name for m in session.execute(text("SELECT name FROM member"))} == names
    finally:
        dialog.db.close()
    [aside] = paths.backup_dir(data_dir).glob("before-salvage-*")
    assert (aside / path.name).read_bytes() == damaged_bytes
