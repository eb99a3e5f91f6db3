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


@dataclasses.dataclass(frozen=True, slots=True)
class ChangeRow:
    """One change-log entry as the audit views and `changes list` show it."""

    origin: uuid.UUID
    seq: int
    hlc: int
    when: dt.datetime
    entity: str
    row_id: uuid.UUID
    field: str
    op: str
    old_value: Any
    new_value: Any
    actor: str | None


# ----------------------------------------------------------------------------- printing (#5)

#: The longest commitment the board promises to fit, even with 16 stewards on one A3 sheet.
COMMITMENT_MAX_LENGTH = 150


@dataclasses.dataclass(frozen=True, slots=True)
class BoardSteward:
    """One card of the commitment board. Never an ID number: the sheet hangs in public."""

    name: str
    #: 总管家, or 第一党小组小管家.
    post: str
    #: The area or group served (全村; 第二村民小组（下湾组）).
    area: str
    #: The steward's own phone when they agreed to show it, otherwise the branch's.
    phone: str
    commitment: str
    #: A JPEG or PNG; None draws a placeholder silhouette.
    photo: bytes | None = None
    chief: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class CommitmentBoardData:
    village: str
    branch_name: str
    year: int
    branch_phone: str
    stewards: tuple[BoardSteward, ...]
    printed_on: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class RosterSheetDuty:
    """One duty: a day, a slot of that day (上午, 夜间…), who is on it."""

    day: dt.date
    slot: str
    people: tuple[str, ...]
    phone: str = ""
    note: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class RosterSheetData:
    """A duty roster for one period and team, as it is printed (grid of days × slots, or a list)."""

    branch_name: str
    title: str
    team: str
    steward: str
    period_start: dt.date
    period_end: dt.date
    slots: tuple[str, ...]
    duties: tuple[RosterSheetDuty, ...]
    printed_on: dt.date
    phone: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class RegisterRow:
    """One line of the printed member register (花名册): every value already as text."""

    name: str
    gender: str
    ethnicity: str
    id_number: str
    birth_date: str
    education: str
    status: str
    joined_on: str
    confirmed_on: str
    occupation: str
    party_group: str
    phone: str
    address: str
    notes: str


@dataclasses.dataclass(frozen=True, slots=True)
class MemberRegisterData:
    branch_name: str
    rows: tuple[RegisterRow, ...]
    printed_on: dt.date


# ----------------------------------------------------------------------------- stewards (#4)


@dataclasses.dataclass(frozen=True, slots=True)
class RosterSheetRow:
    """One line of a printed duty sheet; the sign-in and hours columns are left blank."""

    day: dt.date
    slot: str
    person_name: str
    phone: str


@dataclasses.dataclass(frozen=True, slots=True)
class RosterSheet:
    """What a duty sheet (值班表) prints: the team, its steward, the period and the duties."""

    roster_id: uuid.UUID
    branch_name: str
    team_name: str
    party_group_name: str
    steward_name: str
    steward_phone: str
    starts_on: dt.date
    ends_on: dt.date
    rows: tuple[RosterSheetRow, ...]
    #: True when a duty was changed by hand after the sheet was last printed.
    changed_after_print: bool = False
