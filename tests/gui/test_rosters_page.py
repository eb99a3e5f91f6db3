# SPDX-License-Identifier: GPL-3.0-or-later
"""The roster page driven from the keyboard: generate, reassign with Enter, swap with Alt+S."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QComboBox

from desktop.models.register.service import BranchService
from desktop.models.stewards.service import RosterService, StewardService
from desktop.tabular.service import TabularService
from desktop.views import messages
from desktop.views.stewards.duty_model import PERSON_COLUMN
from desktop.views.stewards.rosters_page import RostersPage

pytestmark = pytest.mark.gui


@pytest.fixture
def services(demo_db):  # type: ignore[no-untyped-def]
    branch = BranchService(demo_db).current()
    return RosterService(demo_db, branch.id), StewardService(demo_db, branch.id)


@pytest.fixture
def page(qtbot, services):  # type: ignore[no-untyped-def]
    widget = RostersPage(*services, TabularService(services[0].db, services[0].branch_id))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    return widget


def fairness_in_view(page: RostersPage) -> dict[str, int]:
    model = page.fairness_model
    return {
        model.index(r, 0).data(): int(model.index(r, 1).data()) for r in range(model.rowCount())
    }


def fairness_in_db(services, roster_id) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {f.name: f.duties for f in services[0].detail(roster_id).fairness}


def test_the_demo_rosters_are_listed_with_their_fairness(page, services):
    assert page.roster_model.rowCount() == 12
    assert page.detail is not None and page.duty_model.rowCount() > 20
    assert fairness_in_view(page) == fairness_in_db(services, page.detail.roster.id)


def test_generate_then_reassign_a_duty_with_the_keyboard(qtbot, page, services):
    page.team_combo.setFocus()
    qtbot.keyClick(page.team_combo, Qt.Key.Key_Down)  # the second party group's team
    page.from_edit.setDate(QDate(2026, 3, 1))
    page.to_edit.setDate(QDate(2026, 3, 31))
    qtbot.keyClick(page, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: page.roster_model.rowCount() == 13, timeout=10_000)
    detail = page.detail
    assert detail.roster.team_name.startswith("第二党小组")
    assert detail.roster.starts_on == dt.date(2026, 3, 1) and detail.spread <= 1
    assert page.duty_table.hasFocus()

    # Enter opens the person of the first duty; Down picks the next person; Enter commits.
    first = page.duty_model.rows()[0]
    qtbot.keyClick(page.duty_table, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QComboBox)
    start = editor.currentIndex()
    qtbot.keyClick(editor, Qt.Key.Key_Down)
    chosen = editor.itemText(editor.currentIndex())
    assert editor.currentIndex() == start + 1
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.duty_model.rows()[0].person_name == chosen, timeout=10_000)
    stored = services[0].detail(detail.roster.id)
    assert stored.duties[0].person_name == chosen != first.person_name
    assert fairness_in_view(page) == fairness_in_db(services, detail.roster.id)
    assert fairness_in_view(page)[chosen] == {f.name: f.duties for f in detail.fairness}[chosen] + 1


def test_swap_two_duties_with_shift_down_and_alt_s(qtbot, settle, page, services):
    page.duty_table.setFocus()
    page.duty_table.setCurrentIndex(page.duty_model.index(0, 0))
    qtbot.keyClick(page.duty_table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    before = page.duty_model.rows()[:2]
    assert before[0].volunteer_id != before[1].volunteer_id
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    settle()
    after = services[0].detail(page.detail.roster.id).duties[:2]
    assert [a.volunteer_id for a in after] == [before[1].volunteer_id, before[0].volunteer_id]
    assert [r.person_name for r in page.duty_model.rows()[:2]] == [
        before[1].person_name,
        before[0].person_name,
    ]


def test_a_refused_edit_shows_the_reason_and_changes_nothing(
    qtbot, settle, page, services, monkeypatch
):
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    rows = page.duty_model.rows()
    # Put the afternoon person on the morning duty of the same day: refused.
    morning, afternoon = rows[0], rows[1]
    assert morning.day == afternoon.day
    index = page.duty_model.index(0, PERSON_COLUMN)
    page.duty_model.setData(index, afternoon.volunteer_id)  # saved on the database thread
    settle()
    assert shown and afternoon.person_name in shown[0].message
    assert page.duty_model.rows()[0].volunteer_id == morning.volunteer_id
    assert services[0].detail(page.detail.roster.id).duties[0].volunteer_id == morning.volunteer_id


def test_an_edit_after_printing_is_visible(qtbot, settle, page):
    qtbot.keyClick(page, Qt.Key.Key_P, Qt.KeyboardModifier.AltModifier)
    settle()
    assert page.detail.roster.printed_at is not None
    page.duty_table.setFocus()
    page.duty_table.setCurrentIndex(page.duty_model.index(0, 0))
    qtbot.keyClick(page.duty_table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(page, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    settle()
    assert page.detail.roster.changed_after_print
    assert "打印" in page.state_label.text()
    state = page.roster_model.index(page.roster_table.currentIndex().row(), 2).data()
    assert state == "打印后有改动"


def type_hours(qtbot, page, text: str) -> None:  # type: ignore[no-untyped-def]
    """The first key starts the editor in the table; the rest go to the editor; Enter commits."""
    qtbot.keyClicks(page.duty_table, text[0])
    if len(text) > 1:
        qtbot.keyClicks(QApplication.focusWidget(), text[1:])
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)


def test_hours_from_the_signed_sheet_are_keyed_down_the_column(qtbot, page, services):
    from desktop.views.stewards.duty_model import HOURS_COLUMN

    team = services[1].teams()[0]
    made = services[0].generate(team.id, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    page.reload(select=made.roster.id)
    assert page.detail.roster.id == made.roster.id
    past = [0, 1]
    page.duty_table.setFocus()
    page.duty_table.setCurrentIndex(page.duty_model.index(past[0], HOURS_COLUMN))
    type_hours(qtbot, page, "2.5")
    qtbot.waitUntil(lambda: page.duty_table.currentIndex().row() == past[0] + 1, timeout=10_000)
    type_hours(qtbot, page, "3")
    qtbot.waitUntil(lambda: page.duty_model.rows()[past[1]].signed_minutes == 180, timeout=10_000)
    stored = services[0].detail(page.detail.roster.id).duties
    assert [stored[i].signed_minutes for i in past[:2]] == [150, 180]
    assert page.duty_model.index(past[0], HOURS_COLUMN).data() == "2.5"


def test_alt_g_twice_on_the_same_team_and_period_asks_before_a_second_roster(
    qtbot, settle, page, services, monkeypatch
):
    from desktop.views import messages

    asked: list[str] = []
    answers = iter([False, True])
    monkeypatch.setattr(
        messages, "confirm", lambda _p, _t, text: asked.append(text) or next(answers)
    )
    page.team_combo.setCurrentIndex(1)
    page.from_edit.setDate(QDate(2026, 3, 1))
    page.to_edit.setDate(QDate(2026, 3, 31))
    qtbot.keyClick(page, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    settle()
    assert page.roster_model.rowCount() == 13 and asked == []  # the first one: no question
    made = page.detail.roster.id

    page.roster_table.selectRow(0)
    qtbot.keyClick(page, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # "no"
    settle()
    assert len(asked) == 1 and "第二党小组" in asked[0]
    assert page.roster_model.rowCount() == 13
    assert page.detail.roster.id == made  # the roster that exists is the one shown
    qtbot.keyClick(page, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)  # "yes": made anyway
    settle()
    assert len(asked) == 2 and page.roster_model.rowCount() == 14
