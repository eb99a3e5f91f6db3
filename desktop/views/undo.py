# SPDX-License-Identifier: GPL-3.0-or-later
"""Undoing a removal with Ctrl+Z: one command for every kind of record a page removes."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from desktop.errors import UserError
from desktop.views import messages


class RemovalCommand(QUndoCommand):
    """A removal the page has already made, pushed so that Ctrl+Z restores the record.

    The page removes first and pushes after, so that a refusal (a read-only account, a locked
    file) reaches it as an exception rather than inside Qt's push(). Undo and redo are
    themselves logged changes (tombstone off, on), so they sync like any edit.
    """

    def __init__(
        self,
        text: str,
        page: QWidget,
        record_id: uuid.UUID,
        remove: Callable[[uuid.UUID], object],
        restore: Callable[[uuid.UUID], object],
        refresh: Callable[[uuid.UUID | None], None],
    ) -> None:
        super().__init__(text)
        self._page, self._id = page, record_id
        self._remove, self._restore, self._refresh = remove, restore, refresh
        self._first = True

    def redo(self) -> None:
        if not self._first:
            self._run(self._remove)
        self._first = False
        self._refresh(None)

    def undo(self) -> None:
        self._run(self._restore)
        self._refresh(self._id)

    def _run(self, action: Callable[[uuid.UUID], object]) -> None:
        try:
            action(self._id)
        except UserError as error:
            messages.show_error(self._page, error)
