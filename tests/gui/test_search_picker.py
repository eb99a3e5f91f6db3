# SPDX-License-Identifier: GPL-3.0-or-later
"""The search picker holds only the first matches of what is typed, never a whole table."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop.views.search_picker import (
    KEY_ROLE,
    Choice,
    SearchChecklist,
    SearchPicker,
)

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


def test_a_checklist_lists_the_first_matches_and_keeps_the_ticked_ones_in_sight(qtbot):
    asked: list[int] = []

    def counted(text: str, limit: int) -> list[Choice]:
        asked.append(limit)
        return search(text, limit)

    checklist = SearchChecklist(counted, name="checklist")
    qtbot.addWidget(checklist)
    assert checklist.found.rowCount() == checklist.LIMIT and checklist.more
    assert not checklist.more_label.isHidden(), "a line under the list: type more"
    assert not checklist.line.isHidden(), "many: the search line is there"
    assert set(asked) == {checklist.LIMIT + 1}, "never more than the list shows, and one"
    checklist.search("王0123")
    checklist.set_checked(1234)
    checklist.search("王0999")
    shown = [checklist.found.item(r).data(KEY_ROLE) for r in range(checklist.found.rowCount())]
    assert shown[0] == 1234 and checklist.found.item(0).checkState() == Qt.CheckState.Checked
    assert shown[1:] == list(range(9990, 10000)) and checklist.more_label.isHidden()
    checklist.set_checked(9995)
    checklist.set_checked(1234, False)
    assert checklist.chosen_keys() == [9995]


def test_a_checklist_of_a_few_lists_them_all_without_a_search_line(qtbot):
    few = PEOPLE[:3]
    checklist = SearchChecklist(lambda text, limit: few[:limit], chosen=[few[1]])
    qtbot.addWidget(checklist)
    assert checklist.line.isHidden() and checklist.more_label.isHidden()
    assert [checklist.found.item(r).text() for r in range(3)] == [
        few[1].label,
        few[0].label,
        few[2].label,
    ]
    assert checklist.chosen() == [few[1]]
