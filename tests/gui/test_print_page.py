# SPDX-License-Identifier: GPL-3.0-or-later
"""The print centre: Ctrl+P, render off the GUI thread, preview, print, save, cancel, errors."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from desktop.services import Services
from desktop.views.main_window import MainWindow
from desktop.views.printing import print_page
from tests.conftest import DEMO_DAY
from tests.printing.pdfcheck import (
    A3,
    A4,
    assert_fonts_embedded,
    assert_size,
    flat,
    page_count,
    text,
)

pytestmark = pytest.mark.gui
TIMEOUT = 30000
#: The demo's years: commitments and the assessment being scored, and the final one.
THIS_YEAR, LAST_YEAR = DEMO_DAY.year, DEMO_DAY.year - 1


@pytest.fixture
def window(qtbot, demo_db):  # type: ignore[no-untyped-def]
    win = MainWindow(Services(demo_db))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def preview(qtbot, page, document: str | None = None) -> int:  # type: ignore[no-untyped-def]
    """The pages of the preview; a sheet that cannot be made fails the test with its error
    (offscreen, the real message box would wait forever for a click: the run would hang)."""
    if document:
        page.set_options(document)
    outcome: list[object] = []
    page.preview_ready.connect(outcome.append)
    page.preview_failed.connect(outcome.append)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(print_page.messages, "show_error", lambda _parent, _error: None)
        qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(outcome), timeout=TIMEOUT)
    page.preview_ready.disconnect(outcome.append)
    page.preview_failed.disconnect(outcome.append)
    assert isinstance(outcome[0], int), f"no preview: {outcome[0]!r}"
    return outcome[0]


def test_ctrl_p_opens_the_print_centre_with_the_board_previewed(qtbot, window):
    page = window.print_page
    assert not page.print_button.isEnabled()
    with qtbot.waitSignal(page.preview_ready, timeout=TIMEOUT) as ready:
        qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is page
    # The demo's 13 stewards, readable from two metres, take three A3 sheets.
    assert ready.args == [3]
    doc = page.pdf_document
    assert doc.pageCount() == 3
    size = doc.pagePointSize(0)
    assert abs(size.width() - A3[1]) < 1 and abs(size.height() - A3[0]) < 1
    shown = flat(doc.getAllText(0).text())
    assert f"红旗村{THIS_YEAR}年度红色管家承诺公示" in shown and "刘志强" in shown
    assert page.print_button.isEnabled() and page.save_button.isEnabled()
    assert page.info_label.text() == "共 3 页。"
    assert page.pdf_view.document() is doc
    # The view really paints the sheet (QPdfView renders pages asynchronously): the red title.
    qtbot.waitUntil(
        lambda: red_pixels(page.pdf_view.viewport().grab().toImage()) > 200, timeout=TIMEOUT
    )


def red_pixels(image) -> int:  # type: ignore[no-untyped-def]
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            color = image.pixelColor(x, y)
            if color.red() > 150 and color.green() < 90 and color.blue() < 90:
                count += 1
    return count


def test_register_preview_and_save_as_pdf(qtbot, window, tmp_path, monkeypatch):
    page = window.print_page
    window.show_page("printing")
    page.set_options("members")
    assert page.paper_combo.currentText() == "A4"
    assert page.orientation_combo.currentData() is True
    pages = preview(qtbot, page)
    assert pages > 1 and page.pdf_document.pageCount() == pages
    target = tmp_path / "花名册"
    monkeypatch.setattr(page, "ask_save_path", lambda: str(target))
    with qtbot.waitSignal(page.status_message, timeout=TIMEOUT) as saved:
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    pdf = tmp_path / "花名册.pdf"
    assert str(pdf) in saved.args[0]
    assert page_count(pdf) == pages
    assert_size(pdf, (A4[1], A4[0]))
    assert_fonts_embedded(pdf)
    assert "红旗村党支部党员花名册" in flat(text(pdf))


def test_changing_a_choice_requires_a_new_preview(qtbot, window):
    page = window.print_page
    preview(qtbot, page, "board")
    assert page.print_button.isEnabled()
    page.paper_combo.setCurrentText("A4")
    assert not page.print_button.isEnabled() and not page.save_button.isEnabled()
    assert "预览" in page.info_label.text()
    page.orientation_combo.setCurrentIndex(0)
    assert preview(qtbot, page) == 7
    size = page.pdf_document.pagePointSize(0)
    assert abs(size.width() - A4[0]) < 1 and abs(size.height() - A4[1]) < 1


def test_print_sends_every_page_at_the_chosen_size(qtbot, window, tmp_path, monkeypatch):
    page = window.print_page
    preview(qtbot, page, "board")
    out = tmp_path / "printed.pdf"
    seen = {}

    def accept(printer: QPrinter) -> bool:
        seen["size"] = printer.pageLayout().pageSize().id()
        seen["orientation"] = printer.pageLayout().orientation()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(72)
        return True

    monkeypatch.setattr(page, "ask_printer", accept)
    with qtbot.waitSignal(page.status_message, timeout=TIMEOUT) as sent:
        qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    assert "3" in sent.args[0]
    from PySide6.QtGui import QPageLayout, QPageSize

    assert seen == {
        "size": QPageSize.PageSizeId.A3,
        "orientation": QPageLayout.Orientation.Landscape,
    }
    assert page_count(out) == 3
    assert_size(out, (A3[1], A3[0]))


def test_cancel_leaves_no_preview(qtbot, window):
    page = window.print_page
    window.show_page("printing")
    page.set_options("members")
    page.render_preview()
    assert page.cancel_button.isVisible() and not page.preview_button.isEnabled()
    page.cancel()
    qtbot.waitUntil(lambda: page.info_label.text() == "已取消。", timeout=TIMEOUT)
    assert not page.has_preview() and page.preview_button.isEnabled()
    assert not page.cancel_button.isVisible()


def test_the_newest_roster_previews_with_its_team_and_sign_in_column(qtbot, window):
    page = window.print_page
    page.set_options("roster")
    assert page.orientation_combo.currentData() is False
    assert preview(qtbot, page) >= 1
    shown = flat(page.pdf_document.getAllText(0).text())
    assert "红色管家服务队值班表" in shown and "签到" in shown


def test_no_roster_yet_is_a_message_not_a_crash(qtbot, db, branch, monkeypatch):
    win = MainWindow(Services(db))
    qtbot.addWidget(win)
    page = win.print_page
    shown = []
    monkeypatch.setattr(
        print_page.messages, "show_error", lambda parent, error: shown.append(error)
    )
    page.set_options("roster")
    with qtbot.waitSignal(page.preview_failed, timeout=TIMEOUT):
        page.render_preview()
    assert len(shown) == 1 and "还没有值班表" in shown[0].message
    assert page.preview_button.isEnabled() and not page.print_button.isEnabled()


def test_the_assessment_results_and_blank_sheets_of_a_chosen_year(qtbot, window):
    page = window.print_page
    page.set_options("assessment")
    years = [page.year_combo.itemData(i) for i in range(page.year_combo.count())]
    assert years == [THIS_YEAR, LAST_YEAR] and page.year_combo.isEnabled()  # the assessment's
    page.year_combo.setCurrentIndex(years.index(LAST_YEAR))
    pages = preview(qtbot, page)
    assert pages >= 1
    shown = flat(page.pdf_document.getAllText(0).text())
    assert str(LAST_YEAR) in shown and "刘志强" in shown
    page.set_options("score_sheets")
    page.year_combo.setCurrentIndex(page.year_combo.findData(THIS_YEAR))
    assert page.options().year == THIS_YEAR
    assert preview(qtbot, page) >= 1
    assert f"{THIS_YEAR}-D1" in flat(page.pdf_document.getAllText(0).text())


def test_any_roster_or_a_month_of_every_team_is_chosen_and_printed(qtbot, window):
    page = window.print_page
    page.set_options("roster")
    combo = page.roster_combo
    assert combo.isVisibleTo(page)
    choices = [combo.itemText(i) for i in range(combo.count())]
    rosters = page.service.roster_choices()
    # One line per stored roster (the newest chosen), and per month one for all its teams.
    assert sum(1 for c in choices if c.startswith("全部服务队")) >= 1
    assert len(choices) > len(rosters) > 1
    assert combo.currentData() == f"roster:{rosters[0].id}"
    # Not only the first: the last roster of the list prints, with its own team and dates.
    last = rosters[-1]
    combo.setCurrentIndex(combo.findData(f"roster:{last.id}"))
    assert page.options().roster_id == last.id
    preview(qtbot, page)
    shown = flat(page.pdf_document.getAllText(0).text())
    assert last.team_name in shown
    assert f"{last.starts_on.year}年{last.starts_on.month}月{last.starts_on.day}日" in shown
    # A month of every team at once: each team's roster starts on its own page.
    month = rosters[0].starts_on.replace(day=1)
    teams = {r.team_name for r in rosters if r.starts_on.replace(day=1) == month}
    combo.setCurrentIndex(combo.findData(f"month:{month.isoformat()}"))
    assert page.options().month == month and page.options().roster_id is None
    pages = preview(qtbot, page)
    assert pages >= len(teams) > 1
    first_lines = {flat(page.pdf_document.getAllText(n).text())[:40] for n in range(pages)}
    assert all(any(team in line for line in first_lines) for team in teams)
    page.set_options("members")
    assert not combo.isVisibleTo(page)


def test_the_meeting_register_and_the_annual_forms_are_documents_of_the_centre(qtbot, window):
    page = window.print_page
    names = {
        page.document_combo.itemData(i): page.document_combo.itemText(i)
        for i in range(page.document_combo.count())
    }
    assert "年度考核表" in names["assessment"]
    assert "meeting_register" in names
    page.set_options("meeting_register")
    years = [page.year_combo.itemData(i) for i in range(page.year_combo.count())]
    assert years and page.year_combo.isEnabled()
    # The years with meetings; the year already chosen (the board's) stays chosen.
    chosen = page.options().year
    assert chosen in years and chosen == page.year_combo.currentData()
    assert preview(qtbot, page) >= 1
    assert str(chosen) in flat(page.pdf_document.getAllText(0).text())


def test_a_character_that_cannot_print_stops_the_sheet_unless_printed_anyway_marked(
    qtbot, demo_db, tmp_path, monkeypatch
):
    from desktop.models.register.member import Member
    from desktop.models.stewards.steward import Steward

    with demo_db.unit_of_work("test") as session:
        chief = session.query(Steward).filter_by(role="chief").one()
        member = session.get_one(Member, chief.member_id)
        member.name = "刘\ue000强"  # a private-use character: no font has it
    win = MainWindow(Services(demo_db))
    qtbot.addWidget(win)
    page = win.print_page
    asked: list[str] = []
    answers = [False, True]

    def ask(error):  # type: ignore[no-untyped-def]
        asked.append(error.message)
        return answers.pop(0)

    monkeypatch.setattr(page, "ask_print_anyway", ask)
    page.set_options("board")
    # No: nothing is printed, and the message names the steward and the character.
    with qtbot.waitSignal(page.preview_failed, timeout=TIMEOUT):
        page.render_preview()
    assert len(asked) == 1 and "刘\ue000强" in asked[0] and "U+E000" in asked[0]
    assert not page.has_preview() and not page.print_button.isEnabled()
    # Yes: the sheet is printed, the character blank, every page marked.
    with qtbot.waitSignal(page.preview_ready, timeout=TIMEOUT):
        page.render_preview()
    assert len(asked) == 2 and page.options().anyway
    assert page.print_button.isEnabled() and page.save_button.isEnabled()
    assert "\ue000" in page.info_label.text()
    target = tmp_path / "board.pdf"
    monkeypatch.setattr(page, "ask_save_path", lambda: str(target))
    with qtbot.waitSignal(page.status_message, timeout=TIMEOUT):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    for number in range(1, page_count(target) + 1):
        assert "仍然打印" in flat(text(target, number))
    # Another choice asks again.
    page.paper_combo.setCurrentText("A4")
    assert not page.options().anyway
