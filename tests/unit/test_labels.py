# SPDX-License-Identifier: GPL-3.0-or-later
"""A record is named the same way in the audit trail and in the sync page's conflicts."""

from __future__ import annotations

from sqlalchemy import select

from desktop.i18n import format_date
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
        period = f"{format_date(roster.starts_on)}–{format_date(roster.ends_on)}"
        assert conflicts.record_label(session, "roster", roster.id) == f"{team} {period}"
        assert conflicts.record_label(session, "steward", steward.id) == member
        named = {(e.entity, e.row_id): e.record for e in trail.audit_entries(session, limit=None)}
    assert named[("roster", roster.id)] == f"{team} {period}"
    assert named[("steward", steward.id)] == member
    assert named[("member", steward.member_id)] == member


def test_the_page_names_only_the_records_it_shows_and_names_them_the_same(demo_db):
    """The audit page's entries name only their own records (and those they refer to), not
    every record in the log (#22); the names and values are those of the full reading."""
    with demo_db.read() as session:
        everything = trail.audit_entries(session, limit=None)  # every record's name read
        nearly = trail.audit_entries(session, limit=len(everything) - 1)
        shown = trail._record_names(session, {e.row_id for e in everything[:300]})
    assert nearly == everything[:-1]
    assert {e.entity for e in nearly} >= {"roster", "steward", "volunteer", "member"}
    assert len(shown) < len({e.row_id for e in everything})


def test_labels_are_translated_and_entity_specific():
    assert labels.field_label("member", "joined_on") == "入党日期"
    assert labels.field_label("volunteer", "joined_on") == "加入服务队"
    assert labels.entity_label("household") == "户"
    assert labels.field_label("member", "no_such_field") == "no_such_field"


def test_coded_values_read_as_the_pages_show_them():
    """男 not male, 汉族 not 01, a date as every page writes it, yes/no as words; an id alone
    is never shown."""
    value = labels.value_text
    assert value("member", "gender", "male") == "男"
    assert value("member", "ethnicity", "01") == "汉族"
    assert value("member", "standing", "normal") == "正常"
    assert value("member", "status", "full") == "正式党员"
    assert value("service_record", "kind", "visit") == "走访"
    assert value("meeting", "kind", "joint") == "联席会议"
    assert value("member", "birth_date", "1969-11-21") == "1969年11月21日"
    assert value("member", "lost_contact", True) == "是"
    assert value("member", "party_group_id", "01a2b3c4-0000-7000-8000-000000000000") == ""
    assert value("member", "party_group_id", "x", lambda _f, _v: "第一党小组") == "第一党小组"
    assert value("member", "_row", "delete") == "删除这条记录"
    assert value("member", "phone", "13800001111") == "13800001111"
    assert value("member", "phone", None) == value("member", "notes", "") == ""
