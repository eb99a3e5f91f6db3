# SPDX-License-Identifier: GPL-3.0-or-later
"""The commitment board: the demo branch's sheet, the grid, fitting and the overflow message."""

from __future__ import annotations

import dataclasses
import io

import pytest

from desktop.errors import UserError
from desktop.models.demo.data import demo_branch as demo_village
from desktop.models.documents.rows import COMMITMENT_MAX_LENGTH
from desktop.printing import grid, styles
from desktop.printing.board import render_commitment_board, vcard_text
from tests.printing.conftest import DEMO_YEAR, commitment_of, make_board
from tests.printing.pdfcheck import (
    A3,
    A4,
    assert_fonts_embedded,
    assert_size,
    dark_share,
    flat,
    image,
    page_count,
    text,
)


def render(tmp_path, data, name="board.pdf", **options):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    with path.open("wb") as out:
        result = render_commitment_board(data, out, **options)
    return path, result


def test_demo_board_on_a3_landscape_sheets(tmp_path, demo_board):
    pdf, result = render(tmp_path, demo_board)
    # Thirteen cards readable from two metres take three A3 sheets.
    assert result.pages == page_count(pdf) == 3
    assert result.missing_glyphs == ()
    assert_size(pdf, (A3[1], A3[0]))
    assert_fonts_embedded(pdf)
    content = flat(text(pdf))
    assert f"红旗村{DEMO_YEAR}年度红色管家承诺公示" in content
    assert len(demo_board.stewards) == 13
    for steward in demo_board.stewards:
        assert steward.name in content
        assert flat(steward.commitment) in content, steward.name
        assert steward.post in content
    assert "监督电话：0731-84561234" in content


def test_one_sheet_has_no_page_number(tmp_path):
    pdf, result = render(tmp_path, make_board(4))
    assert result.pages == 1
    assert "第1页" not in flat(text(pdf))


def test_the_board_never_shows_an_id_number(tmp_path, demo_board):
    pdf, _result = render(tmp_path, demo_board, qr=True)
    content = flat(text(pdf))
    for member in demo_village().members:
        assert member.id_number not in content
        assert member.id_number[:14] not in content


def test_sixteen_stewards_with_the_longest_commitments_print_in_full(tmp_path):
    data = make_board(16, COMMITMENT_MAX_LENGTH)
    pdf, result = render(tmp_path, data)
    # Four to a sheet, the chief alone on top of the first with two below: five sheets.
    assert result.pages == page_count(pdf) <= 5
    content = flat(text(pdf))
    for steward in data.stewards:
        assert steward.name in content
        assert flat(steward.commitment) in content


def test_a_too_long_commitment_names_its_steward(tmp_path):
    data = make_board(16, 60)
    long_one = dataclasses.replace(data.stewards[5], commitment=commitment_of(4000, 3))
    data = dataclasses.replace(data, stewards=(*data.stewards[:5], long_one, *data.stewards[6:]))
    out = io.BytesIO()
    with pytest.raises(UserError) as raised:
        render_commitment_board(data, out)
    assert long_one.name in str(raised.value)
    assert "4000" in str(raised.value)


def test_a4_spreads_the_board_over_numbered_sheets(tmp_path, demo_board):
    pdf, result = render(tmp_path, demo_board, paper="A4", landscape=False)
    # One or two cards to an A4 sheet: for a door or a noticeboard.
    assert result.pages == page_count(pdf) == 7
    assert_size(pdf, A4)
    first, second = flat(text(pdf, 1)), flat(text(pdf, 2))
    assert "第1页共7页" in first and "第2页共7页" in second
    # Every sheet stands alone on the wall: title and supervision phone on each.
    for page in (first, second):
        assert "红色管家承诺公示" in page and "监督电话" in page
    assert demo_board.stewards[0].name in first  # the chief steward leads
    everything = flat(text(pdf))
    for steward in demo_board.stewards:
        assert flat(steward.commitment) in everything


def test_a4_landscape_and_a3_portrait(tmp_path, demo_board):
    pdf, result = render(tmp_path, demo_board, paper="A4", landscape=True)
    assert_size(pdf, (A4[1], A4[0]))
    assert result.pages == page_count(pdf) >= 7
    pdf, result = render(tmp_path, demo_board, name="p.pdf", paper="A3", landscape=False)
    assert_size(pdf, A3)
    assert result.pages == page_count(pdf) <= 3


def test_photo_is_drawn_and_missing_photo_is_a_silhouette(tmp_path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (50, 70), (200, 40, 40)).save(buffer, format="PNG")
    data = make_board(3)
    with_photo = dataclasses.replace(data.stewards[1], photo=buffer.getvalue())
    broken = dataclasses.replace(data.stewards[2], photo=b"not an image")
    pdf, _result = render(
        tmp_path, dataclasses.replace(data, stewards=(data.stewards[0], with_photo, broken))
    )
    assert pdf.read_bytes().count(b"/Subtype /Image") == 1
    plain, _result = render(tmp_path, data, name="plain.pdf")
    assert b"/Subtype /Image" not in plain.read_bytes()
    assert broken.name in flat(text(pdf))  # a damaged photo does not stop the board


