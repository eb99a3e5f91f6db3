# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward stewards list`: the red stewards (红色管家) and their commitments."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli.common import open_services, out, out_json
from desktop.i18n import _


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    stewards = sub.add_parser("stewards", parents=[common], help="the red stewards")
    stsub = stewards.add_subparsers(dest="action", metavar="ACTION", required=True)
    stlist = stsub.add_parser("list", parents=[common], help="current stewards")
    stlist.add_argument("--history", action="store_true", help="past appointments too")
    stlist.add_argument("--json", action="store_true")
    stlist.set_defaults(handler=cmd_stewards_list)


def cmd_stewards_list(args: argparse.Namespace) -> int:
    from desktop.models.stewards.steward import COMMITMENT_STAGES, ROLES

    rows = open_services(args).stewards.stewards(history=args.history)
    if args.json:
        out_json(
            [
                {
                    "id": str(r.id),
                    "name": r.name,
                    "role": r.role,
                    "group": r.party_group_name,
                    "area": r.area,
                    "from": r.started_on,
                    "to": r.ended_on,
                    "current": r.current,
                    "phone_public": r.phone_public,
                    "has_photo": r.has_photo,
                    "commitment": r.commitment.content if r.commitment else None,
                    "commitment_stage": r.commitment.stage if r.commitment else None,
                    "commitment_services": r.commitment.service_count if r.commitment else 0,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        stage = _(COMMITMENT_STAGES[r.commitment.stage]) if r.commitment else ""
        out(
            f"{r.name}\t{_(ROLES[r.role])}\t{r.party_group_name}\t{r.area}\t"
            f"{r.started_on or ''}–{r.ended_on or ''}\t{stage}"
        )
    return 0
