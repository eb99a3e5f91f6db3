# SPDX-License-Identifier: GPL-3.0-or-later
"""Duty rosters: generate (through rostering.generate), store, reopen, edit by hand, print.

Hand edits (swap two duties, reassign one) refuse a person's unavailable day or a second duty
on the same day, and stamp `edited_at`; a roster edited after `printed_at` shows it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, UserError, ValidationFailed
from desktop.i18n import _, format_date
from desktop.models.register.branch import PartyGroup
from desktop.models.stewards import holidays_cn, rostering, teams
from desktop.models.stewards.people import volunteer_names
from desktop.models.stewards.roster import Duty, Roster
from desktop.models.stewards.rows import (
    DutyRow,
    FairnessRow,
    RosterDetail,
    RosterRow,
)
from desktop.models.stewards.service_record import ServicePerson, ServiceRecord
from desktop.models.stewards.team import ServiceTeam, Volunteer

#: The longest period a roster may cover (a quarter, with room to spare).
MAX_DAYS = 100
DAY_MODES = ("workdays", "daily")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _slots(roster: Roster) -> tuple[str, ...]:
    return tuple(roster.slots.split("|")) if roster.slots else ("",)


def _duties(session: Session, roster_id: uuid.UUID) -> list[Duty]:
    duties = session.scalars(select(Duty).where(Duty.roster_id == roster_id, ~Duty.deleted))
    return sorted(duties, key=lambda d: (d.day, d.slot))


def _roster_row(session: Session, roster: Roster) -> RosterRow:
    team = session.get_one(ServiceTeam, roster.team_id)
    duties = _duties(session, roster.id)
    return RosterRow(
        roster.id,
        roster.team_id,
        team.name,
        roster.starts_on,
        roster.ends_on,
        roster.days,
        _slots(roster),
        len(duties),
        sum(1 for d in duties if d.volunteer_id is None),
        roster.printed_at,
        roster.edited_at,
    )


def _get(session: Session, roster_id: uuid.UUID) -> Roster:
    roster = session.get(Roster, roster_id)
    if roster is None or roster.deleted:
        raise NotFound(_("That roster no longer exists."))
    return roster


def _team_people(session: Session, team_id: uuid.UUID) -> list[uuid.UUID]:
    return [v.id for v in teams.list_volunteers(session, team_id)]


def generate_roster(
    session: Session,
    team_id: uuid.UUID,
    starts_on: dt.date,
    ends_on: dt.date,
    *,
    slots: tuple[str, ...] = (),
    days: str = "workdays",
) -> RosterDetail:
    """Make and store a fair roster for the team over [starts_on, ends_on]."""
    if ends_on < starts_on:
        raise ValidationFailed({"ends_on": _("The roster's last day is before its first.")})
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise ValidationFailed(
            {
                "ends_on": _(
                    "A roster covers at most {days} days; make one per month or quarter."
                ).format(days=MAX_DAYS)
            }
        )
    if days not in DAY_MODES:
        raise ValidationFailed({"days": _("Choose working days or every day.")})
    slots = tuple(s.strip() for s in slots if s.strip()) or (_("Duty"),)
    if any("|" in s for s in slots):
        raise ValidationFailed({"slots": _("A slot name cannot contain '|'.")})
    team = teams.get_team(session, team_id)
    people = _team_people(session, team.id)
    if not people:
        raise UserError(
            _("{team} has nobody on it yet; add team members first.").format(team=team.name)
        )
    duty_days = holidays_cn.duty_days(starts_on, ends_on, days)
    if not duty_days:
        raise UserError(
            _("There is no duty day between {first} and {last}.").format(
                first=format_date(starts_on), last=format_date(ends_on)
            )
        )
    unavailable = teams.unavailable_days(session, people, starts_on, ends_on)
    assignments = rostering.generate(duty_days, slots, people, unavailable)
    roster = Roster(
        team_id=team.id, starts_on=starts_on, ends_on=ends_on, days=days, slots="|".join(slots)
    )
    session.add(roster)
    session.flush()
    session.add_all(
        Duty(roster_id=roster.id, day=a.day, slot=a.slot, volunteer_id=a.person)
        for a in assignments
    )
    session.flush()
    return roster_detail(session, roster.id)


def list_rosters(
    session: Session, branch_id: uuid.UUID, team_id: uuid.UUID | None = None
) -> list[RosterRow]:
    """The branch's rosters (or one team's), newest first, then in party group order.

    Three queries for all of them, the duties only counted: a county branch has a team per
    party group, each with a roster a month (#22).
    """
    query = (
        select(Roster, ServiceTeam.name, PartyGroup.number)
        .join(ServiceTeam, ServiceTeam.id == Roster.team_id)
        .outerjoin(PartyGroup, PartyGroup.id == ServiceTeam.party_group_id)
        .where(ServiceTeam.branch_id == branch_id, ~Roster.deleted)
    )
    if team_id is not None:
        query = query.where(Roster.team_id == team_id)
    found = session.execute(query).all()
    counted = (
        select(
            Duty.roster_id,
            func.count(),
            func.sum(case((Duty.volunteer_id.is_(None), 1), else_=0)),
        )
        .join(Roster, Roster.id == Duty.roster_id)
        .join(ServiceTeam, ServiceTeam.id == Roster.team_id)
        .where(ServiceTeam.branch_id == branch_id, ~Roster.deleted, ~Duty.deleted)
        .group_by(Duty.roster_id)
    )
    if team_id is not None:
        counted = counted.where(Roster.team_id == team_id)
    counts = {
        roster_id: (duties, open_duties or 0)
        for roster_id, duties, open_duties in session.execute(counted)
    }
    rows = []
    for roster, team_name, number in found:
        duties, open_duties = counts.get(roster.id, (0, 0))
        rows.append(
            (
                number,
                RosterRow(
                    roster.id,
                    roster.team_id,
                    team_name,
                    roster.starts_on,
                    roster.ends_on,
                    roster.days,
                    _slots(roster),
                    duties,
                    open_duties,
                    roster.printed_at,
                    roster.edited_at,
                ),
            )
        )
    rows.sort(key=lambda pair: (-pair[1].starts_on.toordinal(), pair[0] or 0, pair[1].team_name))
    return [row for _number, row in rows]


def roster_detail(session: Session, roster_id: uuid.UUID) -> RosterDetail:
    roster = _get(session, roster_id)
    duties = _duties(session, roster_id)
    people = _team_people(session, roster.team_id)
    on_duty = [d.volunteer_id for d in duties if d.volunteer_id is not None]
    names = volunteer_names(session, set(people) | set(on_duty))
    signed = dict(
        session.execute(
            select(ServiceRecord.duty_id, ServiceRecord.minutes).where(
                ServiceRecord.duty_id.in_([d.id for d in duties]), ~ServiceRecord.deleted
            )
        ).all()
    )
    duty_rows = tuple(
        DutyRow(
            d.id,
            d.day,
            d.slot,
            d.volunteer_id,
            *(names.get(d.volunteer_id, ("", "")) if d.volunteer_id else ("", "")),
            signed_minutes=signed.get(d.id),
        )
        for d in duties
    )
    # Fairness: everyone on the team now, plus anyone who left but still holds a duty.
    everyone = list(dict.fromkeys(people + on_duty))
    counts = {p: on_duty.count(p) for p in everyone}
    unavailable = teams.unavailable_days(session, everyone, roster.starts_on, roster.ends_on)
    mean = sum(counts.values()) / len(counts) if counts else 0
    fairness = tuple(
        FairnessRow(
            p,
            names.get(p, ("", ""))[0],
            counts[p],
            len(unavailable.get(p, ())),
            round(counts[p] - mean, 1),
        )
        for p in everyone
    )
    return RosterDetail(_roster_row(session, roster), duty_rows, fairness)


def _check_can_take(
    session: Session, duty: Duty, volunteer_id: uuid.UUID, ignore: set[uuid.UUID]
) -> None:
    volunteer = session.get(Volunteer, volunteer_id)
    if volunteer is None or volunteer.deleted:
        raise NotFound(_("That person is no longer on the team."))
    name = volunteer_names(session, [volunteer_id])[volunteer_id][0]
    away = teams.unavailable_days(session, [volunteer_id], duty.day, duty.day)
    if away[volunteer_id]:
        raise UserError(
            _("{name} is unavailable on {day}.").format(name=name, day=format_date(duty.day))
        )
    clash = session.scalar(
        select(Duty.id).where(
            Duty.roster_id == duty.roster_id,
            Duty.day == duty.day,
            ~Duty.deleted,
            Duty.volunteer_id == volunteer_id,
            Duty.id.not_in(ignore),
        )
    )
    if clash is not None:
        raise UserError(
            _("{name} already has a duty on {day}.").format(name=name, day=format_date(duty.day))
        )


def reassign_duty(
    session: Session, duty_id: uuid.UUID, volunteer_id: uuid.UUID | None
) -> RosterDetail:
    duty = session.get_one(Duty, duty_id)
    roster = _get(session, duty.roster_id)
    if volunteer_id is not None and volunteer_id != duty.volunteer_id:
        _check_can_take(session, duty, volunteer_id, {duty.id})
    duty.volunteer_id = volunteer_id
    roster.edited_at = _now()
    session.flush()
    return roster_detail(session, roster.id)


def swap_duties(session: Session, first_id: uuid.UUID, second_id: uuid.UUID) -> RosterDetail:
    """Exchange the people of two duties of the same roster."""
    first, second = session.get_one(Duty, first_id), session.get_one(Duty, second_id)
    if first.roster_id != second.roster_id:
        raise UserError(_("Only duties of the same roster can be swapped."))
    roster = _get(session, first.roster_id)
    if first.day != second.day:
        if second.volunteer_id is not None:
            _check_can_take(session, first, second.volunteer_id, {first.id, second.id})
        if first.volunteer_id is not None:
            _check_can_take(session, second, first.volunteer_id, {first.id, second.id})
    first.volunteer_id, second.volunteer_id = second.volunteer_id, first.volunteer_id
    roster.edited_at = _now()
    session.flush()
    return roster_detail(session, roster.id)


def key_duty_hours(
    session: Session, duty_id: uuid.UUID, minutes: int, today: dt.date | None = None
) -> RosterDetail:
    """Key back the hours of a duty from the signed sheet, as a "duty" service record.

    Keying again corrects the record; 0 removes it (tombstoned).
    """
    duty = session.get_one(Duty, duty_id)
    roster = _get(session, duty.roster_id)
    if duty.volunteer_id is None:
        raise UserError(_("Nobody was on this duty; assign someone before keying hours."))
    if duty.day > (today or dt.date.today()):
        raise UserError(
            _("This duty is on {day}, still to come; key its hours after it.").format(
                day=format_date(duty.day)
            )
        )
    if not 0 <= minutes <= 24 * 60:
        raise ValidationFailed({"minutes": _("The time must be more than 0 and at most 24 hours.")})
    record = session.scalar(
        select(ServiceRecord).where(ServiceRecord.duty_id == duty_id, ~ServiceRecord.deleted)
    )
    if record is not None:
        if minutes == 0:
            record.deleted = True
        else:
            record.minutes = minutes
    elif minutes > 0:
        team = session.get_one(ServiceTeam, roster.team_id)
        record = ServiceRecord(
            branch_id=team.branch_id,
            served_on=duty.day,
            kind="duty",
            minutes=minutes,
            notes=duty.slot,
            party_group_id=team.party_group_id,
            duty_id=duty.id,
        )
        session.add(record)
        session.flush()
        session.add(ServicePerson(record_id=record.id, volunteer_id=duty.volunteer_id))
    session.flush()
    return roster_detail(session, roster.id)


def mark_printed(session: Session, roster_id: uuid.UUID, when: dt.datetime | None = None) -> None:
    _get(session, roster_id).printed_at = when or _now()


def remove_roster(session: Session, roster_id: uuid.UUID) -> None:
    roster = _get(session, roster_id)
    roster.deleted = True
    for duty in _duties(session, roster_id):
        duty.deleted = True


def find_roster_id(session: Session, branch_id: uuid.UUID, prefix: str) -> uuid.UUID | None:
    """The one live roster of the branch whose id starts with `prefix` (as printed, with its
    dashes); None when none or several do. Reads the ids only."""
    wanted = prefix.strip().lower()
    ids = session.scalars(
        select(Roster.id)
        .join(ServiceTeam, ServiceTeam.id == Roster.team_id)
        .where(ServiceTeam.branch_id == branch_id, ~Roster.deleted)
    )
    matches = [roster_id for roster_id in ids if str(roster_id).startswith(wanted)]
    return matches[0] if len(matches) == 1 else None
