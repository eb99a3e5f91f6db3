# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward backup|restore|salvage|users|recover|audit`: the data's protection. Headless: no
Qt."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from desktop.cli.common import (
    credentials,
    data_dir,
    open_database,
    open_services,
    out,
    out_json,
    warn,
)
from desktop.errors import UserError
from desktop.i18n import _


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    backup = sub.add_parser(
        "backup", parents=[common], help="write one verified, encrypted backup file to a folder"
    )
    backup.add_argument(
        "--to",
        required=True,
        metavar="FOLDER",
        help="the folder (a USB stick…) to write the backup file into",
    )

    restore = sub.add_parser(
        "restore", parents=[common], help="restore a backup file (the current data is kept aside)"
    )
    restore.add_argument(
        "file", metavar="FILE", nargs="?", help="the backup file to restore (see --list)"
    )
    restore.add_argument(
        "--list",
        action="store_true",
        help="list the automatic backups with their time, reason, member count and what "
        "restoring each would lose; restores nothing",
    )
    restore.add_argument("--json", action="store_true", help="with --list: a JSON array")
    restore.add_argument(
        "--yes", action="store_true", help="do not ask on a terminal (a script is never asked)"
    )

    salvage = sub.add_parser(
        "salvage",
        parents=[common],
        help="copy what can still be read out of a damaged data file, merged with the newest "
        "backup; prints what came from where, then asks before it replaces the data (the "
        "damaged file is kept in the backups folder)",
    )
    salvage.add_argument(
        "--yes",
        action="store_true",
        help="replace the data with the salvaged data without asking (without --yes a script "
        "only gets the summary: nothing is replaced)",
    )
    salvage.add_argument("--json", action="store_true", help="the summary as a JSON object")

    users = sub.add_parser("users", parents=[common], help="sign-in accounts and their roles")
    usub = users.add_subparsers(dest="action", metavar="ACTION", required=True)
    ulist = usub.add_parser("list", parents=[common], help="list the accounts")
    ulist.add_argument("--json", action="store_true")
    uadd = usub.add_parser(
        "add",
        parents=[common],
        help="add an account (its password from $RED_STEWARD_NEW_PASSWORD, or asked)",
    )
    uadd.add_argument("username", metavar="NAME")
    uadd.add_argument("--role", required=True, choices=("admin", "clerk", "viewer"))
    upass = usub.add_parser("passwd", parents=[common], help="set an account's password")
    upass.add_argument("username", metavar="NAME")
    urole = usub.add_parser(
        "role", parents=[common], help="change an account's role (sets its password too)"
    )
    urole.add_argument("username", metavar="NAME")
    urole.add_argument("role", choices=("admin", "clerk", "viewer"))
    uremove = usub.add_parser("remove", parents=[common], help="remove an account")
    uremove.add_argument("username", metavar="NAME")

    recover = sub.add_parser(
        "recover",
        parents=[common],
        help="forgotten password: set a new one for $RED_STEWARD_USER with the "
        "recovery key ($RED_STEWARD_RECOVERY_KEY, or asked)",
    )
    audit = sub.add_parser(
        "audit", parents=[common], help="the audit trail: who changed what and when, newest first"
    )
    audit.add_argument("--user", metavar="U", help="only the changes made by this account")
    audit.add_argument(
        "--record",
        metavar="TEXT",
        help="only the records whose name (or its pinyin, or initials) begins with TEXT, or "
        "whose ID number contains it; a member's given name too",
    )
    audit.add_argument("--since", metavar="D", help="from this date (2026-01-31), included")
    audit.add_argument("--until", metavar="D", help="up to this date, included")
    audit.add_argument("--limit", type=int, metavar="N", help="at most N entries")
    audit.add_argument("--csv", metavar="FILE", help="write the entries to a CSV file instead")
    audit.add_argument("--json", action="store_true")
    backup.set_defaults(handler=cmd_backup)
    restore.set_defaults(handler=cmd_restore)
    salvage.set_defaults(handler=cmd_salvage)
    ulist.set_defaults(handler=cmd_users_list)
    uadd.set_defaults(handler=cmd_users_add)
    upass.set_defaults(handler=cmd_users_passwd)
    urole.set_defaults(handler=cmd_users_role)
    uremove.set_defaults(handler=cmd_users_remove)
    recover.set_defaults(handler=cmd_recover)
    audit.set_defaults(handler=cmd_audit)


