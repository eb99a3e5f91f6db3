# SPDX-License-Identifier: GPL-3.0-or-later
"""The data of the printed sheets, read from the database into the printing read models."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from desktop.errors import NotFound
from desktop.i18n import _, format_date
from desktop.models.documents.rows import (
    POSTING_DAYS,
    BoardSteward,
    CommitmentBoardData,
    MemberRegisterData,
    RegisterRow,
    RosterSheetData,
    RosterSheetDuty,
)
from desktop.models.register import members, pinyin
from desktop.models.register.branch import Branch, PartyGroup, VillagerGroup
from desktop.models.register.member import (
    EDUCATIONS,
    ETHNICITIES,
    GENDERS,
    OCCUPATIONS,
    STATUSES,
    Member,
)
from desktop.models.register.rows import MemberQuery
from desktop.models.stewards import rosters, teams
from desktop.models.stewards.household import Household
from desktop.models.stewards.steward import Commitment, Steward
from desktop.models.stewards.team import ServiceTeam, Volunteer

BRANCH_SUFFIXES = ("党总支部", "党支部", "党总支")


def village_name(branch_name: str) -> str:
    """红旗村党支部 → 红旗村: the name villagers know, for the board's title."""
    for suffix in BRANCH_SUFFIXES:
        if branch_name.endswith(suffix) and len(branch_name) > len(suffix):
            return branch_name[: -len(suffix)]
    return branch_name


def _branch(session: Session, branch_id: uuid.UUID) -> Branch:
    branch = session.get(Branch, branch_id)
    if branch is None or branch.deleted:
        raise NotFound(_("The branch was not found."))
    return branch


