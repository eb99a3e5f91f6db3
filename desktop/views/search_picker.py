# SPDX-License-Identifier: GPL-3.0-or-later
"""Choosing one of many (a member, a household…) by typing: a capped search per keystroke.

A combo box filled with every member of a county register holds 500,000 items (and, with
PySide6 6.12 on Python 3.11, each `addItem` drops a reference to `None`: the process dies at
about 100,000, issue #22). The picker holds only the first `LIMIT` matches of what is typed,
read again on each keystroke through a search function the page passes in, so no widget ever
holds a whole table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget


class Choice(NamedTuple):
    """One match: what is kept (`key`), the name typed, and what tells namesakes apart."""

    key: Any
    name: str
    detail: str = ""
    #: Anything else the page wants back with the choice (a member's party group…).
    extra: Any = None

    @property
    def label(self) -> str:
        return f"{self.name}（{self.detail}）" if self.detail else self.name


#: search(text, limit) -> at most `limit` choices matching `text` ("" : the first ones).
Search = Callable[[str, int], Sequence[Choice]]

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2


class SearchPicker(QLineEdit):
    """A line edit whose suggestions are the first `LIMIT` matches of a search.

    `current_key()` is the chosen key: set by picking a suggestion (Enter or a click), or by
    typing a text that names exactly one of the matches; None otherwise.
    """

    #: The chosen key, or None when the text no longer names a choice.
    picked = Signal(object)
    LIMIT = 50

    def __init__(self, search: Search, parent: QWidget | None = None, name: str = "") -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self._search = search
        self._key: Any = None
        self._name = ""
        self._choices: list[Choice] = []
        self.found = QStandardItemModel(self)
        self.completer_ = QCompleter(self.found, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setMaxVisibleItems(12)
        self.setCompleter(self.completer_)
        self.completer_.activated[QModelIndex].connect(self._on_activated)
        self.textEdited.connect(self.search)
        self.setClearButtonEnabled(True)

    def search(self, text: str) -> list[Choice]:
        """Show the first matches of `text` (what a keystroke does; tests call it too)."""
        if self.text() != text:
            self.setText(text)
        choices = list(self._search(text.strip(), self.LIMIT))[: self.LIMIT]
        self._choices = choices
        self.found.clear()
        for choice in choices:
            item = QStandardItem(choice.label)
            item.setData(choice.key, KEY_ROLE)
            item.setData(choice.name, NAME_ROLE)
            item.setEditable(False)
            self.found.appendRow(item)
        typed = text.strip()
        exact = [c for c in choices if typed and typed in (c.name, c.label)]
        self._set_key(exact[0].key if len(exact) == 1 else None, exact[0].name if exact else "")
        if self.hasFocus() and choices:
            self.completer_.complete()
        return choices

    def choose(self, index: int) -> None:
        """Pick the `index`-th match shown (as a click on it would)."""
        self._on_activated(self.found.index(index, 0))

    def current_key(self) -> Any:
        return self._key

    def current_choice(self) -> Choice | None:
        return next((c for c in self._choices if c.key == self._key), None)

    def current_name(self) -> str:
        """The chosen one's name (without the detail that tells namesakes apart)."""
        return self._name if self._key is not None else ""

    def set_choice(self, key: Any, name: str) -> None:
        """Show a choice made elsewhere (no search)."""
        self.setText(name)
        self._set_key(key, name)

    def clear_choice(self) -> None:
        self.clear()
        self.found.clear()
        self._choices = []
        self._set_key(None)

    def _on_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        if not index.isValid():
            return
        self.setText(str(index.data(Qt.ItemDataRole.DisplayRole)))
        self._set_key(index.data(KEY_ROLE), str(index.data(NAME_ROLE)))

    def _set_key(self, key: Any, name: str = "") -> None:
        changed = key != self._key
        self._key, self._name = key, name
        if changed:
            self.picked.emit(key)
