# SPDX-License-Identifier: GPL-3.0-or-later
"""Editing a member keeps their party group and villager group (ids compared by value)."""

from __future__ import annotations

import pytest

from desktop.models.register.rows import MemberQuery
from desktop.models.register.service import BranchService, MemberService
from desktop.views.members.member_dialog import MemberDialog

pytestmark = pytest.mark.gui


def test_editing_a_member_shows_and_keeps_their_groups(qtbot, demo_db):
    branches = BranchService(demo_db)
    branch = branches.current()
    members = MemberService(demo_db, branch.id)
    row = next(
        r
        for r in members.page(MemberQuery(), 0, 50)
        if r.draft.party_group_id and r.draft.villager_group_id
    )
    dialog = MemberDialog(
        members, branches.party_groups(branch.id), branches.villager_groups(branch.id), row
    )
    qtbot.addWidget(dialog)
    assert dialog.combo("party_group_id").currentData() == row.draft.party_group_id
    assert dialog.combo("villager_group_id").currentData() == row.draft.villager_group_id
    dialog.save_button.click()
    stored = members.get(row.id)
    assert stored.draft.party_group_id == row.draft.party_group_id
    assert stored.draft.villager_group_id == row.draft.villager_group_id
