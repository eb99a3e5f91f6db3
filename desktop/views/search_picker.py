# SPDX-License-Identifier: GPL-3.0-or-later
"""Choosing one of many (a member, a household, branches…) by typing: a capped search per
keystroke.

A combo box filled with every member of a county register holds 500,000 items (and, with
PySide6 6.12 on Python 3.11, each `addItem` drops a reference to `None`: the process dies at
about 100,000, issue #22). The picker holds only the first `LIMIT` matches of what is typed,
read again on each keystroke through a search function the page passes in, so no widget ever
holds a whole table. `SearchChecklist` is the same for choosing several (the branches a PC
may receive, out of a county hub's 10,000): the matches to tick, the ones ticked kept in sight.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from desktop.i18n import _


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


class SearchChecklist(QWidget):
    """Several choices out of many: a search line, and under it the choices ticked so far
    (always in sight, whatever is typed) then the first `LIMIT` other matches to tick.

    When more match than that, a line under the list says so ("type more"). When everything
    there is fits (a village PC's few branches), the search line is hidden: all are listed.
    """

    #: The ticked keys changed.
    changed = Signal()
    LIMIT = 50
    #: At most this many, the search line is not worth showing.
    FEW = 10

    def __init__(
        self,
        search: Search,
        parent: QWidget | None = None,
        name: str = "",
        chosen: Sequence[Choice] = (),
    ) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self._search = search
        #: What is ticked, in the order it was (by key).
        self._chosen: dict[Any, Choice] = {c.key: c for c in chosen}
        #: Whether more matched the last search than are listed.
        self.more = False
        self.line = QLineEdit(self)
        self.line.setClearButtonEnabled(True)
        self.found = QStandardItemModel(self)
        self.list = QListView(self)
        self.list.setModel(self.found)
        self.list.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.line)
        layout.addWidget(self.list, 1)
        #: Under the list when more matched than it shows.
        self.more_label = QLabel(self)
        self.more_label.hide()
        layout.addWidget(self.more_label)
        self.line.textEdited.connect(self.search)
        self.found.itemChanged.connect(self._on_item_changed)
        self.retranslate()
        self.search("")
        # A few, and that is all: no search line (typing would list nothing more). None at
        # all: the line stays, for what only typing finds (a branch's id on a new hub).
        listed = self.found.rowCount()
        self.line.setVisible(self.more or listed > self.FEW or listed == 0)

    def retranslate(self) -> None:
        self.line.setPlaceholderText(_("Type part of the name to find more…"))
        self.more_label.setText(
            _("Only the first {n} are listed: type more of the name.").format(n=self.LIMIT)
        )

    def search(self, text: str) -> list[Choice]:
        """List what is ticked, then the first matches of `text` (what a keystroke does;
        tests call it too). Returns the matches listed (the ticked ones not counted)."""
        if self.line.text() != text:
            self.line.setText(text)
        found = list(self._search(text.strip(), self.LIMIT + 1))
        self.more = len(found) > self.LIMIT
        matches = [c for c in found[: self.LIMIT] if c.key not in self._chosen]
        self.found.blockSignals(True)
        self.found.clear()
        for choice in [*self._chosen.values(), *matches]:
            item = QStandardItem(choice.label)
            item.setData(choice.key, KEY_ROLE)
            item.setData(choice.name, NAME_ROLE)
            item.setEditable(False)
            item.setCheckable(True)
            checked = choice.key in self._chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.found.appendRow(item)
        self.more_label.setVisible(self.more)
        self.found.blockSignals(False)
        self.list.reset()
        self._shown = {c.key: c for c in [*self._chosen.values(), *matches]}
        return matches

    def set_checked(self, key: Any, checked: bool = True) -> None:
        """Tick (or untick) the listed choice `key`, as a click on its box does."""
        for row in range(self.found.rowCount()):
            item = self.found.item(row)
            if item.data(KEY_ROLE) == key:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
                return
        raise KeyError(key)

    def chosen(self) -> list[Choice]:
        return list(self._chosen.values())

    def chosen_keys(self) -> list[Any]:
        return list(self._chosen)

    def _on_item_changed(self, item: QStandardItem) -> None:
        key = item.data(KEY_ROLE)
        if key not in self._shown:
            return
        if item.checkState() == Qt.CheckState.Checked:
            self._chosen[key] = self._shown[key]
        else:
            self._chosen.pop(key, None)
        self.changed.emit()
