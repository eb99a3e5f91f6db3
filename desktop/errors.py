# SPDX-License-Identifier: GPL-3.0-or-later
"""Expected failures. Each carries a message in the user's language; anything else is a bug."""

from __future__ import annotations

from collections.abc import Mapping

from desktop.i18n import _


class UserError(Exception):
    """A failure the user can understand and act on; shown as a message, never a traceback."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseError(UserError):
    """The data file cannot be used as it is."""


class DatabaseLocked(DatabaseError):
    def __init__(self, path: object) -> None:
        super().__init__(
            _(
                "The data file {path} is in use by another Red Steward window or program. "
                "Close the other one and try again."
            ).format(path=path)
        )


class DatabaseReadOnly(DatabaseError):
    def __init__(self, path: object) -> None:
        super().__init__(
            _(
                "The data file {path} cannot be written (it is read-only or on a write-protected "
                "disk). Copy it to a folder you can write to, or change its permissions."
            ).format(path=path)
        )


class DatabaseCorrupt(DatabaseError):
    def __init__(self, path: object, detail: str = "") -> None:
        super().__init__(
            _(
                "The data file {path} is damaged and cannot be opened. Nothing was changed. "
                "Restore it from a backup, or ask the town centre for help."
            ).format(path=path)
            + (f" ({detail})" if detail else "")
        )


class DatabaseTooNew(DatabaseError):
    def __init__(self, path: object, found: str) -> None:
        super().__init__(
            _(
                "The data file {path} was written by a newer version of Red Steward "
                "(data version {found}). Install the newest version of Red Steward to open it."
            ).format(path=path, found=found)
        )


class DiskFull(DatabaseError):
    def __init__(self) -> None:
        super().__init__(
            _("The disk is full, so the change was not saved. Free some space and try again.")
        )


class NotFound(UserError):
    pass


class NoBranch(UserError):
    def __init__(self, path: object) -> None:
        super().__init__(
            _(
                "There is no branch in {path} yet. Create one with 'red-steward init' "
                "or load the demo with 'red-steward demo'."
            ).format(path=path)
        )


class ValidationFailed(UserError):
    """One or more fields are wrong; `problems` maps a field name to its translated message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("\n".join(self.problems.values()))
