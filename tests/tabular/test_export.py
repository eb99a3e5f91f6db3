# SPDX-License-Identifier: GPL-3.0-or-later
"""Exports that Excel and WPS open as they should, and that import back unchanged."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.errors import UserError
from desktop.i18n import _
from desktop.models.register import groups, members
from desktop.models.register.rows import MemberQuery
from desktop.models.store.changelog import Change
from desktop.tabular import export
from desktop.tabular.member_import import Action, NothingToImport
from desktop.tabular.service import TabularService


@pytest.fixture
def service(demo_db):  # type: ignore[no-untyped-def]
    with demo_db.read() as session:
        branch = groups.current_branch(session)
    return TabularService(demo_db, branch.id)


def change_count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Change)) or 0


def test_members_xlsx_is_formatted_for_excel(service, tmp_path: Path):
    from openpyxl import load_workbook

    path = tmp_path / "members.xlsx"
    assert service.export("members", path) == 60
    sheet = load_workbook(path).active
    assert sheet.title == _("Members")
    headers = [c.value for c in sheet[1]]
    assert headers[:3] == [_("Name"), _("Gender"), _("ID number")]
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    id_cell = sheet.cell(row=2, column=3)
    assert id_cell.data_type == "s" and len(id_cell.value) == 18, "ID numbers as text"
    assert id_cell.number_format == "@"
    assert sheet.cell(row=2, column=11).data_type == "s", "phones as text"
    joined = sheet.cell(row=2, column=8)
    assert isinstance(joined.value, dt.datetime) and joined.number_format == "yyyy-mm-dd"
    assert sheet.column_dimensions["C"].width >= 20
    assert sheet.column_dimensions["A"].width < sheet.column_dimensions["C"].width
    assert sheet.cell(row=2, column=2).value in ("男", "女"), "labels, not codes"
    assert sheet.max_row == 61


def test_csv_is_utf8_with_bom(service, tmp_path: Path):
    path = tmp_path / "members.csv"
    service.export("members", path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert rows[0][0] == "姓名" and len(rows) == 61
    assert all(len(r[2]) == 18 for r in rows[1:])


@pytest.mark.parametrize("table", ["groups", "households"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_groups_and_households(service, demo_db, tmp_path, table, suffix):
    path = tmp_path / f"{table}{suffix}"
    n = service.export(table, path)
    with demo_db.read() as session:
        rows = list(export.TABLES[table].rows(session, service.branch_id))
    assert n == len(rows) > 0
    if suffix == ".csv":
        lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
        assert len(lines) == n + 1
        assert lines[0] == [_(c.header) for c in export.TABLES[table].columns]
    else:
        from openpyxl import load_workbook

        assert load_workbook(path).active.max_row == n + 1


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_changes_nothing(service, demo_db, tmp_path, suffix):
    path = tmp_path / f"members{suffix}"
    service.export("members", path)
    before = change_count(demo_db)
    plan = service.preview(service.read(path))
    assert plan.counts() == {Action.UNCHANGED: 60}
    with pytest.raises(NothingToImport):
        service.commit(plan)
    assert change_count(demo_db) == before


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_round_trip_in_another_language(service, demo_db, tmp_path, language):
    from desktop import i18n

    i18n.set_language(language)
    path = tmp_path / "members.xlsx"
    service.export("members", path)
    i18n.set_language("zh_CN")
    plan = service.preview(service.read(path))
    assert plan.counts() == {Action.UNCHANGED: 60}


def test_an_edit_in_the_spreadsheet_comes_back_as_one_change(service, demo_db, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "members.xlsx"
    service.export("members", path)
    book = load_workbook(path)
    sheet = book.active
    id_number = sheet.cell(row=5, column=3).value
    sheet.cell(row=5, column=11).value = "13911112222"
    book.save(path)
    plan = service.preview(service.read(path))
    assert plan.counts() == {Action.UNCHANGED: 59, Action.UPDATE: 1}
    before = change_count(demo_db)
    assert service.commit(plan).updated == 1
    assert change_count(demo_db) == before + 1
    with demo_db.read() as session:
        row = members.find_by_id_number(session, service.branch_id, id_number)
        assert row.phone == "13911112222"
        assert len(members.list_members(session, service.branch_id, MemberQuery())) == 60


def test_the_registry_takes_new_tables(service, tmp_path):
    table = export.register(
        export.ExportTable(
            name="test_numbers",
            title="Numbers",
            columns=(export.ExportColumn("TestCounter", lambda n: n, "number"),),
            rows=lambda session, branch_id: [1, 2, 3],
        )
    )
    try:
        assert service.export("test_numbers", tmp_path / "n.csv") == 3
        assert (tmp_path / "n.csv").read_text(encoding="utf-8-sig").split() == [
            "TestCounter",
            "1",
            "2",
            "3",
        ]
    finally:
        export.TABLES.pop(table.name)


def test_bad_targets_say_why(service, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(UserError):
        service.export("members", out / "members.txt")
    with pytest.raises(UserError):
        service.export("nonsense", out / "x.xlsx")
    with pytest.raises(UserError):
        service.export("members", out / "no-such-folder" / "m.xlsx")
    assert not list(out.iterdir()), "no file, not even a temporary one, is left behind"


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_text_that_looks_like_a_formula_stays_text(db, branch, make_member, tmp_path, suffix):
    from desktop.tabular.readers import read_workbook

    make_member(notes="=1+1 见附件", address="+3号")
    service = TabularService(db, branch.id)
    path = tmp_path / f"m{suffix}"
    service.export("members", path)
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path).active
        notes = sheet.cell(row=2, column=20)
        assert (notes.value, notes.data_type) == ("=1+1 见附件", "s")
    plan = service.preview(read_workbook(path))
    assert plan.counts() == {Action.UNCHANGED: 1}
