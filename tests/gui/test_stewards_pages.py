# SPDX-License-Identifier: GPL-3.0-or-later
"""The stewards and households pages: photo, commitment, team, appointment, carers."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from desktop.i18n import _
from desktop.models.register.service import BranchService
from desktop.models.stewards.photo import MAX_INPUT_BYTES
from desktop.models.stewards.service import StewardService
from desktop.models.stewards.steward import COMMITMENT_MAX_CHARS
from desktop.tabular.service import TabularService
from desktop.views import messages
from desktop.views.stewards.appoint_dialog import AppointDialog
from desktop.views.stewards.households_page import HouseholdsPage
from desktop.views.stewards.stewards_page import StewardsPage
from tests.conftest import DEMO_DAY

pytestmark = pytest.mark.gui


def type_chinese(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def pick(picker, member_id, name):  # type: ignore[no-untyped-def]
    """Type the name into a member picker and choose that member among the matches."""
    choices = picker.search(name)
    assert len(choices) <= picker.LIMIT
    picker.choose(next(i for i, c in enumerate(choices) if c.key == member_id))
    assert picker.current_key() == member_id


@pytest.fixture
def stewards(demo_db) -> StewardService:
    return StewardService(demo_db, BranchService(demo_db).current().id)


@pytest.fixture
def page(qtbot, stewards):  # type: ignore[no-untyped-def]
    widget = StewardsPage(stewards, TabularService(stewards.db, stewards.branch_id))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_the_page_lists_the_current_stewards_as_stored(page, stewards):
    assert [page.model.row_at(r).name for r in range(page.model.rowCount())] == [
        s.name for s in stewards.stewards()
    ]
    page.table.selectRow(1)  # the first group steward: their team is shown
    assert page.team_model.rowCount() == len(stewards.volunteers(stewards.teams()[0].id))


def test_importing_a_photo_and_refusing_a_bad_file(
    qtbot, settle, page, stewards, tmp_path, monkeypatch
):
    picture = tmp_path / "photo.png"
    Image.new("RGB", (1600, 1200), (180, 40, 40)).save(picture)
    page.table.selectRow(1)
    page.import_photo(str(picture))
    settle()
    steward = page.selected()
    assert steward.has_photo
    with Image.open(io.BytesIO(stewards.photo(steward.id))) as stored:
        assert stored.size[0] * 4 == stored.size[1] * 3
    assert not page.photo_label.pixmap().isNull()
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    junk = tmp_path / "notes.png"
    junk.write_text("not a picture")
    page.import_photo(str(junk))
    settle()
    assert shown and "JPEG" in shown[0].message
    assert stewards.photo(steward.id) is not None  # the good photo stays
    huge = tmp_path / "huge.jpg"
    with huge.open("wb") as f:  # sparse: nothing is written, yet the size is over the limit
        f.truncate(MAX_INPUT_BYTES + 1)
    before = stewards.photo(steward.id)
    page.import_photo(str(huge))
    settle()
    assert "MB" in shown[-1].message and str(MAX_INPUT_BYTES // 1024 // 1024) in shown[-1].message
    assert stewards.photo(steward.id) == before


def test_the_commitment_counts_characters_and_refuses_an_overlong_text(
    settle, qtbot, page, stewards, monkeypatch
):
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    box = page.commitment
    page.table.selectRow(2)
    box.text_edit.setPlainText("为" * (COMMITMENT_MAX_CHARS + 3))
    assert box.count_label.text().startswith(str(COMMITMENT_MAX_CHARS + 3))
    box.save_button.click()
    settle()
    assert shown and str(COMMITMENT_MAX_CHARS) in shown[0].message


def test_adding_a_villager_by_keyboard(qtbot, settle, page, stewards):
    page.table.selectRow(1)
    before = page.team_model.rowCount()
    type_chinese(page.villager_name, "张桂花")
    page.villager_phone.setFocus()
    qtbot.keyClicks(page.villager_phone, "13912340000")
    qtbot.keyClick(page.villager_phone, Qt.Key.Key_Return)
    settle()
    assert page.team_model.rowCount() == before + 1
    assert "张桂花" in [v.name for v in stewards.volunteers(stewards.teams()[0].id)]


def test_appointing_a_new_group_steward_keeps_the_old_one_in_history(
    settle, qtbot, page, stewards, monkeypatch
):
    old = stewards.stewards()[1]
    member = next(
        m for m in stewards.candidates() if m[2] == old.party_group_id and m[0] != old.member_id
    )

    def answer(dialog_cls, service, parent):  # type: ignore[no-untyped-def]
        dialog = AppointDialog(service, parent)
        pick(dialog.member_picker, member[0], member[1])
        assert dialog.group_combo.currentData() == str(old.party_group_id)
        return dialog.appointment()

    monkeypatch.setattr(AppointDialog, "ask", classmethod(answer))
    page.appoint_button.click()
    settle()
    current = {s.party_group_id: s.name for s in stewards.stewards()}
    assert current[old.party_group_id] == member[1]
    page.history_check.setChecked(True)
    names = [page.model.row_at(r).name for r in range(page.model.rowCount())]
    assert old.name in names and member[1] in names


def test_households_page_assigns_a_carer(qtbot, settle, stewards):
    page = HouseholdsPage(stewards)
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == len(stewards.households())
    page.table.selectRow(0)
    household = page.selected()
    target = page.carer_combo.count() - 1
    page.carer_combo.setCurrentIndex(target)
    name = page.carer_combo.currentText()
    page.assign_button.click()
    settle()
    stored = next(h for h in stewards.households() if h.id == household.id)
    assert stored.carer_name == name
    page.overdue_check.setChecked(True)
    assert page.model.rowCount() == len(stewards.overdue_households()) > 0
    first = stewards.overdue_households()[0]
    assert page.model.index(0, 0).data() == first.head_name
    assert page.model.index(0, len(page.model.columns) - 1).data()  # "never visited" / "n days"


def test_recording_a_team_members_days_away(qtbot, settle, page, stewards, monkeypatch):
    import datetime as dt

    from PySide6.QtCore import QDate

    from desktop.views.stewards.away_dialog import AwayDialog

    page.table.selectRow(1)
    assert not page.away_button.isEnabled()
    page.team_table.selectRow(2)
    volunteer = page.selected_volunteer()
    assert page.away_button.isEnabled()
    before = stewards.unavailability([volunteer.id])
    days = iter(
        [(QDate(2026, 12, 1), QDate(2026, 12, 3)), (QDate(2026, 12, 9), QDate(2026, 12, 5))]
    )

    def answer(dialog_cls, name, known, parent):  # type: ignore[no-untyped-def]
        dialog = AwayDialog(name, known, parent)
        first, last = next(days)
        dialog.first_edit.setDate(first)
        dialog.last_edit.setDate(last)  # the second time before the first: refused
        type_chinese(dialog.reason_edit, "外出打工")
        return dialog.away()

    monkeypatch.setattr(AwayDialog, "ask", classmethod(answer))
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    page.away_button.click()
    settle()
    stored = stewards.unavailability([volunteer.id])
    assert len(stored) == len(before) + 1
    new = next(r for r in stored if r not in before)
    assert (new.starts_on, new.ends_on, new.reason) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 3),
        "外出打工",
    )
    page.team_table.selectRow(2)
    page.away_button.click()
    settle()
    assert shown and len(stewards.unavailability([volunteer.id])) == len(before) + 1


def test_the_commitment_moves_through_its_stages_to_the_evaluation(
    settle, qtbot, page, stewards, monkeypatch
):
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    page.table.selectRow(3)
    steward_id = page.selected().id
    box = page.commitment

    def stage() -> str:
        return next(s for s in stewards.stewards() if s.id == steward_id).commitment.stage

    assert stage() == "published"  # the demo's commitments are on the board
    assert not box.evaluation_edit.isEnabled()
    box.next_button.click()
    settle()
    assert stage() == "fulfilled" and box.evaluation_edit.isEnabled()
    box.next_button.click()  # no evaluation written: refused, stays fulfilled
    settle()
    assert shown and stage() == "fulfilled"
    type_chinese(box.evaluation_edit, "优秀")
    box.next_button.click()
    settle()
    row = next(s for s in stewards.stewards() if s.id == steward_id)
    assert (row.commitment.stage, row.commitment.evaluation) == ("evaluated", "优秀")
    assert not box.next_button.isEnabled()
    # Once published the text is fixed: a reworded save is refused and the text kept.
    text = row.commitment.content
    box.text_edit.setPlainText("改过的承诺")
    box.save_button.click()
    settle()
    assert len(shown) == 2
    assert next(s for s in stewards.stewards() if s.id == steward_id).commitment.content == text


def test_adding_a_party_member_to_the_team(qtbot, settle, page, stewards, monkeypatch):
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error: shown.append(error))
    page.table.selectRow(1)
    team_id = stewards.teams()[0].id
    on_team = {v.member_id for t in stewards.teams() for v in stewards.volunteers(t.id)}
    newcomer = next(m for m in stewards.candidates() if m[0] not in on_team)
    pick(page.member_picker, newcomer[0], newcomer[1])
    page.add_member_button.click()
    settle()
    assert not shown
    assert newcomer[0] in {v.member_id for v in stewards.volunteers(team_id)}
    assert newcomer[1] in [
        page.team_model.row_at(r).name for r in range(page.team_model.rowCount())
    ]
    page.add_member_button.click()  # twice: refused with the reason
    settle()
    assert shown and newcomer[1] in shown[-1].message
    page.member_picker.search("无此人")
    page.add_member_button.click()
    settle()
    assert "无此人" in shown[-1].message


def test_delete_takes_a_volunteer_off_the_team_after_asking(
    qtbot, settle, page, stewards, monkeypatch
):
    answers = iter([False, True])
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text: next(answers))
    page.table.selectRow(1)
    team_id = stewards.teams()[0].id
    before = stewards.volunteers(team_id)
    row = next(
        r for r in range(page.team_model.rowCount()) if not page.team_model.row_at(r).is_steward
    )
    leaving = page.team_model.row_at(row)
    page.team_table.setFocus()
    page.team_table.selectRow(row)
    qtbot.keyClick(page.team_table, Qt.Key.Key_Delete)  # "no"
    settle()
    assert len(stewards.volunteers(team_id)) == len(before)
    qtbot.keyClick(page.team_table, Qt.Key.Key_Delete)
    settle()
    after = stewards.volunteers(team_id)
    assert len(after) == len(before) - 1 and leaving.id not in {v.id for v in after}
    assert page.team_model.rowCount() == len(after)


def test_the_grades_of_past_assessments_are_shown_per_steward(page, stewards):
    from desktop.models.assessment.service import AssessmentService
    from desktop.views.ops import ASSESSMENT

    last_year = DEMO_DAY.year - 1  # the demo's final assessment
    page.table.selectRow(0)  # the chief, first in it
    chief = page.selected()
    shown = [
        tuple(page.grades_model.index(r, c).data() for c in range(3))
        for r in range(page.grades_model.rowCount())
    ]
    # The grade as stored: the demo's grades follow its year (the chief's 97.1 is 优秀 when
    # the final year is 2025 or 2026, 合格 when it is 2027), its total does not.
    [grade] = stewards.grades(chief.id)
    assert grade.year == last_year and grade.grade in ("excellent", "competent")
    assert shown == [(str(last_year), "97.1", _(grade.grade_name))]
    # Reopening the year takes its grade away until it is final again: the list follows.
    AssessmentService(stewards.db, stewards.branch_id).reopen(last_year, "核对分数")
    page.ops.changed.emit(frozenset({ASSESSMENT}))
    assert page.grades_model.rowCount() == 0
