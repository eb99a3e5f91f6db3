# SPDX-License-Identifier: GPL-3.0-or-later
"""Which branch a record belongs to: what decides who may send and receive it.

A branch is its own scope; a record with a `branch_id` column belongs to that branch; any other
record belongs to the branch of the parent its foreign keys point to (a commitment → its steward →
the steward's branch). Values still in flight (a bundle's own entries) are looked at first, then
the tables, then the change log (for records this version does not project).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from desktop.models.store.base import Base
from desktop.models.store.changelog import Change, FieldHead, decode

RecordKey = tuple[str, uuid.UUID]


class BranchResolver:
    def __init__(
        self, conn: Any, overlay: Mapping[RecordKey, Mapping[str, Any]] | None = None
    ) -> None:
        self.conn = conn
        self.overlay = overlay or {}
        self.cache: dict[RecordKey, uuid.UUID | None] = {}

    def branch_of(self, entity: str, row_id: uuid.UUID, depth: int = 0) -> uuid.UUID | None:
        key = (entity, row_id)
        if key not in self.cache:
            self.cache[key] = self._resolve(entity, row_id, depth)
        return self.cache[key]

    def _value(self, entity: str, row_id: uuid.UUID, column: str) -> Any:
        values = self.overlay.get((entity, row_id), {})
        if column in values:
            return values[column]
        table = Base.metadata.tables.get(entity)
        if table is not None and column in table.c:
            found = self.conn.execute(
                select(table.c[column]).where(table.c.id == row_id)
            ).one_or_none()
            if found is not None:
                return found[0]
        text = self.conn.execute(
            select(Change.new_value)
            .join(
                FieldHead,
                (FieldHead.origin == Change.origin) & (FieldHead.seq == Change.seq),
            )
            .where(
                FieldHead.entity == entity, FieldHead.row_id == row_id, FieldHead.field == column
            )
        ).scalar_one_or_none()
        return decode(text)

    def _resolve(self, entity: str, row_id: uuid.UUID, depth: int) -> uuid.UUID | None:
        if entity == "branch":
            return row_id
        if depth > 5:
            return None
        value = self._value(entity, row_id, "branch_id")
        if value is not None:
            return uuid.UUID(str(value))
        table = Base.metadata.tables.get(entity)
        if table is None:
            return None
        for fk in sorted(table.foreign_keys, key=lambda f: f.parent.name):
            parent = self._value(entity, row_id, fk.parent.name)
            if parent is None:
                continue
            found = self.branch_of(fk.column.table.name, uuid.UUID(str(parent)), depth + 1)
            if found is not None:
                return found
        return None
