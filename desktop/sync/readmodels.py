# SPDX-License-Identifier: GPL-3.0-or-later
"""Plain data handed from sync to the views and the command line (no SQLAlchemy objects)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from desktop import i18n
from desktop.i18n import N_

#: The mark of a conflict's value stamped years ahead (ConflictOption.clock_ahead).
CLOCK_AHEAD = N_("(that PC's clock was ahead: this is the time it claimed)")


def refused_by_hub_text(n: int) -> str:
    """What the clerk is told of `n` changes of this PC the hub refused
    (`HubExchange.refused_by_hub`)."""
    return i18n.ngettext(
        "The hub refused {n} change of this PC: this PC may not write that branch there. "
        "It stays on this PC only.",
        "The hub refused {n} changes of this PC: this PC may not write those branches there. "
        "They stay on this PC only.",
        n,
    ).format(n=n)


#: The roles a PC plays, as its default name says them (office PC, laptop, hub).
PC_ROLES: dict[str, str] = {"office": N_("office PC"), "laptop": N_("laptop"), "hub": N_("hub")}


@dataclass(frozen=True)
class PcName:
    """This PC's name: chosen by its clerk, or made from its branch and role (`default`)."""

    name: str
    chosen: bool
    role: str
    default: str


@dataclass(frozen=True)
class PeerRow:
    id: uuid.UUID
    #: What this PC calls it: its clerk's name for it, else the name its card gives.
    name: str
    fingerprint: str
    branches: tuple[str, ...]
    last_import_at: dt.datetime | None
    last_export_at: dt.datetime | None
    waiting: int
    #: Conflicts still to review on records of the branches shared with this peer (on a hub:
    #: that village's open conflicts).
    open_conflicts: int = 0
    #: The name as shown: `name`, with the end of the id when another PC has the same name.
    label: str = ""
    #: The name its card (or its latest bundle) gives itself.
    card_name: str = ""


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
    #: Stamped further ahead of this PC's clock than a remote clock may drag it
    #: (`clock.MAX_FORWARD_MS`): made on a PC whose date was wrong; `when` is its claimed time.
    clock_ahead: bool = False


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
class ConflictQuery:
    """Which open conflicts a page lists: of table `entity`, of `field` (None: any)."""

    entity: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class ConflictKind:
    """How many open conflicts there are of one kind on one field of one table."""

    entity: str
    field: str
    #: "value" or "delete", as `ConflictRow.kind`.
    kind: str
    count: int


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
class DuplicateRecord:
    """One of the records entered twice, with what tells it apart from the other."""

    id: uuid.UUID
    name: str
    gender: str
    birth_date: dt.date | None
    branch: str
    party_group: str
    phone: str
    joined_on: dt.date | None
    address: str
    #: The PC that entered the record (its name as shown), who, and when.
    created_on: str
    created_by: str
    created_at: dt.datetime | None
    #: The record's last change: on which PC, by whom, when.
    changed_on: str
    changed_by: str
    changed_at: dt.datetime | None


@dataclass(frozen=True)
class DuplicateGroup:
    id_number: str
    members: tuple[tuple[uuid.UUID, str], ...]
    #: The same records, each with its details (in the order of `members`).
    records: tuple[DuplicateRecord, ...] = ()

    def side_by_side(self) -> list[tuple[str, list[str]]]:
        """The records one beside the other, a line per detail: (what, one text per record),
        as the command line and the sync page show them ("-" for an empty detail)."""
        from desktop.i18n import _, format_date, format_datetime
        from desktop.models.labels import field_label

        def pc(name: str, who: str, when: dt.datetime | None) -> str:
            moment = format_datetime(when) if when else ""
            return " ".join(part for part in (name, who and f"({who})", moment) if part)

        records = self.records

        def field(name: str) -> str:
            return field_label("member", name)

        lines = (
            (field("name"), [r.name for r in records]),
            (_("Record"), [r.id.hex[-6:] for r in records]),
            (field("gender"), [r.gender for r in records]),
            (field("birth_date"), [format_date(r.birth_date) for r in records]),
            (field("branch_id"), [r.branch for r in records]),
            (field("party_group_id"), [r.party_group for r in records]),
            (field("phone"), [r.phone for r in records]),
            (field("joined_on"), [format_date(r.joined_on) for r in records]),
            (field("address"), [r.address for r in records]),
            (_("Entered on"), [pc(r.created_on, r.created_by, r.created_at) for r in records]),
            (
                _("Last changed on"),
                [pc(r.changed_on, r.changed_by, r.changed_at) for r in records],
            ),
        )
        return [(label, [text or "-" for text in values]) for label, values in lines]


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
