# SPDX-License-Identifier: GPL-3.0-or-later
"""The paged table models keep only a few pages, reading a page once while it is held."""

from __future__ import annotations

from desktop.views.qtmodels.page_cache import PageCache


def test_pages_are_read_once_while_held_and_the_least_recently_used_go_first():
    reads: list[int] = []

    def read(offset: int, limit: int) -> list[int]:
        reads.append(offset)
        return list(range(offset, min(offset + limit, 25)))

    pages: PageCache[int] = PageCache(keep=2)
    assert [pages.row(n, 10, read) for n in (0, 9, 10, 19)] == [0, 9, 10, 19]
    assert reads == [0, 10]  # one read a page
    assert pages.row(3, 10, read) == 3  # page 0 used again: page 1 is now the oldest
    assert pages.row(24, 10, read) == 24  # page 2 read: page 1 dropped
    assert sorted(number for number, _rows in pages.items()) == [0, 2]
    assert sum(len(rows) for rows in pages.values()) == 15
    assert pages.row(29, 10, read) is None  # past the last row of the last page
    assert pages.row(15, 10, read) == 15 and reads == [0, 10, 20, 10]
