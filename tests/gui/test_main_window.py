# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop import i18n
from desktop.models.register.service import BranchService, MemberService
from desktop.views import ui_state
from desktop.views.main_window import MainWindow
from desktop.views.qtmodels.member_table_model import MemberTableModel

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, demo_db):  # type: ignore[no-untyped-def]
    branches = BranchService(demo_db)
    branch = branches.current()
    win = MainWindow(branches, MemberService(demo_db, branch.id), branch)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_status_bar_shows_branch_user_and_pending_changes(window):
    assert "红旗村党支部" in window.branch_label.text()
    assert any(ch.isdigit() for ch in window.pending_label.text())
    assert window.backup_label.text() and window.sync_label.text()


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
    with qtbot.waitSignal(window.language_change_requested, timeout=2000) as signal:
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
