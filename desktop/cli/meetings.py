# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward meetings plan|list|show|add|attend|decide|decisions`: the branch's meetings.

Thin shells over MeetingService (the same service the window uses); no sessions, no SQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from desktop.cli.common import open_services, out, out_json
from desktop.errors import UserError
from desktop.i18n import _, ngettext

KIND_CODES = ("assembly", "committee", "group", "lecture", "theme_day", "life", "joint")
POST_CODES = ("secretary", "deputy", "organisation", "publicity", "discipline", "member")
AUDIENCE_CODES = ("members", "committee", "group", "stewards", "guests")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a date; write it as 2026-03-01.").format(text=text)
        ) from None


def _moment(text: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a time; write it as 2026-03-01 09:00.").format(text=text)
        ) from None


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    meetings = sub.add_parser(
        "meetings", parents=[common], help="meetings (三会一课, 主题党日, 联席会议) and decisions"
    )
    msub = meetings.add_subparsers(dest="action", metavar="ACTION", required=True)
    plan = msub.add_parser("plan", parents=[common], help="what is due or overdue this period")
    plan.add_argument("--today", type=_date, default=None, metavar="DATE")
    plan.add_argument("--json", action="store_true")
    mlist = msub.add_parser("list", parents=[common], help="meetings, newest first")
    mlist.add_argument("--year", type=int, default=None)
    mlist.add_argument("--kind", choices=KIND_CODES, default=None)
    mlist.add_argument("--json", action="store_true")
    show = msub.add_parser("show", parents=[common], help="one meeting with its attendance")
    show.add_argument("meeting_id", metavar="ID", help="the id or its first characters")
    show.add_argument("--json", action="store_true")
    add = msub.add_parser("add", parents=[common], help="plan a meeting, or record a held one")
    add.add_argument("--kind", choices=KIND_CODES, required=True)
    add.add_argument("--at", type=_moment, required=True, metavar="'YYYY-MM-DD HH:MM'")
    add.add_argument("--until", type=_moment, default=None, metavar="'YYYY-MM-DD HH:MM'")
    add.add_argument("--topic", default="")
    add.add_argument("--place", default="")
    add.add_argument("--chair", default="")
    add.add_argument("--recorder", default="")
    add.add_argument("--audience", choices=AUDIENCE_CODES, default="")
    add.add_argument("--group", type=int, default=None, metavar="N", help="party group number")
    add.add_argument("--agenda", default="")
    add.add_argument("--summary", default="")
    add.add_argument("--held", action="store_true", help="it has been held (else: planned)")
    add.add_argument("--json", action="store_true")
    attend = msub.add_parser("attend", parents=[common], help="record who attended")
    attend.add_argument("meeting_id", metavar="ID")
    attend.add_argument("--present", action="append", default=[], metavar="NAME")
    attend.add_argument("--leave", action="append", default=[], metavar="NAME[:REASON]")
    attend.add_argument("--absent", action="append", default=[], metavar="NAME[:REASON]")
    attend.add_argument("--guest", action="append", default=[], metavar="NAME[@ORGANISATION]")
    attend.add_argument(
        "--all-present", action="store_true", help="everyone else who should attend was there"
    )
    attend.add_argument("--json", action="store_true")
    decide = msub.add_parser("decide", parents=[common], help="add or change a decision")
    decide.add_argument("meeting_id", nargs="?", metavar="ID", help="the meeting (to add)")
    decide.add_argument("--decision", default=None, metavar="ID", help="the decision (to change)")
    decide.add_argument("--content", default=None)
    decide.add_argument("--owner", default=None)
    decide.add_argument("--due", type=_date, default=None, metavar="DATE")
    decide.add_argument("--state", choices=("open", "done", "dropped"), default=None)
    decide.add_argument("--notes", default=None)
    decide.add_argument(
        "--remove",
        action="store_true",
        help="with --decision: remove it (recorded by mistake; a decision not carried out "
        "is --state dropped)",
    )
    decide.add_argument("--json", action="store_true")
    dlist = msub.add_parser("decisions", parents=[common], help="decisions to follow up")
    dlist.add_argument("--state", choices=("open", "done", "dropped"), default=None)
    dlist.add_argument("--overdue", action="store_true")
    dlist.add_argument("--json", action="store_true")
    freq = msub.add_parser(
        "frequency", parents=[common], help="how often each kind of meeting is due (list, set)"
    )
    freq.add_argument("--kind", choices=KIND_CODES, default=None, help="the kind to set")
    freq.add_argument(
        "--every",
        type=int,
        choices=(0, 1, 2, 3, 4, 6, 12),
        default=None,
        metavar="MONTHS",
        help="months between meetings (1, 2, 3, 4, 6, 12; 0: not required)",
    )
    freq.add_argument(
        "--day", type=int, default=None, metavar="N", help="held by this day of the month"
    )
    freq.add_argument("--json", action="store_true")
    comm = msub.add_parser(
        "committee", parents=[common], help="the branch committee's seats (list, seat, end)"
    )
    comm.add_argument("--seat", default=None, metavar="NAME", help="put this member on it")
    comm.add_argument("--post", choices=POST_CODES, default="member")
    comm.add_argument("--since", type=_date, default=None, metavar="DATE")
    comm.add_argument("--end", default=None, metavar="ID", help="end this seat (id or prefix)")
    comm.add_argument(
        "--on", type=_date, default=None, metavar="DATE", help="with --end: its last day"
    )
    comm.add_argument("--all", action="store_true", help="also the seats that have ended")
    comm.add_argument("--json", action="store_true")
    town = msub.add_parser(
        "town",
        parents=[common],
        help="every branch this data folder holds (a town hub): meetings held against due",
    )
    town.add_argument("--year", type=int, default=None, metavar="YYYY", help="default: this year")
    town.add_argument("--today", type=_date, default=None, metavar="DATE")
    town.add_argument("--json", action="store_true")
    for parser, handler in (
        (plan, cmd_plan),
        (mlist, cmd_list),
        (show, cmd_show),
        (add, cmd_add),
        (attend, cmd_attend),
        (decide, cmd_decide),
        (dlist, cmd_decisions),
        (town, cmd_town),
        (freq, cmd_frequency),
        (comm, cmd_committee),
    ):
        parser.set_defaults(handler=handler)


