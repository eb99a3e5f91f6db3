# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward service list|sum|add`: the service log (服务台账).

People and households are named as the clerk types them in the window's entry line; the same
service methods find them (`find_volunteer`, `find_household`).
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from desktop.cli.common import date_arg, open_services, out, out_json
from desktop.errors import NotFound
from desktop.i18n import _


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=date_arg, metavar="DATE")
    parser.add_argument("--to", dest="date_to", type=date_arg, metavar="DATE")
    parser.add_argument("--person", metavar="NAME", help="a team member's name")
    parser.add_argument("--group", metavar="N", type=int, help="a party group's number")
    parser.add_argument("--household", metavar="NAME", help="the head of household's name")
    parser.add_argument("--kind", metavar="CODE", help="visit, cleaning, mediation, …")
    parser.add_argument("--json", action="store_true")


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    service = sub.add_parser("service", parents=[common], help="the service log")
    ssub = service.add_subparsers(dest="action", metavar="ACTION", required=True)
    slist = ssub.add_parser("list", parents=[common], help="services, newest first")
    _filters(slist)
    slist.set_defaults(handler=cmd_service_list)
    ssum = ssub.add_parser("sum", parents=[common], help="records and hours per …")
    ssum.add_argument("--by", choices=("person", "group", "household", "kind"), default="person")
    _filters(ssum)
    ssum.set_defaults(handler=cmd_service_sum)
    sadd = ssub.add_parser("add", parents=[common], help="record a service")
    sadd.add_argument("--date", type=date_arg, default=None, metavar="DATE", help="default: today")
    sadd.add_argument("--kind", default="visit", metavar="CODE")
    sadd.add_argument("--hours", type=float, default=1.0)
    sadd.add_argument("--person", action="append", required=True, metavar="NAME")
    sadd.add_argument("--household", action="append", default=[], metavar="NAME")
    sadd.add_argument("--notes", default="")
    sadd.add_argument(
        "--fulfils-commitment",
        action="store_true",
        help="count it towards the team steward's commitment of the year (践诺)",
    )
    sadd.set_defaults(handler=cmd_service_add)


def _person(services: Any, name: str) -> Any:
    found = services.service_log.find_volunteer(name)
    if found is None:
        raise NotFound(_("No single team member is called {name}.").format(name=name))
    return found


def _household(services: Any, name: str) -> Any:
    found = services.service_log.find_household(name)
    if found is None:
        raise NotFound(_("No single household has the head or address {name}.").format(name=name))
    return found


def _query(services: Any, args: argparse.Namespace) -> Any:
    from desktop.models.stewards.rows import ServiceQuery

    group_id = None
    if args.group is not None:
        group_id = services.branches.party_group_id(services.branch_id, args.group)
        if group_id is None:
            raise NotFound(_("There is no party group number {n}.").format(n=args.group))
    return ServiceQuery(
        date_from=args.date_from,
        date_to=args.date_to,
        kind=args.kind,
        party_group_id=group_id,
        volunteer_id=_person(services, args.person) if args.person else None,
        household_id=_household(services, args.household) if args.household else None,
    )


def cmd_service_list(args: argparse.Namespace) -> int:
    services = open_services(args)
    rows = services.service_log.records(_query(services, args))
    if args.json:
        out_json(
            [
                {
                    "id": str(r.id),
                    "date": r.served_on,
                    "kind": r.kind,
                    "kind_label": r.kind_label,
                    "minutes": r.minutes,
                    "hours": r.hours,
                    "people": r.people,
                    "households": r.households,
                    "group": r.party_group_name,
                    "notes": r.notes,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        out(
            f"{r.served_on}\t{r.kind_label}\t{r.hours:g}\t{'、'.join(r.people)}\t"
            f"{'、'.join(r.households)}\t{r.notes}"
        )
    out(
        _("{n} records, {hours} hours").format(
            n=len(rows), hours=round(sum(r.minutes for r in rows) / 60, 2)
        )
    )
    return 0


def cmd_service_sum(args: argparse.Namespace) -> int:
    services = open_services(args)
    rows = services.service_log.sums(args.by, _query(services, args))
    if args.json:
        out_json(
            [
                {
                    "key": r.key,
                    "label": r.label,
                    "records": r.records,
                    "minutes": r.minutes,
                    "hours": r.hours,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        out(f"{r.label}\t{r.records}\t{r.hours:g}")
    return 0


def cmd_service_add(args: argparse.Namespace) -> int:
    from desktop.models.stewards.rows import ServiceDraft

    services = open_services(args)
    draft = ServiceDraft(
        served_on=args.date or dt.date.today(),
        kind=args.kind,
        minutes=round(args.hours * 60),
        notes=args.notes,
        volunteer_ids=tuple(_person(services, p) for p in args.person),
        household_ids=tuple(_household(services, h) for h in args.household),
        fulfils_commitment=args.fulfils_commitment,
    )
    row = services.service_log.record(draft)
    out(
        _("Recorded {kind} on {date} by {people}.").format(
            kind=row.kind_label, date=row.served_on, people="、".join(row.people)
        )
    )
    return 0
