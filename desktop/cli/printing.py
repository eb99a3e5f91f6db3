# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward print board|roster|members`: the printed sheets as PDF files.

ReportLab is imported inside the handlers only, so the other commands start fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from desktop.errors import UserError
from desktop.i18n import _, ngettext

DOCUMENTS = ("board", "roster", "members")


def add_commands(
    subparsers: Any, common: argparse.ArgumentParser
) -> dict[tuple[str, str | None], Any]:
    printing = subparsers.add_parser(
        "print", parents=[common], help="print a sheet to a PDF file (board, roster, members)"
    )
    psub = printing.add_subparsers(dest="action", metavar="DOCUMENT", required=True)
    helps = {
        "board": "the commitment board (红色管家承诺公示) for the notice board",
        "roster": "the duty roster sheet (值班表)",
        "members": "the member register (花名册)",
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
        doc.add_argument(
            "--landscape",
            action="store_true",
            default=None,
            help="landscape (the board and the register are landscape anyway)",
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
        if name == "roster":
            doc.add_argument(
                "--roster",
                default=None,
                metavar="ID",
                help="the roster's id or its first characters "
                "(default: the newest; see 'red-steward roster list')",
            )
    return {("print", name): cmd_print for name in DOCUMENTS}


def _write(path: Path, render: Any) -> Any:
    """Render to a temporary file beside `path`, then move it in: no half-written PDF left."""
    path = path.expanduser().resolve()
    if not path.parent.is_dir():
        raise UserError(_("The folder {folder} does not exist.").format(folder=path.parent))
    temporary = path.with_name(path.name + ".part")
    try:
        with temporary.open("wb") as out:
            result = render(out)
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UserError(
            _("Could not write {path}: {reason}").format(path=path, reason=error.strerror or error)
        ) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return result


def cmd_print(args: argparse.Namespace) -> int:
    from desktop.cli.main import current_branch, open_database, out

    db = open_database(args)
    branch = current_branch(db)
    today = dt.date.today()
    document = args.action
    if document == "board":
        from desktop.models.documents import sheets
        from desktop.printing.board import render_commitment_board

        with db.read() as session:
            years = sheets.commitment_years(session, branch.id)
            year = args.year or (years[0] if years else today.year)
            data = sheets.commitment_board(session, branch.id, year, today)
        paper = args.paper or "A3"
        landscape = True if args.landscape is None and paper == "A3" else bool(args.landscape)
        result = _write(
            Path(args.out),
            lambda f: render_commitment_board(
                data, f, paper=paper, landscape=landscape, qr=args.qr
            ),
        )
    elif document == "members":
        from desktop.models.documents import sheets
        from desktop.printing.register import render_member_register

        with db.read() as session:
            register = sheets.member_register(session, branch.id, today)
        result = _write(
            Path(args.out),
            lambda f: render_member_register(register, f, paper=args.paper or "A4", landscape=True),
        )
    else:
        from desktop.models.documents import sheets
        from desktop.models.stewards import rosters
        from desktop.printing.roster import render_roster_sheet

        with db.read() as session:
            found = rosters.list_rosters(session, branch.id)
            if args.roster:
                prefix = args.roster.strip().lower()
                found = [r for r in found if str(r.id).startswith(prefix)]
                if len(found) != 1:
                    raise UserError(
                        _(
                            "No single roster has an id starting with {text}; see "
                            "'red-steward roster list'."
                        ).format(text=args.roster)
                    )
            if not found:
                raise UserError(
                    _(
                        "There is no duty roster in {path} yet. Make one first, then print it."
                    ).format(path=db.path.parent)
                )
            sheet = sheets.roster_sheet(session, found[0].id, today)
        result = _write(
            Path(args.out),
            lambda f: render_roster_sheet(
                sheet, f, paper=args.paper or "A4", landscape=bool(args.landscape)
            ),
        )
    if result.missing_glyphs:
        sys.stderr.write(
            "red-steward: "
            + _("The font cannot print these characters; they show as empty boxes: {chars}").format(
                chars=" ".join(result.missing_glyphs)
            )
            + "\n"
        )
    out(
        ngettext("Wrote {path} ({n} page).", "Wrote {path} ({n} pages).", result.pages).format(
            path=Path(args.out).expanduser().resolve(), n=result.pages
        )
    )
    return 0
