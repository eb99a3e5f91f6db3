# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo's stewards at work: teams, carers, this month's rosters and months of service log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from desktop.models.demo import loader
from desktop.models.register.groups import current_branch
from desktop.models.stewards import households as household_rules
from desktop.models.stewards import rosters as roster_rules
from desktop.models.stewards import teams as team_rules
from desktop.models.stewards.service_records import list_services
from desktop.models.store.base import SyncedRecord
from desktop.models.store.changelog import Change
from tests.conftest import DEMO_DAY


def _counts(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        cls.__tablename__: session.scalar(select(func.count()).select_from(cls))
        for cls in SyncedRecord.__subclasses__()
    }


def test_demo_has_teams_rosters_and_service_log(demo_db):
    today = DEMO_DAY  # the day the demo was placed on, even after midnight
    with demo_db.read() as s:
        branch = current_branch(s)
        teams = team_rules.list_teams(s, branch.id, today)
        rosters = roster_rules.list_rosters(s, branch.id)
        services = list_services(s, branch.id)
        households = household_rules.list_households(s, branch.id, today=today)
        detail = roster_rules.roster_detail(s, rosters[0].id)
    assert len(teams) == 12 and all(t.steward_name and t.volunteer_count >= 5 for t in teams)
    with demo_db.read() as s:  # the teams read together are each team read on its own
        one_by_one = [
            team_rules._team_row(s, s.get(team_rules.ServiceTeam, t.id), today) for t in teams
        ]
    assert teams == one_by_one
    assert len(rosters) == 12
    assert all(r.starts_on == today.replace(day=1) and r.unfilled == 0 for r in rosters)
    assert detail.spread <= 1
    assert min(r.served_on for r in services) <= today - dt.timedelta(days=90)
    assert all(h.carer_name for h in households)
    late = [h for h in households if h.overdue_days and h.overdue_days > 0]
    assert 0 < len(late) < len(households) // 4
    # Recent visits (the last five days) fulfil the stewards' commitments, pledged for this
    # year: those served this year (none on Jan 1, when yesterday was last year).
    linked = [r for r in services if r.commitment_id]
    assert all(r.served_on.year == today.year for r in linked)
    assert linked or (today - dt.timedelta(days=1)).year < today.year


def test_loading_the_demo_twice_duplicates_nothing_and_logs_everything(demo_db):
    with demo_db.read() as s:
        before = _counts(s)
        logged = dict(
            s.execute(
                select(Change.entity, func.count(func.distinct(Change.row_id))).group_by(
                    Change.entity
                )
            ).all()
        )
    with demo_db.unit_of_work() as s:
        created, _ = loader.load_demo(s)
    assert not created
    with demo_db.read() as s:
        assert _counts(s) == before
    for table, count in before.items():
        assert logged.get(table, 0) == count, table
