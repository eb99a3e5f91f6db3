# SPDX-License-Identifier: GPL-3.0-or-later
"""Message boxes through one place, so that tests can answer them and errors look alike."""

from __future__ import annotations

import logging
import platform
import traceback

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop import __version__, paths
from desktop.errors import UserError
from desktop.i18n import _

log = logging.getLogger(__name__)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def show_error(parent: QWidget | None, error: BaseException) -> None:
    """A `UserError` as a plain message; anything else is a bug and gets the crash dialog."""
    if isinstance(error, UserError):
        QMessageBox.warning(parent, _("Red Steward"), error.message)
        return
    show_crash(parent, type(error), error, error.__traceback__)


def crash_details(kind: type[BaseException], error: BaseException, tb: object) -> str:
    trace = "".join(traceback.format_exception(kind, error, tb))  # type: ignore[arg-type]
    return (
        f"Red Steward {__version__}\n{platform.platform()}\nPython {platform.python_version()}\n"
        f"Log: {paths.log_dir()}\n\n{trace}"
    )


def show_crash(
    parent: QWidget | None, kind: type[BaseException], error: BaseException, tb: object
) -> None:
    log.critical("unexpected error", exc_info=(kind, error, tb))  # type: ignore[arg-type]
    details = crash_details(kind, error, tb)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(_("Red Steward"))
    box.setText(
        _(
            "Something went wrong inside Red Steward. Your saved data is safe. "
            "Please tell the town centre what you were doing; the details below help."
        )
    )
    box.setDetailedText(details)
    copy = box.addButton(_("Copy details"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.exec()
    if box.clickedButton() is copy:
        QApplication.clipboard().setText(details)
