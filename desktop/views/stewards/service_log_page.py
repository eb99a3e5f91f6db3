# SPDX-License-Identifier: GPL-3.0-or-later
"""The service log (服务记录): fast keyboard entry, filters, and sums by person/group/kind.

Entry: Tab through date, kind, hours, people, households and notes; Enter records the service
(in a suggestion list it only picks the name) and leaves the cursor in the people field for the
next one. Enter or F2 on a recorded service opens it to be changed.

The records are read a page at a time as the list scrolls, and counted and summed by the
database: two years of a county's log is hundreds of thousands of records (#22).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.i18n import N_, _, format_date, qt_date_format
from desktop.models.stewards.rows import ServiceDraft, ServiceQuery, ServiceRecordRow
from desktop.models.stewards.service import ServiceLogService, StewardService
from desktop.views import messages
from desktop.views.keys import on_keys
from desktop.views.ops import GROUPS, HOUSEHOLDS, MEMBERS, SERVICE_LOG, STEWARDS, Ops
from desktop.views.qtmodels.paged_model import PagedRowsModel
from desktop.views.qtmodels.rows_model import Column, RowsTableModel
from desktop.views.search_picker import Choice, SearchPicker
from desktop.views.stewards.export_button import ExportButton
from desktop.views.stewards.kinds_dialog import KindsDialog
from desktop.views.stewards.names_completer import NamesCompleter
from desktop.views.stewards.service_dialog import ServiceDialog, read_service_form
from desktop.views.undo import RemovalCommand
from desktop.views.widgets.flow import flow_row
from desktop.views.widgets.wrap import WrapLabel

if TYPE_CHECKING:
    from desktop.tabular.service import TabularService

RECORD_COLUMNS = (
    Column(N_("Date"), lambda r: format_date(r.served_on)),
    Column(N_("Kind"), lambda r: r.kind_label),
    Column(N_("Hours"), lambda r: f"{r.hours:g}", align_center=True),
    Column(N_("People"), lambda r: "、".join(r.people)),
    Column(N_("Households"), lambda r: "、".join(r.households)),
    Column(N_("Notes"), lambda r: r.notes),
)
SUM_COLUMNS = (
    Column(N_("Total for"), lambda r: r.label),
    Column(N_("Records"), lambda r: str(r.records), align_center=True),
    Column(N_("Hours"), lambda r: f"{r.hours:g}", align_center=True),
)
SUM_BY = (
    ("person", N_("By person")),
    ("group", N_("By party group")),
    ("household", N_("By household")),
    ("kind", N_("By kind")),
)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ServiceLogPage(QWidget):
    status_message = Signal(str)

    def __init__(
        self,
        log: ServiceLogService,
        stewards: StewardService,
        tabular: TabularService,
        parent: QWidget | None = None,
        today: dt.date | None = None,
        undo_stack: QUndoStack | None = None,
        *,
        ops: Ops | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("service_log_page")
        self.log, self.stewards = log, stewards
        self.ops = ops if ops is not None else Ops(self)
        #: People are team members, households the stewards' households, names the register's.
        self.ops.changed.connect(self._on_changed)
        #: Shared with the main window's Edit menu when given, so Ctrl+Z undoes a removal.
        self.undo_stack = undo_stack if undo_stack is not None else QUndoStack(self)
        today = today or dt.date.today()
        self._people: dict[str, list[uuid.UUID]] = {}
        self._people_choices: list[tuple[Choice, str]] = []

        self.date_edit = QDateEdit(_qdate(today), objectName="service_date")
        self.date_edit.setDisplayFormat(qt_date_format())
        self.date_edit.setCalendarPopup(True)
        self.kind_combo = QComboBox(objectName="service_kind")
        self.hours_spin = QDoubleSpinBox(
            objectName="service_hours",
            decimals=1,
            minimum=0.0,
            maximum=24.0,
            singleStep=0.5,
            value=1.0,
        )
        self.people_edit = QLineEdit(objectName="service_people")
        self.households_edit = QLineEdit(objectName="service_households")
        self.notes_edit = QLineEdit(objectName="service_notes")
        self.commitment_check = QCheckBox(objectName="service_fulfils")
        self.record_button = QPushButton(objectName="record_button")
        self.error_label = WrapLabel(objectName="service_error")
        self.error_label.setStyleSheet("color: #b3261e")
        # A problem shown goes away once the clerk has put it right.
        for changed in (
            self.people_edit.textChanged,
            self.households_edit.textChanged,
            self.commitment_check.toggled,
        ):
            changed.connect(self._recheck)
        # "cjg" or "chen" suggests 陈建国 (#18).
        self.people_completer = NamesCompleter(
            [], self.people_edit, self, search_text=stewards.name_search_text
        )
        # Households are searched in the database as the head's name is typed (#22).
        self.households_completer = NamesCompleter(self._search_heads, self.households_edit, self)
        #: True while a service is being recorded: a second Enter must not record it twice.
        self._recording = False
        for edit in (self.people_edit, self.households_edit, self.notes_edit):
            edit.returnPressed.connect(lambda edit=edit: self._on_return(edit))
        self.record_button.clicked.connect(self.record)

        self.from_edit = QDateEdit(_qdate(today - dt.timedelta(days=90)), objectName="log_from")
        self.to_edit = QDateEdit(_qdate(today), objectName="log_to")
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat(qt_date_format())
            edit.setCalendarPopup(True)
            edit.dateChanged.connect(lambda _day: self.refresh())
        self.group_filter = QComboBox(objectName="log_group")
        self.kind_filter = QComboBox(objectName="log_kind")
        # Searched as the clerk types (a county's households do not fit a combo box, #22).
        self.person_filter = SearchPicker(self._search_people, name="log_person")
        self.household_filter = SearchPicker(self._search_households, name="log_household")
        for picker in (self.person_filter, self.household_filter):
            picker.setMinimumWidth(picker.fontMetrics().horizontalAdvance("M") * 10)
            picker.picked.connect(lambda _key: self.refresh())
        self.sum_by = QComboBox(objectName="sum_by")
        self.total_label = QLabel(objectName="log_total")
        self.edit_record_button = QPushButton(objectName="edit_record_button")
        self.edit_record_button.clicked.connect(self.edit_selected)
        self.kinds_button = QPushButton(objectName="kinds_button")
        self.kinds_button.clicked.connect(self.configure_kinds)
        self.export_button = ExportButton(
            tabular,
            "service_log",
            lambda: _("Service log"),
            self.status_message.emit,
            self,
            period=lambda: (self.from_edit.date().toPython(), self.to_edit.date().toPython()),
            tooltip=lambda: _("Export the services of the period shown to Excel (.xlsx) or CSV"),
        )
        self.record_model = PagedRowsModel(RECORD_COLUMNS, self)
        self.record_table = self._table("record_table", self.record_model)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.record_table,
            self.remove_selected,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        on_keys(
            self.record_table,
            (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_F2),
            self.edit_selected,
        )
        self.record_table.doubleClicked.connect(self.edit_selected)
        self.sum_model = RowsTableModel(SUM_COLUMNS, self)
        self.sum_table = self._table("sum_table", self.sum_model)

        self.entry_labels = [QLabel() for _ in range(6)]
        entry = QGridLayout()
        widgets = (
            self.date_edit,
            self.kind_combo,
            self.hours_spin,
            self.people_edit,
            self.households_edit,
            self.notes_edit,
        )
        # Two bands, each label above its field, so that the row fits a laptop at a large
        # text size: date, kind, hours, people, households; then the notes and the button.
        for column, (label, widget) in enumerate(
            zip(self.entry_labels[:5], widgets[:5], strict=True)
        ):
            label.setBuddy(widget)
            entry.addWidget(label, 0, column)
            entry.addWidget(widget, 1, column)
        self.entry_labels[5].setBuddy(self.notes_edit)
        entry.addWidget(self.entry_labels[5], 2, 0)
        entry.addWidget(self.notes_edit, 3, 0, 1, 3)
        entry.addWidget(flow_row(self.commitment_check, self.record_button), 3, 3, 1, 2)
        entry.setColumnStretch(3, 2)
        entry.setColumnStretch(4, 2)
        self.filter_label = QLabel()
        # Over two lines or more at a large text size on a laptop.
        filters = flow_row(
            self.filter_label,
            self.from_edit,
            QLabel("–"),
            self.to_edit,
            self.group_filter,
            self.kind_filter,
            self.person_filter,
            self.household_filter,
            self.total_label,
            self.edit_record_button,
            self.kinds_button,
            self.export_button,
        )
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.sum_by)
        right_layout.addWidget(self.sum_table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.record_table)
        splitter.addWidget(right)
        splitter.setSizes([750, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(entry)
        layout.addWidget(self.error_label)
        layout.addWidget(filters)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.notes_edit, self.commitment_check)
        self.setTabOrder(self.commitment_check, self.record_button)

        self.retranslate()
        self.reload()
        for combo in (self.group_filter, self.kind_filter, self.sum_by):
            combo.currentIndexChanged.connect(lambda _index: self.refresh())

    def _table(self, name: str, model: RowsTableModel | PagedRowsModel) -> QTableView:
        table = QTableView(objectName=name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setResizeContentsPrecision(PagedRowsModel.PAGE_SIZE)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    def retranslate(self) -> None:
        for label, text in zip(
            self.entry_labels,
            (_("&Date"), _("&Kind"), _("Hou&rs"), _("&Who served"), _("Hou&seholds"), _("&Notes")),
            strict=True,
        ):
            label.setText(text)
        self.people_edit.setPlaceholderText(_("names, separated by 、"))
        self.households_edit.setPlaceholderText(_("heads of household (optional)"))
        self.record_button.setText(_("Record (Enter)"))
        self.commitment_check.setText(_("Fulfils the co&mmitment"))
        self.commitment_check.setToolTip(
            _(
                "Count this service towards the commitment of the year of the steward who leads "
                "the team (践诺)."
            )
        )
        self.filter_label.setText(_("Show:"))
        self.person_filter.setPlaceholderText(_("Everyone"))
        self.person_filter.setToolTip(_("Only the services of one person: type a name or pinyin"))
        self.household_filter.setPlaceholderText(_("All households"))
        self.household_filter.setToolTip(
            _("Only the services for one household: type the head's name, pinyin or the address")
        )
        self.edit_record_button.setText(_("&Change…"))
        self.edit_record_button.setToolTip(_("Change the selected service (Enter or F2)"))
        self.kinds_button.setText(_("Kinds…"))
        self.export_button.retranslate()
        self.sum_by.blockSignals(True)
        self.sum_by.clear()
        for code, label in SUM_BY:
            self.sum_by.addItem(_(label), code)
        self.sum_by.blockSignals(False)

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        """Re-read the people, groups and kinds, then the log (households are searched)."""
        self._people.clear()
        groups: dict[uuid.UUID, str] = {}
        team_names: dict[uuid.UUID, str] = {}
        for team in self.stewards.teams():
            team_names[team.id] = team.name
            if team.party_group_id is not None:
                groups[team.party_group_id] = team.name
        # Every team's people in one query (a county branch has thousands of teams, #22).
        teams: dict[uuid.UUID, str] = {}
        for person_id, name, team_id in self.stewards.team_people():
            if team_id in team_names:
                self._people.setdefault(name, []).append(person_id)
                teams[person_id] = team_names[team_id]
        people = self.stewards.in_pinyin_order(self._people)
        self.people_completer.set_names(people)
        # The team members are a few per party group: kept, and searched with their pinyin.
        self._people_choices = [
            (
                Choice(key, name, teams.get(key, "")),
                self.stewards.name_search_text(name).lower(),
            )
            for name in people
            for key in self._people[name]
        ]
        kinds = self.log.kinds()
        for combo, everything in ((self.kind_combo, None), (self.kind_filter, _("All kinds"))):
            combo.blockSignals(True)
            combo.clear()
            if everything:
                combo.addItem(everything, None)
            for kind in kinds:
                combo.addItem(kind.label, kind.code)
            combo.blockSignals(False)
        self.group_filter.blockSignals(True)
        self.group_filter.clear()
        self.group_filter.addItem(_("All teams"), None)
        for key, label in groups.items():
            self.group_filter.addItem(label, str(key))
        self.group_filter.blockSignals(False)
        self.refresh()

    def _search_people(self, text: str, limit: int) -> list[Choice]:
        typed = text.lower()
        return [choice for choice, found in self._people_choices if typed in found][:limit]

    def _search_heads(self, text: str, limit: int) -> list[str]:
        """The heads of household suggested for a name being typed (each once)."""
        heads = dict.fromkeys(
            head for _key, head, _address in self.log.search_households(text, limit)
        )
        return list(heads)

    def _search_households(self, text: str, limit: int) -> list[Choice]:
        return [
            Choice(key, head, address)
            for key, head, address in self.log.search_households(text, limit)
        ]

    def query(self) -> ServiceQuery:
        group = self.group_filter.currentData()
        return ServiceQuery(
            date_from=self.from_edit.date().toPython(),
            date_to=self.to_edit.date().toPython(),
            party_group_id=uuid.UUID(group) if group else None,
            volunteer_id=self.person_filter.current_key(),
            household_id=self.household_filter.current_key(),
            kind=self.kind_filter.currentData(),
        )

    def refresh(self, select: uuid.UUID | None = None) -> None:
        query = self.query()
        n, minutes = self.log.record_count(query)
        self.record_model.set_source(
            lambda: n, lambda offset, limit: self.log.record_page(query, offset, limit)
        )
        if select is not None:
            row = self.log.record_position(query, select)
            if row is not None and 0 <= row < self.record_model.rowCount():
                self.record_table.selectRow(row)
                self.record_table.setCurrentIndex(self.record_model.index(row, 0))
        self.sum_model.set_rows(self.log.sums(self.sum_by.currentData() or "person", query))
        hours = round(minutes / 60, 2)
        self.total_label.setText(_("{n} records, {hours} hours").format(n=n, hours=f"{hours:g}"))

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {SERVICE_LOG, STEWARDS, HOUSEHOLDS, MEMBERS, GROUPS}:
            self.reload()  # names, kinds, then the log

    def configure_kinds(self) -> None:
        KindsDialog(self.log, self, ops=self.ops).exec()  # saving announces the change

    def selected_record(self) -> ServiceRecordRow | None:
        rows = self.record_table.selectionModel().selectedRows()
        return self.record_model.row_at(rows[0].row()) if rows else None

    def open_edit_dialog(self, record: ServiceRecordRow) -> ServiceDialog:
        """The dialog that changes `record`; saving selects it in the log."""
        dialog = ServiceDialog(
            self.log, record, sorted(self._people), self._search_heads, self, ops=self.ops
        )
        dialog.accepted.connect(lambda: self._on_edited(dialog))
        return dialog

    def edit_selected(self) -> None:
        """Enter, F2 or a double click on a service: change it (a wrong day, hours, name)."""
        record = self.selected_record()
        if record is not None and not self.edit_record_button.isHidden():  # hidden: read-only
            self.open_edit_dialog(record).open()

    def _on_edited(self, dialog: ServiceDialog) -> None:
        if dialog.saved is None:
            return
        self.refresh(select=dialog.saved.id)
        self.status_message.emit(
            _("Changed the service of {date}.").format(date=format_date(dialog.saved.served_on))
        )

    def remove_selected(self) -> None:
        """Delete removes the chosen service (a tombstone: the change log keeps it)."""
        rows = self.record_table.selectionModel().selectedRows()
        if not rows:
            return
        record = self.record_model.row_at(rows[0].row())
        if not messages.confirm(
            self,
            _("Remove service"),
            _(
                "Remove the service of {date} by {people}? Its hours leave the sums. You can "
                "undo this with Ctrl+Z."
            ).format(date=format_date(record.served_on), people="、".join(record.people)),
        ):
            return

        def removed(_result: object) -> None:
            self.undo_stack.push(
                RemovalCommand(
                    _("Remove the service of {date}").format(date=format_date(record.served_on)),
                    self,
                    record.id,
                    self.log.remove,
                    self.log.restore,
                    lambda select: self.refresh(select=select),
                    self.ops,
                    {SERVICE_LOG},
                )
            )
            self.status_message.emit(
                _("Removed the service of {date}. Press Ctrl+Z to undo.").format(
                    date=format_date(record.served_on)
                )
            )

        self.ops.run(self, lambda: self.log.remove(record.id), {SERVICE_LOG}, done=removed)

    # ------------------------------------------------------------------ entry

    def draft(self) -> tuple[ServiceDraft | None, dict[str, str]]:
        return read_service_form(self, self.log)

    def _recheck(self) -> None:
        if not self.error_label.text():
            return
        draft, problems = self.draft()
        if not problems:
            problems = self.log.validate(draft)
        self.error_label.setText(" ".join(problems.values()))

    def _on_return(self, edit: QLineEdit) -> None:
        """Enter records, except in a suggestion list: there it only picks the name."""
        completer = edit.completer()
        if completer is not None and completer.popup().isVisible():
            return
        self.record()

    def record(self) -> None:
        if self._recording:
            return  # the same service, entered again before the first one is stored
        draft, problems = self.draft()
        if not problems:
            problems = self.log.validate(draft)
        if problems:
            self.error_label.setText(" ".join(problems.values()))
            field = next(iter(problems))
            widget = {
                "served_on": self.date_edit,
                "kind": self.kind_combo,
                "minutes": self.hours_spin,
                "household_ids": self.households_edit,
                "commitment_id": self.commitment_check,
            }.get(field, self.people_edit)
            widget.setFocus()
            return

        def recorded(row: ServiceRecordRow) -> None:
            self.error_label.setText("")
            for edit in (self.people_edit, self.households_edit, self.notes_edit):
                edit.clear()
            self.people_edit.setFocus()
            self.status_message.emit(
                _("Recorded {kind} on {date} by {people}.").format(
                    kind=row.kind_label,
                    date=format_date(row.served_on),
                    people="、".join(row.people),
                )
            )

        def finished() -> None:
            self._recording = False

        self._recording = True
        # Households show their last visit, commitments their linked services.
        self.ops.run(
            self,
            lambda: self.log.record(draft),
            {SERVICE_LOG, HOUSEHOLDS, STEWARDS},
            done=recorded,
            finally_=finished,
        )
