# SPDX-License-Identifier: GPL-3.0-or-later
"""Services for the branch and its groups. Functions take the session first; callers commit."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.errors import NotFound, UserError, ValidationFailed
from desktop.i18n import _
from desktop.models.register.branch import Branch, PartyGroup, VillagerGroup
from desktop.models.register.member import Member
from desktop.models.register.rows import BranchInfo, PartyGroupRow, VillagerGroupRow
from desktop.models.stewards.steward import Steward

_CHINESE_NUMERALS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十: how party groups are numbered in their names."""
    if n <= 10:
        return _CHINESE_NUMERALS[n]
    if n < 20:
        return "十" + (_CHINESE_NUMERALS[n % 10] if n % 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _CHINESE_NUMERALS[tens] + "十" + (_CHINESE_NUMERALS[ones] if ones else "")
    return str(n)


def default_party_group_name(number: int) -> str:
    return f"第{chinese_number(number)}党小组"


def _info(branch: Branch) -> BranchInfo:
    return BranchInfo(branch.id, branch.name, branch.town, branch.county, branch.phone)


def create_branch(
    session: Session, name: str, town: str, county: str, phone: str = ""
) -> BranchInfo:
    problems = {}
    for field, value, label in (
        ("name", name, _("The branch name is required.")),
        ("town", town, _("The town is required.")),
        ("county", county, _("The county is required.")),
    ):
        if not value.strip():
            problems[field] = label
    if problems:
        raise ValidationFailed(problems)
    branch = Branch(name=name.strip(), town=town.strip(), county=county.strip(), phone=phone)
    session.add(branch)
    session.flush()
    return _info(branch)


def list_branches(session: Session) -> list[BranchInfo]:
    """Every branch this database holds (a village PC one, a town hub its villages'), by name."""
    rows = session.scalars(select(Branch).where(~Branch.deleted)).all()
    return sorted((_info(b) for b in rows), key=lambda b: (b.name, str(b.id)))


def find_branches(session: Session, text: str, limit: int) -> list[BranchInfo]:
    """At most `limit` branches held here whose name, town or county holds `text` ("" : any),
    by name: what a chooser shows as the clerk types (a county hub holds about 10,000, #22).
    A whole branch id (pasted from the office PC) finds that branch."""
    stmt = select(Branch).where(~Branch.deleted)
    text = text.strip()
    if text:
        try:
            stmt = stmt.where(Branch.id == uuid.UUID(text))
        except ValueError:
            like = "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"
            stmt = stmt.where(
                Branch.name.like(like, escape="\\")
                | Branch.town.like(like, escape="\\")
                | Branch.county.like(like, escape="\\")
            )
    rows = session.scalars(stmt.order_by(Branch.name, Branch.id).limit(limit)).all()
    return [_info(b) for b in rows]


def branches_named(session: Session, ids: list[uuid.UUID] | None) -> list[BranchInfo]:
    """The branches of `ids` held here, removed ones too, by name (what a peer may receive;
    None: every branch held, as a peer trusted before entitlements were named may)."""
    if ids is None:
        return list_branches(session)
    found: list[BranchInfo] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found += [_info(b) for b in session.scalars(select(Branch).where(Branch.id.in_(chunk)))]
    return sorted(found, key=lambda b: (b.name, str(b.id)))


def current_branch(session: Session) -> BranchInfo | None:
    """The branch this database keeps (a village PC holds one; the oldest if there are more)."""
    branch = session.scalars(
        select(Branch).where(~Branch.deleted).order_by(Branch.id).limit(1)
    ).first()
    return _info(branch) if branch else None


def list_party_groups(session: Session, branch_id: uuid.UUID) -> list[PartyGroupRow]:
    counts = dict(
        session.execute(
            select(Member.party_group_id, func.count())
            .where(~Member.deleted, Member.branch_id == branch_id)
            .group_by(Member.party_group_id)
        ).all()
    )
    stewards = dict(
        session.execute(
            select(Steward.party_group_id, Member.name)
            .join(Member, Member.id == Steward.member_id)
            .where(
                Steward.branch_id == branch_id,  # a hub's file holds thousands of branches
                ~Steward.deleted,
                Steward.role == "group",
                Steward.ended_on.is_(None),
            )
        ).all()
    )
    groups = session.scalars(
        select(PartyGroup)
        .where(~PartyGroup.deleted, PartyGroup.branch_id == branch_id)
        .order_by(PartyGroup.number)
    )
    return [
        PartyGroupRow(g.id, g.number, g.name, counts.get(g.id, 0), stewards.get(g.id, ""))
        for g in groups
    ]


def party_group_names(session: Session, branch_id: uuid.UUID) -> list[tuple[uuid.UUID, int, str]]:
    """The branch's party groups as choices, (id, number, name) by number: only the groups,
    without the member counts and stewards of `list_party_groups` (a count over the whole
    register each time a dialog opened, #22)."""
    rows = session.execute(
        select(PartyGroup.id, PartyGroup.number, PartyGroup.name)
        .where(~PartyGroup.deleted, PartyGroup.branch_id == branch_id)
        .order_by(PartyGroup.number)
    )
    return [(group_id, number, name) for group_id, number, name in rows]


def list_villager_groups(session: Session, branch_id: uuid.UUID) -> list[VillagerGroupRow]:
    groups = session.scalars(
        select(VillagerGroup)
        .where(~VillagerGroup.deleted, VillagerGroup.branch_id == branch_id)
        .order_by(VillagerGroup.number)
    )
    return [VillagerGroupRow(g.id, g.number, g.name, g.alias) for g in groups]


def _check_group_name(
    session: Session, branch_id: uuid.UUID, name: str, exclude: uuid.UUID | None = None
) -> str:
    name = name.strip()
    if not name:
        raise ValidationFailed({"name": _("The group name is required.")})
    clash = session.scalar(
        select(PartyGroup.id).where(
            ~PartyGroup.deleted,
            PartyGroup.branch_id == branch_id,
            PartyGroup.name == name,
            PartyGroup.id != exclude if exclude else True,
        )
    )
    if clash:
        raise ValidationFailed(
            {"name": _("There is already a party group named {name}.").format(name=name)}
        )
    return name


def add_party_group(session: Session, branch_id: uuid.UUID, name: str = "") -> PartyGroupRow:
    """A new party group numbered after the last one; named 第N党小组 unless a name is given."""
    number = (
        session.scalar(
            select(func.max(PartyGroup.number)).where(
                ~PartyGroup.deleted, PartyGroup.branch_id == branch_id
            )
        )
        or 0
    ) + 1
    name = _check_group_name(session, branch_id, name or default_party_group_name(number))
    group = PartyGroup(branch_id=branch_id, number=number, name=name)
    session.add(group)
    session.flush()
    return PartyGroupRow(group.id, group.number, group.name, 0, "")


def _group(session: Session, group_id: uuid.UUID) -> PartyGroup:
    group = session.get(PartyGroup, group_id)
    if group is None or group.deleted:
        raise NotFound(_("This party group no longer exists."))
    return group


def rename_party_group(session: Session, group_id: uuid.UUID, name: str) -> None:
    group = _group(session, group_id)
    group.name = _check_group_name(session, group.branch_id, name, exclude=group.id)


def party_group_removal_problem(session: Session, group_id: uuid.UUID) -> str | None:
    """Why the party group cannot be removed now (it has members), or None when it can."""
    group = _group(session, group_id)
    members = session.scalar(
        select(func.count()).where(~Member.deleted, Member.party_group_id == group.id)
    )
    if members:
        return _("{group} still has {count} members. Move them to another group first.").format(
            group=group.name, count=members
        )
    return None


def remove_party_group(session: Session, group_id: uuid.UUID) -> None:
    """Remove an empty party group; a group with members must be emptied first."""
    problem = party_group_removal_problem(session, group_id)
    if problem is not None:
        raise UserError(problem)
    _group(session, group_id).deleted = True


def restore_party_group(session: Session, group_id: uuid.UUID) -> None:
    group = session.get(PartyGroup, group_id)
    if group is None:
        raise NotFound(_("This party group no longer exists."))
    group.deleted = False


def party_group_by_number(session: Session, branch_id: uuid.UUID, number: int) -> uuid.UUID | None:
    """The live party group with this number, if the branch has one."""
    return session.scalar(
        select(PartyGroup.id).where(
            PartyGroup.branch_id == branch_id, PartyGroup.number == number, ~PartyGroup.deleted
        )
    )
