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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    func,
    literal_column,
    or_,
    select,
    text,
    union,
)
from sqlalchemy.orm import Session

from desktop.errors import NotFound, RowsInvalid, UserError, ValidationFailed
from desktop.i18n import _, translations_of
from desktop.models.register import pinyin, validation
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
    # Names list in pinyin order (the stored key), not by code point (#18).
    "name": Member.name_pinyin,
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


def live_group_ids(session: Session, branch_id: uuid.UUID) -> tuple[set[uuid.UUID], set[uuid.UUID]]:
    """The ids of the branch's party groups and villager groups that are not removed."""
    party = session.scalars(
        select(PartyGroup.id).where(~PartyGroup.deleted, PartyGroup.branch_id == branch_id)
    )
    villager = session.scalars(
        select(VillagerGroup.id).where(~VillagerGroup.deleted, VillagerGroup.branch_id == branch_id)
    )
    return set(party), set(villager)


def holders_of(
    session: Session, branch_id: uuid.UUID, id_numbers: Iterable[str]
) -> dict[str, list[MemberRow]]:
    """The members of the register holding each of `id_numbers` (those no member holds are
    left out), in the register's group order; one query per `_IN_CHUNK` numbers."""
    numbers = sorted({number for number in id_numbers if number})
    found: dict[str, list[MemberRow]] = {}
    order = _order(MemberQuery(sort_field="party_group"))
    for start in range(0, len(numbers), _IN_CHUNK):
        stmt = (
            _select_rows()
            .where(
                *_filters(branch_id, MemberQuery()),
                Member.id_number.in_(numbers[start : start + _IN_CHUNK]),
            )
            .order_by(*order)
        )
        for result in session.execute(stmt):
            row = _row(*result)
            found.setdefault(row.id_number, []).append(row)
    return found


def id_numbers_by_name(
    session: Session, branch_id: uuid.UUID, names: Iterable[str]
) -> dict[str, set[str]]:
    """The ID numbers of the register's members with each of `names` (names no member has are
    left out); one query per `_IN_CHUNK` names."""
    wanted = sorted({name for name in names if name})
    found: dict[str, set[str]] = {}
    for start in range(0, len(wanted), _IN_CHUNK):
        for name, number in session.execute(
            select(Member.name, Member.id_number).where(
                ~Member.deleted,
                Member.branch_id == branch_id,
                Member.name.in_(wanted[start : start + _IN_CHUNK]),
            )
        ):
            found.setdefault(name, set()).add(number)
    return found


@dataclasses.dataclass(frozen=True)
class RegisterFacts:
    """What validating many drafts needs from the data file, read once (`register_facts`):
    the members holding the drafts' ID numbers and the live groups. Validation against it
    asks SQLite nothing, so a thousand rows are not a thousand queries."""

    holders: dict[str, list[MemberRow]]
    party_groups: set[uuid.UUID]
    villager_groups: set[uuid.UUID]

    def validate(
        self, draft: MemberDraft, member_id: uuid.UUID | None = None, today: dt.date | None = None
    ) -> dict[str, str]:
        """`validate(session, branch_id, draft, member_id, today)` for a draft whose ID number
        was among those looked up."""

        def holder_of(id_number: str) -> str | None:
            others = (r.name for r in self.holders.get(id_number, ()) if r.id != member_id)
            return next(others, None)

        known = _Known(holder_of, self.party_groups.__contains__, self.villager_groups.__contains__)
        return _problems(draft, known, today or _today())


def register_facts(
    session: Session, branch_id: uuid.UUID, id_numbers: Iterable[str]
) -> RegisterFacts:
    """The facts to validate drafts with these ID numbers: a query per 500 of them, and two."""
    return RegisterFacts(
        holders_of(session, branch_id, id_numbers), *live_group_ids(session, branch_id)
    )


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
            problems["id_number"] = _clash(clash)
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
    for field, message in _group_problems(draft, known).items():
        problems.setdefault(field, message)
    return problems


def _clash(holder: str) -> str:
    return _("{name} already has this ID number. Check the number, or edit that member.").format(
        name=holder
    )


def _group_problems(draft: MemberDraft, known: _Known) -> dict[str, str]:
    problems = {}
    if draft.party_group_id is not None and not known.party_group_ok(draft.party_group_id):
        problems["party_group_id"] = _(validation.MSG_NO_PARTY_GROUP)
    if draft.villager_group_id is not None and not known.villager_group_ok(draft.villager_group_id):
        problems["villager_group_id"] = _(validation.MSG_NO_VILLAGER_GROUP)
    return problems


