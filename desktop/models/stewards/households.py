# SPDX-License-Identifier: GPL-3.0-or-later
"""Households: who looks after each, when it was last visited, which are overdue a visit."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, UserError, ValidationFailed
from desktop.i18n import N_, _
from desktop.models.register import pinyin, validation
from desktop.models.register.branch import PartyGroup, VillagerGroup
from desktop.models.register.member import Member
from desktop.models.stewards.household import Household, HouseholdCare
from desktop.models.stewards.people import volunteer_names
from desktop.models.stewards.rows import HOUSEHOLD_DRAFT_FIELDS, HouseholdDraft, HouseholdRow
from desktop.models.stewards.service_record import ServiceHousehold, ServiceRecord
from desktop.models.stewards.team import ServiceTeam, Volunteer

#: The kinds of service that count as a visit for the visiting interval.
VISIT_KINDS = ("visit", "errand", "paperwork", "mediation")


def _last_visits(session: Session, branch_id: uuid.UUID) -> dict[uuid.UUID, dt.date]:
    rows = session.execute(
        select(ServiceHousehold.household_id, func.max(ServiceRecord.served_on))
        .join(ServiceRecord, ServiceRecord.id == ServiceHousehold.record_id)
        .where(
            ServiceRecord.branch_id == branch_id,
            ~ServiceRecord.deleted,
            ~ServiceHousehold.deleted,
            ServiceRecord.kind.in_(VISIT_KINDS),
        )
        .group_by(ServiceHousehold.household_id)
    )
    return {hid: day for hid, day in rows}


def _word(word: str) -> ColumnElement[bool]:
    """What one typed word finds: the head's name (or its pinyin "chen", initials "cjg"), the
    address or the phone."""
    like = "%" + re.sub(r"([\\%_])", r"\\\1", word) + "%"
    found: list[ColumnElement[bool]] = [
        Household.head_name.like(like, escape="\\"),
        Household.address.like(like, escape="\\"),
        Household.phone.like(like, escape="\\"),
    ]
    if pinyin.is_pinyin(word):
        for key in (Household.head_pinyin, Household.head_initials):
            low, high = pinyin.key_range(word)
            found.append(key >= low if high is None else and_(key >= low, key < high))
    return or_(*found)


def text_filters(text: str) -> list[ColumnElement[bool]]:
    """What a typed search finds: households that hold every word of it (see `_word`)."""
    return [_word(word) for word in text.split()]


def list_households(
    session: Session,
    branch_id: uuid.UUID,
    *,
    party_group_id: uuid.UUID | None = None,
    today: dt.date | None = None,
    text: str = "",
) -> list[HouseholdRow]:
    """The branch's households; `text`: only those whose head (by name or pinyin), address or
    phone holds every word of it."""
    today = today or dt.date.today()
    query = select(Household).where(Household.branch_id == branch_id, ~Household.deleted)
    if party_group_id is not None:
        query = query.where(Household.party_group_id == party_group_id)
    query = query.where(*text_filters(text))
    households = session.scalars(query).all()
    groups = {
        g.id: g
        for g in session.scalars(select(PartyGroup).where(PartyGroup.branch_id == branch_id))
    }
    vgroups = {
        g.id: g
        for g in session.scalars(select(VillagerGroup).where(VillagerGroup.branch_id == branch_id))
    }
    cares = {
        c.household_id: c.volunteer_id
        for c in session.scalars(
            select(HouseholdCare).where(
                ~HouseholdCare.deleted, HouseholdCare.household_id.in_([h.id for h in households])
            )
        )
    }
    names = volunteer_names(session, cares.values())
    visits = _last_visits(session, branch_id)
    rows = []
    for h in households:
        interval = h.visit_interval()
        last = visits.get(h.id)
        overdue = None
        if interval is not None:
            overdue = (today - last).days - interval if last else interval
        group, vgroup = groups.get(h.party_group_id), vgroups.get(h.villager_group_id)
        carer = cares.get(h.id)
        rows.append(
            HouseholdRow(
                id=h.id,
                head_name=h.head_name,
                address=h.address,
                phone=h.phone,
                party_group_id=h.party_group_id,
                party_group_name=group.name if group else "",
                villager_group_name=vgroup.name if vgroup else "",
                elderly_alone=h.elderly_alone,
                low_income=h.low_income,
                needs_visits=h.needs_visits,
                visit_interval=interval,
                carer_id=carer,
                carer_name=names.get(carer, ("", ""))[0] if carer else "",
                last_visit=last,
                overdue_days=overdue,
                notes=h.notes,
            )
        )
    return sorted(
        rows,
        key=lambda r: (
            r.party_group_name == "",
            _number(groups, r),
            natural_key(r.address),
            pinyin.full_of(r.head_name),
            r.head_name,
        ),
    )


def _number(groups: dict, row: HouseholdRow) -> int:
    group = groups.get(row.party_group_id)
    return group.number if group else 0


def natural_key(text: str) -> tuple:
    """Numbers inside text compare as numbers: 第一村民小组4号 before 第一村民小组12号."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text))


