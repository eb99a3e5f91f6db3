# SPDX-License-Identifier: GPL-3.0-or-later
"""Appointments with history, commitments through their stages, photos, teams and households."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image
from sqlalchemy import select

from desktop.errors import UserError, ValidationFailed
from desktop.models.register.groups import list_party_groups
from desktop.models.stewards import appointments, households, teams
from desktop.models.stewards.household import Household
from desktop.models.stewards.photo import MAX_STORED_BYTES
from desktop.models.stewards.steward import COMMITMENT_MAX_CHARS, Steward
from desktop.models.store.changelog import Change

D = dt.date


@pytest.fixture
def groups(db, branch):
    with db.read() as s:
        return list_party_groups(s, branch.id)


def _jpeg(size=(1200, 900), color=(200, 30, 30), fmt="JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def test_appointing_ends_the_previous_holder_and_keeps_history(db, branch, groups, make_member):
    first, second = make_member(name="王建国"), make_member(name="李秀英")
    with db.unit_of_work() as s:
        appointments.appoint(s, branch.id, first.id, "group", groups[0].id, D(2024, 1, 1))
        row = appointments.appoint(
            s, branch.id, second.id, "group", groups[0].id, D(2026, 3, 1), area="东片"
        )
    assert row.name == "李秀英" and row.area == "东片" and row.party_group_name == groups[0].name
    with db.read() as s:
        current = appointments.list_stewards(s, branch.id, today=D(2026, 5, 1))
        history = appointments.list_stewards(s, branch.id, history=True, today=D(2026, 5, 1))
    assert [r.name for r in current] == ["李秀英"]
    old = next(r for r in history if r.name == "王建国")
    assert old.ended_on == D(2026, 2, 28) and not old.current
    # The new steward is on the group's team, which was made for the group.
    with db.read() as s:
        team = teams.list_teams(s, branch.id, today=D(2026, 5, 1))[0]
        people = teams.list_volunteers(s, team.id, today=D(2026, 5, 1))
    assert team.steward_name == "李秀英"
    assert [p.name for p in people if p.is_steward] == ["李秀英"]


def test_a_member_holds_only_one_post_at_a_time(db, branch, groups, make_member):
    member = make_member()
    with db.unit_of_work() as s:
        appointments.appoint(s, branch.id, member.id, "group", groups[0].id, D(2025, 1, 1))
    with pytest.raises(UserError, match=member.name), db.unit_of_work() as s:
        appointments.appoint(s, branch.id, member.id, "group", groups[1].id, D(2025, 6, 1))


def test_commitment_length_and_stages(db, branch, groups, make_member):
    member = make_member()
    with db.unit_of_work() as s:
        steward = appointments.appoint(s, branch.id, member.id, "chief", None, D(2026, 1, 1))
    with pytest.raises(ValidationFailed) as info, db.unit_of_work() as s:
        appointments.save_commitment(s, steward.id, 2026, "为" * (COMMITMENT_MAX_CHARS + 5))
    assert str(COMMITMENT_MAX_CHARS) in info.value.problems["content"]
    assert "5" in info.value.problems["content"]
    with db.unit_of_work() as s:
        row = appointments.save_commitment(
            s, steward.id, 2026, "每月走访独居老人一次", pledged_on=D(2026, 1, 5)
        )
        for day in (D(2026, 1, 15), D(2026, 2, 1), D(2026, 11, 30)):
            row = appointments.advance_commitment(s, row.id, day)
    assert row.stage == "fulfilled" and row.stage_dates["published"] == D(2026, 2, 1)
    with pytest.raises(ValidationFailed), db.unit_of_work() as s:
        appointments.advance_commitment(s, row.id, D(2026, 12, 20))  # no evaluation text
    with pytest.raises(UserError), db.unit_of_work() as s:
        appointments.save_commitment(s, steward.id, 2026, "改过的承诺")  # published: fixed
    with db.unit_of_work() as s:
        row = appointments.advance_commitment(s, row.id, D(2026, 12, 20), "优秀")
    assert (row.stage, row.evaluation) == ("evaluated", "优秀")
    with db.read() as s:
        stages = s.scalars(
            select(Change.new_value).where(Change.entity == "commitment", Change.field == "stage")
        ).all()
    assert stages[-1] == '"evaluated"'


def test_a_photo_is_cropped_to_portrait_and_small(db, branch, make_member):
    member = make_member()
    with db.unit_of_work() as s:
        steward = appointments.appoint(s, branch.id, member.id, "chief", None, D(2026, 1, 1))
        size = appointments.set_photo(s, steward.id, _jpeg((4000, 3000), fmt="PNG"))
    assert 0 < size <= MAX_STORED_BYTES
    with db.read() as s:
        data = s.get(Steward, steward.id).photo
        logged = s.scalar(
            select(Change.new_value).where(Change.entity == "steward", Change.field == "photo")
        )
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size[0] * 4 == image.size[1] * 3
    assert logged is not None  # the photo travels with the change log (base64)


@pytest.mark.parametrize("data", [b"not a picture at all", b"", _jpeg((20, 30))])
def test_a_bad_photo_is_refused_with_a_message(db, branch, make_member, data):
    member = make_member()
    with db.unit_of_work() as s:
        steward = appointments.appoint(s, branch.id, member.id, "chief", None, D(2026, 1, 1))
    with pytest.raises(UserError) as info, db.unit_of_work() as s:
        appointments.set_photo(s, steward.id, data)
    assert info.value.message


def test_non_member_volunteers_need_name_and_phone(db, branch, groups, make_member):
    with db.unit_of_work() as s:
        team = teams.ensure_team(s, branch.id, groups[0].id)
    with pytest.raises(ValidationFailed) as info, db.unit_of_work() as s:
        teams.add_volunteer(s, team.id, name="", phone="abc")
    assert set(info.value.problems) == {"name", "phone"}
    member = make_member()
    with db.unit_of_work() as s:
        teams.add_volunteer(s, team.id, name="周桂兰", phone="13912345678")
        teams.add_volunteer(s, team.id, member_id=member.id)
    with pytest.raises(UserError), db.unit_of_work() as s:
        other = teams.ensure_team(s, branch.id, groups[1].id)
        teams.add_volunteer(s, other.id, member_id=member.id)
    with db.read() as s:
        people = teams.list_volunteers(s, team.id)
    assert [(p.name, p.is_member) for p in people] == [(member.name, True), ("周桂兰", False)]


def test_households_carers_and_overdue_visits(db, branch, groups):
    with db.unit_of_work() as s:
        team = teams.ensure_team(s, branch.id, groups[0].id)
        carer = teams.add_volunteer(s, team.id, name="周桂兰", phone="13912345678")
        alone = Household(
            branch_id=branch.id, party_group_id=groups[0].id, head_name="罗奶奶", elderly_alone=True
        )
        plain = Household(branch_id=branch.id, party_group_id=groups[0].id, head_name="陈大伯")
        s.add_all([alone, plain])
        s.flush()
        households.assign_carer(s, alone.id, carer.id)
    with db.read() as s:
        rows = {
            r.head_name: r for r in households.list_households(s, branch.id, today=D(2026, 5, 1))
        }
        late = households.overdue_households(s, branch.id, today=D(2026, 5, 1))
    assert rows["罗奶奶"].carer_name == "周桂兰" and rows["罗奶奶"].visit_interval == 7
    assert rows["陈大伯"].visit_interval is None and rows["陈大伯"].overdue_days is None
    assert [r.head_name for r in late] == ["罗奶奶"]
    with db.unit_of_work() as s:
        households.update_household(s, alone.id, visit_interval_days=30)
    with pytest.raises(ValidationFailed), db.unit_of_work() as s:
        households.update_household(s, alone.id, visit_interval_days=0)