def _register_problems(draft: MemberDraft, known: _Known) -> dict[str, str]:
    """The problems of a draft already validated that only a change of the register since can
    have made: its ID number now held by someone, a group removed."""
    clash = known.holder_of(draft.id_number)
    return {**({"id_number": _clash(clash)} if clash else {}), **_group_problems(draft, known)}


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
    ids: Iterator[uuid.UUID] | None = None,
    validated: bool = False,
) -> list[uuid.UUID]:
    """Add many members at once (imports, a hub's first fill): the same rules and the same
    change-log entries as `save_member` adding them one by one, written with one insert per
    table instead of a flush per member. All or nothing: any invalid draft raises `RowsInvalid`
    (the problems of every invalid draft, by its index) and nothing is written.

    A draft clashes with an earlier draft of the same call as it would with a saved member.
    The new members' ids are taken from `ids` in turn; by default they are made here, sorted,
    so that members keep the drafts' order among equals in the register (a uuid7's random
    bits would not, for the hundreds made within one millisecond).

    `validated`: the caller normalised the drafts and validated them with these rules moments
    ago (an import's preview, `RegisterFacts.validate`); they are then only checked for what a
    change of the register since can have broken (who holds each ID number, the groups).
    """
    today = today or _today()
    normalized = list(drafts) if validated else [normalize(draft) for draft in drafts]
    if ids is None:
        ids = iter(sorted(uuid7() for _draft in normalized))
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
    live_party, live_villager = live_group_ids(session, branch_id)
    known = _Known(holders.get, live_party.__contains__, live_villager.__contains__)
    invalid: dict[int, dict[str, str]] = {}
    rows: list[dict[str, Any]] = []
    for index, draft in enumerate(normalized):
        problems = _register_problems(draft, known) if validated else _problems(draft, known, today)
        if problems:
            invalid[index] = problems
            continue
        holders.setdefault(draft.id_number, draft.name)
        row = {field: getattr(draft, field) for field in MEMBER_FIELDS}
        row.update(id=next(ids), deleted=False, branch_id=branch_id)
        pinyin.derived_values(Member.__table__.columns, row)  # the name's search keys
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


def move_members(
    session: Session, branch_id: uuid.UUID, member_ids: list[uuid.UUID], party_group_id: uuid.UUID
) -> int:
    """Put the members in another party group (all or none: the caller's one transaction);
    returns how many were not in it already."""
    group = session.get(PartyGroup, party_group_id)
    if group is None or group.deleted or group.branch_id != branch_id:
        raise NotFound(_("This party group no longer exists."))
    moved = 0
    for member_id in dict.fromkeys(member_ids):
        member = _get(session, member_id)
        if member.deleted or member.branch_id != branch_id:
            raise NotFound(_("This member no longer exists."))
        if member.party_group_id != group.id:
            member.party_group_id = group.id
            moved += 1
    session.flush()
    return moved


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


def _is_chinese(token: str) -> bool:
    """A word typed in Chinese (a name or a group), not an ID number, phone or pinyin."""
    return not token.isascii() and not any(c.isdigit() for c in token)


