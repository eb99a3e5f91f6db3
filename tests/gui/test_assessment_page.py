# SPDX-License-Identifier: GPL-3.0-or-later
"""The annual assessment page: keying a sheet from the keyboard, refusals, missing boxes,
finalising and reopening (real widgets offscreen, a real database)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.i18n import _
from desktop.views.assessment import assessment_page
from desktop.views.assessment.assessment_page import AssessmentPage
from desktop.views.assessment.score_grid import ScoreGridModel
from tests.assessment_year import YEAR, key_everything, make_year

pytestmark = pytest.mark.gui


@pytest.fixture
def year(db, branch, make_member):  # type: ignore[no-untyped-def]
    service, stewards, _groups = make_year(db, branch, make_member)
    service.start_scoring(YEAR)
    return service, stewards


@pytest.fixture
def page(qtbot, year):  # type: ignore[no-untyped-def]
    widget = AssessmentPage(year[0])
    qtbot.addWidget(widget)
    widget.resize(1100, 650)
    widget.show()
    qtbot.waitExposed(widget)
    widget.tabs.setCurrentIndex(AssessmentPage.TABS.index("sheets"))
    return widget


def open_sheet(page: AssessmentPage, code: str) -> None:
    row = next(i for i, s in enumerate(page.sheets_model.rows()) if s.code == code)
    page.sheets_table.selectRow(row)
    assert page.grid.grid_model.grid.sheet.code == code
    page.grid.setFocus()
    page.grid.setCurrentIndex(page.grid.grid_model.index(0, 0))


def open_editor(page: AssessmentPage) -> QLineEdit | None:
    editor = QApplication.focusWidget()
    return editor if isinstance(editor, QLineEdit) and editor.parent() else None


def type_score(qtbot, page: AssessmentPage, digits: str, then: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    """Type digits into the current box and press `then`: as a person does, into the box
    Tab/Enter opened, or onto the grid (the first digit opens the box)."""
    editor = open_editor(page)
    if editor is None:
        QTest.keyClick(page.grid, digits[0])
        qtbot.waitUntil(lambda: open_editor(page) is not None, timeout=10_000)
        editor, digits = open_editor(page), digits[1:]
    assert editor.objectName() == "score_editor"
    for digit in digits:
        QTest.keyClick(editor, digit)
    QTest.keyClick(editor, then)


def sheet_values(service, code: str) -> list[Decimal | None]:  # type: ignore[no-untyped-def]
    grid = service.sheet(YEAR, code)
    return [grid.box(sid, grid.rules[0].id).value for sid, _name in grid.stewards]


def test_keying_a_sheet_from_the_keyboard(qtbot, settle, page, year):
    service = year[0]
    code = f"{YEAR}-D1"
    open_sheet(page, code)
    assert page.grid.grid_model.columnCount() == 1  # the party groups score one item
    type_score(qtbot, page, "42", Qt.Key.Key_Tab)
    settle()
    assert page.grid.currentIndex().row() == 1  # Tab went on to the next box
    type_score(qtbot, page, "38", Qt.Key.Key_Return)
    settle()
    assert page.grid.currentIndex().row() == 2  # so did Enter
    type_score(qtbot, page, "45", Qt.Key.Key_Enter)
    settle()
    assert sheet_values(service, code) == [Decimal("42"), Decimal("38"), Decimal("45")]
    model = page.grid.grid_model
    assert [model.index(r, 0).data() for r in range(3)] == ["42", "38", "45"]
    assert _("{missing} of {boxes}").format(missing=0, boxes=3) in [
        page.sheets_model.index(r, 2).data() for r in range(page.sheets_model.rowCount())
    ]


def test_a_score_above_the_maximum_is_refused_at_once(qtbot, settle, page, year):
    service = year[0]
    code = f"{YEAR}-D1"
    open_sheet(page, code)
    type_score(qtbot, page, "55", Qt.Key.Key_Tab)  # the item's maximum is 50
    editor = open_editor(page)
    assert editor.isVisible() and editor.text() == "55"  # the box stays open
    assert page.grid.currentIndex().row() == 0
    assert "50" in page.problem_label.text() and "55" in page.problem_label.text()
    settle()
    assert sheet_values(service, code)[0] is None
    editor.setText("50")
    QTest.keyClick(editor, Qt.Key.Key_Tab)
    settle()
    assert page.problem_label.text() == ""
    assert sheet_values(service, code)[0] == Decimal("50")


def test_the_grid_shows_what_is_missing(qtbot, settle, page, year):
    service, _stewards = year
    code = f"{YEAR}-D1"
    service.key_scores(
        YEAR, code, {(sid, service.sheet(YEAR, code).rules[0].id): Decimal(40)
                     for sid, _n in service.sheet(YEAR, code).stewards[:1]}
    )  # fmt: skip
    page.refresh()
    open_sheet(page, code)
    model = page.grid.grid_model
    background = [model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) for r in range(3)]
    assert background[0] is None
    assert background[1] == background[2] == ScoreGridModel.EMPTY_BRUSH
    assert page.sheet_label.text() == _(
        "Sheet {code}, {scorer}: {missing} of {boxes} boxes empty."
    ).format(code=code, scorer=model.grid.sheet.scorer.name, missing=2, boxes=3)
    sheets = service.sheets(YEAR)
    assert page.missing_label.text() == _(
        "In all: {out} of {sheets} sheets not keyed yet, {missing} of {boxes} boxes empty."
    ).format(
        out=len(sheets) - 1,
        sheets=len(sheets),
        missing=sum(s.missing for s in sheets),
        boxes=sum(s.boxes for s in sheets),
    )


def test_finalising_refreshes_the_results_and_reopening_needs_a_reason(
    qtbot, settle, page, year, monkeypatch
):
    service = year[0]
    page.tabs.setCurrentIndex(AssessmentPage.TABS.index("results"))
    assert page.results_model.rowCount() == 3
    key_everything(service)
    page.refresh()
    assert page.finalise_button.isEnabled() and not page.reopen_button.isEnabled()
    page.finalise_button.click()
    settle()
    assert service.year(YEAR).state == "final"
    assert page.results_label.text().startswith(
        _("Final: the stored results of {year}.").format(year=YEAR)
    )
    ranks = [page.results_model.row_at(r).rank for r in range(3)]
    assert ranks == sorted(ranks)
    assert page.reopen_button.isEnabled() and not page.finalise_button.isEnabled()
    monkeypatch.setattr(assessment_page, "ask_reason", lambda *a: None)  # cancelled
    page.reopen_button.click()
    settle()
    assert service.year(YEAR).state == "final"
    monkeypatch.setattr(assessment_page, "ask_reason", lambda *a: "补录一张评分表")
    page.reopen_button.click()
    settle()
    assert service.year(YEAR).state == "scoring"
    assert "补录一张评分表" in page.state_label.text()
    assert page.finalise_button.isEnabled()


def test_the_results_are_exported_as_a_spreadsheet(qtbot, settle, db, branch, year, tmp_path):
    from openpyxl import load_workbook

    from desktop.tabular.service import TabularService

    service = year[0]
    key_everything(service)
    page = AssessmentPage(service, tabular=TabularService(db, branch.id))
    qtbot.addWidget(page)
    page.tabs.setCurrentIndex(AssessmentPage.TABS.index("results"))
    assert page.export_button.isVisibleTo(page) and page.export_button.isEnabled()
    target = tmp_path / "结果.xlsx"
    page.ask_export_path = lambda _year: target  # the file dialog, answered
    with qtbot.waitSignal(page.status_message, timeout=10_000) as said:
        qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    settle()
    assert str(target) in said.args[0]
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    shown = [page.results_model.row_at(r) for r in range(page.results_model.rowCount())]
    assert [(r[0], r[1]) for r in rows[1:]] == [(s.rank, s.name) for s in shown]
    assert [r[rows[0].index(_("Total"))] for r in rows[1:]] == [float(s.total) for s in shown]
    # Without the export's service (a page made without it) there is no button.
    bare = AssessmentPage(service)
    qtbot.addWidget(bare)
    assert not bare.export_button.isVisibleTo(bare)


def test_grading_options_are_set_in_the_window_and_locked_with_the_rules(
    qtbot, settle, db, branch, make_member, monkeypatch
):
    import datetime as dt

    from desktop.views.assessment.options_dialog import OptionsDialog

    service, _stewards, _groups = make_year(db, branch, make_member)
    page = AssessmentPage(service)
    qtbot.addWidget(page)
    seen: list[OptionsDialog] = []

    def fill(current, parent):  # type: ignore[no-untyped-def]
        dialog = OptionsDialog(current, parent)
        qtbot.addWidget(dialog)
        seen.append(dialog)
        if current.state == "open":
            dialog.excellent_spin.setValue(95)
            dialog.competent_spin.setValue(75)
            dialog.basic_spin.setValue(80)  # above competent: refused in the dialog
            dialog.accept()
            assert dialog.result() != OptionsDialog.DialogCode.Accepted
            assert dialog.problem.isVisibleTo(dialog)
            dialog.basic_spin.setValue(62.5)
            dialog.share_spin.setValue(30)
            dialog.drop_check.setChecked(True)
        dialog.post_check.setChecked(True)
        dialog.from_edit.setDate(dt.date(YEAR + 1, 1, 6))
        dialog.until_edit.setDate(dt.date(YEAR + 1, 1, 12))
        dialog.accept()
        assert dialog.result() == OptionsDialog.DialogCode.Accepted
        return dialog.options()

    monkeypatch.setattr(OptionsDialog, "ask", staticmethod(fill))
    assert page.options_button.isEnabled()
    qtbot.mouseClick(page.options_button, Qt.MouseButton.LeftButton)
    settle()
    row = service.year(YEAR)
    assert (row.excellent_min, row.competent_min, row.basic_min) == (
        Decimal(95),
        Decimal(75),
        Decimal("62.5"),
    )
    assert (row.excellent_share, row.drop_extremes) == (30, True)
    assert (row.published_from, row.published_until) == (
        dt.date(YEAR + 1, 1, 6),
        dt.date(YEAR + 1, 1, 12),
    )
    assert "62.5" in page.options_label.text() and "30" in page.options_label.text()

    # Once scoring starts, only the posting period can change.
    service.start_scoring(YEAR)
    page.refresh()
    qtbot.mouseClick(page.options_button, Qt.MouseButton.LeftButton)
    settle()
    assert not seen[-1].excellent_spin.isEnabled() and seen[-1].from_edit.isEnabled()
    assert service.year(YEAR).excellent_min == Decimal(95)
    assert service.year(YEAR).published_from == dt.date(YEAR + 1, 1, 6)


def test_single_scorers_are_added_and_removed_in_the_window(qtbot, settle, db, branch, make_member):
    service, _stewards, _groups = make_year(db, branch, make_member)
    service.default_scorers(YEAR)
    page = AssessmentPage(service)
    qtbot.addWidget(page)
    page.tabs.setCurrentIndex(AssessmentPage.TABS.index("scorers"))

    def pairs() -> set[tuple[str, str]]:
        return {(r.scorer.name, r.steward_name) for r in service.scorers(YEAR)}

    before = pairs()
    assert ("第一村民小组", "赵二") not in before
    names = [page.scorer_combo.itemText(i) for i in range(page.scorer_combo.count())]
    assert "第一村民小组" in names and names[-1] == _("Branch committee")
    page.scorer_combo.setCurrentIndex(names.index("第一村民小组"))
    page.scorer_steward_combo.setCurrentIndex(page.scorer_steward_combo.findText("赵二"))
    qtbot.mouseClick(page.add_scorer_button, Qt.MouseButton.LeftButton)
    settle()
    assert pairs() == before | {("第一村民小组", "赵二")}
    assert ("第一村民小组", "赵二") in {
        (r.scorer.name, r.steward_name) for r in page.scorers_model.rows()
    }

    row = next(
        i
        for i, r in enumerate(page.scorers_model.rows())
        if (r.scorer.name, r.steward_name) == ("第一村民小组", "王一")
    )
    page.scorers_table.selectRow(row)
    qtbot.mouseClick(page.remove_scorer_button, Qt.MouseButton.LeftButton)
    settle()
    assert pairs() == (before | {("第一村民小组", "赵二")}) - {("第一村民小组", "王一")}

    # The sheets follow the scorers; once scoring starts they are locked.
    service.start_scoring(YEAR)
    page.refresh()
    sheet = next(s for s in service.sheets(YEAR) if s.scorer.name == "第一村民小组")
    assert {name for _sid, name in service.sheet(YEAR, sheet.code).stewards} == {"李书记", "赵二"}
    assert not page.add_scorer_button.isEnabled() and not page.remove_scorer_button.isEnabled()


def test_a_remark_on_a_final_result_is_kept_and_printed(
    qtbot, settle, db, branch, page, year, monkeypatch, tmp_path
):
    import datetime as dt

    from desktop.models.documents.service import PrintService
    from desktop.printing import jobs
    from tests.printing import pdfcheck

    service = year[0]
    page.tabs.setCurrentIndex(AssessmentPage.TABS.index("results"))
    assert not page.remarks_button.isEnabled()  # nothing is stored before the year is final
    key_everything(service)
    service.finalise(YEAR, dt.date(YEAR, 12, 30))
    page.refresh()
    assert page.remarks_button.isEnabled()
    row = next(i for i, r in enumerate(page.results_model.rows()) if r.name == "王一")
    page.results_table.selectRow(row)
    asked: list[tuple[str, str]] = []

    def answer(_parent, name, current):  # type: ignore[no-untyped-def]
        asked.append((name, current))
        return "走访群众积极，服务热情"

    monkeypatch.setattr(assessment_page, "ask_remarks", answer)
    qtbot.mouseClick(page.remarks_button, Qt.MouseButton.LeftButton)
    settle()
    assert asked == [("王一", "")]
    [one] = [s for s in service.results(YEAR).stewards if s.name == "王一"]
    assert one.remarks == "走访群众积极，服务热情"
    assert service.year(YEAR).state == "final"  # a remark does not reopen the year
    shown = [page.results_model.row_at(r) for r in range(page.results_model.rowCount())]
    assert next(r for r in shown if r.name == "王一").remarks == "走访群众积极，服务热情"
    out = tmp_path / "results.pdf"
    data = PrintService(db, branch.id).sheet(jobs.ASSESSMENT, dt.date(YEAR, 12, 31), year=YEAR)
    jobs.write_pdf(out, jobs.choose_options(jobs.ASSESSMENT, year=YEAR), data)
    assert "走访群众积极，服务热情" in pdfcheck.flat(pdfcheck.text(out))
