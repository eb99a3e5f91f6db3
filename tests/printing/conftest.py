# SPDX-License-Identifier: GPL-3.0-or-later
"""Printing fixtures: the demo branch's sheet data, and constructed boards of any size."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.models.documents import sheets
from desktop.models.documents.rows import BoardSteward, CommitmentBoardData
from desktop.models.register.groups import current_branch
from tests.conftest import DEMO_DAY

PRINTED_ON = dt.date(2026, 11, 23)
#: The demo's "this year" (its stewards' commitments): the year of the day it was loaded.
DEMO_YEAR = DEMO_DAY.year
#: 36 distinct characters, cycled to any length: a commitment nobody could confuse with another.
SAMPLE = "每月走访联系群众不少于一次重点关照独居老人帮忙代购药品代办医保缴费邻里有矛盾上门调解"


def commitment_of(length: int, seed: int = 0) -> str:
    text = SAMPLE[seed % len(SAMPLE) :] + SAMPLE
    while len(text) < length:
        text += SAMPLE
    return text[: length - 1] + "。"


def make_board(n: int, length: int = 80, **changes: object) -> CommitmentBoardData:
    numerals = "一二三四五六七八九十"
    stewards = [
        BoardSteward(
            name="刘志强",
            post="总管家",
            area="全村",
            phone="0731-84561234",
            commitment=commitment_of(length, 0),
            chief=True,
        )
    ]
    for i in range(1, n):
        group = numerals[i - 1] if i <= 10 else "十" + numerals[i - 11]
        stewards.append(
            BoardSteward(
                name=f"陈{numerals[i % 10]}{'华明军英'[i % 4]}",
                post=f"第{group}党小组小管家",
                area=f"第{group}村民小组（上屋组）",
                phone="0731-84561234",
                commitment=commitment_of(length, i),
            )
        )
    values: dict[str, object] = dict(
        village="红旗村",
        branch_name="红旗村党支部",
        year=2026,
        branch_phone="0731-84561234",
        stewards=tuple(stewards),
        printed_on=PRINTED_ON,
    )
    values.update(changes)
    return CommitmentBoardData(**values)  # type: ignore[arg-type]


@pytest.fixture
def demo_branch(demo_db):  # type: ignore[no-untyped-def]
    with demo_db.read() as session:
        return current_branch(session)


@pytest.fixture
def demo_board(demo_db, demo_branch) -> CommitmentBoardData:  # type: ignore[no-untyped-def]
    with demo_db.read() as session:
        return sheets.commitment_board(session, demo_branch.id, DEMO_YEAR, PRINTED_ON)
