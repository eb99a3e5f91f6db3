# SPDX-License-Identifier: GPL-3.0-or-later
"""Service teams, their volunteers and unavailable dates. Functions take the session first."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, UserError, ValidationFailed
from desktop.i18n import _
from desktop.models.register.branch import PartyGroup
from desktop.models.register.member import Member
from desktop.models.stewards.household import HouseholdCare
from desktop.models.stewards.people import volunteer_names
from desktop.models.stewards.rows import TeamRow, UnavailabilityRow, VolunteerRow
from desktop.models.stewards.steward import Steward
from desktop.models.stewards.team import ServiceTeam, Unavailability, Volunteer

_PHONE = re.compile(r"^[0-9+\- ]{7,20}$")


def team_name_for(group: PartyGroup) -> str:
    return _("{group} service team").format(group=group.name)


def ensure_team(session: Session, branch_id: uuid.UUID, party_group_id: uuid.UUID) -> ServiceTeam:
    """The party group's team, made when it has none."""
    team = session.scalar(
        select(ServiceTeam).where(
            ServiceTeam.party_group_id == party_group_id, ~ServiceTeam.deleted
        )
    )
    if team is None:
        group = session.get_one(PartyGroup, party_group_id)
        team = ServiceTeam(
            branch_id=branch_id, party_group_id=party_group_id, name=team_name_for(group)
        )
        session.add(team)
        session.flush()
    return team


def ensure_member_volunteer(
    session: Session, team_id: uuid.UUID, member_id: uuid.UUID, joined_on: dt.date | None = None
) -> Volunteer:
    volunteer = session.scalar(
        select(Volunteer).where(
            Volunteer.team_id == team_id, Volunteer.member_id == member_id, ~Volunteer.deleted
        )
    )
    if volunteer is None:
        volunteer = Volunteer(
            team_id=team_id, member_id=member_id, name="", phone="", joined_on=joined_on
        )
        session.add(volunteer)
        session.flush()
    return volunteer


def current_steward(
    session: Session, party_group_id: uuid.UUID | None, today: dt.date
) -> Steward | None:
    """The party group's steward on `today` (the latest appointed), if any."""
    if party_group_id is None:
        return None
    return session.scalar(
        select(Steward)
        .where(
            Steward.party_group_id == party_group_id,
            ~Steward.deleted,
            (Steward.ended_on.is_(None)) | (Steward.ended_on >= today),
        )
        .order_by(Steward.started_on.desc())
    )


def _team_row(session: Session, team: ServiceTeam, today: dt.date) -> TeamRow:
    group = session.get(PartyGroup, team.party_group_id) if team.party_group_id else None
    steward = current_steward(session, team.party_group_id, today)
    steward_name = session.get_one(Member, steward.member_id).name if steward else ""
    count = (
        session.scalar(
            select(func.count())
            .select_from(Volunteer)
            .where(Volunteer.team_id == team.id, ~Volunteer.deleted)
        )
        or 0
    )
    return TeamRow(
        team.id,
        team.name,
        team.party_group_id,
        group.number if group else None,
        steward_name,
        count,
    )


