# SPDX-License-Identifier: GPL-3.0-or-later
"""The audit trail's service: each method is one read of the change log (it is never written)."""

from __future__ import annotations

from pathlib import Path

from desktop import errors
from desktop.i18n import _
from desktop.models.audit import trail
from desktop.models.audit.trail import (
    PAGE_SIZE,
    VIEW_LIMIT,
    AuditEntry,
    AuditPage,
    AuditQuery,
    Cursor,
    OriginNames,
)
from desktop.models.store.db import Database


class AuditService:
    """`origin_names` names the PCs changes were made on (the composition root gives
    `desktop.sync.identity.replica_labels`); without it the PC column stays empty."""

    def __init__(self, db: Database, origin_names: OriginNames | None = None) -> None:
        self.db = db
        self.origin_names = origin_names

    def users(self) -> list[str]:
        with self.db.read() as session:
            return trail.audit_users(session)

    def page(
        self, query: AuditQuery, after: Cursor | None = None, size: int = PAGE_SIZE
    ) -> AuditPage:
        """The next `size` entries matching `query`, newest first (the page's scrolling)."""
        with self.db.read() as session:
            return trail.audit_page(session, query, after, size, self.origin_names)

    def count(self, query: AuditQuery, cap: int = VIEW_LIMIT) -> int:
        """How many entries match, up to `cap` + 1."""
        with self.db.read() as session:
            return trail.count_entries(session, query, cap)

    def capped(self, query: AuditQuery) -> bool:
        """Whether the record filter takes only the first `trail.MATCH_LIMIT` records."""
        with self.db.read() as session:
            return trail.record_capped(session, query)

    def entries(self, query: AuditQuery, limit: int | None = VIEW_LIMIT) -> list[AuditEntry]:
        with self.db.read() as session:
            return trail.audit_entries(session, query, limit, self.origin_names)

    def export_csv(self, query: AuditQuery, path: Path) -> int:
        """Every entry matching `query` (not only those shown) to a CSV file that Excel and
        WPS open with its Chinese intact (UTF-8 with BOM); returns how many rows. The log is
        read a page at a time, never held whole."""
        try:
            with path.open("w", encoding="utf-8-sig", newline="") as out, self.db.read() as s:
                return trail.write_csv(trail.iter_entries(s, query, None, self.origin_names), out)
        except OSError as error:
            raise errors.UserError(
                _("The file {path} could not be written: {reason}").format(
                    path=path, reason=error.strerror or error
                )
            ) from error
