# SPDX-License-Identifier: GPL-3.0-or-later
"""What the window reads stays bounded as the county grows (issue #22): searching as the clerk
types reads only the matches asked for, and one branch's lists never read the other branches
of a hub's file."""

from __future__ import annotations

import datetime as dt
import os
import tracemalloc

from desktop.models.meetings.rows import AttendanceEntry, MeetingDraft
from desktop.models.meetings.service import MeetingService
from desktop.models.register.groups import add_party_group, create_branch, list_party_groups
from desktop.models.register.members import save_member
from desktop.models.stewards import appointments, rosters
from desktop.models.stewards.service import RosterService, StewardService
from desktop.models.stewards.steward import Steward
from desktop.models.stewards.teams import list_group_volunteers
from desktop.models.store.db import Database
from desktop.views.stewards.member_choices import member_search
from tests.conftest import member_draft
from tests.sql_reads import most_rows, reads

GROUPS = 30


def test_a_member_search_reads_only_the_matches_it_shows(db: Database, branch) -> None:  # type: ignore[no-untyped-def]
    """Each keystroke in the appointment and team pickers: a few rows, not every party group
    of the branch (thousands in a county register) nor a count of its members."""
    with db.unit_of_work() as session:
        groups = [add_party_group(session, branch.id) for _ in range(GROUPS)]
        for group in groups[:3]:
            save_member(session, branch.id, member_draft(name="王建国", party_group_id=group.id))
    search = member_search(StewardService(db, branch.id))
    with reads() as seen:
        found = search("王", 2)
    assert len(found) == 2
    assert {choice.detail for choice in found} <= {g.name for g in groups}
    assert all(choice.detail for choice in found)  # the party group beside each name
    assert most_rows(seen).rows <= 2, most_rows(seen)


def test_a_branchs_party_groups_read_none_of_the_other_branches_stewards(db: Database) -> None:
    """A hub's file holds thousands of branches, each with group stewards: listing one branch's
    groups reads that branch's stewards only."""
    started = dt.date(2024, 1, 1)
    with db.unit_of_work() as session:
        here = create_branch(session, "红星村党支部", "青山镇", "临江县")
        mine = add_party_group(session, here.id)
        steward = save_member(session, here.id, member_draft(party_group_id=mine.id))
        appointments.appoint(session, here.id, steward.id, "group", mine.id, started)
        for n in range(GROUPS):
            other = create_branch(session, f"第{n}村党支部", "青山镇", "临江县")
            group = add_party_group(session, other.id)
            member = save_member(session, other.id, member_draft(party_group_id=group.id))
            appointments.appoint(session, other.id, member.id, "group", group.id, started)
    with reads() as seen, db.read() as session:
        rows = list_party_groups(session, here.id)
    assert [(row.id, row.steward_name) for row in rows] == [(mine.id, steward.draft.name)]
    assert most_rows(seen).rows <= 1, most_rows(seen)


def test_the_stewards_list_reads_no_photos_and_a_few_queries(db: Database, branch) -> None:  # type: ignore[no-untyped-def]
    """A group steward per party group: thousands in a county register, each photo up to
    200 KB. Listing them reads neither a query per steward nor their photos."""
    started = dt.date(2024, 1, 1)
    with db.unit_of_work() as session:
        for n in range(GROUPS):
            group = add_party_group(session, branch.id)
            member = save_member(session, branch.id, member_draft(party_group_id=group.id))
            steward = appointments.appoint(
                session, branch.id, member.id, "group", group.id, started
            )
            session.get_one(Steward, steward.id).photo = os.urandom(150_000)
            appointments.save_commitment(session, steward.id, started.year, f"承诺{n}")
    service = StewardService(db, branch.id)
    tracemalloc.start()
    try:
        with reads() as seen:
            rows = service.stewards()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(rows) == GROUPS and all(row.has_photo for row in rows)
    assert [row.party_group_number for row in rows] == sorted(r.party_group_number for r in rows)
    assert len(seen) < 10, f"{len(seen)} queries"
    assert peak < GROUPS * 150_000 / 3, f"{peak / 1e6:.1f} MB"


