# SPDX-License-Identifier: GPL-3.0-or-later
"""Pages that read one team's people read that team, not every team of the branch (a county
register has a party group, and so a service team, per few hundred members: thousands, #22)."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.models.register.groups import add_party_group
from desktop.models.register.members import save_member
from desktop.models.stewards import appointments
from desktop.models.stewards.households import save_household
from desktop.models.stewards.rows import HouseholdDraft
from desktop.models.stewards.service import ServiceLogService, StewardService
from desktop.models.store.db import Database
from desktop.tabular.service import TabularService
from desktop.views.stewards.households_page import HouseholdsPage
from desktop.views.stewards.service_log_page import ServiceLogPage
from tests.conftest import member_draft
from tests.sql_reads import most_rows, reads

pytestmark = pytest.mark.gui

TEAMS = 30
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉梅"


@pytest.fixture
def teams(db: Database, branch) -> list[str]:  # type: ignore[no-untyped-def]
    """`TEAMS` party groups, each with a group steward (and so a team with the steward in
    it) and one household; returns the stewards' names."""
    names = []
    with db.unit_of_work() as session:
        for n in range(TEAMS):
            group = add_party_group(session, branch.id)
            steward = save_member(
                session, branch.id, member_draft(name=f"王{GIVEN[n]}", party_group_id=group.id)
            )
            appointments.appoint(
                session, branch.id, steward.id, "group", group.id, dt.date(2024, 1, 1)
            )
            save_household(
                session,
                branch.id,
                HouseholdDraft(f"李{GIVEN[n]}", f"第{n}组", party_group_id=group.id),
            )
            names.append(steward.draft.name)
    return names


def test_choosing_a_household_reads_only_its_teams_people(qtbot, db, branch, teams):  # type: ignore[no-untyped-def]
    page = HouseholdsPage(StewardService(db, branch.id))
    qtbot.addWidget(page)
    page.show()
    with reads() as seen:
        page.table.selectRow(0)
    household = page.selected()
    offered = [page.carer_combo.itemText(i) for i in range(1, page.carer_combo.count())]
    assert offered == [teams[int(household.address.strip("第组"))]]  # the group's steward
    assert most_rows(seen).rows <= 1, most_rows(seen)


def test_the_service_log_reads_the_team_people_in_a_few_queries(qtbot, db, branch, teams):  # type: ignore[no-untyped-def]
    stewards = StewardService(db, branch.id)
    page = ServiceLogPage(ServiceLogService(db, branch.id), stewards, TabularService(db, branch.id))
    qtbot.addWidget(page)
    with reads() as seen:
        page.reload()
    assert sorted(choice.name for choice in page._search_people("王", 100)) == sorted(teams)
    assert len(seen) < TEAMS, f"{len(seen)} queries"
