# SPDX-License-Identifier: GPL-3.0-or-later
"""Alt+letter does one thing per page and per dialog: no two visible controls share a letter.

Two controls with one letter make Alt+letter only move the focus between them (Qt's answer to
an ambiguous shortcut), so 编辑(&E) on the members page never opened the member while the Edit
menu had Alt+E too."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QWidget

from desktop.services import Services
from desktop.views.main_window import PAGES, MainWindow

pytestmark = pytest.mark.gui

MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def clashes(root: QWidget, also: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """The letters that more than one visible control of `root` uses, with their texts."""
    users: dict[str, list[str]] = defaultdict(list)
    for letter, texts in (also or {}).items():
        users[letter].extend(texts)
    for kind, text_of in (
        (QAbstractButton, lambda w: w.text()),
        (QLabel, lambda w: w.text() if w.buddy() is not None else ""),
        (QGroupBox, lambda w: w.title()),
    ):
        for widget in root.findChildren(kind):
            if widget.isVisibleTo(root):
                letter = mnemonic(text_of(widget))
                if letter:
                    users[letter].append(text_of(widget))
    return {letter: texts for letter, texts in users.items() if len(texts) > 1}


@pytest.fixture
def window(qtbot, demo_db):  # type: ignore[no-untyped-def]
    win = MainWindow(Services(demo_db))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()  # Alt+letter works in the active window only
    qtbot.waitUntil(win.isActiveWindow)
    return win


def menu_letters(win: MainWindow) -> dict[str, list[str]]:
    letters: dict[str, list[str]] = defaultdict(list)
    for action in win.menuBar().actions():
        letter = mnemonic(action.text())
        if letter:
            letters[letter].append(action.text())
    return letters


@pytest.mark.parametrize("key", [entry.key for entry in PAGES])
def test_no_two_controls_of_a_page_share_an_alt_letter(qtbot, window, key):
    window.show_page(key)
    page = window.page(key)
    qtbot.waitUntil(page.isVisible)
    assert clashes(page, menu_letters(window)) == {}


def test_alt_e_opens_the_selected_member(qtbot, window, monkeypatch):
    from desktop.views.members.member_dialog import MemberDialog

    opened: list[str] = []
    monkeypatch.setattr(MemberDialog, "open", lambda self: opened.append(self.line("name").text()))
    page = window.members_page
    # A filter restored from an earlier test's saved state refreshes the list a moment after
    # the page is built (clearing the selection): wait for it first.
    qtbot.waitUntil(lambda: not page._filter_timer.isActive(), timeout=10_000)
    page.filter_edit.clear()
    page.apply_filter()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    page.table.setFocus()
    # Not selectRow: it toggles the row when an earlier test left Ctrl reported as held.
    page.table.selectionModel().setCurrentIndex(
        page.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    chosen = page.selected_row()
    assert chosen is not None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    # A mnemonic clicks as the mouse would (animated): the dialog opens a moment later.
    qtbot.waitUntil(lambda: opened == [chosen.name], timeout=10_000)


def test_alt_p_on_the_print_page_prints(qtbot, window, monkeypatch):
    window.show_page("printing")
    page = window.print_page
    qtbot.waitUntil(page.isVisible)
    page.render_preview()  # printing waits for the preview
    qtbot.waitUntil(page.print_button.isEnabled, timeout=30_000)
    pressed: list[bool] = []
    button = next(b for b in page.findChildren(QAbstractButton) if mnemonic(b.text()) == "p")
    assert button is page.print_button
    button.clicked.disconnect()  # not the printer dialog: that Alt+P presses 打印 is the point
    button.clicked.connect(lambda: pressed.append(True))
    assert "打印" in button.text()
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: pressed == [True], timeout=10_000)


def _dialogs(db):  # type: ignore[no-untyped-def]
    """Every dialog a clerk opens from a page, built as the pages build them."""
    from desktop.models.assessment.service import AssessmentService
    from desktop.models.meetings.service import MeetingService
    from desktop.models.register.service import BranchService, MemberService
    from desktop.models.stewards.service import ServiceLogService, StewardService
    from desktop.models.store.accounts import AccountService
    from desktop.views.assessment.options_dialog import OptionsDialog
    from desktop.views.assessment.rule_dialog import RuleDialog
    from desktop.views.meetings.decision_dialog import DecisionDialog
    from desktop.views.meetings.meeting_dialog import MeetingDialog
    from desktop.views.meetings.plan_dialog import PlanDialog
    from desktop.views.members.member_dialog import MemberDialog
    from desktop.views.ops import Ops
    from desktop.views.security.account_dialog import AccountDialog
    from desktop.views.stewards.appoint_dialog import AppointDialog
    from desktop.views.stewards.away_dialog import AwayDialog
    from desktop.views.stewards.household_dialog import HouseholdDialog
    from desktop.views.stewards.kinds_dialog import KindsDialog
    from desktop.views.stewards.service_dialog import ServiceDialog

    branches = BranchService(db)
    branch = branches.current()
    log = ServiceLogService(db, branch.id)
    stewards = StewardService(db, branch.id)
    meetings = MeetingService(db, branch.id)
    return {
        "member": lambda: MemberDialog(
            MemberService(db, branch.id),
            branches.party_groups(branch.id),
            branches.villager_groups(branch.id),
        ),
        "household": lambda: HouseholdDialog(stewards),
        "meeting": lambda: MeetingDialog(MeetingService(db, branch.id)),
        "appoint": lambda: AppointDialog(stewards),
        "away": lambda: AwayDialog("张三"),
        "rule": lambda: RuleDialog(AssessmentService(db, branch.id)),
        "kinds": lambda: KindsDialog(log),
        "service": lambda: ServiceDialog(log, log.records()[0], [], []),
        "account": lambda: AccountDialog(AccountService(db)),
        "decision": lambda: DecisionDialog(meetings, Ops(), meetings.decisions()[0]),
        "plan": lambda: PlanDialog(meetings, Ops(), dt.date.today()),
        "grading": lambda: OptionsDialog(AssessmentService(db, branch.id).years()[0]),
    }


DIALOG_NAMES = (
    "member",
    "household",
    "meeting",
    "appoint",
    "away",
    "rule",
    "kinds",
    "service",
    "account",
    "decision",
    "plan",
    "grading",
)


@pytest.mark.parametrize("name", DIALOG_NAMES)
def test_no_two_controls_of_a_dialog_share_an_alt_letter(qtbot, demo_db, name):
    dialog = _dialogs(demo_db)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert clashes(dialog) == {}
