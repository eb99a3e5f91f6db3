# SPDX-License-Identifier: GPL-3.0-or-later
"""The declarative base, the id type and the tombstone every synced record carries."""

from __future__ import annotations

import os
import time
import uuid
from typing import Any, ClassVar

from sqlalchemy import Boolean, MetaData, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so that Alembic batch migrations on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def uuid7() -> uuid.UUID:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then 74 random bits.

    Ids made on two PCs never collide (the random bits), and they sort roughly by creation,
    which keeps SQLite's indexes compact. A wrong PC clock only affects that ordering.
    """
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= ((rand >> 62) & 0xFFF) << 64  # rand_a, 12 bits
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # rand_b, 62 bits
    return uuid.UUID(int=value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {uuid.UUID: Uuid(as_uuid=True)}


class SyncedRecord(Base):
    """A record that is written to the change log and exchanged by sync.

    Its key is a UUID made where the record is created, never an autoincrement that two PCs
    could both hand out. A removal sets `deleted` (a tombstone) and is never a SQL DELETE, so
    that the removal itself can travel to the other replicas and be undone.
    """

    __abstract__ = True

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False, index=True)
