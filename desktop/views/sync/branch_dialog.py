# SPDX-License-Identifier: GPL-3.0-or-later
"""Which branches a PC may receive and send: ticked in a list that searches as the clerk types.

A village PC holds one branch or a few, all listed; a county hub holds about 10,000, so the
list holds only the first matches of what is typed, with those ticked so far (issue #22).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from desktop.i18n import _
from desktop.sync.service import SyncService
from desktop.views.search_picker import Choice, Search, SearchChecklist
from desktop.views.widgets.wrap import WrapLabel


def branch_search(sync: SyncService) -> Search:
    """The branches held here matching what is typed, with their town (namesakes: a county has
    several 红星村). A whole branch id that is not held yet (a new hub: the office PC shows
    it) is offered as it is: the PC then receives that branch once it arrives."""

    def search(text: str, limit: int) -> list[Choice]:
        found = [Choice(b.id, b.name, b.town) for b in sync.find_branches(text, limit)]
        if not found:
            try:
                wanted = uuid.UUID(text.strip())
            except ValueError:
                return found
            found = [Choice(wanted, str(wanted), _("not on this PC yet"))]
        return found

    return search


class BranchesDialog(QDialog):
    """Asks for one branch or more; OK only once one is ticked."""

    def __init__(
        self,
        search: Search,
        title: str,
        question: str,
        chosen: Sequence[Choice] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sync_branches_dialog")
        self.setWindowTitle(title)
        self.question = WrapLabel(objectName="sync_branches_question")
        self.question.setText(question)
        self.checklist = SearchChecklist(search, self, name="sync_branches_list", chosen=chosen)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.checklist, 1)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.checklist.changed.connect(self._update_ok)
        if not self.checklist.found.rowCount():  # a new hub: none held yet
            self.checklist.line.setPlaceholderText(
                _("Paste the branch's id, from a PC that holds the branch")
            )
        self._update_ok()
        # A village's few branches need no room for a long list.
        self.resize(460, 260 if self.checklist.line.isHidden() else 440)

    def _update_ok(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.checklist.chosen_keys()))

    def chosen(self) -> list[Any]:
        return self.checklist.chosen_keys()

    @classmethod
    def ask(
        cls,
        search: Search,
        title: str,
        question: str,
        chosen: Sequence[Choice] = (),
        parent: QWidget | None = None,
    ) -> list[Any] | None:
        """The ids of the branches ticked; None: cancelled."""
        dialog = cls(search, title, question, chosen, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen()
