# SPDX-License-Identifier: GPL-3.0-or-later
"""The audit trail's service: each method is one read of the change log (it is never written)."""

from __future__ import annotations

from pathlib import Path

from desktop import errors
from desktop.i18n import _
from desktop.models.audit import trail
from desktop.models.audit.trail import VIEW_LIMIT, AuditEntry, AuditQuery
from desktop.models.store.db import Database


class AuditService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def users(self) -> list[str]:
        with self.db.read() as session:
            return trail.audit_users(session)

    def entries(self, query: AuditQuery, limit: int | None = VIEW_LIMIT) -> list[AuditEntry]:
        with self.db.read() as session:
            return trail.audit_entries(session, query, limit=limit)

    def export_csv(self, query: AuditQuery, path: Path) -> int:
        """Every entry matching `query` (not only the newest shown) to a CSV file that Excel and
        WPS open with its Chinese intact (UTF-8 with BOM); returns how many rows."""
        entries = self.entries(query, limit=None)
        try:
            with path.open("w", encoding="utf-8-sig", newline="") as out:
                return trail.write_csv(entries, out)
        except OSError as error:
            raise errors.UserError(
                _("The file {path} could not be written: {reason}").format(
                    path=path, reason=error.strerror or error
                )
            ) from error
