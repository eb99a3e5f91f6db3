# SPDX-License-Identifier: GPL-3.0-or-later
"""The thin service the views and the command line use: each method is one session's work."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path

from desktop.models.store import backup
from desktop.models.store.db import Database
from desktop.tabular import export, household_import, member_import
from desktop.tabular.headers import HeaderLayout
from desktop.tabular.member_import import Action, ImportPlan, ImportResult, ProgressFn
from desktop.tabular.readers import Workbook, read_workbook


class TabularService:
    def __init__(self, db: Database, branch_id: uuid.UUID, actor: str | None = None) -> None:
        self.db, self.branch_id, self.actor = db, branch_id, actor

    def read(self, path: Path) -> Workbook:
        return read_workbook(path)

    def preview(
        self,
        book: Workbook,
        on_match: Action = Action.UPDATE,
        layouts: Mapping[str, HeaderLayout] | None = None,
        sheets: Iterable[str] | None = None,
        kind: str = "members",
    ) -> ImportPlan:
        """What importing `book` would do; `kind` is "members" or "households"."""
        plan = (
            household_import.plan_household_import
            if kind == household_import.KIND
            else member_import.plan_import
        )
        with self.db.read() as session:
            return plan(
                session, self.branch_id, book, on_match=on_match, layouts=layouts, sheets=sheets
            )

    def commit(
        self,
        plan: ImportPlan,
        progress: ProgressFn | None = None,
        cancelled: threading.Event | None = None,
    ) -> ImportResult:
        """Everything in one transaction: a failure or a cancellation writes nothing.

        The result carries the backup of the import still to take (`backup_after`): the
        caller shows the result first, then takes it (the window in the background)."""
        commit = (
            household_import.commit_household_import
            if plan.kind == household_import.KIND
            else member_import.commit_import
        )
        if plan.to_write():
            # A verified backup first, so that an import can always be taken back whole; no
            # backup (a full disk), no import.
            self.db.require_writer()
            backup.take_automatic_backup(self.db, "import")
        with self.db.unit_of_work(self.actor) as session:
            result = commit(session, self.branch_id, plan, progress, cancelled)
        if plan.to_write():  # the newest backup is to hold the import
            after = backup.BackupAfter(self.db, "imported")
            result = dataclasses.replace(result, backup_after=after)
        return result

    def export_assessment(self, year: int, path: Path) -> int:
        """Write the assessment results of `year` to `path` (.xlsx or .csv): one row per
        steward (rank, items, total, grade), as the result list; the number of stewards."""
        from desktop.tabular import assessment_export

        export.export_format(path)
        with self.db.read() as session:
            table, rows = assessment_export.results_rows(session, self.branch_id, year)
        export.write_table(table, rows, path)
        return len(rows) - 1

    def export(
        self,
        table_name: str,
        path: Path,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
    ) -> int:
        """Write the table to `path` (.xlsx or .csv); the number of rows written.

        `date_from`/`date_to` keep the rows of a period (tables with a day: rosters, the log).
        """
        table = export.table(table_name)
        export.export_format(path)
        export.check_period(table, date_from, date_to)
        with self.db.read() as session:
            rows = export.table_rows(session, self.branch_id, table, date_from, date_to)
        export.write_table(table, rows, path)
        return len(rows) - 1
