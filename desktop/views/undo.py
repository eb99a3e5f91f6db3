# SPDX-License-Identifier: GPL-3.0-or-later
"""Undoing a removal with Ctrl+Z: one command for every kind of record a page removes."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QWidget

from desktop.views.ops import Ops


class RemovalCommand(QUndoCommand):
    """A removal the page has already made, pushed so that Ctrl+Z restores the record.

    The page removes first (through `ops`) and pushes once that succeeded, so that a refusal
    (a read-only account, a locked file) never reaches the undo stack. Undo and redo are
    themselves logged changes (tombstone off, on), so they sync like any edit; they run on the
    database thread through `ops` too, and announce `changes` like any other change.
    """

    def __init__(
        self,
        text: str,
        page: QWidget,
        record_id: uuid.UUID,
        remove: Callable[[uuid.UUID], object],
        restore: Callable[[uuid.UUID], object],
        refresh: Callable[[uuid.UUID | None], None],
        ops: Ops,
        changes: Iterable[str],
    ) -> None:
        super().__init__(text)
        self._page, self._id = page, record_id
        self._remove, self._restore, self._refresh = remove, restore, refresh
        self._ops, self._changes = ops, frozenset(changes)
        self._first = True

    def redo(self) -> None:
        if self._first:  # pushed after the page removed it
            self._first = False
            self._refresh(None)
            return
        self._run(self._remove, None)

    def undo(self) -> None:
        self._run(self._restore, self._id)

    def _run(self, action: Callable[[uuid.UUID], object], select: uuid.UUID | None) -> None:
        record_id = self._id
        self._ops.run(
            self._page,
            lambda: action(record_id),
            self._changes,
            done=lambda _result: self._refresh(select),
        )
