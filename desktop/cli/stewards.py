# SPDX-License-Identifier: GPL-3.0-or-later
"""Commands of the stewards area: `roster …`, `service …`, `stewards list`, `households list`.

Thin shells over the same services as the window (models.*_service); no Qt, nothing heavy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import uuid
from typing import Any

from desktop.cli.main import actor, current_branch, open_database, out, out_json
from desktop.errors import NotFound, UserError
from desktop.i18n import _


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a date; write it as 2026-03-01.").format(text=text)
        ) from None


def _month(text: str) -> tuple[dt.date, dt.date]:
    try:
        first = dt.date.fromisoformat(text + "-01")
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a month; write it as 2026-03.").format(text=text)
        ) from None
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return first, last


def _filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
    parser.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
    parser.add_argument("--person", metavar="NAME", help="a team member's name")
    parser.add_argument("--group", metavar="N", type=int, help="a party group's number")
    parser.add_argument("--household", metavar="NAME", help="the head of household's name")
    parser.add_argument("--kind", metavar="CODE", help="visit, cleaning, mediation, …")
    parser.add_argument("--json", action="store_true")


def add_commands(sub: Any, common: argparse.ArgumentParser) -> dict[tuple[str, str], Any]:
    roster = sub.add_parser("roster", parents=[common], help="duty rosters of the service teams")
    rsub = roster.add_subparsers(dest="action", metavar="ACTION", required=True)
    gen = rsub.add_parser("generate", parents=[common], help="make a fair roster for a period")
    gen.add_argument(
        "--team",
        required=True,
        metavar="TEAM",
        help="party group number, steward's name or team name",
    )
    gen.add_argument("--from", dest="date_from", type=_date, metavar="DATE")
    gen.add_argument("--to", dest="date_to", type=_date, metavar="DATE")
    gen.add_argument("--month", type=_month, metavar="YYYY-MM", help="instead of --from/--to")
    gen.add_argument("--slots", default="", metavar="A,B", help="slot names of a day")
    gen.add_argument("--days", choices=("workdays", "daily"), default="workdays")
    gen.add_argument("--json", action="store_true")
    rlist = rsub.add_parser("list", parents=[common], help="the stored rosters, newest first")
    rlist.add_argument("--team", metavar="TEAM")
    rlist.add_argument("--json", action="store_true")
    rshow = rsub.add_parser("show", parents=[common], help="one roster with its fairness")
    rshow.add_argument("roster_id", metavar="ID", help="the id or its first characters")
    rshow.add_argument("--json", action="store_true")

    service = sub.add_parser("service", parents=[common], help="the service log")
    ssub = service.add_subparsers(dest="action", metavar="ACTION", required=True)
    slist = ssub.add_parser("list", parents=[common], help="services, newest first")
    _filters(slist)
    ssum = ssub.add_parser("sum", parents=[common], help="records and hours per …")
    ssum.add_argument("--by", choices=("person", "group", "household", "kind"), default="person")
    _filters(ssum)
    sadd = ssub.add_parser("add", parents=[common], help="record a service")
    sadd.add_argument("--date", type=_date, default=None, metavar="DATE", help="default: today")
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

    stewards = sub.add_parser("stewards", parents=[common], help="the red stewards")
    stsub = stewards.add_subparsers(dest="action", metavar="ACTION", required=True)
    stlist = stsub.add_parser("list", parents=[common], help="current stewards")
    stlist.add_argument("--history", action="store_true", help="past appointments too")
    stlist.add_argument("--json", action="store_true")
    households = sub.add_parser("households", parents=[common], help="households of the areas")
    hsub = households.add_subparsers(dest="action", metavar="ACTION", required=True)
    hlist = hsub.add_parser("list", parents=[common], help="households and their carers")
    hlist.add_argument(
        "--overdue",
        action="store_true",
        help="only flagged households not visited within their interval",
    )
    hlist.add_argument("--json", action="store_true")
    return {
        ("roster", "generate"): cmd_roster_generate,
        ("roster", "list"): cmd_roster_list,
        ("roster", "show"): cmd_roster_show,
        ("service", "list"): cmd_service_list,
        ("service", "sum"): cmd_service_sum,
        ("service", "add"): cmd_service_add,
        ("stewards", "list"): cmd_stewards_list,
        ("households", "list"): cmd_households_list,
    }


def _open(args: argparse.Namespace) -> tuple[Any, Any]:
    db = open_database(args)
    return db, current_branch(db)


def _roster_json(detail: Any) -> dict[str, Any]:
    r = detail.roster
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
    return _roster_json(detail) | {
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
    from desktop.models.stewards import rosters, teams

    first, last = args.month if args.month else (args.date_from, args.date_to)
    if first is None or last is None:
        raise UserError(_("Give the period: --from and --to, or --month."))
    db, branch = _open(args)
    slots = tuple(s for s in args.slots.replace("，", ",").split(",") if s.strip())
    with db.unit_of_work(actor()) as session:
        team = teams.find_team(session, branch.id, args.team)
        detail = rosters.generate_roster(session, team.id, first, last, slots=slots, days=args.days)
    if args.json:
        out_json(_detail_json(detail))
    else:
        _print_detail(detail)
        out(_("Saved as roster {id}.").format(id=detail.roster.id))
    return 0


def cmd_roster_list(args: argparse.Namespace) -> int:
    from desktop.models.stewards import rosters, teams

    db, branch = _open(args)
    with db.read() as session:
        team_id = teams.find_team(session, branch.id, args.team).id if args.team else None
        rows = rosters.list_rosters(session, branch.id, team_id)
    if args.json:
        out_json([_roster_json(type("D", (), {"roster": r})) for r in rows])
        return 0
    for r in rows:
        flag = _("changed after printing") if r.changed_after_print else ""
        out(f"{str(r.id)[:13]}\t{r.team_name}\t{r.starts_on}\t{r.ends_on}\t{r.duty_count}\t{flag}")
    return 0


def _roster_id(session: Any, branch_id: uuid.UUID, text: str) -> uuid.UUID:
    from desktop.models.stewards import rosters

    matches = [
        r.id
        for r in rosters.list_rosters(session, branch_id)
        if str(r.id).startswith(text.strip().lower())
    ]
    if len(matches) != 1:
        raise NotFound(
            _(
                "No single roster has an id starting with {text}; see 'red-steward roster list'."
            ).format(text=text)
        )
    return matches[0]


def cmd_roster_show(args: argparse.Namespace) -> int:
    from desktop.models.stewards import rosters

    db, branch = _open(args)
    with db.read() as session:
        detail = rosters.roster_detail(session, _roster_id(session, branch.id, args.roster_id))
    if args.json:
        out_json(_detail_json(detail))
    else:
        _print_detail(detail)
    return 0


def _person(session: Any, branch_id: uuid.UUID, name: str) -> uuid.UUID:
    from desktop.models.stewards import teams

    found = [
        v.id
        for t in teams.list_teams(session, branch_id)
        for v in teams.list_volunteers(session, t.id)
        if v.name == name.strip()
    ]
    if len(found) != 1:
        raise NotFound(_("No single team member is called {name}.").format(name=name))
    return found[0]


def _household(session: Any, branch_id: uuid.UUID, name: str) -> uuid.UUID:
    from desktop.models.stewards import households

    found = [
        h.id
        for h in households.list_households(session, branch_id)
        if name.strip() in (h.head_name, h.address)
    ]
    if len(found) != 1:
        raise NotFound(_("No single household has the head or address {name}.").format(name=name))
    return found[0]


def _query(session: Any, branch_id: uuid.UUID, args: argparse.Namespace) -> Any:
    from sqlalchemy import select

    from desktop.models.register.branch import PartyGroup
    from desktop.models.stewards.rows import ServiceQuery

    group_id = None
    if args.group is not None:
        group_id = session.scalar(
            select(PartyGroup.id).where(
                PartyGroup.branch_id == branch_id,
                PartyGroup.number == args.group,
                ~PartyGroup.deleted,
            )
        )
        if group_id is None:
            raise NotFound(_("There is no party group number {n}.").format(n=args.group))
    return ServiceQuery(
        date_from=args.date_from,
        date_to=args.date_to,
        kind=args.kind,
        party_group_id=group_id,
        volunteer_id=_person(session, branch_id, args.person) if args.person else None,
        household_id=_household(session, branch_id, args.household) if args.household else None,
    )


def cmd_service_list(args: argparse.Namespace) -> int:
    from desktop.models.stewards import service_records

    db, branch = _open(args)
    with db.read() as session:
        rows = service_records.list_services(session, branch.id, _query(session, branch.id, args))
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
    from desktop.models.stewards import service_records

    db, branch = _open(args)
    with db.read() as session:
        rows = service_records.sum_services(
            session, branch.id, args.by, _query(session, branch.id, args)
        )
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
    from desktop.models.stewards import service_records
    from desktop.models.stewards.rows import ServiceDraft

    db, branch = _open(args)
    with db.unit_of_work(actor()) as session:
        draft = ServiceDraft(
            served_on=args.date or dt.date.today(),
            kind=args.kind,
            minutes=round(args.hours * 60),
            notes=args.notes,
            volunteer_ids=tuple(_person(session, branch.id, p) for p in args.person),
            household_ids=tuple(_household(session, branch.id, h) for h in args.household),
            fulfils_commitment=args.fulfils_commitment,
        )
        row = service_records.record_service(session, branch.id, draft)
    out(
        _("Recorded {kind} on {date} by {people}.").format(
            kind=row.kind_label, date=row.served_on, people="、".join(row.people)
        )
    )
    return 0


def cmd_stewards_list(args: argparse.Namespace) -> int:
    from desktop.models.stewards import appointments
    from desktop.models.stewards.steward import COMMITMENT_STAGES, ROLES

    db, branch = _open(args)
    with db.read() as session:
        rows = appointments.list_stewards(session, branch.id, history=args.history)
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


def cmd_households_list(args: argparse.Namespace) -> int:
    from desktop.models.stewards import households

    db, branch = _open(args)
    with db.read() as session:
        rows = (
            households.overdue_households(session, branch.id)
            if args.overdue
            else households.list_households(session, branch.id)
        )
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
