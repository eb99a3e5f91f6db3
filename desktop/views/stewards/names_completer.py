# SPDX-License-Identifier: GPL-3.0-or-later
"""Completing the last of several names typed in one line (甲一、乙二 or 甲一,乙二).

A name is suggested for any part of it, its pinyin or its initials ("cjg" and "chen" suggest
陈建国): each item carries a search text beside the name shown, given by the caller.

Given a search function instead of the names, the completer holds only the first `LIMIT`
matches of the name being typed, read again as it changes (a county's households, #22).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit

SEPARATORS = re.compile(r"[、,，;；\s]+")

#: search(fragment, limit) -> the names of at most `limit` matches of the fragment typed.
NameSearch = Callable[[str, int], list[str]]


def split_names(text: str) -> list[str]:
    return [name for name in SEPARATORS.split(text.strip()) if name]


class NamesCompleter(QCompleter):
    #: The text a typed fragment is looked for in: the name, its pinyin and initials.
    SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1
    #: Suggestions read per fragment typed, with a search function.
    LIMIT = 50

    def __init__(
        self,
        names: list[str] | NameSearch,
        edit: QLineEdit,
        parent: Any = None,
        search_text: Callable[[str], str] | None = None,
    ) -> None:
        self._names = QStandardItemModel()
        super().__init__(self._names, parent)
        self._edit = edit
        self._search_text = search_text or (lambda name: name)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompletionRole(self.SEARCH_ROLE)
        self._search: NameSearch | None = None
        self._searched: str | None = None
        if callable(names):
            self._search = names
        else:
            self.set_names(names)
        edit.setCompleter(self)

    def set_names(self, names: Iterable[str]) -> None:
        """The names to suggest, in the order given."""
        self._names.clear()
        for name in names:
            item = QStandardItem(name)
            item.setData(self._search_text(name), self.SEARCH_ROLE)
            item.setEditable(False)
            self._names.appendRow(item)

    def splitPath(self, path: str) -> list[str]:
        parts = SEPARATORS.split(path)
        fragment = parts[-1] if parts else ""
        if self._search is not None and fragment != self._searched:
            self._searched = fragment
            self._names.clear()
            if fragment.strip():
                for name in self._search(fragment.strip(), self.LIMIT)[: self.LIMIT]:
                    item = QStandardItem(name)
                    # The database matched it (pinyin, address…): the fragment finds it here.
                    item.setData(fragment, self.SEARCH_ROLE)
                    item.setEditable(False)
                    self._names.appendRow(item)
        return [fragment]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        done = self._edit.text()
        match = list(SEPARATORS.finditer(done))
        prefix = done[: match[-1].end()] if match else ""
        return prefix + str(index.data(Qt.ItemDataRole.DisplayRole))
