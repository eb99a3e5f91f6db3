# SPDX-License-Identifier: GPL-3.0-or-later
"""Party groups (党小组): add, rename and remove them, and see who belongs to each."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _
from desktop.models.register.rows import PartyGroupRow
from desktop.views import messages
from desktop.views.ops import GROUPS, MEMBERS, STEWARDS, Ops
from desktop.views.qtmodels.member_table_model import MemberTableModel
from desktop.views.qtmodels.rows_model import Column, RowsTableModel
from desktop.views.widgets.wrap import WrapLabel

if TYPE_CHECKING:
    from desktop.models.register.service import BranchService, MemberService


class PartyGroupTableModel(RowsTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            (
                Column(N_("No."), lambda g: str(g.number), align_center=True),
                Column(N_("Party group"), lambda g: g.name),
                Column(
                    N_("Members"),
                    lambda g: str(g.member_count),
                    align_center=True,
                ),
                Column(N_("Group steward"), lambda g: g.steward_name),
            ),
            parent,
        )


class PartyGroupsPage(QWidget):
    status_message = Signal(str)

    def __init__(
        self,
        branches: BranchService,
        members: MemberService,
        parent: QWidget | None = None,
        *,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("party_groups_page")
        self.branches, self.branch_id = branches, members.branch_id
        self.ops = ops if ops is not None else Ops(self)
        #: The groups show their member counts and group stewards.
        self.ops.changed.connect(self._on_changed)

        self.group_model = PartyGroupTableModel(self)
        self.group_table = QTableView(objectName="group_table")
        self.group_table.setModel(self.group_model)
        self.group_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.group_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.group_table.verticalHeader().hide()
        self.group_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.member_model = MemberTableModel(members, self)
        self.member_table = QTableView(objectName="group_member_table")
        self.member_table.setModel(self.member_model)
        self.member_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.member_table.horizontalHeader().setStretchLastSection(True)
        self.members_label = WrapLabel(objectName="group_members_label")

        self.add_button = QPushButton(objectName="add_group_button")
        self.rename_button = QPushButton(objectName="rename_group_button")
        self.remove_button = QPushButton(objectName="remove_group_button")
        self.add_button.clicked.connect(self.add_group)
        self.rename_button.clicked.connect(self.rename_group)
        self.remove_button.clicked.connect(self.remove_group)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch()
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.group_table)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.members_label)
        right_layout.addWidget(self.member_table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([420, 580])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.group_table.selectionModel().selectionChanged.connect(self._on_group_selected)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.add_button.setText(_("&Add group"))
        self.rename_button.setText(_("Re&name"))
        self.remove_button.setText(_("Remove group"))

    def refresh(self) -> None:
        selected = self.selected_group()
        self.group_model.set_rows(self.branches.party_groups(self.branch_id))
        self.group_table.resizeColumnToContents(0)
        if selected is not None:
            self.select_group(selected.id)
        elif self.group_model.rowCount():
            self.group_table.selectRow(0)
        self._on_group_selected()

    def selected_group(self) -> PartyGroupRow | None:
        rows = self.group_table.selectionModel().selectedRows()
        return self.group_model.rows()[rows[0].row()] if rows else None

    def select_group(self, group_id: uuid.UUID) -> None:
        for number, row in enumerate(self.group_model.rows()):
            if row.id == group_id:
                self.group_table.selectRow(number)
                return

    def _on_group_selected(self) -> None:
        group = self.selected_group()
        self.rename_button.setEnabled(group is not None)
        self.remove_button.setEnabled(group is not None)
        if group is None:
            self.members_label.setText(_("Choose a party group to see its members."))
            self.member_model.set_filter("", uuid.UUID(int=0))
            return
        self.member_model.set_filter("", group.id)
        steward = (
            _("group steward: {name}").format(name=group.steward_name)
            if group.steward_name
            else _("no group steward appointed")
        )
        self.members_label.setText(
            _("Members of {group} ({steward})").format(group=group.name, steward=steward)
        )

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {GROUPS, MEMBERS, STEWARDS}:
            self.refresh()

    def _run(self, action: Callable[[], object], done: str | None = None) -> None:
        self.ops.run(
            self,
            action,
            {GROUPS},
            done=lambda _result: self.status_message.emit(done) if done else None,
        )

    def add_group(self) -> None:
        name, ok = QInputDialog.getText(
            self,
            _("Add party group"),
            _("Name of the new group (leave empty to number it automatically):"),
        )
        if ok:
            self._run(lambda: self.branches.add_party_group(self.branch_id, name))

    def rename_group(self) -> None:
        group = self.selected_group()
        if group is None:
            return
        name, ok = QInputDialog.getText(
            self, _("Rename party group"), _("New name:"), text=group.name
        )
        if ok:
            self._run(
                lambda: self.branches.rename_party_group(group.id, name),
                _("Renamed to {name}.").format(name=name.strip()),
            )

    def remove_group(self) -> None:
        """Say first why a group cannot go (its members), then ask; never ask, then refuse."""
        group = self.selected_group()
        if group is None:
            return
        problem = self.branches.party_group_removal_problem(group.id)
        if problem is not None:
            messages.inform(self, _("Remove party group"), problem)
            return
        if not messages.confirm(
            self, _("Remove party group"), _("Remove {group}?").format(group=group.name)
        ):
            return
        self._run(
            lambda: self.branches.remove_party_group(group.id),
            _("Removed {group}.").format(group=group.name),
        )
