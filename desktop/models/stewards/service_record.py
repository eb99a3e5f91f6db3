# SPDX-License-Identifier: GPL-3.0-or-later
"""The service log (服务记录): who served which households, how, and for how long."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.models.stewards.rows import DEFAULT_KINDS as DEFAULT_KINDS
from desktop.models.store.base import SyncedRecord


class ServiceKind(SyncedRecord):
    """A configurable kind of service; a default kind with an empty name shows its label."""

    __tablename__ = "service_kind"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(50), default="")
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ServiceRecord(SyncedRecord):
    __tablename__ = "service_record"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    served_on: Mapped[dt.date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(30))
    #: Time spent, in minutes (whole numbers keep the change log exact).
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: The party group whose team served (from the first person), for sums by group.
    party_group_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("party_group.id"), index=True
    )
    #: The commitment this service fulfils (践诺), if any.
    commitment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("commitment.id"))
    #: The duty whose signed sheet this record was keyed from, if any.
    duty_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("duty.id"))


class ServicePerson(SyncedRecord):
    """A volunteer who took part in a service (link, tombstoned like any record)."""

    __tablename__ = "service_person"

    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_record.id"), index=True)
    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteer.id"), index=True)


class ServiceHousehold(SyncedRecord):
    """A household a service was for."""

    __tablename__ = "service_household"

    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_record.id"), index=True)
    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
