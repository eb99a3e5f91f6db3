# SPDX-License-Identifier: GPL-3.0-or-later
"""The board's own line breaking (fit.break_lines): ReportLab's CJK rules, and 禁则 where two
closing marks meet."""

from __future__ import annotations

import pytest

from desktop.printing import fonts, styles
from desktop.printing.fit import break_lines, lay_out

SIZE = 20.0


def lines_of(text: str, chars: float) -> list[str]:
    """`text` broken at the width of `chars` Chinese characters."""
    width = fonts.string_width("中", SIZE) * chars
    return [text[a:b] for a, b in break_lines(text, width, SIZE)]


def test_chinese_breaks_between_any_two_characters():
    assert lines_of("每月走访联系群众不少于一次", 5) == ["每月走访联", "系群众不少", "于一次"]


@pytest.mark.parametrize("mark", list(styles.CANNOT_START_LINE[:12]))
def test_one_closing_mark_hangs_at_the_end_of_its_line(mark):
    lines = lines_of(f"每月走访联{mark}系群众", 5)
    assert lines == [f"每月走访联{mark}", "系群众"]


def test_two_closing_marks_take_the_character_before_down_with_them():
    # ReportLab hangs 。 and starts the next line with 」.
    assert lines_of("他说：走访联。」系群众", 6) == ["他说：走访", "联。」系群众"]


def test_a_latin_word_goes_down_whole_from_its_last_space():
    assert lines_of("每月走访联系 WiFi", 6.5) == ["每月走访联系 ", "WiFi"]
    assert lines_of("每月走访联系WiFi", 6.5) == ["每月走访联系", "WiFi"]


def test_a_line_break_in_the_text_starts_a_new_line_and_colours_follow_the_pieces():
    laid = lay_out([(styles.RED, "我的承诺："), (styles.INK, "走访\n调解")], 1000, SIZE, 28)
    assert laid.lines == (
        ((styles.RED, "我的承诺："), (styles.INK, "走访")),
        ((styles.INK, "调解"),),
    )
    assert laid.height == 56
