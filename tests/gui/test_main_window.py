# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desktop import i18n
from desktop.i18n import format_date
from desktop.models.register.service import BranchService, MemberService
from desktop.services import Services
from desktop.views import ui_state
from desktop.views.main_window import MainWindow
from desktop.views.qtmodels.member_table_model import MemberTableModel

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, demo_db):  # type: ignore[no-untyped-def]
    win = MainWindow(Services(demo_db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_status_bar_shows_branch_user_and_pending_changes(window):
    assert "红旗村党支部" in window.branch_label.text()
    assert any(ch.isdigit() for ch in window.pending_label.text())
    assert window.backup_label.text() and window.sync_label.text()


def test_only_the_first_page_is_built_at_start_and_each_other_when_first_shown(window):
    assert window.built_pages() == ["members"]
    window.show_page("audit")
    assert window.built_pages() == ["members", "audit"]
    assert window.stack.currentWidget() is window.audit_page
    assert window.stack.count() == window.navigation.count()
    window.show_page("members")
    assert window.stack.currentWidget() is window.members_page


def test_navigation_switches_pages_from_the_keyboard(qtbot, window):
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert window.stack.currentWidget() is window.groups_page
    groups = window.groups_page.group_model.rows()
    assert len(groups) == 12
    assert all(g.member_count == 5 for g in groups)
    assert all(g.steward_name for g in groups)


def test_group_page_lists_the_members_of_the_selected_group(qtbot, window):
    page = window.groups_page
    page.group_table.selectRow(2)
    rows = [page.member_model.row_at(r) for r in range(page.member_model.rowCount())]
    assert len(rows) == 5
    assert {r.party_group_name for r in rows} == {"第三党小组"}


def test_language_choice_persists(qtbot, window):
    with qtbot.waitSignal(window.language_change_requested, timeout=10_000) as signal:
        window.settings_page.language_combo.setCurrentIndex(
            window.settings_page.language_combo.findData("en")
        )
    assert signal.args == ["en"]
    assert ui_state.language() == "en"
    ui_state.set_language("zh_CN")


def test_member_table_model_is_a_valid_qt_model(qtmodeltester, demo_db):
    branch = BranchService(demo_db).current()
    model = MemberTableModel(MemberService(demo_db, branch.id))
    qtmodeltester.check(model)
    assert model.rowCount() == 60


def test_headers_follow_the_language(demo_db):
    branch = BranchService(demo_db).current()
    model = MemberTableModel(MemberService(demo_db, branch.id))
    i18n.set_language("en")
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    i18n.set_language("zh_CN")
    assert model.headerData(0, Qt.Orientation.Horizontal) != "Name"


# ---------------------------------------------------------------------- one bus, no stale pages


def _rows(model):  # type: ignore[no-untyped-def]
    return [model.row_at(r) for r in range(model.rowCount())]


def test_ending_an_appointment_clears_the_group_steward_on_the_groups_page(
    qtbot, window, settle, monkeypatch
):
    from desktop.views import messages

    stewards = window.stewards_page
    ended = next(r for r in _rows(stewards.model) if r.role == "group")
    group = next(g for g in window.groups_page.group_model.rows() if g.id == ended.party_group_id)
    assert group.steward_name == ended.name
    stewards.table.selectRow(_rows(stewards.model).index(ended))
    monkeypatch.setattr(messages, "confirm", lambda *a: True)
    stewards.end_appointment()
    settle()

    group = next(g for g in window.groups_page.group_model.rows() if g.id == ended.party_group_id)
    assert group.steward_name != ended.name


def test_renaming_a_member_shows_the_new_name_on_the_stewards_page(qtbot, window, settle):
    steward = next(r for r in _rows(window.stewards_page.model) if r.role == "group")
    members = window.members_page
    members.filter_edit.setText(steward.name)
    members.apply_filter()
    row = next(r for r in _rows(members.model) if r.id == steward.member_id)
    dialog = members.open_dialog(row)
    qtbot.addWidget(dialog)
    dialog.line("name").setText("王新名")
    dialog.save_button.click()
    settle()

    assert not dialog.isVisible()
    names = [r.name for r in _rows(window.stewards_page.model)]
    assert "王新名" in names
    assert steward.name not in names
    # The team list offers the member by the new name too.
    picker = window.stewards_page.member_picker
    assert "王新名" in [c.name for c in picker.search("王新名")]


def test_a_refused_save_keeps_the_dialog_open_with_the_problem_by_its_field(qtbot, window, settle):
    dialog = window.members_page.open_dialog(None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.line("name").setText("李四")
    dialog.line("id_number").setText("430121196001011234")  # a wrong check digit
    dialog.save_button.click()
    settle()

    assert dialog.isVisible()
    assert dialog.errors["id_number"].text()
    assert dialog.save_button.isEnabled()


# ---------------------------------------------------------------------- the status bar


def test_the_status_bar_shows_the_last_sync_and_the_changes_no_peer_has(qtbot, tmp_path, settle):
    import datetime as dt

    from desktop.i18n import _
    from desktop.views import ops
    from tests.conftest import member_draft
    from tests.sync.conftest import Node, pair

    office, laptop = Node(tmp_path, "office"), Node(tmp_path, "laptop")
    try:
        BranchService(office.db).create("测试村党支部", "青山镇", "临江县")
        services = Services(office.db)
        MemberService(office.db, services.branch_id).save(member_draft())
        win = MainWindow(services)
        qtbot.addWidget(win)
        made = services.branches.pending_changes()
        assert made > 0
        assert win.sync_label.text() == _("Last sync: never")
        assert win.pending_label.text() == _("Changes waiting to sync: {n}").format(n=made)

        pair(office, laptop)
        office.send(laptop)  # sent, but the laptop has not said yet that it holds them
        win.update_status()
        assert format_date(dt.date.today()) in win.sync_label.text()
        assert win.pending_label.text() == _("Changes waiting to sync: {n}").format(n=made)

        laptop.send(office)  # its bundle carries what it holds: everything made here
        win.update_status()
        assert win.pending_label.text() == _("Changes waiting to sync: {n}").format(n=0)

        # A change made in the window is counted as soon as it is made.
        win.ops.run(
            win, lambda: services.branches.add_party_group(services.branch_id), {ops.GROUPS}
        )
        settle()
        waiting = services.branches.pending_changes()
        assert waiting > 0
        assert win.pending_label.text() == _("Changes waiting to sync: {n}").format(n=waiting)
    finally:
        office.close()
        laptop.close()


def test_help_about_names_the_program_and_its_version(qtbot, window):
    from desktop import __version__

    assert window.help_menu.title() == "帮助(&H)"
    window.about_action.trigger()
    box = window.findChild(QMessageBox, "about_box")
    assert box is not None and box.isVisible()
    assert box.windowTitle() == "关于红色管家"
    assert __version__ in box.text() and "红色管家" in box.text()
    box.accept()