def list_teams(
    session: Session, branch_id: uuid.UUID, today: dt.date | None = None
) -> list[TeamRow]:
    """The branch's teams with their party group, current steward and size: a few queries for
    all of them (a county's branch has hundreds of party groups, one team each, #22)."""
    today = today or dt.date.today()
    teams = session.scalars(
        select(ServiceTeam).where(ServiceTeam.branch_id == branch_id, ~ServiceTeam.deleted)
    ).all()
    group_ids = {t.party_group_id for t in teams if t.party_group_id is not None}
    numbers = dict(
        session.execute(
            select(PartyGroup.id, PartyGroup.number).where(PartyGroup.branch_id == branch_id)
        ).all()
    )
    # The latest appointed current steward of each group (as current_steward picks it).
    stewards: dict[uuid.UUID, str] = {}
    if group_ids:
        current = session.execute(
            select(Steward.party_group_id, Member.name)
            .join(Member, Member.id == Steward.member_id)
            .join(PartyGroup, PartyGroup.id == Steward.party_group_id)
            .where(
                PartyGroup.branch_id == branch_id,
                ~Steward.deleted,
                (Steward.ended_on.is_(None)) | (Steward.ended_on >= today),
            )
            .order_by(Steward.started_on.desc())
        )
        for group_id, name in current:
            stewards.setdefault(group_id, name)
    sizes = dict(
        session.execute(
            select(Volunteer.team_id, func.count())
            .join(ServiceTeam, ServiceTeam.id == Volunteer.team_id)
            .where(ServiceTeam.branch_id == branch_id, ~Volunteer.deleted)
            .group_by(Volunteer.team_id)
        ).all()
    )
    rows = [
        TeamRow(
            t.id,
            t.name,
            t.party_group_id,
            numbers.get(t.party_group_id) if t.party_group_id else None,
            stewards.get(t.party_group_id, "") if t.party_group_id else "",
            sizes.get(t.id, 0),
        )
        for t in teams
    ]
    return sorted(
        rows, key=lambda r: (r.party_group_number is None, r.party_group_number or 0, r.name)
    )


def get_team(session: Session, team_id: uuid.UUID, today: dt.date | None = None) -> TeamRow:
    team = session.get(ServiceTeam, team_id)
    if team is None or team.deleted:
        raise NotFound(_("That service team no longer exists."))
    return _team_row(session, team, today or dt.date.today())


def find_team(session: Session, branch_id: uuid.UUID, text: str) -> TeamRow:
    """A team by its party group's number, its steward's name or its own name."""
    text = text.strip()
    rows = list_teams(session, branch_id)
    # The party group's name too (第一党小组), as the README's example gives it.
    group_ids = set(
        session.scalars(
            select(PartyGroup.id).where(
                PartyGroup.branch_id == branch_id, PartyGroup.name == text, ~PartyGroup.deleted
            )
        )
    )
    for row in rows:
        if (
            (text.isdigit() and row.party_group_number == int(text))
            or text in (row.steward_name, row.name)
            or row.party_group_id in group_ids
        ):
            return row
    raise NotFound(
        _(
            "No service team matches {text}: give the party group's number, the "
            "steward's name or the team's name."
        ).format(text=text)
    )


def _volunteer_row(session: Session, v: Volunteer, names: dict, steward_ids: set) -> VolunteerRow:
    name, phone = names.get(v.id, ("", ""))
    households = (
        session.scalar(
            select(func.count())
            .select_from(HouseholdCare)
            .where(HouseholdCare.volunteer_id == v.id, ~HouseholdCare.deleted)
        )
        or 0
    )
    return VolunteerRow(
        v.id, v.team_id, v.member_id, name, phone, v.member_id in steward_ids, households
    )


def list_volunteers(
    session: Session, team_id: uuid.UUID, today: dt.date | None = None
) -> list[VolunteerRow]:
    """The team's people: the steward first, then members, then other villagers."""
    today = today or dt.date.today()
    team = session.get_one(ServiceTeam, team_id)
    volunteers = session.scalars(
        select(Volunteer)
        .where(Volunteer.team_id == team_id, ~Volunteer.deleted)
        .order_by(Volunteer.joined_on, Volunteer.id)
    ).all()
    names = volunteer_names(session, [v.id for v in volunteers])
    steward = current_steward(session, team.party_group_id, today)
    steward_ids = {steward.member_id} if steward else set()
    rows = [_volunteer_row(session, v, names, steward_ids) for v in volunteers]
    return sorted(rows, key=lambda r: (not r.is_steward, not r.is_member))


def list_group_volunteers(
    session: Session, branch_id: uuid.UUID, party_group_id: uuid.UUID, today: dt.date | None = None
) -> list[VolunteerRow]:
    """The people of the party group's team (none when it has no team): found by the group,
    without reading every team of the branch (a household's carers, #22)."""
    team_id = session.scalar(
        select(ServiceTeam.id)
        .where(
            ServiceTeam.branch_id == branch_id,
            ServiceTeam.party_group_id == party_group_id,
            ~ServiceTeam.deleted,
        )
        .limit(1)
    )
    return list_volunteers(session, team_id, today) if team_id is not None else []


