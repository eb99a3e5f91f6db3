# SPDX-License-Identifier: GPL-3.0-or-later
"""Red stewards (红色管家): appointments and their public commitments (承诺)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.i18n import N_
from desktop.models.base import SyncedRecord

ROLES = {"chief": N_("Chief steward"), "group": N_("Group steward")}
#: The commitment's yearly life: 承诺 → 审核 → 公示 → 践诺 → 评诺.
COMMITMENT_STAGES = {
    "pledged": N_("Pledged"),
    "reviewed": N_("Reviewed"),
    "published": N_("Published"),
    "fulfilled": N_("Fulfilled"),
    "evaluated": N_("Evaluated"),
}


class Steward(SyncedRecord):
    """A member's appointment as chief steward (总管家) or group steward (小管家)."""

    __tablename__ = "steward"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    #: The party group a group steward leads; None for the chief steward.
    party_group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("party_group.id"))
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)


class Commitment(SyncedRecord):
    """A steward's public pledge for one year, posted on the wall."""

    __tablename__ = "commitment"

    steward_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("steward.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(20), default="pledged")
