# SPDX-License-Identifier: GPL-3.0-or-later
"""The member register (花名册): filter as you type, sort, add, edit, remove and undo."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _, ngettext
from desktop.models.register.rows import MemberRow
from desktop.views import messages, tasks, ui_state
from desktop.views.combos import select_data
from desktop.views.export_path import ask_export_path
from desktop.views.keys import on_keys, to_table_on_enter
from desktop.views.members.member_dialog import MemberDialog
from desktop.views.ops import BRANCH, GROUPS, MEMBERS, Ops
from desktop.views.qtmodels.member_table_model import MemberTableModel
from desktop.views.undo import RemovalCommand
from desktop.views.widgets.flow import flow_row

if TYPE_CHECKING:
    from desktop.models.register.service import BranchService, MemberService
    from desktop.tabular.service import TabularService

FILTER_DELAY_MS = 200
SELECT_SCAN_LIMIT = 2000


class MembersPage(QWidget):
    status_message = Signal(str)
    exported = Signal(str)  # the path written

    def __init__(
        self,
        members: MemberService,
        branches: BranchService,
        tabular: TabularService,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
        *,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("members_page")
        self.members, self.branches, self.branch_id = members, branches, members.branch_id
        self.undo_stack = undo_stack
        self.tabular = tabular
        self.ops = ops if ops is not None else Ops(self)
        self.ops.changed.connect(self._on_changed)
        self._export_task: tasks.Task | None = None

        self.filter_edit = QLineEdit(objectName="filter_edit")
        self.filter_edit.setClearButtonEnabled(True)
        self.group_combo = QComboBox(objectName="group_combo")
        self.count_label = QLabel(objectName="count_label")
        self.new_button = QPushButton(objectName="new_button")
        self.edit_button = QPushButton(objectName="edit_button")
        self.remove_button = QPushButton(objectName="remove_button")
        self.move_button = QPushButton(objectName="move_group_button")
        self.import_button = QPushButton(objectName="import_button")
        self.export_button = QPushButton(objectName="export_button")

        self.model = MemberTableModel(members, self)
        # A long filtered list is counted after its first page shows (#22).
        self.model.counted.connect(lambda _n: self._update_count())
        self.table = QTableView(objectName="member_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several at once (Shift/Ctrl+arrows or clicks) to move them to another party group.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._on_table_double_clicked)

        # One row that goes on to a second line at a large text size on a laptop.
        self.filter_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 18)
        top = flow_row(
            self.filter_edit,
            self.group_combo,
            self.count_label,
            self.new_button,
            self.edit_button,
            self.remove_button,
            self.move_button,
            self.import_button,
            self.export_button,
        )
        layout = QVBoxLayout(self)
        layout.addWidget(top)
        layout.addWidget(self.table)

        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter_edit.textChanged.connect(self._filter_timer.start)
        to_table_on_enter(self.filter_edit, self.table, before=self.apply_filter)
        self.group_combo.currentIndexChanged.connect(self.apply_filter)
        self.new_button.clicked.connect(self.new_member)
        self.edit_button.clicked.connect(self.edit_member)
        self.remove_button.clicked.connect(self.remove_member)
        self.move_button.clicked.connect(self.move_selected)
        self.import_button.clicked.connect(self.import_members)
        self.export_button.clicked.connect(self.export_members)
        for keys, slot in (
            (QKeySequence.StandardKey.Find, self.focus_filter),
            (QKeySequence.StandardKey.New, self.new_member),
            (QKeySequence.StandardKey.Delete, self.remove_member),
        ):
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        on_keys(self.table, (Qt.Key.Key_Return, Qt.Key.Key_Enter), self.edit_member)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.retranslate()
        self.reload_groups()
        self._update_count()
        self._update_buttons()
        # Each column as wide as its text at the current text size (the clerk may still drag).
        self.table.resizeColumnsToContents()

    def retranslate(self) -> None:
        self.filter_edit.setPlaceholderText(
            _("Filter by name or pinyin (cjg), group, category, phone or ID number (Ctrl+F)")
        )
        self.new_button.setText(_("&New member"))
        self.new_button.setToolTip(_("Add a member (Ctrl+N)"))
        self.edit_button.setText(_("&Edit"))
        self.remove_button.setText(_("&Remove"))
        self.remove_button.setToolTip(_("Remove the selected member (Del); Ctrl+Z undoes it"))
        self.move_button.setText(_("Move to party &group…"))
        self.move_button.setToolTip(_("Move the selected members to another party group"))
        self.import_button.setText(_("I&mport…"))
        self.import_button.setToolTip(_("Import members from an Excel, WPS or CSV roster"))
        self.export_button.setText(_("E&xport…"))
        self.export_button.setToolTip(_("Export the register to Excel (.xlsx) or CSV"))

    # ------------------------------------------------------------------ state

    def reload_groups(self) -> None:
        current = self.group_combo.currentData()
        self._groups = self.branches.party_groups(self.branch_id)
        self._villager_groups = self.branches.villager_groups(self.branch_id)
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(_("All party groups"), None)
        for group in self._groups:
            self.group_combo.addItem(group.name, group.id)
        select_data(self.group_combo, current)
        self.group_combo.blockSignals(False)

    def apply_filter(self) -> None:
        self._filter_timer.stop()
        self.model.set_filter(self.filter_edit.text(), self.group_combo.currentData())
        self._update_count()
        self._update_buttons()

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {GROUPS, BRANCH}:
            self.reload_groups()
        if areas & {MEMBERS, GROUPS, BRANCH}:
            self.refresh()

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Read the register again, keeping the member in view."""
        self.model.refresh()
        self._update_count()
        if select is not None:
            self.select_member(select)
        self._update_buttons()

    def select_member(self, member_id: uuid.UUID) -> None:
        row = self.model.row_of(member_id)
        # Not among the loaded pages: look through the first few pages only, never the county.
        for candidate in range(min(self.model.rowCount(), SELECT_SCAN_LIMIT)):
            if row is not None:
                break
            found = self.model.row_at(candidate)
            if found is not None and found.id == member_id:
                row = candidate
        if row is not None:
            index = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(index)

    def selected_row(self) -> MemberRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        return self.model.row_at(index.row())

    def _update_count(self) -> None:
        n = self.model.rowCount()
        self.count_label.setText(ngettext("{n} member", "{n} members", n).format(n=n))

    def _update_buttons(self) -> None:
        selected = self.selected_row() is not None
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)
        self.move_button.setEnabled(selected)

    # ------------------------------------------------------------------ actions

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    def _on_table_double_clicked(self) -> None:
        self.edit_member()

    def open_dialog(self, row: MemberRow | None) -> MemberDialog:
        """The dialog for `row` (or a new member), wired to refresh the register on save."""
        dialog = MemberDialog(
            self.members, self._groups, self._villager_groups, row, self, ops=self.ops
        )
        dialog.member_saved.connect(self._on_member_saved)
        return dialog

    def new_member(self) -> None:
        self.open_dialog(None).open()

    def edit_member(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_dialog(row).open()

    def _on_member_saved(self, row: MemberRow) -> None:
        self.select_member(row.id)
        self.status_message.emit(_("Saved {name}.").format(name=row.name))

    def selected_rows(self) -> list[MemberRow]:
        rows = (self.model.row_at(i.row()) for i in self.table.selectionModel().selectedRows())
        return [row for row in rows if row is not None]

    def move_selected(self) -> None:
        """Move the selected members to the party group the clerk chooses (one change)."""
        chosen = self.selected_rows()
        if not chosen or not self._groups:
            return
        names = [group.name for group in self._groups]
        name, ok = QInputDialog.getItem(
            self,
            _("Move to party group"),
            ngettext("Move {n} member to:", "Move {n} members to:", len(chosen)).format(
                n=len(chosen)
            ),
            names,
            0,
            False,
        )
        if not ok:
            return
        group = self._groups[names.index(name)]
        ids = [row.id for row in chosen]

        def moved(count: int) -> None:
            self.status_message.emit(
                ngettext(
                    "Moved {n} member to {group}.", "Moved {n} members to {group}.", count
                ).format(n=count, group=group.name)
            )

        self.ops.run(self, lambda: self.members.move_to_group(ids, group.id), {MEMBERS}, done=moved)

    def remove_member(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        if not messages.confirm(
            self,
            _("Remove member"),
            _("Remove {name} from the register? You can undo this with Ctrl+Z.").format(
                name=row.name
            ),
        ):
            return

        def removed() -> None:
            self.undo_stack.push(
                RemovalCommand(
                    _("Remove {name}").format(name=row.name),
                    self,
                    row.id,
                    self.members.remove,
                    self.members.restore,
                    lambda select: self.refresh(select=select),
                    self.ops,
                    {MEMBERS},
                )
            )
            self.status_message.emit(
                _("Removed {name}. Press Ctrl+Z to undo.").format(name=row.name)
            )

        self.ops.run(self, lambda: self.members.remove(row.id), {MEMBERS}, done=lambda _: removed())

    # ------------------------------------------------------------------ spreadsheets

    def import_members(self) -> None:
        """Ask for a roster file, then open the import preview."""
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import members"),
            ui_state.last_folder(),
            _("Spreadsheets (*.xlsx *.xls *.csv);;All files (*)"),
        )
        if path:
            ui_state.set_last_folder(str(Path(path).parent))
            self.open_import_dialog(Path(path)).open()

    def open_import_dialog(self, path: Path) -> QWidget:
        from desktop.views.tabular.import_dialog import ImportDialog

        dialog = ImportDialog(self.tabular, path, self, ops=self.ops)
        dialog.imported.connect(self._on_imported)
        return dialog

    def _on_imported(self, result: object) -> None:
        self.status_message.emit(
            _("Imported: {created} added, {updated} updated.").format(
                created=result.created, updated=result.updated
            )
        )  # type: ignore[attr-defined]

    def export_members(self) -> None:
        """Ask where to save, then export the register (.xlsx or .csv by the name's ending)."""
        target = ask_export_path(self, _("Export members"), _("Members"))
        if target is not None:
            self.export_to(target)

    def export_to(self, path: Path, table: str = "members") -> tasks.Task:
        """Write the table to `path` off the GUI thread; the status bar says how it went."""
        self.export_button.setEnabled(False)

        def done(count: int) -> None:
            self._export_task = None
            self.export_button.setEnabled(True)
            self.status_message.emit(
                ngettext(
                    "Exported {n} row to {path}.", "Exported {n} rows to {path}.", count
                ).format(n=count, path=path)
            )
            self.exported.emit(str(path))

        def failed(error: BaseException) -> None:
            self._export_task = None
            self.export_button.setEnabled(True)
            messages.show_error(self, error)

        self._export_task = tasks.run_task(
            lambda progress, cancelled: self.tabular.export(table, path), done, failed
        )
        return self._export_task