def _group_areas(session: Session, branch_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """Each party group's area: the villager groups of the households its team covers."""
    rows = session.execute(
        select(
            Household.party_group_id, VillagerGroup.number, VillagerGroup.name, VillagerGroup.alias
        )
        .join(VillagerGroup, VillagerGroup.id == Household.villager_group_id)
        .where(
            ~Household.deleted,
            Household.branch_id == branch_id,
            Household.party_group_id.is_not(None),
        )
        .distinct()
    ).all()
    names: dict[uuid.UUID, list[tuple[int, str]]] = defaultdict(list)
    for group_id, number, name, alias in rows:
        if group_id is None:
            continue
        names[group_id].append((number, f"{name}（{alias}）" if alias else name))
    return {gid: "、".join(text for _n, text in sorted(parts)) for gid, parts in names.items()}


def commitment_board(
    session: Session,
    branch_id: uuid.UUID,
    year: int,
    printed_on: dt.date | None = None,
    draft: bool = False,
) -> CommitmentBoardData:
    """Every current steward with a reviewed commitment for `year` (with `draft`, also those
    only pledged): the chief first, then by group."""
    printed_on = printed_on or dt.date.today()
    branch = _branch(session, branch_id)
    areas = _group_areas(session, branch_id)
    rows = session.execute(
        select(
            Steward,
            Member.name,
            Commitment.content,
            PartyGroup.number,
            PartyGroup.name,
            Commitment.id,
            Member.phone,
        )
        .join(Member, Member.id == Steward.member_id)
        .join(Commitment, Commitment.steward_id == Steward.id)
        .outerjoin(PartyGroup, PartyGroup.id == Steward.party_group_id)
        .where(
            ~Steward.deleted,
            ~Commitment.deleted,
            ~Member.deleted,
            Steward.branch_id == branch_id,
            Steward.ended_on.is_(None),
            Commitment.year == year,
            # Only a commitment the branch has reviewed goes on the wall; a draft shows all.
            true() if draft else Commitment.stage != "pledged",
        )
    ).all()
    # Two PCs may each have recorded a commitment for the same year before syncing: the newest
    # is the one on the wall. UUIDv7 ids sort by creation time; the demo's name-based ids count
    # as older than anything typed in.
    latest = {}
    for row in sorted(rows, key=lambda r: (r[5].version == 7, r[5])):
        latest[row[0].id] = row
    stewards = []
    for steward, name, content, group_number, group_name, _id, own_phone in latest.values():
        chief = steward.role == "chief"
        if chief:
            post, area = _("Chief steward"), _("The whole village")
        else:
            post = _("Steward of {group}").format(group=group_name or "")
            area = (
                areas.get(steward.party_group_id, group_name or "")
                if steward.party_group_id
                else ""
            )
        if steward.area.strip():
            area = steward.area.strip()
        # A public sheet shows a steward's own phone only when they agreed to it.
        phone = own_phone if steward.phone_public and own_phone else branch.phone
        photo = steward.photo or None
        stewards.append(
            (
                0 if chief else 1,
                group_number or 0,
                name,
                BoardSteward(
                    name=name,
                    post=post,
                    area=area,
                    phone=phone,
                    commitment=content.strip(),
                    photo=photo,
                    chief=chief,
                ),
            )
        )
    stewards.sort(key=lambda item: item[:3])
    return CommitmentBoardData(
        village=village_name(branch.name),
        branch_name=branch.name,
        year=year,
        branch_phone=branch.phone,
        stewards=tuple(item[3] for item in stewards),
        printed_on=printed_on,
        posted_from=printed_on,
        posted_until=printed_on + dt.timedelta(days=POSTING_DAYS),
        town=branch.town,
        draft=draft,
    )


def commitment_years(session: Session, branch_id: uuid.UUID) -> list[int]:
    """The years that have commitments, newest first (for the print centre's year picker)."""
    return list(
        session.scalars(
            select(Commitment.year)
            .distinct()
            .join(Steward, Steward.id == Commitment.steward_id)
            .where(~Commitment.deleted, Steward.branch_id == branch_id)
            .order_by(Commitment.year.desc())
        )
    )


def _label(choices: dict[str, str], code: str | None) -> str:
    return _(choices[code]) if code in choices else (code or "")


def _date(value: dt.date | None) -> str:
    return format_date(value)


def member_register(
    session: Session, branch_id: uuid.UUID, printed_on: dt.date | None = None
) -> MemberRegisterData:
    """The whole register (花名册), by party group then name, every value as printed text."""
    branch = _branch(session, branch_id)
    # The stored pinyin keys (pinyin.py: written with the name), not pypinyin again per name.
    # SQL already lists by group number, then pinyin; the sort puts the members without a group
    # last and orders names of the same pinyin as GB 2312 does.
    keys: dict[uuid.UUID, str] = dict(
        session.execute(
            select(Member.id, Member.name_pinyin).where(
                Member.branch_id == branch_id, ~Member.deleted
            )
        ).all()
    )
    found = sorted(
        members.list_members(session, branch_id, MemberQuery(sort_field="party_group")),
        key=lambda m: (
            m.party_group_number is None,
            m.party_group_number or 0,
            name_order_key(m.name, keys.get(m.id)),
        ),
    )
    rows = []
    for m in found:
        notes = [m.notes] if m.notes else []
        if m.floating:
            notes.insert(
                0,
                _("Floating: {place}").format(place=m.floating_to)
                if m.floating_to
                else _("Floating member"),
            )
        if m.lost_contact:
            notes.insert(0, _("Lost contact"))
        rows.append(
            RegisterRow(
                name=m.name,
                gender=_label(GENDERS, m.gender),
                ethnicity=_label(ETHNICITIES, m.ethnicity),
                id_number=m.id_number,
                birth_date=_date(m.birth_date),
                education=_label(EDUCATIONS, m.education),
                status=_label(STATUSES, m.status),
                joined_on=_date(m.joined_on),
                confirmed_on=_date(m.confirmed_on),
                occupation=_label(OCCUPATIONS, m.occupation),
                party_group=m.party_group_name,
                phone=m.phone,
                address=m.address,
                notes="；".join(notes),
            )
        )
    return MemberRegisterData(
        branch_name=branch.name,
        rows=tuple(rows),
        printed_on=printed_on or dt.date.today(),
        town=branch.town,
        county=branch.county,
        full=sum(1 for m in found if m.status == "full"),
        probationary=sum(1 for m in found if m.status == "probationary"),
        male=sum(1 for m in found if m.gender == "male"),
        female=sum(1 for m in found if m.gender == "female"),
        floating=sum(1 for m in found if m.floating),
    )


def name_order_key(name: str, stored: str | None = None) -> bytes:
    """Names in the order the screens list them: by the pinyin key (surnames read as surnames:
    曾 with z, 单 with s; pinyin.py), then, among the same pinyin, in the order of the Chinese
    standard GB 2312 (by radical past its common characters, then by code point).

    `stored` is the key stored with the name (`Member.name_pinyin`, `Household.head_pinyin`);
    only without it is the key derived here (pypinyin: a second to load, then per name)."""
    full = stored if stored is not None else pinyin.full_of(name)
    key = bytearray(full.encode("ascii", "replace") + b"\x00")
    for ch in name:
        for codec, prefix in (("gb2312", b""), ("gbk", b"\xfe")):
            try:
                key += prefix + ch.encode(codec)
                break
            except UnicodeEncodeError:
                continue
        else:
            key += b"\xff" + ch.encode("utf-32-be")
    return bytes(key)


def _agreed_to_show_phone(
    session: Session, volunteer_ids: set[uuid.UUID], starts_on: dt.date, ends_on: dt.date
) -> set[uuid.UUID]:
    """The volunteers whose mobile number a posted roster may show.

    Only a steward can agree (the stewards page's "show my phone", `Steward.phone_public`);
    volunteers have no such flag, so a volunteer's number is printed only when the volunteer is a
    member serving as a steward during the roster who agreed. Everyone else's is left off.
    """
    if not volunteer_ids:
        return set()
    return set(
        session.scalars(
            select(Volunteer.id)
            .join(Steward, Steward.member_id == Volunteer.member_id)
            .where(
                Volunteer.id.in_(volunteer_ids),
                ~Steward.deleted,
                Steward.phone_public.is_(True),
                (Steward.started_on.is_(None)) | (Steward.started_on <= ends_on),
                (Steward.ended_on.is_(None)) | (Steward.ended_on >= starts_on),
            )
        )
    )


def roster_sheet(
    session: Session, roster_id: uuid.UUID, printed_on: dt.date | None = None
) -> RosterSheetData:
    """A stored roster as the duty sheet prints it: one duty per day and slot, with its people,
    the team's steward (at the roster's start) and the phone to call."""
    detail = rosters.roster_detail(session, roster_id)
    roster = detail.roster
    team = session.get_one(ServiceTeam, roster.team_id)
    branch = session.get_one(Branch, team.branch_id)
    steward = teams.current_steward(session, team.party_group_id, roster.starts_on)
    steward_name = steward_phone = ""
    if steward is not None:
        member = session.get_one(Member, steward.member_id)
        steward_name = member.name
        steward_phone = member.phone if steward.phone_public else branch.phone
    people: dict[tuple[dt.date, str], list[str]] = defaultdict(list)
    phones: dict[tuple[dt.date, str], list[str]] = defaultdict(list)
    agreed = _agreed_to_show_phone(
        session,
        {d.volunteer_id for d in detail.duties if d.volunteer_id is not None},
        roster.starts_on,
        roster.ends_on,
    )
    for duty in detail.duties:
        key = (duty.day, duty.slot)
        people[key].append(duty.person_name)
        if duty.phone and duty.volunteer_id in agreed:
            phones[key].append(duty.phone)
    used = tuple(dict.fromkeys(duty.slot for duty in detail.duties))
    order = tuple(slot for slot in roster.slots if slot in used) + tuple(
        slot for slot in used if slot not in roster.slots
    )
    duties = tuple(
        RosterSheetDuty(day, slot, tuple(names), "、".join(phones[(day, slot)]))
        for (day, slot), names in sorted(
            people.items(), key=lambda item: (item[0][0], order.index(item[0][1]))
        )
    )
    return RosterSheetData(
        branch_name=branch.name,
        title=_("{team} duty roster").format(team=roster.team_name),
        team=roster.team_name,
        steward=steward_name,
        period_start=roster.starts_on,
        period_end=roster.ends_on,
        slots=order,
        duties=duties,
        printed_on=printed_on or dt.date.today(),
        phone=steward_phone,
    )
