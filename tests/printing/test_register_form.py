# SPDX-License-Identifier: GPL-3.0-or-later
"""The register in the official style: unit and date line, statistics, signature and seal lines,
内部资料 mark, members by group then name, ID numbers and dates never broken."""

from __future__ import annotations

import re

import pytest

from desktop.models.documents import sheets
from desktop.models.documents.sheets import name_order_key
from desktop.printing.register import render_member_register
from tests.printing.conftest import PRINTED_ON
from tests.printing.pdfcheck import A3, A4, assert_size, flat, page_count, text


@pytest.fixture
def register(demo_db, demo_branch):  # type: ignore[no-untyped-def]
    with demo_db.read() as session:
        return sheets.member_register(session, demo_branch.id, PRINTED_ON)


@pytest.mark.parametrize("paper,size", [("A4", (A4[1], A4[0])), ("A3", (A3[1], A3[0]))])
def test_the_register_is_a_form_an_office_accepts(tmp_path, register, paper, size):
    pdf = tmp_path / "register.pdf"
    with pdf.open("wb") as out:
        result = render_member_register(register, out, paper=paper)
    assert_size(pdf, size)
    pages = page_count(pdf)
    assert result.pages == pages
    first = flat(text(pdf, 1))
    assert "红旗村党支部党员花名册" in first
    assert f"{register.county}{register.town}" in first and "2026年11月23日" in first
    for page in range(1, pages + 1):
        page_text = flat(text(pdf, page))
        assert "内部资料" in page_text and "注意保密" in page_text
    last = flat(text(pdf, pages))
    for label in ("填表人：", "审核人：", "党支部书记（签字）：", "党组织（盖章）", "填报日期："):
        assert label in last
    # The statistics line, against the data.
    rows = register.rows
    full = sum(1 for r in rows if r.status == "正式党员")
    male = sum(1 for r in rows if r.gender == "男")
    floating = sum(1 for r in rows if "流动党员" in r.notes)
    assert (register.full, register.probationary) == (full, len(rows) - full)
    assert (register.male, register.female) == (male, len(rows) - male)
    assert register.floating == floating > 0
    assert (
        f"共{len(rows)}名党员，其中正式党员{full}名，预备党员{len(rows) - full}名；"
        f"男{male}名，女{len(rows) - male}名；流动党员{register.floating}名" in flat(text(pdf))
    )
    # ID numbers and dates are never split across lines (the layout text keeps lines whole).
    layout = text(pdf, layout=True)
    for row in rows:
        assert row.id_number in layout, row.name
        assert re.search(rf"(?<!\d){re.escape(row.birth_date)}(?!\d)", layout), row.name


def test_members_are_ordered_by_group_then_name(register):
    groups: list[str] = []
    for row in register.rows:
        if not groups or groups[-1] != row.party_group:
            assert row.party_group not in groups
            groups.append(row.party_group)
    for group in groups:
        names = [r.name for r in register.rows if r.party_group == group]
        assert names == sorted(names, key=name_order_key)
    # Pinyin order, surnames read as surnames (曾 zeng after 李, 单 shan), as on the screens.
    assert sorted(["张三", "曾红", "安娜", "李四", "单雄", "陈丽"], key=name_order_key) == [
        "安娜",
        "陈丽",
        "李四",
        "单雄",
        "曾红",
        "张三",
    ]


def test_names_are_ordered_by_their_stored_pinyin_key(demo_db, demo_branch):
    """The register sorts by the key stored with each name (Member.name_pinyin), not by
    deriving pinyin again: a member whose stored key sorts first is listed first in the group."""
    from sqlalchemy import update

    from desktop.models.register.member import Member

    with demo_db.read() as session:
        before = sheets.member_register(session, demo_branch.id, PRINTED_ON)
    group = before.rows[0].party_group
    last = [r for r in before.rows if r.party_group == group][-1]
    with demo_db.unit_of_work("test") as session:
        session.execute(
            update(Member)
            .where(Member.branch_id == demo_branch.id, Member.id_number == last.id_number)
            .values(name_pinyin="a")
        )
    with demo_db.read() as session:
        after = sheets.member_register(session, demo_branch.id, PRINTED_ON)
    assert next(r.name for r in after.rows if r.party_group == group) == last.name


def test_a_status_that_must_wrap_breaks_evenly_on_a4(tmp_path, register):
    """Fifteen columns on A4 leave the member status two characters: 正式/党员, never 正式党/员
    (a short Chinese column that cannot hold its usual value is narrowed to break it evenly)."""
    pdf = tmp_path / "register.pdf"
    with pdf.open("wb") as out:
        render_member_register(register, out, paper="A4")
    layout = text(pdf, layout=True)
    assert "正式" in layout
    assert not re.search(r"(正式|预备)党(?!员)", layout)
