# SPDX-License-Identifier: GPL-3.0-or-later
"""Completing the last of several names typed in one line (甲一、乙二 or 甲一,乙二)."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

SEPARATORS = re.compile(r"[、,，;；\s]+")


def split_names(text: str) -> list[str]:
    return [name for name in SEPARATORS.split(text.strip()) if name]


class NamesCompleter(QCompleter):
    def __init__(self, names: list[str], edit: QLineEdit, parent: Any = None) -> None:
        self._names = QStringListModel(names)
        super().__init__(self._names, parent)
        self._edit = edit
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        edit.setCompleter(self)

    def set_names(self, names: list[str]) -> None:
        self._names.setStringList(names)

    def splitPath(self, path: str) -> list[str]:
        parts = SEPARATORS.split(path)
        return [parts[-1] if parts else ""]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        done = self._edit.text()
        match = list(SEPARATORS.finditer(done))
        prefix = done[: match[-1].end()] if match else ""
        return prefix + str(index.data())
