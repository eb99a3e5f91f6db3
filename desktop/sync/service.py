# SPDX-License-Identifier: GPL-3.0-or-later
"""The sync service the views and the command line use: each method one unit of work."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop.errors import PermissionDenied
from desktop.models.register import groups
from desktop.models.register.branch import Branch
from desktop.models.register.rows import BranchInfo
from desktop.models.store import clock
from desktop.models.store.changelog import Replica
from desktop.models.store.db import Database
from desktop.models.store.sync_state import SyncIdentity, SyncPeer
from desktop.sync import conflicts, errors, exchange, identity
from desktop.sync.http import HubExchange, exchange_with_hub
from desktop.sync.readmodels import (
    BulkResolution,
    ConflictKind,
    ConflictQuery,
    ConflictRow,
    DuplicateGroup,
    DuplicateMerge,
    PcName,
    PeerRow,
)


class SyncService:
    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db, self.actor = db, actor
        self._me: tuple[uuid.UUID, str, str] | None = None

    def me(self) -> tuple[uuid.UUID, str, str]:
        """This replica's id, name and fingerprint (keys are made on first use). The name is
        read each time: a default name follows the branch (a new PC's first bundle brings it)."""
        if self._me is None:
            try:
                with self._keys_session() as session:
                    me = identity.local_identity(session)
                    self._me = (me.replica_id, me.name, me.fingerprint)
                return self._me
            except PermissionDenied:  # a viewer, before a writer made the keys: none yet
                with self.db.read() as session:
                    name = identity.local_name(session)
                return (self.db.replica_id, name, "")
        with self.db.read() as session:
            return (self._me[0], identity.local_name(session), self._me[2])

    def pc_name(self) -> PcName:
        """This PC's name, whether its clerk chose it, its role and the default name."""
        with self.db.read() as session:
            row = session.execute(
                select(Replica.name_chosen, Replica.role).where(Replica.is_local)
            ).one()
            role = row.role or identity.DEFAULT_ROLE
            return PcName(
                identity.local_name(session),
                bool(row.name_chosen),
                role,
                identity.default_name(session, role),
            )

    def default_name(self, role: str) -> str:
        """The name this PC would have in `role`, from its branch (the name dialog shows it)."""
        with self.db.read() as session:
            return identity.default_name(session, role)

    def name_this_pc(self, name: str | None = None, role: str | None = None) -> str:
        """Choose this PC's name (`""`: back to the default) and/or its role (office, laptop,
        hub). The other PCs learn it from this PC's next card or bundle."""
        with self.db.unit_of_work(self.actor) as session:
            chosen = identity.name_this_pc(session, name, role)
        self._me = None
        return chosen

    def first_role(self, role: str) -> None:
        """Say this PC's role unless its clerk already did (`hub init` and `hub serve`)."""
        with self.db.read() as session:
            known = session.scalar(select(Replica.role).where(Replica.is_local))
        if known is None:
            self.name_this_pc(role=role)

    def name_peer(self, peer_id: uuid.UUID, name: str) -> PeerRow:
        """What this PC calls a trusted PC (`""`: the name its card gives)."""
        with self.db.unit_of_work(self.actor) as session:
            peer = session.get(SyncPeer, peer_id)
            if peer is None:
                raise errors.UnknownPeer(peer_id)
            peer.local_name = identity.clean_name(name) or None
            session.flush()
            return self._row(session, peer, waiting=False)

    def card(self) -> bytes:
        with self._keys_session() as session:
            return identity.make_card(session)

    @contextlib.contextmanager
    def _keys_session(self) -> Iterator[Session]:
        """Where this PC's keys are read, or made on first use. A viewer's commands write
        nothing: a viewer reads the keys a clerk's or administrator's first use made."""
        user = self.db.user
        if user is None or user.can_write:
            with self.db.bookkeeping() as session:
                yield session
            return
        with self.db.read() as session:
            if session.get(SyncIdentity, self.db.replica_id) is None:
                raise PermissionDenied()
            yield session

    def write_card(self, out: Path) -> Path:
        data = self.card()
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        return out

    def read_card(self, path: Path) -> identity.Card:
        return identity.card_from_file(path)

    def trust(
        self,
        card: identity.Card,
        branches: list[uuid.UUID] | None = None,
        name: str | None = None,
    ) -> tuple[PeerRow, bool]:
        """Trust a card; `name`: what this PC calls that PC (default: the card's name)."""
        with self.db.unit_of_work(self.actor) as session:
            peer, created = identity.trust(session, card, branches, name)
            return self._row(session, peer, waiting=False), created

    def revoke(self, peer_id: uuid.UUID) -> PeerRow:
        """Stop trusting a PC: nothing more is sent to it or accepted from it."""
        with self.db.unit_of_work(self.actor) as session:
            peer = session.get(SyncPeer, peer_id)
            if peer is None:
                raise errors.UnknownPeer(peer_id)
            row = self._row(session, peer, waiting=False)
            identity.revoke(session, peer)
            return row

    def branches(self) -> list[tuple[uuid.UUID, str]]:
        """The branches this replica holds (id, name), by name."""
        with self.db.read() as session:
            return [
                tuple(row)
                for row in session.execute(  # type: ignore[misc]
                    select(Branch.id, Branch.name)
                    .where(Branch.deleted.is_(False))
                    .order_by(Branch.name)
                )
            ]

    def peer_branches(self, peer_id: uuid.UUID) -> list[BranchInfo] | None:
        """The branches held here that `peer_id` may receive and send, by name (None: every
        branch, a peer trusted before entitlements were named)."""
        with self.db.read() as session:
            peer = session.get(SyncPeer, peer_id)
            if peer is None:
                raise errors.UnknownPeer(peer_id)
            allowed = identity.entitled_branches(peer)
            return None if allowed is None else groups.branches_named(session, sorted(allowed))

    def set_peer_branches(self, peer_id: uuid.UUID, branches: list[uuid.UUID]) -> PeerRow:
        """Let `peer_id` receive and send exactly `branches` (narrow or widen it, as `sync
        trust CARD --branch` does without its card)."""
        with self.db.unit_of_work(self.actor) as session:
            peer = session.get(SyncPeer, peer_id)
            if peer is None:
                raise errors.UnknownPeer(peer_id)
            identity.set_branches(session, peer, branches)
            session.flush()
            return self._row(session, peer, waiting=False)

    def find_branches(self, text: str = "", limit: int = 50) -> list[BranchInfo]:
        """At most `limit` branches held here matching `text` (name, town, county or a whole
        id), by name: a chooser reads these as the clerk types, never all of a hub's."""
        with self.db.read() as session:
            return groups.find_branches(session, text, limit)

    def peers(self, waiting: bool = True) -> list[PeerRow]:
        with self.db.read() as session:
            by_branch = conflicts.open_conflicts_by_branch(session)
            shown = identity.replica_names(session)
            rows = [
                self._row(session, peer, waiting, by_branch, shown)
                for peer in session.scalars(select(SyncPeer))
            ]
            return sorted(rows, key=lambda row: (row.label, str(row.id)))

    def last_exchange(self) -> dt.datetime | None:
        """When a bundle last went to or came from any peer (None: never synced)."""
        with self.db.read() as session:
            received, sent = session.execute(
                select(func.max(SyncPeer.last_import_at), func.max(SyncPeer.last_export_at))
            ).one()
        times = [t if t.tzinfo else t.replace(tzinfo=dt.UTC) for t in (received, sent) if t]
        return max(times, default=None)

    def find_peer(self, text: str) -> uuid.UUID:
        with self.db.read() as session:
            return identity.find_peer(session, text).id

    def export(
        self, peer_id: uuid.UUID, out: Path, cancel: threading.Event | None = None
    ) -> exchange.ExportResult:
        """Write a bundle for `peer_id` to `out`; `cancel`, once set, stops it with
        `ExportCancelled`: no file, and the next bundle takes the same number."""
        return exchange.export_bundle(
            self.db, peer_id, out, cancelled=cancel.is_set if cancel is not None else None
        )

    def import_file(
        self,
        path: Path,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> exchange.ImportSummary:
        """Apply a bundle file; `progress(done, total)` counts the records applied, `cancel`
        stops it with nothing changed (see `exchange.import_bundle`)."""
        try:
            data = path.read_bytes()
        except FileNotFoundError as error:
            raise errors.BundleDamaged(path) from error
        except OSError as error:
            raise errors.BundleDamaged(path) from error
        return exchange.import_bundle(self.db, data, path, progress=progress, cancel=cancel)

    def import_bundle_bytes(self, data: bytes, source: object = "") -> exchange.ImportSummary:
        return exchange.import_bundle(self.db, data, source)

    def exchange_with_hub(
        self,
        url: str,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> HubExchange:
        """One exchange with the town hub over HTTP (see `desktop.sync.http`)."""
        return exchange_with_hub(self.db, url, progress=progress, cancel=cancel)

    def conflicts(self) -> list[ConflictRow]:
        with self.db.read() as session:
            return conflicts.list_conflicts(session, (self.db.wall_clock or clock.wall_ms)())

    def conflict_count(self, query: ConflictQuery) -> int:
        with self.db.read() as session:
            return conflicts.count_conflicts(session, query)

    def conflict_page(self, query: ConflictQuery, offset: int, limit: int) -> list[ConflictRow]:
        """A page of the open conflicts `query` admits, oldest first (see
        `conflicts.conflict_page`): only these are read and named."""
        with self.db.read() as session:
            return conflicts.conflict_page(
                session, query, offset, limit, (self.db.wall_clock or clock.wall_ms)()
            )

    def conflict_kinds(self) -> list[ConflictKind]:
        with self.db.read() as session:
            return conflicts.conflict_kinds(session)

    def resolve(self, conflict_id: int, pick: int) -> ConflictRow:
        with self.db.unit_of_work(self.actor) as session:
            return conflicts.resolve(session, conflict_id, pick)

    def resolve_all(
        self,
        keep: str,
        *,
        ids: list[int] | None = None,
        branch: uuid.UUID | None = None,
        entity: str | None = None,
        field: str | None = None,
        peer: uuid.UUID | None = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> BulkResolution:
        """Keep this PC's values (`conflicts.LOCAL`) or the other PC's (`conflicts.REMOTE`)
        for every open conflict the criteria admit, in one unit of work: `cancel`, once set,
        stops it with `SettleCancelled` and nothing settled."""
        with self.db.unit_of_work(self.actor) as session:
            return conflicts.resolve_all(
                session,
                keep,
                ids=ids,
                branch=branch,
                entity=entity,
                field=field,
                peer=peer,
                progress=progress,
                cancelled=cancel.is_set if cancel is not None else None,
            )

    def duplicates(self) -> list[DuplicateGroup]:
        with self.db.read() as session:
            return conflicts.duplicate_members(session)

    def merge_duplicates(self, id_number: str) -> DuplicateMerge:
        with self.db.unit_of_work(self.actor) as session:
            return conflicts.merge_duplicates(session, id_number)

    @staticmethod
    def _row(
        session,
        peer: SyncPeer,
        waiting: bool,  # type: ignore[no-untyped-def]
        by_branch: Mapping[uuid.UUID | None, int] | None = None,
        shown: Mapping[uuid.UUID, str] | None = None,
    ) -> PeerRow:
        allowed = identity.entitled_branches(peer)
        by_branch = by_branch or {}
        # The names of its branches only: a county hub holds about 10,000 (#22).
        wanted = None if allowed is None else sorted(allowed)
        names = {b.id: b.name for b in groups.branches_named(session, wanted)}
        shown = shown if shown is not None else identity.replica_names(session)
        return PeerRow(
            id=peer.id,
            name=identity.peer_name(peer),
            label=shown.get(peer.id, "") or identity.peer_name(peer),
            card_name=peer.name,
            fingerprint=identity.fingerprint(peer.sign_public, peer.box_public),
            branches=tuple(
                sorted(names.values())
                if allowed is None
                else sorted(names.get(b, str(b)[:8]) for b in allowed)
            ),
            last_import_at=peer.last_import_at,
            last_export_at=peer.last_export_at,
            waiting=exchange.waiting_count(session, peer) if waiting else 0,
            open_conflicts=sum(
                n for branch, n in by_branch.items() if allowed is None or branch in allowed
            ),
        )
