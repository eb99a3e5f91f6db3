# SPDX-License-Identifier: GPL-3.0-or-later
"""The one window: navigation on the left, one page at a time, the status bar below."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
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
from desktop.models.documents.service import PrintService
from desktop.models.register.rows import BranchInfo
from desktop.models.register.service import BranchService, MemberService
from desktop.models.store import backup
from desktop.views import ui_state
from desktop.views.groups.party_group_page import PartyGroupsPage
from desktop.views.members.member_page import MembersPage
from desktop.views.printing.print_page import PrintPage
from desktop.views.security.audit_page import AuditPage
from desktop.views.security.security_page import SecurityPage, format_when
from desktop.views.settings.settings_page import SettingsPage
from desktop.views.stewards.pages import steward_pages
from desktop.views.sync.sync_page import SyncPage

STATUS_TIMEOUT_MS = 8000
#: Controls that only change data: hidden for a read-only account (the services refuse anyway).
WRITE_CONTROLS = (
    "new_button",
    "remove_button",
    "add_group_button",
    "rename_group_button",
    "remove_group_button",
    "import_button",
    # red stewards, households, rosters, service log
    "appoint_button",
    "end_button",
    "photo_button",
    "save_details",
    "away_button",
    "add_villager",
    "add_team_member",
    "save_commitment",
    "next_stage",
    "assign_carer",
    "add_household_button",
    "edit_household_button",
    "remove_household_button",
    "generate_button",
    "swap_button",
    "printed_button",
    "record_button",
    "kinds_button",
    # sync
    "sync_trust_button",
    "sync_import_button",
    "sync_export_button",
    "sync_hub_button",
    "sync_merge_button",
    "sync_keep_button",
)


class MainWindow(QMainWindow):
    language_change_requested = Signal(str)
    text_scale_change_requested = Signal(int)
    restore_requested = Signal(object, object)
    lock_minutes_changed = Signal(int)

    def __init__(
        self,
        branches: BranchService,
        members: MemberService,
        branch: BranchInfo,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("main_window")
        self.branches, self.members, self.branch = branches, members, branch
        self.undo_stack = QUndoStack(self)

        self.members_page = MembersPage(members, branches, branch.id, self.undo_stack)
        self.groups_page = PartyGroupsPage(branches, members, branch.id)
        self.print_page = PrintPage(PrintService(branches.db, branch.id))
        self.settings_page = SettingsPage()
        self.db = branches.db
        self.security_page = SecurityPage(self.db)
        self.audit_page = AuditPage(self.db)
        self.steward_pages = steward_pages(branches.db, branch.id, branches.actor, self.undo_stack)
        from desktop.sync.service import SyncService

        self.sync_page = SyncPage(SyncService(branches.db, branches.actor))
        self.pages: list[tuple[str, QWidget]] = [
            ("members", self.members_page),
            ("party_groups", self.groups_page),
            *self.steward_pages.items(),
            ("printing", self.print_page),
            ("sync", self.sync_page),
            ("security", self.security_page),
            ("audit", self.audit_page),
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
        for label in (
            self.branch_label,
            self.user_label,
            self.backup_label,
            self.sync_label,
            self.pending_label,
        ):
            self.statusBar().addPermanentWidget(label)

        self._build_menus()
        self.members_page.members_changed.connect(self._on_data_changed)
        self.members_page.status_message.connect(self.show_message)
        self.groups_page.groups_changed.connect(self._on_groups_changed)
        self.groups_page.status_message.connect(self.show_message)
        self.print_page.status_message.connect(self.show_message)
        self.sync_page.status_message.connect(self.show_message)
        self.sync_page.data_changed.connect(self._on_groups_changed)
        self.sync_page.data_changed.connect(self._on_data_changed)
        for page in self.steward_pages.values():
            page.status_message.connect(self.show_message)  # type: ignore[attr-defined]
        self.settings_page.language_changed.connect(self.language_change_requested)
        self.settings_page.text_scale_changed.connect(self.text_scale_change_requested)
        self.security_page.status_message.connect(self.show_message)
        self.audit_page.status_message.connect(self.show_message)
        self.security_page.backup_made.connect(self.update_status)
        self.security_page.restore_requested.connect(self.restore_requested)
        self.security_page.lock_minutes_changed.connect(self.lock_minutes_changed)
        if self.db.user is not None and not self.db.user.can_write:
            for name in WRITE_CONTROLS:
                for widget in self.findChildren(QWidget, name):
                    widget.hide()
            for action in (self.import_action, self.import_households_action):
                action.setVisible(False)

        self.retranslate()
        self.navigation.setCurrentRow(0)
        geometry = ui_state.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 700)
        self.members_page.filter_edit.setFocus()

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
        titles = {
            "members": _("Members"),
            "party_groups": _("Party groups"),
            "stewards": _("Red stewards"),
            "households": _("Households"),
            "rosters": _("Duty rosters"),
            "service_log": _("Service log"),
            "printing": _("Print"),
            "sync": _("Sync"),
            "security": _("Data safety"),
            "audit": _("Audit trail"),
            "settings": _("Settings"),
        }
        for row in range(self.navigation.count()):
            item = self.navigation.item(row)
            item.setText(titles[item.data(Qt.ItemDataRole.UserRole)])
        self.file_menu.setTitle(_("&File"))
        self.print_action.setText(_("&Print…"))
        self.import_action.setText(_("&Import members…"))
        self.import_households_action.setText(_("Import &households…"))
        self.export_action.setText(_("&Export members…"))
        self.quit_action.setText(_("&Quit"))
        self.edit_menu.setTitle(_("&Edit"))
        self.undo_action.setText(_("&Undo"))
        self.redo_action.setText(_("&Redo"))
        self.update_status()

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
        self.sync_label.setText(_("Last sync: never"))
        pending = self.branches.pending_changes()
        self.pending_label.setText(_("Changes waiting to sync: {n}").format(n=pending))

    def show_page(self, key: str) -> None:
        for row, (page_key, _page) in enumerate(self.pages):
            if page_key == key:
                self.navigation.setCurrentRow(row)

    def open_print_centre(self) -> None:
        """Ctrl+P: the print centre, with the current choice already previewed."""
        self.show_page("printing")
        if not self.print_page.has_preview():
            self.print_page.render_preview()
        self.print_page.preview_button.setFocus()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_TIMEOUT_MS)

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

        dialog = ImportDialog(self.members_page.tabular, path, self, kind="households")
        dialog.imported.connect(self._on_households_imported)
        return dialog

    def _on_households_imported(self, result: object) -> None:
        self.members_page.reload_groups()
        self._on_data_changed()
        self.show_message(
            _("Imported: {created} added, {updated} updated.").format(
                created=result.created, updated=result.updated
            )
        )  # type: ignore[attr-defined]

    def _on_export(self) -> None:
        self.members_page.export_members()

    def _on_data_changed(self) -> None:
        self.groups_page.refresh()
        self.print_page.reload_years()
        self.update_status()

    def _on_groups_changed(self) -> None:
        self.members_page.reload_groups()
        self.members_page.changed()

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
        super().closeEvent(event)
