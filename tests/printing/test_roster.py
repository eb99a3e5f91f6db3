# SPDX-License-Identifier: GPL-3.0-or-later
"""The duty roster sheet, built from constructed data (the roster model lives on its own branch)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import pytest

from desktop.errors import UserError
from desktop.models.documents.rows import RosterSheetData, RosterSheetDuty
from desktop.printing.roster import render_roster_sheet, roster_layout
from tests.printing.conftest import PRINTED_ON
from tests.printing.pdfcheck import A4, assert_fonts_embedded, assert_size, flat, page_count, text

NAMES = ("刘湘军", "曾红兵", "李海波", "王玉梅", "陈丽")


def roster(days: int = 14, slots: tuple[str, ...] = ("上午", "下午", "夜间")) -> RosterSheetData:
    start = dt.date(2026, 12, 1)
    duties = tuple(
        RosterSheetDuty(
            start + dt.timedelta(days=d), slot, (NAMES[(d + i) % 5],), phone="13900000000"
        )
        for d in range(days)
        for i, slot in enumerate(slots)
    )
    return RosterSheetData(
        branch_name="红旗村党支部",
        title="第一党小组服务队12月值班表",
        team="第一党小组服务队",
        steward="刘湘军",
        period_start=start,
        period_end=start + dt.timedelta(days=days - 1),
        slots=slots,
        duties=duties,
        printed_on=PRINTED_ON,
        phone="0731-84561234",
    )


def render(tmp_path, data, **options):  # type: ignore[no-untyped-def]
    path = tmp_path / "roster.pdf"
    with path.open("wb") as out:
        result = render_roster_sheet(data, out, **options)
    return path, result


def test_grid_roster_one_row_per_day_with_sign_in(tmp_path):
    data = roster()
    assert roster_layout(data) == "grid"
    pdf, result = render(tmp_path, data)
    assert result.pages == page_count(pdf) == 1
    assert_size(pdf, A4)
    assert_fonts_embedded(pdf)
    content = flat(text(pdf, layout=True))
    assert "第一党小组服务队12月值班表" in content
    # 上午 and 下午 have different people: each slot has its own sign-in column.
    assert "日期星期上午上午签到下午下午签到夜间夜间签到" in content
    assert "值班时间：2026年12月1日至2026年12月14日" in content
    assert "服务队：第一党小组服务队" in content and "小管家：刘湘军" in content
    assert "12月1日" in content and "星期二" in content  # 2026-12-01 is a Tuesday
    for name in NAMES:
        assert name in content


def test_list_roster_spans_pages_and_repeats_its_header(tmp_path):
    data = roster(days=30, slots=("早班", "中班", "晚班", "夜班", "巡逻"))
    assert roster_layout(data) == "list"
    pdf, result = render(tmp_path, data, landscape=True)
    assert_size(pdf, (A4[1], A4[0]))
    pages = page_count(pdf)
    assert result.pages == pages > 1
    for page in range(1, pages + 1):
        page_text = flat(text(pdf, page, layout=True))
        assert "日期星期时段值班人员联系电话签到备注" in page_text
        assert f"第{page}页共{pages}页" in page_text
    assert flat(text(pdf)).count("13900000000") == len(data.duties)


def test_empty_roster_is_a_clear_message():
    with pytest.raises(UserError, match="没有"):
        render_roster_sheet(dataclasses.replace(roster(), duties=()), io.BytesIO())
