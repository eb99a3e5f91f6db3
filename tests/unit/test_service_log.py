# SPDX-License-Identifier: GPL-3.0-or-later
"""Recording services and summing them by person, group, household, kind and period."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.errors import ValidationFailed
from desktop.models.register.groups import list_party_groups
from desktop.models.stewards import households, service_records, teams
from desktop.models.stewards.household import Household
from desktop.models.stewards.rows import ServiceDraft, ServiceQuery

D = dt.date


@pytest.fixture
def world(db, branch):
    with db.unit_of_work() as s:
        g1, g2 = list_party_groups(s, branch.id)[:2]
        t1 = teams.ensure_team(s, branch.id, g1.id)
        t2 = teams.ensure_team(s, branch.id, g2.id)
        a = teams.add_volunteer(s, t1.id, name="甲一", phone="13912345671")
        b = teams.add_volunteer(s, t1.id, name="乙二", phone="13912345672")
        c = teams.add_volunteer(s, t2.id, name="丙三", phone="13912345673")
        h1 = Household(
            branch_id=branch.id, party_group_id=g1.id, head_name="罗奶奶", elderly_alone=True
        )
        h2 = Household(branch_id=branch.id, party_group_id=g2.id, head_name="陈大伯")
        s.add_all([h1, h2])
        s.flush()
        return {"g1": g1.id, "g2": g2.id, "a": a.id, "b": b.id, "c": c.id, "h1": h1.id, "h2": h2.id}


def _add(db, branch, **kw):
    with db.unit_of_work() as s:
        return service_records.record_service(s, branch.id, ServiceDraft(**kw))


def test_sums_by_each_dimension_and_period(db, branch, world):
    w = world
    _add(
        db,
        branch,
        served_on=D(2026, 3, 2),
        kind="visit",
        minutes=60,
        volunteer_ids=(w["a"], w["b"]),
        household_ids=(w["h1"],),
    )
    _add(db, branch, served_on=D(2026, 3, 20), kind="cleaning", minutes=90, volunteer_ids=(w["a"],))
    _add(
        db,
        branch,
        served_on=D(2026, 4, 5),
        kind="mediation",
        minutes=120,
        volunteer_ids=(w["c"],),
        household_ids=(w["h1"], w["h2"]),
    )
    with db.read() as s:

        def sums(by, **q):
            return {
                r.label: (r.records, r.minutes)
                for r in service_records.sum_services(s, branch.id, by, ServiceQuery(**q))
            }

        assert sums("person") == {"甲一": (2, 150), "乙二": (1, 60), "丙三": (1, 120)}
        groups = list_party_groups(s, branch.id)
        assert sums("group") == {groups[0].name: (2, 150), groups[1].name: (1, 120)}
        assert sums("household") == {"罗奶奶": (2, 180), "陈大伯": (1, 120)}
        assert sums("kind") == {"走访": (1, 60), "清洁": (1, 90), "矛盾调解": (1, 120)}
        assert sums("kind", date_from=D(2026, 3, 10), date_to=D(2026, 3, 31)) == {"清洁": (1, 90)}
        assert sums("person", household_id=w["h1"]) == {
            "甲一": (1, 60),
            "乙二": (1, 60),
            "丙三": (1, 120),
        }
        listed = service_records.list_services(s, branch.id, ServiceQuery(volunteer_id=w["a"]))
        assert [r.kind for r in listed] == ["cleaning", "visit"]
        late = households.overdue_households(s, branch.id, today=D(2026, 4, 6))
    # 罗奶奶 (alone, every 7 days) was last visited on 2 March (mediation on 5 April counts too).
    assert [r.head_name for r in late] == []
    with db.read() as s:
        late = households.overdue_households(s, branch.id, today=D(2026, 4, 20))
    assert [(r.head_name, r.overdue_days) for r in late] == [("罗奶奶", 8)]


def test_bad_entries_get_messages_for_each_field(db, branch, world):
    with pytest.raises(ValidationFailed) as info:
        _add(db, branch, served_on=None, kind="nonsense", minutes=0, volunteer_ids=())
    assert set(info.value.problems) == {"served_on", "kind", "minutes", "volunteer_ids"}


def test_configured_kinds_keep_the_defaults_and_add_new_ones(db, branch, world):
    with db.unit_of_work() as s:
        service_records.save_kind(s, branch.id, "harvest", "帮收帮种")
        service_records.save_kind(s, branch.id, "publicity", "", active=False)
    with db.read() as s:
        codes = [k.code for k in service_records.list_kinds(s, branch.id)]
    assert codes[0] == "visit" and codes[-1] == "harvest" and "publicity" not in codes
    _add(
        db,
        branch,
        served_on=D(2026, 5, 1),
        kind="harvest",
        minutes=240,
        volunteer_ids=(world["a"],),
    )
    with db.read() as s:
        assert service_records.list_services(s, branch.id)[0].kind_label == "帮收帮种"


def test_removing_a_record_takes_it_out_of_the_sums(db, branch, world):
    row = _add(
        db, branch, served_on=D(2026, 3, 2), kind="visit", minutes=60, volunteer_ids=(world["a"],)
    )
    with db.unit_of_work() as s:
        service_records.remove_service(s, row.id)
    with db.read() as s:
        assert service_records.sum_services(s, branch.id, "kind") == []


def test_a_service_can_fulfil_the_team_stewards_commitment(db, branch, world, make_member):
    from desktop.models.stewards import appointments

    w = world
    member = make_member()
    with db.unit_of_work() as s:
        steward = appointments.appoint(s, branch.id, member.id, "group", w["g1"], D(2026, 1, 1))
        pledged = appointments.save_commitment(s, steward.id, 2026, "每周走访独居老人")
    _add(db, branch, served_on=D(2026, 3, 2), volunteer_ids=(w["b"],), fulfils_commitment=True)
    _add(db, branch, served_on=D(2026, 3, 3), volunteer_ids=(w["a"],))  # not linked
    with db.read() as s:
        row = appointments.get_steward(s, steward.id, year=2026)
        assert row.commitment.id == pledged.id and row.commitment.service_count == 1
    # The other group's team has no steward with a commitment: said, and nothing stored.
    with pytest.raises(ValidationFailed) as info:
        _add(db, branch, served_on=D(2026, 3, 2), volunteer_ids=(w["c"],), fulfils_commitment=True)
    assert "2026" in info.value.problems["commitment_id"]
    with pytest.raises(ValidationFailed):  # nor in 2025, before the commitment's year
        _add(db, branch, served_on=D(2025, 12, 2), volunteer_ids=(w["b"],), fulfils_commitment=True)


def test_a_recorded_service_is_changed_and_each_change_is_audited(db, branch, world):
    from desktop.models.audit.service import AuditService
    from desktop.models.audit.trail import AuditQuery
    from desktop.models.stewards.service import ServiceLogService

    w = world
    log = ServiceLogService(db, branch.id)
    row = log.record(
        ServiceDraft(
            served_on=D(2026, 3, 2),
            kind="visit",
            minutes=60,
            volunteer_ids=(w["a"],),
            household_ids=(w["h1"],),
        )
    )
    before = len(AuditService(db).entries(AuditQuery()))
    changed = log.update(
        row.id,
        ServiceDraft(
            served_on=D(2026, 3, 1),
            kind="visit",
            minutes=90,
            volunteer_ids=(w["b"], w["a"]),
            household_ids=(),
            notes="送药",
        ),
    )
    assert changed.id == row.id and changed.minutes == 90 and changed.notes == "送药"
    assert changed.served_on == D(2026, 3, 1) and set(changed.people) == {"甲一", "乙二"}
    assert changed.households == ()
    (stored,) = [r for r in log.records() if r.id == row.id]
    assert stored == changed
    assert len(log.records()) == 1  # changed, not added
    entries = AuditService(db).entries(AuditQuery())  # newest first
    assert {"served_on", "minutes", "notes"} <= {e.field for e in entries[: len(entries) - before]}

    # Back to one person and the household: the links come back, no duplicate rows.
    again = log.update(
        row.id,
        ServiceDraft(
            served_on=D(2026, 3, 1),
            kind="visit",
            minutes=90,
            volunteer_ids=(w["a"],),
            household_ids=(w["h1"],),
        ),
    )
    assert again.people == ("甲一",) and again.households == ("罗奶奶",)
    with pytest.raises(ValidationFailed):
        log.update(row.id, ServiceDraft(served_on=D(2026, 3, 1), volunteer_ids=()))
