# SPDX-License-Identifier: GPL-3.0-or-later
"""Finding the header under titles, over merged cells, whatever the clerk called the columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.tabular.headers import (
    column_letter,
    detect_header,
    field_for_header,
    normalize_header,
)
from desktop.tabular.readers import Sheet, read_workbook
from tests.tabular import rosters


@pytest.mark.parametrize(("header", "field"), [
    ("姓名", "name"), ("名字", "name"), ("姓  名", "name"), ("姓\u3000名", "name"),
    ("身份证号", "id_number"), ("公民身份号码", "id_number"), ("身份证号码", "id_number"),
    ("公民身份号码（18位）", "id_number"), ("ＩＤ number", "id_number"),
    ("出生日期", "birth_date"), ("出生年月", "birth_date"),
    ("入党时间", "joined_on"), ("入党日期", "joined_on"), ("入党时间\n(年月)", "joined_on"),
    ("转正时间", "confirmed_on"), ("学历", "education"), ("文化程度", "education"),
    ("党小组", "party_group_id"), ("所在党小组", "party_group_id"),
    ("联系电话", "phone"), ("手机号码", "phone"), ("电话", "phone"), ("党员类别*", "status"),
    ("序号", None), ("合计", None),
])  # fmt: skip
def test_header_synonyms(header, field):
    assert field_for_header(header) == field


def test_normalize_header_drops_noise():
    assert normalize_header(" 公民身份号码\n（必填） ") == "公民身份号码"
    assert normalize_header("（必填）") == "(必填)"  # brackets alone are kept as the text


def test_header_below_a_title_and_over_two_merged_rows(tmp_path: Path):
    book = read_workbook(rosters.messy_xlsx(tmp_path / "roster.xlsx"))
    layout = detect_header(book.sheets[0])
    assert layout is not None
    assert layout.header_row == 3  # 0-based: the title, the date line, then two header rows
    mapping = layout.mapping()
    assert mapping[1] == "name" and mapping[3] == "id_number"
    # 入党时间 and 转正时间 are under a merged 党内时间; 姓名 is merged down over both rows.
    assert mapping[6] == "joined_on" and mapping[7] == "confirmed_on"
    assert 0 not in mapping  # 序号
    assert detect_header(book.sheets[2]) is None  # the statistics sheet


def test_a_field_is_taken_by_one_column_only():
    sheet = Sheet("s", [["姓名", "电话", "手机号码", "身份证号"], ["张三", "1", "2", "3"]])
    layout = detect_header(sheet)
    assert layout is not None
    assert layout.mapping() == {0: "name", 1: "phone", 3: "id_number"}
    edited = layout.with_mapping({1: None, 2: "phone"})
    assert edited.mapping() == {0: "name", 2: "phone", 3: "id_number"}


def test_no_header_in_a_sheet_of_numbers():
    assert detect_header(Sheet("s", [["合计", 5], [1, 2]])) is None


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701)] == ["A", "Z", "AA", "AB", "ZZ"]
