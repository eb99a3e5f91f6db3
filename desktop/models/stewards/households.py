# SPDX-License-Identifier: GPL-3.0-or-later
"""Households: who looks after each, when it was last visited, which are overdue a visit."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, Subquery, case, func, literal, or_, select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, UserError, ValidationFailed
from desktop.i18n import N_, _
from desktop.models.register import pinyin, validation
from desktop.models.register.branch import PartyGroup, VillagerGroup
from desktop.models.register.member import Member
from desktop.models.stewards.household import Household, HouseholdCare
from desktop.models.stewards.people import volunteer_names
from desktop.models.stewards.rows import (
    DEFAULT_VISIT_INTERVALS,
    HOUSEHOLD_DRAFT_FIELDS,
    HouseholdDraft,
    HouseholdQuery,
    HouseholdRow,
)
from desktop.models.stewards.service_record import ServiceHousehold, ServiceRecord
from desktop.models.stewards.team import ServiceTeam, Volunteer
from desktop.models.store.portable import days_between

#: The kinds of service that count as a visit for the visiting interval.
VISIT_KINDS = ("visit", "errand", "paperwork", "mediation")


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
        found += [
            pinyin.key_starts_with(key, word)
            for key in (Household.head_pinyin, Household.head_initials)
        ]
    return or_(*found)


def text_filters(text: str) -> list[ColumnElement[bool]]:
    """What a typed search finds: households that hold every word of it (see `_word`)."""
    return [_word(word) for word in text.split()]


def _last_visits(branch_id: uuid.UUID) -> Subquery:
    """Each household's last visit (a service of a visiting kind): household_id, last."""
    return (
        select(
            ServiceHousehold.household_id.label("household_id"),
            func.max(ServiceRecord.served_on).label("last"),
        )
        .join(ServiceRecord, ServiceRecord.id == ServiceHousehold.record_id)
        .where(
            ServiceRecord.branch_id == branch_id,
            ~ServiceRecord.deleted,
            ~ServiceHousehold.deleted,
            ServiceRecord.kind.in_(VISIT_KINDS),
        )
        .group_by(ServiceHousehold.household_id)
        .subquery()
    )


def _interval() -> ColumnElement[int]:
    """`Household.visit_interval()` in SQL: its own interval, else its flags' shortest."""
    flags = sorted(DEFAULT_VISIT_INTERVALS.items(), key=lambda item: item[1])
    default = case(*((getattr(Household, flag), days) for flag, days in flags), else_=None)
    return func.coalesce(func.nullif(Household.visit_interval_days, 0), default)


def _households(
    branch_id: uuid.UUID, query: HouseholdQuery, today: dt.date
) -> tuple[Select, list[ColumnElement[Any]]]:
    """The select of (household, last visit, overdue days, group, villager group) that a
    query lists, and its order."""
    visits = _last_visits(branch_id)
    interval = _interval()
    overdue = case(
        (visits.c.last.is_(None), interval),
        else_=days_between(visits.c.last, literal(today, Date)) - interval,
    )
    stmt = (
        select(Household, visits.c.last, overdue, PartyGroup.name, VillagerGroup.name)
        .outerjoin(visits, visits.c.household_id == Household.id)
        .outerjoin(PartyGroup, PartyGroup.id == Household.party_group_id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Household.villager_group_id)
        .where(Household.branch_id == branch_id, ~Household.deleted, *text_filters(query.text))
    )
    if query.party_group_id is not None:
        stmt = stmt.where(Household.party_group_id == query.party_group_id)
    if query.overdue_only:
        stmt = stmt.where(overdue > 0)
    # By party group, then address (the same shape of address in number order: 4号 before
    # 12号), then the head in pinyin order; overdue ones the longest overdue first.
    order = [
        PartyGroup.number.is_(None),
        PartyGroup.number,
        func.length(Household.address),
        Household.address,
        Household.head_pinyin,
        Household.head_name,
        Household.id,
    ]
    if query.overdue_only:
        order.insert(0, overdue.desc())
    return stmt, order


def page_households(
    session: Session,
    branch_id: uuid.UUID,
    query: HouseholdQuery,
    offset: int = 0,
    limit: int = -1,
    today: dt.date | None = None,
) -> list[HouseholdRow]:
    """The households a query lists, `limit` of them from `offset` (-1: all), in its order:
    a page is read from the database, never the whole list (#22)."""
    today = today or dt.date.today()
    stmt, order = _households(branch_id, query, today)
    stmt = stmt.order_by(*order)
    if offset or limit >= 0:
        stmt = stmt.offset(offset).limit(limit if limit >= 0 else None)
    found = session.execute(stmt).all()
    cares = {
        c.household_id: c.volunteer_id
        for c in session.scalars(
            select(HouseholdCare).where(
                ~HouseholdCare.deleted, HouseholdCare.household_id.in_([r[0].id for r in found])
            )
        )
    }
    names = volunteer_names(session, cares.values())
    rows = []
    for h, last, overdue, group_name, vgroup_name in found:
        carer = cares.get(h.id)
        rows.append(
            HouseholdRow(
                id=h.id,
                head_name=h.head_name,
                address=h.address,
                phone=h.phone,
                party_group_id=h.party_group_id,
                party_group_name=group_name or "",
                villager_group_name=vgroup_name or "",
                elderly_alone=h.elderly_alone,
                low_income=h.low_income,
                needs_visits=h.needs_visits,
                visit_interval=h.visit_interval(),
                carer_id=carer,
                carer_name=names.get(carer, ("", ""))[0] if carer else "",
                last_visit=last,
                overdue_days=overdue,
                notes=h.notes,
            )
        )
    return rows


def count_households(
    session: Session,
    branch_id: uuid.UUID,
    query: HouseholdQuery,
    today: dt.date | None = None,
) -> int:
    stmt, _order = _households(branch_id, query, today or dt.date.today())
    return session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def household_position(
    session: Session,
    branch_id: uuid.UUID,
    query: HouseholdQuery,
    household_id: uuid.UUID,
    today: dt.date | None = None,
) -> int | None:
    """Where a household stands in the list a query gives (0 first); None: not in it."""
    stmt, order = _households(branch_id, query, today or dt.date.today())
    ranked = stmt.with_only_columns(
        Household.id.label("id"), (func.row_number().over(order_by=order) - 1).label("n")
    ).subquery()
    return session.scalar(select(ranked.c.n).where(ranked.c.id == household_id))


def list_households(
    session: Session,
    branch_id: uuid.UUID,
    *,
    party_group_id: uuid.UUID | None = None,
    today: dt.date | None = None,
    text: str = "",
) -> list[HouseholdRow]:
    """The branch's households (every one: for printing and exporting); `text`: only those
    whose head (by name or pinyin), address or phone holds every word of it."""
    query = HouseholdQuery(text, party_group_id)
    return page_households(session, branch_id, query, today=today)


def overdue_households(
    session: Session,
    branch_id: uuid.UUID,
    *,
    party_group_id: uuid.UUID | None = None,
    today: dt.date | None = None,
    text: str = "",
) -> list[HouseholdRow]:
    """Flagged households not visited within their interval, the longest overdue first."""
    query = HouseholdQuery(text, party_group_id, overdue_only=True)
    return page_households(session, branch_id, query, today=today)


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
