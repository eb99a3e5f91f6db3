# SPDX-License-Identifier: GPL-3.0-or-later
"""A board for a wall: readable from two metres, Chinese line breaking, only reviewed
commitments (or a marked draft), the 公示期, the supervision phones and the 落款."""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess

import pytest
from sqlalchemy import select

from desktop import i18n
from desktop.models.documents import sheets
from desktop.models.documents.rows import COMMITMENT_MAX_LENGTH
from desktop.models.register.member import Member
from desktop.models.stewards.steward import Commitment, Steward
from desktop.printing import board, styles
from tests.printing.conftest import DEMO_YEAR, PRINTED_ON, commitment_of, make_board
from tests.printing.pdfcheck import _tool, flat, page_count, text

#: Closing punctuation that must never start a printed line (禁则).
CLOSING = "，。；：？！、）」』》”"


def render(tmp_path, data, name="board.pdf", **options):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    with path.open("wb") as out:
        result = board.render_commitment_board(data, out, **options)
    return path, result


def planned(data, paper="A3", landscape=True):  # type: ignore[no-untyped-def]
    width, height = styles.page_size(paper, landscape)
    area_w = width - 2 * styles.MARGIN
    return board.plan(data.stewards, paper, area_w, height - 2 * styles.MARGIN - 80 * 2.83)


@pytest.mark.parametrize("length", [30, 80, COMMITMENT_MAX_LENGTH])
@pytest.mark.parametrize("paper,landscape", [("A3", True), ("A3", False), ("A4", False)])
def test_every_card_is_readable_from_two_metres(paper, landscape, length):
    data = make_board(16, length)
    _geometry, cards, counts = planned(data, paper, landscape)
    assert sum(counts) == 16
    for card in cards:
        assert card.name_size >= 24, card.steward.name
        assert card.commitment_size >= 14, card.steward.name
    if paper == "A4":
        assert max(counts) <= 2  # one or two cards: a door or a noticeboard


def test_each_card_sets_its_commitment_as_large_as_its_own_box_allows():
    short = make_board(4, 30)
    long_one = dataclasses.replace(short.stewards[1], commitment=commitment_of(150, 1))
    data = dataclasses.replace(short, stewards=(short.stewards[0], long_one, *short.stewards[2:]))
    _geometry, cards, _counts = planned(data)
    assert cards[0].commitment_size > cards[1].commitment_size >= 14