def _service(args: argparse.Namespace) -> Any:

    return open_services(args).meetings


def _meeting_json(m: Any) -> dict[str, Any]:
    return {
        "id": str(m.id),
        "kind": m.kind,
        "kind_label": m.kind_label,
        "topic": m.topic,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "place": m.place,
        "chair": m.chair,
        "recorder": m.recorder,
        "audience": m.audience,
        "party_group": m.party_group_name,
        "held": m.held,
        "quorum": m.quorum,
        "expected": m.expected,
        "present": m.present,
        "leave": m.leave,
        "absent": m.absent,
        "open_decisions": m.open_decisions,
    }


def _decision_json(d: Any, today: dt.date) -> dict[str, Any]:
    return {
        "id": str(d.id),
        "meeting_id": str(d.meeting_id),
        "meeting_on": d.meeting_on,
        "content": d.content,
        "owner": d.owner,
        "due_on": d.due_on,
        "state": d.state,
        "done_on": d.done_on,
        "notes": d.notes,
        "overdue": d.overdue(today),
        "carried_to": str(d.carried_to_id) if d.carried_to_id else None,
    }


def _meeting_line(m: Any) -> str:
    state = (
        _("{present}/{expected} present").format(present=m.present, expected=m.expected)
        if m.held
        else _("planned")
    )
    return "\t".join([str(m.id)[:8], f"{m.starts_at:%Y-%m-%d %H:%M}", m.kind_label, m.topic, state])


