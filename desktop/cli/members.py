# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward members …`: the member register, a member found by its ID number.

`add` and `set` take `FIELD=VALUE` read by the spreadsheet import's own parser
(`desktop.models.register.values`): whatever a roster's cell may hold, the command line takes.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop import i18n
from desktop.cli.common import open_services, out, out_json
from desktop.errors import NotFound
from desktop.i18n import _


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
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
    mlist.set_defaults(handler=cmd_members_list)
    mshow = msub.add_parser("show", parents=[common], help="one member, every field")
    mshow.add_argument("id_number", metavar="ID_NUMBER")
    mshow.add_argument("--json", action="store_true")
    mshow.set_defaults(handler=cmd_members_show)
    madd = msub.add_parser("add", parents=[common], help="add a member: FIELD=VALUE...")
    madd.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    madd.set_defaults(handler=cmd_members_add)
    mset = msub.add_parser("set", parents=[common], help="change fields of a member")
    mset.add_argument("id_number", metavar="ID_NUMBER")
    mset.add_argument("assignments", nargs="+", metavar="FIELD=VALUE")
    mset.set_defaults(handler=cmd_members_set)
    mremove = msub.add_parser("remove", parents=[common], help="remove a member (undoable)")
    mremove.add_argument("id_number", metavar="ID_NUMBER")
    mremove.set_defaults(handler=cmd_members_remove)
    mrestore = msub.add_parser("restore", parents=[common], help="undo a member's removal")
    mrestore.add_argument("id_number", metavar="ID_NUMBER")
    mrestore.set_defaults(handler=cmd_members_restore)


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


def _member(services: Any, id_number: str, removed: bool = False) -> Any:
    row = services.members.find_by_id_number(id_number, removed=removed)
    if row is None:
        raise NotFound(_("No member has the ID number {id_number}.").format(id_number=id_number))
    return row


def cmd_members_list(args: argparse.Namespace) -> int:
    from desktop.models.register.member import GENDERS, STATUSES
    from desktop.models.register.rows import MemberQuery

    services = open_services(args)
    rows = services.members.rows(MemberQuery(text=args.filter, sort_field="party_group"))
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


def cmd_members_show(args: argparse.Namespace) -> int:
    row = _member(open_services(args), args.id_number)
    if args.json:
        out_json(member_json(row))
    else:
        for key, value in member_json(row).items():
            out(f"{key}: {'' if value is None else value}")
    return 0


def cmd_members_add(args: argparse.Namespace) -> int:
    row = open_services(args).members.save_fields(args.assignments)
    out(_("Added {name}.").format(name=row.name))
    return 0


def cmd_members_set(args: argparse.Namespace) -> int:
    services = open_services(args)
    current = _member(services, args.id_number)
    row = services.members.save_fields(args.assignments, current.id)
    out(_("Saved {name}.").format(name=row.name))
    return 0


def cmd_members_remove(args: argparse.Namespace) -> int:
    services = open_services(args)
    current = _member(services, args.id_number)
    services.members.remove(current.id)
    out(
        _("Removed {name}. 'red-steward members restore {id_number}' undoes it.").format(
            name=current.name, id_number=current.id_number
        )
    )
    return 0


def cmd_members_restore(args: argparse.Namespace) -> int:
    services = open_services(args)
    current = _member(services, args.id_number, removed=True)
    services.members.restore(current.id)
    out(_("Restored {name}.").format(name=current.name))
    return 0
