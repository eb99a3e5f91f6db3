# SPDX-License-Identifier: GPL-3.0-or-later
"""Party groups: removing one says first why it cannot go, before asking."""

from __future__ import annotations

import pytest

from desktop.models.register.service import BranchService, MemberService
from desktop.views import messages
from desktop.views.groups.party_group_page import PartyGroupsPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, db, branch):  # type: ignore[no-untyped-def]
    widget = PartyGroupsPage(BranchService(db), MemberService(db, branch.id))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_a_group_with_members_is_refused_before_any_question(
    qtbot, settle, page, db, branch, make_member, monkeypatch
):
    first, second = BranchService(db).party_groups(branch.id)
    make_member(party_group_id=first.id)
    page.refresh()
    asked: list[str] = []
    told: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda _p, _t, text: asked.append(text) or True)
    monkeypatch.setattr(messages, "inform", lambda _p, _t, text: told.append(text))

    page.select_group(first.id)
    page.remove_button.click()
    settle()
    assert asked == [] and told and first.name in told[0]
    assert first.id in {g.id for g in BranchService(db).party_groups(branch.id)}

    page.select_group(second.id)  # empty: asked, then removed
    page.remove_button.click()
    settle()
    assert len(asked) == 1 and len(told) == 1
    assert second.id not in {g.id for g in BranchService(db).party_groups(branch.id)}
