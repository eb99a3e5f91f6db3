# SPDX-License-Identifier: GPL-3.0-or-later
"""Plain data handed from sync to the views and the command line (no SQLAlchemy objects)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class PeerRow:
    id: uuid.UUID
    name: str
    fingerprint: str
    branches: tuple[str, ...]
    last_import_at: dt.datetime | None
    last_export_at: dt.datetime | None
    waiting: int
    #: Conflicts still to review on records of the branches shared with this peer (on a hub:
    #: that village's open conflicts).
    open_conflicts: int = 0


@dataclass(frozen=True)
class ConflictOption:
    number: int
    #: The value as the record holds it (decoded), or for a removal conflict a label key.
    value: object
    origin: uuid.UUID
    replica_name: str
    actor: str | None
    when: dt.datetime
    shown: bool
    #: The value as the pages show it (labels.value_text): 男, 第一党小组, 2006年7月1日.
    text: str = ""
    #: Made on this PC (or on the ids it had before a restore), not on another one.
    here: bool = False


@dataclass(frozen=True)
class ConflictRow:
    id: int
    entity: str
    row_id: uuid.UUID
    record: str
    field: str
    #: "value" (concurrent values of one field) or "delete" (a removal that missed edits).
    kind: str
    options: tuple[ConflictOption, ...]
    #: For a removal conflict: the edits it had not seen, as (field, value, who, when); the
    #: value as the pages show it.
    missed_edits: tuple[tuple[str, object, str, dt.datetime], ...] = ()
    #: The field as the pages call it (labels.field_label), in the language of the reading.
    field_label: str = ""


@dataclass(frozen=True)
class BulkResolution:
    """What "keep this PC's / the other PC's values for all of them" did."""

    #: "local" or "remote" (`conflicts.LOCAL`, `conflicts.REMOTE`).
    keep: str
    #: The conflicts settled, as they read before.
    settled: tuple[ConflictRow, ...]
    #: The conflicts with no single value on that side (three PCs, or none from there): left
    #: for a person to review one by one.
    left: tuple[ConflictRow, ...]


@dataclass(frozen=True)
class DuplicateGroup:
    id_number: str
    members: tuple[tuple[uuid.UUID, str], ...]


@dataclass(frozen=True)
class DuplicateMerge:
    """What merging one ID number's records did: the record kept and what it took over."""

    id_number: str
    kept: uuid.UUID
    kept_name: str
    removed: tuple[uuid.UUID, ...]
    #: Fields that were empty on the kept record and were filled from a removed one.
    filled: tuple[str, ...]
    #: Records of other tables (stewards, households…) now pointing at the kept record.
    moved_references: int
