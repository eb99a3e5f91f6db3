# SPDX-License-Identifier: GPL-3.0-or-later
"""The `red-steward` command line: parses, calls the services, prints. No Qt unless it opens a window.

The command names and options are a contract with the town centre's scripts: add, never break.
Errors are printed as translated lines on stderr; a `UserError` exits 1, a usage error 2.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from desktop import __version__, i18n, logfile, paths
from desktop.errors import NoBranch, NotFound, UserError, ValidationFailed
from desktop.i18n import _

log = logging.getLogger(__name__)

Handler = Callable[[argparse.Namespace], int]


def _common() -> argparse.ArgumentParser:
    """Options every command takes, before or after the command name."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=f"folder of the data (default: the user data folder, or ${paths.DATA_ENV})",
    )
    common.add_argument(
        "--lang",
        choices=i18n.LANGUAGES,
        default=argparse.SUPPRESS,
        help="language of the window and the messages (default: zh_CN)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="red-steward",
        description="Red Steward (红色管家): the village party branch's register. "
        "With no command, opens the window.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"red-steward {__version__}")
    parser.add_argument(
        "--demo-if-empty",
        action="store_true",
        help="open the window with the demo branch when there is no data yet",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", parents=[common], help="open the window (the default)")
    gui.add_argument("--demo-if-empty", action="store_true", default=argparse.SUPPRESS)

    init = sub.add_parser("init", parents=[common], help="create an empty branch")
    init.add_argument("--branch", required=True, metavar="NAME", help="the branch's full name")
    init.add_argument("--town", required=True, metavar="NAME")
    init.add_argument("--county", required=True, metavar="NAME")
    init.add_argument("--phone", default="", metavar="PHONE", help="the branch's public phone")

    sub.add_parser(
        "demo", parents=[common], help="load the demo branch (running it twice duplicates nothing)"
    )

    members = sub.add_parser("members", parents=[common], help="the member register")
    msub = members.add_subparsers(dest="action", metavar="ACTION", required=True)
    mlist = msub.add_parser("list", parents=[common], help="list members")
    mlist.add_argument("--json", action="store_true", help="a JSON array, for scripts")
    mlist.add_argument(
        "--filter",
        default="",
        metavar="TEXT",
        help="as the register's filter: name, group, status, phone, ID number",
    )
    mshow = msub.add_parser("show", parents=[common], help="one member, every field")
    mshow.add_argument("id_number", metavar="ID_NUMBER")
    mshow.add_argument("--json", action="store_true")
    madd = msub.add_parser("add", parents=[common], help="add a member: FIELD=VALUE...")
    madd.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    mset = msub.add_parser("set", parents=[common], help="change fields of a member")
    mset.add_argument("id_number", metavar="ID_NUMBER")
    mset.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    mremove = msub.add_parser("remove", parents=[common], help="remove a member (undoable)")
    mremove.add_argument("id_number", metavar="ID_NUMBER")
    mrestore = msub.add_parser("restore", parents=[common], help="undo a member's removal")
    mrestore.add_argument("id_number", metavar="ID_NUMBER")

    groups = sub.add_parser("groups", parents=[common], help="the party groups")
    gsub = groups.add_subparsers(dest="action", metavar="ACTION", required=True)
    glist = gsub.add_parser("list", parents=[common], help="list party groups")
    glist.add_argument("--json", action="store_true")

    changes = sub.add_parser("changes", parents=[common], help="the change log")
    csub = changes.add_subparsers(dest="action", metavar="ACTION", required=True)
    clist = csub.add_parser("list", parents=[common], help="the latest changes, newest first")
    clist.add_argument("--limit", type=int, default=50)
    clist.add_argument("--json", action="store_true")
    for module in _command_modules():
        COMMANDS.update(module.add_commands(sub, common))
    return parser


#: Modules that add their own commands: each has `add_commands(subparsers, common)` returning
#: {(command, action): handler}. They must import heavy libraries inside their handlers only.
COMMAND_MODULES: tuple[str, ...] = (
    "desktop.cli.printing",
    "desktop.cli.tabular",
    "desktop.cli.security",
    "desktop.cli.sync",
    "desktop.cli.hub",
    "desktop.cli.stewards",
)


def _command_modules() -> list[Any]:
    import importlib

    return [importlib.import_module(name) for name in COMMAND_MODULES]


# ----------------------------------------------------------------------------- helpers


def _data_dir(args: argparse.Namespace) -> Path:
    return Path(getattr(args, "data_dir", None) or paths.data_dir()).expanduser().resolve()


def credentials(prompt_for: str | None = None) -> Any:
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
_opened: list[Any] = []


def _close_opened() -> None:
    while _opened:
        _opened.pop().close()


def open_database(
    args: argparse.Namespace,
    create: bool = False,  # type: ignore[no-untyped-def]
    server: str | None = None,
):
    """The data file named by the command's options; every command opens it through here.

    Signs in first. A new data file gets the signed-in user as its administrator, and its
    recovery key is printed once. An existing one gets its daily backup when it is due.
    """
    from desktop.models.store import backup, server_store
    from desktop.models.store.db import Database

    folder = _data_dir(args)
    if not (
        create or paths.database_path(folder).exists() or server_store.sealed_path(folder).exists()
    ):
        raise NoBranch(folder)
    db = Database.open(folder, create=create, credentials=credentials(), server=server)
    _opened.append(db)
    if db.missing_since is not None:
        from desktop.models.store.db import missing_changes

        sys.stderr.write(f"red-steward: {missing_changes(db)}\n")
    if db.recovery_key:
        print_recovery_key(db)
    elif db.user is not None and db.user.can_write and not db.read_only:
        try:
            backup.backup_if_due(db)
        except UserError as error:
            log.warning("%s", error.message)
    return db


def print_recovery_key(db: Any) -> None:
    out(
        _(
            "Created the administrator account {user}. The recovery key below is the only way "
            "back in if every administrator password is forgotten. Write it down or print it, "
            "and keep it locked away; it is shown only now:"
        ).format(user=db.user.username)
    )
    out(f"    {db.recovery_key}")


def current_branch(db: Any) -> Any:
    """The branch the data file holds, or a `NoBranch` error that says how to make one."""
    from desktop.models.register import groups

    with db.read() as session:
        branch = groups.current_branch(session)
    if branch is None:
        raise NoBranch(db.path.parent)
    return branch


def out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def out_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def actor() -> str | None:
    return os.environ.get("RED_STEWARD_USER") or None


# ----------------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    from desktop.models.register import groups

    db = open_database(args, create=True)
    with db.read() as session:
        existing = groups.current_branch(session)
    if existing is not None:
        raise UserError(
            _("{path} already holds the branch {name}.").format(
                path=db.path.parent, name=existing.name
            )
        )
    with db.unit_of_work(actor()) as session:
        branch = groups.create_branch(session, args.branch, args.town, args.county, args.phone)
    out(_("Created the branch {name} in {path}.").format(name=branch.name, path=db.path.parent))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from desktop.models.demo import loader

    db = open_database(args, create=True)
    with db.unit_of_work(actor()) as session:
        created, branch = loader.load_demo(session)
    if created:
        out(
            _("Loaded the demo branch {name} into {path}.").format(
                name=branch.name, path=db.path.parent
            )
        )
    else:
        out(
            _("The demo branch {name} is already in {path}; nothing was added.").format(
                name=branch.name, path=db.path.parent
            )
        )
    return 0


def member_json(row: Any) -> dict[str, Any]:
    from desktop.models.register.rows import MEMBER_FIELDS

    data: dict[str, Any] = {"id": str(row.id)}
    for field in MEMBER_FIELDS:
        value = getattr(row, field)
        data[field] = (
            value.isoformat()
            if hasattr(value, "isoformat")
            else (str(value) if field.endswith("_id") and value is not None else value)
        )
    data["party_group"] = row.party_group_name
    data["party_group_number"] = row.party_group_number
    data["villager_group"] = row.villager_group_name
    return data


def _label(choices: dict[str, str], code: str | None) -> str:
    return _(choices[code]) if code in choices else (code or "")


def cmd_members_list(args: argparse.Namespace) -> int:
    from desktop.models.register import members
    from desktop.models.register.member import GENDERS, STATUSES
    from desktop.models.register.rows import MemberQuery

    db = open_database(args)
    branch = current_branch(db)
    with db.read() as session:
        rows = members.list_members(
            session, branch.id, MemberQuery(text=args.filter, sort_field="party_group")
        )
    if args.json:
        out_json([member_json(row) for row in rows])
        return 0
    for row in rows:
        out(
            "\t".join(
                [
                    row.name,
                    _label(GENDERS, row.gender),
                    row.id_number,
                    row.party_group_name,
                    _label(STATUSES, row.status),
                    row.phone,
                ]
            )
        )
    out(i18n.ngettext("{n} member", "{n} members", len(rows)).format(n=len(rows)))
    return 0


def _member_by_id_number(db: Any, branch_id: Any, id_number: str, deleted: bool = False) -> Any:
    from sqlalchemy import select

    from desktop.models.register import members, validation
    from desktop.models.register.member import Member

    with db.read() as session:
        if not deleted:
            row = members.find_by_id_number(session, branch_id, id_number)
        else:
            member_id = session.scalar(
                select(Member.id).where(
                    Member.deleted,
                    Member.branch_id == branch_id,
                    Member.id_number == validation.normalize_id_number(id_number),
                )
            )
            row = members.get_member(session, member_id) if member_id else None
    if row is None:
        raise NotFound(_("No member has the ID number {id_number}.").format(id_number=id_number))
    return row


def cmd_members_show(args: argparse.Namespace) -> int:
    db = open_database(args)
    row = _member_by_id_number(db, current_branch(db).id, args.id_number)
    if args.json:
        out_json(member_json(row))
    else:
        for key, value in member_json(row).items():
            out(f"{key}: {'' if value is None else value}")
    return 0


def cmd_members_add(args: argparse.Namespace) -> int:
    from desktop.models.register import member_fields, members
    from desktop.models.register.rows import MemberDraft

    db = open_database(args)
    branch = current_branch(db)
    with db.unit_of_work(actor()) as session:
        draft = member_fields.apply_assignments(session, branch.id, MemberDraft(), args.assignments)
        row = members.save_member(session, branch.id, draft)
    out(_("Added {name}.").format(name=row.name))
    return 0


def cmd_members_set(args: argparse.Namespace) -> int:
    from desktop.models.register import member_fields, members

    db = open_database(args)
    branch = current_branch(db)
    current = _member_by_id_number(db, branch.id, args.id_number)
    with db.unit_of_work(actor()) as session:
        draft = member_fields.apply_assignments(session, branch.id, current.draft, args.assignments)
        row = members.save_member(session, branch.id, draft, current.id)
    out(_("Saved {name}.").format(name=row.name))
    return 0


def cmd_members_remove(args: argparse.Namespace) -> int:
    from desktop.models.register import members

    db = open_database(args)
    current = _member_by_id_number(db, current_branch(db).id, args.id_number)
    with db.unit_of_work(actor()) as session:
        members.remove_member(session, current.id)
    out(
        _("Removed {name}. 'red-steward members restore {id_number}' undoes it.").format(
            name=current.name, id_number=current.id_number
        )
    )
    return 0


def cmd_members_restore(args: argparse.Namespace) -> int:
    from desktop.models.register import members

    db = open_database(args)
    current = _member_by_id_number(db, current_branch(db).id, args.id_number, deleted=True)
    with db.unit_of_work(actor()) as session:
        members.restore_member(session, current.id)
    out(_("Restored {name}.").format(name=current.name))
    return 0


def cmd_groups_list(args: argparse.Namespace) -> int:
    from desktop.models.register import groups

    db = open_database(args)
    branch = current_branch(db)
    with db.read() as session:
        rows = groups.list_party_groups(session, branch.id)
    if args.json:
        out_json(
            [
                {
                    "id": str(g.id),
                    "number": g.number,
                    "name": g.name,
                    "member_count": g.member_count,
                    "steward": g.steward_name,
                }
                for g in rows
            ]
        )
        return 0
    for g in rows:
        out(f"{g.number}\t{g.name}\t{g.member_count}\t{g.steward_name}")
    return 0


def cmd_changes_list(args: argparse.Namespace) -> int:
    from desktop.models.store import history

    db = open_database(args)
    with db.read() as session:
        changes = history.recent_changes(session, args.limit)
    if args.json:
        out_json(
            [
                {
                    "origin": str(c.origin),
                    "seq": c.seq,
                    "hlc": c.hlc,
                    "when": c.when.isoformat(),
                    "entity": c.entity,
                    "row_id": str(c.row_id),
                    "field": c.field,
                    "op": c.op,
                    "old": c.old_value,
                    "new": c.new_value,
                    "actor": c.actor,
                }
                for c in changes
            ]
        )
        return 0
    for c in changes:
        out(
            f"{c.when:%Y-%m-%d %H:%M:%S}\t{c.actor or '-'}\t{c.entity}\t{c.row_id}\t"
            f"{c.op}\t{c.field}\t{c.old_value!r} → {c.new_value!r}"
        )
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from desktop.views.app import run_gui

    return run_gui(
        data_dir=_data_dir(args),
        language=getattr(args, "lang", None),
        demo_if_empty=getattr(args, "demo_if_empty", False),
    )


COMMANDS: dict[tuple[str, str | None], Handler] = {
    ("gui", None): cmd_gui,
    ("init", None): cmd_init,
    ("demo", None): cmd_demo,
    ("members", "list"): cmd_members_list,
    ("members", "show"): cmd_members_show,
    ("members", "add"): cmd_members_add,
    ("members", "set"): cmd_members_set,
    ("members", "remove"): cmd_members_remove,
    ("members", "restore"): cmd_members_restore,
    ("groups", "list"): cmd_groups_list,
    ("changes", "list"): cmd_changes_list,
}


def _report(error: UserError) -> None:
    if isinstance(error, ValidationFailed):
        for field, message in error.problems.items():
            sys.stderr.write(f"red-steward: {field}: {message}\n")
    else:
        sys.stderr.write(f"red-steward: {error.message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "gui"
    if command != "gui":
        # Headless: messages in the chosen language (Simplified Chinese by default).
        i18n.set_language(getattr(args, "lang", None) or i18n.DEFAULT_LANGUAGE)
        # Details (SQLite's words about a damaged file…) go to the log file, not to stderr.
        logfile.setup_cli_logging(_data_dir(args))
    handler = COMMANDS[(command, getattr(args, "action", None))]
    try:
        return handler(args)
    except UserError as error:
        _report(error)
        return error.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as Unix tools do.
        import os as _os

        _os.dup2(_os.open(_os.devnull, _os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        _close_opened()