def _secret(env: str, prompt: str) -> str:
    value = os.environ.get(env, "")
    if value:
        return value
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UserError(
            _("Set {env}, or run the command in a terminal to be asked.").format(env=env)
        )
    value = getpass.getpass(prompt)
    if getpass.getpass(_("Once more: ")) != value:
        raise UserError(_("The two entries differ; nothing was changed."))
    return value


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop.models.store import backup

    db = open_database(args)
    try:
        target = backup.backup_to_folder(db, Path(args.to).expanduser())
    finally:
        db.close()
    out(_("Wrote and checked the backup {path}.").format(path=target))
    return 0


def _lost_sentence(args: argparse.Namespace, info: Any) -> str | None:
    """What restoring `info` would lose from the current data; None when that cannot be read
    (a damaged file: then there is nothing to lose that could be saved)."""
    from desktop.models.store import backup
    from desktop.models.store.db import Database

    try:
        db = Database.open(data_dir(args), create=False, credentials=credentials())
    except UserError:
        return None
    try:
        return backup.lost_since(db, info).sentence(info.created)
    finally:
        db.close()


def cmd_restore(args: argparse.Namespace) -> int:
    from desktop.models.store import backup

    if args.list:
        return _list_restore_choices(args)
    if not args.file:
        raise UserError(_("Name the backup file to restore, or list them with --list."))
    info = backup.verify_backup(Path(args.file), credentials())
    lost = _lost_sentence(args, info)
    if lost is not None:
        out(lost)
    if not args.yes and sys.stdin.isatty() and sys.stderr.isatty():
        sys.stderr.write(_("Restore the backup of {when}? [y/N] ").format(when=_when(info)))
        sys.stderr.flush()
        if sys.stdin.readline().strip().lower() not in ("y", "yes", _("y")):
            out(_("Nothing was restored."))
            return 1
    aside = backup.restore_backup(Path(args.file), data_dir(args), credentials())
    out(
        _(
            "Restored the backup of {when} ({n} members). The data it replaced is kept in {aside}."
        ).format(when=_when(info), n=info.members, aside=aside)
    )
    return 0


def cmd_salvage(args: argparse.Namespace) -> int:
    """Reads a copy of the damaged file (the data file is not opened); replaces the data only
    with --yes or a yes on the terminal."""
    from desktop.models.store import salvage

    folder = data_dir(args)
    summary = salvage.salvage(folder, credentials())
    if not args.json:
        for line in summary.lines():
            out(line)
    replace = args.yes
    if not replace and sys.stdin.isatty() and sys.stderr.isatty() and not args.json:
        sys.stderr.write(_("Replace the damaged data with the salvaged data? [y/N] "))
        sys.stderr.flush()
        replace = sys.stdin.readline().strip().lower() in ("y", "yes", _("y"))
        if not replace:
            salvage.discard_salvaged(folder)
            out(_("Nothing was replaced."))
            return 1
    aside = salvage.replace_with_salvaged(folder) if replace else None
    if not replace:
        salvage.discard_salvaged(folder)
    if args.json:
        out_json({**summary.to_json(), "replaced": replace, "kept": str(aside) if aside else None})
    elif aside is None:
        out(_("Nothing was replaced: run the command again with --yes to use the salvaged data."))
    else:
        out(
            _(
                "The data file now holds the salvaged data. The damaged file is kept in {aside}."
            ).format(aside=aside)
        )
    return 0


def _when(info: Any) -> str:
    return f"{info.created.astimezone():%Y-%m-%d %H:%M}"


def _list_restore_choices(args: argparse.Namespace) -> int:
    from desktop.models.store import backup

    db = open_database(args)
    try:
        choices = backup.restore_choices(db)
    finally:
        db.close()
    if args.json:
        out_json(
            [
                {
                    "path": str(c.info.path),
                    "created": c.info.created.isoformat(),
                    "reason": c.info.reason,
                    "members": c.info.members,
                    "lost": {
                        entity: {"added": a, "changed": ch, "removed": r}
                        for entity, (a, ch, r) in c.lost.counts.items()
                    },
                }
                for c in choices
            ]
        )
        return 0
    if not choices:
        out(_("There are no automatic backups in {folder}.").format(folder=data_dir(args)))
    for n, choice in enumerate(choices, 1):
        out(
            _("{n}. {when}, {reason}, {members} members: {path}").format(
                n=n,
                when=_when(choice.info),
                reason=backup.reason_label(choice.info.reason),
                members=choice.info.members,
                path=choice.info.path,
            )
        )
        out("   " + choice.lost.sentence(choice.info.created))
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    accounts = open_services(args).accounts.list()
    if args.json:
        out_json([{"username": a.username, "role": a.role} for a in accounts])
        return 0
    for account in accounts:
        out(f"{account.username}\t{account.role_label}")
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    services = open_services(args)
    services.db.require_admin()  # before asking for a password that would be refused anyway
    password = _secret("RED_STEWARD_NEW_PASSWORD", _("Password of the new account: "))
    account = services.accounts.add(args.username, args.role, password)
    out(
        _("Added the account {name} ({role}).").format(
            name=account.username, role=account.role_label
        )
    )
    return 0


