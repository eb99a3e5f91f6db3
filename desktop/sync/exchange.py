# SPDX-License-Identifier: GPL-3.0-or-later
"""Export and import of bundles: what a peer lacks, and applying what a peer sent.

What a peer holds is a version vector (origin → highest seq), learnt from the bundles it sends:
every bundle carries its sender's vector. An export holds every entry above the peer's vector in
the branches the peer is entitled to, so it is cumulative until the peer answers: a lost stick
costs nothing, the next bundle carries the same entries again. An import is one transaction and
stores each entry once, keyed by (origin, seq), so applying a change twice changes nothing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import heapq
import operator
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from desktop.models.store import clock, portable, replica
from desktop.models.store.base import Base, uuid7
from desktop.models.store.changelog import (
    ROW,
    SCHEMA_VERSION,
    Change,
    ChangeBase,
    FieldHead,
    Replica,
    decode,
    entry_digest,
)
from desktop.models.store.db import Database
from desktop.models.store.sync_state import (
    SyncCheckpoint,
    SyncImport,
    SyncPeer,
    forget_skipped,
    places,
)
from desktop.sync import bundle, errors, identity, merge, signing
from desktop.sync.identity import entitled_branches, local_identity, may_share
from desktop.sync.scope import BranchResolver

if TYPE_CHECKING:
    from desktop.models.store.backup import BackupAfter

_COLUMNS = (
    "origin",
    "seq",
    "hlc",
    "tx_id",
    "entity",
    "row_id",
    "field",
    "op",
    "old_value",
    "new_value",
    "base_origin",
    "base_seq",
    "actor",
    "schema_version",
)
_UUIDS = {"origin", "tx_id", "row_id", "base_origin"}


@dataclass(frozen=True)
class ExportResult:
    path: Path
    peer_id: uuid.UUID
    entries: int
    bundle_seq: int


@dataclass(frozen=True)
class ImportSummary:
    sender: uuid.UUID
    sender_name: str
    entries_new: int
    entries_known: int
    entries_refused: int
    records_added: int
    fields_updated: int
    conflicts: int
    #: The backup of the merge still to take (None: nothing new, or no backup wanted): the
    #: caller shows the summary first, then takes it.
    backup_after: BackupAfter | None = dataclasses.field(default=None, compare=False, repr=False)


def version_vector(session: Session) -> dict[uuid.UUID, int]:
    """origin → the highest seq held here. One look-up in the change log's key per origin (a
    GROUP BY reads the whole key on SQLite, and every round asks)."""
    found: dict[uuid.UUID, int] = {}
    first = select(Change.origin).order_by(Change.origin).limit(1)
    origin = session.scalar(first)
    while origin is not None:
        found[origin] = session.scalar(select(func.max(Change.seq)).where(Change.origin == origin))
        origin = session.scalar(first.where(Change.origin > origin))
    return found


def checkpoint(session: Session, peer_id: uuid.UUID) -> dict[uuid.UUID, int]:
    return dict(
        session.execute(
            select(SyncCheckpoint.origin, SyncCheckpoint.seq).where(
                SyncCheckpoint.peer_id == peer_id
            )
        ).all()
    )


def _skipped(session: Session, peer_id: uuid.UUID) -> dict[uuid.UUID, int]:
    """origin → how far earlier exports read its log for `peer_id` and found nothing for it
    (`SyncCheckpoint.skipped_to`)."""
    return dict(
        session.execute(
            select(SyncCheckpoint.origin, SyncCheckpoint.skipped_to).where(
                SyncCheckpoint.peer_id == peer_id, SyncCheckpoint.skipped_to > 0
            )
        ).all()
    )


#: The most entries one bundle carries in an exchange with the hub (one round). A soft limit: a
#: transaction is never split, and what an entry needs comes with it (see `bounded`).
BATCH_ENTRIES = 5000

#: Entries read from one origin's log at a time while an export streams (at most; a bounded
#: part reads a quarter of its limit at a time, so what it reads past its part stays small).
_CHUNK = 1000
_SMALL_CHUNK = 64

EntryKey = tuple[uuid.UUID, int]
RecordKey = tuple[str, uuid.UUID]


def _parent_tables() -> dict[str, dict[str, str]]:
    """entity → {foreign key column → parent table}, for the tables this version knows."""
    return {
        table.name: {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
        for table in Base.metadata.sorted_tables
    }


class _Origin:
    """One origin's entries above what the peer holds, read in seq order a chunk at a time.

    `kept`: those read so far that the peer is entitled to; `taken`: how many of them, from the
    front, go in this bundle (so what goes is always a prefix of the origin's entries)."""

    def __init__(self, origin: uuid.UUID, floor: int, top: int, chunk: int, skipped: int) -> None:
        self.origin, self.floor, self.top = origin, floor, top
        self.chunk = chunk  # rows per read: doubles (up to _CHUNK) while nothing is kept
        # The highest seq read: the entries up to `skipped` were read by earlier exports and
        # were all other branches' (`SyncCheckpoint.skipped_to`), so reading starts after them.
        self.read_to = max(floor, min(skipped, top))
        #: Up to where everything read is another branch's, without a gap in the numbers
        #: (`skipping` is False once an entry is kept, a number is missing, or a record's
        #: branch is not known here): what the next export may skip.
        self.skipped, self.skipping = self.read_to, True
        self.read_to_start = self.read_to
        self.kept: list[dict[str, Any]] = []
        self.at: dict[int, int] = {}  # seq → position in `kept`
        self.taken = 0

    @property
    def done(self) -> bool:
        return self.read_to >= self.top


class _Export:
    """What a peer lacks, streamed (issue #14, case 9): per origin from the peer's vector up, in
    seq order, through the branches the peer is entitled to, read only as far as the part being
    taken needs. A round's cost follows the size of its part, not of everything the peer lacks.
    """

    def __init__(
        self, session: Session, peer: SyncPeer, closure: bool = True, chunk: int = _CHUNK
    ) -> None:
        self.session = session
        self.allowed = entitled_branches(peer)
        self.resolver = BranchResolver(session.connection())
        self.parents = _parent_tables()
        #: Look up what entries need (creations of their records and parents): only a bounded
        #: part must bring them along.
        self.closure = closure
        known = checkpoint(session, peer.id)
        skipped = _skipped(session, peer.id) if self.allowed is not None else {}
        self.origins = {
            origin: _Origin(origin, known.get(origin, 0), top, chunk, skipped.get(origin, 0))
            for origin, top in sorted(version_vector(session).items())
            if top > max(known.get(origin, 0), skipped.get(origin, 0))
        }
        self.records: dict[EntryKey, list[RecordKey]] = {}  # an entry → its record, its parent
        self.creations: dict[RecordKey, list[EntryKey]] = {}  # a record → entries creating it
        self.count = 0  # entries taken

    def _keeps(self, entity: str, row_id: uuid.UUID) -> bool | None:
        """True: the peer may have the record; False: it is another branch's; None: its branch
        is not known here (not sent, and not skipped for good either)."""
        if self.allowed is None:
            return True
        branch = self.resolver.branch_of(entity, row_id)
        return None if branch is None else may_share(self.allowed, branch)

    def _read(self, src: _Origin) -> None:
        """The next chunk of `src`'s entries, by the change log's key; the ones the peer is not
        entitled to are left out here, as they are read."""
        rows = (
            self.session.execute(
                select(*(getattr(Change, c) for c in _COLUMNS))
                .where(Change.origin == src.origin, Change.seq > src.read_to, Change.seq <= src.top)
                .order_by(Change.seq)
                .limit(src.chunk)
            )
            .mappings()
            .all()
        )
        last = rows[-1]["seq"] if len(rows) == src.chunk else src.top
        extras: dict[int, list[list[str | int]]] = {}
        if rows:
            for seq, base_origin, base_seq in self.session.execute(
                select(ChangeBase.seq, ChangeBase.base_origin, ChangeBase.base_seq).where(
                    ChangeBase.origin == src.origin,
                    ChangeBase.seq > src.read_to,
                    ChangeBase.seq <= last,
                )
            ):
                extras.setdefault(seq, []).append([str(base_origin), base_seq])
        after = src.read_to + 1  # the next seq, while the numbers have no gap
        src.read_to = last
        fresh = []
        for row in rows:
            keeps = self._keeps(row["entity"], row["row_id"])
            if src.skipping:
                # Only a stretch without gaps: a missing number may still come (relayed out
                # of order), and it may be for the peer.
                if keeps is False and row["seq"] == after:
                    src.skipped, after = after, after + 1
                else:
                    src.skipping = False
            if keeps is not True:
                continue
            entry = dict(row)
            entry["extra_bases"] = sorted(extras.get(entry["seq"], []))
            src.at[entry["seq"]] = len(src.kept)
            src.kept.append(entry)
            fresh.append(entry)
        if not fresh:
            src.chunk = min(_CHUNK, src.chunk * 2)  # another branch's stretch: read on faster
        if self.closure:
            self._look_up_creations(fresh)

    def _look_up_creations(self, entries: list[dict[str, Any]]) -> None:
        """Which entries create the records `entries` touch and the parents they name (by the
        change log's record index), for the records not looked up yet."""
        wanted: dict[str, set[uuid.UUID]] = {}
        for e in entries:
            records = [(e["entity"], e["row_id"])]
            parent = self.parents.get(e["entity"], {}).get(e["field"])
            if parent is not None and e["new_value"] is not None:
                with contextlib.suppress(ValueError, TypeError, AttributeError):
                    records.append((parent, uuid.UUID(str(decode(e["new_value"])))))
            self.records[(e["origin"], e["seq"])] = records
            for record in records:
                if record not in self.creations:
                    self.creations[record] = []
                    wanted.setdefault(record[0], set()).add(record[1])
        for entity, ids in wanted.items():
            ordered = sorted(ids)
            for start in range(0, len(ordered), 500):
                for origin, seq, row_id in self.session.execute(
                    select(Change.origin, Change.seq, Change.row_id).where(
                        Change.entity == entity,
                        Change.row_id.in_(ordered[start : start + 500]),
                        Change.field == ROW,
                        Change.base_origin.is_(None),
                    )
                ):
                    self.creations[(entity, row_id)].append((origin, seq))

    def _head(self, src: _Origin) -> dict[str, Any] | None:
        """The first entry of `src` not taken yet (reading on as far as needed)."""
        while len(src.kept) <= src.taken and not src.done:
            self._read(src)
        return src.kept[src.taken] if len(src.kept) > src.taken else None

    def _tx_end(self, src: _Origin, start: int) -> int:
        """Where the transaction that starts at `kept[start]` ends (reading on for all of it)."""
        tx_id, end = src.kept[start]["tx_id"], start
        while True:
            while end < len(src.kept) and src.kept[end]["tx_id"] == tx_id:
                end += 1
            if end < len(src.kept) or src.done:
                return end
            self._read(src)

    def _needs(self, e: dict[str, Any]) -> list[EntryKey]:
        keys = [(e["base_origin"], e["base_seq"])] if e["base_origin"] is not None else []
        keys += [(uuid.UUID(str(o)), int(s)) for o, s in e["extra_bases"]]
        for record in self.records.get((e["origin"], e["seq"]), []):
            keys += self.creations.get(record, [])
        return keys

    def _take(self, key: EntryKey) -> None:
        """Take entry `key` if the peer lacks it and may have it: with every transaction before
        it in its origin, whole, and (transitively) everything those entries need."""
        stack = [key]
        while stack:
            origin, seq = stack[-1]
            src = self.origins.get(origin)
            if src is None or seq <= src.floor:
                stack.pop()  # the peer holds it
                continue
            while src.read_to < seq and not src.done:
                self._read(src)
            where = src.at.get(seq)
            if where is None or where < src.taken:
                stack.pop()  # not for this peer, or taken already
                continue
            start = src.taken
            src.taken = self._tx_end(src, start)
            self.count += src.taken - start
            for e in src.kept[start : src.taken]:
                stack.extend(self._needs(e))

    def everything(self) -> list[dict[str, Any]]:
        """Every entry the peer lacks and may have, oldest first per origin."""
        for src in self.origins.values():
            while not src.done:
                self._read(src)
            self.count += len(src.kept) - src.taken
            src.taken = len(src.kept)
        return self._taken()

    def part(self, limit: int) -> list[dict[str, Any]]:
        """About `limit` of the entries the peer lacks, taken in clock order across origins
        (see `bounded`)."""
        heap: list[tuple[int, bytes, int, uuid.UUID]] = []

        def push(src: _Origin) -> None:
            head = self._head(src)
            if head is not None:
                heapq.heappush(heap, (head["hlc"], src.origin.bytes, head["seq"], src.origin))

        for src in self.origins.values():
            push(src)
        while heap and self.count < limit:
            _hlc, _key, seq, origin = heapq.heappop(heap)
            src = self.origins[origin]
            head = self._head(src)
            if head is not None and head["seq"] == seq:
                self._take((origin, seq))
            push(src)  # its next entry (or its first one left, after another's needs took it)
        return self._taken()

    def _taken(self) -> list[dict[str, Any]]:
        return [e for src in self.origins.values() for e in src.kept[: src.taken]]

    def remember_skipped(self, peer_id: uuid.UUID) -> None:
        """Remember per origin how far this export read only other branches' entries, so that
        the next export to the peer starts there (a partly entitled peer's rounds read each
        stretch of other branches' entries once, not once per round)."""
        conn = self.session.connection()
        for src in self.origins.values():
            if src.skipped > max(src.floor, src.read_to_start):
                upsert = portable.insert(SyncCheckpoint, conn).values(
                    peer_id=peer_id, origin=src.origin, seq=0, skipped_to=src.skipped
                )
                conn.execute(
                    upsert.on_conflict_do_update(
                        index_elements=["peer_id", "origin"],
                        set_={"skipped_to": upsert.excluded.skipped_to},
                    )
                )

    def waiting(self) -> int:
        """How many entries the peer still lacks after the part taken: exact for what was read;
        beyond it, each origin's highest seq minus the last one read (exact when its numbers
        have no gaps; an entry of a branch the peer may not have counts until it is read)."""
        return sum(
            len(src.kept) - src.taken + src.top - src.read_to for src in self.origins.values()
        )


def pending_entries(
    session: Session, peer: SyncPeer, remember: bool = False
) -> list[dict[str, Any]]:
    """The entries `peer` is entitled to and not known to hold, oldest first per origin.
    `remember`: note what was read with nothing for the peer (`_Export.remember_skipped`)."""
    export = _Export(session, peer, closure=False)
    entries = export.everything()
    if remember:
        export.remember_skipped(peer.id)
    return entries


def waiting_count(session: Session, peer: SyncPeer) -> int:
    """About how many entries wait for `peer` (`_Export.waiting`), without reading them all:
    each origin is read up to its first entry for the peer."""
    export = _Export(session, peer, closure=False, chunk=_SMALL_CHUNK)
    for src in export.origins.values():
        export._head(src)
    return export.waiting()


def bounded(
    session: Session, peer: SyncPeer, limit: int, remember: bool = False
) -> tuple[list[dict[str, Any]], int]:
    """About `limit` of the entries `peer` lacks that it can apply on their own, and how many
    still wait after them (`_Export.waiting`).

    - Per origin, a prefix in seq order: the peer's vector (highest seq per origin) then claims
      exactly what it received, and the next bundle starts where this one stopped.
    - Whole transactions only (a record's creation carries its branch and parents together).
    - Everything an entry needs that the peer lacks comes along, from any origin: its base and
      further bases, the creation of its record, and the creation of the parent a foreign key
      names. So the peer never refuses an entry for want of its branch, never inserts a row
      whose parent has not arrived, and never sees a false conflict from a missing base.

    Entries are taken in clock order (which follows causality when clocks behave), so the
    dependencies rarely pull much more than `limit`. The export streams (`_Export`): each origin
    is read from the peer's vector up, only as far as the part needs, so a round costs about
    its part whatever the peer still lacks behind it.
    """
    export = _Export(session, peer, chunk=max(_SMALL_CHUNK, min(_CHUNK, limit // 4)))
    entries = export.part(limit)
    if remember:
        export.remember_skipped(peer.id)
    return entries, export.waiting()


def _wire(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: (str(v) if k in _UUIDS and v is not None else v) for k, v in entry.items()}


def _seal_for(
    session: Session, db: Database, peer_id: uuid.UUID, limit: int | None = None
) -> tuple[bytes, int, int, int]:
    """A sealed bundle of what `peer_id` lacks, or of a `bounded` part of it:
    (bytes, entry count, bundle seq, entries still waiting after this bundle)."""
    me = local_identity(session)
    peer = session.get(SyncPeer, peer_id)
    if peer is None:
        raise errors.UnknownPeer(peer_id)
    if limit is None:
        entries, waiting = pending_entries(session, peer, remember=True), 0
    else:
        entries, waiting = bounded(session, peer, limit, remember=True)
    names = dict(session.execute(select(Replica.id, Replica.name)).all())
    names[me.replica_id] = me.name  # chosen, or made from the branch and role (never stored)
    payload = {
        "vv": {str(o): s for o, s in version_vector(session).items()},
        "names": {str(o): n for o, n in names.items() if n},
        "entries": [_wire(e) for e in entries],
        **signing.for_export(session, me, entries),
    }
    peer.last_out_seq += 1
    peer.last_export_at = dt.datetime.now(dt.UTC)
    sealed = bundle.seal(
        payload,
        sender=me,
        recipient=peer.id,
        recipient_box_public=peer.box_public,
        bundle_id=uuid7(),
        bundle_seq=peer.last_out_seq,
        schema=SCHEMA_VERSION,
        created_ms=(db.wall_clock or clock.wall_ms)(),
        entries=len(entries),
        continues=tuple(replica.predecessors(session)),
    )
    return sealed, len(entries), peer.last_out_seq, waiting


def export_bundle(
    db: Database,
    peer_id: uuid.UUID,
    out: Path,
    limit: int | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write a sealed bundle for `peer_id` to `out` (via a temporary file, then renamed);
    `limit`: only a `bounded` part of what the peer lacks (the rest goes in later bundles).
    `cancelled()` is asked once sealed and as the file is written: True stops with
    `ExportCancelled`, no file left and the bundle number not used."""
    with db.unit_of_work() as session:
        sealed, count, seq, _waiting = _seal_for(session, db, peer_id, limit)
        if cancelled is not None and cancelled():
            raise errors.ExportCancelled()
        # Inside: a failed or cancelled write also undoes the bundle number.
        write_atomically(out, sealed, cancelled)
        return ExportResult(out, peer_id, count, seq)


def export_bytes(db: Database, peer_id: uuid.UUID) -> tuple[bytes, int]:
    """A sealed bundle for `peer_id` as bytes (for HTTP): (bytes, entry count)."""
    with db.unit_of_work() as session:
        sealed, count, _seq, _waiting = _seal_for(session, db, peer_id)
        return sealed, count


@dataclass(frozen=True)
class Batch:
    """One round of an exchange: a sealed bundle and how many entries still wait behind it."""

    data: bytes
    entries: int
    waiting: int


def export_batch(db: Database, peer_id: uuid.UUID, limit: int = BATCH_ENTRIES) -> Batch:
    """A sealed bundle of at most about `limit` of the entries `peer_id` lacks (`bounded`)."""
    with db.unit_of_work() as session:
        sealed, count, _seq, waiting = _seal_for(session, db, peer_id, max(1, limit))
        return Batch(sealed, count, waiting)


#: A bundle is written this many bytes at a time (a USB stick: Cancel is asked between them).
WRITE_CHUNK = 1 << 20


def write_atomically(out: Path, data: bytes, cancelled: Callable[[], bool] | None = None) -> None:
    """Write `out` so that it is either the whole bundle or absent (a stick pulled out early,
    or `cancelled()` True between two chunks: `ExportCancelled`)."""
    partial = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as fh:
            view = memoryview(data)
            for start in range(0, len(data), WRITE_CHUNK):
                if cancelled is not None and cancelled():
                    raise errors.ExportCancelled()
                fh.write(view[start : start + WRITE_CHUNK])
            fh.flush()
            os.fsync(fh.fileno())
        if cancelled is not None and cancelled():
            raise errors.ExportCancelled()
        partial.replace(out)
    except errors.ExportCancelled:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    except OSError as error:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise errors.BundleNotWritten(out, error.strerror or str(error)) from error


def _entry_from_wire(
    raw: dict[str, Any], uuids: dict[Any, uuid.UUID] | None = None
) -> dict[str, Any]:
    """An entry as stored from its wire form; `uuids` keeps the ids already parsed (a bundle
    names each origin, transaction and record many times)."""
    uuids = {} if uuids is None else uuids

    def parsed(text: Any) -> uuid.UUID:
        found = uuids.get(text)
        if found is None:
            found = uuids[text] = uuid.UUID(text)
        return found

    entry = {c: raw[c] for c in _COLUMNS}
    for name in _UUIDS:  # inline `parsed`: four ids in each of a bundle's entries
        text = entry[name]
        if text is not None:
            found = uuids.get(text)
            entry[name] = found if found is not None else parsed(text)
    entry["seq"] = int(entry["seq"])
    entry["hlc"] = int(entry["hlc"])
    entry["schema_version"] = int(entry["schema_version"])
    if entry["base_seq"] is not None:
        entry["base_seq"] = int(entry["base_seq"])
    for name in ("entity", "field", "op"):
        if not isinstance(entry[name], str):
            raise ValueError(name)
    entry["extra_bases"] = [(parsed(o), int(s)) for o, s in raw.get("extra_bases", ())]
    return entry


def _addressed_to_me(session: Session, header: bundle.Header, me: uuid.UUID, path: object) -> bool:
    """True: the bundle is for this replica id; False: for an id this installation had before a
    restore or a copy (made before its sender learnt the new id: still ours to read)."""
    if header.recipient == me:
        return True
    if header.recipient in replica.predecessors(session):
        return False
    raise errors.BundleForeign(path, header.recipient)


def _replayed(session: Session, header: bundle.Header, peer: SyncPeer, current: bool) -> bool:
    """Bundle numbers grow per recipient id; one made for an earlier id of ours is checked by
    its bundle id only (importing it changes nothing that a newer one would not)."""
    if session.get(SyncImport, header.bundle_id) is not None:
        return True
    return current and header.bundle_seq <= peer.last_in_seq


def read_bundle(db: Database, data: bytes, path: object) -> tuple[bundle.Header, dict[str, Any]]:
    """Every check a bundle must pass before anything is written; returns header and payload."""
    parsed = bundle.parse(data, path)
    header = parsed.header
    with db.unit_of_work() as session:
        me = local_identity(session)
        current = _addressed_to_me(session, header, me.replica_id, path)
        peer = session.get(SyncPeer, header.sender) or identity.trust_successor(
            session,
            header.sender,
            header.sender_name,
            header.continues,
            lambda key: bundle.signed_by(parsed, key),
        )
        if peer is None:
            raise errors.BundleUntrusted(path, f"{header.sender_name} {header.sender}".strip())
        bundle.verify(parsed, peer.sign_public, path)
        if header.schema > SCHEMA_VERSION:
            raise errors.BundleTooNew(path, header.app, header.schema, SCHEMA_VERSION)
        if _replayed(session, header, peer, current):
            raise errors.BundleReplayed(path)
        payload = bundle.open_payload(parsed, me, path)
    return header, payload


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused for a bulk job.

    An import holds every entry of its bundle (dicts, ids, merge states: hundreds of thousands
    of objects) until it commits; the collector would walk all of them again and again as they
    pile up, a fifth of a first copy's time. Reference counting still frees what the import
    drops; the collector runs again as soon as the job ends (it is paused for the whole
    process, so the thread that paused it is the one that resumes it)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def import_bundle(
    db: Database,
    data: bytes,
    path: object = "",
    backup_first: bool = True,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> ImportSummary:
    """Verify, then apply a bundle in one transaction.

    A village PC takes a rotating, verified backup (`backup_first`) after the bundle is verified
    and before it changes anything; the hub, which applies many small pushes, does not.
    `progress(done, total)`: records applied so far (`(0, 0)` while the bundle is checked and
    the backup taken). `cancel`, once set, stops the import with `ImportCancelled` before the
    next chunk of records: the transaction is rolled back, the data file is as it was, and
    importing the same bundle again applies it whole.
    """
    with collector_paused():  # hundreds of thousands of entries live until the end
        if progress is not None:
            progress(0, 0)
        header, payload = read_bundle(db, data, path)
        try:
            uuids: dict[Any, uuid.UUID] = {}
            entries = [_entry_from_wire(raw, uuids) for raw in payload["entries"]]
            vv = {uuid.UUID(o): int(s) for o, s in payload["vv"].items()}
            names = {uuid.UUID(o): str(n) for o, n in payload.get("names", {}).items()}
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise errors.BundleDamaged(path) from error
        if backup_first and entries:
            from desktop.models.store import backup

            db.require_writer()
            backup.take_automatic_backup(db, "sync")
        if cancel is not None and cancel.is_set():
            raise errors.ImportCancelled()
        with db.unit_of_work() as session:
            peer = session.get(SyncPeer, header.sender)
            if peer is None:
                raise errors.BundleUntrusted(path, header.sender)
            current = _addressed_to_me(session, header, db.replica_id, path)
            if _replayed(session, header, peer, current):
                raise errors.BundleReplayed(path)
            conn = session.connection()
            portable.defer_foreign_keys(conn)
            summary = _apply(
                session,
                peer,
                entries,
                names,
                db,
                path,
                payload,
                progress=progress,
                cancelled=cancel.is_set if cancel is not None else None,
            )
            for origin, seq in vv.items():
                upsert = portable.insert(SyncCheckpoint, conn).values(
                    peer_id=peer.id, origin=origin, seq=seq
                )
                conn.execute(
                    upsert.on_conflict_do_update(
                        index_elements=["peer_id", "origin"],
                        set_={"seq": portable.greatest(SyncCheckpoint.seq, upsert.excluded.seq)},
                    )
                )
            if current:
                peer.last_in_seq = header.bundle_seq
            peer.last_import_at = dt.datetime.now(dt.UTC)
            if header.sender_name:
                peer.name = header.sender_name  # a renamed PC: its new name, unless named here
            session.flush()
            sender_name = identity.replica_label(session, peer.id)
            session.add(
                SyncImport(
                    bundle_id=header.bundle_id,
                    sender=header.sender,
                    bundle_seq=header.bundle_seq,
                    entries_new=summary[0],
                    records_added=summary[3],
                    fields_updated=summary[4],
                    conflicts=summary[5],
                )
            )
    after = None
    if backup_first and summary[0]:  # the newest backup is to hold the merge
        from desktop.models.store.backup import BackupAfter

        after = BackupAfter(db, "synced")
    return ImportSummary(header.sender, sender_name, *summary, backup_after=after)


def _held(conn: Any, records: set[tuple[str, uuid.UUID]]) -> set[tuple[str, uuid.UUID]]:
    """Which of `records` this replica already holds (has a field head for)."""
    by_entity: dict[str, list[uuid.UUID]] = {}
    for entity, row_id in records:
        by_entity.setdefault(entity, []).append(row_id)
    found: set[tuple[str, uuid.UUID]] = set()
    for entity, ids in by_entity.items():
        ids.sort()
        for start in range(0, len(ids), 500):
            found.update(
                (entity, row_id)
                for row_id in conn.execute(
                    select(FieldHead.row_id)
                    .where(
                        FieldHead.entity == entity, FieldHead.row_id.in_(ids[start : start + 500])
                    )
                    .distinct()
                ).scalars()
            )
    return found


def _may_write(
    allowed: set[uuid.UUID],
    e: dict[str, Any],
    here: BranchResolver,
    incoming: BranchResolver,
    parents: dict[str, dict[str, str]],
    held: set[tuple[str, uuid.UUID]] | None = None,
) -> bool:
    """Whether a peer entitled to `allowed` may write entry `e` (issue #14, case 3).

    The branch a record belongs to *on this replica* decides, never the values the entry
    brings: a record this replica holds stays in its branch whatever an incoming change says.
    Only a record this replica does not hold yet is placed by the bundle's own values. A value
    that places a record (its `branch_id`, or a parent it points to) must place it in a branch
    the peer may write as well: moving a record between branches needs the right to both.
    """

    def branch_of(entity: str, row_id: uuid.UUID) -> uuid.UUID | None:
        found = None
        if held is None or entity == "branch" or (entity, row_id) in held:
            found = here.branch_of(entity, row_id)
        return found if found is not None else incoming.branch_of(entity, row_id)

    branch = branch_of(e["entity"], e["row_id"])
    if not may_share(allowed, branch):
        return False
    parent = "branch" if e["field"] == "branch_id" else parents.get(e["entity"], {}).get(e["field"])
    if parent is None or e["new_value"] is None:
        return True
    try:
        target_id = uuid.UUID(str(decode(e["new_value"])))
    except (ValueError, TypeError, AttributeError):
        return False
    target = branch_of(parent, target_id)
    return target is None or may_share(allowed, target)


def _sender(session: Session, peer: SyncPeer) -> str:
    """The sending PC as an error names it: its name here, and its id."""
    return f"{identity.replica_label(session, peer.id)} ({peer.id})"


def _apply(
    session: Session,
    peer: SyncPeer,
    entries: list[dict[str, Any]],
    names: dict[uuid.UUID, str],
    db: Database,
    path: object = "",
    payload: dict[str, Any] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[int, int, int, int, int, int]:
    conn = session.connection()
    parents = _parent_tables()
    allowed = entitled_branches(peer)
    # The values that place a record (its branch, the parents it points to), for records this
    # replica does not hold yet.
    overlay: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for e in entries if allowed is not None else ():
        if e["field"] == "branch_id" or e["field"] in parents.get(e["entity"], ()):
            overlay.setdefault((e["entity"], e["row_id"]), {})[e["field"]] = decode(e["new_value"])
    here = BranchResolver(conn)  # where records are on this replica: what decides
    incoming = BranchResolver(conn, overlay)  # for records this replica does not hold yet
    held = (
        _held(conn, set(overlay) | {(e["entity"], e["row_id"]) for e in entries})
        if (allowed is not None)
        else set()
    )
    fresh, known, refused = [], 0, 0
    # A record's other fields go where the record is: one verdict per record for them; the
    # fields that place it (its branch, its parents) are each checked (`_may_write`).
    verdicts: dict[tuple[str, uuid.UUID], bool] = {}

    def permitted(e: dict[str, Any], allowed: set[uuid.UUID]) -> bool:
        if e["field"] == "branch_id" or e["field"] in parents.get(e["entity"], ()):
            return _may_write(allowed, e, here, incoming, parents, held)
        record = (e["entity"], e["row_id"])
        verdict = verdicts.get(record)
        if verdict is None:
            verdict = verdicts[record] = _may_write(allowed, e, here, incoming, parents, held)
        return verdict

    by_origin: dict[uuid.UUID, set[int]] = {}
    for e in entries:
        by_origin.setdefault(e["origin"], set()).add(e["seq"])
    existing: dict[tuple[uuid.UUID, int], str | None] = {}
    for origin, seqs in by_origin.items():
        rows = session.execute(
            select(*(getattr(Change, c) for c in _COLUMNS)).where(
                Change.origin == origin, Change.seq.between(min(seqs), max(seqs))
            )
        ).mappings()
        for row in rows:
            if row["seq"] in seqs:
                existing[(row["origin"], row["seq"])] = entry_digest(row)
    for e in entries:
        key = (e["origin"], e["seq"])
        if key in existing:
            if existing[key] not in (None, entry_digest(e)):
                # The same number, other content: two replicas wrote under one id. Applying
                # either silently would lose the other's edit for good.
                raise errors.ChangeCollision(
                    path,
                    _sender(session, peer),
                    identity.replica_label(session, e["origin"]),
                    e["seq"],
                )
            known += 1
        elif allowed is not None and not permitted(e, allowed):
            refused += 1  # a branch the sender may not write: never applied
        else:
            existing[key] = None  # twice in one bundle: the first is applied
            fresh.append(e)
    learnt = signing.verify(session, fresh, payload or {}, _sender(session, peer), path)
    if any(e["base_origin"] is not None and places(e["entity"], e["field"]) for e in fresh):
        forget_skipped(conn)  # a record moved: what exports left out may now be sent
    # Applied before they are stored: the merge reads the records' stored entries and adds
    # these in memory, rather than reading back what was just written.
    records = {(e["entity"], e["row_id"]) for e in fresh}
    outcomes = merge.apply_records(conn, records, fresh, progress=progress, cancelled=cancelled)
    if fresh:
        columns = operator.itemgetter(*_COLUMNS)
        portable.execute_many(
            conn, portable.insert(Change, conn), _COLUMNS, [columns(e) for e in fresh]
        )
        extra_rows = [(e["origin"], e["seq"], o, s) for e in fresh for o, s in e["extra_bases"]]
        portable.execute_many(
            conn,
            portable.insert(ChangeBase, conn).on_conflict_do_nothing(),
            ("origin", "seq", "base_origin", "base_seq"),
            extra_rows,
        )
        _remember_replicas(session, fresh, names, db)
        signing.pin(session, learnt)
    added = sum(o.added for o in outcomes)
    updated = sum(o.fields_updated for o in outcomes if not o.added)
    conflicts = sum(len(o.conflicts) for o in outcomes)
    return len(fresh), known, refused, added, updated, conflicts


def _remember_replicas(
    session: Session, fresh: list[dict[str, Any]], names: dict[uuid.UUID, str], db: Database
) -> None:
    conn = session.connection()
    tops: dict[uuid.UUID, int] = {}
    for e in fresh:
        tops[e["origin"]] = max(tops.get(e["origin"], 0), e["seq"])
    for origin, top in tops.items():
        upsert = portable.insert(Replica, conn).values(
            id=origin,
            name=names.get(origin, ""),
            is_local=False,
            last_seq=top,
            last_hlc=0,
            created_at=dt.datetime.now(dt.UTC),
        )
        conn.execute(
            upsert.on_conflict_do_update(
                index_elements=["id"],
                set_={
                    "last_seq": portable.greatest(Replica.last_seq, upsert.excluded.last_seq),
                    # A renamed PC's new name reaches the PCs that know it only through a relay.
                    "name": case(
                        (upsert.excluded.name != "", upsert.excluded.name), else_=Replica.name
                    ),
                },
            )
        )
    newest = max(e["hlc"] for e in fresh)
    last = session.scalar(select(Replica.last_hlc).where(Replica.is_local)) or 0
    now = (db.wall_clock or clock.wall_ms)()
    conn.execute(
        update(Replica).where(Replica.is_local).values(last_hlc=clock.receive(last, newest, now))
    )
