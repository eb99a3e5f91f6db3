# SPDX-License-Identifier: GPL-3.0-or-later
"""Pages that read one team's people read that team, not every team of the branch (a county
register has a party group, and so a service team, per few hundred members: thousands, #22)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from desktop.i18n import _
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


MEMBERS = 40
PAGE = 10


def test_choosing_a_branch_meeting_reads_a_page_of_its_people(  # type: ignore[no-untyped-def]
    qtbot, db, branch, settle, monkeypatch
):
    """A branch meeting (党员大会) expects every member: 500,000 at a county's scale, about
    590 MB when its attendance list held them all. Choosing it reads the counts and quorum in
    SQL and one page of people; recording someone far down the list still works."""
    from desktop.models.meetings.rows import AttendanceEntry, MeetingDraft
    from desktop.models.meetings.service import MeetingService
    from desktop.views.meetings.attendance_panel import quorum_text
    from desktop.views.meetings.meetings_page import MeetingsPage
    from desktop.views.qtmodels.paged_model import PagedRowsModel

    monkeypatch.setattr(PagedRowsModel, "PAGE_SIZE", PAGE)
    with db.unit_of_work() as session:
        ids = [
            save_member(
                session,
                branch.id,
                member_draft(name=f"{'王李张刘'[n % 4]}{GIVEN[n % 30]}{GIVEN[n // 30]}"),
            ).id
            for n in range(MEMBERS)
        ]
    service = MeetingService(db, branch.id, "admin")
    on = dt.datetime.combine(dt.date.today() - dt.timedelta(days=10), dt.time(9))
    meeting = service.save(MeetingDraft("assembly", on, "党员大会", held=True))
    service.mark(
        meeting.id, [AttendanceEntry("present", ids[0]), AttendanceEntry("present", None, "王镇长")]
    )
    page = MeetingsPage(service, today=dt.date.today())
    qtbot.addWidget(page)
    page.show()
    with reads() as seen:
        page.refresh(select=meeting.id)
    panel = page.attendance
    assert panel.model.rowCount() == MEMBERS + 1  # and the guest
    assert most_rows(seen).rows <= PAGE, most_rows(seen)
    assert sum(read.rows for read in seen) <= 3 * PAGE, [read.rows for read in seen]
    # The people recorded first, then the guest, then the rest by the pinyin of their names.
    every = [panel.model.row_at(row) for row in range(panel.model.rowCount())]
    assert [line.state for line in every[:2]] == ["present", "present"]
    assert every[1].member_id is None and every[1].name == "王镇长"
    assert [line.name for line in every[2:]] == [
        person.name for person in service.detail(meeting.id).unrecorded
    ]
    shown = service.overview(meeting.id)
    assert (shown.meeting.expected, shown.meeting.present) == (MEMBERS, 1)
    assert (shown.quorum.state, shown.quorum.voters, shown.quorum.voters_present) == (
        "not_met",
        MEMBERS,
        1,
    )
    assert panel.quorum_label.text() == quorum_text(shown)

    # The last member, on the last page: absent; everyone else then present.
    last = panel.model.rowCount() - 1
    panel.table.scrollToBottom()
    panel.table.selectRow(last)
    chosen = panel.model.row_at(last)
    panel.state_combo.setCurrentIndex(panel.state_combo.findData("absent"))
    with reads() as seen:
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        settle()
    assert most_rows(seen).rows <= PAGE, most_rows(seen)
    qtbot.mouseClick(panel.all_present_button, Qt.MouseButton.LeftButton)
    settle()
    states = {line.member_id: line.state for line in service.detail(meeting.id).attendance}
    assert states[chosen.member_id] == "absent"
    assert sum(state == "present" for state in states.values()) == MEMBERS  # and the guest
    assert panel.model.rowCount() == MEMBERS + 1
    assert _("Quorum met") in panel.quorum_label.text()
    assert page.current().present == MEMBERS - 1


SERVICES = 45


def test_the_service_log_reads_a_page_of_records_and_sums_in_sql(  # type: ignore[no-untyped-def]
    qtbot, db, branch, teams, settle, monkeypatch
):
    """Two years of a county's log is hundreds of thousands of records, and the 90 days shown
    by default tens of thousands: the list reads a page of them, the totals are summed in SQL,
    and a record changed far down the list is still chosen after the change."""
    from desktop.models.stewards.rows import ServiceDraft
    from desktop.models.stewards.service_records import record_service
    from desktop.views.qtmodels.paged_model import PagedRowsModel

    monkeypatch.setattr(PagedRowsModel, "PAGE_SIZE", PAGE)
    stewards = StewardService(db, branch.id)
    volunteer, name, _team = next(p for p in stewards.team_people() if p[1] == teams[0])
    today = dt.date.today()
    with db.unit_of_work() as session:
        recorded = [
            record_service(
                session,
                branch.id,
                ServiceDraft(today - dt.timedelta(days=n), minutes=30, volunteer_ids=(volunteer,)),
            ).id
            for n in range(SERVICES)
        ]
    page = ServiceLogPage(ServiceLogService(db, branch.id), stewards, TabularService(db, branch.id))
    qtbot.addWidget(page)
    page.show()
    with reads() as seen:
        page.refresh()
    assert page.record_model.rowCount() == SERVICES
    assert most_rows(seen).rows <= PAGE, most_rows(seen)
    assert page.total_label.text() == _("{n} records, {hours} hours").format(
        n=SERVICES, hours=f"{SERVICES / 2:g}"
    )
    assert [(r.label, r.records, r.minutes) for r in page.sum_model.rows()] == [
        (name, SERVICES, SERVICES * 30)
    ]
    shown = [page.record_model.row_at(row).id for row in range(SERVICES)]
    assert shown == recorded  # newest first, across every page

    # The oldest, on the last page, is chosen again after a change.
    with reads() as seen:
        page.refresh(select=recorded[-1])
    assert page.selected_record().id == recorded[-1]
    assert most_rows(seen).rows <= PAGE, most_rows(seen)
