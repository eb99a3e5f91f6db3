# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo's service: loading the demo branch is one unit of work (see services.py)."""

from __future__ import annotations

from desktop.models.demo import loader
from desktop.models.register.rows import BranchInfo
from desktop.models.store.db import Database


class DemoService:
    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db, self.actor = db, actor

    def load(self) -> tuple[bool, BranchInfo]:
        """Add the demo branch unless it is there already; returns (created, branch)."""
        with self.db.unit_of_work(self.actor) as session:
            return loader.load_demo(session)
