# SPDX-License-Identifier: GPL-3.0-or-later
"""Duty rosters (值班): generate for a team and period, reopen, edit by keyboard, see fairness.

Keys: in the duty table, Enter or F2 opens the person of the duty (type or arrow, Enter to
commit); select two duties (Shift+arrow, or Ctrl+Space) and press Alt+S to swap them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
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
from desktop.i18n import N_, _, format_date, format_datetime, qt_date_format
from desktop.models.stewards.rows import DutyRow, RosterDetail, RosterRow, VolunteerRow
from desktop.models.stewards.service import RosterService, StewardService
from desktop.views import messages
from desktop.views.combos import select_data
from desktop.views.ops import GROUPS, MEMBERS, ROSTERS, STEWARDS, Ops
from desktop.views.qtmodels.rows_model import Column, RowsTableModel
from desktop.views.stewards.duty_model import (
    HOURS_COLUMN,
    PERSON_COLUMN,
    DutyTableModel,
    DutyTableView,
    PersonDelegate,
)
from desktop.views.stewards.export_button import ExportButton
from desktop.views.widgets.flow import flow_row
from desktop.views.widgets.wrap import WrapLabel

if TYPE_CHECKING:
    from desktop.tabular.service import TabularService


def _period(r: RosterRow) -> str:
    return f"{format_date(r.starts_on)} – {format_date(r.ends_on)}"


ROSTER_COLUMNS = (
    Column(N_("Team"), lambda r: r.team_name),
    Column(N_("Period"), _period),
    Column(
        N_("State"),
        lambda r: (
            _("changed after printing")
            if r.changed_after_print
            else _("printed")
            if r.printed_at
            else ""
        ),
        warn=lambda r: r.changed_after_print,
    ),
)
FAIRNESS_COLUMNS = (
    Column(N_("Person"), lambda f: f.name),
    Column(N_("Duties"), lambda f: str(f.duties), align_center=True),
    Column(
        N_("vs. mean"),
        lambda f: f"{f.deviation:+.1f}",
        align_center=True,
        warn=lambda f: abs(f.deviation) >= 1,
    ),
    Column(N_("Days away"), lambda f: str(f.unavailable_days or ""), align_center=True),
)


def _local(when: dt.datetime | None) -> str:
    """A stored UTC time as the PC's local time."""
    if when is None:
        return ""
    return format_datetime(when.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None))


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class RostersPage(QWidget):
    status_message = Signal(str)

    def __init__(
        self,
        rosters: RosterService,
        stewards: StewardService,
        tabular: TabularService,
        parent: QWidget | None = None,
        today: dt.date | None = None,
        *,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rosters_page")
        self.rosters, self.stewards = rosters, stewards
        self.ops = ops if ops is not None else Ops(self)
        #: Duties name team members; teams follow the groups and appointments.
        self.ops.changed.connect(self._on_changed)
        self.detail: RosterDetail | None = None
        self._people: list[VolunteerRow] = []
        today = today or dt.date.today()

        self.team_combo = QComboBox(objectName="roster_team_combo")
        self.from_edit = QDateEdit(_qdate(today.replace(day=1)), objectName="roster_from")
        last = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        self.to_edit = QDateEdit(_qdate(last - dt.timedelta(days=1)), objectName="roster_to")
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat(qt_date_format())
        self.slots_edit = QLineEdit(objectName="roster_slots")
        self.days_combo = QComboBox(objectName="roster_days")
        self.generate_button = QPushButton(objectName="generate_button")
        self.generate_button.clicked.connect(self.generate)

        self.roster_model = RowsTableModel(ROSTER_COLUMNS, self)
        self.roster_table = self._table("roster_table", self.roster_model)
        # The team's long name gives way (elided), so period and state stay in view.
        roster_header = self.roster_table.horizontalHeader()
        roster_header.setStretchLastSection(False)
        roster_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.roster_table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.roster_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.roster_table.selectionModel().selectionChanged.connect(self._on_roster_selected)

        self.state_label = WrapLabel(objectName="roster_state")
        self.duty_model = DutyTableModel(self._reassign, self._key_hours, self)
        self.duty_table = self._table("duty_table", self.duty_model, DutyTableView)
        self.duty_table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.duty_table.setItemDelegateForColumn(
            PERSON_COLUMN, PersonDelegate(lambda: self._people, self)
        )
        self.duty_table.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        self.swap_button = QPushButton(objectName="swap_button")
        self.swap_button.clicked.connect(self.swap_selected)
        self.printed_button = QPushButton(objectName="printed_button")
        self.printed_button.clicked.connect(self.mark_printed)
        self.export_button = ExportButton(
            tabular,
            "rosters",
            lambda: _("Duty roster"),
            self.status_message.emit,
            self,
            keys="Alt+X",
            tooltip=lambda: _("Export every duty of every roster to Excel (.xlsx) or CSV"),
        )
        # Explicit shortcuts: a button's own mnemonic proved unreliable beside the item views.
        for keys, slot in (
            ("Alt+G", self.generate),
            ("Alt+S", self.swap_selected),
            ("Alt+P", self.mark_printed),
        ):
            QShortcut(
                QKeySequence(keys),
                self,
                slot,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        self.fairness_model = RowsTableModel(FAIRNESS_COLUMNS, self)
        self.fairness_table = self._table("fairness_table", self.fairness_model)
        self.fairness_label = WrapLabel(objectName="fairness_label")

        form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(5)]
        for label, widget in zip(
            self.form_labels,
            (self.team_combo, self.from_edit, self.to_edit, self.slots_edit, self.days_combo),
            strict=True,
        ):
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(self.generate_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.roster_table, 1)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.state_label)
        middle_layout.addWidget(self.duty_table, 1)
        middle_layout.addWidget(flow_row(self.swap_button, self.printed_button, self.export_button))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.fairness_label)
        right_layout.addWidget(self.fairness_table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (left, middle, right):
            splitter.addWidget(widget)
        splitter.setSizes([330, 420, 250])
        QVBoxLayout(self).addWidget(splitter)

        self.retranslate()
        self.reload()

    def _table(self, name: str, model: object, kind: type[QTableView] = QTableView) -> QTableView:
        table = kind(objectName=name)
        table.setModel(model)  # type: ignore[arg-type]
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def retranslate(self) -> None:
        for label, text in zip(
            self.form_labels,
            (_("&Team:"), _("Fro&m:"), _("&To:"), _("S&lots of a day:"), _("&Days:")),
            strict=True,
        ):
            label.setText(text)
        self.slots_edit.setPlaceholderText(_("e.g. 上午,下午 (empty: one duty a day)"))
        self.days_combo.clear()
        self.days_combo.addItem(_("Working days (official calendar)"), "workdays")
        self.days_combo.addItem(_("Every day except public holidays"), "daily")
        self.generate_button.setText(_("Generate roster (Alt+G)"))
        self.swap_button.setText(_("Swap the two selected duties (Alt+S)"))
        self.printed_button.setText(_("Mark as printed (Alt+P)"))
        self.export_button.retranslate()
        self.duty_table.setToolTip(
            _(
                "Enter or F2: change who is on duty. Select two duties "
                "and press Alt+S to swap them. In the last column, type "
                "the hours from the signed sheet."
            )
        )

    # ------------------------------------------------------------------ data

    def reload(self, select: uuid.UUID | None = None) -> None:
        teams = self.stewards.teams()
        current = self.team_combo.currentData()
        self.team_combo.clear()
        for team in teams:
            self.team_combo.addItem(team.name, team.id)
        select_data(self.team_combo, current)
        selected = select or (self.detail.roster.id if self.detail else None)
        self.roster_model.set_rows(self.rosters.rosters())
        rows = self.roster_model.rows()
        index = next((i for i, r in enumerate(rows) if r.id == selected), 0 if rows else -1)
        if index >= 0:
            self.roster_table.selectRow(index)
        self._on_roster_selected()

    def _on_roster_selected(self) -> None:
        chosen = self.roster_table.selectionModel().selectedRows()
        row = self.roster_model.row_at(chosen[0].row()) if chosen else None
        self.show_detail(self.rosters.detail(row.id) if row else None)

    def show_detail(self, detail: RosterDetail | None) -> None:
        self.detail = detail
        current = self.duty_table.currentIndex()
        self.duty_model.set_rows(list(detail.duties) if detail else [])
        self.fairness_model.set_rows(list(detail.fairness) if detail else [])
        self._people = self.stewards.volunteers(detail.roster.team_id) if detail else []
        if current.isValid() and current.row() < self.duty_model.rowCount():
            self.duty_table.setCurrentIndex(self.duty_model.index(current.row(), current.column()))
        for button in (self.swap_button, self.printed_button):
            button.setEnabled(detail is not None)
        if detail is None:
            self.state_label.setText(
                _("No roster yet: choose a team and a period, then generate one.")
            )
            self.fairness_label.setText("")
            return
        r = detail.roster
        state = [
            _("{team}: {first} to {last}").format(
                team=r.team_name, first=format_date(r.starts_on), last=format_date(r.ends_on)
            )
        ]
        if r.unfilled:
            state.append(_("{n} duties have nobody available.").format(n=r.unfilled))
        if r.changed_after_print:
            state.append(
                _("Changed after it was printed on {when}: print it again.").format(
                    when=_local(r.printed_at)
                )
            )
        elif r.printed_at:
            state.append(_("Printed on {when}.").format(when=_local(r.printed_at)))
        self.state_label.setText(" ".join(state))
        self.fairness_label.setText(
            _("Fairness: duties per person differ by at most {spread}.").format(
                spread=detail.spread
            )
        )

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {ROSTERS, STEWARDS, MEMBERS, GROUPS}:
            self.reload()

    def _run(
        self, action: Callable[[], RosterDetail], done: Callable[[RosterDetail], None]
    ) -> None:
        """A change to a roster through the window's one change runner."""
        self.ops.run(self, action, {ROSTERS}, done=done)

    # ------------------------------------------------------------------ actions

    def generate(self) -> None:
        team_id = self.team_combo.currentData()
        if team_id is None:
            return
        slots = tuple(s.strip() for s in self.slots_edit.text().replace("，", ",").split(","))
        first, last = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        days = self.days_combo.currentData()
        if not self._confirm_another(team_id, first, last):
            return

        def generated(detail: RosterDetail) -> None:
            self.reload(select=detail.roster.id)
            self.status_message.emit(
                _("Generated the roster of {team}.").format(team=detail.roster.team_name)
            )
            self.duty_table.setFocus()
            self.duty_table.setCurrentIndex(self.duty_model.index(0, PERSON_COLUMN))

        self._run(
            lambda: self.rosters.generate(team_id, first, last, slots=slots, days=days),
            generated,
        )

    def _confirm_another(self, team_id: uuid.UUID, first: dt.date, last: dt.date) -> bool:
        """A roster of the team already covering part of the period: show it and ask before a
        second one is made (Alt+G pressed twice made two silently)."""
        existing = next(
            (
                r
                for r in self.rosters.rosters(team_id)
                if r.starts_on <= last and r.ends_on >= first
            ),
            None,
        )
        if existing is None:
            return True
        self.reload(select=existing.id)
        return messages.confirm(
            self,
            _("Duty rosters"),
            _(
                "{team} already has a roster for {period}. Generate another one for the same "
                "days anyway?"
            ).format(team=existing.team_name, period=_period(existing)),
        )

    def edit_current(self) -> None:
        index = self.duty_table.currentIndex()
        if index.isValid():
            self.duty_table.setCurrentIndex(self.duty_model.index(index.row(), PERSON_COLUMN))
            self.duty_table.edit(self.duty_table.currentIndex())

    def _reassign(self, duty: DutyRow, volunteer_id: uuid.UUID | None) -> bool:
        # The page shows the result once it is saved, after the editor has closed.
        self._run(lambda: self.rosters.reassign(duty.id, volunteer_id), self._refresh)
        return True

    def _key_hours(self, duty: DutyRow, text: object) -> bool:
        try:
            hours = float(str(text).strip() or 0)
        except ValueError:
            messages.show_error(
                self, UserError(_("Write the hours as a number, such as 2 or 1.5."))
            )
            return False
        row = self.duty_table.currentIndex().row()

        def refresh(detail: RosterDetail) -> None:
            self._refresh(detail)
            # Next duty, same column: a returned sheet is keyed top to bottom.
            below = min(row + 1, self.duty_model.rowCount() - 1)
            self.duty_table.setCurrentIndex(self.duty_model.index(below, HOURS_COLUMN))

        self._run(lambda: self.rosters.key_hours(duty.id, round(hours * 60)), refresh)
        return True

    def _refresh(self, detail: RosterDetail) -> None:
        self.show_detail(detail)
        rows = self.roster_model.rows()
        self.roster_model.set_rows([detail.roster if r.id == detail.roster.id else r for r in rows])
        self.roster_table.selectionModel().blockSignals(True)
        self.roster_table.selectRow(next(i for i, r in enumerate(rows) if r.id == detail.roster.id))
        self.roster_table.selectionModel().blockSignals(False)

    def selected_duties(self) -> list[DutyRow]:
        rows = sorted({i.row() for i in self.duty_table.selectionModel().selectedRows()})
        return [self.duty_model.rows()[r] for r in rows]

    def swap_selected(self) -> None:
        chosen = self.selected_duties()
        if len(chosen) != 2:
            messages.inform(self, _("Swap duties"), _("Select exactly two duties to swap."))
            return

        def swapped(detail: RosterDetail) -> None:
            self._refresh(detail)
            self.status_message.emit(
                _("Swapped {first} and {second}.").format(
                    first=chosen[0].person_name, second=chosen[1].person_name
                )
            )

        self._run(lambda: self.rosters.swap(chosen[0].id, chosen[1].id), swapped)

    def mark_printed(self) -> None:
        if self.detail is not None:
            roster_id = self.detail.roster.id

            def marked() -> RosterDetail:
                self.rosters.mark_printed(roster_id)
                return self.rosters.detail(roster_id)

            self._run(marked, self._refresh)
