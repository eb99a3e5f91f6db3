# SPDX-License-Identifier: GPL-3.0-or-later
"""Expected failures. Each carries a message in the user's language; anything else is a bug.

The message is one translated line. What only a developer reads (SQLite's own words, an OS
error) is the error's `detail`: written to the log file (docs/security.md says where), never
shown on the screen or printed on stderr.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from desktop.i18n import _

log = logging.getLogger(__name__)


def _log_detail(error: Exception, detail: str) -> None:
    if detail:
        log.warning("%s: %s", type(error).__name__, detail)


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
                "Salvage what can still be read, or restore it from a backup, or ask the town "
                "centre for help."
            ).format(path=path)
        )
        self.detail = detail
        _log_detail(self, f"{path} is damaged: {detail}" if detail else "")


class DatabaseDamaged(DatabaseCorrupt):
    """Damage found by the check that runs once the file is open (`Database.check_integrity`)."""

    def __init__(self, path: object, detail: str = "") -> None:
        super().__init__(path, detail)
        self.message = _(
            "The data file {path} is damaged. Do not enter more data now: salvage what can "
            "still be read, or restore the newest backup (Data safety page), or ask the town "
            "centre for help."
        ).format(path=path)
        self.args = (self.message,)


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


class RowsInvalid(ValidationFailed):
    """Some of many records (a bulk add) are wrong: `rows` maps each one's index to its problems
    by field; `problems` are the first wrong record's, so it reads like one ValidationFailed."""

    def __init__(self, rows: Mapping[int, Mapping[str, str]]) -> None:
        self.rows = {index: dict(problems) for index, problems in rows.items()}
        super().__init__(self.rows[min(self.rows)])


class SignInRequired(UserError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Sign in first: set RED_STEWARD_USER and RED_STEWARD_PASSWORD, "
                "or run the command in a terminal to be asked."
            )
        )


class WrongPassword(UserError):
    def __init__(self) -> None:
        super().__init__(_("The user name or the password is wrong."))


class WrongRecoveryKey(UserError):
    def __init__(self) -> None:
        super().__init__(_("The recovery key is wrong. Check it against the printed sheet."))


class SignInThrottled(UserError):
    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(
            _("Too many wrong passwords. Wait {seconds} seconds, then try again.").format(
                seconds=seconds
            )
        )


class PermissionDenied(UserError):
    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _(
                "Your account may only look at the data, not change it. "
                "Ask the administrator for a clerk's account."
            )
        )


class KeysDamaged(DatabaseError):
    def __init__(self, path: object) -> None:
        super().__init__(
            _(
                "The key file {path} is damaged, so the data cannot be unlocked. Nothing was "
                "changed. Restore the data from a backup (a backup carries its own keys)."
            ).format(path=path)
        )


class BackupInvalid(UserError):
    """`reason`: a translated word for the clerk; `detail`: for the log only."""

    def __init__(self, detail: str = "", reason: str = "") -> None:
        super().__init__(
            _("This file is not a usable Red Steward backup; nothing was changed.")
            + (f" ({reason})" if reason else "")
        )
        self.detail = detail
        _log_detail(self, detail)


class BackupOnServer(UserError):
    def __init__(self, server: str) -> None:
        super().__init__(
            _(
                "This hub keeps its data on the database server {server}. Back it up there "
                "(for example with pg_dump); the key file in the data folder belongs with it."
            ).format(server=server)
        )


class BackupAfterFailed(UserError):
    """The backup after an import or a sync could not be taken; the change itself is saved."""

    def __init__(self, error: UserError) -> None:
        reason = _("the disk is full") if isinstance(error, DiskFull) else error.message
        super().__init__(
            _(
                "The change is saved, but the backup after it could not be made: {reason}. "
                "Back up on the Data safety page once the problem is solved."
            ).format(reason=reason)
        )


class BackupFailed(UserError):
    def __init__(self, folder: object, detail: str = "") -> None:
        super().__init__(
            _(
                "The backup could not be written to {folder}. Check that the stick or folder is "
                "plugged in and writable."
            ).format(folder=folder)
        )
        self.detail = detail
        _log_detail(self, f"{folder}: {detail}" if detail else "")
