# SPDX-License-Identifier: GPL-3.0-or-later
"""The service log: record services, list and sum them, and the configurable kinds."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, ValidationFailed
from desktop.i18n import _
from desktop.models.register.branch import PartyGroup
from desktop.models.stewards.household import Household
from desktop.models.stewards.people import volunteer_names
from desktop.models.stewards.roster import Duty
from desktop.models.stewards.rows import (
    ServiceDraft,
    ServiceKindRow,
    ServiceQuery,
    ServiceRecordRow,
    ServiceSumRow,
)
from desktop.models.stewards.service_record import (
    DEFAULT_KINDS,
    ServiceHousehold,
    ServiceKind,
    ServicePerson,
    ServiceRecord,
)
from desktop.models.stewards.steward import Commitment, Steward
from desktop.models.stewards.team import ServiceTeam, Volunteer

MAX_MINUTES = 24 * 60
SUM_BY = ("person", "group", "household", "kind")
KIND_NAMESPACE = uuid.UUID("0b6f4d0e-6a59-4c4e-8f0e-2f5d3c7a9e41")


def kind_id(branch_id: uuid.UUID, code: str) -> uuid.UUID:
    """Default kinds get the same id on every PC, so seeding them twice never duplicates."""
    return uuid.uuid5(KIND_NAMESPACE, f"{branch_id}/{code}")


def list_kinds(
    session: Session, branch_id: uuid.UUID, include_hidden: bool = False
) -> list[ServiceKindRow]:
    """The branch's kinds in order; the defaults until the branch changes any."""
    stored = session.scalars(
        select(ServiceKind)
        .where(ServiceKind.branch_id == branch_id, ~ServiceKind.deleted)
        .order_by(ServiceKind.sort_order, ServiceKind.code)
    ).all()
    if not stored:
        return [ServiceKindRow(code, _(label), True) for code, label in DEFAULT_KINDS.items()]
    rows = [
        ServiceKindRow(k.code, k.name or _(DEFAULT_KINDS.get(k.code, k.code)), k.active)
        for k in stored
    ]
    return rows if include_hidden else [r for r in rows if r.active]


def save_kind(
    session: Session, branch_id: uuid.UUID, code: str, name: str, active: bool = True
) -> None:
    """Add or rename a kind (the defaults are stored first, so the list stays whole)."""
    code, name = code.strip().lower(), name.strip()
    if not code or not code.replace("_", "").isalnum() or len(code) > 30:
        raise ValidationFailed({"code": _("A kind's code is a short word of letters and digits.")})
    existing = {
        k.code: k
        for k in session.scalars(
            select(ServiceKind).where(ServiceKind.branch_id == branch_id, ~ServiceKind.deleted)
        )
    }
    if not existing:
        for order, default in enumerate(DEFAULT_KINDS):
            existing[default] = ServiceKind(
                id=kind_id(branch_id, default),
                branch_id=branch_id,
                code=default,
                name="",
                sort_order=order * 10,
            )
            session.add(existing[default])
    kind = existing.get(code)
    if kind is None:
        kind = ServiceKind(
            branch_id=branch_id,
            code=code,
            sort_order=max(k.sort_order for k in existing.values()) + 10,
        )
        session.add(kind)
    kind.name, kind.active = name[:50], active
    session.flush()


def _kind_labels(session: Session, branch_id: uuid.UUID) -> dict[str, str]:
    return {k.code: k.label for k in list_kinds(session, branch_id, include_hidden=True)}


def team_commitment(session: Session, volunteer_id: uuid.UUID, year: int) -> uuid.UUID | None:
    """The commitment of `year` of the steward leading this person's team (None if none)."""
    volunteer = session.get(Volunteer, volunteer_id)
    team = session.get(ServiceTeam, volunteer.team_id) if volunteer else None
    if team is None or team.party_group_id is None:
        return None
    return session.scalar(
        select(Commitment.id)
        .join(Steward, Steward.id == Commitment.steward_id)
        .where(
            Steward.party_group_id == team.party_group_id,
            ~Steward.deleted,
            ~Commitment.deleted,
            Commitment.year == year,
            Steward.started_on.is_(None) | (Steward.started_on <= dt.date(year, 12, 31)),
            Steward.ended_on.is_(None) | (Steward.ended_on >= dt.date(year, 1, 1)),
        )
        .order_by(Steward.started_on.desc())
        .limit(1)
    )


