# SPDX-License-Identifier: GPL-3.0-or-later
"""A year's assessment results as a spreadsheet (.xlsx, or .csv): the result list of the wall,
with one column per item of that year's rules, so its columns are made per year rather than
registered once in `export.TABLES`. Written by `export.write_table` (a temporary file, then
replaced: no half file)."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from desktop.i18n import N_, _
from desktop.models.assessment import grading
from desktop.models.assessment.rows import GRADES, ResultSheet, StewardResult
from desktop.tabular.export import ExportColumn, ExportTable


def _item(index: int) -> Any:
    def value(row: StewardResult) -> Decimal | None:
        return row.items[index].points

    return value


def results_table(sheet: ResultSheet) -> tuple[ExportTable, list[list[Any]]]:
    """The table of `sheet` and its cells, headers first, stewards by rank."""
    columns = [
        ExportColumn(N_("Rank"), lambda r: r.rank, "number", 6),
        ExportColumn(N_("Name"), lambda r: r.name, width=10),
        ExportColumn(N_("Post"), lambda r: r.post, width=14),
        *(
            ExportColumn(f"{rule.number}. {rule.name}", _item(i), "number", 8)
            for i, rule in enumerate(sheet.rules)
        ),
        ExportColumn(N_("Total"), lambda r: r.total, "number", 8),
        ExportColumn(N_("Grade"), lambda r: _(GRADES.get(r.grade, r.grade)), width=10),
        ExportColumn(N_("Evaluation of the commitment"), lambda r: r.evaluation, width=20),
        ExportColumn(N_("Remarks"), lambda r: r.remarks, width=20),
    ]
    table = ExportTable(
        name="assessment",
        title=_("Assessment {year}").format(year=sheet.assessment.year),
        columns=columns,
        rows=lambda _session, _branch: (),
    )
    stewards = sorted(sheet.stewards, key=lambda r: (r.rank, r.name))
    # The clerk's item names are written as typed: only the fixed headers are translated.
    items = {id(c) for c in columns[3 : 3 + len(sheet.rules)]}
    header = [c.header if id(c) in items else _(c.header) for c in columns]
    return table, [header, *([c.value(r) for c in columns] for r in stewards)]


def results_rows(
    session: Session, branch_id: uuid.UUID, year: int
) -> tuple[ExportTable, list[list[Any]]]:
    return results_table(grading.result_sheet(session, branch_id, year))
