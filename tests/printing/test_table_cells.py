# SPDX-License-Identifier: GPL-3.0-or-later
"""Table cells made as plain strings (for speed) print exactly as the Paragraphs they replace."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from reportlab.lib.enums import TA_CENTER
from reportlab.platypus import Paragraph

from desktop import i18n
from desktop.printing import fonts, styles, tables
from desktop.printing.fit import markup
from desktop.printing.tables import Column, build_table_document
from tests.printing.pdfcheck import _tool

#: One line; wrapping in a narrow column (a split word: "Full " before "mem"); CJK wrapping;
#: empty; folded spaces; a leading space; a character of a fallback face (when one is found).
ROWS = [
    ["1", "张三", "Full member", "浙江省杭州市西湖区文三路一百号", "", "男"],
    ["2", "欧阳娜娜", "Probationary", "Primary school or below", "a  b", " 汉"],
    ["3", "李䶮", "正式党员", "Floating: 浙江省杭州市", "x", "Junior high school"],
]


def _words(pdf: Path) -> list[tuple[float, float, float, str]]:
    html = subprocess.run(
        [_tool("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pattern = r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<'
    return sorted(
        (round(float(x0), 1), round(float(y0), 1), round(float(x1), 1), word)
        for x0, y0, x1, word in re.findall(pattern, html)
    )


def _render(path: Path) -> Path:
    with path.open("wb") as out:
        build_table_document(
            out,
            title="表",
            subtitle_lines=[],
            columns=[
                Column("序号", 3, TA_CENTER),
                Column("姓名", 6, TA_CENTER),
                Column("状态", 3, TA_CENTER),
                Column("住址", 8),
                Column("备注", 6),
                Column("其他", 5, TA_CENTER),
            ],
            rows=ROWS,
            pagesize=styles.page_size("A4", False),
            form=True,
            widths=[30, 60, 31.4, 70, 50, 40],
        )
    return path


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_plain_cells_print_as_the_paragraphs_they_replace(tmp_path, monkeypatch, language):
    previous = i18n.language()
    i18n.set_language(language)
    try:
        ours = _words(_render(tmp_path / "ours.pdf"))
        monkeypatch.setattr(
            tables._Cells,
            "__call__",
            lambda self, value, style, room: Paragraph(markup(value), style),
        )
        paragraphs = _words(_render(tmp_path / "paragraphs.pdf"))
    finally:
        i18n.set_language(previous)
    assert ours == paragraphs
    assert any(word == "mem" for *_, word in ours)  # the narrow column did wrap


def test_only_main_face_text_becomes_a_plain_string():
    cell = tables._Cells()
    style = styles.cell_style(9, TA_CENTER)
    assert cell("正式党员", style, 60) == "正式党员"
    assert cell("", style, 60) == []
    assert isinstance(cell("a  b", style, 60), Paragraph)
    if fonts.face_for("䶮") not in (None, fonts.FONT):
        assert isinstance(cell("李䶮", style, 60), Paragraph)
