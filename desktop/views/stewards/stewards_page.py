# SPDX-License-Identifier: GPL-3.0-or-later
"""Red stewards (红色管家): appointments with history, photo and area, commitment, and team."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.i18n import N_, _, format_date
from desktop.models.stewards.rows import COMMITMENT_STAGES, ROLES, StewardRow, VolunteerRow
from desktop.views import messages
from desktop.views.ops import ASSESSMENT, GROUPS, HOUSEHOLDS, MEMBERS, STEWARDS, Ops
from desktop.views.qtmodels.rows_model import Column, RowsTableModel
from desktop.views.search_picker import SearchPicker
from desktop.views.stewards.appoint_dialog import AppointDialog
from desktop.views.stewards.away_dialog import AwayDialog
from desktop.views.stewards.commitment_box import CommitmentBox
from desktop.views.stewards.export_button import ExportButton
from desktop.views.stewards.member_choices import member_search
from desktop.views.widgets.flow import flow_row
from desktop.views.widgets.screen import scrolling

if TYPE_CHECKING:
    from desktop.models.stewards.service import StewardService
    from desktop.tabular.service import TabularService

STEWARD_COLUMNS = (
    Column(N_("Name"), lambda r: r.name),
    Column(N_("Post"), lambda r: _(ROLES[r.role])),
    Column(N_("Party group"), lambda r: r.party_group_name),
    Column(N_("Area"), lambda r: r.area),
    Column(N_("From"), lambda r: format_date(r.started_on)),
    Column(N_("Until"), lambda r: format_date(r.ended_on)),
    Column(
        N_("Commitment"), lambda r: _(COMMITMENT_STAGES[r.commitment.stage]) if r.commitment else ""
    ),
)
TEAM_COLUMNS = (
    Column(N_("Name"), lambda v: v.name),
    Column(N_("Phone"), lambda v: v.phone),
    Column(
        N_("Role"),
        lambda v: (
            _("steward") if v.is_steward else _("party member") if v.is_member else _("villager")
        ),
    ),
    Column(N_("Households"), lambda v: str(v.household_count), align_center=True),
)
GRADE_COLUMNS = (
    Column(N_("Year"), lambda g: str(g.year), align_center=True),
    Column(N_("Total"), lambda g: f"{g.total:f}".rstrip("0").rstrip("."), align_center=True),
    Column(N_("Grade"), lambda g: _(g.grade_name)),
)
PHOTO_FILTER = N_("Pictures (*.jpg *.jpeg *.png *.bmp)")


class StewardsPage(QWidget):
    status_message = Signal(str)

    def __init__(
        self,
        stewards: StewardService,
        tabular: TabularService,
        parent: QWidget | None = None,
        *,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stewards_page")
        self.stewards = stewards
        self.ops = ops if ops is not None else Ops(self)
        #: Names come from the register, group names from the groups, counts from households.
        self.ops.changed.connect(self._on_changed)
        self.history_check = QCheckBox(objectName="history_check")
        self.history_check.toggled.connect(self.refresh)
        self.appoint_button = QPushButton(objectName="appoint_button")
        self.appoint_button.clicked.connect(self.appoint)
        self.end_button = QPushButton(objectName="end_button")
        self.end_button.clicked.connect(self.end_appointment)
        self.export_button = ExportButton(
            tabular,
            "stewards",
            lambda: _("Stewards"),
            self.status_message.emit,
            self,
            tooltip=lambda: _(
                "Export the current stewards with this year's commitment to Excel (.xlsx) or CSV"
            ),
        )
        self.model = RowsTableModel(STEWARD_COLUMNS, self)
        self.table = self._table("steward_table", self.model)
        self.table.selectionModel().selectionChanged.connect(self._on_selected)

        self.photo_label = QLabel(objectName="steward_photo")
        self.photo_label.setFixedSize(120, 160)
        self.photo_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo_label.setStyleSheet("border: 1px solid #c8c8c8")
        self.photo_button = QPushButton(objectName="photo_button")
        self.photo_button.clicked.connect(self.import_photo)
        self.area_edit = QLineEdit(objectName="area_edit")
        self.phone_check = QCheckBox(objectName="phone_public_check")
        self.details_button = QPushButton(objectName="save_details")
        self.details_button.clicked.connect(self.save_details)
        self.commitment = CommitmentBox(stewards, self, ops=self.ops)
        #: The grades of the final years of the annual assessment (read only).
        self.grades_label = QLabel(objectName="grades_label")
        self.grades_model = RowsTableModel(GRADE_COLUMNS, self)
        self.grades_table = self._table("grades_table", self.grades_model)
        self.grades_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grades_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.grades_table.setMaximumHeight(self.fontMetrics().height() * 9)
        self.team_label = QLabel(objectName="team_label")
        self.team_model = RowsTableModel(TEAM_COLUMNS, self)
        self.team_table = self._table("team_table", self.team_model)
        self.team_table.selectionModel().selectionChanged.connect(self._on_team_selected)
        self.away_button = QPushButton(objectName="away_button")
        self.away_button.clicked.connect(self.record_away)
        self.away_button.setEnabled(False)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.team_table,
            self.remove_volunteer,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.villager_name = QLineEdit(objectName="villager_name")
        self.villager_phone = QLineEdit(objectName="villager_phone")
        self.add_villager_button = QPushButton(objectName="add_villager")
        self.add_villager_button.clicked.connect(self.add_villager)
        self.villager_phone.returnPressed.connect(self.add_villager)
        # Type a name: the first matches of the register are offered (never all of it).
        self.member_picker = SearchPicker(member_search(stewards), name="team_member_picker")
        self.add_member_button = QPushButton(objectName="add_team_member")
        self.add_member_button.clicked.connect(self.add_member)
        self.member_picker.returnPressed.connect(self._on_member_return)

        photo_column = QVBoxLayout()
        photo_column.addWidget(self.photo_label)
        photo_column.addWidget(self.photo_button)
        photo_column.addStretch()
        self.form = QFormLayout()
        self.area_label, self.phone_label = QLabel(), QLabel()
        self.area_label.setBuddy(self.area_edit)
        self.form.addRow(self.area_label, self.area_edit)
        self.form.addRow(self.phone_label, self.phone_check)
        self.form.addRow(self.details_button)
        grades_column = QVBoxLayout()
        grades_column.addWidget(self.grades_label)
        grades_column.addWidget(self.grades_table)
        grades_column.addStretch()
        top = QHBoxLayout()
        top.addLayout(photo_column)
        top.addLayout(self.form, 1)
        top.addLayout(grades_column)
        add_row = QHBoxLayout()
        for widget in (self.villager_name, self.villager_phone, self.add_villager_button):
            add_row.addWidget(widget)
        member_row = QHBoxLayout()
        member_row.addWidget(self.member_picker, 1)
        member_row.addWidget(self.add_member_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(top)
        right_layout.addWidget(self.commitment)
        team_top = QHBoxLayout()
        team_top.addWidget(self.team_label, 1)
        team_top.addWidget(self.away_button)
        right_layout.addLayout(team_top)
        right_layout.addWidget(self.team_table, 1)
        right_layout.addLayout(member_row)
        right_layout.addLayout(add_row)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(
            flow_row(self.history_check, self.appoint_button, self.end_button, self.export_button)
        )
        left_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        # The steward's details scroll on their own at a large text size on a laptop.
        splitter.addWidget(scrolling(right))
        splitter.setSizes([560, 480])
        QVBoxLayout(self).addWidget(splitter)
        self.retranslate()
        self.refresh()

    def _table(self, name: str, model: RowsTableModel) -> QTableView:
        table = QTableView(objectName=name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def retranslate(self) -> None:
        self.history_check.setText(_("Show past appointments too"))
        self.appoint_button.setText(_("Appoint…"))
        self.away_button.setText(_("Days away…"))
        self.add_member_button.setText(_("Add party member to the team"))
        self.away_button.setToolTip(
            _(
                "Record the days the chosen team member is away; "
                "rosters leave them out on those days."
            )
        )
        self.team_table.setToolTip(_("Delete takes the chosen person off the team."))
        self.end_button.setText(_("End appointment"))
        self.photo_button.setText(_("Import photo…"))
        self.area_label.setText(_("&Area served:"))
        self.phone_label.setText(_("Public phone:"))
        self.phone_check.setText(_("Show the steward's own phone on the board"))
        self.details_button.setText(_("Save details"))
        self.villager_name.setPlaceholderText(_("Villager's name"))
        self.member_picker.setPlaceholderText(_("Party member: type a name or ID number"))
        self.villager_phone.setPlaceholderText(_("Phone (Enter adds)"))
        self.add_villager_button.setText(_("Add villager to the team"))
        self.grades_label.setText(_("Assessment grades:"))
        self.grades_table.setToolTip(_("The grades of the finalised annual assessments"))
        self.commitment.retranslate()
        self.export_button.retranslate()

    def selected(self) -> StewardRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _on_member_return(self) -> None:
        """Enter picks from the suggestions first; Enter on a chosen member adds them."""
        if not self.member_picker.completer_.popup().isVisible():
            self.add_member()

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {STEWARDS, MEMBERS, GROUPS, HOUSEHOLDS}:
            self.refresh()
        elif ASSESSMENT in areas:
            self._show_grades(self.selected())

    def refresh(self) -> None:
        current = self.selected()
        self.model.set_rows(self.stewards.stewards(history=self.history_check.isChecked()))
        rows = self.model.rows()
        index = next(
            (i for i, r in enumerate(rows) if current and r.id == current.id), 0 if rows else -1
        )
        if index >= 0:
            self.table.selectRow(index)
        self._on_selected()

    def _on_selected(self) -> None:
        steward = self.selected()
        for widget in (self.photo_button, self.details_button, self.area_edit, self.phone_check):
            widget.setEnabled(steward is not None)
        self.end_button.setEnabled(steward is not None and steward.ended_on is None)
        self.area_edit.setText(steward.area if steward else "")
        self.phone_check.setChecked(bool(steward and steward.phone_public))
        self.commitment.show_steward(steward)
        self._show_photo(steward)
        self._show_team(steward)
        self._show_grades(steward)

    def _show_grades(self, steward: StewardRow | None) -> None:
        self.grades_model.set_rows(self.stewards.grades(steward.id) if steward else [])

    def _show_photo(self, steward: StewardRow | None) -> None:
        data = self.stewards.photo(steward.id) if steward and steward.has_photo else None
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            self.photo_label.setPixmap(
                pixmap.scaled(
                    self.photo_label.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.photo_label.setPixmap(QPixmap())
            self.photo_label.setText(_("No photo"))

    def _team_id(self, steward: StewardRow | None):  # type: ignore[no-untyped-def]
        if steward is None or steward.party_group_id is None:
            return None
        return next(
            (t.id for t in self.stewards.teams() if t.party_group_id == steward.party_group_id),
            None,
        )

    def _show_team(self, steward: StewardRow | None) -> None:
        team_id = self._team_id(steward)
        self.team_model.set_rows(self.stewards.volunteers(team_id) if team_id else [])
        self._on_team_selected()
        for widget in (
            self.villager_name,
            self.villager_phone,
            self.add_villager_button,
            self.member_picker,
            self.add_member_button,
        ):
            widget.setEnabled(team_id is not None)
        self.team_label.setText(
            _("Service team: {n} people").format(n=self.team_model.rowCount())
            if team_id
            else _("The chief steward leads all the teams.")
        )

    def selected_volunteer(self) -> VolunteerRow | None:
        rows = self.team_table.selectionModel().selectedRows()
        return self.team_model.row_at(rows[0].row()) if rows else None

    def _on_team_selected(self) -> None:
        self.away_button.setEnabled(self.selected_volunteer() is not None)

    def remove_volunteer(self) -> None:
        """Delete takes the chosen person off the team, after asking."""
        volunteer = self.selected_volunteer()
        if (
            volunteer is None
            or volunteer.is_steward
            or not messages.confirm(
                self,
                _("Take off the team"),
                _(
                    "Take {name} off the team? Their past duties and services keep the name; "
                    "the households they looked after need a new carer."
                ).format(name=volunteer.name),
            )
        ):
            return
        self._run(
            lambda: self.stewards.remove_volunteer(volunteer.id),
            _("Took {name} off the team.").format(name=volunteer.name),
        )

    def record_away(self) -> None:
        volunteer = self.selected_volunteer()
        if volunteer is None:
            return
        away = AwayDialog.ask(volunteer.name, self.stewards.unavailability([volunteer.id]), self)
        if away is None:
            return
        self._run(
            lambda: self.stewards.add_unavailability(
                volunteer.id, away.first, away.last, away.reason
            ),
            _("Recorded the days away of {name}: {first} – {last}.").format(
                name=volunteer.name,
                first=format_date(away.first),
                last=format_date(away.last),
            ),
        )

    def _run(
        self,
        action: Callable[[], object],
        done: str,
        then: Callable[[], None] | None = None,
    ) -> None:
        """Run a change to the stewards through the window's one change runner."""

        def succeeded(_result: object) -> None:
            self.status_message.emit(done)
            if then is not None:
                then()

        self.ops.run(self, action, {STEWARDS}, done=succeeded)

    def appoint(self) -> None:
        chosen = AppointDialog.ask(self.stewards, self)
        if chosen is None:
            return
        self._run(
            lambda: self.stewards.appoint(
                chosen.member_id, chosen.role, chosen.party_group_id, chosen.started_on
            ),
            _("Appointed."),
        )

    def end_appointment(self) -> None:
        steward = self.selected()
        if steward is None or not messages.confirm(
            self,
            _("End appointment"),
            _("End the appointment of {name} today? It stays in the history.").format(
                name=steward.name
            ),
        ):
            return
        self._run(
            lambda: self.stewards.end_appointment(steward.id, dt.date.today()),
            _("Ended the appointment of {name}.").format(name=steward.name),
        )

    def import_photo(self, path: str | None = None) -> None:
        steward = self.selected()
        if steward is None:
            return
        if not path:
            path, _filter = QFileDialog.getOpenFileName(
                self, _("Choose the steward's photo"), "", _(PHOTO_FILTER)
            )
        if not path:
            return
        self._run(
            lambda: self.stewards.set_photo_file(steward.id, Path(path)),
            _("Saved the photo of {name}.").format(name=steward.name),
        )

    def save_details(self) -> None:
        steward = self.selected()
        if steward is not None:
            self._run(
                lambda: self.stewards.set_details(
                    steward.id,
                    area=self.area_edit.text(),
                    phone_public=self.phone_check.isChecked(),
                ),
                _("Saved {name}.").format(name=steward.name),
            )

    def add_member(self) -> None:
        team_id = self._team_id(self.selected())
        typed = self.member_picker.text().strip()
        if team_id is None or not typed:
            return
        member_id = self.member_picker.current_key()
        if member_id is None:
            messages.show_error(
                self, UserError(_("{name} is not in the register.").format(name=typed))
            )
            return
        name = self.member_picker.current_name()
        self._run(
            lambda: self.stewards.add_volunteer(team_id, member_id=member_id),
            _("Added {name} to the team.").format(name=name),
        )

    def add_villager(self) -> None:
        team_id = self._team_id(self.selected())
        if team_id is None:
            return
        name, phone = self.villager_name.text(), self.villager_phone.text()

        def added() -> None:
            self.villager_name.clear()
            self.villager_phone.clear()
            self.villager_name.setFocus()

        self._run(
            lambda: self.stewards.add_volunteer(team_id, name=name, phone=phone),
            _("Added {name} to the team.").format(name=name.strip()),
            added,
        )