def _token_filter(token: str) -> ColumnElement[bool]:
    """What one word of the filter matches: the name (or its pinyin: "chen", "cjg"), the phone,
    the ID number, a group's name or number, a category.

    Letters are the beginning of the name's pinyin or initials, Chinese the beginning of the
    name or of the given name (陈, 陈建, 建国): ranges of indexes, never a scan of the register
    (see `_arms`). Digits are found anywhere in the phone or ID number."""
    like = f"%{_escape_like(token)}%"
    alternatives: list[ColumnElement[bool]] = []
    if pinyin.is_pinyin(token):
        alternatives += [
            pinyin.key_starts_with(Member.name_pinyin, token),
            pinyin.key_starts_with(Member.name_initials, token),
        ]
        if token in ("x", "X"):
            alternatives.append(Member.id_number.like("%X"))
    elif _is_chinese(token):
        alternatives += [
            pinyin.starts_with(Member.name, token),
            pinyin.starts_with(Member.name_given, token),
        ]
    else:
        alternatives.append(Member.name.like(like, escape="\\"))
        alternatives.append(Member.phone.like(like, escape="\\"))
        alternatives.append(Member.id_number.like(like.upper(), escape="\\"))
    alternatives += [
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
    if statuses:
        alternatives.append(Member.status.in_(statuses))
    if token.isdigit() and len(token) <= 3:
        alternatives.append(
            Member.party_group_id.in_(select(PartyGroup.id).where(PartyGroup.number == int(token)))
        )
    return or_(*alternatives)


def _filters(
    branch_id: uuid.UUID, query: MemberQuery, but: str | None = None
) -> list[ColumnElement[bool]]:
    """The conditions of `query`; `but`: leave out (once) this word's own condition."""
    clauses: list[ColumnElement[bool]] = [~Member.deleted, Member.branch_id == branch_id]
    if query.party_group_id is not None:
        clauses.append(Member.party_group_id == query.party_group_id)
    words = query.text.split()
    if but is not None:
        words.remove(but)
    clauses += [_token_filter(token) for token in words]
    return clauses


def _escape_like(text: str) -> str:
    return re.sub(r"([\\%_])", r"\\\1", text)


def _order(query: MemberQuery) -> tuple[Any, ...]:
    """The sort column, then pinyin (people with the same value list by name), then the id."""
    column = SORT_COLUMNS.get(query.sort_field, Member.name_pinyin)
    first = column.desc() if query.descending else column.asc()
    if column is Member.name_pinyin:
        return (first, Member.id)
    return (first, Member.name_pinyin, Member.id)


#: At most this many members matching a fragment are read and sorted rather than found by
#: walking the register in order.
FEW = 5000


class Arms(NamedTuple):
    word: str  # the filter word they match
    arms: list[ColumnElement[bool]]  # the ways it matches, each an index range
    drive: bool  # read from the fragment index, not by walking the register's order


def _arms(session: Session, branch_id: uuid.UUID, query: MemberQuery) -> Arms | None:
    """For a filter with a word of letters (pinyin) or Chinese, the index-served ways the first
    such word can match: ranges of the full pinyin, of the initials, of the name or given name,
    a group's members; together, exactly what the word's own condition matches. None: the filter
    has no such word (or one that also names a category), and is read by the plain query.

    Each way is read on its own and the results merged in pinyin order (a UNION with ORDER BY,
    which SQLite merges: the full-pinyin range comes out of the register's index already in
    order), so that "w", "wang" or "cjg" is a few index ranges at county scale, never a scan."""
    fragments = session.get_bind().dialect.name == "sqlite"  # the FTS5 index is SQLite's
    token = next(
        (
            t
            for t in query.text.split()
            if pinyin.is_pinyin(t) or _is_chinese(t) or (fragments and pinyin.is_id_fragment(t))
        ),
        None,
    )
    if token is None or token in ("x", "X") or _matching_codes(token, STATUSES):
        return None
    arms: list[ColumnElement[bool]]
    drive = False
    if pinyin.is_id_fragment(token):
        # 0315: the trigram index of ID numbers and phones (0011), then the group numbered so.
        fragment = '"' + token.upper() + '"'
        arms = [
            literal_column("member.rowid").in_(
                text(
                    "SELECT rowid FROM member_digits WHERE member_digits MATCH :fragment"
                ).bindparams(fragment=fragment)
            )
        ]
        # Few matches (0315 among ID numbers): read them and sort. Many (a phone's first
        # digits): walking the register in order finds a page of them sooner.
        few = session.execute(
            text(
                "SELECT count(*) FROM (SELECT rowid FROM member_digits "
                "WHERE member_digits MATCH :fragment LIMIT :cap)"
            ),
            {"fragment": fragment, "cap": FEW + 1},
        ).scalar_one()
        drive = few <= FEW
        if token.isdigit() and len(token) <= 3:
            numbered = session.scalars(
                select(PartyGroup.id).where(
                    PartyGroup.branch_id == branch_id, PartyGroup.number == int(token)
                )
            ).all()
            if numbered:
                arms.append(Member.party_group_id.in_(numbered))
    elif pinyin.is_pinyin(token):
        # One letter: the initials' range holds the same people as the full pinyin's.
        keys = (
            [Member.name_pinyin] if len(token) == 1 else [Member.name_pinyin, Member.name_initials]
        )
        arms = [pinyin.key_starts_with(key, token) for key in keys]
    else:
        # 王: the names starting with it are those whose pinyin starts with one of its readings
        # (wang): ranges of the register's own order. 建国: a range of given names.
        arms = [
            and_(
                pinyin.key_starts_with(Member.name_pinyin, syllable),
                pinyin.starts_with(Member.name, token),
            )
            for syllable in pinyin.first_syllables(token[0])
        ]
        arms.append(pinyin.starts_with(Member.name_given, token))
    like = f"%{_escape_like(token)}%"
    groups = session.scalars(
        select(PartyGroup.id).where(
            PartyGroup.branch_id == branch_id, PartyGroup.name.like(like, escape="\\")
        )
    ).all()
    if groups:
        arms.append(Member.party_group_id.in_(groups))
    villager_groups = session.scalars(
        select(VillagerGroup.id).where(
            VillagerGroup.branch_id == branch_id, VillagerGroup.name.like(like, escape="\\")
        )
    ).all()
    if villager_groups:
        arms.append(Member.villager_group_id.in_(villager_groups))
    return Arms(token, arms, drive)


def _union(
    branch_id: uuid.UUID,
    query: MemberQuery,
    found: Arms,
    *columns: Any,
) -> Any:
    """Each way of matching the word, with the rest of the query (the word's own condition
    is the arms themselves: left out, so that each arm reads only its own index)."""
    word, arms, drive = found
    filters = _filters(branch_id, query, but=word)
    if drive:
        # Unary plus: these may not be read through an index, so that SQLite reads the few
        # rows the fragment index names instead of walking the register in order to them.
        filters[:2] = [
            text("+member.deleted = 0"),
            text("+member.branch_id = :drive_branch").bindparams(drive_branch=branch_id.hex),
        ]
    selects = [select(Member.id, *columns).where(*filters, arm) for arm in arms]
    return selects[0] if len(selects) == 1 else union(*selects)


def count_members(session: Session, branch_id: uuid.UUID, query: MemberQuery) -> int:
    arms = _arms(session, branch_id, query)
    if arms is not None:
        found = _union(branch_id, query, arms).subquery()
        return session.scalar(select(func.count()).select_from(found)) or 0
    stmt = select(func.count()).select_from(Member).where(*_filters(branch_id, query))
    return session.scalar(stmt) or 0


def _page_ids(
    session: Session, branch_id: uuid.UUID, query: MemberQuery, offset: int, limit: int
) -> list[uuid.UUID]:
    arms = _arms(session, branch_id, query) if query.sort_field == "name" else None
    if arms is not None:
        found = _union(branch_id, query, arms, Member.name_pinyin)
        key, member_id = found.selected_columns.name_pinyin, found.selected_columns.id
        stmt = (
            found.order_by(key.desc() if query.descending else key, member_id)
            .offset(offset)
            .limit(limit)
        )
        return list(session.scalars(stmt))
    ids_stmt = select(Member.id)
    if query.sort_field in ("party_group", "villager_group"):
        ids_stmt = ids_stmt.outerjoin(PartyGroup, PartyGroup.id == Member.party_group_id)
        ids_stmt = ids_stmt.outerjoin(VillagerGroup, VillagerGroup.id == Member.villager_group_id)
    ids_stmt = (
        ids_stmt.where(*_filters(branch_id, query))
        .order_by(*_order(query))
        .offset(offset)
        .limit(limit)
    )
    return list(session.scalars(ids_stmt))


def page_members(
    session: Session, branch_id: uuid.UUID, query: MemberQuery, offset: int, limit: int
) -> list[MemberRow]:
    """One page of the register, filtered and sorted in SQL: the table never loads every row.

    Two steps, so that a deep page stays quick at county scale: the page's ids are found by
    walking an index (no joins unless the filter or sort needs the groups), then only those
    rows are read in full.
    """
    if limit < 0 or limit > PAGE_LIMIT:  # a whole list (print, export): one query, no id list
        stmt = _select_rows().where(*_filters(branch_id, query)).order_by(*_order(query))
        return [_row(*result) for result in session.execute(stmt.offset(offset).limit(limit))]
    ids = _page_ids(session, branch_id, query, offset, limit)
    if not ids:
        return []
    # Plain columns, not ORM objects: a page is read-only, and building 200 tracked objects
    # cost more than the SQL itself (#22).
    stmt = (
        select(
            Member.id,
            Member.deleted,
            *(getattr(Member, field) for field in MEMBER_FIELDS),
            PartyGroup.number,
            PartyGroup.name.label("group_name"),
            VillagerGroup.name.label("villager_group_name"),
        )
        .outerjoin(PartyGroup, PartyGroup.id == Member.party_group_id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Member.villager_group_id)
        .where(Member.id.in_(ids))
    )
    rows = {}
    for result in session.execute(stmt).mappings():
        draft = MemberDraft(**{field: result[field] for field in MEMBER_FIELDS})
        rows[result["id"]] = MemberRow(
            result["id"],
            draft,
            result["number"],
            result["group_name"] or "",
            result["villager_group_name"] or "",
            result["deleted"],
        )
    return [rows[member_id] for member_id in ids]


def list_members(
    session: Session, branch_id: uuid.UUID, query: MemberQuery | None = None
) -> list[MemberRow]:
    query = query or MemberQuery(sort_field="party_group")
    return page_members(session, branch_id, query, 0, -1)
