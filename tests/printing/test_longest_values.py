# SPDX-License-Identifier: GPL-3.0-or-later
"""Data and paper agree: the longest values the data core accepts print, whole, on every sheet
and paper (the templates wrap and continue; nothing is refused or cut)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from desktop.models.documents.rows import (
    COMMITMENT_MAX_LENGTH,
    MemberRegisterData,
    RegisterRow,
    RosterSheetData,
    RosterSheetDuty,
)
from desktop.models.register.validation import NAME_MAX_LENGTH
from desktop.printing.board import render_commitment_board
from desktop.printing.register import render_member_register
from desktop.printing.roster import render_roster_sheet
from tests.printing.conftest import PRINTED_ON, commitment_of, make_board
from tests.printing.pdfcheck import flat, page_count, text

#: The limits of the data core: a name (validation.NAME_MAX_LENGTH), a steward's area
#: (appointments.set_details: 100), a commitment (COMMITMENT_MAX_LENGTH), the stored lengths of
#: a member's address (200) and a phone (30), a team's name (100); notes are unbounded text:
#: 1,500 characters stand for a long one.
AREA_MAX, ADDRESS_MAX, PHONE_MAX, TEAM_MAX, LONG_NOTE = 100, 200, 30, 100, 1500


def longest(sample: str, length: int) -> str:
    return (sample * (length // len(sample) + 1))[:length]


NAME = longest("欧阳明德", NAME_MAX_LENGTH)
PAPERS = [("A3", True), ("A3", False), ("A4", False), ("A4", True)]


def page_bodies(pdf, furniture: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """Each page's flat text without its furniture (and without `furniture`, a pattern)."""
    pages = []
    for number in range(1, page_count(pdf) + 1):
        page = flat(text(pdf, number))
        page = re.sub(
            r"第\d+页共\d+页|内部资料|注意保密|红旗村党支部·打印于2026年11月23日", "", page
        )
        pages.append(re.sub(furniture, "", page) if furniture else page)
    return pages


def body_text(pdf) -> str:  # type: ignore[no-untyped-def]
    """The flat text without each page's furniture, so a value continued over pages reads whole."""
    return "".join(page_bodies(pdf))


def all_printed(pdf, values: list[str], mark: str) -> None:  # type: ignore[no-untyped-def]
    """Every character `mark` of `values` is on the paper: a value wrapped in a table cell is
    interleaved with its neighbours in the PDF's text, so it is counted, not found whole; a
    value cut short ("…") or refused would print fewer."""
    expected = sum(value.count(mark) for value in values)
    assert expected and flat(text(pdf)).count(mark) == expected, (mark, expected)


@pytest.mark.parametrize("paper,landscape", PAPERS)
def test_the_longest_values_print_whole_on_the_board(tmp_path, paper, landscape):
    data = make_board(5, COMMITMENT_MAX_LENGTH)
    stewards = tuple(
        dataclasses.replace(
            s,
            name=NAME[: NAME_MAX_LENGTH - 1] + "一二三四五"[i],
            area=longest("第一村民小组上屋组", AREA_MAX),
            phone="1" * PHONE_MAX,
        )
        for i, s in enumerate(data.stewards)
    )
    data = dataclasses.replace(data, stewards=stewards)
    pdf = tmp_path / "board.pdf"
    with pdf.open("wb") as out:
        render_commitment_board(data, out, paper=paper, landscape=landscape)
    shown = flat(text(pdf))
    for steward in stewards:
        assert steward.name in shown and steward.area in shown
        assert flat(steward.commitment) in shown


@pytest.mark.parametrize("paper", ["A4", "A3"])
def test_the_longest_values_print_whole_in_the_register(tmp_path, paper):
    notes = [commitment_of(LONG_NOTE, seed) for seed in range(3)] + ["流动党员"]
    rows = tuple(
        RegisterRow(
            NAME[: NAME_MAX_LENGTH - 1] + "一二三四"[i],
            "男",
            "汉族",
            "430121197108141390",
            "1971.08.14",
            "大学本科",
            "正式党员",
            "1995.07.01",
            "1996.07.01",
            longest("农业技术员", 30),
            longest("第一党小组", 100),
            "1" * PHONE_MAX,
            longest("红旗村上屋组", ADDRESS_MAX),
            note,
        )
        for i, note in enumerate(notes)
    )
    data = MemberRegisterData("红旗村党支部", rows, PRINTED_ON)
    pdf = tmp_path / "register.pdf"
    with pdf.open("wb") as out:
        render_member_register(data, out, paper=paper)
    shown = body_text(pdf)
    # 欧 only in the names, 屋 in the addresses, 党小 in the group names (and the title).
    # (the names of the three with long notes again under 附注).
    all_printed(pdf, [r.name for r in rows] + [r.name for r in rows[:3]], "欧")
    all_printed(pdf, [r.address for r in rows], "屋")
    assert all(row.id_number in shown for row in rows)
    # A long note is begun in its cell and printed whole under 附注, naming the member.
    for number, row in enumerate(rows[:3], start=1):
        assert f"{number}.{row.name}：{flat(row.notes)}" in shown
        assert f"（续见附注{number}）" in shown
    assert "流动党员" in shown
    # No page is only its furniture: the first page holds the first rows under the title.
    # (Not yet on A4: there one row of these values is nearly a page tall, too tall for the room
    # under the title, and a row is not split; the table starts on page 2.)
    if paper == "A3":
        bodies = page_bodies(pdf, r"红旗村党支部党员花名册|截至2026年11月23日")
        assert all(bodies), [n for n, body in enumerate(bodies, start=1) if not body]


@pytest.mark.parametrize("paper", ["A4", "A3"])
@pytest.mark.parametrize("layout", ["grid", "list"])
def test_the_longest_values_print_whole_on_a_roster(tmp_path, paper, layout):
    team = longest("第一党小组红色管家服务队", TEAM_MAX)
    start = dt.date(2026, 12, 1)
    people = [NAME[: NAME_MAX_LENGTH - 1] + "一二三"[i] for i in range(3)]
    duties = tuple(
        RosterSheetDuty(start + dt.timedelta(days=d), slot, (people[(d + i) % 3],), "1" * 30)
        for d in range(7)
        for i, slot in enumerate(("上午", "下午"))
    )
    data = RosterSheetData(
        branch_name="红旗村党支部",
        title=f"{team}值班表",
        team=team,
        steward=people[0],
        period_start=start,
        period_end=start + dt.timedelta(days=6),
        slots=("上午", "下午"),
        duties=duties,
        printed_on=PRINTED_ON,
        phone="1" * PHONE_MAX,
    )
    pdf = tmp_path / "roster.pdf"
    with pdf.open("wb") as out:
        render_roster_sheet(data, out, paper=paper, layout=layout)
    assert f"{team}值班表" in body_text(pdf)
    # Each duty's person, and the steward on the subtitle line.
    all_printed(pdf, [p for d in duties for p in d.people] + [people[0]], "欧")
