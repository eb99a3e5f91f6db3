# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward households list`: the households of the stewards' areas and their carers."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import open_services, out, out_json
from desktop.i18n import _


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    households = sub.add_parser("households", parents=[common], help="households of the areas")
    hsub = households.add_subparsers(dest="action", metavar="ACTION", required=True)
    hlist = hsub.add_parser("list", parents=[common], help="households and their carers")
    hlist.add_argument(
        "--overdue",
        action="store_true",
        help="only flagged households not visited within their interval",
    )
    hlist.add_argument("--json", action="store_true")
    hlist.set_defaults(handler=cmd_households_list)


def cmd_households_list(args: argparse.Namespace) -> int:
    stewards = open_services(args).stewards
    rows = stewards.overdue_households() if args.overdue else stewards.households()
    if args.json:
        out_json(
            [
                {
                    "id": str(r.id),
                    "head": r.head_name,
                    "address": r.address,
                    "group": r.party_group_name,
                    "carer": r.carer_name,
                    "interval": r.visit_interval,
                    "last_visit": r.last_visit,
                    "overdue_days": r.overdue_days,
                }
                for r in rows
            ]
        )
        return 0
    never = _("never visited")
    for r in rows:
        out(
            f"{r.head_name}\t{r.address}\t{r.party_group_name}\t{r.carer_name}\t"
            f"{r.last_visit or never}\t{r.overdue_days if r.overdue_days else ''}"
        )
    return 0
