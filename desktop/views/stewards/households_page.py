# SPDX-License-Identifier: GPL-3.0-or-later
"""Households (住户): flags, who looks after each, last visit, and those overdue a visit."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.i18n import N_, _, format_date
from desktop.models.stewards.rows import HouseholdQuery, HouseholdRow
from desktop.views import messages
from desktop.views.ops import GROUPS, HOUSEHOLDS, MEMBERS, SERVICE_LOG, STEWARDS, Ops
from desktop.views.qtmodels.household_table_model import HouseholdTableModel
from desktop.views.qtmodels.rows_model import Column
from desktop.views.stewards.household_dialog import HouseholdDialog
from desktop.views.undo import RemovalCommand
from desktop.views.widgets.flow import flow_row

#: The pause after the last keystroke before the households are searched (milliseconds).
SEARCH_DELAY_MS = 200

if TYPE_CHECKING:
    from desktop.models.stewards.service import StewardService


def _flags(h: HouseholdRow) -> str:
    return "、".join(
        label
        for flag, label in (
            (h.elderly_alone, _("elderly alone")),
            (h.low_income, _("low income")),
            (h.needs_visits, _("needs visits")),
        )
        if flag
    )


def _overdue(h: HouseholdRow) -> str:
    if h.overdue_days is None or h.overdue_days <= 0:
        return ""
    if h.last_visit is None:
        return _("never visited")
    return _("{n} days late").format(n=h.overdue_days)


HOUSEHOLD_COLUMNS = (
    Column(N_("Head of household"), lambda h: h.head_name),
    Column(N_("Address"), lambda h: h.address),
    Column(N_("Party group"), lambda h: h.party_group_name),
    Column(N_("Phone"), lambda h: h.phone),
    Column(N_("Flags"), _flags),
    Column(N_("Looked after by"), lambda h: h.carer_name),
    Column(
        N_("Last visit"),
        lambda h: format_date(h.last_visit),
    ),
    Column(
        N_("Visit due"),
        _overdue,
        warn=lambda h: bool(h.overdue_days and h.overdue_days > 0),
    ),
)


class HouseholdsPage(QWidget):
    status_message = Signal(str)

    def __init__(
        self,
        stewards: StewardService,
        parent: QWidget | None = None,
        undo_stack: QUndoStack | None = None,
        *,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("households_page")
        self.stewards = stewards
        self.ops = ops if ops is not None else Ops(self)
        #: Carers are team members; names come from the register; visits from the log.
        self.ops.changed.connect(self._on_changed)
        #: Shared with the main window's Edit menu when given, so Ctrl+Z undoes a removal.
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        self.search_edit = QLineEdit(objectName="household_search")
        self.search_edit.setClearButtonEnabled(True)
        # Searched as the clerk types, after a short pause (the same as the register's filter).
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self._on_search_return)
        self.group_combo = QComboBox(objectName="household_group")
        self.overdue_check = QCheckBox(objectName="overdue_check")
        self.count_label = QLabel(objectName="household_count")
        # Pages from the database: a county's households are never all read (#22).
        self.model = HouseholdTableModel(stewards, HOUSEHOLD_COLUMNS, self)
        self.table = QTableView(objectName="household_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setResizeContentsPrecision(self.model.PAGE_SIZE)  # the widths of a page's rows
        header.setStretchLastSection(True)
        self.carer_label = QLabel()
        self.carer_combo = QComboBox(objectName="carer_combo")
        self.carer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.carer_combo.setMinimumContentsLength(6)
        self.carer_label.setBuddy(self.carer_combo)
        self.assign_button = QPushButton(objectName="assign_carer")
        self.assign_button.clicked.connect(self.assign)
        self.add_button = QPushButton(objectName="add_household_button")
        self.edit_button = QPushButton(objectName="edit_household_button")
        self.remove_button = QPushButton(objectName="remove_household_button")
        self.add_button.clicked.connect(self.add_household)
        self.edit_button.clicked.connect(self.edit_household)
        self.remove_button.clicked.connect(self.remove_household)
        self.table.doubleClicked.connect(self.edit_household)
        for keys, slot in (
            (QKeySequence.StandardKey.New, self.add_household),
            (QKeySequence.StandardKey.Delete, self.remove_household),
        ):
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(
                QKeySequence(key),
                self.table,
                self.edit_household,
                context=Qt.ShortcutContext.WidgetShortcut,
            )
        # Over two lines or more at a large text size on a laptop.
        top = flow_row(
            self.search_edit,
            self.group_combo,
            self.overdue_check,
            self.count_label,
            self.add_button,
            self.edit_button,
            self.remove_button,
        )
        bottom = QHBoxLayout()
        for widget in (self.carer_label, self.carer_combo, self.assign_button):
            bottom.addWidget(widget)
        bottom.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.retranslate()
        self._load_groups()
        self.group_combo.currentIndexChanged.connect(self.refresh)
        self.overdue_check.toggled.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(self._on_selected)
        self.refresh()

    def retranslate(self) -> None:
        self.search_edit.setPlaceholderText(_("Find a household: head, pinyin (cjg), address…"))
        self.search_edit.setToolTip(
            _(
                "Type the head of household's name, its pinyin or initials (chen, cjg), "
                "part of the address or the phone."
            )
        )
        self.overdue_check.setText(_("Only households overdue a visit"))
        self.carer_label.setText(_("&Looked after by:"))
        self.assign_button.setText(_("Assign"))
        self.add_button.setText(_("&Add household…"))
        self.add_button.setToolTip(_("Add a household (Ctrl+N)"))
        self.edit_button.setText(_("&Edit…"))
        self.edit_button.setToolTip(_("Edit the selected household (Enter or double-click)"))
        self.remove_button.setText(_("&Remove"))
        self.remove_button.setToolTip(_("Remove the selected household (Del); Ctrl+Z undoes it"))

    def _load_groups(self) -> None:
        current = self.group_combo.currentData()
        self.group_combo.blockSignals(True)
        self.group_combo.clear()
        self.group_combo.addItem(_("All party groups"), None)
        for team in self.stewards.teams():
            if team.party_group_id is not None:
                self.group_combo.addItem(team.name, str(team.party_group_id))
        self.group_combo.setCurrentIndex(max(self.group_combo.findData(current), 0))
        self.group_combo.blockSignals(False)

    def _on_changed(self, areas: frozenset[str]) -> None:
        if GROUPS in areas:
            self._load_groups()
        if areas & {HOUSEHOLDS, STEWARDS, MEMBERS, GROUPS, SERVICE_LOG}:
            selected = self.selected()
            self.refresh(select=selected.id if selected else None)

    def refresh(self, select: uuid.UUID | None = None) -> None:
        self._search_timer.stop()
        group = self.group_combo.currentData()
        self.model.set_query(
            HouseholdQuery(
                self.search_edit.text(),
                uuid.UUID(group) if group else None,
                self.overdue_check.isChecked(),
            )
        )
        self.count_label.setText(_("{n} households").format(n=self.model.rowCount()))
        if select is not None:
            self.model.select_record(self.table, select)
        self._on_selected()

    def _on_search_return(self) -> None:
        self.refresh()
        first = self.model.row_at(0) if self.model.rowCount() else None
        if first is not None:
            self.table.setFocus()
            self.model.select_record(self.table, first.id)

    def selected(self) -> HouseholdRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_selected(self) -> None:
        household = self.selected()
        self.carer_combo.clear()
        self.carer_combo.addItem(_("(nobody)"), "")
        if household is not None:
            group = household.party_group_id
            for person in self.stewards.group_volunteers(group) if group else []:
                self.carer_combo.addItem(person.name, str(person.id))
            self.carer_combo.setCurrentIndex(
                max(
                    self.carer_combo.findData(
                        str(household.carer_id) if household.carer_id else ""
                    ),
                    0,
                )
            )
        for widget in (self.carer_combo, self.assign_button, self.edit_button, self.remove_button):
            widget.setEnabled(household is not None)

    def assign(self) -> None:
        household = self.selected()
        if household is None:
            return
        data = self.carer_combo.currentData()
        carer = self.carer_combo.currentText()
        self.ops.run(
            self,
            lambda: self.stewards.assign_carer(household.id, uuid.UUID(data) if data else None),
            {HOUSEHOLDS},
            done=lambda _result: self.status_message.emit(
                _("{name} is looked after by {carer}.").format(
                    name=household.head_name, carer=carer
                )
            ),
        )

    # ------------------------------------------------------------------ add, edit, remove

    def _writable(self) -> bool:
        """False for an account that may only read: the main window hides the write buttons."""
        return not self.add_button.isHidden()

    def open_dialog(self, household_id: uuid.UUID | None) -> HouseholdDialog:
        """The dialog for a household (or a new one in the chosen group), refreshing on save."""
        group = self.group_combo.currentData()
        dialog = HouseholdDialog(
            self.stewards,
            household_id,
            self,
            party_group_id=uuid.UUID(group) if group else None,
            ops=self.ops,
        )
        dialog.household_saved.connect(self._on_household_saved)
        return dialog

    def add_household(self) -> None:
        if self._writable():
            self.open_dialog(None).open()

    def edit_household(self) -> None:
        household = self.selected()
        if household is None or not self._writable():
            return
        try:
            dialog = self.open_dialog(household.id)
        except UserError as error:  # removed in the meantime (sync)
            messages.show_error(self, error)
            return
        dialog.open()

    def _on_household_saved(self, household_id: uuid.UUID) -> None:
        self.refresh(select=household_id)
        if self.selected() is None or self.selected().id != household_id:
            # The saved household does not pass the filters: clear them so it can be seen.
            for widget in (self.overdue_check, self.group_combo):
                widget.blockSignals(True)
            self.overdue_check.setChecked(False)
            self.group_combo.setCurrentIndex(0)
            for widget in (self.overdue_check, self.group_combo):
                widget.blockSignals(False)
            self.refresh(select=household_id)
        household = self.selected()
        name = household.head_name if household else ""
        self.status_message.emit(_("Saved the household of {name}.").format(name=name))

    def remove_household(self) -> None:
        household = self.selected()
        if household is None or not self._writable():
            return
        if not messages.confirm(
            self,
            _("Remove household"),
            _(
                "Remove the household of {name} ({address})? Its service records stay. "
                "You can undo this with Ctrl+Z."
            ).format(name=household.head_name, address=household.address or "—"),
        ):
            return

        def removed(_result: object) -> None:
            self.undo_stack.push(
                RemovalCommand(
                    _("Remove {name}").format(name=household.head_name),
                    self,
                    household.id,
                    self.stewards.remove_household,
                    self.stewards.restore_household,
                    lambda select: self.refresh(select=select),
                    self.ops,
                    {HOUSEHOLDS},
                )
            )
            self.status_message.emit(
                _("Removed the household of {name}. Press Ctrl+Z to undo.").format(
                    name=household.head_name
                )
            )

        self.ops.run(
            self, lambda: self.stewards.remove_household(household.id), {HOUSEHOLDS}, done=removed
        )