def test_the_meetings_list_counts_attendance_without_reading_the_register(
    db: Database, branch
) -> None:  # type: ignore[no-untyped-def]
    """A branch meeting (党员大会) expects every member: 500,000 at county scale. The list of
    meetings counts who was expected and came in SQL, not by reading every member per meeting."""
    with db.unit_of_work() as session:
        ids = [save_member(session, branch.id, member_draft()).id for _ in range(GROUPS)]
        late = save_member(
            session,
            branch.id,
            member_draft(status="probationary", joined_on=dt.date.today(), confirmed_on=None),
        ).id
    service = MeetingService(db, branch.id, "admin")
    starts = dt.datetime.combine(dt.date.today() - dt.timedelta(days=10), dt.time(9))
    for n in range(3):
        meeting = service.save(MeetingDraft("assembly", starts - dt.timedelta(days=n), "大会"))
    entries = [AttendanceEntry("present", member_id) for member_id in ids[:20]]
    entries += [AttendanceEntry("leave", ids[20]), AttendanceEntry("absent", ids[21])]
    entries += [AttendanceEntry("absent", late), AttendanceEntry("present", None, "王镇长")]
    service.attend(meeting.id, entries)
    with reads() as seen:
        rows = service.meetings()
    counted = {row.id: (row.expected, row.present, row.leave, row.absent) for row in rows}
    # The one who joined after the meeting is expected only because recorded absent.
    assert counted[meeting.id] == (GROUPS + 1, 20, 1, 2)
    assert sorted(counted.values())[:2] == [(GROUPS, 0, 0, 0)] * 2
    # A row per meeting, per attendance state (three) and expected or not; no member rows.
    assert most_rows(seen).rows <= 6, most_rows(seen)


def test_the_dialogs_group_choices_do_not_count_the_register(db: Database, branch) -> None:  # type: ignore[no-untyped-def]
    """The appointment, household and meeting dialogs offer the party groups by name: reading
    them does not count every member of the register by group."""
    with db.unit_of_work() as session:
        for _ in range(3):
            save_member(session, branch.id, member_draft())
    with reads() as seen:
        steward_choices = StewardService(db, branch.id).party_groups()
        meeting_choices = MeetingService(db, branch.id).party_groups()
    with db.read() as session:
        groups = list_party_groups(session, branch.id)
    assert steward_choices == [(g.id, g.name) for g in groups]
    assert meeting_choices == [(g.id, g.number, g.name) for g in groups]
    assert not [read.sql for read in seen if "FROM member" in read.sql]


def test_the_rosters_list_counts_duties_and_reads_only_its_branch(db: Database, branch) -> None:  # type: ignore[no-untyped-def]
    """A roster a month per team, a team per party group: the rosters page and the print
    centre list them without a query per roster, its duties, or another branch's teams."""
    started, first = dt.date(2024, 1, 1), dt.date(2026, 3, 2)
    with db.unit_of_work() as session:
        other = create_branch(session, "第二村党支部", "青山镇", "临江县")
        for where in (branch.id, other.id):
            for _ in range(GROUPS // 2):
                group = add_party_group(session, where)
                member = save_member(session, where, member_draft(party_group_id=group.id))
                appointments.appoint(session, where, member.id, "group", group.id, started)
                team = list_group_volunteers(session, where, group.id)[0].team_id
                rosters.generate_roster(session, team, first, first + dt.timedelta(days=13))
    service = RosterService(db, branch.id)
    with reads() as seen:
        rows = service.rosters()
    assert len(rows) == GROUPS // 2
    assert all(row.duty_count == 10 and row.unfilled == 0 for row in rows), rows[0]
    assert len(seen) < 5, f"{len(seen)} queries"
    assert sum(read.rows for read in seen) <= 2 * len(rows), [r.rows for r in seen]
