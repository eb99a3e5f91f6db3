# SPDX-License-Identifier: GPL-3.0-or-later
"""Starting the window: Qt, fonts, language, the data file, the first-run choice."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QThreadPool, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from desktop import APP_DISPLAY_NAME, APP_NAME, __version__, i18n, logfile, paths
from desktop.errors import DatabaseCorrupt, UserError
from desktop.i18n import _
from desktop.models.store import backup, keyring
from desktop.models.store.db import Database, _is_plain_sqlite, missing_changes
from desktop.models.store.salvage import SalvageSummary
from desktop.services import Services
from desktop.views import fonts, messages, ui_state
from desktop.views.collector import GuiThreadCollector
from desktop.views.first_run import FirstRunDialog
from desktop.views.main_window import MainWindow
from desktop.views.qt_words import QtWords
from desktop.views.security.create_admin_dialog import CreateAdminDialog
from desktop.views.security.lock import InactivityWatcher
from desktop.views.security.recovery_key_dialog import RecoveryKeyDialog
from desktop.views.security.salvage_dialog import DamageBox, DamageChoice, SalvageDialog
from desktop.views.security.security_page import ask_password
from desktop.views.security.sign_in_dialog import SignInDialog
from desktop.views.splash import finish_opening, opening_splash
from desktop.views.tasks import db_pool, run_task

log = logging.getLogger(__name__)
BACKUP_CHECK_MS = 3_600_000  # hourly: is the daily backup due?
_QT_LOCALES = {"zh_CN": "zh_CN", "zh_TW": "zh_TW", "en": "en"}


def setup_file_logging() -> None:
    folder = paths.log_dir()
    try:
        logfile.private_log_file(folder / "red-steward.log")
        handler = logging.handlers.RotatingFileHandler(
            folder / "red-steward.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return  # a read-only data folder is reported when the database opens
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)


class Application:
    """Owns the QApplication-wide state: language, Qt's own translations, the window."""

    def __init__(self, app: QApplication, db: Database | None = None) -> None:
        self.app = app
        self.window: MainWindow | None = None
        self._qt_translator = QTranslator()
        self._qt_words = QtWords()  # the few words Qt's own catalogue lacks
        if db is not None:
            self.attach(db)
        self.watcher = InactivityWatcher(ui_state.lock_minutes())
        self.watcher.idle.connect(self._on_idle)
        # The daily backup, also when the register stays open for days.
        self.backup_running = False
        self.backup_timer = QTimer(interval=BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.backup_if_due)
        self.backup_timer.start()

    def backup_if_due(self) -> None:
        """The daily backup, off the GUI thread (a county-size file takes a while to copy and
        verify); at most one at a time."""
        db = getattr(self, "db", None)
        if db is None or self.backup_running:
            return
        self.backup_running = True
        run_task(
            lambda _progress, _cancel: backup.backup_if_due(db),
            self._backup_done,
            self._backup_failed,
        )

    def _backup_done(self, made: object) -> None:
        self.backup_running = False
        if made is not None and self.window is not None:
            self.window.update_status()

    def _backup_failed(self, error: BaseException) -> None:
        self.backup_running = False
        if not isinstance(error, UserError):
            raise error  # a bug: the crash handler shows it
        if isinstance(error, DatabaseCorrupt):
            self._damage_found(error)  # the backup read a damaged page
            return
        log.warning("no daily backup: %s", error.message)  # a full disk: the next check retries

    def check_integrity(self) -> None:
        """SQLite's quick check of the open file, off the GUI thread and beside the writer thread
        (it only reads): opening does not wait for it (9.7 s of an 11.8 s start on a county-size
        file). Damage is shown in plain words; the clerk restores a backup from there."""
        db = getattr(self, "db", None)
        if db is None:
            return
        run_task(
            lambda _progress, _cancel: db.check_integrity(),
            lambda _result: None,
            self._damage_found,
            pool=QThreadPool.globalInstance(),
        )

    def _damage_found(self, error: BaseException) -> None:
        """The plain sentence; for an administrator, "Salvage data…" beside "Restore a backup…"."""
        db = self.db
        may_salvage = (
            isinstance(error, DatabaseCorrupt)
            and db.server_url is None
            and not db.read_only
            and (db.user is None or db.user.is_admin)
        )
        if not may_salvage:
            messages.show_error(self.window, error)
            return
        assert isinstance(error, UserError)
        choice = DamageBox.ask(self.window, error.message)
        if choice is DamageChoice.SALVAGE:
            self.salvage()
        elif choice is DamageChoice.RESTORE and self.window is not None:
            self.window.show_page("security")
            self.window.security_page.restore_button.click()

    def salvage(self) -> None:
        """Salvage on the database thread, show what it got, replace only when the clerk says so
        (then sign in again, as after a restore)."""
        user = self.db.user.username if self.db.user else ""
        password = ask_password(
            self.window, _("Salvage the data"), _("Password of {user}:").format(user=user)
        )
        if password is None:
            return
        credentials = keyring.Credentials(user, password)
        run_task(
            lambda _progress, _cancel: self.services.salvage(credentials),
            lambda summary: self._salvaged(summary, credentials),
            lambda error: messages.show_error(self.window, error),
        )

    def _salvaged(self, summary: SalvageSummary, credentials: keyring.Credentials) -> None:
        if not SalvageDialog.ask(self.window, summary):
            self.services.discard_salvaged()
            return
        folder = self.db.path.parent

        def used(result: tuple[Services, Path]) -> None:
            services, aside = result
            self._show_restored(
                services.db,
                _("The salvaged data is in use; the damaged file is kept in {aside}.").format(
                    aside=aside
                ),
            )

        run_task(
            lambda _progress, _cancel: self.services.use_salvaged(credentials),
            used,
            lambda error: self._sign_in_again(folder, error),
        )

    def attach(self, db: Database) -> None:
        """The ONE place the window's services are made: pages receive them from here."""
        self.db = db
        db.checkpoint_after_write = True  # confirmed changes do not live only in the WAL
        if db.missing_since is not None:
            messages.inform(None, _("Red Steward"), missing_changes(db))
        self.services = Services(db, actor=None)
        self.branches = self.services.branches

    def apply_language(self, language: str) -> None:
        language = i18n.set_language(language)
        self.app.removeTranslator(self._qt_translator)
        self.app.removeTranslator(self._qt_words)
        self._qt_translator = QTranslator()
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if self._qt_translator.load(f"qtbase_{_QT_LOCALES[language]}", qt_dir):
            self.app.installTranslator(self._qt_translator)  # Qt's own dialogs and buttons
        else:
            log.warning("no Qt translations for %s in %s", language, qt_dir)
        self.app.installTranslator(self._qt_words)  # after Qt's: asked first
        QLocale.setDefault(QLocale(_QT_LOCALES[language]))
        # Qt ends every window title with "— <display name>" (unless the title already ends
        # with it), so the name is the translated one: 红色管家, not Red Steward.
        self.app.setApplicationDisplayName(_("Red Steward"))

    def show_window(self) -> None:
        old = self.window
        self.services.forget_branch()  # created or renamed since: read it again
        self.window = MainWindow(self.services)
        self.window.language_change_requested.connect(self._on_language_change_requested)
        self.window.text_scale_change_requested.connect(self._on_text_scale_change_requested)
        self.window.restore_requested.connect(self._on_restore_requested)
        self.window.lock_minutes_changed.connect(self.watcher.set_minutes)
        if old is not None:
            self.window.restoreGeometry(old.saveGeometry())
            self.window.show_page("settings")
            old.close()
            old.deleteLater()
        self.window.show()

    def _on_language_change_requested(self, language: str) -> None:
        self.apply_language(language)
        self.show_window()  # rebuilt, so that every string is in the new language

    def _on_idle(self) -> None:
        if self.window is not None and self.window.isVisible() and self.window.lock():
            self.watcher.set_minutes(self.watcher.minutes)

    def _on_restore_requested(self, path: Path, credentials: keyring.Credentials) -> None:
        """Swap the data for the backup (the current data is kept aside), then sign in again.

        The swap runs on the database thread, after any change still in flight."""
        folder = self.db.path.parent

        def restored(result: tuple[Services, Path]) -> None:
            services, aside = result
            log.info("restored %s; the previous data is in %s", path, aside)
            self._show_restored(services.db)

        run_task(
            lambda _progress, _cancel: self.services.restore(path, credentials),
            restored,
            lambda error: self._sign_in_again(folder, error),
        )

    def _sign_in_again(self, folder: Path, error: BaseException) -> None:
        """A restore or a salvage that failed half-way closed the data: say why, then sign in
        again to whatever file is there now (or quit, if the clerk cancels)."""
        messages.show_error(self.window, error)
        db = SignInDialog.ask(self.window, folder)
        if db is None:
            self.app.quit()
            return
        self._show_restored(db)

    def _show_restored(self, db: Database, message: str | None = None) -> None:
        self.attach(db)
        self.show_window()
        if self.window is not None:
            self.window.show_page("security")
            self.window.show_message(message or _("The backup was restored."))

    def _on_text_scale_change_requested(self, scale: int) -> None:
        fonts.apply_app_font(self.app, scale)
        # Rebuilt, as for a new language: every size the pages took from the text size (column
        # widths, row heights, the navigation) is taken again.
        self.show_window()

    def ensure_branch(self, demo_if_empty: bool) -> bool:
        """A branch to show: the existing one, the demo, or one the clerk creates now."""
        if self.branches.current() is not None:
            return True
        choice = FirstRunDialog.DEMO
        if not demo_if_empty:
            dialog = FirstRunDialog(self.branches)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            choice = dialog.choice
        if choice == FirstRunDialog.DEMO:
            self.branches.load_demo()
        return self.branches.current() is not None