def cmd_users_passwd(args: argparse.Namespace) -> int:
    services = open_services(args)
    password = _secret("RED_STEWARD_NEW_PASSWORD", _("New password: "))
    services.accounts.set_password(args.username, password)
    out(_("Changed the password of {name}.").format(name=args.username))
    return 0


def cmd_users_role(args: argparse.Namespace) -> int:
    services = open_services(args)
    services.db.require_admin()
    password = _secret("RED_STEWARD_NEW_PASSWORD", _("New password: "))
    services.accounts.set_role(args.username, args.role, password)
    out(_("{name} now has the role {role}.").format(name=args.username, role=args.role))
    return 0


def cmd_users_remove(args: argparse.Namespace) -> int:
    open_services(args).accounts.remove(args.username)
    out(_("Removed the account {name}.").format(name=args.username))
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    from desktop.models.store import accounts

    user = os.environ.get("RED_STEWARD_USER", "").strip()
    if not user:
        raise UserError(_("Set RED_STEWARD_USER to the account whose password is forgotten."))
    recovery = os.environ.get("RED_STEWARD_RECOVERY_KEY", "")
    if not recovery:
        if not sys.stdin.isatty():
            raise UserError(
                _("Set {env}, or run the command in a terminal to be asked.").format(
                    env="RED_STEWARD_RECOVERY_KEY"
                )
            )
        sys.stderr.write(_("Recovery key: "))
        sys.stderr.flush()
        recovery = sys.stdin.readline().strip()
    password = _secret("RED_STEWARD_PASSWORD", _("New password: "))
    account = accounts.recover(data_dir(args), recovery, user, password)
    out(_("Set a new password for {name}.").format(name=account.username))
    return 0


def _date_option(text: str | None, option: str) -> Any:
    from desktop.models.register.values import parse_date

    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        raise UserError(
            _("{option}: {value} is not a date; write it as 2026-01-31.").format(
                option=option, value=text
            )
        ) from None


def cmd_audit(args: argparse.Namespace) -> int:
    """Reads the change log only; any role may look."""
    from desktop.models.audit import trail

    query = trail.AuditQuery(
        user=args.user,
        record=args.record,
        since=_date_option(args.since, "--since"),
        until=_date_option(args.until, "--until"),
    )
    audit = open_services(args).audit
    entries = audit.entries(query, limit=args.limit)
    if args.record and audit.capped(query):  # on stderr: the output itself is unchanged
        warn(
            _(
                "More than {n} records match the name: only the changes of the first {n} are "
                "shown; type more of it."
            ).format(n=trail.MATCH_LIMIT)
        )
    if args.csv:
        target = Path(args.csv).expanduser()
        try:
            with target.open("w", encoding="utf-8-sig", newline="") as fh:
                n = trail.write_csv(entries, fh)
        except OSError as error:
            raise UserError(
                _("The file {path} could not be written: {reason}").format(
                    path=target, reason=error.strerror or error
                )
            ) from error
        out(_("Exported {n} changes to {path}.").format(n=n, path=target))
        return 0
    if args.json:
        out_json(
            [
                {
                    "when": e.when.isoformat(),
                    "user": e.user,
                    "entity": e.entity,
                    "record": e.record,
                    "row_id": str(e.row_id),
                    "op": e.op,
                    "field": e.field,
                    "old": e.old_value,
                    "new": e.new_value,
                    # Added after the others (#14): the PC the change was made on.
                    "origin": str(e.origin) if e.origin else None,
                    "pc": e.origin_label,
                }
                for e in entries
            ]
        )
        return 0
    for e in entries:
        out(
            "\t".join(
                (
                    e.when.strftime("%Y-%m-%d %H:%M:%S"),
                    e.user,
                    e.entity_label,
                    e.record,
                    e.op_label,
                    e.field_label,
                    trail.display_value(e.old_value),
                    trail.display_value(e.new_value),
                    e.origin_label,  # last, so that scripts' column numbers hold (#14)
                )
            )
        )
    return 0