def printed_lines(pdf) -> list[str]:  # type: ignore[no-untyped-def]
    """Each line as drawn (`pdftotext -raw` keeps the order and the breaks of the drawing)."""
    raw = subprocess.run(
        [_tool("pdftotext"), "-raw", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.strip() for line in raw.splitlines() if line.strip()]


@pytest.mark.parametrize("shift", [0, 3])
def test_no_printed_line_starts_with_closing_punctuation(tmp_path, shift):
    pledge = (
        "每月走访联系群众，重点关照独居老人；帮忙代购药品、代办医保缴费。邻里有矛盾，上门调解！"
    )
    stewards = [
        dataclasses.replace(s, commitment=(pledge * 3)[shift + i : 60 + 7 * i])
        for i, s in enumerate(make_board(12).stewards)
    ]
    pdf, _result = render(tmp_path, make_board(12, stewards=tuple(stewards)))
    lines = printed_lines(pdf)
    assert len(lines) > 100
    starting = [line for line in lines if line[0] in CLOSING]
    assert starting == []


@pytest.mark.parametrize("language", ["zh_CN", "en"])
@pytest.mark.parametrize("paper,landscape", [("A3", True), ("A4", False)])
@pytest.mark.parametrize("mark", [*"、，。；）」", "。」", "）。"])
def test_closing_punctuation_at_every_break_still_ends_its_line(
    tmp_path, mark, paper, landscape, language
):
    """The mark at each place a line can break: after 1, 2, ... 30 characters, so that on cards
    of any width some line is full just before it. A Chinese pledge keeps 禁则 whatever the
    app's language (an English board still posts Chinese pledges and areas)."""
    i18n.set_language(language)
    filler = commitment_of(80, 5)
    base = make_board(12).stewards
    for first in (1, 13):
        stewards = [
            dataclasses.replace(
                s,
                area=f"{filler[: first + i]}{mark}{filler[: 20 - i]}",
                commitment=f"{filler[: first + i]}{mark}{filler[first + i : 70]}"
                f"{mark}{filler[: first + i]}{mark}",
            )
            for i, s in enumerate(base)
        ]
        name = f"board-{first}.pdf"
        pdf, _result = render(
            tmp_path,
            make_board(12, stewards=tuple(stewards)),
            name,
            paper=paper,
            landscape=landscape,
        )
        starting = [line for line in printed_lines(pdf) if line[0] in CLOSING]
        assert starting == [], (first, starting)


def test_the_board_names_its_posting_period_phones_and_seal(tmp_path):
    data = make_board(
        3,
        posted_from=dt.date(2026, 11, 23),
        posted_until=dt.date(2026, 11, 30),
        town="城关镇",
        town_phone="0731-88886666",
    )
    pdf, _result = render(tmp_path, data)
    content = flat(text(pdf))
    assert "公示期：2026年11月23日至2026年11月30日" in content
    assert "监督电话：0731-84561234" in content
    assert "城关镇党委监督电话：0731-88886666" in content
    assert "红旗村党支部（盖章）" in content and "2026年11月23日" in content
    assert "草稿" not in content


def test_a_draft_is_marked_on_every_sheet(tmp_path):
    pdf, result = render(tmp_path, make_board(5, draft=True), paper="A4", landscape=False)
    for page in range(1, page_count(pdf) + 1):
        assert "草稿" in flat(text(pdf, page))
    assert result.pages == page_count(pdf) == 3


def test_only_reviewed_commitments_are_posted_unless_a_draft(demo_db, demo_branch):
    with demo_db.unit_of_work() as session:
        first = session.scalars(select(Commitment).order_by(Commitment.id)).first()
        first.stage = "pledged"
        pledged_id = first.steward_id
    with demo_db.read() as session:
        posted = sheets.commitment_board(session, demo_branch.id, DEMO_YEAR, PRINTED_ON)
        draft = sheets.commitment_board(session, demo_branch.id, DEMO_YEAR, PRINTED_ON, draft=True)
        name = session.get_one(Member, session.get_one(Steward, pledged_id).member_id).name
    assert len(draft.stewards) == len(posted.stewards) + 1
    assert name not in [s.name for s in posted.stewards]
    assert name in [s.name for s in draft.stewards]
    assert draft.draft and not posted.draft
    assert posted.posted_from == PRINTED_ON
    assert posted.posted_until == PRINTED_ON + dt.timedelta(days=7)
    assert posted.town


def test_print_board_draft_from_the_command_line(tmp_path, demo_db):
    from desktop.cli.main import main

    out = tmp_path / "draft.pdf"
    data = str(demo_db.path.parent)
    year = str(DEMO_YEAR)  # the demo's commitments, also after New Year's midnight
    assert (
        main(["print", "board", "--data-dir", data, "--year", year, "--draft", "--out", str(out)])
        == 0
    )
    assert "草稿" in flat(text(out, 1))


def _names_on_first_sheet(pdf) -> dict[str, tuple[float, float]]:  # type: ignore[no-untyped-def]
    import re

    out = subprocess.run(
        [_tool("pdftotext"), "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {
        word: (float(top), float(bottom))
        for top, bottom, word in re.findall(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">((?:刘志强|陈..))</word>', out
        )
    }


@pytest.mark.parametrize("stewards", [2, 4, 7, 13, 16])
@pytest.mark.parametrize(
    "paper,landscape", [("A3", True), ("A3", False), ("A4", False), ("A4", True)]
)
def test_the_chief_steward_stands_alone_on_top_of_the_board(tmp_path, stewards, paper, landscape):
    data = make_board(stewards, length=60)
    pdf, _result = render(tmp_path, data, paper=paper, landscape=landscape)
    names = _names_on_first_sheet(pdf)
    _chief_top, chief_bottom = names.pop("刘志强")
    # Every group steward of the first sheet is in a row below the chief's, none beside him.
    # A4 landscape holds one row of two cards: the chief has the first sheet to himself there.
    if (paper, landscape) != ("A4", True):
        assert names, "the first sheet holds only the chief"
    else:
        assert not names
    assert all(top > chief_bottom for top, _bottom in names.values()), (chief_bottom, names)
