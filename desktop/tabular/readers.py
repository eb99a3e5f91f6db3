# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a spreadsheet file into plain rows of cell values: .xlsx, legacy .xls and .csv.

Every reader gives the same shape: a `Workbook` of `Sheet`s whose rows are lists of Python values
(str, int, float, bool, datetime or None), so the header detection and the importer never see
which program made the file. Merged cells keep their value in the top-left cell only, as the
file stores them; `headers.py` copes with that.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import logging
from pathlib import Path
from typing import Any

from desktop.errors import UserError
from desktop.i18n import _

log = logging.getLogger(__name__)

#: Rows read at most from one sheet: far more than a county has members, and it stops a sheet
#: formatted down to row 1 048 576 from eating the memory.
MAX_ROWS = 200_000
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")


@dataclasses.dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Any]]

    def cell(self, row: int, column: int) -> Any:
        cells = self.rows[row] if row < len(self.rows) else []
        return cells[column] if column < len(cells) else None


@dataclasses.dataclass(frozen=True)
class Workbook:
    path: Path
    sheets: list[Sheet]
    #: How a text file was decoded ("utf-8", "utf-8-sig", "gb18030"); empty for spreadsheets.
    encoding: str = ""


class UnreadableFile(UserError):
    pass


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    """Rows without trailing empty cells, and without the empty rows at the end."""
    out = []
    for row in rows:
        cells = list(row)
        while cells and (cells[-1] is None or cells[-1] == ""):
            cells.pop()
        out.append(cells)
    while out and not out[-1]:
        out.pop()
    return out


#: A merged range as 0-based, inclusive (first row, last row, first column, last column).
Merge = tuple[int, int, int, int]


def fill_vertical_merges(rows: list[list[Any]], merges: list[Merge]) -> None:
    """Copy each vertically merged cell's value down its range.

    Clerks merge 第一党小组 down over the group's rows; the file keeps the text in the top cell
    only, and every other member of the group would come in without a group. Ranges that also
    span columns are filled down their first column only: a value never moves sideways into
    another field's column.
    """
    for first_row, last_row, first_col, _last_col in merges:
        if last_row <= first_row or first_row >= len(rows):
            continue
        top = rows[first_row]
        value = top[first_col] if first_col < len(top) else None
        if value is None:
            continue
        for r in range(first_row + 1, min(last_row, len(rows) - 1) + 1):
            cells = rows[r]
            if len(cells) <= first_col:
                cells.extend([None] * (first_col + 1 - len(cells)))
            if cells[first_col] is None or cells[first_col] == "":
                cells[first_col] = value


