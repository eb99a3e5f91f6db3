# SPDX-License-Identifier: GPL-3.0-or-later
"""Names and phones of team volunteers (a member's come from the register, others are stored),
and finding a team member or a household by the name a clerk types."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop.models.register.member import Member
from desktop.models.stewards.household import Household
from desktop.models.stewards.team import ServiceTeam, Volunteer


def volunteer_names(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """volunteer id → (name, phone), for the ids given (removed volunteers included)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(Volunteer.id, Volunteer.name, Volunteer.phone, Member.name, Member.phone)
        .outerjoin(Member, Member.id == Volunteer.member_id)
        .where(Volunteer.id.in_(wanted))
    )
    return {vid: (mname or vname, mphone or vphone) for vid, vname, vphone, mname, mphone in rows}


def team_people(session: Session, branch_id: uuid.UUID) -> list[tuple[uuid.UUID, str, uuid.UUID]]:
    """Every current member of the branch's teams, (volunteer id, name, team id), in one query
    (the service log's names; a county branch has thousands of teams, #22)."""
    rows = session.execute(
        select(
            Volunteer.id,
            func.coalesce(func.nullif(Member.name, ""), Volunteer.name),
            Volunteer.team_id,
        )
        .join(ServiceTeam, ServiceTeam.id == Volunteer.team_id)
        .outerjoin(Member, Member.id == Volunteer.member_id)
        .where(ServiceTeam.branch_id == branch_id, ~ServiceTeam.deleted, ~Volunteer.deleted)
        .order_by(Volunteer.team_id, Volunteer.joined_on, Volunteer.id)
    )
    return [(vid, name or "", team_id) for vid, name, team_id in rows]


def find_volunteer(session: Session, branch_id: uuid.UUID, name: str) -> uuid.UUID | None:
    """The one team member of the branch called `name` (a member's name is the register's);
    None when nobody, or more than one, is. Reads at most two rows, never the whole teams."""
    found = session.scalars(
        select(Volunteer.id)
        .join(ServiceTeam, ServiceTeam.id == Volunteer.team_id)
        .outerjoin(Member, Member.id == Volunteer.member_id)
        .where(
            ServiceTeam.branch_id == branch_id,
            ~ServiceTeam.deleted,
            ~Volunteer.deleted,
            func.coalesce(func.nullif(Member.name, ""), Volunteer.name) == name.strip(),
        )
        .limit(2)
    ).all()
    return found[0] if len(found) == 1 else None


def find_household(session: Session, branch_id: uuid.UUID, name: str) -> uuid.UUID | None:
    """The one household of the branch whose head or address is `name`; None when none, or
    more than one, is. Reads at most two rows."""
    text = name.strip()
    found = session.scalars(
        select(Household.id)
        .where(
            Household.branch_id == branch_id,
            ~Household.deleted,
            or_(Household.head_name == text, Household.address == text),
        )
        .limit(2)
    ).all()
    return found[0] if len(found) == 1 else None


def search_households(
    session: Session, branch_id: uuid.UUID, text: str, limit: int
) -> list[tuple[uuid.UUID, str, str]]:
    """The first `limit` households of the branch whose head (name, pinyin or initials),
    address or phone holds every word of `text`, by the head's pinyin: (id, head, address)."""
    from desktop.models.stewards.households import text_filters

    rows = session.execute(
        select(Household.id, Household.head_name, Household.address)
        .where(Household.branch_id == branch_id, ~Household.deleted, *text_filters(text))
        .order_by(Household.head_pinyin, Household.head_name, Household.id)
        .limit(limit)
    )
    return [(hid, head, address) for hid, head, address in rows]
