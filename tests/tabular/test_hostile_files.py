# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile and huge files are bounded (issue 15): refused before parsing, or cut at the row cap
with the clerk told what was not read; memory stays small while doing so."""

from __future__ import annotations

import datetime as dt
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from desktop.cli.main import main
from desktop.i18n import _
from desktop.tabular import readers
from desktop.tabular.member_import import MSG_CUT, MSG_FORMULA, Action, field_problem
from desktop.tabular.readers import UnreadableFile, read_workbook
from desktop.tabular.service import TabularService
from tests.tabular.rosters import id_number, write_table

HEADER = ["姓名", "身份证号", "入党时间", "转正时间"]


@pytest.fixture
def service(db, branch):  # type: ignore[no-untyped-def]
    return TabularService(db, branch.id, actor="clerk")


def rows(n: int) -> list[list[object]]:
    people = []
    for i in range(n):
        birth = dt.date(1960, 1, 1) + dt.timedelta(i)
        people.append([f"党员{'甲乙丙丁戊己庚辛壬癸'[i % 10]}", id_number(birth, i % 1000),
                       "1990-07-01", "1991-07-01"])  # fmt: skip
    return [HEADER, *people]


def replace_part(path: Path, name: str, chunks) -> Path:  # type: ignore[no-untyped-def]
    """The .xlsx at `path` with its part `name` replaced by the streamed `chunks`."""
    out = path.with_name("hostile.xlsx")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename == name:
                with dst.open(name, "w", force_zip64=True) as part:
                    for chunk in chunks:
                        part.write(chunk)
            else:
                dst.writestr(info, src.read(info.filename))
    return out


def test_an_xlsx_that_unpacks_to_a_huge_cell_is_refused_before_parsing(tmp_path):
    small = write_table(tmp_path / "roster.xlsx", [HEADER, ["张三", "x"]])
    chunk = b"a" * (1 << 20)
    hostile = replace_part(
        small,
        "xl/worksheets/sheet1.xml",
        [
            b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
            *(chunk for _ in range((readers.MAX_PART_BYTES >> 20) + 1)),
            b"</t></is></c></row></sheetData></worksheet>",
        ],
    )
    assert hostile.stat().st_size < 1 << 20, "a small file"
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(UnreadableFile) as error:
            read_workbook(hostile)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "hostile.xlsx" in str(error.value)
    assert peak < 8 << 20, f"{peak} bytes"
    assert time.perf_counter() - start < 5


def sheet_xml(n: int) -> list[bytes]:
    rows = (
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x{r}</t></is></c></row>'.encode()
        for r in range(1, n + 1)
    )
    return [
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
        *rows,
        b'</sheetData><mergeCells count="1"><mergeCell ref="A1:A3"/></mergeCells></worksheet>',
    ]


def test_a_sheet_of_many_rows_is_read_to_the_cap_only_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 1000)
    small = write_table(tmp_path / "roster.xlsx", [["x"]])
    hostile = replace_part(small, "xl/worksheets/sheet1.xml", sheet_xml(300_000))
    tracemalloc.start()
    start = time.perf_counter()
    try:
        book = read_workbook(hostile)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - start
    (sheet,) = book.sheets
    assert len(sheet.rows) == 1000 and sheet.unread_rows is None and sheet.cut
    assert elapsed < 5, "neither the read nor the merge scan goes past the cap"
    assert peak < 32 << 20, f"{peak} bytes"


@pytest.mark.parametrize("fmt", ["csv", "xls"])
def test_rows_past_the_cap_are_counted_and_the_clerk_told(service, tmp_path, monkeypatch, fmt):
    from desktop.tabular.report import report_lines

    monkeypatch.setattr(readers, "MAX_ROWS", 30)
    path = write_table(tmp_path / f"花名册.{fmt}", rows(50))
    plan = service.preview(service.read(path))
    assert plan.cut
    expected = _(MSG_CUT)
    (sheet,) = plan.sheets
    assert sheet.cut == expected.format(rows="30", unread="21")
    assert any(sheet.cut in line for line in report_lines(plan))


def test_the_cli_exit_status_says_rows_were_not_read(tmp_path, monkeypatch, capsys, data_dir):
    from tests.tabular.test_cli_tabular import init

    init(data_dir)
    monkeypatch.setattr(readers, "MAX_ROWS", 30)
    path = write_table(tmp_path / "花名册.csv", rows(50))
    assert main(["import", "members", str(path), "--data-dir", str(data_dir)]) == 3
    out = capsys.readouterr().out
    assert "未读取、未导入的行：21 行" in out, out  # not a "21" in the file's path


def test_a_cell_longer_than_excel_allows_refuses_the_file(tmp_path):
    path = write_table(tmp_path / "花名册.csv", [HEADER, ["张三", "x" * 40_000]])
    with pytest.raises(UnreadableFile):
        read_workbook(path)


def test_a_formula_without_its_result_is_reported_as_a_formula(service, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append(HEADER)
    ws.append(["张三", '=CONCATENATE("3201","06")', "1990-07-01", "1991-07-01"])
    book.save(tmp_path / "花名册.xlsx")
    plan = service.preview(service.read(tmp_path / "花名册.xlsx"))
    (row,) = plan.rows
    assert row.action == Action.INVALID
    assert (
        field_problem("id_number", _(MSG_FORMULA).format(formula='=CONCATENATE("3201","06")'))
        in row.errors
    )
