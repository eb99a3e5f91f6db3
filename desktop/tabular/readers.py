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
import re
from pathlib import Path
from typing import Any

from desktop.errors import UserError
from desktop.i18n import _

log = logging.getLogger(__name__)

#: Rows read at most from one sheet: far more than a county has members, and it stops a sheet
#: formatted down to row 1 048 576 from eating the memory.
MAX_ROWS = 200_000
#: Columns read at most: a roster has about twenty; a sheet formatted to column XFD must not
#: multiply every row by 16 384.
MAX_COLUMNS = 256
#: Characters in one cell at most: what Excel and WPS themselves allow. A longer cell is not
#: a roster's: the file is refused.
MAX_CELL_CHARS = 32_767
#: Uncompressed bytes of one part of an .xlsx at most (a sheet of 200 000 full rows is about
#: 150 MB); the shared strings, which openpyxl keeps in memory whole, at most MAX_STRINGS_BYTES.
#: Checked from the zip's directory before anything is parsed, so a small file that unpacks
#: to gigabytes (one huge cell, a zip bomb) is refused at once.
MAX_PART_BYTES = 256 * 1024 * 1024
MAX_STRINGS_BYTES = 64 * 1024 * 1024
#: Bytes of any file at most (a CSV is decoded whole).
MAX_FILE_BYTES = 256 * 1024 * 1024
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")


class Formula(str):
    """A formula cell without a saved result: the file was written by a program that does not
    calculate (a web system, a script). Its text is the formula; the import reports it."""

    __slots__ = ()


@dataclasses.dataclass(frozen=True)
class Sheet:
    name: str
    rows: list[list[Any]]
    #: Rows after MAX_ROWS that were not read: their number, or None when it is not known
    #: (an .xlsx is not read past the cap); 0 when the whole sheet was read.
    unread_rows: int | None = 0

    @property
    def cut(self) -> bool:
        return self.unread_rows != 0

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


def _xlsx_scan(ws: Any) -> tuple[list[Merge], list[tuple[int, int, str]]]:
    """The merged ranges of a read-only sheet and its formula cells without a saved result
    (row, column, formula), streamed from its XML; at most MAX_ROWS rows are looked at.

    Read-only mode keeps memory flat for big files but does not expose merged cells, so they
    are read from the <mergeCells> element (openpyxl's `_get_source`, guarded: without it the
    sheet is read without filling merges).
    """
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

    try:
        source = ws._get_source()
    except (AttributeError, KeyError, OSError):
        return [], []
    merges: list[Merge] = []
    formulas: list[tuple[int, int, str]] = []
    rows = 0
    with source:
        for _event, element in iterparse(source, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell" and element.get("ref"):
                try:
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                except (ValueError, TypeError):
                    continue
                merges.append((min_row - 1, max_row - 1, min_col - 1, max_col - 1))
            elif tag == "c":
                children = {child.tag.rsplit("}", 1)[-1]: child for child in element}
                formula, value = children.get("f"), children.get("v")
                # No result: no <v>, or an empty one that is not an empty text result.
                unsaved = value is None or (not value.text and element.get("t") != "str")
                if formula is not None and unsaved and element.get("r"):
                    try:
                        r, c = coordinate_to_tuple(element.get("r"))
                    except (ValueError, TypeError):
                        continue
                    formulas.append((r - 1, c - 1, "=" + (formula.text or "")))
            elif tag == "row":
                element.clear()  # the cells are read elsewhere; keep memory flat
                rows += 1
                if rows > MAX_ROWS:
                    break
    return merges, formulas


#: An element of a sheet's XML that `_xlsx_scan` looks for: a formula, a merged range.
_SCANNED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:f|mergeCell)[\s/>]")


def _may_merge_or_calculate(ws: Any) -> bool:
    """Whether the sheet's XML has a formula or a merged range at all (a byte search, much
    quicker than `_xlsx_scan`'s parse, which most files, the app's own exports among them,
    do not need). True when the XML cannot be read here: the scan then decides."""
    try:
        source = ws._get_source()
    except (AttributeError, KeyError, OSError):
        return True
    tail = b""
    with source:
        while chunk := source.read(1 << 20):
            if _SCANNED.search(tail + chunk):
                return True
            tail = chunk[-64:]  # an element cut between two chunks
    return False


def _bound_dimension_scan() -> None:
    """Make openpyxl's read-only sheets look for <dimension> only before the rows.

    openpyxl (3.1) looks for the element with end events, so a sheet without one (generated
    files) is parsed whole when it is opened, before a single row is read: 3 million rows in a
    1 MB file took minutes. The element comes before <sheetData> in every valid sheet, so the
    search stops there; we reset the dimensions after opening anyway.
    """
    try:
        from openpyxl.utils.cell import range_boundaries
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    except ImportError:  # pragma: no cover - another openpyxl layout: its own scan stays
        return
    if getattr(ReadOnlyWorksheet, "_red_steward_bounded", False):
        return

    def _get_size(self: Any) -> None:
        from xml.etree.ElementTree import iterparse

        with self._get_source() as source:
            for _event, element in iterparse(source, events=("start",)):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "dimension" and element.get("ref"):
                    try:
                        bounds = range_boundaries(element.get("ref"))
                    except (ValueError, TypeError):
                        return
                    self._min_column, self._min_row, self._max_column, self._max_row = bounds
                    return
                if tag == "sheetData":
                    return

    ReadOnlyWorksheet._get_size = _get_size
    ReadOnlyWorksheet._red_steward_bounded = True


