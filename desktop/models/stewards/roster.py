# SPDX-License-Identifier: GPL-3.0-or-later
"""Duty rosters (值班表) of a service team and their duties."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.store.base import SyncedRecord


class Roster(SyncedRecord):
    __tablename__ = "roster"

    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_team.id"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    #: Which days carry duty: "workdays" (the official calendar) or "daily" (all but holidays).
    days: Mapped[str] = mapped_column(String(10), default="workdays")
    #: The slot names of a day, separated by "|" (for example "上午|下午").
    slots: Mapped[str] = mapped_column(String(100), default="")
    #: When the sheet was last printed, and when a duty was last changed by hand (UTC).
    printed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    edited_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Duty(SyncedRecord):
    __tablename__ = "duty"

    roster_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("roster.id"), index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    slot: Mapped[str] = mapped_column(String(30), default="")
    #: None while nobody is available for it.
    volunteer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("volunteer.id"), index=True)
