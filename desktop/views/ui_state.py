# SPDX-License-Identifier: GPL-3.0-or-later
"""Per-machine UI state in QSettings, only through these typed accessors."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from desktop import i18n

TEXT_SCALES = (100, 125, 150, 175, 200)


def _settings() -> QSettings:
    return QSettings("RedSteward", "red-steward")


def language() -> str:
    value = _settings().value("ui/language", i18n.DEFAULT_LANGUAGE)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def set_language(value: str) -> None:
    _settings().setValue("ui/language", value)


def text_scale() -> int:
    try:
        value = int(_settings().value("ui/text_scale", 100))
    except (TypeError, ValueError):
        return 100
    return value if value in TEXT_SCALES else 100


def set_text_scale(value: int) -> None:
    _settings().setValue("ui/text_scale", int(value))


def window_geometry() -> QByteArray | None:
    value = _settings().value("ui/main_window_geometry")
    return value if isinstance(value, QByteArray) else None


def set_window_geometry(value: QByteArray) -> None:
    _settings().setValue("ui/main_window_geometry", value)


def last_folder() -> str:
    """The folder of the last spreadsheet imported or exported (the home folder at first)."""
    from pathlib import Path

    value = _settings().value("ui/last_folder", "")
    return value if isinstance(value, str) and value and Path(value).is_dir() else str(Path.home())


def set_last_folder(value: str) -> None:
    _settings().setValue("ui/last_folder", value)


#: Minutes without keyboard or mouse before the window locks (0: never).
LOCK_CHOICES = (5, 10, 15, 30, 60, 0)


def lock_minutes() -> int:
    try:
        value = int(_settings().value("security/lock_minutes", 10))
    except (TypeError, ValueError):
        return 10
    return value if value in LOCK_CHOICES else 10


def set_lock_minutes(value: int) -> None:
    _settings().setValue("security/lock_minutes", int(value))


def hub_url() -> str:
    """The town hub's address last used on the sync page ("" until one is entered)."""
    value = _settings().value("sync/hub_url", "")
    return value if isinstance(value, str) else ""


def set_hub_url(value: str) -> None:
    _settings().setValue("sync/hub_url", value.strip())


def last_user() -> str:
    """The user name last signed in with on this PC (never the password)."""
    value = _settings().value("security/last_user", "")
    return value if isinstance(value, str) else ""


def set_last_user(value: str) -> None:
    _settings().setValue("security/last_user", value)
