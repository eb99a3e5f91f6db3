# SPDX-License-Identifier: GPL-3.0-or-later
"""Large text that fits: at 125, 150 and 200 % in each language every page and dialog fits a
1366×768 laptop screen and no label or button shows only part of its text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionFrame,
    QWidget,
)

from desktop import i18n
from desktop.models.store.salvage import SalvageSummary, TableSalvage
from desktop.services import Services
from desktop.views import fonts, ui_state
from desktop.views.assessment.rule_dialog import RuleDialog
from desktop.views.main_window import PAGES, MainWindow
from desktop.views.meetings.meeting_dialog import MeetingDialog
from desktop.views.security.salvage_dialog import SalvageDialog
from desktop.views.stewards.appoint_dialog import AppointDialog
from desktop.views.stewards.away_dialog import AwayDialog
from desktop.views.stewards.household_dialog import HouseholdDialog
from desktop.views.stewards.kinds_dialog import KindsDialog
from desktop.views.sync.name_dialog import PcNameDialog

pytestmark = pytest.mark.gui

LAPTOP = QSize(1366, 768)
SCALES = (125, 150, 200)
#: What a window frame and a taskbar take from the laptop's screen.
FRAME_AND_TASKBAR = QSize(16, 40 + 32)


def _shown_text(widget: QLabel | QAbstractButton) -> str:
    """The text as drawn: a mnemonic's & is not shown, && is one &."""
    return widget.text().replace("&&", "\0").replace("&", "").replace("\0", "&")


def clipped(widget: QLabel | QAbstractButton) -> str | None:
    """Why `widget` shows only part of its text (None when all of it shows)."""
    text = _shown_text(widget)
    if not text.strip():
        return None
    metrics = widget.fontMetrics()
    if isinstance(widget, QLabel):
        if widget.textFormat() != widget.textFormat().PlainText and "<" in text:
            return None  # rich text: Qt lays it out itself
        room = widget.contentsRect()
        width = room.width() - 2 * widget.margin()
        if widget.wordWrap():
            if widget.heightForWidth(widget.width()) > widget.height() + 1:
                return f"wraps to {widget.heightForWidth(widget.width())} px in {widget.height()}"
            return None
        lines = text.splitlines() or [text]
        needed = max(metrics.horizontalAdvance(line) for line in lines)
        if needed > width + 1:
            return f"needs {needed} px, has {width}"
        if metrics.height() * len(lines) > room.height() + 1:
            return f"needs {metrics.height() * len(lines)} px high, has {room.height()}"
        return None
    hint = widget.sizeHint()
    if widget.width() + 1 < hint.width() or widget.height() + 1 < metrics.height():
        return f"is {widget.width()}×{widget.height()}, needs {hint.width()}×{hint.height()}"
    return None


def cut_off(edit: QLineEdit) -> str | None:
    """Why a field shows only part of the text it was given (None when all of it shows)."""
    if not edit.text():
        return None
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    room = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    width = room.width() - margins.left() - margins.right() - 4  # QLineEdit's own 2 px a side
    # The text's last glyph whole (its bounding box may pass its advance), and the cursor.
    metrics = edit.fontMetrics()
    needed = max(metrics.horizontalAdvance(edit.text()), metrics.boundingRect(edit.text()).right())
    needed += edit.style().pixelMetric(QStyle.PixelMetric.PM_TextCursorWidth, None, edit) + 1
    return f"needs {needed} px, has {width}" if needed > width else None


def problems_in(top: QWidget, where: str) -> list[str]:
    found = []
    for edit in top.findChildren(QLineEdit):
        if edit.isVisibleTo(top) and edit.width() > 0 and not edit.isReadOnly():
            why = cut_off(edit)
            if why:
                found.append(f"{where}: {edit.objectName() or 'a field'} {edit.text()!r} {why}")
    for kind in (QLabel, QAbstractButton):
        for widget in top.findChildren(kind):
            if not widget.isVisibleTo(top) or widget.width() <= 0:
                continue
            why = clipped(widget)
            if why:
                found.append(
                    f"{where}: {widget.objectName() or type(widget).__name__} "
                    f"{_shown_text(widget)!r} {why}"
                )
    return found


