# SPDX-License-Identifier: GPL-3.0-or-later
"""Services for the member register (花名册): validate, add, edit, remove, restore, query.

Every path that writes a member (the dialog, the command line, imports) goes through `save_member`
and `remove_member`, so the same rules and the same change-log entries apply everywhere.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, RowsInvalid, UserError, ValidationFailed
from desktop.i18n import _, translations_of
from desktop.models.register import validation
from desktop.models.register.branch import PartyGroup, VillagerGroup
from desktop.models.register.member import (
    EDUCATIONS,
    ETHNICITIES,
    GENDERS,
    OCCUPATIONS,
    STANDINGS,
    STATUSES,
    Member,
)
from desktop.models.register.rows import MEMBER_FIELDS, MemberDraft, MemberQuery, MemberRow
from desktop.models.store import changelog
from desktop.models.store.base import uuid7

#: Sortable fields of the register and the column each sorts by.
SORT_COLUMNS: dict[str, Any] = {
    "name": Member.name,
    "gender": Member.gender,
    "id_number": Member.id_number,
    "birth_date": Member.birth_date,
    "status": Member.status,
    "joined_on": Member.joined_on,
    "phone": Member.phone,
    "party_group": PartyGroup.number,
    "villager_group": VillagerGroup.number,
}


#: The largest page read in two steps (ids, then rows); larger reads are one query.
PAGE_LIMIT = 2000
#: ID numbers looked up per query by `add_members` (below SQLite's bound-parameter limit).
_IN_CHUNK = 500


def _today() -> dt.date:
    return dt.date.today()


def normalize(draft: MemberDraft) -> MemberDraft:
    """Tidy what was typed: trim, normalise the ID number and phone, fill birth date and gender."""
    id_number = validation.normalize_id_number(draft.id_number)
    changes: dict[str, Any] = {
        "name": validation.normalize_name(draft.name),
        "id_number": id_number,
        "phone": validation.normalize_phone(draft.phone) if draft.phone.strip() else "",
        "address": draft.address.strip(),
        "floating_to": draft.floating_to.strip(),
        "notes": draft.notes.strip(),
    }
    if validation.id_number_problem(id_number, _today()) is None:
        changes["birth_date"] = draft.birth_date or validation.birth_date_from_id(id_number)
        changes["gender"] = draft.gender or validation.gender_from_id(id_number)
    return draft.replace(**changes)


def _choice_problem(value: str | None, choices: Mapping[str, str], message: str) -> str | None:
    return None if value in choices else message


@dataclasses.dataclass(frozen=True, slots=True)
class _Known:
    """What validation reads from the data file: who has an ID number, which groups are live."""

    holder_of: Callable[[str], str | None]
    party_group_ok: Callable[[uuid.UUID], bool]
    villager_group_ok: Callable[[uuid.UUID], bool]


def _group_ok(session: Session, table: Any, branch_id: uuid.UUID) -> Callable[[uuid.UUID], bool]:
    def ok(group_id: uuid.UUID) -> bool:
        group = session.get(table, group_id)
        return group is not None and not group.deleted and group.branch_id == branch_id

    return ok


def validate(
    session: Session,
    branch_id: uuid.UUID,
    draft: MemberDraft,
    member_id: uuid.UUID | None = None,
    today: dt.date | None = None,
) -> dict[str, str]:
    """Every problem of `draft`, by field, in the user's language; empty when it can be saved."""

    def holder_of(id_number: str) -> str | None:
        return session.scalar(
            select(Member.name).where(
                ~Member.deleted,
                Member.branch_id == branch_id,
                Member.id_number == id_number,
                Member.id != member_id if member_id else True,
            )
        )

    known = _Known(
        holder_of,
        _group_ok(session, PartyGroup, branch_id),
        _group_ok(session, VillagerGroup, branch_id),
    )
    return _problems(draft, known, today or _today())