def overdue_households(
    session: Session,
    branch_id: uuid.UUID,
    *,
    party_group_id: uuid.UUID | None = None,
    today: dt.date | None = None,
    text: str = "",
) -> list[HouseholdRow]:
    """Flagged households not visited within their interval, the longest overdue first."""
    rows = list_households(
        session, branch_id, party_group_id=party_group_id, today=today, text=text
    )
    late = [r for r in rows if r.overdue_days is not None and r.overdue_days > 0]
    return sorted(late, key=lambda r: -(r.overdue_days or 0))


def assign_carer(session: Session, household_id: uuid.UUID, volunteer_id: uuid.UUID | None) -> None:
    """Who looks after the household (None: nobody); the previous link is tombstoned."""
    household = session.get(Household, household_id)
    if household is None or household.deleted:
        raise NotFound(_("That household no longer exists."))
    current = session.scalars(
        select(HouseholdCare).where(
            HouseholdCare.household_id == household_id, ~HouseholdCare.deleted
        )
    ).all()
    if volunteer_id is not None:
        volunteer = session.get(Volunteer, volunteer_id)
        if volunteer is None or volunteer.deleted:
            raise NotFound(_("That volunteer is no longer on a team."))
        team = session.get_one(ServiceTeam, volunteer.team_id)
        if household.party_group_id is not None and team.party_group_id not in (
            None,
            household.party_group_id,
        ):
            raise UserError(
                _(
                    "This household belongs to another party group's area; choose "
                    "someone from that group's team."
                )
            )
    for link in current:
        if link.volunteer_id == volunteer_id:
            return
        link.deleted = True
    if volunteer_id is not None:
        session.add(HouseholdCare(household_id=household_id, volunteer_id=volunteer_id))
    session.flush()


def update_household(
    session: Session,
    household_id: uuid.UUID,
    *,
    phone: str | None = None,
    elderly_alone: bool | None = None,
    low_income: bool | None = None,
    needs_visits: bool | None = None,
    visit_interval_days: int | None = -1,
    notes: str | None = None,
) -> None:
    """Change the fields given (visit_interval_days: -1 keeps it, None uses the default)."""
    household = session.get_one(Household, household_id)
    if (
        visit_interval_days is not None
        and visit_interval_days != -1
        and not (1 <= visit_interval_days <= 366)
    ):
        raise ValidationFailed(
            {"visit_interval_days": _("The visiting interval must be between 1 and 366 days.")}
        )
    for field, value in (
        ("phone", phone),
        ("elderly_alone", elderly_alone),
        ("low_income", low_income),
        ("needs_visits", needs_visits),
        ("notes", notes),
    ):
        if value is not None:
            setattr(household, field, value)
    if visit_interval_days != -1:
        household.visit_interval_days = visit_interval_days


# ----------------------------------------------------------------------------- add, edit, remove

#: The columns' sizes in the table (household.py).
MAX_LENGTHS = {"head_name": 50, "address": 200, "phone": 30}
#: The longest visiting interval accepted: a year.
MAX_INTERVAL_DAYS = 366

MSG_HEAD_REQUIRED = N_("Enter the name of the head of household.")
MSG_TOO_LONG = N_("Too long: at most {n} characters.")
MSG_INTERVAL_RANGE = N_("The visiting interval must be between 1 and 366 days.")
MSG_NO_PARTY_GROUP = N_("This party group no longer exists. Choose another.")
MSG_NO_VILLAGER_GROUP = N_("This villager group no longer exists. Choose another.")
MSG_NO_HEAD_MEMBER = N_("This member is no longer in the register. Choose another.")
MSG_HOUSEHOLD_GONE = N_("That household no longer exists.")
MSG_HOUSEHOLD_REMOVED = N_("This household was removed. Undo the removal to edit it.")


