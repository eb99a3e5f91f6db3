# SPDX-License-Identifier: GPL-3.0-or-later
"""Plain frozen rows handed to views, the command line and printing (no SQLAlchemy inside)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any


@dataclasses.dataclass(frozen=True, slots=True)
class BranchInfo:
    id: uuid.UUID
    name: str
    town: str
    county: str
    phone: str


@dataclasses.dataclass(frozen=True, slots=True)
class PartyGroupRow:
    id: uuid.UUID
    number: int
    name: str
    member_count: int
    steward_name: str


@dataclasses.dataclass(frozen=True, slots=True)
class VillagerGroupRow:
    id: uuid.UUID
    number: int
    name: str
    alias: str


#: The fields of a member that a person edits, in the order of the dialog and the CLI.
MEMBER_FIELDS: tuple[str, ...] = (
    "name",
    "gender",
    "id_number",
    "ethnicity",
    "birth_date",
    "education",
    "status",
    "joined_on",
    "confirmed_on",
    "occupation",
    "phone",
    "address",
    "standing",
    "lost_contact",
    "lost_contact_on",
    "floating",
    "floating_to",
    "party_group_id",
    "villager_group_id",
    "notes",
)


@dataclasses.dataclass(frozen=True, slots=True)
class MemberDraft:
    """A member as entered, before validation: what the dialog, the CLI and imports produce."""

    name: str = ""
    gender: str = ""
    id_number: str = ""
    ethnicity: str = "01"
    birth_date: dt.date | None = None
    education: str | None = None
    status: str = "full"
    joined_on: dt.date | None = None
    confirmed_on: dt.date | None = None
    occupation: str | None = None
    phone: str = ""
    address: str = ""
    standing: str = "normal"
    lost_contact: bool = False
    lost_contact_on: dt.date | None = None
    floating: bool = False
    floating_to: str = ""
    party_group_id: uuid.UUID | None = None
    villager_group_id: uuid.UUID | None = None
    notes: str = ""

    def replace(self, **changes: Any) -> MemberDraft:
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass(frozen=True, slots=True)
class MemberRow:
    """A member as shown: the draft's fields plus the names of the groups and the id."""

    id: uuid.UUID
    draft: MemberDraft
    party_group_number: int | None
    party_group_name: str
    villager_group_name: str
    deleted: bool = False

    def __getattr__(self, name: str) -> Any:
        # Rows read like the member itself: row.name, row.phone…
        return getattr(object.__getattribute__(self, "draft"), name)


@dataclasses.dataclass(frozen=True, slots=True)
class MemberQuery:
    """What the register shows: a filter text, an optional group, and the sort order."""

    text: str = ""
    party_group_id: uuid.UUID | None = None
    sort_field: str = "name"
    descending: bool = False


# ----------------------------------------------------------------------------- printing (#5)


# ----------------------------------------------------------------------------- stewards (#4)