def _problems(draft: MemberDraft, known: _Known, today: dt.date) -> dict[str, str]:
    problems: dict[str, str] = {}

    def put(field: str, message: str | None) -> None:
        if message and field not in problems:
            problems[field] = _(message)

    put("name", validation.name_problem(draft.name))
    put("id_number", validation.id_number_problem(draft.id_number, today))
    if "id_number" not in problems:
        clash = known.holder_of(draft.id_number)
        if clash:
            problems["id_number"] = _(
                "{name} already has this ID number. Check the number, or edit that member."
            ).format(name=clash)
        else:
            if draft.birth_date and draft.birth_date != validation.birth_date_from_id(
                draft.id_number
            ):
                put("birth_date", validation.MSG_BIRTH_NOT_ID)
            if draft.gender and draft.gender != validation.gender_from_id(draft.id_number):
                put("gender", validation.MSG_GENDER_NOT_ID)
    put("gender", _choice_problem(draft.gender, GENDERS, validation.MSG_CHOOSE_GENDER))
    put("ethnicity", _choice_problem(draft.ethnicity, ETHNICITIES, validation.MSG_CHOOSE_ETHNICITY))
    if draft.education is not None:
        put(
            "education",
            _choice_problem(draft.education, EDUCATIONS, validation.MSG_CHOOSE_EDUCATION),
        )
    if draft.occupation is not None:
        put(
            "occupation", _choice_problem(draft.occupation, OCCUPATIONS, validation.MSG_CHOOSE_POST)
        )
    put("status", _choice_problem(draft.status, STATUSES, validation.MSG_CHOOSE_CATEGORY))
    put("standing", _choice_problem(draft.standing, STANDINGS, validation.MSG_CHOOSE_STANDING))
    for field, message in validation.member_date_problems(
        draft.birth_date, draft.joined_on, draft.confirmed_on, draft.status, today
    ).items():
        put(field, message)
    put("phone", validation.phone_problem(draft.phone))
    if draft.lost_contact:
        if draft.lost_contact_on is None:
            put("lost_contact_on", validation.MSG_LOST_CONTACT_ON_REQUIRED)
        elif draft.lost_contact_on > today:
            put("lost_contact_on", validation.MSG_LOST_CONTACT_ON_FUTURE)
    if draft.floating and not draft.floating_to.strip():
        put("floating_to", validation.MSG_FLOATING_TO_REQUIRED)
    if draft.party_group_id is not None and not known.party_group_ok(draft.party_group_id):
        put("party_group_id", validation.MSG_NO_PARTY_GROUP)
    if draft.villager_group_id is not None and not known.villager_group_ok(draft.villager_group_id):
        put("villager_group_id", validation.MSG_NO_VILLAGER_GROUP)
    return problems


def warnings(draft: MemberDraft, today: dt.date | None = None) -> dict[str, str]:
    """What the clerk should check in `draft` although it can be saved, by field (translated)."""
    if validation.probation_overdue(draft.joined_on, draft.status, today or _today()):
        return {"status": _(validation.MSG_PROBATION_OVERDUE)}
    return {}


def _draft(member: Member) -> MemberDraft:
    return MemberDraft(**{field: getattr(member, field) for field in MEMBER_FIELDS})


def _row(
    member: Member, group_number: int | None, group_name: str | None, vgroup_name: str | None
) -> MemberRow:
    return MemberRow(
        member.id,
        _draft(member),
        group_number,
        group_name or "",
        vgroup_name or "",
        member.deleted,
    )


def _get(session: Session, member_id: uuid.UUID) -> Member:
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(_("This member no longer exists."))
    return member


def save_member(
    session: Session,
    branch_id: uuid.UUID,
    draft: MemberDraft,
    member_id: uuid.UUID | None = None,
    today: dt.date | None = None,
) -> MemberRow:
    """Add a member (no `member_id`) or update one; raises ValidationFailed and writes nothing."""
    draft = normalize(draft)
    problems = validate(session, branch_id, draft, member_id, today)
    if problems:
        raise ValidationFailed(problems)
    if member_id is None:
        member = Member(branch_id=branch_id)
        session.add(member)
    else:
        member = _get(session, member_id)
        if member.deleted:
            raise NotFound(_("This member was removed. Undo the removal to edit them."))
    for field in MEMBER_FIELDS:
        if getattr(member, field, None) != getattr(draft, field):
            setattr(member, field, getattr(draft, field))
    session.flush()
    return get_member(session, member.id)