def _xlsx_merges(ws: Any) -> list[Merge]:
    """The merged ranges of a read-only sheet, streamed from its XML.

    Read-only mode keeps memory flat for big files but does not expose merged cells, so they
    are read from the <mergeCells> element (openpyxl's `_get_source`, guarded: without it the
    sheet is read without filling merges).
    """
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    try:
        source = ws._get_source()
    except (AttributeError, KeyError, OSError):
        return []
    merges: list[Merge] = []
    with source:
        for _event, element in iterparse(source, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell" and element.get("ref"):
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                except (ValueError, TypeError):
                    continue
                merges.append((min_row - 1, max_row - 1, min_col - 1, max_col - 1))
            elif tag == "row":
                element.clear()  # the cells are read elsewhere; keep memory flat
    return merges


def read_workbook(path: Path) -> Workbook:
    """Every sheet of the file at `path`; a `UserError` that says why when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UnreadableFile(_("The file {path} does not exist.").format(path=path))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(
            _("The file {path} cannot be read: {reason}").format(path=path, reason=error.strerror)
        ) from error
    # The content decides, not the name: WPS saves .xls files that are really .xlsx, and
    # web systems hand out "xls" files that are CSV.
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(path, data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return _read_xls(path, data)
    if suffix in (".xlsx", ".xlsm", ".xls") and (b"\x00" in data[:512] or not data):
        raise UnreadableFile(
            _(
                "{name} is not a spreadsheet that Red Steward can read. Open it in Excel or WPS "
                "and save it as .xlsx."
            ).format(name=path.name)
        )
    if suffix not in SUFFIXES and b"\x00" in data[:512]:
        raise UnreadableFile(
            _("{name} is not a spreadsheet: choose an .xlsx, .xls or .csv file.").format(
                name=path.name
            )
        )
    return _read_csv(path, data)


def _read_xlsx(path: Path, data: bytes) -> Workbook:
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        log.info("cannot open %s as xlsx: %s", path, error)
        raise UnreadableFile(
            _(
                "{name} is damaged or not an Excel file. Open it in Excel or WPS and save it "
                "again as .xlsx."
            ).format(name=path.name)
        ) from error
    sheets = []
    try:
        for ws in book.worksheets:
            if not hasattr(ws, "iter_rows"):  # a chart sheet
                continue
            # WPS and some generators write a wrong <dimension>; read what is really there.
            ws.reset_dimensions()
            rows = []
            for n, row in enumerate(ws.iter_rows(values_only=True)):
                if n >= MAX_ROWS:
                    break
                rows.append([_xlsx_value(v) for v in row])
            fill_vertical_merges(rows, _xlsx_merges(ws))
            sheets.append(Sheet(ws.title, _trim(rows)))
    finally:
        book.close()
    return Workbook(path, sheets)


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def _read_xls(path: Path, data: bytes) -> Workbook:
    import xlrd

    try:
        try:
            # formatting_info gives the merged ranges (and costs little on a roster).
            book = xlrd.open_workbook(file_contents=data, on_demand=True, formatting_info=True)
        except NotImplementedError:
            book = xlrd.open_workbook(file_contents=data, on_demand=True)
    except (
        xlrd.XLRDError,
        xlrd.compdoc.CompDocError,
        ValueError,
        IndexError,
        AssertionError,
    ) as error:
        log.info("cannot open %s as xls: %s", path, error)
        raise UnreadableFile(
            _(
                "{name} is damaged, protected by a password, or not an Excel file. Open it in "
                "Excel or WPS and save it again as .xlsx."
            ).format(name=path.name)
        ) from error
    sheets = []
    try:
        for index in range(book.nsheets):
            ws = book.sheet_by_index(index)
            rows = []
            for r in range(min(ws.nrows, MAX_ROWS)):
                rows.append([_xls_value(ws.cell(r, c), book.datemode) for c in range(ws.ncols)])
            fill_vertical_merges(
                rows, [(rlo, rhi - 1, clo, chi - 1) for rlo, rhi, clo, chi in ws.merged_cells]
            )
            sheets.append(Sheet(ws.name, _trim(rows)))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return Workbook(path, sheets)


def _xls_value(cell: Any, datemode: int) -> Any:
    import xlrd

    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_ERROR:
        return None
    return cell.value


#: Encodings tried in order. UTF-8 is strict, so a GBK file never passes for it by accident;
#: GB18030 is a superset of GBK and GB2312, which is what Excel and WPS write on a Chinese PC.
_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding that read it."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"  # Excel's "Unicode text"
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        name = (
            "utf-8-sig"
            if encoding == "utf-8-sig" and data.startswith(b"\xef\xbb\xbf")
            else ("utf-8" if encoding == "utf-8-sig" else encoding)
        )
        return text, name
    raise UnreadableFile(
        _(
            "The text file cannot be read as UTF-8 or GBK. Save it again from Excel or WPS "
            "as .xlsx, or as CSV UTF-8."
        )
    )


def _read_csv(path: Path, data: bytes) -> Workbook:
    text, encoding = decode_text(data)
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    try:
        rows = [
            list(row)
            for _n, row in zip(
                range(MAX_ROWS), csv.reader(io.StringIO(text, newline=""), dialect), strict=False
            )
        ]
    except csv.Error as error:
        raise UnreadableFile(
            _("{name} is not a well-formed CSV file: {reason}").format(name=path.name, reason=error)
        ) from error
    cells: list[list[Any]] = [[c if c.strip() else None for c in row] for row in rows]
    return Workbook(path, [Sheet(path.stem, _trim(cells))], encoding)
