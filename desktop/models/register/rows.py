# SPDX-License-Identifier: GPL-3.0-or-later
"""Plain frozen rows handed to views, the command line and printing (no SQLAlchemy inside)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any

from desktop.i18n import N_

# Value sets: code → English label (translated where shown). Codes are what the data keeps.
GENDERS = {"male": N_("Male"), "female": N_("Female")}
STATUSES = {"full": N_("Full member"), "probationary": N_("Probationary member")}
STANDINGS = {"normal": N_("Normal"), "suspended": N_("Membership suspended")}
EDUCATIONS = {
    "postgraduate": N_("Postgraduate"),
    "university": N_("University"),
    "college": N_("College"),
    "secondary_vocational": N_("Secondary vocational school"),
    "high_school": N_("Senior high school"),
    "junior_high": N_("Junior high school"),
    "primary": N_("Primary school or below"),
}
OCCUPATIONS = {
    "farmer": N_("Farmer"),
    "village_cadre": N_("Village cadre"),
    "worker": N_("Worker"),
    "self_employed": N_("Self-employed"),
    "migrant_worker": N_("Migrant worker"),
    "retired": N_("Retired"),
    "student": N_("Student"),
    "other": N_("Other"),
}
# GB 3304 codes of China's 56 ethnic groups.
ETHNICITIES = {
    "01": N_("Han"), "02": N_("Mongol"), "03": N_("Hui"), "04": N_("Tibetan"),
    "05": N_("Uyghur"), "06": N_("Miao"), "07": N_("Yi"), "08": N_("Zhuang"),
    "09": N_("Buyei"), "10": N_("Korean"), "11": N_("Manchu"), "12": N_("Dong"),
    "13": N_("Yao"), "14": N_("Bai"), "15": N_("Tujia"), "16": N_("Hani"),
    "17": N_("Kazakh"), "18": N_("Dai"), "19": N_("Li"), "20": N_("Lisu"),
    "21": N_("Va"), "22": N_("She"), "23": N_("Gaoshan"), "24": N_("Lahu"),
    "25": N_("Sui"), "26": N_("Dongxiang"), "27": N_("Nakhi"), "28": N_("Jingpo"),
    "29": N_("Kyrgyz"), "30": N_("Tu"), "31": N_("Daur"), "32": N_("Mulao"),
    "33": N_("Qiang"), "34": N_("Blang"), "35": N_("Salar"), "36": N_("Maonan"),
    "37": N_("Gelao"), "38": N_("Xibe"), "39": N_("Achang"), "40": N_("Pumi"),
    "41": N_("Tajik"), "42": N_("Nu"), "43": N_("Uzbek"), "44": N_("Russian"),
    "45": N_("Ewenki"), "46": N_("De'ang"), "47": N_("Bonan"), "48": N_("Yugur"),
    "49": N_("Gin"), "50": N_("Tatar"), "51": N_("Derung"), "52": N_("Oroqen"),
    "53": N_("Hezhen"), "54": N_("Monba"), "55": N_("Lhoba"), "56": N_("Jino"),
}  # fmt: skip


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
        # As dataclasses.replace, without its per-field checks (an import replaces twice a row).
        values = {field: getattr(self, field) for field in MEMBER_FIELDS}
        values.update(changes)
        return MemberDraft(**values)


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