def add_volunteer(
    session: Session,
    team_id: uuid.UUID,
    *,
    member_id: uuid.UUID | None = None,
    name: str = "",
    phone: str = "",
    joined_on: dt.date | None = None,
) -> VolunteerRow:
    """Add a party member, or a villager who is not a member (then name and phone are needed)."""
    team = session.get(ServiceTeam, team_id)
    if team is None or team.deleted:
        raise NotFound(_("That service team no longer exists."))
    if member_id is not None:
        member = session.get(Member, member_id)
        if member is None or member.deleted:
            raise NotFound(_("That member is not in the register."))
        other = session.scalar(
            select(ServiceTeam.name)
            .join(Volunteer, Volunteer.team_id == ServiceTeam.id)
            .where(Volunteer.member_id == member_id, ~Volunteer.deleted)
        )
        if other is not None:
            raise UserError(_("{name} is already on {team}.").format(name=member.name, team=other))
        volunteer = Volunteer(
            team_id=team_id,
            member_id=member_id,
            name="",
            phone="",
            joined_on=joined_on or dt.date.today(),
        )
    else:
        problems = {}
        if not name.strip():
            problems["name"] = _("Give the volunteer's name.")
        if not _PHONE.match(phone.strip()):
            problems["phone"] = _("Give the volunteer's phone number (digits only).")
        if problems:
            raise ValidationFailed(problems)
        volunteer = Volunteer(
            team_id=team_id,
            member_id=None,
            name=name.strip(),
            phone=phone.strip(),
            joined_on=joined_on or dt.date.today(),
        )
    session.add(volunteer)
    session.flush()
    return next(r for r in list_volunteers(session, team_id) if r.id == volunteer.id)


def remove_volunteer(session: Session, volunteer_id: uuid.UUID) -> None:
    """Take a person off the team (tombstoned; their past duties and services keep the name)."""
    volunteer = session.get_one(Volunteer, volunteer_id)
    volunteer.deleted = True
    volunteer.left_on = dt.date.today()
    for care in session.scalars(
        select(HouseholdCare).where(
            HouseholdCare.volunteer_id == volunteer_id, ~HouseholdCare.deleted
        )
    ):
        care.deleted = True


def add_unavailability(
    session: Session,
    volunteer_id: uuid.UUID,
    starts_on: dt.date,
    ends_on: dt.date,
    reason: str = "",
) -> UnavailabilityRow:
    if ends_on < starts_on:
        raise ValidationFailed({"ends_on": _("The last day cannot be before the first.")})
    session.get_one(Volunteer, volunteer_id)
    row = Unavailability(
        volunteer_id=volunteer_id, starts_on=starts_on, ends_on=ends_on, reason=reason.strip()[:100]
    )
    session.add(row)
    session.flush()
    return UnavailabilityRow(row.id, volunteer_id, starts_on, ends_on, row.reason)


def list_unavailability(
    session: Session, volunteer_ids: list[uuid.UUID]
) -> list[UnavailabilityRow]:
    rows = session.scalars(
        select(Unavailability)
        .where(Unavailability.volunteer_id.in_(volunteer_ids), ~Unavailability.deleted)
        .order_by(Unavailability.starts_on)
    ).all()
    return [UnavailabilityRow(r.id, r.volunteer_id, r.starts_on, r.ends_on, r.reason) for r in rows]


def unavailable_days(
    session: Session, volunteer_ids: list[uuid.UUID], first: dt.date, last: dt.date
) -> dict[uuid.UUID, frozenset[dt.date]]:
    """Per volunteer, the days of [first, last] they are unavailable."""
    days: dict[uuid.UUID, set[dt.date]] = {v: set() for v in volunteer_ids}
    for row in list_unavailability(session, volunteer_ids):
        start, end = max(row.starts_on, first), min(row.ends_on, last)
        while start <= end:
            days[row.volunteer_id].add(start)
            start += dt.timedelta(days=1)
    return {v: frozenset(d) for v, d in days.items()}