def fits(size: QSize) -> bool:
    room = LAPTOP - FRAME_AND_TASKBAR
    return size.width() <= room.width() and size.height() <= room.height()


def settle_layout() -> None:
    for _ in range(3):
        QApplication.processEvents()


def dialogs(window: MainWindow) -> Iterator[tuple[str, Callable[[], QDialog]]]:
    """Every dialog a page opens for writing or choosing, made as the page makes it."""
    services = window.services
    yield "member", lambda: window.members_page.open_dialog(None)
    yield "household", lambda: HouseholdDialog(services.stewards, None, window)
    yield "meeting", lambda: MeetingDialog(services.meetings, None, window)
    yield "appoint", lambda: AppointDialog(services.stewards, window)
    yield "away", lambda: AwayDialog("刘志强", (), window)
    yield "service kinds", lambda: KindsDialog(services.service_log, window)
    yield "assessment item", lambda: RuleDialog(services.assessment, None, True, window)
    yield "salvage summary", lambda: SalvageDialog(_salvage_summary(), window)
    yield (
        "PC name",
        lambda: PcNameDialog(services.sync.pc_name(), services.sync.default_name, window),
    )


def _salvage_summary() -> SalvageSummary:
    """A salvage that read most of a damaged file and took the rest from a backup."""
    return SalvageSummary(
        damaged_path=Path("data/red-steward.db"),
        salvaged_path=Path("data/red-steward.salvaged.db"),
        backup_path=Path("backups/red-steward-20261201.db"),
        backup_created=dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC),
        tables=(
            TableSalvage("member", 58, 2, 3),
            TableSalvage("household", 40, 0, 1, unreadable_tail=True),
            TableSalvage("service_record", 300, 12, 0),
        ),
        members_from_backup=("刘志强", "王秀英"),
        members_changed=4,
    )


