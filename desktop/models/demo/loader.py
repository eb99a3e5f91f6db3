# SPDX-License-Identifier: GPL-3.0-or-later
"""Loading the demo branch (红旗村党支部) through the same services and change log as real data.

Demo records get name-based UUIDs (uuid5 of a fixed namespace and a stable key), so loading the
demo twice, or on two PCs that later sync, never duplicates anything.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.orm import Session

from desktop.models.demo.data import demo_branch
from desktop.models.register.branch import Branch, PartyGroup, VillagerGroup
from desktop.models.register.member import Member
from desktop.models.register.rows import BranchInfo
from desktop.models.stewards.household import Household
from desktop.models.stewards.steward import Commitment, Steward

DEMO_NAMESPACE = uuid.UUID("6f1c2a58-3d0e-4c1b-9a57-5e0d7d1e2b10")


def demo_year(today: dt.date) -> int:
    """The demo's "this year" (commitments pledged, the assessment being scored; last year's is
    final): the year of the day it is loaded, as the pages and commands take "this year" from
    today. A fixed year went stale each New Year's Day."""
    return today.year


def demo_id(key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, key)


def load_demo(session: Session, today: dt.date | None = None) -> tuple[bool, BranchInfo]:
    """Add the demo branch unless it is there already; returns (created, branch).

    `today` places this month's rosters, the last months' service log and meetings, and
    chooses the year of the commitments and assessments (default: today).
    """
    today = today or dt.date.today()
    year = demo_year(today)
    data = demo_branch()
    branch_id = demo_id("branch")
    existing = session.get(Branch, branch_id)
    if existing is not None:
        return False, BranchInfo(
            existing.id, existing.name, existing.town, existing.county, existing.phone
        )
    branch = Branch(
        id=branch_id, name=data.name, town=data.town, county=data.county, phone=data.phone
    )
    session.add(branch)
    session.flush()
    vgroups = {}
    for vg in data.villager_groups:
        vgroups[vg.number] = VillagerGroup(
            id=demo_id(f"vgroup-{vg.number}"),
            branch_id=branch_id,
            number=vg.number,
            name=vg.name,
            alias=vg.alias,
        )
    pgroups = {}
    for pg in data.party_groups:
        pgroups[pg.number] = PartyGroup(
            id=demo_id(f"pgroup-{pg.number}"), branch_id=branch_id, number=pg.number, name=pg.name
        )
    session.add_all([*vgroups.values(), *pgroups.values()])
    session.flush()
    members = {}
    for m in data.members:
        members[m.key] = Member(
            id=demo_id(f"member-{m.key}"),
            branch_id=branch_id,
            party_group_id=pgroups[m.party_group].id,
            villager_group_id=vgroups[m.villager_group].id,
            name=m.name,
            gender=m.gender,
            id_number=m.id_number,
            ethnicity=m.ethnicity,
            birth_date=m.birth_date,
            education=m.education,
            status=m.status,
            joined_on=m.joined_on,
            confirmed_on=m.confirmed_on,
            occupation=m.occupation,
            phone=m.phone,
            address=m.address,
            standing=m.standing,
            lost_contact=m.lost_contact,
            lost_contact_on=m.lost_contact_on,
            floating=m.floating,
            floating_to=m.floating_to,
        )
    session.add_all(members.values())
    session.flush()
    for s in data.stewards:
        key = f"steward-{s.member_key}"
        steward = Steward(
            id=demo_id(key),
            branch_id=branch_id,
            member_id=members[s.member_key].id,
            role=s.role,
            party_group_id=pgroups[s.party_group].id if s.party_group else None,
            started_on=dt.date(year - 2, 1, 1),
        )
        session.add(steward)
        session.flush()
        session.add(
            Commitment(
                id=demo_id(f"commitment-{s.member_key}-{year}"),
                steward_id=steward.id,
                year=year,
                content=s.commitment,
                stage="published",
            )
        )
    by_name = {m.name: members[m.key].id for m in data.members}
    for h in data.households:
        session.add(
            Household(
                id=demo_id(f"household-{h.key}"),
                branch_id=branch_id,
                party_group_id=pgroups[h.party_group].id,
                villager_group_id=vgroups[h.villager_group].id,
                head_name=h.head_name,
                head_member_id=by_name.get(h.head_name),
                address=h.address,
                phone=h.phone,
                elderly_alone=h.elderly_alone,
                low_income=h.low_income,
                needs_visits=h.needs_visits,
            )
        )
    session.flush()
    from desktop.models.demo import stewards

    stewards.load(session, data, branch_id, demo_id, today, year)
    session.flush()
    from desktop.models.demo import assessment

    assessment.load(session, branch_id, demo_id, year)
    from desktop.models.demo import meetings

    meetings.load(session, branch_id, demo_id, today)
    session.flush()
    return True, BranchInfo(branch.id, branch.name, branch.town, branch.county, branch.phone)
