# SPDX-License-Identifier: GPL-3.0-or-later
"""Red stewards (红色管家): appointments and their public commitments (承诺)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.stewards.rows import COMMITMENT_MAX_CHARS as COMMITMENT_MAX_CHARS
from desktop.models.stewards.rows import COMMITMENT_STAGES as COMMITMENT_STAGES
from desktop.models.stewards.rows import ROLES as ROLES
from desktop.models.store.base import SyncedRecord


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
    #: The steward agreed to show their own phone on the public board (else the branch's).
    phone_public: Mapped[bool] = mapped_column(Boolean, default=False)
    #: A JPEG portrait cropped to 3:4, at most about 200 KB (see photo.py).
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: The area or grid (责任区/网格) the steward serves, as printed on the board.
    area: Mapped[str] = mapped_column(String(100), default="")


class Commitment(SyncedRecord):
    """A steward's public pledge for one year, posted on the wall."""

    __tablename__ = "commitment"

    steward_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("steward.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    content: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(20), default="pledged")
    #: The day each stage was reached (承诺, 审核, 公示, 践诺, 评诺).
    pledged_on: Mapped[dt.date | None] = mapped_column(Date)
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    published_on: Mapped[dt.date | None] = mapped_column(Date)
    fulfilled_on: Mapped[dt.date | None] = mapped_column(Date)
    evaluated_on: Mapped[dt.date | None] = mapped_column(Date)
    #: The year-end evaluation (评诺) as written by the branch.
    evaluation: Mapped[str] = mapped_column(Text, default="")
