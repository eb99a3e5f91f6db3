# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward changes list`: the change log, newest first."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import open_services, out, out_json


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    changes = sub.add_parser("changes", parents=[common], help="the change log")
    csub = changes.add_subparsers(dest="action", metavar="ACTION", required=True)
    clist = csub.add_parser("list", parents=[common], help="the latest changes, newest first")
    clist.add_argument("--limit", type=int, default=50)
    clist.add_argument("--json", action="store_true")
    clist.set_defaults(handler=cmd_changes_list)


def cmd_changes_list(args: argparse.Namespace) -> int:
    changes = open_services(args).branches.recent_changes(args.limit)
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
