# SPDX-License-Identifier: GPL-3.0-or-later
"""The annual assessment (年度考核): a year's rules, scorers, the keyed sheets and the results.

Every write goes through `Ops`; the page refreshes when the ASSESSMENT area (or the stewards
and groups it shows) changed. Only the shown tab is read again; the others when next shown.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import UserError
from desktop.i18n import N_, _, format_date, ngettext
from desktop.models.assessment.rows import (
    GRADES,
    KINDS,
    SOURCES,
    STATES,
    AssessmentRow,
    RuleRow,
    ScorerGroup,
    SheetRow,
    StewardResult,
)
from desktop.models.assessment.service import AssessmentService
from desktop.views import messages
from desktop.views.assessment.options_dialog import OptionsDialog
from desktop.views.assessment.rule_dialog import RuleDialog
from desktop.views.assessment.score_grid import ScoreGridView, points_text
from desktop.views.export_path import ask_export_path
from desktop.views.ops import ASSESSMENT, GROUPS, MEMBERS, STEWARDS, Ops
from desktop.views.qtmodels.rows_model import Column, RowsTableModel

if TYPE_CHECKING:
    from desktop.tabular.service import TabularService

RULE_COLUMNS = (
    Column(N_("No."), lambda r: str(r.number), align_center=True),
    Column(N_("Item"), lambda r: r.name),
    Column(N_("Kind"), lambda r: _(KINDS.get(r.kind, r.kind))),
    Column(N_("Scored by"), lambda r: _(SOURCES.get(r.source, r.source))),
    Column(N_("Maximum"), lambda r: points_text(r.maximum), align_center=True),
    Column(N_("Weight"), lambda r: f"{r.weight} %", align_center=True),
    Column(N_("How it is scored"), lambda r: r.description),
    Column(N_("Changed after scoring began, because"), lambda r: r.change_reason),
)
SCORER_COLUMNS = (
    Column(N_("Scorer"), lambda r: r.scorer.name),
    Column(N_("Steward"), lambda r: r.steward_name),
)
SHEET_COLUMNS = (
    Column(N_("Sheet"), lambda r: r.code),
    Column(N_("Scorer"), lambda r: r.scorer.name),
    Column(
        N_("Empty boxes"),
        lambda r: _("{missing} of {boxes}").format(missing=r.missing, boxes=r.boxes),
        align_center=True,
        warn=lambda r: r.missing > 0,
    ),
)
RESULT_COLUMNS = (
    Column(N_("Rank"), lambda r: str(r.rank), align_center=True),
    Column(N_("Name"), lambda r: r.name),
    Column(N_("Post"), lambda r: r.post),
    Column(N_("Total"), lambda r: points_text(r.total), align_center=True),
    Column(
        N_("Grade"),
        lambda r: _(GRADES.get(r.grade, r.grade)),
        warn=lambda r: r.grade != r.grade_by_total,
    ),
    Column(N_("Evaluation of the commitment"), lambda r: r.evaluation),
    Column(N_("Remarks"), lambda r: r.remarks),
)


def ask_reason(parent: QWidget | None, title: str, label: str) -> str | None:
    """A reason typed by the clerk, or None when cancelled (tests replace this)."""
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal)
    return text.strip() if ok else None


def ask_remarks(parent: QWidget | None, name: str, current: str) -> str | None:
    """The remark typed by the clerk, or None when cancelled (tests replace this)."""
    text, ok = QInputDialog.getText(
        parent,
        _("Remarks"),
        _("Remark on {name}'s result (printed on the form):").format(name=name),
        QLineEdit.EchoMode.Normal,
        current,
    )
    return text.strip() if ok else None


def ask_year(parent: QWidget | None, suggested: int) -> int | None:
    year, ok = QInputDialog.getInt(
        parent, _("New assessment year"), _("Year to assess:"), suggested, 2000, 2100
    )
    return year if ok else None


class _ResultsModel(RowsTableModel):
    """The results with one column per item (its points before the weight)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(RESULT_COLUMNS, parent)
        self.rules: tuple[RuleRow, ...] = ()

    def set_results(self, rules: tuple[RuleRow, ...], rows: tuple[StewardResult, ...]) -> None:
        self.beginResetModel()
        self.rules = rules
        self.columns = list(RESULT_COLUMNS[:3]) + [
            Column(r.name, lambda s, i=i: points_text(s.items[i].points), align_center=True)
            for i, r in enumerate(rules)
        ]
        self.columns += list(RESULT_COLUMNS[3:])
        self._rows = sorted(rows, key=lambda r: (r.rank, r.name))
        self.endResetModel()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        first = len(RESULT_COLUMNS[:3])
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and first <= section < first + len(self.rules)
        ):
            return self.rules[section - first].name  # the clerk's own words: not translated
        return super().headerData(section, orientation, role)


