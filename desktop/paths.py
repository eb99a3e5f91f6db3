# SPDX-License-Identifier: GPL-3.0-or-later
"""Where things live: the user's data (platformdirs, or an override) and the shipped resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop import APP_NAME

#: Environment variable that overrides the data directory (as `--data-dir` does).
DATA_ENV = "RED_STEWARD_DATA"
DB_FILENAME = "red-steward.sqlite3"

_override: Path | None = None


def set_data_dir(path: str | os.PathLike[str] | None) -> None:
    """Use `path` for the data from now on (the `--data-dir` option); None restores the default."""
    global _override
    _override = Path(path).expanduser().resolve() if path else None


def data_dir() -> Path:
    """The folder holding the database, backups and logs; created on first use by the caller."""
    if _override is not None:
        return _override
    env = os.environ.get(DATA_ENV)
    if env:
        return Path(env).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database_path(folder: Path | None = None) -> Path:
    return (folder or data_dir()) / DB_FILENAME


def backup_dir(folder: Path | None = None) -> Path:
    return (folder or data_dir()) / "backups"


def log_dir() -> Path:
    return data_dir() / "logs"


def resource_root() -> Path:
    """The project root in a checkout, or the unpacked bundle of a frozen (PyInstaller) build."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    root = resource_root()
    if parts and parts[0] == "translations":
        return root.joinpath(*parts)
    return root.joinpath("resources", *parts)
