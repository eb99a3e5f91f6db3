# SPDX-License-Identifier: GPL-3.0-or-later
"""Households (户) in the area a party group's service team covers, and who looks after each."""

from __future__ import annotations

import uuid

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.register.pinyin import full_of, initials_of, keep_keys, key_column
from desktop.models.stewards.rows import DEFAULT_VISIT_INTERVALS
from desktop.models.store.base import SyncedRecord

#: How often a flagged household should be visited when no interval of its own is set (days):


class Household(SyncedRecord):
    __tablename__ = "household"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    party_group_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("party_group.id"), index=True
    )
    villager_group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("villager_group.id"))
    head_name: Mapped[str] = mapped_column(String(50))
    #: The head's name in pinyin ("chenjianguo", "cjg"): derived, never logged (0011).
    head_pinyin: Mapped[str] = key_column("head_name", full_of, 200)
    head_initials: Mapped[str] = key_column("head_name", initials_of, 50)
    #: The head's member record, when the head is a party member.
    head_member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id"))
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    elderly_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    low_income: Mapped[bool] = mapped_column(Boolean, default=False)
    needs_visits: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Days between visits; None means the default for its flags (DEFAULT_VISIT_INTERVALS).
    visit_interval_days: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_household_head_pinyin", "branch_id", "head_pinyin"),
        Index("ix_household_head_initials", "branch_id", "head_initials"),
    )

    def visit_interval(self) -> int | None:
        """The visiting interval in days, or None for a household without a flag."""
        if self.visit_interval_days:
            return self.visit_interval_days
        flagged = [days for flag, days in DEFAULT_VISIT_INTERVALS.items() if getattr(self, flag)]
        return min(flagged) if flagged else None


keep_keys(Household, "head_name")


class HouseholdCare(SyncedRecord):
    """A team member looks after a household (联户): one live link per household."""

    __tablename__ = "household_care"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer.id"), index=True)