def add_members(
    session: Session,
    branch_id: uuid.UUID,
    drafts: Sequence[MemberDraft],
    today: dt.date | None = None,
) -> list[uuid.UUID]:
    """Add many members at once (imports, a hub's first fill): the same rules and the same
    change-log entries as `save_member` adding them one by one, written with one insert per
    table instead of a flush per member. All or nothing: any invalid draft raises `RowsInvalid`
    (the problems of every invalid draft, by its index) and nothing is written.

    A draft clashes with an earlier draft of the same call as it would with a saved member.
    """
    today = today or _today()
    normalized = [normalize(draft) for draft in drafts]
    holders: dict[str, str] = {}
    numbers = list({draft.id_number for draft in normalized})
    for start in range(0, len(numbers), _IN_CHUNK):
        holders.update(
            (number, name)
            for number, name in session.execute(
                select(Member.id_number, Member.name).where(
                    ~Member.deleted,
                    Member.branch_id == branch_id,
                    Member.id_number.in_(numbers[start : start + _IN_CHUNK]),
                )
            )
        )
    live_party = set(
        session.scalars(
            select(PartyGroup.id).where(~PartyGroup.deleted, PartyGroup.branch_id == branch_id)
        )
    )
    live_villager = set(
        session.scalars(
            select(VillagerGroup.id).where(
                ~VillagerGroup.deleted, VillagerGroup.branch_id == branch_id
            )
        )
    )
    known = _Known(holders.get, live_party.__contains__, live_villager.__contains__)
    invalid: dict[int, dict[str, str]] = {}
    rows: list[dict[str, Any]] = []
    for index, draft in enumerate(normalized):
        problems = _problems(draft, known, today)
        if problems:
            invalid[index] = problems
            continue
        holders.setdefault(draft.id_number, draft.name)
        row = {field: getattr(draft, field) for field in MEMBER_FIELDS}
        row.update(id=uuid7(), deleted=False, branch_id=branch_id)
        rows.append(row)
    if invalid:
        raise RowsInvalid(invalid)
    if rows:
        columns = tuple(column.key for column in Member.__table__.columns)
        changelog.insert_tuples(
            session.connection(),
            Member.__table__,
            columns,
            [tuple(row[name] for name in columns) for row in rows],
        )
        changelog.log_inserted(session, Member, rows)
    return [row["id"] for row in rows]


def get_member(session: Session, member_id: uuid.UUID) -> MemberRow:
    result = session.execute(_select_rows().where(Member.id == member_id)).one_or_none()
    if result is None:
        raise NotFound(_("This member no longer exists."))
    return _row(*result)


def find_by_id_number(
    session: Session, branch_id: uuid.UUID, id_number: str, removed: bool = False
) -> MemberRow | None:
    """The member with this ID number; with `removed`, one whose removal can be undone."""
    normalized = validation.normalize_id_number(id_number)
    result = session.execute(
        _select_rows().where(
            Member.deleted.is_(removed),
            Member.branch_id == branch_id,
            Member.id_number == normalized,
        )
    ).first()
    return _row(*result) if result else None


def remove_member(session: Session, member_id: uuid.UUID) -> None:
    """Remove a member: a tombstone, so the removal syncs and can be undone."""
    member = _get(session, member_id)
    member.deleted = True


def restore_member(session: Session, member_id: uuid.UUID) -> MemberRow:
    """Undo a removal; refused when someone else now has the same ID number."""
    member = _get(session, member_id)
    clash = session.scalar(
        select(Member.name).where(
            ~Member.deleted,
            Member.branch_id == member.branch_id,
            Member.id_number == member.id_number,
            Member.id != member.id,
        )
    )
    if clash:
        raise UserError(
            _(
                "{name} was added with the same ID number since; the removal cannot be undone."
            ).format(name=clash)
        )
    member.deleted = False
    session.flush()
    return get_member(session, member.id)