class AssessmentPage(QWidget):
    status_message = Signal(str)
    TABS = ("rules", "scorers", "sheets", "results")

    def __init__(
        self,
        service: AssessmentService,
        parent: QWidget | None = None,
        *,
        ops: Ops | None = None,
        tabular: TabularService | None = None,
    ) -> None:
        """`tabular`: the export's service (the results to .xlsx); None hides the button."""
        super().__init__(parent)
        self.setObjectName("assessment_page")
        self.service, self.tabular = service, tabular
        self.ops = ops if ops is not None else Ops(self)
        self.ops.changed.connect(self._on_changed)
        self.assessment: AssessmentRow | None = None
        self._scorer_groups: dict[str, ScorerGroup] = {}
        self._stale: set[str] = set(self.TABS)

        self.year_label = QLabel()
        self.year_combo = QComboBox(objectName="assessment_year_combo")
        self.year_label.setBuddy(self.year_combo)
        self.year_combo.currentIndexChanged.connect(self._on_year_changed)
        self.new_year_button = QPushButton(objectName="new_year_button")
        self.new_year_button.clicked.connect(self.new_year)
        self.state_label = QLabel(objectName="assessment_state")
        self.state_label.setWordWrap(True)

        self.rules_model = RowsTableModel(RULE_COLUMNS, self)
        self.rules_table = self._table("rules_table", self.rules_model)
        self.rules_table.doubleClicked.connect(self.edit_rule)
        self.add_rule_button = QPushButton(objectName="add_rule_button")
        self.add_rule_button.clicked.connect(self.add_rule)
        self.edit_rule_button = QPushButton(objectName="edit_rule_button")
        self.edit_rule_button.clicked.connect(self.edit_rule)
        self.remove_rule_button = QPushButton(objectName="remove_rule_button")
        self.remove_rule_button.clicked.connect(self.remove_rule)
        self.options_button = QPushButton(objectName="grading_options_button")
        self.options_button.clicked.connect(self.edit_options)
        self.options_label = QLabel(objectName="grading_options_label")
        self.options_label.setWordWrap(True)

        self.scorers_model = RowsTableModel(SCORER_COLUMNS, self)
        self.scorers_table = self._table("scorers_table", self.scorers_model)
        self.default_scorers_button = QPushButton(objectName="default_scorers_button")
        self.default_scorers_button.clicked.connect(self.default_scorers)
        self.start_scoring_button = QPushButton(objectName="start_scoring_button")
        self.start_scoring_button.clicked.connect(self.start_scoring)
        self.scorer_combo = QComboBox(objectName="scorer_group_combo")
        self.scorer_steward_combo = QComboBox(objectName="scorer_steward_combo")
        self.add_scorer_button = QPushButton(objectName="add_scorer_button")
        self.add_scorer_button.clicked.connect(self.add_scorer)
        self.remove_scorer_button = QPushButton(objectName="remove_scorer_button")
        self.remove_scorer_button.clicked.connect(self.remove_scorer)

        self.sheets_model = RowsTableModel(SHEET_COLUMNS, self)
        self.sheets_table = self._table("sheets_table", self.sheets_model)
        self.sheets_table.selectionModel().currentRowChanged.connect(self._on_sheet_selected)
        self.grid = ScoreGridView(self)
        self.grid.grid_model.key_requested.connect(self._on_key_requested)
        self.grid.refused.connect(self._show_problem)
        self.sheet_label = QLabel(objectName="sheet_label")
        self.missing_label = QLabel(objectName="missing_label")
        self.missing_label.setWordWrap(True)
        self.problem_label = QLabel(objectName="score_problem")
        self.problem_label.setStyleSheet("color: #b3261e; font-weight: bold")
        self.problem_label.setWordWrap(True)

        self.results_model = _ResultsModel(self)
        self.results_table = self._table("results_table", self.results_model)
        self.results_label = QLabel(objectName="results_label")
        self.results_label.setWordWrap(True)
        self.finalise_button = QPushButton(objectName="finalise_button")
        self.finalise_button.clicked.connect(self.finalise)
        self.reopen_button = QPushButton(objectName="reopen_button")
        self.reopen_button.clicked.connect(self.reopen)
        self.remarks_button = QPushButton(objectName="remarks_button")
        self.remarks_button.clicked.connect(self.edit_remarks)
        self.export_button = QPushButton(objectName="export_results_button")
        self.export_button.clicked.connect(self.export_results)
        self.export_button.setVisible(tabular is not None)

        self.tabs = QTabWidget(objectName="assessment_tabs")
        self.tabs.addTab(
            self._pane(
                self.rules_table, self.add_rule_button, self.edit_rule_button,
                self.remove_rule_button, self.options_button,
            ),
            "",
        )  # fmt: skip
        self.tabs.widget(0).layout().insertWidget(1, self.options_label)
        scorers = self._pane(
            self.scorers_table,
            self.default_scorers_button,
            self.remove_scorer_button,
            self.start_scoring_button,
        )
        one = QHBoxLayout()
        self.scorer_label = QLabel()
        self.scorer_label.setBuddy(self.scorer_combo)
        self.scorer_steward_label = QLabel()
        self.scorer_steward_label.setBuddy(self.scorer_steward_combo)
        for widget in (
            self.scorer_label,
            self.scorer_combo,
            self.scorer_steward_label,
            self.scorer_steward_combo,
            self.add_scorer_button,
        ):
            one.addWidget(widget)
        one.addStretch()
        scorers.layout().insertLayout(1, one)
        self.tabs.addTab(scorers, "")
        sheets_side = QWidget()
        side = QVBoxLayout(sheets_side)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.sheets_table)
        grid_side = QWidget()
        right = QVBoxLayout(grid_side)
        right.setContentsMargins(0, 0, 0, 0)
        for widget in (self.sheet_label, self.grid, self.problem_label, self.missing_label):
            right.addWidget(widget, 1 if widget is self.grid else 0)
        splitter = QSplitter()
        splitter.addWidget(sheets_side)
        splitter.addWidget(grid_side)
        splitter.setStretchFactor(1, 3)
        self.tabs.addTab(splitter, "")
        results = self._pane(
            self.results_table,
            self.finalise_button,
            self.reopen_button,
            self.remarks_button,
            self.export_button,
        )
        results.layout().insertWidget(0, self.results_label)
        self.tabs.addTab(results, "")
        self.tabs.currentChanged.connect(lambda _i: self._load_stale())

        top = QHBoxLayout()
        top.addWidget(self.year_label)
        top.addWidget(self.year_combo)
        top.addWidget(self.new_year_button)
        top.addWidget(self.state_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.retranslate()
        self.refresh()

    def _table(self, name: str, model: RowsTableModel) -> QTableView:
        table = QTableView(objectName=name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        return table

    def _pane(self, table: QTableView, *buttons: QPushButton) -> QWidget:
        pane = QWidget()
        layout = QVBoxLayout(pane)
        layout.addWidget(table, 1)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch()
        layout.addLayout(row)
        return pane

    def retranslate(self) -> None:
        self.year_label.setText(_("&Year"))
        self.new_year_button.setText(_("&New year…"))
        self.new_year_button.setToolTip(_("Start a year's assessment with last year's rules"))
        self.add_rule_button.setText(_("&Add item…"))
        self.edit_rule_button.setText(_("&Change item…"))
        self.remove_rule_button.setText(_("&Remove item"))
        self.options_button.setText(_("&Grading…"))
        self.options_button.setToolTip(
            _("Grade thresholds, the cap on Excellent, dropping extremes, the posting period")
        )
        self.default_scorers_button.setText(_("Usual &scorers"))
        self.default_scorers_button.setToolTip(
            _("Every party group scores every steward; each villager group the stewards serving it")
        )
        self.start_scoring_button.setText(_("S&tart scoring"))
        self.scorer_label.setText(_("Scor&er"))
        self.scorer_steward_label.setText(_("scores ste&ward"))
        self.add_scorer_button.setText(_("A&dd"))
        self.add_scorer_button.setToolTip(_("This group also scores this steward"))
        self.remove_scorer_button.setText(_("Re&move the chosen"))
        self.remove_scorer_button.setToolTip(_("The chosen group does not score this steward"))
        self.start_scoring_button.setToolTip(
            _("Lock the rules and scorers and make the sheets to print and hand out")
        )
        self.finalise_button.setText(_("&Finalise"))
        self.reopen_button.setText(_("Re&open…"))
        self.remarks_button.setText(_("Remar&ks…"))
        self.remarks_button.setToolTip(_("The remark on the chosen steward's final result"))
        self.export_button.setText(_("E&xport…"))
        self.export_button.setToolTip(_("Save the results as an Excel (.xlsx) or CSV file"))
        for i, text in enumerate((_("Rules"), _("Scorers"), _("Key the sheets"), _("Results"))):
            self.tabs.setTabText(i, text)
        self._show_state()

    # ------------------------------------------------------------------ reading

    def year(self) -> int | None:
        return self.year_combo.currentData()

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {ASSESSMENT, STEWARDS, GROUPS, MEMBERS}:
            self.refresh()

    def refresh(self) -> None:
        """Read the years again, then the shown tab; the others when they are next shown."""
        current = self.year()
        years = self.service.years()
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for row in years:
            self.year_combo.addItem(str(row.year), row.year)
        index = self.year_combo.findData(current)
        self.year_combo.setCurrentIndex(index if index >= 0 else 0)
        self.year_combo.blockSignals(False)
        self._on_year_changed()

    def _on_year_changed(self) -> None:
        year = self.year()
        self.assessment = None
        if year is not None:
            self.assessment = next((a for a in self.service.years() if a.year == year), None)
        self._stale = set(self.TABS)
        self._show_state()
        self._load_stale()

    def _load_stale(self) -> None:
        tab = self.TABS[self.tabs.currentIndex()]
        if tab not in self._stale:
            return
        self._stale.discard(tab)
        year = self.year()
        if tab == "rules":
            self.rules_model.set_rows(self.service.rules(year) if year else [])
        elif tab == "scorers":
            self.scorers_model.set_rows(self.service.scorers(year) if year else [])
            self._load_scorer_choices(year)
        elif tab == "sheets":
            self._load_sheets()
        else:
            self._load_results()

    def _load_scorer_choices(self, year: int | None) -> None:
        groups, stewards = self.service.scorer_choices(year) if year else ([], [])
        self._scorer_groups = {f"{g.kind}:{g.group_id}": g for g in groups}
        for combo, items in (
            (self.scorer_combo, [(g.name, key) for key, g in self._scorer_groups.items()]),
            (self.scorer_steward_combo, [(name, str(sid)) for sid, name in stewards]),
        ):
            current = combo.currentData()
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            index = combo.findData(current) if current is not None else -1
            combo.setCurrentIndex(max(index, 0) if items else -1)

    def _show_state(self) -> None:
        a = self.assessment
        state = a.state if a else None
        if a is None:
            text = _("No assessment yet: start one with New year.")
        elif state == "open":
            text = _("{state}: write the rules and the scorers, then start scoring.")
        elif state == "scoring":
            text = _("{state}: the rules are locked; a change needs a reason and is logged.")
        else:
            text = _("{state} since {date}: reopen it, with a reason, to change anything.")
        if a is not None:
            text = text.format(
                state=_(STATES.get(a.state, a.state)), date=format_date(a.finalised_on)
            )
            if a.reopen_reason and state != "final":
                text += " " + _("Reopened because: {reason}").format(reason=a.reopen_reason)
        self.state_label.setText(text)
        self.options_label.setText(self._options_text())
        editable = state in ("open", "scoring")
        self.options_button.setEnabled(editable)
        for button in (self.add_rule_button, self.edit_rule_button, self.remove_rule_button):
            button.setEnabled(editable)
        self.default_scorers_button.setEnabled(state == "open")
        for widget in (
            self.scorer_combo,
            self.scorer_steward_combo,
            self.add_scorer_button,
            self.remove_scorer_button,
        ):
            widget.setEnabled(state == "open")
        self.start_scoring_button.setEnabled(state == "open")
        self.finalise_button.setEnabled(state == "scoring")
        self.export_button.setEnabled(a is not None)
        self.reopen_button.setEnabled(state == "final")
        self.remarks_button.setEnabled(state == "final")

    def _options_text(self) -> str:
        a = self.assessment
        if a is None:
            return ""
        grades = _(", ").join(
            _("{grade} from {points}").format(grade=_(GRADES[g]), points=points_text(p))
            for g, p in (
                ("excellent", a.excellent_min),
                ("competent", a.competent_min),
                ("basically_competent", a.basic_min),
            )
        )
        parts = [grades]
        if a.excellent_share:
            parts.append(_("Excellent: at most {share}").format(share=f"{a.excellent_share}%"))
        if a.drop_extremes:
            parts.append(_("the highest and lowest scores dropped"))
        if a.published_from and a.published_until:
            parts.append(
                _("posted {first} to {last}").format(
                    first=format_date(a.published_from),
                    last=format_date(a.published_until),
                )
            )
        return _("Grading: {options}").format(options=_("; ").join(parts))

    def _load_sheets(self) -> None:
        year = self.year()
        current = self.selected_sheet()
        sheets = self.service.sheets(year) if year else []
        self.sheets_model.set_rows(sheets)
        code = current.code if current else None
        if sheets:
            row = next((i for i, s in enumerate(sheets) if s.code == code), None)
            if row is None:  # the first sheet still missing boxes, else the first
                row = next((i for i, s in enumerate(sheets) if s.missing), 0)
            self.sheets_table.selectRow(row)
        self._show_sheet()
        boxes, missing = sum(s.boxes for s in sheets), sum(s.missing for s in sheets)
        out = sum(1 for s in sheets if not s.returned)
        self.missing_label.setText(
            _(
                "In all: {out} of {sheets} sheets not keyed yet, {missing} of {boxes} boxes empty."
            ).format(out=out, sheets=len(sheets), missing=missing, boxes=boxes)
            if sheets
            else _("No sheets yet: they are made when scoring starts.")
        )

    def selected_sheet(self) -> SheetRow | None:
        index = self.sheets_table.currentIndex()
        return self.sheets_model.row_at(index.row()) if index.isValid() else None

    def _on_sheet_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_sheet()

    def _show_sheet(self) -> None:
        sheet, year = self.selected_sheet(), self.year()
        grid = self.service.sheet(year, sheet.code) if sheet and year else None
        shown = self.grid.grid_model.grid
        if grid is None or shown is None or grid.sheet.id != shown.sheet.id:
            self.problem_label.clear()
        self.grid.set_grid(grid)
        self._show_sheet_count()

    def _show_sheet_count(self) -> None:
        model = self.grid.grid_model
        if model.grid is None:
            self.sheet_label.setText("")
            return
        text = _("Sheet {code}, {scorer}: {missing} of {boxes} boxes empty.").format(
            code=model.grid.sheet.code,
            scorer=model.grid.sheet.scorer.name,
            missing=model.missing(),
            boxes=model.boxes(),
        )
        if model.grid.locked:
            text += " " + _("Read only: the year is not being scored.")
        self.sheet_label.setText(text)

    def _load_results(self) -> None:
        year = self.year()
        if year is None:
            self.results_model.set_results((), ())
            self.results_label.clear()
            return
        sheet = self.service.results(year)
        self.results_model.set_results(sheet.rules, sheet.stewards)
        if sheet.final:
            text = _("Final: the stored results of {year}.").format(year=year)
        elif sheet.missing:
            text = _(
                "Provisional: {missing} boxes are still empty; the totals count what is keyed."
            ).format(missing=sheet.missing)
        else:
            text = _("Every box is keyed: finalise to store the results and lock the year.")
        if any(r.grade != r.grade_by_total for r in sheet.stewards):
            text += " " + _("Grades in red were lowered by the cap on Excellent.")
        self.results_label.setText(text)

    # ------------------------------------------------------------------ writing

    def _run(self, fn: Callable[[], object], done: Callable[[Any], None] | None = None) -> None:
        self.ops.run(self, fn, {ASSESSMENT}, done=done)

    def new_year(self) -> None:
        latest = max((a.year for a in self.service.years()), default=dt.date.today().year - 1)
        year = ask_year(self, latest + 1)
        if year is None:
            return

        def opened(_row: object) -> None:
            self.year_combo.setCurrentIndex(self.year_combo.findData(year))

        self._run(lambda: self.service.open_year(year), opened)

    def selected_rule(self) -> RuleRow | None:
        index = self.rules_table.currentIndex()
        return self.rules_model.row_at(index.row()) if index.isValid() else None

    def _locked(self) -> bool:
        return self.assessment is not None and self.assessment.state == "scoring"

    def add_rule(self) -> None:
        self._edit(None)

    def edit_rule(self) -> None:
        rule = self.selected_rule()
        if rule is not None:
            self._edit(rule)

    def _edit(self, rule: RuleRow | None) -> None:
        year = self.year()
        if year is None:
            return
        answer = RuleDialog.ask(self.service, rule, self._locked(), self)
        if answer is None:
            return
        draft, reason = answer
        rule_id = rule.id if rule else None
        self._run(lambda: self.service.save_rule(year, draft, rule_id, reason))

    def edit_options(self) -> None:
        year, current = self.year(), self.assessment
        if year is None or current is None:
            return
        options = OptionsDialog.ask(current, self)
        if options is not None:
            self._run(lambda: self.service.set_options(year, options))

    def remove_rule(self) -> None:
        rule, year = self.selected_rule(), self.year()
        if rule is None or year is None:
            return
        reason = ""
        if self._locked():
            reason = ask_reason(
                self,
                _("Remove an item"),
                _("Scoring has started. Why is {item} removed? (kept in the change log)").format(
                    item=rule.name
                ),
            )
            if not reason:
                return
        elif not messages.confirm(
            self, _("Remove an item"), _("Remove {item} from the rules?").format(item=rule.name)
        ):
            return
        self._run(lambda: self.service.remove_rule(year, rule.id, reason))

    def default_scorers(self) -> None:
        year = self.year()
        if year is not None:
            self._run(lambda: self.service.default_scorers(year))

    def add_scorer(self) -> None:
        year = self.year()
        group = self._scorer_groups.get(self.scorer_combo.currentData() or "")
        steward = self.scorer_steward_combo.currentData()
        if year is None or group is None or not steward:
            return
        steward_id = uuid.UUID(steward)
        self._run(
            lambda: self.service.set_scorer(year, group.kind, group.group_id, steward_id, True)
        )

    def remove_scorer(self) -> None:
        year, index = self.year(), self.scorers_table.currentIndex()
        row = self.scorers_model.row_at(index.row()) if index.isValid() else None
        if year is None or row is None:
            self.status_message.emit(_("Choose a line of the scorers first."))
            return
        g = row.scorer
        self._run(lambda: self.service.set_scorer(year, g.kind, g.group_id, row.steward_id, False))

    def start_scoring(self) -> None:
        year = self.year()
        if year is None or not messages.confirm(
            self,
            _("Start scoring"),
            _(
                "Lock the rules and scorers of {year} and make the sheets? Changing a rule "
                "afterwards needs a reason."
            ).format(year=year),
        ):
            return
        self._run(lambda: self.service.start_scoring(year))

    def _on_key_requested(
        self, steward_id: uuid.UUID, rule_id: uuid.UUID, value: Decimal | None
    ) -> None:
        grid = self.grid.grid_model.grid
        if grid is None:
            return
        year, code = grid.year, grid.sheet.code
        values = {(steward_id, rule_id): value}

        def refused(error: UserError) -> bool:
            self._show_problem(error.message)
            self._show_sheet()
            return True

        self.ops.run(
            self,
            lambda: self.service.key_scores(year, code, values),
            {ASSESSMENT},
            refused=refused,
            finally_=lambda: self.grid.grid_model.settled((steward_id, rule_id)),
        )

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(text)

    def finalise(self) -> None:
        year = self.year()
        if year is None:
            return
        self._run(
            lambda: self.service.finalise(year),
            lambda _sheet: self.status_message.emit(
                _("The {year} assessment is final.").format(year=year)
            ),
        )

    def edit_remarks(self) -> None:
        year, index = self.year(), self.results_table.currentIndex()
        row = self.results_model.row_at(index.row()) if index.isValid() else None
        if year is None or row is None:
            self.status_message.emit(_("Choose a steward in the results first."))
            return
        text = ask_remarks(self, row.name, row.remarks)
        if text is not None and text != row.remarks:
            self._run(lambda: self.service.set_remarks(year, row.steward_id, text))

    def ask_export_path(self, year: int) -> Path | None:
        """Where to save the results (tests replace this)."""
        title = _("Assessment {year}").format(year=year)
        return ask_export_path(self, _("Export {table}").format(table=title), title)

    def export_results(self) -> None:
        """The chosen year's results as a spreadsheet: one row per steward, as listed."""
        year, tabular = self.year(), self.tabular
        if year is None or tabular is None:
            return
        path = self.ask_export_path(year)
        if path is None:
            return
        self.ops.run(
            self,
            lambda: tabular.export_assessment(year, path),
            (),  # nothing changed
            done=lambda n: self.status_message.emit(
                ngettext(
                    "Exported {n} steward to {path}.", "Exported {n} stewards to {path}.", n
                ).format(n=n, path=path)
            ),
        )

    def reopen(self) -> None:
        year = self.year()
        if year is None:
            return
        reason = ask_reason(
            self,
            _("Reopen the assessment"),
            _("Why is the final {year} assessment reopened? (kept in the change log)").format(
                year=year
            ),
        )
        if reason:
            self._run(lambda: self.service.reopen(year, reason))