def sign_in(folder: Path) -> Database | None:
    """The first start creates the administrator (and shows the recovery key); later starts
    ask for a password. None when the clerk cancels."""
    path = paths.database_path(folder)
    has_data = path.exists() and path.stat().st_size > 0
    if keyring.keys_path(folder).exists() or (has_data and not _is_plain_sqlite(path)):
        return SignInDialog.ask(None, folder)  # a missing key file is reported inside
    db = CreateAdminDialog.ask(None, folder)
    if db is not None and db.recovery_key and db.user is not None:
        RecoveryKeyDialog.show_once(None, db.recovery_key, db.user.username)
        db.recovery_key = None
    return db


def run_gui(data_dir: Path, language: str | None = None, demo_if_empty: bool = False) -> int:
    paths.set_data_dir(data_dir)
    setup_file_logging()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("RedSteward")
    app.setWindowIcon(QIcon(str(paths.resource_path("icons", "red-steward-256.png"))))
    collector = GuiThreadCollector(app)  # before any worker thread starts; lives until exit
    fonts.apply_app_font(app, ui_state.text_scale())
    chosen = language or ui_state.language()
    if language:
        ui_state.set_language(language)
    sys.excepthook = lambda kind, error, tb: messages.show_crash(None, kind, error, tb)
    application = Application(app)
    application.apply_language(chosen)
    db = sign_in(data_dir)
    if db is None:
        return 0
    application.attach(db)  # (may say first that changes are missing from the file)
    splash = opening_splash()  # at once: reading the register takes a few seconds
    application.backup_if_due()  # the daily backup, when the register is used
    try:
        if application.branches.current() is None:
            finish_opening(splash)  # the first-run choice is a dialog of its own
            splash = None
        if not application.ensure_branch(demo_if_empty):
            return 0
        application.show_window()
        finish_opening(splash, application.window)
        application.check_integrity()
    except UserError as error:
        finish_opening(splash)
        QMessageBox.critical(None, _("Red Steward"), error.message)
        return 1
    status = app.exec()
    collector.timer.stop()
    db_pool().waitForDone(60_000)  # a backup or an import in flight ends before the process
    return status
