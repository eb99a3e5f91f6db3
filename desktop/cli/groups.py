# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward groups list`: the party groups."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import open_services, out, out_json


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    groups = sub.add_parser("groups", parents=[common], help="the party groups")
    gsub = groups.add_subparsers(dest="action", metavar="ACTION", required=True)
    glist = gsub.add_parser("list", parents=[common], help="list party groups")
    glist.add_argument("--json", action="store_true")
    glist.set_defaults(handler=cmd_groups_list)


def cmd_groups_list(args: argparse.Namespace) -> int:
    services = open_services(args)
    rows = services.branches.party_groups(services.branch_id)
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
