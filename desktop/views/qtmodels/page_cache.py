# SPDX-License-Identifier: GPL-3.0-or-later
"""The pages of a list read from the database a page at a time, the most recently used kept.

The paged table models (the register, the households) hold only these, never the whole list
(#22): a county's rows are read as the view scrolls to them, and the oldest pages are dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, ItemsView, ValuesView
from typing import Generic, TypeVar

T = TypeVar("T")


class PageCache(Generic[T]):
    """At most `keep` pages of rows, by page number, least recently used dropped first."""

    def __init__(self, keep: int) -> None:
        self.keep = keep
        self._pages: OrderedDict[int, list[T]] = OrderedDict()

    def row(self, row: int, size: int, read: Callable[[int, int], list[T]]) -> T | None:
        """Row number `row` of pages of `size` rows; a page not held is read with
        `read(offset, limit)`. None past the end of the last page read."""
        page_no, offset = divmod(row, size)
        page = self._pages.get(page_no)
        if page is None:
            page = read(page_no * size, size)
            self.put(page_no, page)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

    def put(self, page_no: int, rows: list[T]) -> None:
        self._pages[page_no] = rows
        self._pages.move_to_end(page_no)
        while len(self._pages) > self.keep:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()

    def items(self) -> ItemsView[int, list[T]]:
        return self._pages.items()

    def values(self) -> ValuesView[list[T]]:
        return self._pages.values()