def _decision_line(d: Any, today: dt.date) -> str:
    state = _("overdue") if d.overdue(today) else d.state_label
    due = d.due_on.isoformat() if d.due_on else ""
    return "\t".join([str(d.id)[:8], due, state, d.owner, d.content])


def cmd_plan(args: argparse.Namespace) -> int:
    service = _service(args)
    today = args.today or dt.date.today()
    due = service.due(today)
    overdue = service.overdue_decisions(today)
    make_ups = service.make_ups()
    if args.json:
        out_json(
            {
                "due": [
                    {
                        "kind": r.kind,
                        "kind_label": r.kind_label,
                        "every_months": r.months,
                        "period_start": r.period_start,
                        "period_end": r.period_end,
                        "due_on": r.due_on,
                        "state": r.state,
                        "held_on": r.held_on,
                        "previous_missed": r.previous_missed,
                        "missed_this_year": r.missed_this_year,
                    }
                    for r in due
                ],
                "overdue_decisions": [_decision_json(d, today) for d in overdue],
                "make_ups_open": len(make_ups),
            }
        )
        return 0
    states = {"held": _("held"), "due": _("due"), "overdue": _("overdue")}
    for r in due:
        line = [r.kind_label, states[r.state], _("by {date}").format(date=r.due_on.isoformat())]
        if r.held_on:
            line[2] = r.held_on.isoformat()
        if r.previous_missed:
            line.append(_("the previous period was missed"))
        out("\t".join(line))
    if overdue:
        out(
            ngettext("{n} decision is overdue.", "{n} decisions are overdue.", len(overdue)).format(
                n=len(overdue)
            )
        )
    if make_ups:
        out(
            ngettext(
                "{n} member still has to make up a meeting.",
                "{n} members still have to make up a meeting.",
                len(make_ups),
            ).format(n=len(make_ups))
        )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    rows = _service(args).meetings(args.year, args.kind)
    if args.json:
        out_json([_meeting_json(m) for m in rows])
    else:
        for m in rows:
            out(_meeting_line(m))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    service = _service(args)
    detail = service.detail(service.find(args.meeting_id))
    today = dt.date.today()
    if args.json:
        value = _meeting_json(detail.meeting)
        value["agenda"], value["summary"] = detail.meeting.agenda, detail.meeting.summary
        value["attendance"] = [
            {
                "id": str(a.id),
                "name": a.name,
                "guest": a.is_guest,
                "organisation": a.guest_org,
                "state": a.state,
                "reason": a.reason,
                "made_up_on": a.made_up_on,
            }
            for a in detail.attendance
        ]
        value["unrecorded"] = [p.name for p in detail.unrecorded]
        value["decisions"] = [_decision_json(d, today) for d in detail.decisions]
        value["carried_over"] = [_decision_json(d, today) for d in detail.carried_over]
        out_json(value)
        return 0
    m = detail.meeting
    out(_meeting_line(m))
    for label, text in ((_("Place"), m.place), (_("Chair"), m.chair), (_("Recorder"), m.recorder)):
        if text:
            out(f"{label}: {text}")
    for a in detail.attendance:
        note = "；".join(x for x in (a.guest_org, a.reason) if x)
        out("\t".join(["", a.name, a.state_label, note]))
    if detail.unrecorded:
        out(
            _("Not recorded yet: {names}").format(
                names="、".join(p.name for p in detail.unrecorded)
            )
        )
    for d in (*detail.carried_over, *detail.decisions):
        out(_decision_line(d, today))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from desktop.models.meetings.rows import MeetingDraft

    service = _service(args)
    group_id = None
    if args.group is not None:
        found = [gid for gid, number, _name in service.party_groups() if number == args.group]
        if not found:
            raise UserError(_("There is no party group {n}.").format(n=args.group))
        group_id = found[0]
    row = service.save(
        MeetingDraft(
            kind=args.kind,
            starts_at=args.at,
            ends_at=args.until,
            topic=args.topic,
            place=args.place,
            chair=args.chair,
            recorder=args.recorder,
            audience=args.audience or ("group" if group_id else ""),
            party_group_id=group_id,
            agenda=args.agenda,
            summary=args.summary,
            held=args.held,
        )
    )
    if args.json:
        out_json(_meeting_json(row))
    else:
        out(_("Saved the meeting {id}.").format(id=str(row.id)[:8]))
    return 0


