# SPDX-License-Identifier: GPL-3.0-or-later
"""The meetings page: recording by keyboard, attendance and quorum, decisions, the status bar."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.i18n import _
from desktop.models.meetings.rows import MeetingDraft
from desktop.models.meetings.service import MeetingService
from desktop.services import Services
from desktop.views.main_window import MainWindow
from desktop.views.meetings.meeting_dialog import MeetingDialog
from desktop.views.meetings.meetings_page import MeetingsPage

pytestmark = pytest.mark.gui

TODAY = dt.date.today()
_SIXTY_DAYS_AGO = TODAY - dt.timedelta(days=60)
#: A day every test member (probationary ones joined 200 days ago) had joined by, in one year
#: with the 40 days after it (decisions due then), all before today: 60 days ago, or in January
#: and February (when that is last year) October 1 of last year. The pages show ON's year.
ON = dt.datetime.combine(
    _SIXTY_DAYS_AGO if _SIXTY_DAYS_AGO.year == TODAY.year else dt.date(TODAY.year - 1, 10, 1),
    dt.time(9, 0),
)


def _initials(name: str) -> str:
    from desktop.models.register import pinyin

    return pinyin.initials_of(name)


@pytest.fixture
def service(db, branch):  # type: ignore[no-untyped-def]
    return MeetingService(db, branch.id, "admin")


@pytest.fixture
def people(make_member):  # type: ignore[no-untyped-def]
    """Three full members and one probationary one (who attends but has no vote)."""
    full = [make_member(name=f"张{c}") for c in "一二三"]
    probationary = make_member(
        name="李四",
        status="probationary",
        joined_on=TODAY - dt.timedelta(days=200),
        confirmed_on=None,
    )
    return full, probationary


@pytest.fixture
def page(qtbot, service):  # type: ignore[no-untyped-def]
    page = MeetingsPage(service, today=TODAY)
    qtbot.addWidget(page)
    page.show()
    page.year_filter.setValue(ON.year)  # last year in January and February
    return page


def _rows(model):  # type: ignore[no-untyped-def]
    return [model.row_at(r) for r in range(model.rowCount())]


def _open_dialog(qtbot, page) -> MeetingDialog:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(MeetingDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.fields["kind"], timeout=10_000)
    return dialog


def _tab_to(qtbot, dialog, name: str) -> QLineEdit:  # type: ignore[no-untyped-def]
    """Press Tab until the field `name` has the focus (the time field takes a Tab per part)."""
    for _step in range(12):
        if QApplication.focusWidget() is dialog.fields[name]:
            return dialog.fields[name]
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {name}")


def test_recording_a_meeting_by_keyboard(qtbot, page, people, settle):
    dialog = _open_dialog(qtbot, page)
    kind = dialog.fields["kind"]
    assert QApplication.focusWidget() is kind
    qtbot.keyClick(kind, Qt.Key.Key_End)  # the joint meeting, last in the list
    assert kind.currentData() == "joint"
    topic = _tab_to(qtbot, dialog, "topic")
    topic.setText("研究冬季防火")
    _tab_to(qtbot, dialog, "place").setText("村部会议室")
    _tab_to(qtbot, dialog, "chair").setText("张一")
    _tab_to(qtbot, dialog, "recorder").setText("张二")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    settle()

    assert not dialog.isVisible()
    current = page.current()
    assert current is not None
    assert (current.kind, current.topic, current.place, current.chair, current.recorder) == (
        "joint",
        "研究冬季防火",
        "村部会议室",
        "张一",
        "张二",
    )
    assert current.held
    assert [r.topic for r in _rows(page.meeting_model)] == ["研究冬季防火"]


def test_a_refused_meeting_shows_the_problem_by_its_field(qtbot, page, settle):
    dialog = _open_dialog(qtbot, page)
    future = dt.datetime.combine(TODAY + dt.timedelta(days=30), dt.time(9, 0))
    dialog.fields["starts_at"].setDateTime(QDateTime(future))
    dialog.line("topic").setFocus()
    qtbot.keyClick(dialog.line("topic"), Qt.Key.Key_Return)
    settle()

    assert dialog.isVisible()
    assert dialog.error_text("starts_at") == _("A meeting in the future cannot have been held yet.")
    # Unticked, it is planned instead, and saved.
    qtbot.keyClick(dialog.check("held"), Qt.Key.Key_Space)
    qtbot.keyClick(dialog.line("topic"), Qt.Key.Key_Return)
    settle()
    assert not dialog.isVisible()
    assert page.current().starts_at == future and not page.current().held


def test_attendance_and_quorum_are_shown(qtbot, page, service, people, settle):
    full, probationary = people
    meeting = service.save(MeetingDraft(kind="assembly", starts_at=ON, topic="党员大会", held=True))
    page.refresh(select=meeting.id)
    panel = page.attendance
    names = [line.name for line in _rows(panel.model)]
    assert sorted(names) == sorted([*(m.name for m in full), probationary.name])

    def choose(*who: str) -> None:
        panel.table.clearSelection()
        for row, line in enumerate(_rows(panel.model)):
            if line.name in who:
                panel.table.selectionModel().select(
                    panel.model.index(row, 0),
                    panel.table.selectionModel().SelectionFlag.Select
                    | panel.table.selectionModel().SelectionFlag.Rows,
                )

    # One voter and the probationary member present: one of three voters is no quorum.
    choose("张一", "李四")
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    settle()
    assert _("No quorum") in panel.quorum_label.text()
    choose("张三")
    panel.state_combo.setCurrentIndex(panel.state_combo.findData("leave"))
    panel.reason_edit.setText("外出务工")
    qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    settle()
    # Everyone else (张二) present: two of three voters is more than half.
    qtbot.mouseClick(panel.all_present_button, Qt.MouseButton.LeftButton)
    settle()

    assert _("Quorum met") in panel.quorum_label.text()
    lines = {line.name: line for line in _rows(panel.model)}
    assert {n: line.state for n, line in lines.items()} == {
        "张一": "present",
        "张二": "present",
        "张三": "leave",
        "李四": "present",
    }
    assert lines["张三"].reason == "外出务工"
    assert page.current().quorum == "met"
    assert page.meeting_model.data(page.meeting_model.index(0, 3)) == "3/4"


@pytest.fixture
def window(qtbot, db, branch):  # type: ignore[no-untyped-def]
    win = MainWindow(Services(db))
    qtbot.addWidget(win)
    return win


def test_a_decision_marked_done_leaves_the_overdue_list_and_the_status_bar(
    qtbot, window, people, settle
):
    meetings = window.services.meetings
    meeting = meetings.save(MeetingDraft(kind="joint", starts_at=ON, topic="联席会议", held=True))
    late = meetings.decide(meeting.id, "修缮文化广场路灯", "第一小组", ON.date() + dt.timedelta(7))
    meetings.decide(meeting.id, "走访困难群众", "支部", TODAY + dt.timedelta(days=30))
    window.update_status()
    overdue_meetings = sum(r.state == "overdue" for r in meetings.due(TODAY))
    assert window.overdue_label.text() == _(
        "Overdue meetings: {meetings}, decisions: {decisions}"
    ).format(meetings=overdue_meetings, decisions=1)

    window.show_page("meetings")
    page = window.page("meetings")
    page.refresh()
    panel = page.decisions
    rows = _rows(panel.model)
    assert [r.content for r in rows] == ["修缮文化广场路灯", "走访困难群众"]
    state = panel.model.index(0, 3)
    assert panel.model.data(state) == _("Overdue")
    assert panel.model.data(state, Qt.ItemDataRole.ForegroundRole) is not None
    assert panel.model.data(panel.model.index(1, 3), Qt.ItemDataRole.ForegroundRole) is None

    assert panel.model.select_record(panel.table, late.id)
    qtbot.mouseClick(panel.done_button, Qt.MouseButton.LeftButton)
    settle()

    assert [r.content for r in _rows(panel.model)] == ["走访困难群众"]
    assert meetings.overdue_decisions(TODAY) == []
    assert window.overdue_label.text() == _(
        "Overdue meetings: {meetings}, decisions: {decisions}"
    ).format(meetings=overdue_meetings, decisions=0)


def test_decisions_are_added_to_the_chosen_meeting_and_carried_over(qtbot, page, service, settle):
    first = service.save(MeetingDraft(kind="joint", starts_at=ON, topic="第一次", held=True))
    page.refresh(select=first.id)
    panel = page.decisions
    panel.content_edit.setText("清理河道")
    panel.owner_edit.setText("第二小组")
    qtbot.keyClick(panel.owner_edit, Qt.Key.Key_Return)
    settle()
    assert [(r.content, r.owner) for r in _rows(panel.model)] == [("清理河道", "第二小组")]

    later = ON + dt.timedelta(days=30)
    second = service.save(MeetingDraft(kind="joint", starts_at=later, topic="第二次", held=True))
    page.refresh(select=second.id)
    panel.scope.setCurrentIndex(panel.scope.findData("meeting"))
    assert [r.content for r in _rows(panel.model)] == ["清理河道"]
    assert panel.model.data(panel.model.index(0, 3)) == _("Carried over")


def test_the_member_dialog_shows_the_members_attendance_this_year(qtbot, db, branch, people):
    from desktop.models.meetings.rows import AttendanceEntry
    from desktop.models.register.service import MemberService
    from desktop.views.members.member_dialog import MemberDialog

    full, _probationary = people
    service = MeetingService(db, branch.id, "admin")
    day = dt.datetime.combine(TODAY.replace(month=1, day=1), dt.time(8, 0))
    first = service.save(MeetingDraft(kind="assembly", starts_at=day, held=True))
    later = service.save(MeetingDraft(kind="lecture", starts_at=day.replace(hour=14), held=True))
    service.attend(first.id, [AttendanceEntry("leave", member_id=full[0].id, reason="生病")], True)
    service.attend(later.id, [], all_present=True)
    members = MemberService(db, branch.id)

    dialog = MemberDialog(members, [], [], members.get(full[0].id))
    qtbot.addWidget(dialog)
    assert not dialog.attendance_label.isHidden()
    assert dialog.attendance_label.text() == _(
        "Meetings this year: expected {expected}, present {present}, with leave "
        "{leave}, absent {absent}, made up {made_up}"
    ).format(expected=2, present=1, leave=1, absent=0, made_up=0)
    new = MemberDialog(members, [], [])
    qtbot.addWidget(new)
    assert new.attendance_label.isHidden()


def test_the_sign_in_sheet_of_the_chosen_meeting_is_saved_as_pdf(
    qtbot, db, branch, service, people, tmp_path, settle
):
    from desktop.models.documents.service import PrintService

    meeting = service.save(MeetingDraft(kind="assembly", starts_at=ON, topic="党员大会", held=True))
    page = MeetingsPage(service, PrintService(db, branch.id), today=TODAY)
    qtbot.addWidget(page)
    page.year_filter.setValue(ON.year)
    page.refresh(select=meeting.id)
    out = tmp_path / "签到表.pdf"
    page.ask_save_path = lambda _suggested: str(out)  # the file dialog, answered
    with qtbot.waitSignal(page.status_message, timeout=20_000):
        qtbot.mouseClick(page.sign_in_button, Qt.MouseButton.LeftButton)
    settle()
    assert out.read_bytes().startswith(b"%PDF")


def test_the_years_register_is_saved_as_pdf_with_its_meetings(
    qtbot, db, branch, service, people, tmp_path, settle
):
    from desktop.models.documents.service import PrintService
    from tests.printing.pdfcheck import flat, text

    meeting = service.save(
        MeetingDraft(kind="assembly", starts_at=ON, topic="年中党员大会", held=True)
    )
    service.attend(meeting.id, [], all_present=True)
    page = MeetingsPage(service, PrintService(db, branch.id), today=TODAY)
    qtbot.addWidget(page)
    page.year_filter.setValue(ON.year)
    asked: list[str] = []
    out = tmp_path / "register.pdf"

    def answer(suggested: str) -> str:
        asked.append(suggested)
        return str(out)

    page.ask_save_path = answer  # the file dialog, answered
    with qtbot.waitSignal(page.status_message, timeout=20_000):
        qtbot.mouseClick(page.register_button, Qt.MouseButton.LeftButton)
    settle()
    assert asked == [f"{_('meeting register')}{ON.year}.pdf"]
    body = flat(text(out))
    assert "年中党员大会" in body and "100%" in body


def test_a_decisions_text_is_changed_and_a_mistaken_one_removed(
    qtbot, page, service, settle, monkeypatch
):
    from desktop.views import messages
    from desktop.views.meetings.decision_dialog import DecisionDialog

    meeting = service.save(MeetingDraft(kind="joint", starts_at=ON, topic="联席会议", held=True))
    kept = service.decide(meeting.id, "修路灯", "村支部", ON.date() + dt.timedelta(days=40))
    typo = service.decide(meeting.id, "重复录入的事项")
    page.refresh(select=meeting.id)
    panel = page.decisions
    panel.scope.setCurrentIndex(panel.scope.findData("meeting"))

    assert panel.model.select_record(panel.table, kept.id)
    qtbot.mouseClick(panel.change_button, Qt.MouseButton.LeftButton)
    dialog = panel.findChild(DecisionDialog)
    assert dialog is not None and dialog.content_edit.toPlainText() == "修路灯"
    qtbot.waitExposed(dialog)
    # A refusal keeps the dialog open with its reason.
    dialog.content_edit.setPlainText("  ")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    settle()
    assert dialog.isVisible() and dialog.problem.text() == _("Write what was decided.")
    dialog.content_edit.setPlainText("修复村口路灯两盏")
    dialog.owner_edit.setText("第一党小组")
    dialog.due_check.setChecked(False)
    with qtbot.waitSignal(page.status_message, timeout=10_000):
        dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
        settle()
    assert not dialog.isVisible()
    row = next(d for d in service.decisions() if d.id == kept.id)
    assert (row.content, row.owner, row.due_on) == ("修复村口路灯两盏", "第一党小组", None)
    assert "修复村口路灯两盏" in [r.content for r in _rows(panel.model)]

    assert panel.model.select_record(panel.table, typo.id)
    monkeypatch.setattr(messages, "confirm", lambda *a: False)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    settle()
    assert typo.id in [d.id for d in service.decisions()]
    monkeypatch.setattr(messages, "confirm", lambda *a: True)
    qtbot.mouseClick(panel.remove_button, Qt.MouseButton.LeftButton)
    settle()
    assert [d.id for d in service.decisions()] == [kept.id]
    assert [r.id for r in _rows(panel.model)] == [kept.id]


def test_frequencies_and_the_committee_are_planned_in_the_window(
    qtbot, page, service, people, settle
):
    from desktop.views.meetings.plan_dialog import PlanDialog

    qtbot.mouseClick(page.plan_button, Qt.MouseButton.LeftButton)
    dialog = page.findChild(PlanDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    kinds = [dialog.frequencies.item(r, 0).text() for r in range(dialog.frequencies.rowCount())]
    assert kinds == [r.kind_label for r in service.frequencies()]
    assert dialog.every["joint"].currentData() == 3  # the rules' default

    # The joint meeting every month, on the 20th: the page's due list follows.
    every = dialog.every["joint"]
    every.setCurrentIndex(every.findData(1))
    every.activated.emit(every.currentIndex())
    settle()
    dialog.days["joint"].setValue(20)
    dialog.days["joint"].editingFinished.emit()
    settle()
    joint = next(r for r in service.frequencies() if r.kind == "joint")
    assert (joint.months, joint.day) == (1, 20)
    due = next(r for r in service.due(TODAY) if r.kind == "joint")
    assert due.due_on.day == min(20, due.period_end.day)
    assert due in page.due_model.rows() or due.state == "held"
    # Not required any more: it leaves the due list.
    every.setCurrentIndex(every.findData(0))
    every.activated.emit(every.currentIndex())
    settle()
    assert "joint" not in {r.kind for r in service.due(TODAY)}
    assert "joint" not in {r.kind for r in page.due_model.rows()}

    # The committee: seat two members, end one seat.
    full, _probationary = people
    dialog.tabs.setCurrentIndex(1)
    assert dialog.member_picker.search("没有这个人") == []
    dialog.seat_button.click()
    assert dialog.problem.text() == _("Choose a member of the branch from the list.")
    for member, post in ((full[0], "secretary"), (full[1], "organisation")):
        # Found by the initials of the name's pinyin, as the clerk may type them.
        found = dialog.member_picker.search(_initials(member.name))
        dialog.member_picker.choose([c.key for c in found].index(member.id))
        dialog.post_combo.setCurrentIndex(dialog.post_combo.findData(post))
        dialog.seat_button.click()
        settle()
    assert [(r.name, r.post) for r in service.committee(TODAY)] == [
        (full[0].name, "secretary"),
        (full[1].name, "organisation"),
    ]
    assert dialog.seat_model.rowCount() == 2
    seated = [c.key for c in dialog.member_picker.search(full[0].name)]
    assert full[0].id not in seated  # seated members are not offered
    dialog.seats.selectRow(1)
    dialog.end_button.click()
    settle()
    assert [r.name for r in service.committee(TODAY)] == [full[0].name]
    assert [r.name for r in dialog.seat_model.rows()] == [full[0].name]
