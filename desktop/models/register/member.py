# SPDX-License-Identifier: GPL-3.0-or-later
"""The party member (党员): the 16 items of the national register, plus groups."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.i18n import N_
from desktop.models.store.base import SyncedRecord

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


class Member(SyncedRecord):
    __tablename__ = "member"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    party_group_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("party_group.id"), index=True
    )
    villager_group_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("villager_group.id"), index=True
    )
    name: Mapped[str] = mapped_column(String(50), index=True)
    gender: Mapped[str] = mapped_column(String(10))
    #: 18-character resident ID (GB 11643), kept as text; not unique in SQL (two offline PCs).
    id_number: Mapped[str] = mapped_column(String(18), index=True)
    ethnicity: Mapped[str] = mapped_column(String(2), default="01")
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    education: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(20), default="full")
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    confirmed_on: Mapped[dt.date | None] = mapped_column(Date)
    occupation: Mapped[str | None] = mapped_column(String(30))
    phone: Mapped[str] = mapped_column(String(30), default="", index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    standing: Mapped[str] = mapped_column(String(20), default="normal")
    lost_contact: Mapped[bool] = mapped_column(Boolean, default=False)
    lost_contact_on: Mapped[dt.date | None] = mapped_column(Date)
    floating: Mapped[bool] = mapped_column(Boolean, default=False)
    floating_to: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        # The register's default order as a covering index: a page is an index walk (0006).
        # It also holds every column the filter reads, so filtering as the clerk types is a
        # scan of this index rather than of the table.
        Index(
            "ix_member_register_order",
            "branch_id",
            "deleted",
            "name",
            "id",
            "phone",
            "id_number",
            "status",
            "party_group_id",
            "villager_group_id",
        ),
    )