def validate(session: Session, branch_id: uuid.UUID, draft: ServiceDraft) -> dict[str, str]:
    problems: dict[str, str] = {}
    if draft.served_on is None:
        problems["served_on"] = _("Give the day of the service.")
    elif draft.served_on > dt.date.today() + dt.timedelta(days=1):
        problems["served_on"] = _("The day of the service cannot be in the future.")
    if draft.kind not in _kind_labels(session, branch_id):
        problems["kind"] = _("Choose a kind of service from the list.")
    if not 0 < draft.minutes <= MAX_MINUTES:
        problems["minutes"] = _("The time must be more than 0 and at most 24 hours.")
    if not draft.volunteer_ids:
        problems["volunteer_ids"] = _("Choose who served.")
    for vid in draft.volunteer_ids:
        v = session.get(Volunteer, vid)
        if v is None or v.deleted:
            problems["volunteer_ids"] = _("Someone chosen is no longer on a team.")
    for hid in draft.household_ids:
        h = session.get(Household, hid)
        if h is None or h.deleted:
            problems["household_ids"] = _("A household chosen no longer exists.")
    if draft.commitment_id is not None and session.get(Commitment, draft.commitment_id) is None:
        problems["commitment_id"] = _("The commitment chosen no longer exists.")
    if (
        draft.fulfils_commitment
        and draft.commitment_id is None
        and draft.volunteer_ids
        and draft.served_on is not None
        and "volunteer_ids" not in problems
        and team_commitment(session, draft.volunteer_ids[0], draft.served_on.year) is None
    ):
        problems["commitment_id"] = _(
            "The steward of this team has no commitment for {year} to link the service to."
        ).format(year=draft.served_on.year)
    if draft.duty_id is not None and session.get(Duty, draft.duty_id) is None:
        problems["duty_id"] = _("The duty chosen no longer exists.")
    return problems


def record_service(session: Session, branch_id: uuid.UUID, draft: ServiceDraft) -> ServiceRecordRow:
    problems = validate(session, branch_id, draft)
    if problems:
        raise ValidationFailed(problems)
    first = session.get_one(Volunteer, draft.volunteer_ids[0])
    group_id = session.get_one(ServiceTeam, first.team_id).party_group_id
    commitment_id = draft.commitment_id
    if commitment_id is None and draft.fulfils_commitment and draft.served_on is not None:
        commitment_id = team_commitment(session, first.id, draft.served_on.year)
    record = ServiceRecord(
        branch_id=branch_id,
        served_on=draft.served_on,
        kind=draft.kind,
        minutes=draft.minutes,
        notes=draft.notes.strip(),
        party_group_id=group_id,
        commitment_id=commitment_id,
        duty_id=draft.duty_id,
    )
    session.add(record)
    session.flush()
    session.add_all(
        ServicePerson(record_id=record.id, volunteer_id=v)
        for v in dict.fromkeys(draft.volunteer_ids)
    )
    session.add_all(
        ServiceHousehold(record_id=record.id, household_id=h)
        for h in dict.fromkeys(draft.household_ids)
    )
    session.flush()
    return _rows(session, branch_id, [record])[0]


def _set_links(
    session: Session,
    link: type[ServicePerson] | type[ServiceHousehold],
    record_id: uuid.UUID,
    column: str,
    wanted: tuple[uuid.UUID, ...],
) -> None:
    """Make the record's live links exactly `wanted`: tombstone the others, bring back or add."""
    wanted_set = set(wanted)
    known: set[uuid.UUID] = set()
    for row in session.scalars(select(link).where(link.record_id == record_id)):
        target = getattr(row, column)
        keep = target in wanted_set and target not in known
        known.add(target)
        if row.deleted == keep:
            row.deleted = not keep
    session.add_all(
        link(record_id=record_id, **{column: target})
        for target in dict.fromkeys(wanted)
        if target not in known
    )


