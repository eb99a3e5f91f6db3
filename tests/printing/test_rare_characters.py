# SPDX-License-Identifier: GPL-3.0-or-later
"""Never a wrong name: characters outside the shipped face (CJK Extensions A and B, which rural
names use) print from a fallback face; a character no face has stops printing, naming whom."""

from __future__ import annotations

import dataclasses
import subprocess

import pytest

from desktop.errors import UserError
from desktop.printing import fonts
from desktop.printing.board import render_commitment_board
from desktop.printing.register import render_member_register
from desktop.printing.roster import render_roster_sheet
from tests.printing.conftest import make_board
from tests.printing.pdfcheck import _tool, assert_fonts_embedded, flat, text
from tests.printing.pdfcheck import fonts as pdf_fonts
from tests.printing.test_register import register  # noqa: F401 - the fixture
from tests.printing.test_roster import roster

#: 䶮 (Extension A), 𠈌 and 𪚥 (Extension B): none is in WenQuanYi Micro Hei.
RARE_NAMES = ("王𠈌", "刘䶮", "𪚥建国")
#: A private-use character: no face has it.
NOBODY_HAS = "\ue000"

needs_fallback = pytest.mark.skipif(
    fonts.face_for("𠈌") is None or fonts.face_for("䶮") is None,
    reason="no fallback face for the CJK extensions (install fonts-hanazono)",
)


def fallback_faces(pdf) -> set[str]:  # type: ignore[no-untyped-def]
    return {name.split("+")[-1] for name, _t, _e in pdf_fonts(pdf) if "WenQuanYi" not in name}


def rare_board():  # type: ignore[no-untyped-def]
    data = make_board(4)
    stewards = [
        dataclasses.replace(s, name=name)
        for s, name in zip(data.stewards[1:], RARE_NAMES, strict=True)
    ]
    return dataclasses.replace(data, stewards=(data.stewards[0], *stewards))


@needs_fallback
@pytest.mark.parametrize("paper,landscape", [("A3", True), ("A4", False)])
def test_board_prints_extension_a_and_b_names(tmp_path, paper, landscape):
    pdf = tmp_path / "board.pdf"
    with pdf.open("wb") as out:
        result = render_commitment_board(rare_board(), out, paper=paper, landscape=landscape)
    assert result.missing_glyphs == ()
    content = flat(text(pdf))
    for name in RARE_NAMES:
        assert name in content
    assert_fonts_embedded(pdf)
    assert fallback_faces(pdf) == {"HanaMinA"}


@needs_fallback
def test_register_prints_extension_a_and_b_names(tmp_path, register):  # noqa: F811
    rows = [
        dataclasses.replace(row, name=name)
        for row, name in zip(register.rows, RARE_NAMES, strict=False)
    ]
    data = dataclasses.replace(register, rows=(*rows, *register.rows[len(rows) :]))
    pdf = tmp_path / "register.pdf"
    with pdf.open("wb") as out:
        render_member_register(data, out)
    content = flat(text(pdf))
    for name in RARE_NAMES:
        assert name in content
    assert_fonts_embedded(pdf)
    assert fallback_faces(pdf)


@needs_fallback
def test_roster_prints_extension_b_people(tmp_path):
    data = roster(days=3)
    duties = tuple(
        dataclasses.replace(d, people=("王𠈌",)) if i == 0 else d for i, d in enumerate(data.duties)
    )
    pdf = tmp_path / "roster.pdf"
    with pdf.open("wb") as out:
        render_roster_sheet(dataclasses.replace(data, duties=duties), out)
    assert "王𠈌" in flat(text(pdf))
    assert_fonts_embedded(pdf)


def test_a_character_no_face_has_stops_the_board_naming_the_steward(tmp_path):
    data = make_board(3)
    odd = dataclasses.replace(data.stewards[2], name="陈" + NOBODY_HAS + "华")
    data = dataclasses.replace(data, stewards=(*data.stewards[:2], odd))
    with pytest.raises(UserError) as raised, (tmp_path / "b.pdf").open("wb") as out:
        render_commitment_board(data, out)
    assert odd.name in str(raised.value) and "U+E000" in str(raised.value)


def test_a_character_no_face_has_stops_the_register_naming_the_member(
    tmp_path,
    register,  # noqa: F811
):
    odd = dataclasses.replace(register.rows[5], address="红旗村" + NOBODY_HAS + "组")
    rows = (*register.rows[:5], odd, *register.rows[6:])
    with pytest.raises(UserError) as raised, (tmp_path / "r.pdf").open("wb") as out:
        render_member_register(dataclasses.replace(register, rows=rows), out)
    assert odd.name in str(raised.value) and "U+E000" in str(raised.value)


def test_a_long_name_wraps_on_the_board_and_is_never_cut(tmp_path):
    data = make_board(16)
    long_name = "买买提·艾力·阿不都热依木"
    odd = dataclasses.replace(data.stewards[3], name=long_name)
    data = dataclasses.replace(data, stewards=(*data.stewards[:3], odd, *data.stewards[4:]))
    pdf = tmp_path / "board.pdf"
    with pdf.open("wb") as out:
        render_commitment_board(data, out, paper="A3", landscape=True)
    raw = subprocess.run(
        [_tool("pdftotext"), "-raw", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert long_name in flat(raw)
    assert "…" not in raw
