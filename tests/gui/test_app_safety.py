# SPDX-License-Identifier: GPL-3.0-or-later
"""The application's safety wiring: the inactivity lock, the daily backup while it stays open,
and the automatic backup other areas take before an import or a sync."""

from __future__ import annotations

import errno
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from desktop import errors
from desktop.models.store import backup, keyring
from desktop.models.store.keyring import Credentials
from desktop.views.app import Application
from desktop.views.tasks import db_pool
from tests.conftest import TEST_PASSWORD, TEST_USER, member_draft

pytestmark = pytest.mark.gui


@pytest.fixture
def application(qapp, demo_db):  # type: ignore[no-untyped-def]
    application = Application(qapp, demo_db)
    application.show_window()
    yield application
    application.watcher.stop()
    application.backup_timer.stop()
    db_pool().waitForDone(30_000)  # a backup in flight ends before the database closes
    if application.window is not None:
        application.window.close()


@pytest.mark.slow
def test_activity_postpones_the_lock_and_idleness_locks_until_the_password(qtbot, application):
    win = application.window
    qtbot.waitExposed(win)
    watcher = application.watcher
    watcher.timer.setInterval(1500)  # generous: a busy test machine may pause between events
    locked: list[bool] = []
    watcher.idle.connect(lambda: locked.append(True))
    watcher.timer.start()
    # Keep using the window for longer than the lock time: it must not lock meanwhile.
    for step in range(30):
        qtbot.wait(80)
        qtbot.mouseMove(win.navigation, QPoint(10 + step, 10))
        qtbot.keyClick(win.navigation, Qt.Key.Key_Down if step % 2 else Qt.Key.Key_Up)
    assert not locked, "the window locked although it was in use"
    assert win.centralWidget().isVisible()

    seen: list[str] = []

    def unlock() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "unlock_dialog":
            QTimer.singleShot(50, unlock)
            return
        seen.append("hidden" if not win.centralWidget().isVisible() else "shown")
        assert dialog.user_edit.text() == TEST_USER and dialog.user_edit.isReadOnly()
        dialog.password_edit.setText(TEST_PASSWORD)
        dialog.sign_in_button.click()

    QTimer.singleShot(50, unlock)
    qtbot.waitUntil(lambda: len(locked) == 1 and bool(seen), timeout=10_000)
    qtbot.waitUntil(lambda: win.centralWidget().isVisible(), timeout=10_000)
    assert seen == ["hidden"], "the data was visible while the window was locked"
    assert win.isVisible()


def test_the_lock_time_chosen_on_the_page_applies_and_is_kept(qtbot, application):
    from desktop.views import ui_state

    combo = application.window.security_page.lock_combo
    combo.setCurrentIndex(combo.findData(0))  # never
    assert application.watcher.minutes == 0
    assert not application.watcher.timer.isActive()
    assert ui_state.lock_minutes() == 0
    combo.setCurrentIndex(combo.findData(5))
    assert application.watcher.timer.isActive()
    assert application.watcher.timer.interval() == 5 * 60_000
    assert ui_state.lock_minutes() == 5


def test_the_daily_backup_is_taken_while_the_app_stays_open(qtbot, application, demo_db):
    folder = demo_db.path.parent
    assert backup.last_backup(folder) is None
    assert "尚无" in application.window.backup_label.text()
    application.backup_timer.setInterval(50)
    # Taken off the GUI thread; the status bar says so when it is done.
    qtbot.waitUntil(lambda: "尚无" not in application.window.backup_label.text(), timeout=10_000)
    application.backup_timer.stop()
    [daily] = backup.auto_backups(folder)
    assert daily.name.endswith("-daily.rsbackup")
    application.backup_if_due()  # within the day: nothing more
    qtbot.waitUntil(lambda: not application.backup_running, timeout=10_000)
    assert backup.auto_backups(folder) == [daily]
    info = backup.verify_backup(daily, Credentials(TEST_USER, TEST_PASSWORD))
    assert info.reason == "daily" and info.members > 0


