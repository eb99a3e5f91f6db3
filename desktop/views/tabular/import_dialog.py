# SPDX-License-Identifier: GPL-3.0-or-later
"""Importing members (or households) from a spreadsheet: preview, edit the mapping, confirm.

Nothing is written until Import is pressed; then the whole file goes in one transaction on the
database thread, with progress and a Cancel button. A cancelled or failed import changes nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import _, ngettext
from desktop.tabular.headers import FIELD_LABELS, HeaderLayout, column_letter
from desktop.tabular.household_import import HOUSEHOLD_FIELDS
from desktop.tabular.member_import import (
    Action,
    ImportCancelled,
    ImportPlan,
    ImportResult,
    field_label,
)
from desktop.tabular.readers import Workbook
from desktop.tabular.report import new_groups, summary
from desktop.tabular.service import TabularService
from desktop.views import messages, tasks
from desktop.views.ops import GROUPS, HOUSEHOLDS, MEMBERS, Ops
from desktop.views.qtmodels.import_row_model import ImportRowModel

log = logging.getLogger(__name__)
ERROR_STYLE = "color: #b00020;"
#: The member fields a column can be mapped to, in the order of the national register.
MAPPED_FIELDS = tuple(FIELD_LABELS)
#: The fields a column can be mapped to, by the kind of import.
FIELDS_BY_KIND = {"members": MAPPED_FIELDS, "households": HOUSEHOLD_FIELDS}


class ProblemRowsProxyModel(QSortFilterProxyModel):
    """Only the rows with errors or notes, when asked."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.problems_only = False

    def set_problems_only(self, value: bool) -> None:
        self.beginFilterChange()
        self.problems_only = value
        self.endFilterChange()

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not self.problems_only:
            return True
        row = self.sourceModel().rows[source_row]  # type: ignore[attr-defined]
        return bool(row.errors or row.warnings)


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportResult

    def __init__(
        self,
        service: TabularService,
        path: Path,
        parent: QWidget | None = None,
        kind: str = "members",
        *,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.ops = ops if ops is not None else Ops(self)
        self.service, self.path, self.kind = service, Path(path), kind
        self.book: Workbook | None = None
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self._layouts: dict[str, HeaderLayout] = {}
        self._excluded: set[str] = set()
        self._task: tasks.Task | None = None
        self._progress: QProgressDialog | None = None
        self.mapping_combos: dict[int, QComboBox] = {}

        self.file_label = QLabel(objectName="file_label")
        self.sheet_label = QLabel()
        self.sheet_combo = QComboBox(objectName="sheet_combo")
        self.sheet_label.setBuddy(self.sheet_combo)
        self.include_check = QCheckBox(objectName="include_check")
        self.sheet_note = QLabel(objectName="sheet_note", wordWrap=True)
        self.sheet_note.setStyleSheet(ERROR_STYLE)
        self.mapping_label = QLabel()
        self.mapping_widget = QWidget()
        self.mapping_grid = QGridLayout(self.mapping_widget)
        self.mapping_area = QScrollArea(objectName="mapping_area")
        self.mapping_area.setWidget(self.mapping_widget)
        self.mapping_area.setWidgetResizable(True)
        self.mapping_area.setFixedHeight(self.fontMetrics().height() * 6 + 24)
        self.match_label = QLabel()
        self.match_combo = QComboBox(objectName="match_combo")
        self.match_label.setBuddy(self.match_combo)
        self.summary_label = QLabel(objectName="summary_label", wordWrap=True)
        self.detail_label = QLabel(objectName="detail_label", wordWrap=True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.problems_only_check = QCheckBox(objectName="problems_only_check")

        self.model = ImportRowModel(self)
        self.proxy = ProblemRowsProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(objectName="import_rows")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(False)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)

        self.buttons = QDialogButtonBox()
        self.import_button = QPushButton(objectName="import_button")
        self.import_button.setDefault(True)
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)

        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_label)
        sheet_row.addWidget(self.sheet_combo)
        sheet_row.addWidget(self.include_check)
        sheet_row.addStretch()
        sheet_row.addWidget(self.match_label)
        sheet_row.addWidget(self.match_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addLayout(sheet_row)
        layout.addWidget(self.sheet_note)
        layout.addWidget(self.mapping_label)
        layout.addWidget(self.mapping_area)
        summary_row = QHBoxLayout()
        summary_row.addWidget(self.summary_label, 1)
        summary_row.addWidget(self.problems_only_check)
        layout.addLayout(summary_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.buttons)

        self.sheet_combo.currentIndexChanged.connect(self._show_mapping)
        self.include_check.toggled.connect(self._on_include_toggled)
        self.match_combo.currentIndexChanged.connect(self._replan)
        self.problems_only_check.toggled.connect(self.proxy.set_problems_only)
        self.model.decision_changed.connect(self._update_summary)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.reject)

        self.retranslate()
        self.resize(1000, 640)
        self._set_busy(True)
        self._run(lambda progress, cancelled: self._read_and_plan(), self._on_planned)

    def retranslate(self) -> None:
        self.setWindowTitle(self._title())
        self.file_label.setText(_("File: {path}").format(path=self.path.name))
        self.sheet_label.setText(_("&Sheet:"))
        self.include_check.setText(_("Import this sheet"))
        self.mapping_label.setText(
            _("Columns found in the file (change a column's field if it was not recognised):")
        )
        self.match_label.setText(
            _("&Households already in the list:")
            if self._households()
            else _("&Members already in the register:")
        )
        self.match_combo.blockSignals(True)
        self.match_combo.clear()
        self.match_combo.addItem(_("Update them from the file"), Action.UPDATE)
        self.match_combo.addItem(_("Leave them as they are"), Action.SKIP)
        self.match_combo.blockSignals(False)
        self.problems_only_check.setText(_("Show only rows with &problems"))
        self.import_button.setText(_("&Import"))

    def _households(self) -> bool:
        return self.kind == "households"

    def _title(self) -> str:
        return _("Import households") if self._households() else _("Import members")

    # ------------------------------------------------------------------ planning

    def _run(self, fn: Any, on_finished: Any) -> None:
        self._task = tasks.run_task(fn, on_finished, self._on_failed)

    def _read_and_plan(self) -> tuple[Workbook, ImportPlan]:
        book = self.service.read(self.path)
        return book, self.service.preview(book, kind=self.kind)

    def _on_planned(self, result: tuple[Workbook, ImportPlan]) -> None:
        self._task = None
        self.book, plan = result
        self._layouts = {s.name: s.layout for s in plan.sheets if s.layout is not None}
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        for sheet in plan.sheets:
            self.sheet_combo.addItem(sheet.name, sheet.name)
        first = next((i for i, s in enumerate(plan.sheets) if s.included), 0)
        self.sheet_combo.setCurrentIndex(first)
        self.sheet_combo.blockSignals(False)
        self._excluded = {
            s.name for s in plan.sheets if s.layout is not None and not s.included and not s.problem
        }
        self._set_plan(plan)

    def _on_failed(self, error: BaseException) -> None:
        self._task = None
        messages.show_error(self, error)
        if self.book is None:
            self.reject()  # the file could not be read: nothing to preview
        else:
            self._set_busy(False)

    def _replan(self) -> None:
        if self.book is None or self._task is not None:
            return
        book, on_match = self.book, self.match_combo.currentData()
        layouts = dict(self._layouts)
        sheets = [name for name in layouts if name not in self._excluded]
        decisions = self._decisions()
        self._set_busy(True)

        def plan(progress: Any, cancelled: Any) -> ImportPlan:
            result = self.service.preview(book, on_match, layouts, sheets, kind=self.kind)
            for index, row in enumerate(result.rows):
                decision = decisions.get((row.sheet, row.row_number))
                if decision is not None and row.matched:
                    result.decide(index, decision)
            return result

        self._run(plan, self._on_replanned)

    def _decisions(self) -> dict[tuple[str, int], Action]:
        """The per-row choices that differ from the default, kept across a new preview."""
        if self.plan is None:
            return {}
        return {
            (r.sheet, r.row_number): r.action
            for r in self.plan.rows
            if r.matched and r.action != self.plan.on_match
        }

    def _on_replanned(self, plan: ImportPlan) -> None:
        self._task = None
        self._set_plan(plan)

    def _set_plan(self, plan: ImportPlan) -> None:
        self.plan = plan
        self.model.set_plan(plan)
        for column, width in enumerate((90, 50, 80, 170, 110)):
            self.table.setColumnWidth(column, int(width * self.fontMetrics().height() / 17))
        self._set_busy(False)
        self._show_mapping()
        self._update_summary()

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        """The selected row's problems in full, below the table (the cell shows the start)."""
        row = self.proxy.data(current, ImportRowModel.ROW_ROLE) if current.isValid() else None
        if row is None:
            self.detail_label.clear()
            return
        lines = [
            _("Sheet {sheet}, row {row}").format(sheet=row.sheet, row=row.row_number)
            + f" · {row.name}"
        ]
        lines += row.errors + row.warnings
        if row.matched and row.changed:
            lines.append(
                _("Changes: {fields}").format(
                    fields="、".join(field_label(f, self.kind) for f in row.changed)
                )
            )
        self.detail_label.setText("\n".join(lines))

    def _update_summary(self) -> None:
        if self.plan is None:
            return
        self.summary_label.setText("\n".join([summary(self.plan), *new_groups(self.plan)]))
        self.import_button.setEnabled(bool(self.plan.to_write()) and self._task is None)

    def _set_busy(self, busy: bool) -> None:
        for widget in (
            self.sheet_combo,
            self.include_check,
            self.mapping_area,
            self.match_combo,
            self.table,
        ):
            widget.setEnabled(not busy)
        self.import_button.setEnabled(not busy and bool(self.plan and self.plan.to_write()))
        if busy:
            self.summary_label.setText(_("Reading {name}…").format(name=self.path.name))

    # ------------------------------------------------------------------ the mapping

    def current_sheet(self) -> str | None:
        return self.sheet_combo.currentData()

    def _show_mapping(self) -> None:
        while self.mapping_grid.count():
            item = self.mapping_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.mapping_combos = {}
        name = self.current_sheet()
        sheet = next((s for s in self.plan.sheets if s.name == name), None) if self.plan else None
        layout = self._layouts.get(name or "")
        self.sheet_note.setText(sheet.problem if sheet else "")
        self.sheet_note.setVisible(bool(sheet and sheet.problem))
        self.include_check.blockSignals(True)
        self.include_check.setEnabled(layout is not None)
        self.include_check.setChecked(layout is not None and name not in self._excluded)
        self.include_check.blockSignals(False)
        if layout is None:
            return
        for position, column in enumerate(layout.columns):
            if not column.header and column.field is None:
                continue
            label = QLabel(f"{column_letter(column.index)}  {column.header}")
            label.setToolTip(column.header)
            combo = QComboBox(objectName=f"mapping_{column.index}")
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.addItem(_("(not imported)"), None)
            for field in FIELDS_BY_KIND[self.kind]:
                combo.addItem(field_label(field, self.kind), field)
            combo.setCurrentIndex(max(combo.findData(column.field), 0))
            combo.currentIndexChanged.connect(
                lambda _index, c=column.index, box=combo: self.set_column_field(
                    c, box.currentData()
                )
            )
            label.setBuddy(combo)
            self.mapping_grid.addWidget(label, 0, position)
            self.mapping_grid.addWidget(combo, 1, position)
            self.mapping_combos[column.index] = combo

    def set_column_field(self, column: int, field: str | None) -> None:
        """Map a column of the current sheet to a field (or to nothing), then preview again."""
        name = self.current_sheet()
        layout = self._layouts.get(name or "")
        if layout is None:
            return
        changes: dict[int, str | None] = {
            c.index: None
            for c in layout.columns
            if field and c.field == field and c.index != column
        }
        changes[column] = field
        self._layouts[name] = layout.with_mapping(changes)  # type: ignore[index]
        self._excluded.discard(name)  # type: ignore[arg-type]
        self._replan()

    def _on_include_toggled(self, checked: bool) -> None:
        name = self.current_sheet()
        if name is None:
            return
        if checked:
            self._excluded.discard(name)
        else:
            self._excluded.add(name)
        self._replan()

    # ------------------------------------------------------------------ importing

    def start_import(self) -> None:
        plan = self.plan
        if plan is None or self._task is not None or not plan.to_write():
            return
        counts = plan.counts()
        if counts[Action.INVALID] and not messages.confirm(
            self,
            self._title(),
            ngettext(
                "{n} row has problems and will not be imported.",
                "{n} rows have problems and will not be imported.",
                counts[Action.INVALID],
            ).format(n=counts[Action.INVALID])
            + "\n"
            + _(
                "Import the other rows now? You can fix the file and import it again "
                "later; rows already imported will then be unchanged."
            ),
        ):
            return
        total = len(plan.to_write())
        busy = _("Importing households…") if self._households() else _("Importing members…")
        self._progress = QProgressDialog(busy, _("Cancel"), 0, total, self)
        self._progress.setObjectName("import_progress")
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(300)
        self._progress.setAutoClose(False)
        self._progress.setAutoReset(False)
        self._set_busy(True)
        self.import_button.setEnabled(False)
        self.summary_label.setText(busy)
        self._task = self.ops.run_long(
            self,
            lambda progress, cancelled: self.service.commit(plan, progress, cancelled),
            {MEMBERS, GROUPS, HOUSEHOLDS},
            done=self._on_imported,
            failed=self._on_import_failed,
            on_progress=self._on_progress,
        )
        self._progress.canceled.connect(self.cancel_import)

    def cancel_import(self) -> None:
        if self._task is not None:
            self._task.cancelled.set()

    def _on_progress(self, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress.setMaximum(total)
            self._progress.setValue(done)

    def _close_progress(self) -> None:
        self._task = None
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None

    def _on_imported(self, result: ImportResult) -> None:
        self._close_progress()
        self.result = result
        self.imported.emit(result)
        self.accept()

    def _on_import_failed(self, error: BaseException) -> None:
        self._close_progress()
        self._set_busy(False)
        if isinstance(error, ImportCancelled):
            self.summary_label.setText(error.message)
            return
        messages.show_error(self, error)
        self._update_summary()

    def reject(self) -> None:
        if self._task is not None and self._progress is not None:
            self.cancel_import()  # the import stops and rolls back; the dialog stays until then
            return
        super().reject()