# ----------------------------------------------------------------------------- queries


def _select_rows() -> Select[Any]:
    return (
        select(Member, PartyGroup.number, PartyGroup.name, VillagerGroup.name)
        .outerjoin(PartyGroup, PartyGroup.id == Member.party_group_id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Member.villager_group_id)
    )


def _matching_codes(token: str, choices: Mapping[str, str]) -> list[str]:
    """Codes whose label, in any UI language, contains `token` (预备 finds probationary)."""
    token = token.casefold()
    return [
        code
        for code, label in choices.items()
        if token == code.casefold() or any(token in t.casefold() for t in translations_of(label))
    ]


def _filters(branch_id: uuid.UUID, query: MemberQuery) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = [~Member.deleted, Member.branch_id == branch_id]
    if query.party_group_id is not None:
        clauses.append(Member.party_group_id == query.party_group_id)
    for token in query.text.split():
        like = f"%{_escape_like(token)}%"
        alternatives: list[ColumnElement[bool]] = [
            Member.name.like(like, escape="\\"),
            Member.phone.like(like, escape="\\"),
            Member.id_number.like(like.upper(), escape="\\"),
            # Groups are matched by subquery, not by join: the filter then reads only the
            # register's covering index (ix_member_register_order).
            Member.party_group_id.in_(
                select(PartyGroup.id).where(PartyGroup.name.like(like, escape="\\"))
            ),
            Member.villager_group_id.in_(
                select(VillagerGroup.id).where(VillagerGroup.name.like(like, escape="\\"))
            ),
        ]
        statuses = _matching_codes(token, STATUSES)
        alternatives.append(Member.status.in_(statuses) if statuses else false())
        if token.isdigit() and len(token) <= 3:
            alternatives.append(
                Member.party_group_id.in_(
                    select(PartyGroup.id).where(PartyGroup.number == int(token))
                )
            )
        clauses.append(or_(*alternatives))
    return clauses


def _escape_like(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


def count_members(session: Session, branch_id: uuid.UUID, query: MemberQuery) -> int:
    stmt = select(func.count()).select_from(Member).where(*_filters(branch_id, query))
    return session.scalar(stmt) or 0


def page_members(
    session: Session, branch_id: uuid.UUID, query: MemberQuery, offset: int, limit: int
) -> list[MemberRow]:
    """One page of the register, filtered and sorted in SQL: the table never loads every row.

    Two steps, so that a deep page stays quick at county scale: the page's ids are found by
    walking an index (no joins unless the filter or sort needs the groups), then only those
    rows are read in full.
    """
    column = SORT_COLUMNS.get(query.sort_field, Member.name)
    order = column.desc() if query.descending else column.asc()
    if limit < 0 or limit > PAGE_LIMIT:  # a whole list (print, export): one query, no id list
        stmt = _select_rows().where(*_filters(branch_id, query)).order_by(order, Member.id)
        return [_row(*result) for result in session.execute(stmt.offset(offset).limit(limit))]
    ids_stmt = select(Member.id)
    if query.sort_field in ("party_group", "villager_group"):
        ids_stmt = ids_stmt.outerjoin(PartyGroup, PartyGroup.id == Member.party_group_id)
        ids_stmt = ids_stmt.outerjoin(VillagerGroup, VillagerGroup.id == Member.villager_group_id)
    ids_stmt = (
        ids_stmt.where(*_filters(branch_id, query))
        .order_by(order, Member.id)
        .offset(offset)
        .limit(limit)
    )
    ids = list(session.scalars(ids_stmt))
    if not ids:
        return []
    rows = {
        result[0].id: _row(*result)
        for result in session.execute(_select_rows().where(Member.id.in_(ids)))
    }
    return [rows[member_id] for member_id in ids]


def list_members(
    session: Session, branch_id: uuid.UUID, query: MemberQuery | None = None
) -> list[MemberRow]:
    query = query or MemberQuery(sort_field="party_group")
    return page_members(session, branch_id, query, 0, -1)
