# SPDX-License-Identifier: GPL-3.0-or-later
"""What every command module shares: the data folder, signing in, the services, output, errors.

Command modules import this module, never `desktop.cli.main` (which imports them). No Qt here,
and nothing heavy at import time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from desktop import paths
from desktop.errors import NoBranch, UserError, ValidationFailed
from desktop.i18n import _

if TYPE_CHECKING:
    from desktop.models.store.backup import BackupAfter
    from desktop.models.store.db import Database
    from desktop.models.store.keyring import Credentials
    from desktop.services import Services

log = logging.getLogger(__name__)

#: A command: the parsed arguments in, the exit code out.
Handler = Callable[[argparse.Namespace], int]


def data_dir(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "data_dir", None) or paths.data_dir()).expanduser().resolve()


def actor() -> str | None:
    return os.environ.get("RED_STEWARD_USER") or None


def credentials(prompt_for: str | None = None) -> Credentials:
    """Who runs the command: $RED_STEWARD_USER / $RED_STEWARD_PASSWORD, else asked on a terminal.

    With neither (a script, a pipe), a clear one-line error rather than a hang.
    """
    from desktop.errors import SignInRequired
    from desktop.models.store.keyring import Credentials

    found = Credentials.from_env()
    if found is not None:
        return found
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise SignInRequired()
    import getpass

    user = os.environ.get("RED_STEWARD_USER", "").strip()
    if not user:
        sys.stderr.write(_("User name: "))
        sys.stderr.flush()
        user = sys.stdin.readline().strip()
    password = getpass.getpass(prompt_for or _("Password: "))
    if not user or not password:
        raise SignInRequired()
    return Credentials(user, password)


#: The databases this command opened, closed when it ends (a server hub's connections too).
_opened: list[Database] = []


def close_opened() -> None:
    while _opened:
        _opened.pop().close()


def open_database(
    args: argparse.Namespace, create: bool = False, server: str | None = None
) -> Database:
    """The data file named by the command's options; every command opens it through here.

    Signs in first. A new data file gets the signed-in user as its administrator, and its
    recovery key is printed once. An existing one gets its daily backup when it is due.
    """
    from desktop.models.store import backup, server_store
    from desktop.models.store.db import Database

    folder = data_dir(args)
    if not (
        create or paths.database_path(folder).exists() or server_store.sealed_path(folder).exists()
    ):
        raise NoBranch(folder)
    db = Database.open(folder, create=create, credentials=credentials(), server=server)
    _opened.append(db)
    if db.missing_since is not None:
        from desktop.models.store.db import missing_changes

        warn(missing_changes(db))
    if db.recovery_key:
        print_recovery_key(db)
    elif db.user is not None and db.user.can_write and not db.read_only:
        try:
            backup.backup_if_due(db)
        except UserError as error:
            log.warning("%s", error.message)
    return db


def open_services(
    args: argparse.Namespace,
    create: bool = False,
    server: str | None = None,
    actor_name: str | None = None,
) -> Services:
    """The services of the data file named by the command's options (see `open_database`):
    the same object the window builds, so a command calls what a page calls."""
    from desktop.services import Services

    return Services(open_database(args, create, server), actor_name or actor())


def print_recovery_key(db: Database) -> None:
    assert db.user is not None
    out(
        _(
            "Created the administrator account {user}. The recovery key below is the only way "
            "back in if every administrator password is forgotten. Write it down or print it, "
            "and keep it locked away; it is shown only now:"
        ).format(user=db.user.username)
    )
    out(f"    {db.recovery_key}")


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def out_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def report(error: UserError) -> None:
    """A `UserError` as one line on stderr (a line per field for a validation error)."""
    if isinstance(error, ValidationFailed):
        for field, message in error.problems.items():
            sys.stderr.write(f"red-steward: {field}: {message}\n")
    else:
        sys.stderr.write(f"red-steward: {error.message}\n")


def warn(text: str) -> None:
    """A warning on stderr that does not stop the command."""
    sys.stderr.write(f"red-steward: {text}\n")


def take_backup_after(after: BackupAfter | None) -> None:
    """The backup of an import or a sync just printed, before the command ends (the window
    takes it in the background). A failure is a warning: the change itself is in."""
    if after is None:
        return
    sys.stdout.flush()  # the result is on the screen while the backup is taken
    try:
        after.take()
    except UserError as error:
        warn(error.message)


def date_arg(text: str) -> dt.date:
    """An argparse type: a day as 2026-03-01 (a usage error, exit 2, otherwise)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a date; write it as 2026-03-01.").format(text=text)
        ) from None


def roster_id(services: Services, text: str) -> Any:
    """The roster whose id starts with `text`, as `roster list` shows it."""
    from desktop.errors import NotFound

    found = services.rosters.find_id(text)
    if found is None:
        raise NotFound(
            _(
                "No single roster has an id starting with {text}; see 'red-steward roster list'."
            ).format(text=text)
        )
    return found
