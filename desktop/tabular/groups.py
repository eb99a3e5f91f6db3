# SPDX-License-Identifier: GPL-3.0-or-later
"""Party and villager groups as rosters name them: found by name or number, or created.

Shared by the member and the household import: a sheet names a group (第一党小组, 3, 三组);
an existing group of the branch is found by its name, alias or number, an unknown one is planned
as new and created when the import is written.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.models.register import groups
from desktop.models.register.branch import PartyGroup, VillagerGroup
from desktop.tabular import values


class Groups:
    """Existing party and villager groups, found by name or number; unknown ones become new."""

    def __init__(self, session: Session, branch_id: uuid.UUID) -> None:
        pgroups = groups.list_party_groups(session, branch_id)
        self.party = {g.name.replace(" ", ""): g.id for g in pgroups}
        self.party_numbers = {g.number: g.id for g in pgroups}
        vgroups = groups.list_villager_groups(session, branch_id)
        self._names = {g.id: g.name for g in pgroups} | {g.id: g.name for g in vgroups}
        #: How the rows wrote a group and the branch's group it was found as by its number
        #: ("一组" → "第一党小组"), for the preview; exact names are not listed.
        self.party_mapped: dict[str, str] = {}
        self.villager_mapped: dict[str, str] = {}
        self.villager = {g.name.replace(" ", ""): g.id for g in vgroups}
        self.villager.update({g.alias.replace(" ", ""): g.id for g in vgroups if g.alias})
        self.villager_numbers = {g.number: g.id for g in vgroups}
        #: New groups planned so far, by number: each number is one group, whatever spelling.
        self._new_party: dict[int, str] = {}
        self._new_villager: dict[int, str] = {}

    def party_group(self, text: str) -> tuple[uuid.UUID | None, str | None]:
        key = text.replace(" ", "")
        if not key:
            return None, None
        if key in self.party:
            return self.party[key], None
        number = values.group_number(key)
        if number is not None and number in self.party_numbers:
            group_id = self.party_numbers[number]
            self.party_mapped.setdefault(text.strip(), self._names[group_id])
            return group_id, None
        if number is None:
            return None, text.strip()
        # A group the branch does not have yet: one new group per number, however each row
        # writes it (第十三党小组, 13, 第13党小组); the first row's spelling names it.
        name = key if "党小组" in key else groups.default_party_group_name(number)
        return None, self._new_party.setdefault(number, name)

    def villager_group(self, text: str) -> tuple[uuid.UUID | None, str | None]:
        key = text.replace(" ", "")
        if not key:
            return None, None
        if key in self.villager:
            return self.villager[key], None
        number = values.group_number(key)
        if number is not None and number in self.villager_numbers:
            group_id = self.villager_numbers[number]
            self.villager_mapped.setdefault(text.strip(), self._names[group_id])
            return group_id, None
        if number is None:
            return None, text.strip()
        name = f"{number}组" if key.isdigit() else key
        return None, self._new_villager.setdefault(number, name)


def sheet_group(known: Groups, name: str) -> tuple[uuid.UUID | None, str | None]:
    """The party group a sheet is named after (第一党小组): existing, or new, or none."""
    group_id, new = known.party_group(name)
    if group_id is None and not (new and "党小组" in new):
        return None, None
    return group_id, new


def create_party_group(session: Session, branch_id: uuid.UUID, name: str) -> uuid.UUID:
    """A new party group; 第五党小组 gets number 5 when it is free, else the next number."""
    row = groups.add_party_group(session, branch_id, name)
    number = values.group_number(name)
    if number is not None and number != row.number:
        taken = session.scalar(
            select(PartyGroup.id).where(
                ~PartyGroup.deleted, PartyGroup.branch_id == branch_id, PartyGroup.number == number
            )
        )
        if taken is None:
            group = session.get_one(PartyGroup, row.id)
            group.number = number
            session.flush()
    return row.id


def create_villager_group(session: Session, branch_id: uuid.UUID, name: str) -> uuid.UUID:
    number = values.group_number(name)
    taken = set(
        session.scalars(
            select(VillagerGroup.number).where(
                ~VillagerGroup.deleted, VillagerGroup.branch_id == branch_id
            )
        )
    )
    if number is None or number in taken:
        number = (
            session.scalar(
                select(func.max(VillagerGroup.number)).where(VillagerGroup.branch_id == branch_id)
            )
            or 0
        ) + 1
    group = VillagerGroup(branch_id=branch_id, number=number, name=name)
    session.add(group)
    session.flush()
    return group.id