@pytest.fixture
def restore_font(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    yield
    fonts.apply_app_font(qapp, 100)


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW", "en"])
def test_every_page_and_dialog_fits_a_laptop_at_each_text_size(
    qtbot, qapp, demo_db, language, restore_font
):  # type: ignore[no-untyped-def]
    i18n.set_language(language)
    window = MainWindow(Services(demo_db))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_message(_long_message(language))
    found: list[str] = []
    for scale in SCALES:
        # As the settings page does it (the application then rebuilds the window; this checks
        # the harder case: the same window re-laid at the new size).
        fonts.apply_app_font(qapp, scale)
        window.resize(LAPTOP - FRAME_AND_TASKBAR)
        settle_layout()
        where = f"{language} {scale} %"
        if not fits(window.minimumSizeHint()):
            found.append(f"{where}: the window needs {window.minimumSizeHint().toTuple()}")
        room = window.page_scroll.viewport().width()
        for entry in PAGES:
            window.show_page(entry.key)
            settle_layout()
            found += problems_in(window, f"{where} {entry.key}")
            needs = window.page(entry.key).minimumSizeHint().width()
            if needs > room:
                found.append(f"{where} {entry.key}: {needs} px wide in {room} (scrolls sideways)")
        for name, make in dialogs(window):
            dialog = make()
            dialog.show()
            settle_layout()
            if not fits(dialog.minimumSizeHint()):
                found.append(f"{where} {name}: needs {dialog.minimumSizeHint().toTuple()}")
            found += problems_in(dialog, f"{where} {name}")
            dialog.close()
            dialog.deleteLater()
    assert not found, "\n".join(found)


def _long_message(language: str) -> str:
    """A status message longer than a laptop's status bar at 200 %: it wraps, never clips."""
    return {
        "en": "Imported: 120 added, 37 updated; 4 rows were left out (see the report) " * 2,
        "zh_TW": "已匯入：新增 120 筆，更新 37 筆；有 4 列未匯入（請看報告）。" * 2,
    }.get(language, "已导入：新增 120 条，更新 37 条；有 4 行未导入（请看报告）。" * 2)


# ---------------------------------------------------------------------- the parts, one by one


def test_a_long_error_shows_every_line_and_goes_once_the_field_is_fixed(
    qtbot, qapp, demo_db, restore_font
):  # type: ignore[no-untyped-def]
    fonts.apply_app_font(qapp, 200)
    window = MainWindow(Services(demo_db))
    qtbot.addWidget(window)
    dialog = window.members_page.open_dialog(None)  # the window's child: closed with it
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.line("name").setText("张三")
    dialog.line("id_number").setText("430121198003150011")  # the check digit is wrong
    dialog.save_button.click()
    error = dialog.errors["id_number"]
    qtbot.waitUntil(error.isVisible, timeout=10_000)
    settle_layout()
    assert error.heightForWidth(error.width()) > error.fontMetrics().height() * 2  # wraps
    assert clipped(error) is None
    assert dialog.form_error.text()

    dialog.line("id_number").setText("430121198003150017")  # now right
    assert not error.isVisible()
    # The other fields still have their problems, so the note above the buttons stays.
    assert dialog.errors["joined_on"].isVisible() and dialog.form_error.text()


def test_a_status_message_has_its_own_place_and_stays_until_the_next(qtbot, demo_db):  # type: ignore[no-untyped-def]
    window = MainWindow(Services(demo_db))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_message("已导入：新增 3 条，更新 2 条。")
    settle_layout()
    assert window.message_label.isVisible()
    assert window.statusBar().currentMessage() == ""  # nothing drawn over the facts
    facts = [window.branch_label, window.user_label, window.backup_label, window.sync_label]
    assert not any(window.message_label.geometry().intersects(f.geometry()) for f in facts)
    assert window.statusBar().isAncestorOf(window.message_label)
    window.show_message("第二条")
    assert window.message_label.text() == "第二条"


def test_a_saved_size_larger_than_the_screen_is_brought_onto_it(qtbot, qapp, demo_db):  # type: ignore[no-untyped-def]
    big = MainWindow(Services(demo_db))
    qtbot.addWidget(big)
    big.resize(4000, 3000)
    big.move(2000, 1500)
    saved = big.saveGeometry()
    window = MainWindow(Services(demo_db))
    qtbot.addWidget(window)
    window.restoreGeometry(saved)
    room = window.screen().availableGeometry()
    assert window.width() <= room.width() and window.height() <= room.height()
    assert room.contains(window.geometry().topLeft())


def test_changing_the_text_size_lays_the_window_out_again(qtbot, qapp, demo_db, restore_font):  # type: ignore[no-untyped-def]
    from desktop.views.app import Application
    from desktop.views.tasks import db_pool

    application = Application(qapp, demo_db)
    try:
        application.show_window()
        before = application.window
        qtbot.waitExposed(before)
        narrow = before.navigation.width()
        member_columns = before.members_page.table.columnWidth(0)
        settings = before.settings_page
        settings.scale_combo.setCurrentIndex(settings.scale_combo.findData(200))
        after = application.window
        assert after is not before
        assert after.stack.currentWidget() is after.settings_page  # where the clerk was
        assert after.navigation.width() > narrow * 1.5
        assert after.members_page.table.columnWidth(0) > member_columns
        room = after.screen().availableGeometry()
        assert after.width() <= room.width() and after.height() <= room.height()
    finally:
        application.watcher.stop()
        application.backup_timer.stop()
        db_pool().waitForDone(30_000)
        if application.window is not None:
            application.window.close()
        ui_state.set_text_scale(100)


def test_a_service_log_problem_goes_once_the_name_is_right(qtbot, demo_db):  # type: ignore[no-untyped-def]
    window = MainWindow(Services(demo_db))
    qtbot.addWidget(window)
    page = window.page("service_log")
    page.people_edit.setText("无此人")
    page.record()
    assert "无此人" in page.error_label.text()
    name = window.services.stewards.volunteers(window.services.stewards.teams()[0].id)[0].name
    page.people_edit.setText(name)
    assert page.error_label.text() == ""
