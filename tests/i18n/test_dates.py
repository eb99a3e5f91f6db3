# SPDX-License-Identifier: GPL-3.0-or-later
"""One date style per language, and the dates a clerk types (issue 18: five styles side by side,
and "20060701" refused though "2005.7.1" was read)."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

from desktop import i18n
from desktop.models.register.service import MemberService

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2006, 7, 1)


@pytest.fixture
def language():
    before = i18n.language()
    yield i18n.set_language
    i18n.set_language(before)


@pytest.mark.parametrize(
    ("lang", "written"),
    [("zh_CN", "2006年7月1日"), ("zh_TW", "2006年7月1日"), ("en", "Jul 1, 2006")],
)
def test_a_date_is_written_one_way_per_language(language, lang, written):
    language(lang)
    assert i18n.format_date(DAY) == written
    assert i18n.format_date(dt.datetime(2006, 7, 1, 9, 5)) == written
    assert i18n.format_datetime(dt.datetime(2006, 7, 1, 9, 5)) == f"{written} 09:05"
    assert i18n.format_datetime(dt.datetime(2006, 7, 1, 9, 5, 7), seconds=True) == (
        f"{written} 09:05:07"
    )
    assert i18n.format_date(None) == i18n.format_datetime(None) == ""


@pytest.mark.parametrize(
    "typed",
    [
        "20060701",
        "2006.7.1",
        "2006-07-01",
        "2006/7/1",
        "2006年7月1日",
        "２００６０７０１",
        " 2006.07.01 ",
    ],
)
def test_the_member_dialog_reads_every_way_a_clerk_types_a_date(typed):
    assert MemberService.read_date(typed) == DAY


@pytest.mark.parametrize("typed", ["200607", "2006.7", "2006年7月"])
def test_a_year_and_month_mean_the_first_of_the_month(typed):
    assert MemberService.read_date(typed) == DAY


@pytest.mark.parametrize("typed", ["2006", "060701", "20061301", "2006.13.1", "seventh of July"])
def test_what_is_not_a_date_is_refused(typed):
    with pytest.raises(ValueError):
        MemberService.read_date(typed)


def test_no_page_or_printout_writes_a_date_its_own_way():
    """Dates shown to people go through i18n.format_date / format_datetime: no strftime pattern
    with a year in desktop/views, desktop/printing or desktop/models/documents."""
    offenders = []
    for folder in ("views", "printing", "models/documents"):
        for path in (ROOT / "desktop" / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                text = node.value if isinstance(node, ast.Constant) else None
                if isinstance(text, str) and ("%Y-%m-%d" in text or "%Y.%m" in text):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
                    spec = ast.unparse(node.format_spec)
                    if "%Y-%m-%d" in spec or "%Y.%m" in spec:
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_every_date_is_written_in_the_one_style():
    """format_date takes no style: a call that still names one ("short", "long") is a second
    style (and a TypeError when its page opens)."""
    offenders = []
    for path in (ROOT / "desktop").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            babels_own = any(k.arg == "locale" for k in node.keywords)  # weekday names
            if name == "format_date" and not babels_own and (len(node.args) > 1 or node.keywords):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