def _mark_formulas(rows: list[list[Any]], formulas: list[tuple[int, int, str]]) -> None:
    for r, c, text in formulas:
        if r < len(rows) and c < MAX_COLUMNS:
            cells = rows[r]
            if len(cells) <= c:
                cells.extend([None] * (c + 1 - len(cells)))
            if cells[c] is None:
                cells[c] = Formula(text)


def _refuse(path: Path) -> UnreadableFile:
    return UnreadableFile(
        _(
            "{name} is far larger inside than a roster: it was not read. Open it in Excel or "
            "WPS, keep only the roster, and save it again as .xlsx."
        ).format(name=path.name)
    )


def _check_parts(path: Path, archive: Any) -> None:
    """Refuse an .xlsx whose parts unpack to more than a roster can hold, before parsing."""
    with archive:
        for info in archive.infolist():
            limit = (
                MAX_STRINGS_BYTES if "sharedstrings" in info.filename.lower() else MAX_PART_BYTES
            )
            if info.file_size > limit:
                log.info("refusing %s: %s unpacks to %d bytes", path, info.filename, info.file_size)
                raise _refuse(path)


def _check_cells(path: Path, sheet: str, rows: list[list[Any]]) -> None:
    for n, row in enumerate(rows):
        for value in row:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise UnreadableFile(
                    _(
                        "Row {row} of sheet {sheet} of {name} has a cell of more than 32,767 "
                        "characters, more than Excel allows: the file was not read."
                    ).format(row=n + 1, sheet=sheet, name=path.name)
                )


def read_workbook(path: Path) -> Workbook:
    """Every sheet of the file at `path`; a `UserError` that says why when it cannot be read."""
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UnreadableFile(_("The file {path} does not exist.").format(path=path))
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _refuse(path)
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

    _bound_dimension_scan()
    try:
        _check_parts(path, zipfile.ZipFile(io.BytesIO(data)))
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
            unread: int | None = 0
            for n, row in enumerate(ws.iter_rows(values_only=True, max_col=MAX_COLUMNS)):
                if n >= MAX_ROWS:
                    unread = None  # not read on: counting would parse the rest of the sheet
                    break
                # Every row comes padded to MAX_COLUMNS: the padding goes before the values
                # are looked at (a roster has 20 columns, not 256).
                cells = list(row)
                while cells and (cells[-1] is None or cells[-1] == ""):
                    cells.pop()
                rows.append([_xlsx_value(v) for v in cells])
            _check_cells(path, ws.title, rows)
            if unread == 0 and _may_merge_or_calculate(ws):
                # The merged ranges and the formulas without a result are in the XML only;
                # the scan stops at the row cap like the read (merges follow the rows, so a
                # sheet cut at the cap is read without them).
                merges, formulas = _xlsx_scan(ws)
                fill_vertical_merges(rows, merges)
                _mark_formulas(rows, formulas)
            sheets.append(Sheet(ws.title, _trim(rows), unread))
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
            columns = min(ws.ncols, MAX_COLUMNS)
            for r in range(min(ws.nrows, MAX_ROWS)):
                rows.append([_xls_value(ws.cell(r, c), book.datemode) for c in range(columns)])
            _check_cells(path, ws.name, rows)
            fill_vertical_merges(
                rows, [(rlo, rhi - 1, clo, chi - 1) for rlo, rhi, clo, chi in ws.merged_cells]
            )
            sheets.append(Sheet(ws.name, _trim(rows), max(ws.nrows - MAX_ROWS, 0)))
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
    limit = csv.field_size_limit(MAX_CELL_CHARS)
    unread = 0
    try:
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        rows = [row[:MAX_COLUMNS] for _n, row in zip(range(MAX_ROWS), reader, strict=False)]
        for row in reader:  # counted, not kept: the clerk is told how many were not read
            unread += any(cell.strip() for cell in row[:MAX_COLUMNS])
    except csv.Error as error:
        if "field larger" in str(error):
            raise UnreadableFile(
                _(
                    "Row {row} of sheet {sheet} of {name} has a cell of more than 32,767 "
                    "characters, more than Excel allows: the file was not read."
                ).format(row=reader.line_num, sheet=path.stem, name=path.name)
            ) from error
        raise UnreadableFile(
            _("{name} is not a well-formed CSV file: {reason}").format(name=path.name, reason=error)
        ) from error
    finally:
        csv.field_size_limit(limit)
    cells: list[list[Any]] = [[c if c.strip() else None for c in row] for row in rows]
    _check_cells(path, path.stem, cells)
    return Workbook(path, [Sheet(path.stem, _trim(cells), unread)], encoding)