def _split(text: str, sep: str) -> tuple[str, str]:
    name, _sep, rest = text.partition(sep)
    return name.strip(), rest.strip()


def cmd_attend(args: argparse.Namespace) -> int:
    from desktop.models.meetings.rows import AttendanceEntry

    service = _service(args)
    meeting_id = service.find(args.meeting_id)
    by_name: dict[str, list[Any]] = {}
    for member_id, name in service.members():
        by_name.setdefault(name, []).append(member_id)

    def member(name: str) -> Any:
        found = by_name.get(name, [])
        if len(found) != 1:
            raise UserError(
                (
                    _("No member is called {name}.")
                    if not found
                    else _("More than one member is called {name}.")
                ).format(name=name)
            )
        return found[0]

    entries = [AttendanceEntry("present", member_id=member(n.strip())) for n in args.present]
    for state, values in (("leave", args.leave), ("absent", args.absent)):
        for text in values:
            name, reason = _split(text, ":")
            entries.append(AttendanceEntry(state, member_id=member(name), reason=reason))
    for text in args.guest:
        name, org = _split(text, "@")
        entries.append(AttendanceEntry("present", guest_name=name, guest_org=org))
    detail = service.attend(meeting_id, entries, all_present=args.all_present)
    m = detail.meeting
    if args.json:
        out_json(_meeting_json(m))
    else:
        out(_meeting_line(m))
        if m.quorum == "not_met":
            out(_("The meeting did not have a quorum."))
    return 0


def cmd_decide(args: argparse.Namespace) -> int:
    service = _service(args)
    today = dt.date.today()
    if args.decision:
        matches = [d for d in service.decisions() if str(d.id).startswith(args.decision.lower())]
        if len(matches) != 1:
            raise UserError(
                _("No single decision has an id starting with {text}.").format(text=args.decision)
            )
        if args.remove:
            service.remove_decision(matches[0].id)
            if args.json:
                out_json({"id": str(matches[0].id), "removed": True})
            else:
                out(_("Removed the decision {id}.").format(id=str(matches[0].id)[:8]))
            return 0
        changes: dict[str, Any] = {
            k: v
            for k, v in (
                ("content", args.content),
                ("owner", args.owner),
                ("state", args.state),
                ("notes", args.notes),
            )
            if v is not None
        }
        if args.due is not None:
            changes["due_on"] = args.due
        row = service.update_decision(matches[0].id, **changes)
    else:
        if args.remove:
            raise UserError(_("Name the decision to remove with --decision."))
        if not args.meeting_id or not args.content:
            raise UserError(_("Give the meeting's id and --content, or --decision to change one."))
        row = service.decide(
            service.find(args.meeting_id), args.content, args.owner or "", args.due
        )
    if args.json:
        out_json(_decision_json(row, today))
    else:
        out(_decision_line(row, today))
    return 0


def cmd_decisions(args: argparse.Namespace) -> int:
    service = _service(args)
    today = dt.date.today()
    rows = service.overdue_decisions(today) if args.overdue else service.decisions(args.state)
    if args.json:
        out_json([_decision_json(d, today) for d in rows])
    else:
        for d in rows:
            out(_decision_line(d, today))
    return 0


