# SPDX-License-Identifier: GPL-3.0-or-later
"""Sign-in, first-run administrator, recovery key, roles in the window, backups, the lock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktop import errors
from desktop.i18n import _
from desktop.models.register.rows import MemberQuery
from desktop.models.register.service import MemberService
from desktop.models.store import backup, keyring
from desktop.models.store.accounts import AccountService
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials
from desktop.services import Services
from desktop.views import messages
from desktop.views.main_window import WRITE_CONTROLS, MainWindow
from desktop.views.security import security_page
from desktop.views.security.create_admin_dialog import CreateAdminDialog
from desktop.views.security.lock import InactivityWatcher
from desktop.views.security.recovery_key_dialog import RecoveryKeyDialog
from desktop.views.security.sign_in_dialog import SignInDialog
from tests.conftest import TEST_PASSWORD, TEST_USER

pytestmark = pytest.mark.gui


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def make_window(qtbot, db: Database) -> MainWindow:
    win = MainWindow(Services(db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_first_run_creates_the_administrator_and_shows_the_key_once(qtbot, data_dir):
    dialog = CreateAdminDialog(data_dir)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.user_edit, "secretary")
    qtbot.keyClicks(dialog.password_edit, "short")
    qtbot.keyClicks(dialog.repeat_edit, "short")
    click(qtbot, dialog.ok_button)
    assert "8" in dialog.error_label.text() and dialog.db is None
    dialog.password_edit.setText("secret-Pa55")
    dialog.repeat_edit.setText("secret-Pa56")
    click(qtbot, dialog.ok_button)
    assert dialog.error_label.text() == _("The two passwords differ.")
    assert not keyring.keys_path(data_dir).exists()
    dialog.repeat_edit.setText("secret-Pa55")
    click(qtbot, dialog.ok_button)
    assert dialog.result() == CreateAdminDialog.DialogCode.Accepted
    db = dialog.db
    assert db.user == keyring.Account("secretary", keyring.ADMIN)
    shown = RecoveryKeyDialog(db.recovery_key, db.user.username)
    qtbot.addWidget(shown)
    assert shown.key_label.text() == db.recovery_key
    assert not shown.ok_button.isEnabled(), "the clerk must confirm writing it down"
    shown.show()
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert shown.isVisible(), "Escape does not skip the key before it is confirmed"
    # On the box itself: the widget is wider than its box and label.
    qtbot.mouseClick(
        shown.done_check, Qt.MouseButton.LeftButton, pos=QPoint(6, shown.done_check.height() // 2)
    )
    assert shown.ok_button.isEnabled()
    assert db.recovery_key in shown.sheet_html()
    assert len(db.keys.unlock_with_recovery_key(shown.key_label.text())) == 32
    db.close()


def test_sign_in_refuses_a_wrong_password_then_opens(qtbot, db, data_dir):
    db.close()
    dialog = SignInDialog(data_dir)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.user_edit, TEST_USER)
    qtbot.keyClicks(dialog.password_edit, "wrong-password")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)
    assert dialog.db is None and dialog.result() != SignInDialog.DialogCode.Accepted
    assert dialog.error_label.text() == _("The user name or the password is wrong.")
    assert dialog.password_edit.text() == ""
    qtbot.keyClicks(dialog.password_edit, TEST_PASSWORD)
    click(qtbot, dialog.sign_in_button)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert dialog.db.user.username == TEST_USER
    dialog.db.close()


def test_sign_in_waits_after_repeated_wrong_passwords(qtbot, db, data_dir):
    db.close()
    dialog = SignInDialog(data_dir, TEST_USER)
    qtbot.addWidget(dialog)
    for _attempt in range(keyring.FREE_ATTEMPTS):
        dialog.password_edit.setText("wrong-password")
        click(qtbot, dialog.sign_in_button)
    dialog.password_edit.setText(TEST_PASSWORD)
    click(qtbot, dialog.sign_in_button)
    assert not dialog.sign_in_button.isEnabled()
    assert "秒" in dialog.error_label.text()
    assert dialog.db is None
    qtbot.waitUntil(dialog.sign_in_button.isEnabled, timeout=10_000)
    click(qtbot, dialog.sign_in_button)
    assert dialog.db is not None
    dialog.db.close()


def test_a_viewer_sees_no_write_buttons_and_saving_is_refused(
    settle, qtbot, demo_db, data_dir, monkeypatch
):
    AccountService(demo_db).add("guest", keyring.VIEWER, "guest-Pa55word!")
    demo_db.close()
    viewer_db = Database.open(data_dir, credentials=Credentials("guest", "guest-Pa55word!"))
    win = make_window(qtbot, viewer_db)
    assert win.pages  # every page, also those built only when first shown
    for name in WRITE_CONTROLS:
        found = win.findChildren(QWidget, name)
        # Every listed control exists (a renamed button fails here) and is hidden for good,
        # not just invisible because its page is not the current one.
        assert found and all(w.isHidden() for w in found), name
    assert not win.import_action.isVisible() and not win.import_households_action.isVisible()
    assert "guest" in win.user_label.text()
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(str(error)))
    page = win.members_page
    page.table.selectRow(0)
    row = page.selected_row()
    dialog = page.open_dialog(row)
    dialog.line("phone").setText("13800001111")
    click(qtbot, dialog.save_button)
    settle()
    assert (
        shown
        and _(
            "Your account may only look at the data, not change it. "
            "Ask the administrator for a clerk's account."
        )
        in shown[0]
    )
    assert page.members.get(row.id).phone == row.phone
    assert not win.security_page.restore_button.isEnabled()
    assert not win.security_page.add_account_button.isEnabled()
    dialog.close()
    viewer_db.close()


def test_backup_from_the_page_and_restore_request(qtbot, settle, demo_db, tmp_path, monkeypatch):
    win = make_window(qtbot, demo_db)
    page = win.security_page
    win.show_page("security")
    assert win.backup_label.text() == "上次备份：尚无"
    with qtbot.waitSignal(page.ops.changed, timeout=15000):
        page.backup_to(tmp_path / "stick")
    [made] = list((tmp_path / "stick").glob("*.rsbackup"))
    assert "尚无" not in win.backup_label.text()
    monkeypatch.setattr(security_page, "ask_password", lambda *a: TEST_PASSWORD)
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda p, t, text: asked.append(text) or True)
    with qtbot.waitSignal(page.restore_requested, timeout=10_000) as requested:
        page.restore_from(made)
    assert "的备份（60名党员）" in asked[0], asked
    assert requested.args[0] == made and requested.args[1].username == TEST_USER
    monkeypatch.setattr(security_page, "ask_password", lambda *a: "wrong-password")
    errors_shown: list[BaseException] = []
    monkeypatch.setattr(messages, "show_error", lambda p, e: errors_shown.append(e))
    page.restore_from(made)
    settle()
    assert isinstance(errors_shown[0], errors.WrongPassword)


def test_the_page_shows_the_retention_policy_and_the_space_used(qtbot, demo_db):
    win = make_window(qtbot, demo_db)
    page = win.security_page
    assert "14" in page.policy_label.text() and "12" in page.policy_label.text()
    assert "0 MB" in page.policy_label.text() or "0.0 MB" in page.policy_label.text()
    backup.take_automatic_backup(demo_db, "import")
    page.refresh()
    size = backup.space_used(demo_db.path.parent)
    assert size > 0
    assert f"{size / 1e6:.1f} MB" in page.policy_label.text()
    assert "每天" in page.policy_label.text()


def test_the_restore_dialog_lists_the_backups_and_says_what_each_would_lose(
    qtbot, settle, demo_db, monkeypatch
):
    daily = backup.take_automatic_backup(demo_db, "daily")
    win = make_window(qtbot, demo_db)
    page = win.security_page
    members = MemberService(demo_db, win.branch.id)
    members.remove(members.page(MemberQuery(), 0, 1)[0].id)
    dialog = page.restore_dialog()
    qtbot.addWidget(dialog)
    [text] = [dialog.backup_list.item(i).text() for i in range(dialog.backup_list.count())]
    assert "，每日，60 名党员" in text and "党员：删除 1" in text
    assert not dialog.restore_button.isEnabled()
    dialog.backup_list.setCurrentRow(0)
    assert dialog.restore_button.isEnabled()
    click(qtbot, dialog.restore_button)
    assert dialog.chosen == daily
    monkeypatch.setattr(security_page, "ask_password", lambda *a: TEST_PASSWORD)
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda p, t, text: asked.append(text) or False)
    page.restore_from(daily)  # checked off the GUI thread
    settle()
    assert len(asked) == 1 and "之后的更改将丢失" in asked[0] and "党员：删除 1" in asked[0]


def test_accounts_are_added_from_the_page(qtbot, settle, demo_db):
    win = make_window(qtbot, demo_db)
    page = win.security_page
    page.add_account("clerk2", keyring.CLERK, "clerk-Pa55word!")
    settle()
    texts = [page.account_list.item(i).text() for i in range(page.account_list.count())]
    assert any(t.startswith("clerk2") and "文书" in t for t in texts)
    assert backup.last_backup(demo_db.path.parent) is None


def test_the_window_locks_when_idle_and_unlocks_with_the_password(qtbot, demo_db):
    win = make_window(qtbot, demo_db)
    watcher = InactivityWatcher(10)
    watcher.timer.setInterval(50)
    results: list[bool] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert dialog is not None and dialog.objectName() == "unlock_dialog"
        assert not win.centralWidget().isVisible(), "the data is hidden while locked"
        dialog.password_edit.setText("wrong-password")
        dialog.sign_in_button.click()
        assert dialog.isVisible()
        dialog.password_edit.setText(TEST_PASSWORD)
        dialog.sign_in_button.click()

    watcher.idle.connect(lambda: QTimer.singleShot(100, answer))
    watcher.idle.connect(lambda: results.append(win.lock()))
    watcher.timer.start()
    qtbot.waitUntil(lambda: results == [True], timeout=10_000)
    assert win.centralWidget().isVisible()
    watcher.stop()


def test_the_user_name_is_remembered_never_the_password(qtbot, db, data_dir):
    from PySide6.QtCore import QSettings

    db.close()
    first = SignInDialog(data_dir)
    qtbot.addWidget(first)
    assert first.user_edit.text() == ""
    first.user_edit.setText(TEST_USER)
    first.password_edit.setText(TEST_PASSWORD)
    click(qtbot, first.sign_in_button)
    assert first.db is not None
    first.db.close()

    again = SignInDialog(data_dir)  # the next start
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert again.user_edit.text() == TEST_USER and again.password_edit.text() == ""
    assert again.focusWidget() is again.password_edit
    settings = QSettings("RedSteward", "red-steward")
    assert all(TEST_PASSWORD not in str(settings.value(key)) for key in settings.allKeys())


def test_one_dialog_adds_an_account_with_the_password_confirmed(qtbot, settle, demo_db):
    from desktop.views.security.account_dialog import AccountDialog

    win = make_window(qtbot, demo_db)
    page = win.security_page
    win.show_page("security")
    page.add_account_button.click()
    dialog = page.findChild(AccountDialog, "account_dialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.role_combo.currentData() == keyring.CLERK
    dialog.user_edit.setText("guest2")
    dialog.role_combo.setCurrentIndex(dialog.role_combo.findData(keyring.VIEWER))
    dialog.password_edit.setText("guest-Pa55word!")
    dialog.repeat_edit.setText("guest-Pa55word?")
    dialog.save_button.click()
    settle()
    assert dialog.isVisible() and dialog.error_label.text() == "两次输入的密码不一致。"
    assert "guest2" not in {a.username for a in page.accounts.list()}
    dialog.repeat_edit.setText("guest-Pa55word!")
    qtbot.keyClick(dialog.repeat_edit, Qt.Key.Key_Return)
    settle()
    assert not dialog.isVisible()
    added = {a.username: a.role for a in page.accounts.list()}
    assert added["guest2"] == keyring.VIEWER