def update_service(
    session: Session, branch_id: uuid.UUID, record_id: uuid.UUID, draft: ServiceDraft
) -> ServiceRecordRow:
    """Change a recorded service (a typo in the day, the hours, who served…). Each changed field
    goes to the change log like any edit; the people and households are links, tombstoned and
    added as they change. The commitment link stays while "fulfils" stays ticked in the same
    year, is looked up anew otherwise, and goes when it is unticked."""
    record = session.get(ServiceRecord, record_id)
    if record is None or record.deleted or record.branch_id != branch_id:
        raise NotFound(_("That service record no longer exists."))
    problems = validate(session, branch_id, draft)
    if problems:
        raise ValidationFailed(problems)
    first = session.get_one(Volunteer, draft.volunteer_ids[0])
    assert draft.served_on is not None  # validated
    commitment_id = draft.commitment_id
    if commitment_id is None and draft.fulfils_commitment:
        same_year = record.served_on.year == draft.served_on.year
        commitment_id = (
            record.commitment_id
            if record.commitment_id is not None and same_year
            else team_commitment(session, first.id, draft.served_on.year)
        )
    values = {
        "served_on": draft.served_on,
        "kind": draft.kind,
        "minutes": draft.minutes,
        "notes": draft.notes.strip(),
        "party_group_id": session.get_one(ServiceTeam, first.team_id).party_group_id,
        "commitment_id": commitment_id,
    }
    for name, value in values.items():
        if getattr(record, name) != value:  # only what changed reaches the change log
            setattr(record, name, value)
    _set_links(session, ServicePerson, record.id, "volunteer_id", draft.volunteer_ids)
    _set_links(session, ServiceHousehold, record.id, "household_id", draft.household_ids)
    session.flush()
    return _rows(session, branch_id, [record])[0]


def remove_service(session: Session, record_id: uuid.UUID) -> None:
    record = session.get(ServiceRecord, record_id)
    if record is None:
        raise NotFound(_("That service record no longer exists."))
    record.deleted = True


def restore_service(session: Session, record_id: uuid.UUID) -> None:
    session.get_one(ServiceRecord, record_id).deleted = False


def _links(session: Session, records: list[ServiceRecord]):  # type: ignore[no-untyped-def]
    ids = [r.id for r in records]
    people: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    households: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for link in session.scalars(
        select(ServicePerson).where(ServicePerson.record_id.in_(ids), ~ServicePerson.deleted)
    ):
        people[link.record_id].append(link.volunteer_id)
    for hlink in session.scalars(
        select(ServiceHousehold).where(
            ServiceHousehold.record_id.in_(ids), ~ServiceHousehold.deleted
        )
    ):
        households[hlink.record_id].append(hlink.household_id)
    return people, households


def _rows(
    session: Session, branch_id: uuid.UUID, records: list[ServiceRecord]
) -> list[ServiceRecordRow]:
    people, households = _links(session, records)
    names = volunteer_names(session, {v for vs in people.values() for v in vs})
    heads = dict(
        session.execute(
            select(Household.id, Household.head_name).where(
                Household.id.in_({h for hs in households.values() for h in hs})
            )
        ).all()
    )
    groups = dict(
        session.execute(
            select(PartyGroup.id, PartyGroup.name).where(
                PartyGroup.id.in_({r.party_group_id for r in records if r.party_group_id})
            )
        ).all()
    )
    labels = _kind_labels(session, branch_id)
    return [
        ServiceRecordRow(
            r.id,
            r.served_on,
            r.kind,
            labels.get(r.kind, r.kind),
            r.minutes,
            tuple(names.get(v, ("", ""))[0] for v in people[r.id]),
            tuple(heads.get(h, "") for h in households[r.id]),
            r.notes,
            r.party_group_id,
            groups.get(r.party_group_id, "") if r.party_group_id else "",
            r.commitment_id,
        )
        for r in records
    ]


def _where(branch_id: uuid.UUID, query: ServiceQuery) -> Select[tuple[ServiceRecord]]:
    """The records `query` asks for, unordered."""
    stmt = select(ServiceRecord).where(ServiceRecord.branch_id == branch_id, ~ServiceRecord.deleted)
    if query.date_from is not None:
        stmt = stmt.where(ServiceRecord.served_on >= query.date_from)
    if query.date_to is not None:
        stmt = stmt.where(ServiceRecord.served_on <= query.date_to)
    if query.kind:
        stmt = stmt.where(ServiceRecord.kind == query.kind)
    if query.party_group_id is not None:
        stmt = stmt.where(ServiceRecord.party_group_id == query.party_group_id)
    if query.volunteer_id is not None:
        stmt = stmt.where(
            ServiceRecord.id.in_(
                select(ServicePerson.record_id).where(
                    ServicePerson.volunteer_id == query.volunteer_id, ~ServicePerson.deleted
                )
            )
        )
    if query.household_id is not None:
        stmt = stmt.where(
            ServiceRecord.id.in_(
                select(ServiceHousehold.record_id).where(
                    ServiceHousehold.household_id == query.household_id, ~ServiceHousehold.deleted
                )
            )
        )
    return stmt


