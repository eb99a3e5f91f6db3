# SPDX-License-Identifier: GPL-3.0-or-later
"""The log file: `<data>/logs/red-steward.log`, where details only a developer reads go (SQLite's
own words about a damaged page, OS errors). The screen and stderr get one translated line.

The file is opened on the first record only, so a command that logs nothing (a viewer's
`members list`) writes nothing to the data folder. No Qt here.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

LOG_NAME = "red-steward.log"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _LazyFileHandler(logging.handlers.RotatingFileHandler):
    """Creates its folder and file when the first record comes; a read-only folder drops it."""

    def _open(self):  # type: ignore[no-untyped-def]
        private_log_file(Path(self.baseFilename))
        return super()._open()

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        pass  # a log that cannot be written must not become a second message


_installed: list[logging.Handler] = []


def private_log_file(path: Path) -> None:
    """The log's folder and file, readable by this user only (it names people's records)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))


def log_path(folder: Path) -> Path:
    return folder / "logs" / LOG_NAME


def setup_cli_logging(folder: Path) -> None:
    """For a command: INFO and above to the data folder's log file, only errors (none are
    expected: failures are `UserError`s, printed by the command line) to stderr."""
    root = logging.getLogger()
    for handler in _installed:
        root.removeHandler(handler)
        handler.close()
    _installed.clear()
    to_file = _LazyFileHandler(
        log_path(folder), maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True
    )
    to_file.setFormatter(logging.Formatter(FORMAT))
    to_stderr = logging.StreamHandler(sys.stderr)
    to_stderr.setLevel(logging.ERROR)
    to_stderr.setFormatter(logging.Formatter("red-steward: %(message)s"))
    for handler in (to_file, to_stderr):
        root.addHandler(handler)
        _installed.append(handler)
    root.setLevel(logging.INFO)
