# SPDX-License-Identifier: GPL-3.0-or-later
"""Households (户) in the area a party group's service team covers."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.base import SyncedRecord


class Household(SyncedRecord):
    __tablename__ = "household"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    party_group_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("party_group.id"), index=True
    )
    villager_group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("villager_group.id"))
    head_name: Mapped[str] = mapped_column(String(50))
    #: The head's member record, when the head is a party member.
    head_member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id"))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    elderly_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    low_income: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_visits: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
