# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward print board|roster|members`: the printed sheets as PDF files.

The same steps as the print centre: the data from the print service, then
`desktop.printing.jobs` (options, template, an all-or-nothing file). ReportLab is imported
when a sheet is rendered only, so the other commands start fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from desktop.cli.common import open_services, out, roster_id, warn
from desktop.errors import UserError
from desktop.i18n import _, ngettext

#: The sheets, as `desktop.models.documents.rows.DOCUMENTS` names them (not imported: building
#: the parser stays free of the data core, so `--help` and `--version` start fast).
DOCUMENTS = ("board", "roster", "members", "assessment", "meeting", "decisions", "meetings")


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    printing = sub.add_parser(
        "print",
        parents=[common],
        help="print a sheet to a PDF file (board, roster, members, assessment)",
    )
    psub = printing.add_subparsers(dest="action", metavar="DOCUMENT", required=True)
    helps = {
        "board": "the commitment board (红色管家承诺公示) for the notice board",
        "roster": "the duty roster sheet (值班表)",
        "members": "the member register (花名册)",
        "assessment": "the annual assessment (年度考核): results and forms, or blank sheets",
        "meeting": "a meeting's sign-in sheet (签到表) or minutes (会议记录)",
        "decisions": "the open decisions (议定事项) for the next joint meeting",
        "meetings": "the year's meeting register (会议登记): held, attendance, held against due",
    }
    for name in DOCUMENTS:
        doc = psub.add_parser(name, parents=[common], help=helps[name])
        doc.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF to write")
        doc.add_argument(
            "--paper",
            choices=("A4", "A3"),
            type=str.upper,
            default=None,
            help="paper size (board: A3; others: A4)",
        )
        turn = doc.add_mutually_exclusive_group()
        turn.add_argument(
            "--orientation",
            choices=("portrait", "landscape"),
            default=None,
            help="where the sheet offers both (the register is landscape only; "
            "default: the board landscape on A3, portrait on A4)",
        )
        turn.add_argument(
            "--landscape",
            action="store_const",
            const="landscape",
            dest="orientation",
            help="the same as --orientation landscape",
        )
        if name == "board":
            doc.add_argument(
                "--year",
                type=int,
                default=None,
                help="the commitments' year (default: the latest with commitments)",
            )
            doc.add_argument(
                "--qr",
                action="store_true",
                help="add a QR code with the board's stewards and phones",
            )
            doc.add_argument(
                "--draft",
                action="store_true",
                help="a draft for the branch meeting (草稿): also commitments not yet reviewed",
            )
        if name == "roster":
            doc.add_argument(
                "--roster",
                default=None,
                metavar="ID",
                help="the roster's id or its first characters "
                "(default: the newest; see 'red-steward roster list')",
            )
        if name == "assessment":
            doc.add_argument("--year", type=int, required=True, metavar="YYYY")
            doc.add_argument(
                "--blank", action="store_true", help="the blank scoring sheets, one per group"
            )
        if name == "meetings":
            doc.add_argument(
                "--year", type=int, default=None, metavar="YYYY", help="default: this year"
            )
        if name == "meeting":
            doc.add_argument("--id", required=True, metavar="ID", help="the meeting's id")
            doc.add_argument("--sheet", choices=("signin", "minutes"), default="signin")
        doc.set_defaults(handler=cmd_print)


def cmd_print(args: argparse.Namespace) -> int:
    from desktop.models.documents.service import NoRoster
    from desktop.printing import jobs

    services = open_services(args)
    document = args.action
    if document == "assessment" and args.blank:
        document = jobs.SCORE_SHEETS
    elif document == "meeting":
        document = jobs.MINUTES if args.sheet == "minutes" else jobs.SIGN_IN
    elif document == "meetings":
        document = jobs.MEETING_REGISTER
    if document == jobs.MEMBERS and args.orientation == "portrait":
        raise UserError(
            _("The member register is printed landscape only: its columns need the width.")
        )
    options = jobs.choose_options(
        document,
        paper=args.paper,
        landscape=None if args.orientation is None else args.orientation == "landscape",
        year=getattr(args, "year", None),
        qr=getattr(args, "qr", False),
        draft=getattr(args, "draft", False),
        roster_id=roster_id(services, args.roster) if getattr(args, "roster", None) else None,
        meeting_id=services.meetings.find(args.id)
        if document in (jobs.SIGN_IN, jobs.MINUTES)
        else None,
    )
    try:
        data = services.printing.sheet(
            options.document,
            dt.date.today(),
            year=options.year,
            roster_id=options.roster_id,
            meeting_id=options.meeting_id,
            draft=options.draft,
        )
    except NoRoster:
        raise UserError(
            _("There is no duty roster in {path} yet. Make one first, then print it.").format(
                path=services.db.path.parent
            )
        ) from None
    path = Path(args.out).expanduser().resolve()
    result = jobs.write_pdf(path, options, data)
    if result.missing_glyphs:
        warn(
            _("The font cannot print these characters; they show as empty boxes: {chars}").format(
                chars=" ".join(result.missing_glyphs)
            )
        )
    out(
        ngettext("Wrote {path} ({n} page).", "Wrote {path} ({n} pages).", result.pages).format(
            path=path, n=result.pages
        )
    )
    return 0
