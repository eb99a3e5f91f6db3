# SPDX-License-Identifier: GPL-3.0-or-later
"""A record is named the same way in the audit trail and in the sync page's conflicts."""

from __future__ import annotations

from sqlalchemy import select

from desktop.models import labels
from desktop.models.audit import trail
from desktop.models.register.member import Member
from desktop.models.stewards.roster import Roster
from desktop.models.stewards.steward import Steward
from desktop.models.stewards.team import ServiceTeam
from desktop.sync import conflicts


def test_a_roster_by_team_and_period_and_a_steward_by_member(demo_db):
    with demo_db.read() as session:
        roster, team = session.execute(
            select(Roster, ServiceTeam.name).join(ServiceTeam, ServiceTeam.id == Roster.team_id)
        ).first()
        steward, member = session.execute(
            select(Steward, Member.name).join(Member, Member.id == Steward.member_id)
        ).first()
        period = f"{roster.starts_on.isoformat()}–{roster.ends_on.isoformat()}"
        assert conflicts.record_label(session, "roster", roster.id) == f"{team} {period}"
        assert conflicts.record_label(session, "steward", steward.id) == member
        named = {(e.entity, e.row_id): e.record for e in trail.audit_entries(session, limit=None)}
    assert named[("roster", roster.id)] == f"{team} {period}"
    assert named[("steward", steward.id)] == member
    assert named[("member", steward.member_id)] == member


def test_labels_are_translated_and_entity_specific():
    assert labels.field_label("member", "joined_on") == "入党日期"
    assert labels.field_label("volunteer", "joined_on") == "加入服务队"
    assert labels.entity_label("household") == "户"
    assert labels.field_label("member", "no_such_field") == "no_such_field"
