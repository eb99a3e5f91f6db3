# SPDX-License-Identifier: GPL-3.0-or-later
"""Adding, editing and removing households on the Households page, from the keyboard."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from desktop.i18n import _
from desktop.models.register import validation
from desktop.models.register.service import BranchService
from desktop.models.stewards.households import MSG_HEAD_REQUIRED
from desktop.models.stewards.service import StewardService
from desktop.views import messages
from desktop.views.stewards.household_dialog import HouseholdDialog
from desktop.views.stewards.households_page import HouseholdsPage

pytestmark = pytest.mark.gui


@pytest.fixture
def stewards(demo_db) -> StewardService:
    return StewardService(demo_db, BranchService(demo_db).current().id)


@pytest.fixture
def page(qtbot, stewards):  # type: ignore[no-untyped-def]
    widget = HouseholdsPage(stewards)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _dialog(qtbot, page) -> HouseholdDialog:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(
        lambda: (
            page.findChild(HouseholdDialog) is not None
            and page.findChild(HouseholdDialog).isVisible()
        ),
        timeout=10_000,
    )
    dialog = page.findChild(HouseholdDialog)
    qtbot.waitExposed(dialog)
    dialog.activateWindow()  # the mnemonics are window shortcuts: the dialog must be active
    qtbot.waitUntil(dialog.isActiveWindow, timeout=10_000)
    return dialog


def _grab(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    folder = os.environ.get("RED_STEWARD_GRAB_DIR")
    if folder:
        widget.grab().save(os.path.join(folder, name))


def test_adding_a_household_from_the_keyboard(qtbot, page, stewards):
    before = {h.id for h in stewards.households()}
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = _dialog(qtbot, page)
    assert dialog.windowTitle() == _("New household")
    assert dialog.focusWidget() is dialog.line("head_name")

    # Invalid first: no head of household, a phone with no area code, an interval in words.
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.line("phone")
    qtbot.keyClicks(dialog.line("phone"), "8456123")
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClicks(dialog.line("visit_interval_days"), "ten")
    qtbot.keyClick(dialog.line("visit_interval_days"), Qt.Key.Key_Return)
    _grab(dialog, "household_dialog_errors.png")
    assert dialog.isVisible()
    assert dialog.error_text("head_name") == _(MSG_HEAD_REQUIRED)
    assert dialog.error_text("phone") == _(validation.MSG_PHONE_NEEDS_AREA_CODE)
    assert dialog.error_text("visit_interval_days") == _(
        "Enter the interval as a whole number of days, or leave it empty."
    )
    assert dialog.focusWidget() is dialog.line("head_name")
    assert {h.id for h in stewards.households()} == before

    # Then valid: Chinese is committed with setText (keyClicks with Chinese aborts pytest).
    dialog.line("head_name").setText("罗桂英")
    qtbot.keyClick(dialog, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    dialog.line("address").setText("第三村民小组12号")
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    dialog.line("phone").selectAll()
    qtbot.keyClicks(dialog.line("phone"), "0731-8456123")
    qtbot.keyClick(dialog, Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)
    assert dialog.focusWidget() is dialog.combo("villager_group_id")
    qtbot.keyClick(dialog.combo("villager_group_id"), Qt.Key.Key_Down)
    qtbot.keyClick(dialog, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(dialog.combo("party_group_id"), Qt.Key.Key_Down)
    # A check box's mnemonic clicks it as an animated click, which lands a moment later.
    qtbot.keyClick(dialog, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.flag_boxes["elderly_alone"].isChecked, timeout=10_000)
    qtbot.keyClick(dialog, Qt.Key.Key_T, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.flag_boxes["needs_visits"].isChecked, timeout=10_000)
    assert not dialog.flag_boxes["low_income"].isChecked()
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    dialog.line("visit_interval_days").selectAll()
    qtbot.keyClicks(dialog.line("visit_interval_days"), "10")
    vgroup = dialog.combo("villager_group_id").currentText()
    group = dialog.combo("party_group_id").currentText()
    _grab(dialog, "household_dialog_filled.png")
    with qtbot.waitSignal(dialog.household_saved, timeout=10_000):
        qtbot.keyClick(dialog.line("visit_interval_days"), Qt.Key.Key_Return)
    assert not dialog.isVisible()

    added = [h for h in stewards.households() if h.id not in before]
    assert len(added) == 1
    stored = added[0]
    assert (
        stored.head_name,
        stored.address,
        stored.phone,
        stored.villager_group_name,
        stored.party_group_name,
        stored.elderly_alone,
        stored.low_income,
        stored.needs_visits,
        stored.visit_interval,
    ) == ("罗桂英", "第三村民小组12号", "0731-8456123", vgroup, group, True, False, True, 10)
    assert vgroup and group
    assert page.selected() is not None and page.selected().id == stored.id
    assert page.model.index(page.table.currentIndex().row(), 0).data() == "罗桂英"


def test_editing_with_enter_changes_only_that_household(qtbot, page, stewards):
    page.table.setFocus()
    page.table.selectRow(2)
    target = page.selected()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = _dialog(qtbot, page)
    assert dialog.windowTitle() == _("Edit household")
    assert dialog.line("head_name").text() == target.head_name
    assert dialog.line("address").text() == target.address
    assert dialog.flag_boxes["low_income"].isChecked() == target.low_income
    assert dialog.combo("party_group_id").currentText() == target.party_group_name
    assert dialog.combo("villager_group_id").currentText() == target.villager_group_name
    dialog.line("address").setText("新住址8号")
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(
        lambda: dialog.flag_boxes["low_income"].isChecked() != target.low_income, timeout=10_000
    )
    with qtbot.waitSignal(dialog.household_saved, timeout=10_000):
        qtbot.keyClick(dialog.line("head_name"), Qt.Key.Key_Return)
    stored = {h.id: h for h in stewards.households()}
    assert stored[target.id].address == "新住址8号"
    assert stored[target.id].low_income is (not target.low_income)
    assert stored[target.id].head_name == target.head_name
    assert page.selected().id == target.id


def test_removing_asks_first_then_the_household_disappears_and_undo_restores(
    settle, qtbot, page, stewards, monkeypatch
):
    asked: list[str] = []
    answer = [False]

    def confirm(parent, title, text):  # type: ignore[no-untyped-def]
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(messages, "confirm", confirm)
    messages_seen: list[str] = []
    page.status_message.connect(messages_seen.append)
    page.table.setFocus()
    page.table.selectRow(0)
    target = page.selected()
    count = len(stewards.households())

    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    settle()
    assert len(asked) == 1 and target.head_name in asked[0]
    assert len(stewards.households()) == count  # "No" keeps it

    answer[0] = True
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    settle()
    assert len(asked) == 2
    assert target.id not in {h.id for h in stewards.households()}
    assert page.model.rowCount() == count - 1
    assert "Ctrl+Z" in messages_seen[-1]

    page.undo_stack.undo()
    settle()
    assert target.id in {h.id for h in stewards.households()}
    assert page.selected().id == target.id


def test_a_read_only_page_opens_no_dialog(qtbot, page, stewards):
    for button in (page.add_button, page.edit_button, page.remove_button):
        button.hide()  # what the main window does for a viewer (WRITE_CONTROLS)
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert page.findChild(HouseholdDialog) is None


def test_a_household_saved_outside_the_filter_is_shown_by_clearing_it(qtbot, page, stewards):
    page.overdue_check.setChecked(True)
    overdue = page.model.rowCount()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = _dialog(qtbot, page)
    dialog.line("head_name").setText("周新户")
    with qtbot.waitSignal(dialog.household_saved, timeout=10_000):
        qtbot.keyClick(dialog.line("head_name"), Qt.Key.Key_Return)
    assert not page.overdue_check.isChecked()
    assert page.model.rowCount() == len(stewards.households()) > overdue
    assert page.selected().head_name == "周新户"
