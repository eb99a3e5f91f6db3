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

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true

from desktop.models.store.base import Base
from desktop.models.store.changelog import Change, FieldHead, decode

RecordKey = tuple[str, uuid.UUID]
#: How far up its parents a record's branch is looked for (as `BranchResolver` does).
MAX_DEPTH = 5


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
        if depth > MAX_DEPTH:
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


def may_belong(entity: ColumnElement[str], row_id: ColumnElement[Any], branch_id: uuid.UUID) -> Any:
    """SQL: whether the record (`entity`, `row_id`) may belong to `branch_id`, so that a list
    narrowed to one branch reads only that branch's rows (a county hub: 10,000 branches).

    The resolver's answer when every record on the way up to a `branch_id` is in its table
    and its parents agree; otherwise more (a table this version does not know, a record or a
    parent only the change log knows, parents of two branches: admitted). So this narrows and
    never drops: check what it admits with `BranchResolver`."""
    known = sorted(
        name
        for name, table in Base.metadata.tables.items()
        if "id" in table.c and "deleted" in table.c  # the synced tables
    )
    return or_(
        and_(entity == "branch", row_id == branch_id),
        *(
            and_(entity == name, _belongs(name, row_id, branch_id, 0))
            for name in known
            if name != "branch"
        ),
        entity.not_in(known),
    )


def _belongs(entity: str, row_id: ColumnElement[Any], branch_id: uuid.UUID, depth: int) -> Any:
    """`may_belong` for a record of `entity` whose id is `row_id` (a column or a parent's
    foreign key), mirroring `BranchResolver._resolve`."""
    if entity == "branch":
        return row_id == branch_id
    table = Base.metadata.tables.get(entity)
    if table is None or "id" not in table.c or depth > MAX_DEPTH:
        return true()
    row = table.alias()
    absent = ~exists().where(row.c.id == row_id)  # only the change log knows it
    if "branch_id" in row.c:
        # Its own branch, else (no value) its parents'.
        own = row.c.branch_id == branch_id
        if row.c.branch_id.nullable:
            own = own | (row.c.branch_id.is_(None) & _via_parents(row, branch_id, depth))
        return exists().where(row.c.id == row_id, own) | absent
    return exists().where(row.c.id == row_id, _via_parents(row, branch_id, depth)) | absent


def _via_parents(row: Any, branch_id: uuid.UUID, depth: int) -> Any:
    parents = [
        and_(
            row.c[fk.parent.name].is_not(None),
            _belongs(fk.column.table.name, row.c[fk.parent.name], branch_id, depth + 1),
        )
        for fk in sorted(row.foreign_keys, key=lambda f: f.parent.name)
        if fk.parent.name != "branch_id"
    ]
    return or_(false(), *parents)