#: The log's order: newest first.
_NEWEST_FIRST = (ServiceRecord.served_on.desc(), ServiceRecord.id.desc())


def _select(session: Session, branch_id: uuid.UUID, query: ServiceQuery) -> list[ServiceRecord]:
    return list(session.scalars(_where(branch_id, query).order_by(*_NEWEST_FIRST)))


def list_services(
    session: Session, branch_id: uuid.UUID, query: ServiceQuery = ServiceQuery()
) -> list[ServiceRecordRow]:
    """The records matching the query, newest first."""
    return _rows(session, branch_id, _select(session, branch_id, query))


def page_services(
    session: Session, branch_id: uuid.UUID, query: ServiceQuery, offset: int, limit: int
) -> list[ServiceRecordRow]:
    """`limit` records of the list `query` gives, newest first, from `offset`: a page of the
    log (two years of a county's log is hundreds of thousands of records, #22)."""
    stmt = _where(branch_id, query).order_by(*_NEWEST_FIRST).offset(offset).limit(limit)
    return _rows(session, branch_id, list(session.scalars(stmt)))


def count_services(session: Session, branch_id: uuid.UUID, query: ServiceQuery) -> tuple[int, int]:
    """How many records `query` gives, and their minutes, counted in SQL."""
    records = _where(branch_id, query).subquery()
    n, minutes = session.execute(
        select(func.count(), func.coalesce(func.sum(records.c.minutes), 0))
    ).one()
    return n, minutes


def service_position(
    session: Session, branch_id: uuid.UUID, query: ServiceQuery, record_id: uuid.UUID
) -> int | None:
    """Where this record stands in the list `query` gives (None: not in it)."""
    record = session.scalar(_where(branch_id, query).where(ServiceRecord.id == record_id))
    if record is None:
        return None
    before = _where(branch_id, query).where(
        (ServiceRecord.served_on > record.served_on)
        | ((ServiceRecord.served_on == record.served_on) & (ServiceRecord.id > record.id))
    )
    return session.scalar(select(func.count()).select_from(before.subquery())) or 0


def _fallback(by: str, key: Any) -> str:
    """The label of a sum whose key has no name: the kind's code, or the branch itself."""
    return key if by == "kind" else _("Branch") if by == "group" else ""


def sum_services(
    session: Session, branch_id: uuid.UUID, by: str, query: ServiceQuery = ServiceQuery()
) -> list[ServiceSumRow]:
    """Records and time per person, group, household or kind, the most time first.

    A record with two people counts fully for each of them (each gave that time), so the
    per-person total can exceed the log's total; per group and kind every record counts once.
    """
    if by not in SUM_BY:
        raise ValidationFailed({"by": _("Sum by person, group, household or kind.")})
    # Summed in SQL: the log of a county's date range is tens of thousands of records (#22).
    records = _where(branch_id, query).subquery()
    totals = (func.count(), func.coalesce(func.sum(records.c.minutes), 0))
    key: Any
    if by == "person":
        key = ServicePerson.volunteer_id
        stmt = select(key, *totals).join(
            ServicePerson, (ServicePerson.record_id == records.c.id) & ~ServicePerson.deleted
        )
    elif by == "household":
        key = ServiceHousehold.household_id
        stmt = select(key, *totals).join(
            ServiceHousehold,
            (ServiceHousehold.record_id == records.c.id) & ~ServiceHousehold.deleted,
        )
    else:
        key = records.c.party_group_id if by == "group" else records.c.kind
        stmt = select(key, *totals).select_from(records)
    sums = session.execute(stmt.group_by(key)).all()
    keys = {k for k, _n, _m in sums if k is not None}
    labels: dict[Any, str]
    if by == "person":
        labels = {k: name for k, (name, _phone) in volunteer_names(session, keys).items()}
    elif by == "household":
        labels = dict(
            session.execute(
                select(Household.id, Household.head_name).where(Household.id.in_(keys))
            ).all()
        )
    elif by == "group":
        labels = dict(
            session.execute(
                select(PartyGroup.id, PartyGroup.name).where(PartyGroup.id.in_(keys))
            ).all()
        )
    else:
        labels = _kind_labels(session, branch_id)
    return sorted(
        (ServiceSumRow(str(k or ""), labels.get(k) or _fallback(by, k), n, m) for k, n, m in sums),
        key=lambda r: (-r.minutes, r.label),
    )
