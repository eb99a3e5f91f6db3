# SPDX-License-Identifier: GPL-3.0-or-later
"""Exporting tables to .xlsx and CSV, driven by a registry of exportable tables.

Each table is a name, a sheet title, its columns and a function that reads its rows; adding one
(rosters, the service log, assessment results) is a `register(ExportTable(...))` call. The .xlsx
has a bold header, column widths that fit, a frozen header row, dates as real dates, and ID
numbers and phones as text, so that Excel and WPS never turn them into 3.20106E+17. The CSV is
UTF-8 with a BOM, which both open correctly.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import os
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import UserError
from desktop.i18n import N_, _
from desktop.models import branch_service, member_service
from desktop.models.branch import PartyGroup, VillagerGroup
from desktop.models.household import Household
from desktop.models.member import (
    EDUCATIONS,
    ETHNICITIES,
    GENDERS,
    OCCUPATIONS,
    STANDINGS,
    STATUSES,
)
from desktop.tabular.headers import FIELD_LABELS

Kind = Literal["text", "date", "number", "bool"]
FORMATS = (".xlsx", ".csv")


@dataclasses.dataclass(frozen=True)
class ExportColumn:
    #: The header, marked with N_ and translated when the file is written.
    header: str
    value: Callable[[Any], Any]
    kind: Kind = "text"
    #: Width in characters (a CJK character counts two); 0 fits the content.
    width: int = 0


@dataclasses.dataclass(frozen=True)
class ExportTable:
    name: str
    #: The sheet's title, marked with N_.
    title: str
    columns: Sequence[ExportColumn]
    rows: Callable[[Session, uuid.UUID], Iterable[Any]]


TABLES: dict[str, ExportTable] = {}


def register(table: ExportTable) -> ExportTable:
    TABLES[table.name] = table
    return table


def _label(choices: dict[str, str]) -> Callable[[str | None], str]:
    return lambda code: _(choices[code]) if code in choices else (code or "")


def _field(field: str, kind: Kind = "text", choices: dict[str, str] | None = None,
           width: int = 0) -> ExportColumn:
    label = _label(choices) if choices else None

    def value(row: Any) -> Any:
        raw = getattr(row, field)
        return label(raw) if label else raw

    return ExportColumn(FIELD_LABELS[field], value, kind, width)


# Columns in the order of the national register; their headers are the importer's own labels,
# so an exported file imports back unchanged.
register(ExportTable(
    name="members",
    title=N_("Members"),
    columns=(
        _field("name", width=10),
        _field("gender", choices=GENDERS, width=6),
        _field("id_number", width=22),
        _field("ethnicity", choices=ETHNICITIES, width=8),
        _field("birth_date", "date", width=12),
        _field("education", choices=EDUCATIONS),
        _field("status", choices=STATUSES),
        _field("joined_on", "date", width=12),
        _field("confirmed_on", "date", width=12),
        _field("occupation", choices=OCCUPATIONS),
        _field("phone", width=15),
        _field("address"),
        _field("standing", choices=STANDINGS),
        _field("lost_contact", "bool"),
        _field("lost_contact_on", "date", width=12),
        _field("floating", "bool"),
        _field("floating_to"),
        ExportColumn(FIELD_LABELS["party_group_id"], lambda r: r.party_group_name),
        ExportColumn(FIELD_LABELS["villager_group_id"], lambda r: r.villager_group_name),
        _field("notes", width=30),
    ),
    rows=lambda session, branch_id: member_service.list_members(session, branch_id),
))  # fmt: skip


register(ExportTable(
    name="groups",
    title=N_("Party groups"),
    columns=(
        ExportColumn(N_("No."), lambda g: g.number, "number", 6),
        ExportColumn(N_("Name"), lambda g: g.name, width=16),
        ExportColumn(N_("Members"), lambda g: g.member_count, "number", 8),
        ExportColumn(N_("Group steward"), lambda g: g.steward_name, width=10),
    ),
    rows=lambda session, branch_id: branch_service.list_party_groups(session, branch_id),
))  # fmt: skip


@dataclasses.dataclass(frozen=True)
class _HouseholdRow:
    head_name: str
    address: str
    phone: str
    party_group: str
    villager_group: str
    elderly_alone: bool
    low_income: bool
    needs_visits: bool
    notes: str


def _households(session: Session, branch_id: uuid.UUID) -> list[_HouseholdRow]:
    stmt = (
        select(Household, PartyGroup.name, VillagerGroup.name)
        .outerjoin(PartyGroup, PartyGroup.id == Household.party_group_id)
        .outerjoin(VillagerGroup, VillagerGroup.id == Household.villager_group_id)
        .where(~Household.deleted, Household.branch_id == branch_id)
        .order_by(PartyGroup.number, VillagerGroup.number, Household.head_name)
    )
    return [
        _HouseholdRow(h.head_name, h.address, h.phone, group or "", vgroup or "",
                      h.elderly_alone, h.low_income, h.needs_visits, h.notes)
        for h, group, vgroup in session.execute(stmt)
    ]


register(ExportTable(
    name="households",
    title=N_("Households"),
    columns=(
        ExportColumn(N_("Head of household"), lambda h: h.head_name, width=10),
        ExportColumn(N_("Address"), lambda h: h.address, width=24),
        ExportColumn(N_("Phone"), lambda h: h.phone, width=15),
        ExportColumn(N_("Party group"), lambda h: h.party_group),
        ExportColumn(N_("Villager group"), lambda h: h.villager_group),
        ExportColumn(N_("Elderly living alone"), lambda h: h.elderly_alone, "bool"),
        ExportColumn(N_("Low income"), lambda h: h.low_income, "bool"),
        ExportColumn(N_("Needs regular visits"), lambda h: h.needs_visits, "bool"),
        ExportColumn(N_("Notes"), lambda h: h.notes, width=30),
    ),
    rows=_households,
))  # fmt: skip


# ----------------------------------------------------------------------------- writing


class ExportFailed(UserError):
    pass


def export_format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ExportFailed(
            _("Cannot export to {name}: the file name must end in .xlsx or .csv.").format(
                name=Path(path).name)
        )
    return suffix


def _bool_text(value: Any) -> str:
    return _("Yes") if value else _("No")


def _text(value: Any, kind: Kind) -> str:
    if value is None:
        return ""
    if kind == "bool":
        return _bool_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table_rows(session: Session, branch_id: uuid.UUID, table: ExportTable) -> list[list[Any]]:
    """The table's cells, headers first: plain values, ready for either format."""
    header = [_(c.header) for c in table.columns]
    body = [[c.value(row) for c in table.columns] for row in table.rows(session, branch_id)]
    return [header, *body]


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _write_xlsx(table: ExportTable, rows: list[list[Any]], out: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = _(table.title)[:31]
    bold = Font(bold=True)
    for c, header in enumerate(rows[0], start=1):
        cell = sheet.cell(row=1, column=c, value=header)
        cell.font = bold
        cell.alignment = Alignment(horizontal="center", vertical="center")
    for r, values in enumerate(rows[1:], start=2):
        for c, (column, value) in enumerate(zip(table.columns, values, strict=True), start=1):
            if value is None or value == "":
                continue
            if column.kind == "bool":
                value = _bool_text(value)
            cell = sheet.cell(row=r, column=c, value=value)
            if column.kind == "date":
                cell.number_format = "yyyy-mm-dd"
            elif column.kind == "text":
                # Text format: Excel keeps 18-digit ID numbers and leading zeros as typed.
                cell.number_format = "@"
                # openpyxl takes a string starting with "=" for a formula: a note such as
                # "=见附件" must stay text, not become a broken (or a harmful) formula.
                cell.data_type = "s"
    for c, column in enumerate(table.columns, start=1):
        letter = get_column_letter(c)
        widest = max((_display_width(_text(v[c - 1], column.kind)) for v in rows), default=4)
        width = max(column.width, min(widest, 40)) if column.width else min(widest, 40)
        sheet.column_dimensions[letter].width = max(width, _display_width(rows[0][c - 1])) + 2
    sheet.freeze_panes = "A2"
    book.save(out)


def _write_csv(table: ExportTable, rows: list[list[Any]], out: Path) -> None:
    # utf-8-sig writes the BOM that makes Excel and WPS read UTF-8 instead of the ANSI code page.
    with out.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(rows[0])
        for values in rows[1:]:
            writer.writerow([_text(v, c.kind) for c, v in zip(table.columns, values,
                                                              strict=True)])


def write_table(table: ExportTable, rows: list[list[Any]], path: Path) -> None:
    """Write to a temporary file beside `path`, then replace it: a failure leaves no half file."""
    path = Path(path)
    fmt = export_format(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=fmt, dir=path.parent)
    except OSError as error:
        raise ExportFailed(_("Cannot write to the folder {path}: {reason}").format(
            path=path.parent, reason=error.strerror)) from error
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        (_write_xlsx if fmt == ".xlsx" else _write_csv)(table, rows, tmp)
        os.replace(tmp, path)
    except PermissionError as error:
        raise ExportFailed(
            _("Cannot write {name}: it is open in another program (close it in Excel or WPS) "
              "or the folder is read-only.").format(name=path.name)
        ) from error
    except OSError as error:
        raise ExportFailed(_("Cannot write {name}: {reason}").format(
            name=path.name, reason=error.strerror)) from error
    finally:
        tmp.unlink(missing_ok=True)


def table(name: str) -> ExportTable:
    try:
        return TABLES[name]
    except KeyError:
        raise ExportFailed(_("There is no table named {name}. Tables: {names}.").format(
            name=name, names=", ".join(TABLES))) from None
