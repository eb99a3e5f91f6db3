# SPDX-License-Identifier: GPL-3.0-or-later
"""The member register (花名册) from the demo branch: every member, paginated, header repeated."""

from __future__ import annotations

import dataclasses
import io

import pytest

from desktop.errors import UserError
from desktop.models.demo.data import demo_branch as demo_village
from desktop.models.documents import sheets
from desktop.printing.register import render_member_register
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


@pytest.fixture
def register(demo_db, demo_branch):  # type: ignore[no-untyped-def]
    with demo_db.read() as session:
        return sheets.member_register(session, demo_branch.id, PRINTED_ON)


def render(tmp_path, data, **options):  # type: ignore[no-untyped-def]
    path = tmp_path / "register.pdf"
    with path.open("wb") as out:
        result = render_member_register(data, out, **options)
    return path, result


def test_every_demo_member_is_in_the_register(tmp_path, register):
    pdf, result = render(tmp_path, register)
    pages = page_count(pdf)
    assert result.pages == pages > 1
    assert_size(pdf, (A4[1], A4[0]))
    assert_fonts_embedded(pdf)
    content = flat(text(pdf))
    village = demo_village()
    assert len(register.rows) == len(village.members) == 60
    for member in village.members:
        assert member.name in content and member.id_number in content
    assert "红旗村党支部党员花名册" in content and "60名党员" in content
    for page in range(1, pages + 1):
        page_text = flat(text(pdf, page, layout=True))
        # The header row repeats on every page, and every page is numbered.
        assert "序号姓名性别民族公民身份号码" in page_text, page
        assert f"第{page}页共{pages}页" in page_text


def test_register_rows_in_group_order_with_labels(register):
    assert [r.party_group for r in register.rows] == sorted(
        (r.party_group for r in register.rows),
        key=lambda g: [r.party_group for r in register.rows].index(g),
    )
    assert {r.gender for r in register.rows} <= {"男", "女"}
    assert {r.status for r in register.rows} == {"正式党员", "预备党员"}
    assert any(r.notes.startswith("流动党员") for r in register.rows)
    assert any("失联党员" in r.notes for r in register.rows)


def test_a3_register_has_fewer_pages(tmp_path, register):
    _a4, r4 = render(tmp_path, register)
    pdf, r3 = render(tmp_path, register, paper="A3")
    assert_size(pdf, (A3[1], A3[0]))
    assert r3.pages <= r4.pages


def test_a_row_too_tall_for_a_page_is_a_clear_message(register):
    # Far beyond what the data core stores (200): a long note would continue under 附注.
    huge = dataclasses.replace(register.rows[0], address="地址内容很长。" * 900)
    data = dataclasses.replace(register, rows=(huge, *register.rows[1:]))
    with pytest.raises(UserError, match="太长"):
        render_member_register(data, io.BytesIO())
