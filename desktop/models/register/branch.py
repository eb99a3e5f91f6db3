# SPDX-License-Identifier: GPL-3.0-or-later
"""The branch (党支部), its party groups (党小组) and its villager groups (村民小组)."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.store.base import SyncedRecord


class Branch(SyncedRecord):
    __tablename__ = "branch"

    name: Mapped[str] = mapped_column(String(100))
    town: Mapped[str] = mapped_column(String(100), default="")
    county: Mapped[str] = mapped_column(String(100), default="")
    #: The branch's public phone, printed where a steward's own phone is not shown.
    phone: Mapped[str] = mapped_column(String(30), default="")


class PartyGroup(SyncedRecord):
    """A party group inside the branch, numbered (第一党小组 is number 1)."""

    __tablename__ = "party_group"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))


class VillagerGroup(SyncedRecord):
    """A villagers' group (村民小组): a territorial unit of the village."""

    __tablename__ = "villager_group"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    #: The hamlet name villagers use (上屋组).
    alias: Mapped[str] = mapped_column(String(100), default="")
