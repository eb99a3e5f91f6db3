# SPDX-License-Identifier: GPL-3.0-or-later
"""The sync page: the trusted PCs, bundles to and from a USB stick, and the conflicts to review."""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QStorageInfo,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QMenu,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import i18n
from desktop.errors import UserError
from desktop.i18n import N_, _
from desktop.models import labels
from desktop.sync.conflicts import LOCAL, REMOTE
from desktop.sync.errors import (
    BranchNotNamed,
    ExportCancelled,
    ImportCancelled,
    SettleCancelled,
    SyncCancelled,
)
from desktop.sync.readmodels import ConflictKind, ConflictQuery, PeerRow, refused_by_hub_text
from desktop.sync.service import SyncService
from desktop.views import messages, ui_state
from desktop.views.ops import ALL, MEMBERS, SYNC, Ops
from desktop.views.qtmodels.rows_model import Column, RowsTableModel
from desktop.views.search_picker import Choice
from desktop.views.sync.branch_dialog import BranchesDialog, branch_search
from desktop.views.sync.conflicts_model import (
    ConflictListModel,
    OneLineDelegate,
    conflict_sentence,
    option_text,
    shown,
    when_text,
)
from desktop.views.sync.duplicates_model import DuplicateComparisonModel
from desktop.views.sync.name_dialog import PcNameDialog, ask_peer_name
from desktop.views.tasks import Task
from desktop.views.widgets.flow import flow_row
from desktop.views.widgets.wrap import WrapLabel


def removable_drives() -> list[Path]:
    """Mounted drives that look like USB sticks (Windows: not the system drive)."""
    found = []
    for volume in QStorageInfo.mountedVolumes():
        if not volume.isValid() or not volume.isReady() or volume.isReadOnly():
            continue
        root = volume.rootPath()
        if sys.platform == "win32":
            if not root.upper().startswith("C:"):
                found.append(Path(root))
        elif root.startswith(("/media/", "/run/media/", "/mnt/")):
            found.append(Path(root))
    return found


#: At most this many branch names in a cell (a town PC may receive hundreds).
SHOWN_BRANCHES = 3


def branches_text(names: tuple[str, ...]) -> str:
    """A PC's branches in one line: all of a few, else the first ones and how many more."""
    if len(names) <= SHOWN_BRANCHES:
        return "、".join(names)
    return _("{names} and {n} more").format(
        names="、".join(names[:SHOWN_BRANCHES]), n=len(names) - SHOWN_BRANCHES
    )


class PeerTableModel(RowsTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            (
                Column(N_("PC"), lambda r: r.label or r.name or str(r.id)),
                Column(N_("Last received"), lambda r: when_text(r.last_import_at)),
                Column(N_("Last sent"), lambda r: when_text(r.last_export_at)),
                Column(N_("Changes waiting"), lambda r: str(r.waiting)),
                Column(N_("Branches shared"), lambda r: branches_text(r.branches)),
                Column(
                    N_("Open conflicts"),
                    lambda r: str(r.open_conflicts),
                    warn=lambda r: r.open_conflicts > 0,
                ),
                Column(N_("Fingerprint"), lambda r: r.fingerprint),
            ),
            parent,
        )


