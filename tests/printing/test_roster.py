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
from tests.printing.pdfcheck import (
    A3,
    A4,
    assert_fonts_embedded,
    assert_size,
    flat,
    page_count,
    text,
)

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


def _rows_per_page(pdf) -> list[int]:  # type: ignore[no-untyped-def]
    # Every body row names its weekday (星期二); the header says 星期 once.
    return [flat(text(pdf, page)).count("星期") - 1 for page in range(1, page_count(pdf) + 1)]


@pytest.mark.parametrize("days", range(20, 30))
def test_no_page_of_a_roster_holds_fewer_than_three_rows(tmp_path, days):
    # The list layout, one row per duty: somewhere in this range the rows of a page run out
    # one or two rows before the end, which used to leave them alone on a last page.
    data = roster(days=days, slots=("早班", "中班", "晚班", "夜班", "巡逻"))
    pdf, result = render(tmp_path, data, layout="list")
    rows = _rows_per_page(pdf)
    assert sum(rows) == len(data.duties)
    assert len(rows) == result.pages > 1
    assert min(rows) >= 3, rows


def _word_height(pdf, word: str) -> float:  # type: ignore[no-untyped-def]
    import re
    import subprocess

    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for y_min, y_max, found in re.findall(
        r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', out
    ):
        if found == word:
            return float(y_max) - float(y_min)
    raise AssertionError(f"{word} not on the first page")


def test_an_a3_roster_uses_its_size(tmp_path):
    data = roster()
    a4, _ = render(tmp_path, data)
    a4_height = _word_height(a4, "刘湘军")
    a3 = tmp_path / "a3.pdf"
    with a3.open("wb") as out:
        render_roster_sheet(data, out, paper="A3")
    assert_size(a3, A3)
    # Names, dates and the title are larger on A3 (A4 keeps its 10 pt), not the A4 sheet
    # with a wide margin.
    assert _word_height(a3, "刘湘军") >= 1.3 * a4_height
    assert _word_height(a3, "第一党小组服务队12月值班表") >= 1.3 * _word_height(
        a4, "第一党小组服务队12月值班表"
    )
    assert "刘湘军" in flat(text(a3))


ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@pytest.mark.parametrize(
    "slots,landscape",
    [
        (("上午", "下午", "夜间"), False),  # the grid, portrait
        (("上午", "下午", "夜间", "凌晨"), False),  # the grid at its narrowest
        (("早班", "中班", "晚班", "夜班", "巡逻"), False),  # the list
        (("早班", "中班", "晚班", "夜班", "巡逻"), True),
    ],
)
def test_an_english_roster_never_breaks_a_word(tmp_path, slots, landscape):
    """English lines break only at spaces: no "Wednesda" / "y" in a narrow weekday column."""
    from desktop import i18n

    previous = i18n.language()
    i18n.set_language("en")
    try:
        data = roster(days=14, slots=slots)
        pdf, _result = render(tmp_path, data, landscape=landscape)
        words = text(pdf).split()
        pages = page_count(pdf)
    finally:
        i18n.set_language(previous)
    days = [data.period_start + dt.timedelta(days=d) for d in range(14)]
    rows_per_day = 1 if roster_layout(data) == "grid" else len(slots)
    for number, weekday in enumerate(ENGLISH_WEEKDAYS):
        expected = sum(1 for day in days if day.weekday() == number) * rows_per_day
        assert words.count(weekday) == expected, weekday
    for header in ("Date", "Weekday"):  # the header row, repeated on every page
        assert words.count(header) == pages, header
    # Nothing but whole words: every Latin word is one the sheet writes.
    sheet_words = {w for w in words if w.isalpha() and w.isascii()}
    assert not {w for w in sheet_words if any(w != d and d.startswith(w) for d in ENGLISH_WEEKDAYS)}
    assert not {w for w in sheet_words if any(w != d and d.endswith(w) for d in ENGLISH_WEEKDAYS)}
