# SPDX-License-Identifier: GPL-3.0-or-later
"""The kinds of service: rename or hide the defaults, add the branch's own."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.i18n import _
from desktop.models.stewards.rows import DEFAULT_KINDS
from desktop.models.stewards.service import ServiceLogService
from desktop.views import messages
from desktop.views.ops import SERVICE_LOG, Ops


class KindsDialog(QDialog):
    def __init__(
        self, log: ServiceLogService, parent: QWidget | None = None, *, ops: Ops | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kinds_dialog")
        self.setWindowTitle(_("Kinds of service"))
        self.log = log
        self.ops = ops if ops is not None else Ops(self)
        self.table = QTableWidget(0, 3, objectName="kinds_table")
        self.table.setHorizontalHeaderLabels([_("Code"), _("Kind name"), _("In use")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.code_edit = QLineEdit(objectName="kind_code")
        self.code_edit.setPlaceholderText(_("code, e.g. garden"))
        self.name_edit = QLineEdit(objectName="kind_name")
        self.name_edit.setPlaceholderText(_("name shown"))
        self.add_button = QPushButton(_("&Add kind"), objectName="add_kind")
        self.add_button.clicked.connect(self.add)
        self.name_edit.returnPressed.connect(self.add)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        add_row = QHBoxLayout()
        for widget in (self.code_edit, self.name_edit, self.add_button):
            add_row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(add_row)
        layout.addWidget(buttons)
        self.resize(420, 420)
        self._initial: dict[str, tuple[str, bool]] = {}
        self._load()

    def _load(self) -> None:
        kinds = self.log.all_kinds()
        self._initial = {k.code: (k.label, k.active) for k in kinds}
        self.table.setRowCount(len(kinds))
        for row, kind in enumerate(kinds):
            code = QTableWidgetItem(kind.code)
            code.setFlags(code.flags() & ~Qt.ItemFlag.ItemIsEditable)
            used = QTableWidgetItem()
            used.setFlags(
                Qt.ItemFlag.ItemIsUserCheckable
                | Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
            )
            used.setCheckState(Qt.CheckState.Checked if kind.active else Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, code)
            self.table.setItem(row, 1, QTableWidgetItem(kind.label))
            self.table.setItem(row, 2, used)

    def edits(self) -> list[tuple[str, str, bool]]:
        """(code, name, in use) of the rows changed since the dialog opened."""
        changed = []
        for row in range(self.table.rowCount()):
            code = self.table.item(row, 0).text()
            name = self.table.item(row, 1).text().strip()
            active = self.table.item(row, 2).checkState() == Qt.CheckState.Checked
            if (name, active) != self._initial.get(code):
                changed.append((code, name, active))
        return changed

    def _save(self, edits: list[tuple[str, str, bool]], done: Callable[[], None]) -> None:
        """Save the edits on the database thread, then `done()`; a refusal keeps the dialog."""
        saved = []
        for code, name, active in edits:
            if not name and code not in DEFAULT_KINDS:
                messages.show_error(
                    self, UserError(_("Give the kind {code} a name.").format(code=code))
                )
                return
            if code in DEFAULT_KINDS and name == _(DEFAULT_KINDS[code]):
                name = ""  # a default's own name: it keeps following the language
            saved.append((code, name, active))

        def save_all() -> None:
            for code, name, active in saved:
                self.log.save_kind(code, name, active)

        self.ops.run(self, save_all, {SERVICE_LOG}, done=lambda _result: done())

    def add(self) -> None:
        pending = self.edits()
        if not self.name_edit.text().strip():
            messages.show_error(self, UserError(_("Give the new kind a name.")))
            return

        def added() -> None:
            self.code_edit.clear()
            self.name_edit.clear()
            self._load()
            self.code_edit.setFocus()

        self._save([*pending, (self.code_edit.text(), self.name_edit.text().strip(), True)], added)

    def accept(self) -> None:
        self._save(self.edits(), super().accept)
