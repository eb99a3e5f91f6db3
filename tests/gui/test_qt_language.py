# SPDX-License-Identifier: GPL-3.0-or-later
"""Qt's own words follow the chosen language (issue 18: the file dialog said "Look in:" and every
window title ended in "— Red Steward" in a Chinese window)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate, QLibraryInfo
from PySide6.QtWidgets import QDateEdit, QFileDialog, QLabel

from desktop import APP_DISPLAY_NAME, i18n
from desktop.views.app import Application

pytestmark = pytest.mark.gui

WORDS = {
    "zh_CN": ("红色管家", "查找范围(&L)：", "文件类型(&T)："),
    "zh_TW": ("紅色管家", "查詢範圍(&L)：", "檔案型別(&T)："),
    "en": ("Red Steward", "&Look in:", "Files of &type:"),
}


@pytest.fixture
def application(qapp):  # type: ignore[no-untyped-def]
    application = Application(qapp)
    yield application
    application.apply_language("zh_CN")  # the tests' language, for Qt's locale too
    qapp.removeTranslator(application._qt_translator)
    qapp.removeTranslator(application._qt_words)
    application.watcher.stop()
    application.backup_timer.stop()
    qapp.setApplicationDisplayName(APP_DISPLAY_NAME)


def test_qt_ships_chinese_translations_of_its_own_dialogs():
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    for locale in ("zh_CN", "zh_TW"):
        assert (folder / f"qtbase_{locale}.qm").is_file()


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW", "en"])
def test_the_file_dialog_and_window_titles_speak_the_language(qtbot, application, language):
    application.apply_language(language)
    name, look_in, file_type = WORDS[language]
    # Qt appends the display name to every window title: it is the translated name.
    assert QCoreApplication.instance().applicationDisplayName() == name
    # Qt's file dialog (the one Qt draws itself; the native one is the system's).
    dialog = QFileDialog(None, "", "", "*.xlsx")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert look_in in labels and file_type in labels, labels
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == (
        "Cancel" if language == "en" else "取消"
    )


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW", "en"])
def test_a_date_box_writes_dates_as_the_pages_do(qtbot, application, language):
    application.apply_language(language)
    box = QDateEdit(QDate(2006, 7, 1))
    qtbot.addWidget(box)
    box.setDisplayFormat(i18n.qt_date_format())
    assert box.text() == i18n.format_date(dt.date(2006, 7, 1))
