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
from desktop.i18n import N_, _, babel_locale
from desktop.models.register import groups, members
from desktop.models.register.member import (
    EDUCATIONS,
    ETHNICITIES,
    GENDERS,
    OCCUPATIONS,
    STANDINGS,
    STATUSES,
    Member,
)
from desktop.models.stewards import appointments, households, rosters, service_records
from desktop.models.stewards.rows import DutyRow, RosterRow, ServiceRecordRow, StewardRow
from desktop.models.stewards.steward import COMMITMENT_STAGES, ROLES, Commitment, Steward
from desktop.tabular.headers import FIELD_LABELS, HOUSEHOLD_FIELD_LABELS

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
    #: A row's day, by which an export keeps a period (--from/--to); None: the table has none.
    day: Callable[[Any], dt.date] | None = None


TABLES: dict[str, ExportTable] = {}


def register(table: ExportTable) -> ExportTable:
    TABLES[table.name] = table
    return table


def _label(choices: dict[str, str]) -> Callable[[str | None], str]:
    return lambda code: _(choices[code]) if code in choices else (code or "")


def _field(
    field: str, kind: Kind = "text", choices: dict[str, str] | None = None, width: int = 0
) -> ExportColumn:
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
    rows=lambda session, branch_id: members.list_members(session, branch_id),
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
    rows=lambda session, branch_id: groups.list_party_groups(session, branch_id),
))  # fmt: skip


def _household_column(
    field: str, value: Callable[[Any], Any], kind: Kind = "text", width: int = 0
) -> ExportColumn:
    return ExportColumn(HOUSEHOLD_FIELD_LABELS[field], value, kind, width)


register(ExportTable(
    name="households",
    title=N_("Households"),
    columns=(
        _household_column("head_name", lambda h: h.head_name, width=10),
        _household_column("address", lambda h: h.address, width=24),
        _household_column("phone", lambda h: h.phone, width=15),
        _household_column("party_group_id", lambda h: h.party_group_name),
        _household_column("villager_group_id", lambda h: h.villager_group_name),
        _household_column("elderly_alone", lambda h: h.elderly_alone, "bool"),
        _household_column("low_income", lambda h: h.low_income, "bool"),
        _household_column("needs_visits", lambda h: h.needs_visits, "bool"),
        _household_column("notes", lambda h: h.notes, width=30),
    ),
    rows=households.list_households,
))  # fmt: skip


# ----------------------------------------------------------------------------- stewards


#: One line of the rosters table: a duty of a stored roster, with its roster.
_DutyLine = tuple[RosterRow, DutyRow]


def _duty_lines(session: Session, branch_id: uuid.UUID) -> list[_DutyLine]:
    """Every duty of every roster, in the order of the rosters page (newest period first)."""
    return [
        (roster, duty)
        for roster in rosters.list_rosters(session, branch_id)
        for duty in rosters.roster_detail(session, roster.id).duties
    ]


def _period(line: _DutyLine) -> str:
    return f"{line[0].starts_on.isoformat()} – {line[0].ends_on.isoformat()}"


def _hours(line: _DutyLine) -> float | None:
    minutes = line[1].signed_minutes
    return None if minutes is None else round(minutes / 60, 2)


def _weekday(day: dt.date) -> str:
    from babel.dates import format_date

    return format_date(day, "EEEE", locale=babel_locale())


register(ExportTable(
    name="rosters",
    title=N_("Duty roster"),
    columns=(
        ExportColumn(N_("Team"), lambda d: d[0].team_name, width=16),
        ExportColumn(N_("Period"), _period, width=24),
        ExportColumn(N_("Date"), lambda d: d[1].day, "date", 12),
        ExportColumn(N_("Weekday"), lambda d: _weekday(d[1].day), width=8),
        ExportColumn(N_("Slot"), lambda d: d[1].slot, width=8),
        ExportColumn(N_("Person"), lambda d: d[1].person_name, width=10),
        ExportColumn(N_("Phone"), lambda d: d[1].phone, width=15),
        ExportColumn(N_("Hours"), _hours, "number", 6),
    ),
    rows=_duty_lines,
    day=lambda d: d[1].day,
))  # fmt: skip


@dataclasses.dataclass(frozen=True)
class _ServiceLine:
    record: ServiceRecordRow
    commitment: str


