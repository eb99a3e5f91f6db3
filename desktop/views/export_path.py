# SPDX-License-Identifier: GPL-3.0-or-later
"""Asking where to save an export: one dialog for every page that exports a table."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from desktop.i18n import _
from desktop.views import ui_state


def ask_export_path(parent: QWidget | None, caption: str, name: str) -> Path | None:
    """Ask where to save `name` as .xlsx or .csv; None when the clerk cancels.

    The file's ending decides the format; a name typed without one gets the chosen filter's.
    The folder is remembered for the next export or import.
    """
    xlsx, csv = _("Excel workbook (*.xlsx)"), _("CSV, UTF-8 (*.csv)")
    suggested = str(Path(ui_state.last_folder()) / (name + ".xlsx"))
    path, chosen = QFileDialog.getSaveFileName(parent, caption, suggested, f"{xlsx};;{csv}")
    if not path:
        return None
    target = Path(path)
    if target.suffix.lower() not in (".xlsx", ".csv"):
        target = target.with_name(target.name + (".csv" if chosen == csv else ".xlsx"))
    ui_state.set_last_folder(str(target.parent))
    return target