class SyncPage(QWidget):
    status_message = Signal(str)

    def __init__(
        self, sync: SyncService, parent: QWidget | None = None, *, ops: Ops | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sync_page")
        self.sync = sync
        self.ops = ops if ops is not None else Ops(self)
        #: Peers and conflicts; duplicates are members with one ID number.
        self.ops.changed.connect(self._on_changed)
        #: How many conflicts are open (the filter's choice lists some of them).
        self._open_conflicts = 0

        self.me_label = WrapLabel(objectName="sync_me_label")
        self.me_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name_button = QPushButton(objectName="sync_name_button")
        self.card_button = QPushButton(objectName="sync_card_button")
        self.trust_button = QPushButton(objectName="sync_trust_button")
        self.import_button = QPushButton(objectName="sync_import_button")
        self.export_button = QPushButton(objectName="sync_export_button")
        self.revoke_button = QPushButton(objectName="sync_revoke_button")
        self.branches_button = QPushButton(objectName="sync_branches_button")
        self.hub_label = QLabel(objectName="sync_hub_label")
        self.hub_url = QLineEdit(ui_state.hub_url(), objectName="sync_hub_url")
        self.hub_url.setPlaceholderText("http://192.168.1.10:8765")
        self.hub_label.setBuddy(self.hub_url)
        self.hub_button = QPushButton(objectName="sync_hub_button")
        self.progress = QProgressBar(objectName="sync_progress")
        self.progress.setMinimumWidth(180)  # room for "12,000 of 180,000 changes"
        self.progress.hide()
        self.cancel_button = QPushButton(objectName="sync_cancel_button")
        self.cancel_button.hide()
        self._task: Task | None = None
        self.result_label = QLabel(objectName="sync_result_label")
        self.result_label.setWordWrap(True)
        self.peer_model = PeerTableModel(self)
        self.peer_table = QTableView(objectName="sync_peer_table")
        self.peer_table.setModel(self.peer_model)
        self.peer_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.peer_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.peer_table.verticalHeader().hide()
        self.peer_table.horizontalHeader().setSectionResizeMode(
            self.peer_model.columnCount() - 1, QHeaderView.ResizeMode.Stretch
        )

        self.duplicates_title = QLabel(objectName="sync_duplicates_title")
        self.duplicate_list = QListWidget(objectName="sync_duplicate_list")
        self.duplicate_list.setMaximumHeight(90)
        self.duplicate_model = DuplicateComparisonModel(self)
        self.duplicate_table = QTableView(objectName="sync_duplicate_table")
        self.duplicate_table.setModel(self.duplicate_model)
        self.duplicate_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.duplicate_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.merge_button = QPushButton(objectName="sync_merge_button")
        self._duplicates: list[Any] = []
        self.conflict_model = ConflictListModel(sync, self)
        self.conflict_list = QListView(objectName="sync_conflict_list")
        self.conflict_list.setModel(self.conflict_model)
        # One row's height for all: the view never asks every row (each page is read on demand).
        self.conflict_list.setUniformItemSizes(True)
        self.conflict_list.setItemDelegate(OneLineDelegate(self.conflict_list))
        self.conflict_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.conflict_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.conflict_filter = QComboBox(objectName="sync_conflict_filter")
        self.keep_all_local_button = QPushButton(objectName="sync_keep_all_local_button")
        self.keep_all_remote_button = QPushButton(objectName="sync_keep_all_remote_button")
        #: A bulk settle's progress and Cancel, under the buttons that started it.
        self.settle_progress = QProgressBar(objectName="sync_settle_progress")
        self.settle_progress.hide()
        self.settle_cancel_button = QPushButton(objectName="sync_settle_cancel_button")
        self.settle_cancel_button.hide()
        self.conflict_box = QGroupBox(objectName="sync_conflict_box")
        self.conflict_detail = QLabel(objectName="sync_conflict_detail")
        self.conflict_detail.setWordWrap(True)
        self.choice_layout = QVBoxLayout()
        self.choices = QButtonGroup(self)
        self.keep_button = QPushButton(objectName="sync_keep_button")
        box_layout = QVBoxLayout(self.conflict_box)
        box_layout.addWidget(self.conflict_detail)
        box_layout.addLayout(self.choice_layout)
        box_layout.addWidget(self.keep_button, 0, Qt.AlignmentFlag.AlignRight)
        box_layout.addStretch()

        top = QHBoxLayout()
        top.addWidget(self.me_label, 1)
        top.addWidget(self.name_button)
        top.addWidget(self.card_button)
        top.addWidget(self.trust_button)
        buttons = flow_row(
            self.export_button, self.import_button, self.branches_button, self.revoke_button
        )
        hub_row = QHBoxLayout()
        hub_row.addWidget(self.hub_label)
        hub_row.addWidget(self.hub_url, 1)
        hub_row.addWidget(self.hub_button)
        hub_row.addWidget(self.progress)
        hub_row.addWidget(self.cancel_button)
        self.peers_title, self.conflicts_title = QLabel(), QLabel()
        conflicts = QSplitter(Qt.Orientation.Horizontal)
        listed = QWidget()
        listed_layout = QVBoxLayout(listed)
        listed_layout.setContentsMargins(0, 0, 0, 0)
        listed_layout.addWidget(self.conflict_filter)
        listed_layout.addWidget(self.conflict_list, 1)
        listed_layout.addWidget(flow_row(self.keep_all_local_button, self.keep_all_remote_button))
        settling = QHBoxLayout()
        settling.addWidget(self.settle_progress, 1)
        settling.addWidget(self.settle_cancel_button)
        listed_layout.addLayout(settling)
        conflicts.addWidget(listed)
        conflicts.addWidget(self.conflict_box)
        conflicts.setSizes([350, 650])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.peers_title)
        layout.addWidget(self.peer_table, 1)
        layout.addWidget(buttons)
        layout.addLayout(hub_row)
        layout.addWidget(self.result_label)
        layout.addWidget(self.conflicts_title)
        layout.addWidget(conflicts, 2)
        duplicates = QHBoxLayout()
        picked = QVBoxLayout()
        picked.addWidget(self.duplicate_list)
        picked.addWidget(self.merge_button, 0, Qt.AlignmentFlag.AlignLeft)
        picked.addStretch()
        duplicates.addLayout(picked, 1)
        duplicates.addWidget(self.duplicate_table, 2)
        layout.addWidget(self.duplicates_title)
        layout.addLayout(duplicates)

        self.name_button.clicked.connect(self._on_name_clicked)
        self.card_button.clicked.connect(self._on_card_clicked)
        self.trust_button.clicked.connect(self._on_trust_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.revoke_button.clicked.connect(self._on_revoke_clicked)
        self.branches_button.clicked.connect(self._on_branches_clicked)
        self.keep_button.clicked.connect(self.resolve_selected)
        self.keep_all_local_button.clicked.connect(lambda: self.resolve_listed(LOCAL))
        self.keep_all_remote_button.clicked.connect(lambda: self.resolve_listed(REMOTE))
        self.conflict_filter.currentIndexChanged.connect(lambda _index: self._list_conflicts())
        self.hub_button.clicked.connect(self.sync_with_hub)
        self.hub_url.returnPressed.connect(self.sync_with_hub)
        self.cancel_button.clicked.connect(self.cancel_hub_sync)
        self.settle_cancel_button.clicked.connect(self.cancel_hub_sync)
        self.merge_button.clicked.connect(self.merge_selected_duplicates)
        self.conflict_list.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._show_conflict(current.row())
        )
        self.duplicate_list.currentRowChanged.connect(self._show_duplicates)
        self.peer_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.retranslate()  # which also reads what the page shows (once, not twice)

    # ------------------------------------------------------------------ display

    def retranslate(self) -> None:
        self.name_button.setText(_("This PC's &name…"))
        self.card_button.setText(_("Save this PC's &card…"))
        self.trust_button.setText(_("&Trust a PC's card…"))
        self.import_button.setText(_("Im&port a bundle…"))
        self.export_button.setText(_("&Export a bundle for the chosen PC…"))
        self.revoke_button.setText(_("St&op trusting the chosen PC…"))
        self.branches_button.setText(_("B&ranches for the chosen PC…"))
        self.keep_button.setText(_("&Keep the chosen value"))
        self.keep_all_local_button.setText(_("Keep this PC's values (all)"))
        self.keep_all_remote_button.setText(_("Keep the other PC's values (all)"))
        self.keep_all_local_button.setToolTip(
            _("Settle every conflict listed with the value made on this PC")
        )
        self.keep_all_remote_button.setToolTip(
            _(
                "Settle every conflict listed with the value made on the other PC (a conflict "
                "between three PCs stays for you to review)"
            )
        )
        self.hub_label.setText(_("Hu&b address:"))
        self.hub_button.setText(_("&Sync with the hub"))
        self.cancel_button.setText(_("Cancel"))
        self.settle_cancel_button.setText(_("Cancel"))
        self.merge_button.setText(_("&Merge into one member"))
        self.peers_title.setText(_("PCs this one syncs with"))
        self.conflict_box.setTitle(_("Both versions"))
        self.refresh()

    def _on_changed(self, areas: frozenset[str]) -> None:
        if areas & {SYNC, MEMBERS}:
            self.refresh()

    def refresh(self) -> None:
        _id, name, fingerprint = self.sync.me()
        self.me_label.setText(
            _("This PC: {name} · fingerprint {fingerprint}").format(
                name=name, fingerprint=fingerprint
            )
        )
        selected = self.selected_peer()
        self.peer_model.set_rows(self.sync.peers())
        self.peer_table.resizeColumnsToContents()
        for number, row in enumerate(self.peer_model.rows()):
            if (selected and row.id == selected.id) or (selected is None and number == 0):
                self.peer_table.selectRow(number)
        kinds = self.sync.conflict_kinds()
        self._open_conflicts = sum(kind.count for kind in kinds)
        self._fill_conflict_filter(kinds)
        self._list_conflicts(keep_row=True)
        self._duplicates = self.sync.duplicates()
        self.duplicate_list.clear()
        for group in self._duplicates:
            self.duplicate_list.addItem(
                _("{id_number}: {names}").format(
                    id_number=group.id_number,
                    names=_(", ").join(
                        _("{name} (entered on {pc})").format(name=r.name, pc=r.created_on or "-")
                        for r in group.records
                    ),
                )
            )
        if self._duplicates:
            self.duplicate_list.setCurrentRow(0)
        self._show_duplicates(self.duplicate_list.currentRow())
        self.duplicates_title.setText(
            _("Members entered twice (same ID number on two PCs): {n}").format(
                n=len(self._duplicates)
            )
        )
        for widget in (
            self.duplicates_title,
            self.duplicate_list,
            self.merge_button,
            self.duplicate_table,
        ):
            widget.setVisible(bool(self._duplicates))
        self._update_buttons()

    def _fill_conflict_filter(self, kinds: list[ConflictKind]) -> None:
        """ "All conflicts", then one entry per kind of record and field that has some."""
        chosen = self.conflict_filter.currentData()
        texts: dict[str, str] = {}  # by "table.field" (a string: findData compares it)
        for kind in kinds:
            if kind.kind == "delete":
                text = _("{record_kind}: removed on one PC, edited on another")
            else:
                text = _("{record_kind}: {field}")
            texts.setdefault(
                f"{kind.entity}.{kind.field}",
                text.format(
                    record_kind=labels.entity_label(kind.entity),
                    field=labels.field_label(kind.entity, kind.field),
                ),
            )
        self.conflict_filter.blockSignals(True)
        self.conflict_filter.clear()
        self.conflict_filter.addItem(_("All conflicts"), None)
        for key, text in sorted(texts.items(), key=lambda item: item[1]):
            self.conflict_filter.addItem(text, key)
        found = self.conflict_filter.findData(chosen) if chosen is not None else 0
        self.conflict_filter.setCurrentIndex(max(found, 0))
        self.conflict_filter.blockSignals(False)
        self.conflict_filter.setVisible(len(texts) > 1)

    def conflict_query(self) -> ConflictQuery:
        """What the filter lists: every open conflict, or those of one table's field."""
        key = self.conflict_filter.currentData()
        return ConflictQuery() if key is None else ConflictQuery(*key.split(".", 1))

    def _list_conflicts(self, keep_row: bool = False) -> None:
        """The conflicts the filter admits, in the list (what the buttons "(all)" act on);
        `keep_row`: after a change, the same row stays chosen (the next conflict moves up)."""
        row = self.conflict_list.currentIndex().row() if keep_row else 0
        self.conflict_model.set_query(self.conflict_query())
        listed = self.conflict_model.rowCount()
        if listed == self._open_conflicts:
            title = _("Conflicts to review: {n}").format(n=self._open_conflicts)
        else:
            title = _("Conflicts to review: {n} (listed: {listed})").format(
                n=self._open_conflicts, listed=listed
            )
        self.conflicts_title.setText(title)
        if listed:
            self.conflict_list.setCurrentIndex(
                self.conflict_model.index(min(max(row, 0), listed - 1))
            )
        self._show_conflict(self.conflict_list.currentIndex().row())
        self._update_conflict_buttons()

    def _update_conflict_buttons(self) -> None:
        busy = self._task is not None
        listed = self.conflict_model.rowCount() > 0
        for button in (self.keep_all_local_button, self.keep_all_remote_button):
            button.setEnabled(listed and not busy)

    def _show_duplicates(self, row: int) -> None:
        """The chosen ID number's records side by side (name, group, phone, which PC…)."""
        group = self._duplicates[row] if 0 <= row < len(self._duplicates) else None
        self.duplicate_model.set_group(group)
        self.duplicate_table.resizeRowsToContents()
        # Every detail in sight: telling the two records apart is the point of the table.
        table = self.duplicate_table
        needed = table.verticalHeader().length() + table.horizontalHeader().height()
        table.setMinimumHeight(min(needed + 2 * table.frameWidth() + 2, 420))

    def selected_peer(self) -> PeerRow | None:
        rows = self.peer_table.selectionModel().selectedRows()
        return self.peer_model.rows()[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(self.selected_peer() is not None)
        self.revoke_button.setEnabled(self.selected_peer() is not None)
        self.branches_button.setEnabled(self.selected_peer() is not None)

    def _show_conflict(self, row: int) -> None:
        for button in self.choices.buttons():
            self.choices.removeButton(button)
            self.choice_layout.removeWidget(button)
            button.hide()
            button.setParent(None)
            button.deleteLater()
        conflict = self.conflict_model.row_at(row)
        if conflict is None:
            self.conflict_detail.setText(
                _("No conflicts to review.") if not self.conflict_model.rowCount() else ""
            )
            self.keep_button.setEnabled(False)
            return
        if conflict.kind == "delete":
            missed = "\n".join(
                "  "
                + _("{field}: {value}").format(
                    field=labels.field_label(conflict.entity, field), value=shown(str(value))
                )
                + " "
                + (_("({who}, {when})").format(who=who, when=when_text(when)) if who else "")
                for field, value, who, when in conflict.missed_edits
            )
            self.conflict_detail.setText(
                _(
                    "{record} was removed on one PC while it was edited on another. "
                    "The edits the removal did not see:"
                ).format(record=conflict.record)
                + "\n"
                + missed
            )
        else:
            self.conflict_detail.setText(
                conflict_sentence(conflict)
                + "\n"
                + _("This was changed on two PCs at the same time. Which value is right?")
            )
        for option in conflict.options:
            button = QRadioButton(option_text(option))
            button.setObjectName(f"sync_choice_{option.number}")
            self.choices.addButton(button, option.number)
            self.choice_layout.addWidget(button)
        self.choices.buttons()[0].setChecked(True)
        self.keep_button.setEnabled(self._task is None)  # not while other work runs

    # ------------------------------------------------------------------ actions

    def resolve_selected(self) -> None:
        conflict = self.conflict_model.row_at(self.conflict_list.currentIndex().row())
        pick = self.choices.checkedId()
        if conflict is None or pick < 1:
            return
        # The settled value may be in any area's records.
        self.ops.run(
            self,
            lambda: self.sync.resolve(conflict.id, pick),
            ALL,
            done=lambda _result: self.status_message.emit(
                _("Conflict settled. The choice goes to the other PCs with the next sync.")
            ),
        )

    def resolve_listed(self, keep: str) -> None:
        """Settle every conflict listed with this PC's values (LOCAL) or the other PC's
        (REMOTE), after one confirmation that says how many, with progress and Cancel (a
        cancelled settle settles none: it is one transaction)."""
        query, listed = self.conflict_query(), self.conflict_model.rowCount()
        if not listed:
            return
        if keep == LOCAL:
            question = i18n.ngettext(
                "Settle {n} conflict by keeping the value made on this PC?",
                "Settle {n} conflicts by keeping the values made on this PC?",
                listed,
            )
        else:
            question = i18n.ngettext(
                "Settle {n} conflict by keeping the value made on the other PC?",
                "Settle {n} conflicts by keeping the values made on the other PC?",
                listed,
            )
        text = question.format(n=listed)
        text += "\n\n" + _(
            "A conflict with no single such value (three PCs, or no value from that side) "
            "stays for you to review."
        )
        text += "\n\n" + _("The choices go to the other PCs with the next sync.")
        if not messages.confirm(self, _("Settle many conflicts"), text):
            return

        def done(result: Any) -> None:
            self._busy(False)
            if not result.settled:
                self._show_result(
                    _("None of the conflicts listed has a single value from this PC.")
                    if keep == LOCAL
                    else _("None of the conflicts listed has a single value from the other PC."),
                    failed=True,
                )
                return
            message = i18n.ngettext(
                "Settled {n} conflict.", "Settled {n} conflicts.", len(result.settled)
            ).format(n=len(result.settled))
            if result.left:
                message += " " + i18n.ngettext(
                    "{n} is left for you to review.",
                    "{n} are left for you to review.",
                    len(result.left),
                ).format(n=len(result.left))
            self._show_result(message)

        self._busy(True)
        self.result_label.clear()  # what the last work said is not about this one
        self._on_settle_progress(0, 0)  # a busy bar until the conflicts are counted
        self.settle_progress.show()
        self.settle_cancel_button.setEnabled(True)
        self.settle_cancel_button.show()
        # The settled values may be in any area's records.
        self._task = self.ops.run_long(
            self,
            lambda progress, cancel: self.sync.resolve_all(
                keep, entity=query.entity, field=query.field, progress=progress, cancel=cancel
            ),
            ALL,
            done=done,
            failed=self._failed,
            on_progress=self._on_settle_progress,
        )
        self._update_conflict_buttons()

    def _on_settle_progress(self, done: int, total: int) -> None:
        """The conflicts read, then their records brought in line: one bar, in per cent."""
        bar = self.settle_progress
        bar.setRange(0, total)
        bar.setValue(done)
        bar.setFormat(_("Settling the conflicts…") + " %p%" if total else "")
        bar.setToolTip(bar.text())

    def merge_selected_duplicates(self) -> None:
        row = self.duplicate_list.currentRow()
        if not 0 <= row < len(self._duplicates):
            return
        id_number = self._duplicates[row].id_number

        def merged(result: Any) -> None:
            self._show_result(
                i18n.ngettext(
                    "Merged {n} duplicate into {name} ({id}).",
                    "Merged {n} duplicates into {name} ({id}).",
                    len(result.removed),
                ).format(n=len(result.removed), name=result.kept_name, id=str(result.kept)[:8])
            )

        # The duplicates' stewardships, households and services move to the one kept.
        self.ops.run(
            self,
            lambda: self.sync.merge_duplicates(id_number),
            ALL,
            done=merged,
            refused=self._refused,
        )

    def _on_revoke_clicked(self) -> None:
        peer = self.selected_peer()
        if peer is not None and messages.confirm(
            self,
            _("Stop trusting a PC"),
            _(
                "Stop trusting {name}?\n\nNothing more will be sent to it or accepted from it. "
                "What it already received stays on that PC."
            ).format(name=peer.label or peer.id),
        ):
            self.revoke_peer(peer)

    def revoke_peer(self, peer: PeerRow) -> None:
        try:
            self.sync.revoke(peer.id)
        except UserError as error:
            self._show_result(error.message, failed=True)
            return
        self._show_result(_("No longer trusting {name}.").format(name=peer.label or peer.id))
        self.refresh()

    def _on_branches_clicked(self) -> None:
        peer = self.selected_peer()
        if peer is None:
            return
        try:
            held = self.sync.peer_branches(peer.id)
        except UserError as error:
            self._show_result(error.message, failed=True)
            return
        name = peer.label or peer.id
        question = _("Which branches may {name} receive and send?").format(name=name)
        if held is None:  # trusted before branches were named
            question += " " + _("It may now receive every branch this PC holds.")
        chosen = BranchesDialog.ask(
            branch_search(self.sync),
            _("Branches for {name}").format(name=name),
            question,
            [Choice(b.id, b.name, b.town) for b in held or ()],
            self,
        )
        if chosen:
            self.set_peer_branches(peer, chosen)

    def set_peer_branches(self, peer: PeerRow, branches: list[uuid.UUID]) -> None:
        """Let `peer` receive and send exactly `branches` (fewer: nothing more of the others
        is sent to it; more: the new branches' history is sent with the next sync)."""
        self.ops.run(
            self,
            lambda: self.sync.set_peer_branches(peer.id, branches),
            {SYNC},
            done=lambda row: self._show_result(
                i18n.ngettext(
                    "{name} may now receive and send {n} branch.",
                    "{name} may now receive and send {n} branches.",
                    len(row.branches),
                ).format(name=row.label or row.id, n=len(row.branches))
            ),
            refused=self._refused,
        )

    def _on_name_clicked(self) -> None:
        chosen = PcNameDialog.ask(self.sync.pc_name(), self.sync.default_name, self)
        if chosen is not None:
            self.name_this_pc(*chosen)

    def name_this_pc(self, name: str, role: str) -> None:
        """Choose this PC's name ("" : the default, from its branch and role) and role."""
        self.ops.run(
            self,
            lambda: self.sync.name_this_pc(name, role),
            {SYNC},
            done=lambda chosen: self._show_result(
                _(
                    "This PC is now called {name}. The other PCs show it after its next card "
                    "or sync."
                ).format(name=chosen)
            ),
            refused=self._refused,
        )

    def _on_card_clicked(self) -> None:
        current = self.sync.pc_name()
        if not current.chosen:  # pairing: the name the other PC will show, asked once
            chosen = PcNameDialog.ask(current, self.sync.default_name, self)
            if chosen is None:
                return
            self.name_this_pc(*chosen)
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Save this PC's card"), "red-steward.card", _("Cards (*.card)")
        )
        if name:
            self.save_card(Path(name))

    def save_card(self, path: Path) -> None:
        def failed(error: BaseException) -> None:
            if isinstance(error, (UserError, OSError)):
                self._show_result(str(error), failed=True)
            else:
                messages.show_error(self, error)

        self.ops.run_long(
            self,
            lambda _progress, _cancel: self.sync.write_card(path),
            {SYNC},
            done=lambda _result: self._show_result(
                _("Saved the card to {path}. Take it to the other PC and trust it there.").format(
                    path=path
                )
            ),
            failed=failed,
        )

    def _on_trust_clicked(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _("Trust a PC's card"), "", _("Cards (*.card);;All files (*)")
        )
        if not name:
            return
        try:
            card = self.sync.read_card(Path(name))
        except UserError as error:
            self._show_result(error.message, failed=True)
            return
        if messages.confirm(
            self,
            _("Trust a PC"),
            _(
                "Trust {name}?\n\nFingerprint: {fingerprint}\n\nCompare it with the fingerprint "
                "shown on that PC's sync page. If they differ, answer No."
            ).format(name=card.name or card.replica_id, fingerprint=card.fingerprint),
        ):
            local = ask_peer_name(self, card.name)
            if local is None:
                return
            # The card's own name is kept as it is (a rename on that PC then reaches this one).
            self.trust_card(card, name=None if local == card.name else local)

    def trust_card(
        self, card: Any, branches: list[Any] | None = None, name: str | None = None
    ) -> None:
        """Trust `card`; `name`: what this PC calls that PC (None: its card's name)."""

        def refused(error: UserError) -> bool:
            if not isinstance(error, BranchNotNamed):
                return self._refused(error)
            chosen = self._choose_branches(card)
            if not chosen:
                self._show_result(
                    _("{name} was not trusted: no branch was chosen.").format(
                        name=card.name or card.replica_id
                    ),
                    failed=True,
                )
            else:
                self.trust_card(card, chosen, name)
            return True

        def trusted(result: Any) -> None:
            peer, _created = result
            self._show_result(_("Now trusting {name}.").format(name=peer.label or peer.id))

        self.ops.run(
            self,
            lambda: self.sync.trust(card, branches, name),
            {SYNC},
            done=trusted,
            refused=refused,
        )

    def _refused(self, error: UserError) -> bool:
        self._show_result(error.message, failed=True)
        return True

    def _choose_branches(self, card: Any) -> list[uuid.UUID] | None:
        """Ask which branches a new, empty PC may receive (on a PC holding several: a hub; on
        one holding none yet, the branch's id is pasted). None: cancelled."""
        return BranchesDialog.ask(
            branch_search(self.sync),
            _("Branch for {name}").format(name=card.name or card.replica_id),
            _("This PC's card holds no branch yet. Which branches may it receive and send?"),
            parent=self,
        )

    def _on_export_clicked(self) -> None:
        menu = QMenu(self)
        for drive in removable_drives():
            menu.addAction(_("USB drive {path}").format(path=drive)).setData(str(drive))
        menu.addAction(_("Choose a folder…")).setData("")
        chosen = menu.exec(self.export_button.mapToGlobal(self.export_button.rect().bottomLeft()))
        if chosen is None:
            return
        folder = chosen.data() or QFileDialog.getExistingDirectory(self, _("Folder for the bundle"))
        if folder:
            self.export_to(Path(folder))

    def export_to(self, folder: Path) -> None:
        peer = self.selected_peer()
        if peer is None:
            return
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        # A chosen name may hold any character: only letters, digits and dashes in a file name.
        safe = "".join(c for c in peer.name if c.isalnum() or c in "-_")[:20] or "pc"
        path = folder / f"red-steward-for-{safe}-{peer.id.hex[-6:]}-{stamp}.rsb"
        self._busy(True)
        self._show_progress(self._on_import_progress)  # a busy bar, and Cancel
        self._task = self.ops.run_long(
            self,
            lambda _progress, cancel: self.sync.export(peer.id, path, cancel),
            {SYNC},
            done=self._exported,
            failed=self._failed,
        )

    def _exported(self, result: Any) -> None:
        self._busy(False)
        self._show_result(
            _("Wrote {n} changes for {name} to {path}.").format(
                n=result.entries,
                name=self.selected_peer().label if self.selected_peer() else "",
                path=result.path,
            )
        )

    def _on_import_clicked(self) -> None:
        drives = removable_drives()
        name, _filter = QFileDialog.getOpenFileName(
            self,
            _("Import a bundle"),
            str(drives[0]) if drives else "",
            _("Sync bundles (*.rsb);;All files (*)"),
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> None:
        """Apply a bundle off the GUI thread, with progress and Cancel (a cancelled import
        changes nothing: it is one transaction)."""
        self._busy(True)
        self._show_progress(self._on_import_progress)
        # Another PC's changes may touch every area.
        self._task = self.ops.run_long(
            self,
            lambda progress, cancel: self.sync.import_file(path, progress, cancel),
            ALL,
            done=self._imported,
            failed=self._failed,
            on_progress=self._on_import_progress,
        )

    def _on_import_progress(self, done: int, total: int) -> None:
        """Records applied so far; (0, 0) while the bundle is checked and the backup taken."""
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        text = i18n.ngettext("{done} of {total} record", "{done} of {total} records", total)
        self.progress.setFormat(
            text.format(done=f"{done:,}", total=f"{total:,}").replace("%", "%%") if total else ""
        )
        self.progress.setToolTip(self.progress.format())

    def _imported(self, summary: Any) -> None:
        self._busy(False)
        text = _(
            "Imported from {name}: {added} records added, {updated} fields updated, "
            "{conflicts} conflicts to review."
        ).format(
            name=summary.sender_name or summary.sender,
            added=summary.records_added,
            updated=summary.fields_updated,
            conflicts=summary.conflicts,
        )
        if summary.entries_new == 0:
            text += " " + _("Nothing new: this PC already had every change in the bundle.")
        self._show_result(text)

    def sync_with_hub(self) -> None:
        """Exchange with the town hub off the GUI thread, with progress and cancel."""
        url = self.hub_url.text().strip()
        if not url:
            self._show_result(
                _("Enter the hub's address first, for example http://192.168.1.10:8765"),
                failed=True,
            )
            self.hub_url.setFocus()
            return
        ui_state.set_hub_url(url)
        self._busy(True)
        self._show_progress(self._on_progress)
        self._task = self.ops.run_long(
            self,
            lambda progress, cancel: self.sync.exchange_with_hub(url, progress, cancel),
            ALL,
            done=self._synced,
            failed=self._failed,
            on_progress=self._on_progress,
        )

    def _show_progress(self, report: Any, cancel: bool = True) -> None:
        """The bar (busy until the work says how much there is) and its Cancel button."""
        report(0, 0)
        self.progress.show()
        self.cancel_button.setEnabled(True)
        self.cancel_button.setVisible(cancel)

    def cancel_hub_sync(self) -> None:
        """Cancel the work running (a sync, an import, an export, a bulk settle)."""
        if self._task is not None:
            self._task.cancelled.set()
            self.cancel_button.setEnabled(False)
            self.settle_cancel_button.setEnabled(False)

    def _on_progress(self, done: int, total: int) -> None:
        """Entries sent and received so far, of the best known total (it may grow while
        syncing); (0, 0) while the hub is being reached: a busy bar."""
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        text = i18n.ngettext("{done} of {total} change", "{done} of {total} changes", total)
        self.progress.setFormat(
            text.format(done=f"{done:,}", total=f"{total:,}").replace("%", "%%")
        )
        self.progress.setToolTip(self.progress.format())

    def _synced(self, result: Any) -> None:
        self._busy(False)
        summary = result.received
        text = " ".join(
            [
                i18n.ngettext(
                    "Sent {n} change to the hub.", "Sent {n} changes to the hub.", result.sent
                ).format(n=result.sent),
                _(
                    "Received: {added} records added, {updated} fields updated, {conflicts} "
                    "conflicts to review."
                ).format(
                    added=summary.records_added,
                    updated=summary.fields_updated,
                    conflicts=summary.conflicts,
                ),
            ]
            + ([refused_by_hub_text(result.refused_by_hub)] if result.refused_by_hub else [])
        )
        self._show_result(text, failed=bool(result.refused_by_hub))

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        if isinstance(error, (SyncCancelled, ImportCancelled, SettleCancelled, ExportCancelled)):
            self._show_result(error.message)
            return
        if isinstance(error, UserError):
            self._show_result(error.message, failed=True)
        else:
            messages.show_error(self, error)

    def _busy(self, busy: bool) -> None:
        for widget in (
            self.import_button,
            self.export_button,
            self.trust_button,
            self.hub_button,
            self.hub_url,
            self.keep_button,
        ):
            widget.setEnabled(not busy)
        if not busy:
            self._task = None
            self.progress.hide()
            self.cancel_button.hide()
            self.settle_progress.hide()
            self.settle_cancel_button.hide()
            self._update_buttons()
            self._update_conflict_buttons()
            self._show_conflict(self.conflict_list.currentIndex().row())

    def _show_result(self, text: str, failed: bool = False) -> None:
        self.result_label.setStyleSheet("color: #b00020;" if failed else "")
        self.result_label.setText(text)
        self.status_message.emit(text)


__all__ = ["SyncPage", "removable_drives"]