def _commitment_titles(session: Session, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Each commitment a service fulfils, as "name, year: pledge"."""
    stmt = (
        select(Commitment.id, Member.name, Commitment.year, Commitment.content)
        .join(Steward, Steward.id == Commitment.steward_id)
        .join(Member, Member.id == Steward.member_id)
        .where(Commitment.id.in_(ids))
    )
    return {
        cid: _("{name}, {year}: {content}").format(name=name, year=year, content=content)
        for cid, name, year, content in session.execute(stmt)
    }


def _service_lines(session: Session, branch_id: uuid.UUID) -> list[_ServiceLine]:
    """The whole service log, newest first, as the service log page lists it."""
    records = service_records.list_services(session, branch_id)
    titles = _commitment_titles(
        session, {r.commitment_id for r in records if r.commitment_id is not None}
    )
    return [
        _ServiceLine(r, titles.get(r.commitment_id, "") if r.commitment_id else "") for r in records
    ]


register(ExportTable(
    name="service_log",
    title=N_("Service log"),
    columns=(
        ExportColumn(N_("Date"), lambda s: s.record.served_on, "date", 12),
        ExportColumn(N_("People"), lambda s: "、".join(s.record.people), width=16),
        ExportColumn(N_("Households"), lambda s: "、".join(s.record.households), width=16),
        ExportColumn(N_("Kind"), lambda s: s.record.kind_label, width=10),
        ExportColumn(N_("Hours"), lambda s: s.record.hours, "number", 6),
        ExportColumn(N_("Party group"), lambda s: s.record.party_group_name, width=10),
        ExportColumn(N_("Notes"), lambda s: s.record.notes, width=24),
        ExportColumn(N_("Commitment"), lambda s: s.commitment, width=30),
    ),
    rows=_service_lines,
    day=lambda s: s.record.served_on,
))  # fmt: skip


def _commitment_stage(s: StewardRow) -> str:
    return _(COMMITMENT_STAGES[s.commitment.stage]) if s.commitment else ""


# The current stewards with this year's commitment; no ID number (the board's public data).
register(ExportTable(
    name="stewards",
    title=N_("Stewards"),
    columns=(
        ExportColumn(N_("Name"), lambda s: s.name, width=10),
        ExportColumn(N_("Post"), lambda s: _(ROLES.get(s.role, s.role)), width=10),
        ExportColumn(N_("Party group"), lambda s: s.party_group_name, width=10),
        ExportColumn(N_("Area"), lambda s: s.area, width=16),
        ExportColumn(N_("Since"), lambda s: s.started_on, "date", 12),
        ExportColumn(N_("Commitment"), lambda s: s.commitment.content if s.commitment else "",
                     width=40),
        ExportColumn(N_("Stage"), _commitment_stage, width=8),
    ),
    rows=lambda session, branch_id: appointments.list_stewards(session, branch_id),
))  # fmt: skip


# ----------------------------------------------------------------------------- writing


class ExportFailed(UserError):
    pass


def export_format(path: Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ExportFailed(
            _("Cannot export to {name}: the file name must end in .xlsx or .csv.").format(
                name=Path(path).name
            )
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
    if isinstance(value, float):
        return f"{value:g}"  # 3 hours, not 3.0, as the pages show them
    return str(value)


def check_period(table: ExportTable, date_from: dt.date | None, date_to: dt.date | None) -> None:
    if (date_from or date_to) and table.day is None:
        raise ExportFailed(
            _("The table {name} has no dates to choose a period by.").format(name=table.name)
        )
    if date_from and date_to and date_to < date_from:
        raise ExportFailed(
            _("The period ends on {last}, before it starts on {first}.").format(
                first=date_from.isoformat(), last=date_to.isoformat()
            )
        )


def table_rows(
    session: Session,
    branch_id: uuid.UUID,
    table: ExportTable,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[list[Any]]:
    """The table's cells, headers first: plain values, ready for either format.

    With `date_from`/`date_to` (either may be None), only the rows whose day is in the period.
    """
    check_period(table, date_from, date_to)
    rows: Iterable[Any] = table.rows(session, branch_id)
    if table.day is not None and (date_from or date_to):
        day = table.day
        rows = [
            r
            for r in rows
            if (date_from is None or day(r) >= date_from) and (date_to is None or day(r) <= date_to)
        ]
    header = [_(c.header) for c in table.columns]
    body = [[c.value(row) for c in table.columns] for row in rows]
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
            writer.writerow([_text(v, c.kind) for c, v in zip(table.columns, values, strict=True)])


def write_table(table: ExportTable, rows: list[list[Any]], path: Path) -> None:
    """Write to a temporary file beside `path`, then replace it: a failure leaves no half file."""
    path = Path(path)
    fmt = export_format(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=".export-", suffix=fmt, dir=path.parent)
    except OSError as error:
        raise ExportFailed(
            _("Cannot write to the folder {path}: {reason}").format(
                path=path.parent, reason=error.strerror
            )
        ) from error
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        (_write_xlsx if fmt == ".xlsx" else _write_csv)(table, rows, tmp)
        os.replace(tmp, path)
    except PermissionError as error:
        raise ExportFailed(
            _(
                "Cannot write {name}: it is open in another program (close it in Excel or WPS) "
                "or the folder is read-only."
            ).format(name=path.name)
        ) from error
    except OSError as error:
        raise ExportFailed(
            _("Cannot write {name}: {reason}").format(name=path.name, reason=error.strerror)
        ) from error
    finally:
        tmp.unlink(missing_ok=True)


def table(name: str) -> ExportTable:
    try:
        return TABLES[name]
    except KeyError:
        raise ExportFailed(
            _("There is no table named {name}. Tables: {names}.").format(
                name=name, names=", ".join(TABLES)
            )
        ) from None
