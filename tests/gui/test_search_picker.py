# SPDX-License-Identifier: GPL-3.0-or-later
"""The search picker holds only the first matches of what is typed, never a whole table."""

from __future__ import annotations

import pytest

from desktop.views.search_picker import Choice, SearchPicker

pytestmark = pytest.mark.gui

PEOPLE = [Choice(n, f"王{n:05d}", "第一党小组" if n % 2 else "") for n in range(100_000)]


def search(text: str, limit: int) -> list[Choice]:
    return [c for c in PEOPLE if text in c.name][:limit]


def test_a_keystroke_shows_at_most_the_limit_and_an_exact_name_chooses(qtbot):
    picker = SearchPicker(search, name="picker")
    qtbot.addWidget(picker)
    assert picker.found.rowCount() == 0  # nothing is read before the clerk types
    assert len(picker.search("王")) == picker.LIMIT
    assert picker.found.rowCount() == picker.LIMIT
    assert picker.current_key() is None
    picker.search("王01234")
    assert picker.current_key() == 1234
    assert picker.current_name() == "王01234"
    assert picker.current_choice() == PEOPLE[1234]


def test_choosing_a_match_keeps_its_key_and_editing_forgets_it(qtbot):
    picker = SearchPicker(search)
    qtbot.addWidget(picker)
    picked = []
    picker.picked.connect(picked.append)
    picker.search("王0001")
    picker.choose(3)
    assert picker.current_key() == 13 and picked == [13]
    assert picker.text() == "王00013（第一党小组）"
    picker.search("没有这个人")
    assert picker.current_key() is None and picked == [13, None]
    assert picker.found.rowCount() == 0
