# SPDX-License-Identifier: GPL-3.0-or-later
"""The party member (党员): the 16 items of the national register, plus groups."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.register.pinyin import full_of, given_of, initials_of, keep_keys, key_column
from desktop.models.register.rows import EDUCATIONS as EDUCATIONS
from desktop.models.register.rows import ETHNICITIES as ETHNICITIES
from desktop.models.register.rows import GENDERS as GENDERS
from desktop.models.register.rows import OCCUPATIONS as OCCUPATIONS
from desktop.models.register.rows import STANDINGS as STANDINGS
from desktop.models.register.rows import STATUSES as STATUSES
from desktop.models.store.base import SyncedRecord


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
    #: The name's pinyin ("chenjianguo", "cjg"): derived, never logged nor synced (pinyin.py);
    #: the register's sort order and what "chen" or "cjg" in the filter is looked up in.
    name_pinyin: Mapped[str] = key_column("name", full_of, 200)
    name_initials: Mapped[str] = key_column("name", initials_of, 50)
    #: The name after the surname (建国 finds 陈建国), derived the same way.
    name_given: Mapped[str] = key_column("name", given_of, 50)
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
        # The register's default order (by pinyin) as a covering index: a page is an index
        # walk (0006, 0011). It also holds every column the filter reads, so filtering as the
        # clerk types is a scan of this index rather than of the table, and "chen" is a range.
        Index(
            "ix_member_register_order",
            "branch_id",
            "deleted",
            "name_pinyin",
            "id",
            "name",
            "name_initials",
            "name_given",
            "phone",
            "id_number",
            "status",
            "party_group_id",
            "villager_group_id",
        ),
        # "cjg": a range of initials (0011).
        Index("ix_member_initials", "branch_id", "deleted", "name_initials", "name_pinyin"),
        # A party group's members in pinyin order: the group box, and a group named in the
        # filter, read a range of it (0011).
        Index(
            "ix_member_group_order", "branch_id", "deleted", "party_group_id", "name_pinyin", "id"
        ),
        # 建国: a range of given names (0011).
        Index("ix_member_given", "branch_id", "deleted", "name_given", "name_pinyin"),
    )


keep_keys(Member, "name")
