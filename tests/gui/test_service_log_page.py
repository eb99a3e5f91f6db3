# SPDX-License-Identifier: GPL-3.0-or-later
"""Service entry from the keyboard, and the sums the page shows against the database."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from desktop.models.register.service import BranchService
from desktop.models.stewards.rows import ServiceQuery
from desktop.models.stewards.service import ServiceLogService, StewardService
from desktop.tabular.service import TabularService
from desktop.views.stewards.service_log_page import ServiceLogPage

pytestmark = pytest.mark.gui


def type_chinese(widget: QLineEdit, text: str) -> None:
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


@pytest.fixture
def services(demo_db):  # type: ignore[no-untyped-def]
    branch = BranchService(demo_db).current()
    return ServiceLogService(demo_db, branch.id), StewardService(demo_db, branch.id)


@pytest.fixture
def page(qtbot, services):  # type: ignore[no-untyped-def]
    widget = ServiceLogPage(*services, TabularService(services[0].db, services[0].branch_id))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_sums(page: ServiceLogPage) -> dict[str, tuple[int, float]]:
    m = page.sum_model
    return {
        m.index(r, 0).data(): (int(m.index(r, 1).data()), float(m.index(r, 2).data()))
        for r in range(m.rowCount())
    }


def test_the_sums_shown_agree_with_the_database(page, services):
    for index in range(page.sum_by.count()):
        page.sum_by.setCurrentIndex(index)
        by = page.sum_by.currentData()
        expected = {r.label: (r.records, r.hours) for r in services[0].sums(by, page.query())}
        assert shown_sums(page) == expected and expected
    rows = services[0].records(page.query())
    assert page.record_model.rowCount() == len(rows)


def test_a_service_entered_with_the_keyboard_is_stored(qtbot, settle, page, services):
    team = services[1].teams()[0]
    people = services[1].volunteers(team.id)
    household = next(h for h in services[1].households(team.party_group_id))
    before = len(services[0].records())

    page.date_edit.setFocus()
    for _ in range(3):  # Tab steps through the date's year, month and day first (Qt's way)
        if page.kind_combo.hasFocus():
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert page.kind_combo.hasFocus()
    qtbot.keyClick(page.kind_combo, Qt.Key.Key_Down)  # 走访 → 清洁
    qtbot.keyClick(page.kind_combo, Qt.Key.Key_Tab)  # → hours
    page.hours_spin.selectAll()
    qtbot.keyClicks(page.hours_spin, "2.5")
    qtbot.keyClick(page.hours_spin, Qt.Key.Key_Tab)  # → people
    assert page.people_edit.hasFocus()
    type_chinese(page.people_edit, f"{people[0].name}、{people[1].name}")
    qtbot.keyClick(page.people_edit, Qt.Key.Key_Tab)
    type_chinese(page.households_edit, household.head_name)
    qtbot.keyClick(page.households_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(page.notes_edit, "ok")
    qtbot.keyClick(page.notes_edit, Qt.Key.Key_Return)
    settle()

    records = services[0].records()
    assert len(records) == before + 1
    new = records[0] if records[0].notes == "ok" else next(r for r in records if r.notes == "ok")
    assert new.kind == "cleaning" and new.minutes == 150 and new.served_on == dt.date.today()
    assert set(new.people) == {people[0].name, people[1].name}
    assert new.households == (household.head_name,)
    assert page.people_edit.text() == "" and page.people_edit.hasFocus()
    assert page.error_label.text() == ""
    # The person's sum moved by the 2.5 hours just entered.
    page.sum_by.setCurrentIndex(0)
    assert shown_sums(page)[people[0].name] == next(
        (r.records, r.hours)
        for r in services[0].sums("person", page.query())
        if r.label == people[0].name
    )


def test_an_unknown_name_is_explained_and_nothing_is_stored(qtbot, settle, page, services):
    before = len(services[0].records(ServiceQuery()))
    type_chinese(page.people_edit, "无此人")
    qtbot.keyClick(page.people_edit, Qt.Key.Key_Return)
    settle()
    assert "无此人" in page.error_label.text()
    assert page.people_edit.hasFocus()
    assert len(services[0].records(ServiceQuery())) == before
    page.people_edit.clear()
    qtbot.keyClick(page.people_edit, Qt.Key.Key_Return)
    settle()
    assert page.error_label.text() and len(services[0].records(ServiceQuery())) == before


def test_a_service_keyed_in_as_fulfilling_the_commitment_is_linked(qtbot, settle, page, services):
    _log, stewards = services
    team = stewards.teams()[0]
    person = stewards.volunteers(team.id)[0]

    def linked() -> int:
        steward = next(s for s in stewards.stewards() if s.party_group_id == team.party_group_id)
        assert steward.commitment is not None  # the demo's stewards have pledged this year
        return steward.commitment.service_count

    before = linked()
    type_chinese(page.people_edit, person.name)
    qtbot.keyClick(page.people_edit, Qt.Key.Key_Tab)
    qtbot.keyClick(page.households_edit, Qt.Key.Key_Tab)
    qtbot.keyClick(page.notes_edit, Qt.Key.Key_Tab)
    assert page.commitment_check.hasFocus()
    qtbot.keyClick(page.commitment_check, Qt.Key.Key_Space)
    assert page.commitment_check.isChecked()
    page.notes_edit.setFocus()
    qtbot.keyClick(page.notes_edit, Qt.Key.Key_Return)
    settle()
    assert page.error_label.text() == ""
    assert linked() == before + 1


def test_delete_removes_the_chosen_service_after_asking(qtbot, settle, page, services, monkeypatch):
    from desktop.views import messages

    log = services[0]
    answers = iter([False, True])
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text: next(answers))
    before = log.records(page.query())
    page.record_table.setFocus()
    page.record_table.selectRow(0)
    chosen = page.record_model.row_at(0)
    qtbot.keyClick(page.record_table, Qt.Key.Key_Delete)  # "no": nothing changes
    settle()
    assert len(log.records(page.query())) == len(before)
    qtbot.keyClick(page.record_table, Qt.Key.Key_Delete)
    settle()
    after = log.records(page.query())
    assert len(after) == len(before) - 1 and chosen.id not in {r.id for r in after}
    assert page.record_model.rowCount() == len(after)
    assert f"{len(after)} " in page.total_label.text()

    page.undo_stack.undo()  # Ctrl+Z in the window: the service is back, and chosen
    settle()
    assert chosen.id in {r.id for r in log.records(page.query())}
    assert page.record_model.rowCount() == len(before)
    selected = page.record_table.selectionModel().selectedRows()
    assert [page.record_model.row_at(i.row()).id for i in selected] == [chosen.id]
    page.undo_stack.redo()
    settle()
    assert chosen.id not in {r.id for r in log.records(page.query())}


def test_configuring_the_kinds_adds_one_and_hides_another(
    qtbot, settle, page, services, monkeypatch
):
    from desktop.views import messages
    from desktop.views.stewards.kinds_dialog import KindsDialog

    log = services[0]
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    dialog = KindsDialog(log, page)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code_edit, "bad code!")
    dialog.name_edit.setText("种菜")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    settle()
    assert shown and "garden" not in {k.code for k in log.all_kinds()}
    dialog.code_edit.clear()
    qtbot.keyClicks(dialog.code_edit, "garden")
    dialog.name_edit.setText("种菜")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Return)
    settle()
    assert ("garden", "种菜", True) in {(k.code, k.label, k.active) for k in log.all_kinds()}
    row = next(
        r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == "patrol"
    )
    dialog.table.item(row, 2).setCheckState(Qt.CheckState.Unchecked)
    monkeypatch.setattr(KindsDialog, "exec", lambda self: (self.accept(), 1)[1])
    page.kinds_button.click()  # a new dialog: nothing changed in it, nothing saved
    settle()
    dialog.accept()
    settle()
    page.reload()
    offered = {page.kind_combo.itemData(i) for i in range(page.kind_combo.count())}
    assert "garden" in offered and "patrol" not in offered and "visit" in offered
    # The defaults keep following the language: only the changed row was stored with a name.
    assert next(k for k in log.all_kinds() if k.code == "visit").label == "走访"


def test_filtering_by_household_shows_its_services_and_sums(page, services):
    log = services[0]
    busiest = log.sums("household", page.query())[0]
    picker = page.household_filter
    choices = picker.search(busiest.label)  # what typing the head's name shows
    picker.choose(next(i for i, c in enumerate(choices) if c.name == busiest.label))
    assert picker.current_name() == busiest.label
    rows = [page.record_model.row_at(r) for r in range(page.record_model.rowCount())]
    assert len(rows) == busiest.records and all(busiest.label in r.households for r in rows)
    assert page.query().household_id is not None
    page.sum_by.setCurrentIndex(page.sum_by.findData("household"))
    assert shown_sums(page)[busiest.label] == (busiest.records, busiest.hours)


def test_enter_in_the_suggestions_only_picks_the_name(qtbot, settle, page, services):
    team = services[1].teams()[0]
    people = services[1].volunteers(team.id)
    before = len(services[0].records())
    type_chinese(page.people_edit, people[0].name[:1])
    popup = page.people_completer.popup()
    qtbot.waitUntil(popup.isVisible, timeout=10_000)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    picked = popup.currentIndex().data()
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    settle()
    assert not popup.isVisible()
    assert page.people_edit.text() == picked
    assert len(services[0].records()) == before  # picked, not recorded

    # Enter once the suggestion is gone records; pressed twice at once, it records once.
    qtbot.keyClick(page.people_edit, Qt.Key.Key_Return)
    qtbot.keyClick(page.people_edit, Qt.Key.Key_Return)
    settle()
    assert len(services[0].records()) == before + 1
    assert page.people_edit.text() == ""


def test_enter_on_a_service_opens_it_and_saving_changes_it(qtbot, settle, page, services):
    log = services[0]
    before = log.records(page.query())
    page.record_table.setFocus()
    page.record_table.selectRow(0)
    chosen = page.record_model.row_at(0)
    qtbot.keyClick(page.record_table, Qt.Key.Key_Return)
    dialog = page.findChild(QDialog, "service_dialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.people_edit.text() == "、".join(chosen.people)
    dialog.hours_spin.setValue(3.5)
    dialog.notes_edit.setText("改正时长")
    qtbot.keyClick(dialog.notes_edit, Qt.Key.Key_Return)  # Save is the default button
    settle()
    assert not dialog.isVisible()
    after = log.records(page.query())
    assert len(after) == len(before)  # changed, not added
    stored = next(r for r in after if r.id == chosen.id)
    assert stored.minutes == 210 and stored.notes == "改正时长"
    assert stored.people == chosen.people and stored.served_on == chosen.served_on
    assert page.selected_record() is not None and page.selected_record().id == chosen.id


def test_a_wrong_name_in_the_change_dialog_is_explained_and_nothing_changes(
    qtbot, settle, page, services
):
    log = services[0]
    page.record_table.selectRow(0)
    chosen = page.record_model.row_at(0)
    dialog = page.open_edit_dialog(chosen)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.people_edit.setText("无此人")
    dialog.save_button.click()
    settle()
    assert dialog.isVisible() and "无此人" in dialog.error_label.text()
    assert next(r for r in log.records(page.query()) if r.id == chosen.id) == chosen


def _suggested(completer, typed: str) -> list[str]:  # type: ignore[no-untyped-def]
    completer.setCompletionPrefix(typed)
    model = completer.completionModel()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_names_are_suggested_by_pinyin_and_initials(page, services):  # type: ignore[no-untyped-def]
    stewards = services[1]
    person = next(name for name in page._people if len(name) >= 2)
    full, initials = stewards.name_search_text(person).split()[1:]
    assert person in _suggested(page.people_completer, initials)
    assert person in _suggested(page.people_completer, full[:4].upper())
    assert person in _suggested(page.people_completer, person[-1])
    assert _suggested(page.people_completer, "qqqqq") == []
    head = services[1].households()[0].head_name
    assert head in _suggested(page.households_completer, stewards.name_search_text(head).split()[2])
    # Picking a suggestion puts the name (not its search text) after the names already typed.
    page.people_edit.setText(f"张三、{initials}")
    index = page.people_completer.completionModel().index(0, 0)
    assert page.people_completer.pathFromIndex(index).startswith("张三、")
    assert " " not in page.people_completer.pathFromIndex(index)


def test_people_are_listed_in_pinyin_order(page, services):  # type: ignore[no-untyped-def]
    names = [choice.name for choice in page.person_filter.search("")]
    keys = [services[1].name_search_text(name).split()[1] for name in names]
    assert len(names) > 3 and keys == sorted(keys)


def test_the_person_filter_is_picked_by_typing_and_cleared_by_emptying_it(page, services):  # type: ignore[no-untyped-def]
    log = services[0]
    busiest = log.sums("person", page.query())[0]
    everyone = page.record_model.rowCount()
    initials = services[1].name_search_text(busiest.label).split()[2]
    choices = page.person_filter.search(initials)
    assert busiest.label in [c.name for c in choices]
    page.person_filter.choose([c.name for c in choices].index(busiest.label))
    rows = [page.record_model.row_at(r) for r in range(page.record_model.rowCount())]
    assert page.query().volunteer_id is not None
    assert 0 < len(rows) < everyone and all(busiest.label in r.people for r in rows)
    page.person_filter.search("")
    assert page.query().volunteer_id is None and page.record_model.rowCount() == everyone