def cmd_town(args: argparse.Namespace) -> int:
    """Each branch's meetings of the year held against those due, where the current period
    stands, and its overdue decisions: what the town checks on its hub."""
    services = open_services(args)
    today = args.today or dt.date.today()
    year = args.year or today.year
    report = []
    for branch in services.branches.all():
        service = services.for_branch(branch).meetings
        report.append(
            (branch, service.held_against_due(year, today), service.overdue_decisions(today))
        )
    if args.json:
        out_json(
            [
                {
                    "branch_id": str(branch.id),
                    "branch": branch.name,
                    "town": branch.town,
                    "year": year,
                    "kinds": [
                        {
                            "kind": r.kind,
                            "kind_label": r.kind_label,
                            "every_months": r.months,
                            "held": r.held,
                            "due": r.due,
                            "now": r.now or None,
                        }
                        for r in rows
                    ],
                    "overdue_decisions": len(overdue),
                }
                for branch, rows, overdue in report
            ]
        )
        return 0
    if not report:
        out(_("This data folder holds no branch yet."))
    states = {"held": _("held"), "due": _("due"), "overdue": _("overdue"), "": ""}
    for branch, rows, overdue in report:
        out(_("{branch} ({town}), {year}").format(branch=branch.name, town=branch.town, year=year))
        for r in rows:
            held = _("{held} held of {due} due").format(held=r.held, due=r.due)
            line = ["", r.kind_label, held, states[r.now]]
            out("\t".join(line).rstrip("\t"))
        out(
            "\t"
            + ngettext(
                "{n} decision is overdue.", "{n} decisions are overdue.", len(overdue)
            ).format(n=len(overdue))
        )
    return 0


def cmd_frequency(args: argparse.Namespace) -> int:
    """List each kind's required frequency; with --kind and --every (or --day), set it."""
    service = _service(args)
    if args.kind is not None:
        current = next(f for f in service.frequencies() if f.kind == args.kind)
        months = args.every if args.every is not None else current.months
        day = args.day if args.day is not None else current.day
        service.set_frequency(args.kind, months, day or None)
    elif args.every is not None or args.day is not None:
        raise UserError(_("Name the kind of meeting to set with --kind."))
    rows = service.frequencies()
    if args.json:
        out_json(
            [
                {"kind": f.kind, "kind_label": f.kind_label, "every_months": f.months, "day": f.day}
                for f in rows
            ]
        )
        return 0
    from desktop.models.meetings.rows import EVERY

    for f in rows:
        every = _(EVERY.get(f.months, "")) or str(f.months)
        line = [f.kind_label, every]
        if f.day:
            line.append(_("by day {day}").format(day=f.day))
        out("\t".join(line))
    return 0


def cmd_committee(args: argparse.Namespace) -> int:
    """The committee's seats; --seat NAME --post POST puts a member on it, --end ID ends one."""
    service = _service(args)
    today = dt.date.today()
    if args.seat:
        matches = [mid for mid, name in service.members() if name == args.seat.strip()]
        if len(matches) != 1:
            raise UserError(
                (
                    _("No member is called {name}.")
                    if not matches
                    else _("More than one member is called {name}.")
                ).format(name=args.seat)
            )
        service.seat(matches[0], args.post, args.since or today)
    if args.end:
        found = [r for r in service.committee() if str(r.id).startswith(args.end.lower())]
        if len(found) != 1:
            raise UserError(
                _("No single committee seat has an id starting with {text}.").format(text=args.end)
            )
        service.end_seat(found[0].id, args.on or today - dt.timedelta(days=1))
    rows = service.committee(None if args.all else today)
    if args.json:
        out_json(
            [
                {
                    "id": str(r.id),
                    "member_id": str(r.member_id),
                    "name": r.name,
                    "post": r.post,
                    "post_label": r.post_label,
                    "since": r.started_on,
                    "until": r.ended_on,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        dates = (r.started_on.isoformat() if r.started_on else "") + (
            f" – {r.ended_on.isoformat()}" if r.ended_on else ""
        )
        out("\t".join([str(r.id)[:8], r.name, r.post_label, dates]).rstrip())
    return 0