def test_an_automatic_backup_before_an_import_or_a_sync(demo_db, monkeypatch):
    folder = demo_db.path.parent
    made = backup.take_automatic_backup(demo_db, "import")
    assert made.parent == backup.auto_backups(folder)[0].parent
    assert made.name.endswith("-import.rsbackup")
    assert backup.verify_backup(made, Credentials(TEST_USER, TEST_PASSWORD)).reason == "import"
    assert backup.last_backup(folder) is not None
    with pytest.raises(ValueError):
        backup.take_automatic_backup(demo_db, "../../etc")

    def full(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(keyring.os, "replace", full)
    with pytest.raises(errors.DiskFull):
        backup.take_automatic_backup(demo_db, "sync")
    assert [p.name for p in backup.auto_backups(folder)] == [made.name]


def _unlock_when_asked(while_locked: Callable[[], object]) -> None:
    """When the unlock dialog shows, note what is visible (`while_locked`), then unlock."""
    unlock_dialog = QApplication.activeModalWidget()
    if unlock_dialog is None or unlock_dialog.objectName() != "unlock_dialog":
        QTimer.singleShot(50, lambda: _unlock_when_asked(while_locked))
        return
    while_locked()
    unlock_dialog.password_edit.setText(TEST_PASSWORD)
    unlock_dialog.sign_in_button.click()


@pytest.mark.slow
def test_locking_covers_an_open_member_dialog_and_keeps_what_was_typed(qtbot, application):
    win = application.window
    qtbot.waitExposed(win)
    page = win.members_page
    page.table.selectRow(0)
    dialog = page.open_dialog(page.selected_row())
    dialog.open()
    qtbot.waitExposed(dialog)
    dialog.line("phone").setText("13812345678")
    during: list[tuple[bool, bool]] = []
    _unlock_when_asked(
        lambda: during.append((dialog.line("phone").isVisible(), dialog.isVisible()))
    )
    assert win.lock()
    assert during == [(False, True)], "the member's data showed while the window was locked"
    assert dialog.isVisible() and dialog.line("phone").isVisible()
    assert dialog.line("phone").text() == "13812345678"
    dialog.done(QDialog.DialogCode.Rejected)  # what was typed is not asked about here


def test_locking_covers_a_dialog_that_has_no_parent(qtbot, application):
    win = application.window
    qtbot.waitExposed(win)
    stray = QDialog()  # as a message box opened with no parent would be
    qtbot.addWidget(stray)
    shown = QLabel("110101199003070012", stray)
    stray.show()
    qtbot.waitExposed(stray)
    during: list[bool] = []
    _unlock_when_asked(lambda: during.append(shown.isVisible()))
    assert win.lock()
    assert during == [False], "a parentless dialog showed an ID number while locked"
    assert shown.isVisible()


def test_restore_from_the_page_swaps_the_data_and_keeps_the_current_aside(
    qtbot, application, demo_db, tmp_path, monkeypatch
):
    import dataclasses

    from desktop import paths
    from desktop.models.register.service import MemberService
    from desktop.views import messages
    from desktop.views.security import security_page

    folder = demo_db.path.parent
    win = application.window
    branch = application.branches.current()
    members = MemberService(demo_db, branch.id)
    draft = member_draft(name="赵红梅", phone="13900005555")
    first = members.save(draft)
    made = backup.backup_to_folder(demo_db, tmp_path / "stick")
    members.save(dataclasses.replace(draft, phone="13811112222"), first.id)
    assert members.get(first.id).phone == "13811112222"

    monkeypatch.setattr(security_page, "ask_password", lambda *a: TEST_PASSWORD)
    monkeypatch.setattr(messages, "confirm", lambda *a: True)
    win.security_page.restore_from(made)
    qtbot.waitUntil(lambda: application.window is not win, timeout=10_000)

    assert application.db is not demo_db
    assert application.window is not win
    restored = MemberService(application.db, branch.id).get(first.id)
    assert restored.phone == first.phone != "13811112222"
    [aside] = paths.backup_dir(folder).glob("before-restore-*")
    assert (aside / paths.database_path(folder).name).exists()
    assert (aside / keyring.keys_path(folder).name).exists()
    assert application.window.message_label.text() == "备份已恢复。"
    assert application.window.security_page.isVisible()
    application.db.close()


def test_ctrl_l_locks_at_once_until_the_password(qtbot, application):
    win = application.window
    qtbot.waitExposed(win)
    win.activateWindow()
    during: list[bool] = []
    _unlock_when_asked(lambda: during.append(win.centralWidget().isVisible()))
    qtbot.keyClick(win, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(during), timeout=10_000)
    assert during == [False], "the data showed while the window was locked"
    qtbot.waitUntil(win.centralWidget().isVisible, timeout=10_000)
    assert win.isVisible()


def test_damage_is_found_after_the_window_opens_and_said_in_plain_words(
    qapp, qtbot, data_dir, branch, make_member, db, monkeypatch
):  # type: ignore[no-untyped-def]
    """Opening no longer runs the integrity check (most of a county file's start); the
    application runs it in the background and shows what it finds."""
    from desktop import paths
    from desktop.models.store.db import Database
    from desktop.views import app as app_module
    from desktop.views import messages

    for _ in range(30):
        make_member(notes="备注" * 200)
    conn = db.raw_connection()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db.close()
    path = paths.database_path(data_dir)
    raw = bytearray(path.read_bytes())
    for offset in range(4096 * 3, min(len(raw), 4096 * 8)):
        raw[offset] = 0xA5
    path.write_bytes(bytes(raw))
    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    offered: list[str] = []  # an administrator is offered salvage beside restore
    monkeypatch.setattr(
        app_module.DamageBox, "ask", classmethod(lambda cls, parent, text: offered.append(text))
    )
    damaged = Database.open(data_dir)  # opens at once: the check comes after
    application = Application(qapp, damaged)
    try:
        application.check_integrity()
        qtbot.waitUntil(lambda: bool(shown or offered), timeout=30_000)
    finally:
        application.watcher.stop()
        application.backup_timer.stop()
        damaged.close()
    assert not shown
    assert offered == [errors.DatabaseDamaged(path).message]
