# SPDX-License-Identifier: GPL-3.0-or-later
"""Between sign-in and the window the clerk sees the app's name and a busy cursor."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desktop.i18n import _
from desktop.views.app import Application
from desktop.views.splash import finish_opening, opening_splash

pytestmark = pytest.mark.gui


def test_the_splash_stays_until_the_window_is_shown(qapp, qtbot, demo_db):  # type: ignore[no-untyped-def]
    splash = opening_splash()
    qtbot.addWidget(splash)
    assert splash.isVisible()
    assert splash.message() == _("Opening the register…") != "Opening the register…"
    assert QApplication.overrideCursor() is not None
    application = Application(qapp, demo_db)
    try:
        application.show_window()
        finish_opening(splash, application.window)
        assert application.window is not None and application.window.isVisible()
        qtbot.waitUntil(lambda: not splash.isVisible(), timeout=10_000)
        assert QApplication.overrideCursor() is None
    finally:
        application.watcher.stop()
        application.backup_timer.stop()
        if application.window is not None:
            application.window.close()
