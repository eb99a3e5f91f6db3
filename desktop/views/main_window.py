# SPDX-License-Identifier: GPL-3.0-or-later
"""The one window: navigation on the left, one page at a time, the status bar below."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QWidget,
)

from desktop import __version__, getpass_user
from desktop.i18n import N_, _
from desktop.models.store import backup
from desktop.services import Services
from desktop.views import ui_state
from desktop.views.ops import Ops
from desktop.views.security.security_page import format_when
from desktop.views.widgets.flow import FlowBox
from desktop.views.widgets.screen import fit_to_screen


def _page_class(module: str, name: str) -> Any:
    """A page's class, imported when the page is first built: importing every page module
    (and what they import: sync's cryptography, the print centre…) took a second of the
    start, and only the members page is shown then."""
    return getattr(importlib.import_module(f"desktop.views.{module}"), name)


@dataclass(frozen=True)
class PageContext:
    """What a page factory may use: the file's services, the change runner, the undo stack."""

    services: Services
    ops: Ops
    undo_stack: QUndoStack


@dataclass(frozen=True)
class PageEntry:
    """One page of the window: a new area adds one of these to PAGES, nothing else."""

    key: str
    title: str  # marked with N_, translated when shown
    make: Callable[[PageContext], QWidget]
    #: objectNames of the page's controls that only change data: hidden for a read-only account
    #: (the services refuse anyway).
    write_controls: tuple[str, ...] = ()


PAGES: tuple[PageEntry, ...] = (
    PageEntry(
        "members",
        N_("Members"),
        lambda c: _page_class("members.member_page", "MembersPage")(
            c.services.members, c.services.branches, c.services.tabular, c.undo_stack, ops=c.ops
        ),
        ("new_button", "remove_button", "import_button", "move_group_button"),
    ),
    PageEntry(
        "party_groups",
        N_("Party groups"),
        lambda c: _page_class("groups.party_group_page", "PartyGroupsPage")(
            c.services.branches, c.services.members, ops=c.ops
        ),
        ("add_group_button", "rename_group_button", "remove_group_button"),
    ),
    PageEntry(
        "stewards",
        N_("Red stewards"),
        lambda c: _page_class("stewards.stewards_page", "StewardsPage")(
            c.services.stewards, c.services.tabular, ops=c.ops
        ),
        (
            "appoint_button",
            "end_button",
            "photo_button",
            "save_details",
            "away_button",
            "add_villager",
            "add_team_member",
            "save_commitment",
            "next_stage",
        ),
    ),
    PageEntry(
        "households",
        N_("Households"),
        lambda c: _page_class("stewards.households_page", "HouseholdsPage")(
            c.services.stewards, undo_stack=c.undo_stack, ops=c.ops
        ),
        (
            "assign_carer",
            "add_household_button",
            "edit_household_button",
            "remove_household_button",
        ),
    ),
    PageEntry(
        "rosters",
        N_("Duty rosters"),
        lambda c: _page_class("stewards.rosters_page", "RostersPage")(
            c.services.rosters, c.services.stewards, c.services.tabular, ops=c.ops
        ),
        ("generate_button", "swap_button", "printed_button"),
    ),
    PageEntry(
        "service_log",
        N_("Service log"),
        lambda c: _page_class("stewards.service_log_page", "ServiceLogPage")(
            c.services.service_log,
            c.services.stewards,
            c.services.tabular,
            undo_stack=c.undo_stack,
            ops=c.ops,
        ),
        ("record_button", "kinds_button", "edit_record_button"),
    ),
    PageEntry(
        "assessment",
        N_("Annual assessment"),
        lambda c: _page_class("assessment.assessment_page", "AssessmentPage")(
            c.services.assessment, ops=c.ops, tabular=c.services.tabular
        ),
        (
            "new_year_button",
            "add_rule_button",
            "edit_rule_button",
            "remove_rule_button",
            "grading_options_button",
            "default_scorers_button",
            "start_scoring_button",
            "finalise_button",
            "reopen_button",
        ),
    ),
    PageEntry(
        "meetings",
        N_("Meetings"),
        lambda c: _page_class("meetings.meetings_page", "MeetingsPage")(
            c.services.meetings, c.services.printing, ops=c.ops
        ),
        (
            "new_meeting_button",
            "edit_meeting_button",
            "plan_meetings_button",
            "attend_button",
            "all_present_button",
            "add_guest_button",
            "make_up_button",
            "decide_button",
            "decision_done_button",
            "decision_drop_button",
            "decision_reopen_button",
            "decision_change_button",
            "decision_remove_button",
        ),
    ),
    PageEntry(
        "printing",
        N_("Print"),
        lambda c: _page_class("printing.print_page", "PrintPage")(c.services.printing, ops=c.ops),
    ),
    PageEntry(
        "sync",
        N_("Sync"),
        lambda c: _page_class("sync.sync_page", "SyncPage")(c.services.sync, ops=c.ops),
        (
            "sync_trust_button",
            "sync_import_button",
            "sync_export_button",
            "sync_hub_button",
            "sync_merge_button",
            "sync_keep_button",
        ),
    ),
    PageEntry(
        "security",
        N_("Data safety"),
        lambda c: _page_class("security.security_page", "SecurityPage")(
            c.services.db, c.services.accounts, ops=c.ops
        ),
    ),
    PageEntry(
        "audit",
        N_("Audit trail"),
        lambda c: _page_class("security.audit_page", "AuditPage")(c.services.audit, ops=c.ops),
    ),
    PageEntry(
        "settings",
        N_("Settings"),
        lambda c: _page_class("settings.settings_page", "SettingsPage")(),
    ),
)
#: Every page's write controls (a read-only account sees none of them).
WRITE_CONTROLS = tuple(name for entry in PAGES for name in entry.write_controls)


class PageStack(QStackedWidget):
    """The pages, one at a time, asking only for the room the page on show needs (a plain
    QStackedWidget asks for the widest and tallest of all its pages at once)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="pages")
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()

    def heightForWidth(self, width: int) -> int:
        """The least height the page needs at `width`: the page scroll area then gives it the
        window's height, where the preferred height (Qt's answer when a page has a wrapping
        label) would make a page scroll that fits."""
        page = self.currentWidget()
        layout = page.layout() if page is not None else None
        if layout is None or not layout.hasHeightForWidth():
            return super().heightForWidth(width)
        return layout.minimumHeightForWidth(width)


class MainWindow(QMainWindow):
    language_change_requested = Signal(str)
    text_scale_change_requested = Signal(int)
    restore_requested = Signal(object, object)
    lock_minutes_changed = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.services = services
        self.db = services.db
        self.branch = services.branch
        self.undo_stack = QUndoStack(self)
        #: The one change runner: every page's writes go through it and it says what changed.
        self.ops = Ops(self)
        self._context = PageContext(services, self.ops, self.undo_stack)
        #: The pages built so far: each is built the first time it is shown or asked for
        #: (building all of them read much of a county file before the window showed).
        self._built: dict[str, QWidget] = {}
        self._keys = [e.key for e in PAGES]
        self._entries = {e.key: e for e in PAGES}
        self._titles = {e.key: e.title for e in PAGES}
        self.navigation = QListWidget(objectName="navigation")
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = PageStack()
        for key in self._keys:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.navigation.addItem(item)
            self.stack.addWidget(QWidget(objectName=f"{key}_placeholder"))
        self.navigation.currentRowChanged.connect(self._show_row)
        # A page wider or taller than a small screen at a large text size scrolls; it never
        # makes the window larger than the screen.
        self.page_scroll = QScrollArea(objectName="page_scroll")
        self.page_scroll.setWidget(self.stack)
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QFrame.Shape.NoFrame)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.page_scroll, 1)
        self.setCentralWidget(central)

        # The status bar: the last message on the left (it stays until the next one), then
        # the file's facts; all of it wraps onto more lines when the text is large.
        self.message_label = QLabel(objectName="status_message")
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message_label.hide()
        self.branch_label = QLabel(objectName="status_branch")
        self.user_label = QLabel(objectName="status_user")
        self.backup_label = QLabel(objectName="status_backup")
        self.sync_label = QLabel(objectName="status_sync")
        self.pending_label = QLabel(objectName="status_pending")
        self.overdue_label = QLabel(objectName="status_overdue")
        self.overdue_label.setStyleSheet("color: #b3261e")
        self.status_box = FlowBox(spacing=self.fontMetrics().horizontalAdvance("M") * 2)
        self.status_box.setObjectName("status_area")
        for label in (
            self.message_label,
            self.branch_label,
            self.user_label,
            self.backup_label,
            self.sync_label,
            self.pending_label,
            self.overdue_label,
        ):
            self.status_box.addWidget(label)
        self.statusBar().addWidget(self.status_box, 1)
        self.statusBar().setSizeGripEnabled(False)

        self._build_menus()
        self.ops.changed.connect(self._on_changed)
        self.ops.backing_up.connect(self.backup_label.setText)
        self.ops.backed_up.connect(self.update_status)
        if not self._can_write():
            for action in (self.import_action, self.import_households_action):
                action.setVisible(False)

        self.retranslate()
        self.navigation.setCurrentRow(0)
        self._fit_navigation()
        geometry = ui_state.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 700)
            fit_to_screen(self)
        self.members_page.filter_edit.setFocus()

    def _fit_navigation(self) -> None:
        """The navigation as wide as its longest title at the current text size."""
        metrics = self.navigation.fontMetrics()
        height = metrics.height() * 2 + 8
        widest = 0
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            item.setSizeHint(QSize(0, height))
            widest = max(widest, metrics.horizontalAdvance(item.text()))
        frame = self.navigation.frameWidth() * 2
        scroll_bar = self.navigation.verticalScrollBar().sizeHint().width()
        self.navigation.setFixedWidth(
            widest + metrics.horizontalAdvance("M") * 2 + frame + scroll_bar
        )

    def restoreGeometry(self, geometry: QByteArray | bytes) -> bool:
        """The saved size and place, kept on the screen (it may be smaller than it was)."""
        restored = super().restoreGeometry(geometry)
        fit_to_screen(self)
        return restored

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_navigation()

    def _can_write(self) -> bool:
        return self.db.user is None or self.db.user.can_write

    def page(self, key: str) -> QWidget:
        """The page `key`, built now if it has not been shown yet."""
        page = self._built.get(key)
        if page is None:
            entry = self._entries[key]
            page = entry.make(self._context)
            self._built[key] = page
            self._wire(key, page)
            index = self._keys.index(key)
            placeholder = self.stack.widget(index)
            current = self.stack.currentIndex()
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
        return page

    @property
    def pages(self) -> list[tuple[str, QWidget]]:
        """Every page (building those not shown yet): for code that walks them all."""
        return [(key, self.page(key)) for key in self._keys]

    def built_pages(self) -> list[str]:
        return [key for key in self._keys if key in self._built]

    def _wire(self, key: str, page: QWidget) -> None:
        status = getattr(page, "status_message", None)
        if status is not None:
            status.connect(self.show_message)
        if key == "settings":
            page.language_changed.connect(self.language_change_requested)  # type: ignore[attr-defined]
            page.text_scale_changed.connect(self.text_scale_change_requested)  # type: ignore[attr-defined]
        elif key == "security":
            page.restore_requested.connect(self.restore_requested)  # type: ignore[attr-defined]
            page.lock_minutes_changed.connect(self.lock_minutes_changed)  # type: ignore[attr-defined]
        if not self._can_write():
            for name in WRITE_CONTROLS:
                for widget in page.findChildren(QWidget, name):
                    widget.hide()

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self.page(self._keys[row])
        self.stack.setCurrentIndex(row)

    # The pages other code reaches by name (menus, the application, tests).
    members_page = property(lambda self: self.page("members"))
    groups_page = property(lambda self: self.page("party_groups"))
    stewards_page = property(lambda self: self.page("stewards"))
    print_page = property(lambda self: self.page("printing"))
    sync_page = property(lambda self: self.page("sync"))
    security_page = property(lambda self: self.page("security"))
    audit_page = property(lambda self: self.page("audit"))
    settings_page = property(lambda self: self.page("settings"))

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.import_action = QAction(self)
        self.import_action.triggered.connect(self._on_import)
        self.import_households_action = QAction(self)
        self.import_households_action.triggered.connect(self.import_households)
        self.export_action = QAction(self)
        self.export_action.triggered.connect(self._on_export)
        self.file_menu.addActions(
            [self.import_action, self.import_households_action, self.export_action]
        )
        self.file_menu.addSeparator()
        self.print_action = QAction(self, shortcut=QKeySequence.StandardKey.Print)
        self.print_action.triggered.connect(self.open_print_centre)
        self.file_menu.addAction(self.print_action)
        self.file_menu.addSeparator()
        #: Ctrl+L: hide the data at once, until the password is typed again (leaving the PC).
        self.lock_action = QAction(self, shortcut=QKeySequence("Ctrl+L"))
        self.lock_action.setObjectName("lock_action")
        self.lock_action.triggered.connect(self.lock)
        self.file_menu.addAction(self.lock_action)
        self.quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = self.menuBar().addMenu("")
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.edit_menu.addActions([self.undo_action, self.redo_action])
        # Ctrl+PageDown / Ctrl+PageUp: the next / previous page, the cursor in it (no mouse).
        self.next_page_action = QAction(self, shortcut=QKeySequence("Ctrl+PgDown"))
        self.next_page_action.triggered.connect(lambda: self.step_page(1))
        self.previous_page_action = QAction(self, shortcut=QKeySequence("Ctrl+PgUp"))
        self.previous_page_action.triggered.connect(lambda: self.step_page(-1))
        self.addActions([self.next_page_action, self.previous_page_action])
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.setObjectName("about_action")
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    def retranslate(self) -> None:
        # Qt adds " — 红色管家" (the translated display name, views/app.py).
        self.setWindowTitle(self.branch.name)
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            item.setText(_(self._titles[item.data(Qt.ItemDataRole.UserRole)]))
        self.file_menu.setTitle(_("&File"))
        self.print_action.setText(_("&Print…"))
        self.import_action.setText(_("&Import members…"))
        self.import_households_action.setText(_("Import &households…"))
        self.export_action.setText(_("&Export members…"))
        self.lock_action.setText(_("&Lock now"))
        self.quit_action.setText(_("&Quit"))
        # L10N: the Edit menu; Alt+E is the Edit button of the members page
        self.edit_menu.setTitle(_("Ed&it"))
        self.undo_action.setText(_("&Undo"))
        self.redo_action.setText(_("&Redo"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About Red Steward"))
        self.update_status()
        self._fit_navigation()

    def update_status(self) -> None:
        self.branch_label.setText(_("Branch: {name}").format(name=self.branch.name))
        user = self.db.user
        self.user_label.setText(
            _("User: {name}").format(
                name=f"{user.username} ({user.role_label})" if user else getpass_user()
            )
        )
        self.backup_label.setText(
            _("Last backup: {when}").format(
                when=format_when(backup.last_backup(self.db.path.parent))
            )
        )
        last_sync = self.services.sync.last_exchange()
        self.sync_label.setText(
            _("Last sync: {when}").format(when=format_when(last_sync))
            if last_sync
            else _("Last sync: never")
        )
        pending = self.services.branches.pending_changes()
        self.pending_label.setText(_("Changes waiting to sync: {n}").format(n=pending))
        self.update_overdue()

    def update_overdue(self, today: dt.date | None = None) -> None:
        """How many kinds of meeting and decisions are overdue (hidden when none are)."""
        today = today or dt.date.today()
        meetings = sum(r.state == "overdue" for r in self.services.meetings.due(today))
        decisions = len(self.services.meetings.overdue_decisions(today))
        self.overdue_label.setText(
            _("Overdue meetings: {meetings}, decisions: {decisions}").format(
                meetings=meetings, decisions=decisions
            )
        )
        self.overdue_label.setVisible(bool(meetings or decisions))

    def _on_changed(self, _areas: frozenset[str]) -> None:
        self.update_status()

    def show_page(self, key: str) -> None:
        self.navigation.setCurrentRow(self._keys.index(key))

    def step_page(self, step: int) -> None:
        """Show the next (1) or previous (-1) page, wrapping round, and put the cursor in it."""
        row = (self.navigation.currentRow() + step) % self.navigation.count()
        self.navigation.setCurrentRow(row)
        page = self.stack.currentWidget()
        candidate = page.nextInFocusChain()
        while candidate is not page:
            if (
                page.isAncestorOf(candidate)
                and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus
                and candidate.isVisible()
                and candidate.isEnabled()
            ):
                candidate.setFocus(Qt.FocusReason.TabFocusReason)
                return
            candidate = candidate.nextInFocusChain()

    def open_print_centre(self) -> None:
        """Ctrl+P: the print centre, with the current choice already previewed."""
        self.show_page("printing")
        if not self.print_page.has_preview():
            self.print_page.render_preview()
        self.print_page.preview_button.setFocus()

    def show_about(self) -> QMessageBox:
        """Help ▸ About: the program's name and version (the clerk reads it out on the phone)."""
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("About Red Steward"),
            _(
                "Red Steward (红色管家), version {version}\n\n"
                "A register for a village party branch: members, red stewards, services, "
                "meetings and the annual assessment. It works without a network; the data stays "
                "on this computer, encrypted."
            ).format(version=__version__),
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("about_box")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def show_message(self, text: str) -> None:
        """A message in its own place in the status bar, there until the next one."""
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    def _on_import(self) -> None:
        self.show_page("members")
        self.members_page.import_members()

    def import_households(self) -> None:
        """Ask for a household list, then open the import preview for households."""
        path, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import households"),
            ui_state.last_folder(),
            _("Spreadsheets (*.xlsx *.xls *.csv);;All files (*)"),
        )
        if path:
            ui_state.set_last_folder(str(Path(path).parent))
            self.open_household_import(Path(path)).open()

    def open_household_import(self, path: Path) -> QDialog:
        from desktop.views.tabular.import_dialog import ImportDialog

        dialog = ImportDialog(self.services.tabular, path, self, kind="households", ops=self.ops)
        dialog.imported.connect(self._on_households_imported)
        return dialog

    def _on_households_imported(self, result: object) -> None:
        self.show_message(
            _("Imported: {created} added, {updated} updated.").format(
                created=result.created, updated=result.updated
            )
        )  # type: ignore[attr-defined]

    def _on_export(self) -> None:
        self.members_page.export_members()

    def lock(self) -> bool:
        """Hide the data until the signed-in user types the password again; False: quit.

        Open dialogs (a member being edited…) keep their state, but their contents are hidden
        too: hiding the dialogs themselves would end them and lose what was typed. That covers
        the window's own dialogs and any other the application has open (a message box shown
        without a parent, say).
        """
        from desktop.views.security.lock import UnlockDialog

        central, menus = self.centralWidget(), self.menuBar()
        dialogs = dict.fromkeys(
            [
                *self.findChildren(QDialog),
                *(
                    widget
                    for widget in QApplication.topLevelWidgets()
                    if isinstance(widget, QDialog)
                ),
            ]
        )
        covered = [
            child
            for dialog in dialogs
            if dialog.isVisible()
            for child in dialog.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if child.isVisible()
        ]
        central.hide()
        menus.setEnabled(False)
        for child in covered:
            child.hide()
        try:
            dialog = UnlockDialog(self.db, self)
            unlocked = dialog.exec() == UnlockDialog.DialogCode.Accepted
        finally:
            for child in covered:
                child.show()
            central.show()
            menus.setEnabled(True)
        if not unlocked:
            self.close()
        return unlocked

    def closeEvent(self, event: QCloseEvent) -> None:
        ui_state.set_window_geometry(self.saveGeometry())
        if self.ops.backing_up_now():  # the newest work gets its backup before the end
            self.backup_label.repaint()  # "Backing up…", while the window waits
            self.ops.wait_for_backups()
        super().closeEvent(event)