def test_qr_code_text_is_a_vcard_with_the_branch_and_stewards(tmp_path, demo_board):
    card = vcard_text(demo_board)
    assert card.startswith("BEGIN:VCARD") and card.endswith("END:VCARD")
    assert "TEL;TYPE=WORK:0731-84561234" in card
    for steward in demo_board.stewards:
        assert steward.name in card
    assert len(card.encode()) <= 700
    big = make_board(16, 10, branch_name="红旗村党支部" * 20)
    assert len(vcard_text(big).encode()) <= 700
    with_qr, _r = render(tmp_path, demo_board, name="qr.pdf", qr=True)
    without, _r = render(tmp_path, demo_board, name="noqr.pdf")
    corner = (0.9, 0.85, 1.0, 1.0)
    assert dark_share(image(with_qr, dpi=72), corner) > 0.08
    assert dark_share(image(without, dpi=72), corner) < 0.03


def test_traditional_characters_render(tmp_path):
    data = make_board(2, village="紅旗村", branch_name="紅旗村黨支部")
    pdf, result = render(tmp_path, data)
    assert result.missing_glyphs == ()
    assert "紅旗村黨支部" in flat(text(pdf))


def test_no_stewards_is_a_clear_message():
    with pytest.raises(UserError, match="2026"):
        render_commitment_board(make_board(1, stewards=()), io.BytesIO())


@pytest.mark.parametrize(
    "paper,landscape", [("A3", True), ("A3", False), ("A4", True), ("A4", False)]
)
def test_grid_cards_stay_inside_the_area_and_never_overlap(paper, landscape):
    width, height = styles.page_size(paper, landscape)
    area_w, area_h = width - 2 * styles.MARGIN, height - 80 * 2.83
    per_sheet = grid.capacity(area_w, area_h)
    for n in range(1, per_sheet + 1):
        g = grid.best_grid(n, area_w, area_h)
        boxes = grid.positions(n, g, 10, 20, area_w, area_h, top_aligned=n % 2 == 0)
        assert len(boxes) == n
        for x, y in boxes:
            assert x >= 10 - 1e-6 and x + g.card_w <= 10 + area_w + 1e-6
            assert y >= 20 - 1e-6 and y + g.card_h <= 20 + area_h + 1e-6
        for i, (x1, y1) in enumerate(boxes):
            for x2, y2 in boxes[i + 1 :]:
                apart = (abs(x1 - x2) >= g.card_w - 1e-6) or (abs(y1 - y2) >= g.card_h - 1e-6)
                assert apart, (n, x1, y1, x2, y2)


def test_an_a3_landscape_sheet_holds_sixteen_cards():
    width, height = styles.page_size("A3", True)
    assert grid.capacity(width - 2 * styles.MARGIN, height - 2 * styles.MARGIN - 60) >= 16


def test_split_balances_the_sheets():
    assert grid.split(13, 8) == [7, 6]
    assert grid.split(16, 16) == [16]
    assert grid.split(1, 6) == [1]


def test_board_data_from_the_demo_branch(demo_db, demo_board):
    village = demo_village()
    assert demo_board.village == "红旗村" and demo_board.year == DEMO_YEAR
    chief, *groups = demo_board.stewards
    assert chief.chief and chief.post == "总管家" and chief.area == "全村"
    assert [s.post for s in groups] == [f"{g.name}小管家" for g in village.party_groups]
    # Each card shows the area the steward serves and the phone they agreed to show.
    from desktop.models.register.groups import current_branch
    from desktop.models.stewards import appointments

    with demo_db.read() as session:
        rows = appointments.list_stewards(session, current_branch(session).id, year=DEMO_YEAR)
    by_name = {r.name: r for r in rows}
    for card in groups:
        row = by_name[card.name]
        assert card.area == (row.area or card.area) and card.area
        assert card.phone == (row.phone if row.phone_public else village.phone)
    assert any(r.phone_public for r in rows) and not all(r.phone_public for r in rows)
    assert all(s.photo is None for s in demo_board.stewards)
    assert {s.commitment for s in demo_board.stewards} == {s.commitment for s in village.stewards}


def test_the_newest_commitment_of_a_year_is_the_one_printed(demo_db, demo_branch):
    from desktop.models.documents import sheets
    from desktop.models.stewards.steward import Commitment, Steward
    from tests.printing.conftest import PRINTED_ON

    with demo_db.unit_of_work() as session:
        chief = session.query(Steward).filter_by(role="chief").one()
        session.add(
            Commitment(
                steward_id=chief.id, year=DEMO_YEAR, content="新的承诺内容。", stage="reviewed"
            )
        )
        session.add(
            Commitment(
                steward_id=chief.id, year=DEMO_YEAR - 1, content="去年的承诺。", stage="evaluated"
            )
        )
    with demo_db.read() as session:
        data = sheets.commitment_board(session, demo_branch.id, DEMO_YEAR, PRINTED_ON)
        assert sheets.commitment_years(session, demo_branch.id) == [DEMO_YEAR, DEMO_YEAR - 1]
    assert len(data.stewards) == 13
    assert data.stewards[0].commitment == "新的承诺内容。"
