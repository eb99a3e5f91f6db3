# SPDX-License-Identifier: GPL-3.0-or-later
"""Service teams (服务队): one per party group, led by its group steward, and their people."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.store.base import SyncedRecord


class ServiceTeam(SyncedRecord):
    """The volunteer team of a party group (or the branch's own, without a group)."""

    __tablename__ = "service_team"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    party_group_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("party_group.id"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))


class Volunteer(SyncedRecord):
    """A person on a team: a party member (member_id) or a villager with name and phone."""

    __tablename__ = "volunteer"

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_team.id"), index=True)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id"), index=True)
    #: For non-members only; a member's name and phone come from the register.
    name: Mapped[str] = mapped_column(String(50), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    joined_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)


class Unavailability(SyncedRecord):
    """Days a volunteer cannot take duty (away, ill, harvest…), first to last inclusive."""

    __tablename__ = "unavailability"

    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(100), default="")
