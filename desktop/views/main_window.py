# SPDX-License-Identifier: GPL-3.0-or-later
"""The one window: navigation on the left, one page at a time, the status bar below."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from desktop import getpass_user
from desktop.i18n import _
from desktop.models.readmodels import BranchInfo
from desktop.models.services import BranchService, MemberService
from desktop.views import ui_state
from desktop.views.groups.party_group_page import PartyGroupsPage
from desktop.views.members.member_page import MembersPage
from desktop.views.settings.settings_page import SettingsPage
from desktop.views.stewards.pages import steward_pages

STATUS_TIMEOUT_MS = 8000


class MainWindow(QMainWindow):
    language_change_requested = Signal(str)
    text_scale_change_requested = Signal(int)

    def __init__(self, branches: BranchService, members: MemberService, branch: BranchInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.branches, self.members, self.branch = branches, members, branch
        self.undo_stack = QUndoStack(self)

        self.members_page = MembersPage(members, branches, branch.id, self.undo_stack)
        self.groups_page = PartyGroupsPage(branches, members, branch.id)
        self.settings_page = SettingsPage()
        self.steward_pages = steward_pages(branches.db, branch.id, branches.actor)
        self.pages: list[tuple[str, QWidget]] = [
            ("members", self.members_page),
            ("party_groups", self.groups_page),
            *self.steward_pages.items(),
            ("settings", self.settings_page),
        ]
        self.navigation = QListWidget(objectName="navigation")
        self.stack = QStackedWidget(objectName="pages")
        for key, page in self.pages:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, self.fontMetrics().height() * 2 + 8))
            self.navigation.addItem(item)
            self.stack.addWidget(page)
        self.navigation.setFixedWidth(self.fontMetrics().horizontalAdvance("服务记录服务") + 40)
        self.navigation.currentRowChanged.connect(self.stack.setCurrentIndex)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.branch_label = QLabel(objectName="status_branch")
        self.user_label = QLabel(objectName="status_user")
        self.backup_label = QLabel(objectName="status_backup")
        self.sync_label = QLabel(objectName="status_sync")
        self.pending_label = QLabel(objectName="status_pending")
        for label in (self.branch_label, self.user_label, self.backup_label, self.sync_label,
                      self.pending_label):
            self.statusBar().addPermanentWidget(label)

        self._build_menus()
        self.members_page.members_changed.connect(self._on_data_changed)
        self.members_page.status_message.connect(self.show_message)
        self.groups_page.groups_changed.connect(self._on_groups_changed)
        self.groups_page.status_message.connect(self.show_message)
        for page in self.steward_pages.values():
            page.status_message.connect(self.show_message)  # type: ignore[attr-defined]
        self.settings_page.language_changed.connect(self.language_change_requested)
        self.settings_page.text_scale_changed.connect(self.text_scale_change_requested)

        self.retranslate()
        self.navigation.setCurrentRow(0)
        geometry = ui_state.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 700)
        self.members_page.filter_edit.setFocus()

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.quit_action = QAction(self, shortcut=QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.edit_menu = self.menuBar().addMenu("")
        self.undo_action = self.undo_stack.createUndoAction(self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self)
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        self.edit_menu.addActions([self.undo_action, self.redo_action])

    def retranslate(self) -> None:
        self.setWindowTitle(_("Red Steward — {branch}").format(branch=self.branch.name))
        titles = {"members": _("Members"), "party_groups": _("Party groups"),
                  "stewards": _("Red stewards"), "households": _("Households"),
                  "rosters": _("Duty rosters"), "service_log": _("Service log"),
                  "settings": _("Settings")}
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            item.setText(titles[item.data(Qt.ItemDataRole.UserRole)])
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.edit_menu.setTitle(_("&Edit"))
        self.undo_action.setText(_("&Undo"))
        self.redo_action.setText(_("&Redo"))
        self.update_status()

    def update_status(self) -> None:
        self.branch_label.setText(_("Branch: {name}").format(name=self.branch.name))
        self.user_label.setText(_("User: {name}").format(name=getpass_user()))
        self.backup_label.setText(_("Last backup: never"))
        self.sync_label.setText(_("Last sync: never"))
        pending = self.branches.pending_changes()
        self.pending_label.setText(_("Changes waiting to sync: {n}").format(n=pending))

    def show_page(self, key: str) -> None:
        for row, (page_key, _page) in enumerate(self.pages):
            if page_key == key:
                self.navigation.setCurrentRow(row)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

    def _on_data_changed(self) -> None:
        self.groups_page.refresh()
        self.update_status()

    def _on_groups_changed(self) -> None:
        self.members_page.reload_groups()
        self.members_page.changed()

    def closeEvent(self, event: QCloseEvent) -> None:
        ui_state.set_window_geometry(self.saveGeometry())
        super().closeEvent(event)
