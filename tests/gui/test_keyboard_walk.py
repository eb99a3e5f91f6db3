# SPDX-License-Identifier: GPL-3.0-or-later
"""Every page reached and used without a mouse: Ctrl+PageDown to it, Tab to its table, and on
the pages whose rows open in a dialog, Enter opens one and Esc closes it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QWidget

from desktop.services import Services
from desktop.views.main_window import PAGES, MainWindow

pytestmark = pytest.mark.gui

#: Pages whose table rows open in a dialog with Enter: the dialog's objectName.
ENTER_OPENS = {
    "members": "member_dialog",
    "households": "household_dialog",
    "service_log": "service_dialog",
}
MAX_TABS = 80


def _focus() -> QWidget | None:
    return QApplication.focusWidget()


def test_every_page_is_reached_and_used_from_the_keyboard(qtbot, demo_db):
    win = MainWindow(Services(demo_db))
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    assert win.stack.currentWidget() is win.page(PAGES[0].key)

    for number, entry in enumerate(PAGES):
        page = win.page(entry.key)
        if number:
            qtbot.keyClick(
                _focus() or win, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier
            )
        assert win.stack.currentWidget() is page, entry.key
        qtbot.waitUntil(lambda page=page: page.isAncestorOf(_focus()), timeout=10_000)

        tables = [t for t in page.findChildren(QAbstractItemView) if t.isVisible()]
        if not tables:
            continue  # a page of settings and buttons: the cursor is in it, that is all
        for _tab in range(MAX_TABS):
            if isinstance(_focus(), QAbstractItemView) and page.isAncestorOf(_focus()):
                break
            qtbot.keyClick(_focus(), Qt.Key.Key_Tab)
        else:
            pytest.fail(f"Tab never reaches a table on the {entry.key} page")

        dialog_name = ENTER_OPENS.get(entry.key)
        if dialog_name is None:
            continue
        table = _focus()
        while table.objectName() not in {"member_table", "household_table", "record_table"}:
            qtbot.keyClick(table, Qt.Key.Key_Tab)
            table = _focus()
        qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(table, Qt.Key.Key_Down)
        qtbot.keyClick(table, Qt.Key.Key_Up)
        qtbot.keyClick(table, Qt.Key.Key_Return)
        dialog = win.findChild(QDialog, dialog_name)
        assert dialog is not None, entry.key
        qtbot.waitUntil(dialog.isVisible, timeout=10_000)
        qtbot.waitUntil(dialog.isActiveWindow, timeout=10_000)
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)  # nothing typed
        qtbot.waitUntil(lambda dialog=dialog: not dialog.isVisible(), timeout=10_000)
        dialog.setObjectName("")  # the next lookup finds the next page's dialog only
        win.activateWindow()  # the window manager's part; offscreen has none
        qtbot.waitUntil(win.isActiveWindow, timeout=10_000)

    qtbot.keyClick(_focus() or win, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert win.stack.currentWidget() is win.page(PAGES[0].key)  # round again