def normalize_household(draft: HouseholdDraft) -> HouseholdDraft:
    """Trimmed text and the phone's stored form (as the member register stores phones)."""
    return draft.replace(
        head_name=" ".join(draft.head_name.split()),
        address=" ".join(validation.to_half_width(draft.address).split()),
        phone=validation.normalize_phone(draft.phone) if draft.phone.strip() else "",
        notes=draft.notes.strip(),
    )


def draft_problems(draft: HouseholdDraft) -> dict[str, str]:
    """The problems of the (normalized) draft's own values, by field, translated: the rules the
    dialog and the import share (`validate_household` adds the records it points at)."""
    problems: dict[str, str] = {}
    if not draft.head_name:
        problems["head_name"] = _(MSG_HEAD_REQUIRED)
    phone = validation.phone_problem(draft.phone)
    if phone:
        problems["phone"] = _(phone)
    for field, limit in MAX_LENGTHS.items():
        if field not in problems and len(getattr(draft, field)) > limit:
            problems[field] = _(MSG_TOO_LONG).format(n=limit)
    interval = draft.visit_interval_days
    if interval is not None and not 1 <= interval <= MAX_INTERVAL_DAYS:
        problems["visit_interval_days"] = _(MSG_INTERVAL_RANGE)
    return problems


def validate_household(
    session: Session, branch_id: uuid.UUID, draft: HouseholdDraft
) -> dict[str, str]:
    """Every problem of the (normalized) draft, by field, translated; empty when it can be saved."""
    problems = draft_problems(draft)
    if draft.party_group_id is not None:
        group = session.get(PartyGroup, draft.party_group_id)
        if group is None or group.deleted or group.branch_id != branch_id:
            problems["party_group_id"] = _(MSG_NO_PARTY_GROUP)
    if draft.villager_group_id is not None:
        vgroup = session.get(VillagerGroup, draft.villager_group_id)
        if vgroup is None or vgroup.deleted or vgroup.branch_id != branch_id:
            problems["villager_group_id"] = _(MSG_NO_VILLAGER_GROUP)
    if draft.head_member_id is not None:
        member = session.get(Member, draft.head_member_id)
        if member is None or member.deleted or member.branch_id != branch_id:
            problems["head_member_id"] = _(MSG_NO_HEAD_MEMBER)
    return problems


def _get_household(session: Session, household_id: uuid.UUID) -> Household:
    household = session.get(Household, household_id)
    if household is None:
        raise NotFound(_(MSG_HOUSEHOLD_GONE))
    return household


def draft_of(household: Household) -> HouseholdDraft:
    """The household's own fields, as the dialog and the import edit them."""
    return HouseholdDraft(**{f: getattr(household, f) for f in HOUSEHOLD_DRAFT_FIELDS})


def get_household(session: Session, household_id: uuid.UUID) -> HouseholdDraft:
    """The household's own fields, as the dialog edits them."""
    return draft_of(_get_household(session, household_id))


def save_household(
    session: Session,
    branch_id: uuid.UUID,
    draft: HouseholdDraft,
    household_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """Add a household (no `household_id`) or update one; returns its id.

    Raises ValidationFailed (field → translated message) and then writes nothing. Only the
    fields that changed are set, so the change log records exactly those.
    """
    draft = normalize_household(draft)
    problems = validate_household(session, branch_id, draft)
    if problems:
        raise ValidationFailed(problems)
    if household_id is None:
        household = Household(branch_id=branch_id)
        session.add(household)
    else:
        household = _get_household(session, household_id)
        if household.deleted:
            raise NotFound(_(MSG_HOUSEHOLD_REMOVED))
    for field in HOUSEHOLD_DRAFT_FIELDS:
        value = getattr(draft, field)
        if household_id is None or getattr(household, field) != value:
            setattr(household, field, value)
    session.flush()
    return household.id


def remove_household(session: Session, household_id: uuid.UUID) -> None:
    """Remove a household: a tombstone, so the removal syncs and can be undone.

    Who looked after it stays linked (the link is the household's history); service records
    that name it keep naming it.
    """
    household = _get_household(session, household_id)
    household.deleted = True
    session.flush()


def restore_household(session: Session, household_id: uuid.UUID) -> None:
    """Undo a removal."""
    household = _get_household(session, household_id)
    household.deleted = False
    session.flush()
