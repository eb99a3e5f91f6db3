# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward roster generate|list|show`: the service teams' duty rosters."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from desktop.cli.common import date_arg, open_services, out, out_json, roster_id
from desktop.errors import UserError
from desktop.i18n import _


def _month(text: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(text + "-01")
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a month; write it as 2026-03.").format(text=text)
        ) from None
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    roster = sub.add_parser("roster", parents=[common], help="duty rosters of the service teams")
    rsub = roster.add_subparsers(dest="action", metavar="ACTION", required=True)
    gen = rsub.add_parser("generate", parents=[common], help="make a fair roster for a period")
    gen.add_argument(
        "--team",
        required=True,
        metavar="TEAM",
        help="party group number, steward's name or team name",
    )
    gen.add_argument("--from", dest="date_from", type=date_arg, metavar="DATE")
    gen.add_argument("--to", dest="date_to", type=date_arg, metavar="DATE")
    gen.add_argument("--month", type=_month, metavar="YYYY-MM", help="instead of --from/--to")
    gen.add_argument("--slots", default="", metavar="A,B", help="slot names of a day")
    gen.add_argument("--days", choices=("workdays", "daily"), default="workdays")
    gen.add_argument("--json", action="store_true")
    gen.set_defaults(handler=cmd_roster_generate)
    rlist = rsub.add_parser("list", parents=[common], help="the stored rosters, newest first")
    rlist.add_argument("--team", metavar="TEAM")
    rlist.add_argument("--json", action="store_true")
    rlist.set_defaults(handler=cmd_roster_list)
    rshow = rsub.add_parser("show", parents=[common], help="one roster with its fairness")
    rshow.add_argument("roster_id", metavar="ID", help="the id or its first characters")
    rshow.add_argument("--json", action="store_true")
    rshow.set_defaults(handler=cmd_roster_show)


def _roster_json(r: Any) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "team": r.team_name,
        "from": r.starts_on,
        "to": r.ends_on,
        "days": r.days,
        "slots": list(r.slots),
        "duties": r.duty_count,
        "unfilled": r.unfilled,
        "printed_at": r.printed_at,
        "edited_at": r.edited_at,
        "changed_after_print": r.changed_after_print,
    }


def _detail_json(detail: Any) -> dict[str, Any]:
    return _roster_json(detail.roster) | {
        "spread": detail.spread,
        "rows": [
            {
                "id": str(d.id),
                "date": d.day,
                "slot": d.slot,
                "person": d.person_name,
                "phone": d.phone,
                "signed_hours": None
                if d.signed_minutes is None
                else round(d.signed_minutes / 60, 2),
            }
            for d in detail.duties
        ],
        "fairness": [
            {
                "person": f.name,
                "duties": f.duties,
                "unavailable_days": f.unavailable_days,
                "deviation": f.deviation,
            }
            for f in detail.fairness
        ],
    }


def _print_detail(detail: Any) -> None:
    r = detail.roster
    out(_("{team}: {first} to {last}").format(team=r.team_name, first=r.starts_on, last=r.ends_on))
    if r.changed_after_print:
        out(_("Changed after it was printed: print it again."))
    nobody = _("(nobody available)")
    for d in detail.duties:
        out(f"{d.day}\t{d.slot}\t{d.person_name or nobody}\t{d.phone}")
    out(_("Fairness (duties per person; spread {spread}):").format(spread=detail.spread))
    for f in detail.fairness:
        out(f"{f.name}\t{f.duties}\t{f.deviation:+.1f}")


def cmd_roster_generate(args: argparse.Namespace) -> int:
    first, last = args.month if args.month else (args.date_from, args.date_to)
    if first is None or last is None:
        raise UserError(_("Give the period: --from and --to, or --month."))
    services = open_services(args)
    slots = tuple(s for s in args.slots.replace("，", ",").split(",") if s.strip())
    team = services.stewards.find_team(args.team)
    detail = services.rosters.generate(team.id, first, last, slots=slots, days=args.days)
    if args.json:
        out_json(_detail_json(detail))
    else:
        _print_detail(detail)
        out(_("Saved as roster {id}.").format(id=detail.roster.id))
    return 0


def cmd_roster_list(args: argparse.Namespace) -> int:
    services = open_services(args)
    team_id = services.stewards.find_team(args.team).id if args.team else None
    rows = services.rosters.rosters(team_id)
    if args.json:
        out_json([_roster_json(r) for r in rows])
        return 0
    for r in rows:
        flag = _("changed after printing") if r.changed_after_print else ""
        out(f"{str(r.id)[:13]}\t{r.team_name}\t{r.starts_on}\t{r.ends_on}\t{r.duty_count}\t{flag}")
    return 0


def cmd_roster_show(args: argparse.Namespace) -> int:
    services = open_services(args)
    detail = services.rosters.detail(roster_id(services, args.roster_id))
    if args.json:
        out_json(_detail_json(detail))
    else:
        _print_detail(detail)
    return 0
