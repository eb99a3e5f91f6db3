# SPDX-License-Identifier: GPL-3.0-or-later
"""Real replicas for the sync tests: separate data folders exchanging real bundle files."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from desktop.models.store.base import Base
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials
from desktop.models.store.sync_state import SyncConflict
from desktop.sync import merge
from desktop.sync.service import SyncService
from tests.conftest import TEST_PASSWORD

SYNCED_TABLES = [t for t in Base.metadata.sorted_tables if merge.synced_table(t.name) is not None]


class Node:
    """One replica: its own data folder, database and sync service."""

    _bundles = itertools.count(1)

    def __init__(
        self, root: Path, name: str, user: str | None = None, server: str | None = None
    ) -> None:
        self.name = name
        self.folder = root / name
        # The clerk signed in on this PC: the test account, or `user` (same test password).
        # `server`: a hub whose data is on PostgreSQL (tests.pg).
        self.db = Database.open(
            self.folder,
            credentials=Credentials(user, TEST_PASSWORD) if user else None,
            server=server,
        )
        self.sync = SyncService(self.db, actor=name)
        self.root = root

    @property
    def id(self) -> uuid.UUID:
        return self.db.replica_id

    def card(self) -> Path:
        return self.sync.write_card(self.root / f"{self.name}.card")

    def trust(self, other: Node, branches: list[uuid.UUID] | None = None) -> None:
        self.sync.trust(self.sync.read_card(other.card()), branches)

    def bundle_for(self, other: Node) -> Path:
        out = self.root / "stick" / f"{self.name}-to-{other.name}-{next(self._bundles)}.rsb"
        self.sync.export(other.id, out)
        return out

    def send(self, other: Node) -> Any:
        return other.sync.import_file(self.bundle_for(other))

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every synced table's rows, in id order: what must be equal on converged replicas."""
        with self.db.read() as session:
            data = {
                table.name: [
                    tuple(row) for row in session.execute(select(table).order_by(table.c.id))
                ]
                for table in SYNCED_TABLES
            }
            data["conflicts"] = sorted(
                session.execute(
                    select(
                        SyncConflict.entity,
                        SyncConflict.row_id,
                        SyncConflict.field,
                        SyncConflict.kind,
                    )
                )
            )
        return data

    def close(self) -> None:
        self.db.close()


@pytest.fixture
def nodes(tmp_path: Path, demo_copy: Any) -> Iterator[Any]:
    """`nodes(*names, demo=None)`: new replicas, empty but for the one named `demo`, which holds
    the demo branch (a copy of the session's: at most one per test, see `_demo_folders`)."""
    made: list[Node] = []

    def make(*names: str, demo: str | None = None) -> list[Node]:
        assert demo is None or demo in names
        if demo is not None:
            demo_copy(tmp_path / demo)
        new = [Node(tmp_path, name) for name in names]
        made.extend(new)
        return new

    yield make
    for node in made:
        node.close()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (skipped when the tests have no server)."""
    from tests.pg import fresh_database

    with fresh_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_server(request: pytest.FixtureRequest) -> str | None:
    """Where a hub keeps its data: None for the file in its data folder, or the address of a
    fresh PostgreSQL database (`--db`); the PostgreSQL run is skipped without a server."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("pg_url"))


def pair(*group: Node) -> None:
    """Every node trusts every other (as clerks do by exchanging cards), for the branches the
    group holds (entitlement is always named: a new PC trusting a new PC must say which)."""
    from desktop.models.register.branch import Branch

    held: set[uuid.UUID] = set()
    for node in group:
        with node.db.read() as session:
            held.update(session.scalars(select(Branch.id).where(Branch.deleted.is_(False))))
    for a in group:
        for b in group:
            if a is not b:
                a.trust(b, sorted(held) or None)
