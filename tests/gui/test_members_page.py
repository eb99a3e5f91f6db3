# SPDX-License-Identifier: GPL-3.0-or-later
"""The register driven as a clerk drives it: type, open the dialog, fix, save, remove, undo."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent, QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.i18n import _
from desktop.models.register import validation
from desktop.models.register.service import BranchService, MemberService
from desktop.tabular.service import TabularService
from desktop.views import messages
from desktop.views.members.member_page import MembersPage

pytestmark = pytest.mark.gui


def type_chinese(widget: QLineEdit, text: str) -> None:
    """Commit text as an input method does (keyClicks cannot send Chinese)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def page(qtbot, demo_db):  # type: ignore[no-untyped-def]
    branches = BranchService(demo_db)
    branch = branches.current()
    widget = MembersPage(
        MemberService(demo_db, branch.id),
        branches,
        TabularService(demo_db, branch.id),
        QUndoStack(),
    )
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def visible_names(page: MembersPage) -> list[str]:
    return [page.model.row_at(r).name for r in range(page.model.rowCount())]


def test_typing_in_the_filter_narrows_the_register(qtbot, page):
    assert page.model.rowCount() == 60
    qtbot.keyClick(page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.filter_edit.hasFocus()
    some = page.model.row_at(7)
    qtbot.keyClicks(page.filter_edit, some.phone[-5:])
    qtbot.waitUntil(lambda: page.model.rowCount() < 60, timeout=10_000)
    assert some.name in visible_names(page)
    page.filter_edit.clear()
    type_chinese(page.filter_edit, "第三党小组")
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=10_000)
    assert page.count_label.text() == _("{n} members").format(n=5) or "5" in page.count_label.text()


def test_new_member_shows_errors_next_to_fields_then_saves(qtbot, settle, page):
    qtbot.keyClick(page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = page.findChild(type(page.open_dialog(None)), "member_dialog")
    dialog = next(d for d in page.findChildren(type(dialog)) if d.isVisible())
    qtbot.waitExposed(dialog)
    type_chinese(dialog.line("name"), "欧阳春花")
    qtbot.keyClicks(dialog.line("id_number"), "430121198803150021")  # wrong check digit
    qtbot.keyClicks(dialog.line("phone"), "1380013800")  # ten digits
    qtbot.keyClicks(dialog.line("joined_on"), "2030-01-01")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle()
    assert dialog.isVisible(), "a dialog with problems stays open"
    assert dialog.error_text("id_number") == _(validation.MSG_ID_CHECK)
    assert dialog.error_text("phone")
    assert dialog.error_text("joined_on")
    assert not dialog.error_text("name")

    good_id = validation.make_id_number("430121", dt.date(1988, 3, 15), 2)
    dialog.line("id_number").clear()
    qtbot.keyClicks(dialog.line("id_number"), good_id.lower())
    qtbot.keyClick(dialog.line("id_number"), Qt.Key.Key_Tab)  # fills birth date and gender
    assert dialog.line("birth_date").text() == "1988-03-15"
    assert dialog.combo("gender").currentData() == "female"
    dialog.line("phone").clear()
    qtbot.keyClicks(dialog.line("phone"), "13800138000")
    dialog.line("joined_on").clear()
    qtbot.keyClicks(dialog.line("joined_on"), "2010.7.1")
    qtbot.keyClicks(dialog.line("confirmed_on"), "2011-07-01")
    with qtbot.waitSignal(dialog.member_saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        settle()
    assert not dialog.isVisible()
    assert saved.args[0].id_number == good_id
    assert page.model.rowCount() == 61
    assert page.selected_row().name == "欧阳春花"


def test_edit_with_enter_and_save(qtbot, settle, page):
    page.table.setFocus()
    page.table.selectRow(0)
    first = page.selected_row()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = next(d for d in page.findChildren(type(page.open_dialog(None))) if d.isVisible())
    assert dialog.line("name").text() == first.name
    dialog.line("address").setText("红旗村第一村民小组1号")
    with qtbot.waitSignal(dialog.member_saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        settle()
    assert page.members.get(first.id).address == "红旗村第一村民小组1号"


def test_remove_asks_first_and_ctrl_z_brings_the_member_back(qtbot, settle, page, monkeypatch):
    asked: list[str] = []

    def answer(parent, title, text):  # type: ignore[no-untyped-def]
        asked.append(text)
        return len(asked) > 1  # "No" the first time, "Yes" the second

    monkeypatch.setattr(messages, "confirm", answer)
    page.table.setFocus()
    page.table.selectRow(3)
    victim = page.selected_row()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    settle()
    assert page.model.rowCount() == 60, "answering No removes nothing"
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    settle()
    assert victim.name in asked[-1]
    assert page.model.rowCount() == 59
    assert victim.id not in {page.model.row_at(r).id for r in range(59)}
    page.undo_stack.undo()
    settle()
    assert page.model.rowCount() == 60
    assert page.selected_row().id == victim.id


def test_the_group_filter_survives_a_reload_of_the_groups(qtbot, page):
    """A group chosen in the filter stays chosen when the groups are read again (an edit or a
    sync)."""
    page.group_combo.setCurrentIndex(3)
    chosen = page.group_combo.currentData()
    assert chosen is not None
    page.reload_groups()
    assert page.group_combo.currentData() == chosen


@pytest.mark.parametrize("key", [Qt.Key.Key_Down, Qt.Key.Key_Return])
def test_down_or_enter_in_the_filter_goes_to_the_first_row(qtbot, page, key):
    page.filter_edit.setFocus()
    qtbot.keyClicks(page.filter_edit, "139")  # the timer has not fired yet: the key applies it
    qtbot.keyClick(page.filter_edit, key)
    assert page.table.hasFocus()
    assert page.table.currentIndex().row() == 0
    assert [i.row() for i in page.table.selectionModel().selectedRows()] == [0]


def test_selected_members_move_to_another_party_group_at_once(qtbot, settle, page):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QInputDialog

    qtbot.keyClick(page.table, Qt.Key.Key_Home)
    page.table.setFocus()
    page.table.selectRow(0)
    for _step in range(2):  # Shift+Down twice: three members
        qtbot.keyClick(page.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    chosen = page.selected_rows()
    assert len(chosen) == 3
    target = next(g for g in page._groups if g.id != chosen[0].draft.party_group_id)
    offered: list[list[str]] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(50, answer)
            return
        offered.append(dialog.comboBoxItems())
        dialog.setTextValue(target.name)
        dialog.accept()

    QTimer.singleShot(50, answer)
    page.move_button.click()
    settle()
    assert offered and target.name in offered[0]
    for row in chosen:
        assert page.members.get(row.id).draft.party_group_id == target.id
