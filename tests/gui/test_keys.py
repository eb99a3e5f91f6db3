# SPDX-License-Identifier: GPL-3.0-or-later
"""The keyboard all the way: Esc asks before typed data is thrown away."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit

from desktop.models.meetings.service import MeetingService
from desktop.models.register.service import BranchService, MemberService
from desktop.models.stewards.service import StewardService
from desktop.views import messages
from desktop.views.meetings.meeting_dialog import MeetingDialog
from desktop.views.members.member_dialog import MemberDialog
from desktop.views.stewards.away_dialog import AwayDialog
from desktop.views.stewards.household_dialog import HouseholdDialog

pytestmark = pytest.mark.gui


def _member(db, branch) -> QDialog:  # type: ignore[no-untyped-def]
    branches = BranchService(db)
    return MemberDialog(
        MemberService(db, branch.id),
        branches.party_groups(branch.id),
        branches.villager_groups(branch.id),
    )


def _decision(db, branch) -> QDialog:  # type: ignore[no-untyped-def]
    import datetime as dt

    from desktop.models.meetings.rows import MeetingDraft
    from desktop.views.meetings.decision_dialog import DecisionDialog
    from desktop.views.ops import Ops

    meetings = MeetingService(db, branch.id)
    meeting = meetings.save(
        MeetingDraft(kind="joint", starts_at=dt.datetime(2026, 11, 5, 9), topic="联席会议")
    )
    row = meetings.decide(meeting.id, "修村道")
    dialog = DecisionDialog(meetings, Ops(), row)
    return dialog


DIALOGS: dict[str, tuple[Callable[..., QDialog], str]] = {
    "decision": (_decision, "decision_owner_edit"),
    "member": (_member, "name"),
    "household": (lambda db, branch: HouseholdDialog(StewardService(db, branch.id)), "head_name"),
    "meeting": (lambda db, branch: MeetingDialog(MeetingService(db, branch.id)), "topic"),
    "away": (lambda db, branch: AwayDialog("张三"), "away_reason"),
}


@pytest.mark.parametrize("kind", sorted(DIALOGS))
def test_esc_asks_before_throwing_typed_data_away(qtbot, db, branch, monkeypatch, kind):
    make, field = DIALOGS[kind]
    asked: list[str] = []
    answers = iter([False, True])

    def confirm(_parent: object, title: str, _text: str) -> bool:
        asked.append(title)
        return next(answers)

    monkeypatch.setattr(messages, "confirm", confirm)
    dialog = make(db, branch)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing typed: closes without asking
    assert not dialog.isVisible() and asked == []

    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.findChild(QLineEdit, field)
    assert edit is not None
    edit.setText("王家坪")
    qtbot.keyClick(edit, Qt.Key.Key_Escape)  # "no": the dialog stays with what was typed
    assert asked == ["放弃修改"] and dialog.isVisible() and edit.text() == "王家坪"
    qtbot.keyClick(edit, Qt.Key.Key_Escape)  # "yes": closed
    assert len(asked) == 2 and not dialog.isVisible()
