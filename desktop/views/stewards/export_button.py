# SPDX-License-Identifier: GPL-3.0-or-later
"""An "Export…" button for one table of the export registry (desktop.tabular.export).

It asks where to save (.xlsx or .csv, as the members page does), writes off the GUI thread and
reports through the page's status message; a failure shows its reason and leaves no half file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

from desktop.i18n import _, ngettext
from desktop.views import messages, tasks
from desktop.views.export_path import ask_export_path

if TYPE_CHECKING:
    from desktop.tabular.service import TabularService

#: (first day, last day) of the rows to export; None: every row.
Period = Callable[[], tuple[dt.date | None, dt.date | None]]


class ExportButton(QPushButton):
    exported = Signal(str)  # the path written

    def __init__(
        self,
        tabular: TabularService,
        table: str,
        title: Callable[[], str],
        status: Callable[[str], None],
        page: QWidget,
        *,
        period: Period | None = None,
        tooltip: Callable[[], str] | None = None,
        keys: str = "",
    ) -> None:
        """`keys`: an explicit shortcut on `page` (for pages whose buttons show theirs)."""
        super().__init__(page, objectName=f"export_{table}_button")
        self.tabular, self.table = tabular, table
        self._title, self._status, self._period = title, status, period
        self._tooltip, self._keys = tooltip, keys
        self.task: tasks.Task | None = None
        self.clicked.connect(self.ask)
        if keys:
            QShortcut(
                QKeySequence(keys),
                page,
                self.ask,
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(_("Export… ({keys})").format(keys=self._keys) if self._keys else _("E&xport…"))
        self.setToolTip(self._tooltip() if self._tooltip else _("Export to Excel (.xlsx) or CSV"))

    def ask(self) -> None:
        """Ask where to save, then export (.xlsx or .csv by the name's ending)."""
        title = self._title()
        target = ask_export_path(self, _("Export {table}").format(table=title), title)
        if target is not None:
            self.export_to(target)

    def export_to(self, path: Path) -> tasks.Task:
        """Write the table (the period's rows, if the page has one) to `path`."""
        first, last = self._period() if self._period else (None, None)
        self.setEnabled(False)

        def done(count: int) -> None:
            self.task = None
            self.setEnabled(True)
            self._status(
                ngettext(
                    "Exported {n} row to {path}.", "Exported {n} rows to {path}.", count
                ).format(n=count, path=path)
            )
            self.exported.emit(str(path))

        def failed(error: BaseException) -> None:
            self.task = None
            self.setEnabled(True)
            messages.show_error(self, error)

        self.task = tasks.run_task(
            lambda progress, cancelled: self.tabular.export(self.table, path, first, last),
            done,
            failed,
        )
        return self.task
