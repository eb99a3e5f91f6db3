# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward import members|households FILE` and `red-steward export TABLE FILE`.

Import prints the preview the window shows (totals, then every problem with its sheet and row)
and writes only with no `--dry-run`; it exits 1 when nothing could be imported.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.common import date_arg, open_services, out, out_json, take_backup_after
from desktop.errors import UserError
from desktop.i18n import _, ngettext


def add_commands(subparsers: Any, common: argparse.ArgumentParser) -> None:
    imp = subparsers.add_parser(
        "import", parents=[common], help="import from a spreadsheet (.xlsx, .xls, .csv)"
    )
    isub = imp.add_subparsers(dest="action", metavar="TABLE", required=True)
    members = isub.add_parser(
        "members", parents=[common], help="members from a roster; prints the preview first"
    )
    members.add_argument("file", metavar="FILE", type=Path)
    members.add_argument(
        "--dry-run", action="store_true", help="print the preview and write nothing"
    )
    members.add_argument(
        "--strict",
        action="store_true",
        help="exit 3 when any row is not imported (rows with problems, rows not read)",
    )
    members.add_argument(
        "--on-match",
        choices=("update", "skip"),
        default="update",
        help="rows whose ID number is already in the register: update the "
        "member from the file (default) or leave the member as it is",
    )
    members.add_argument(
        "--sheet",
        action="append",
        metavar="NAME",
        default=None,
        help="import only this sheet (repeatable; default: every sheet with a header)",
    )
    members.add_argument(
        "--json", action="store_true", help="the preview (and the result) as JSON, for scripts"
    )

    households = isub.add_parser(
        "households",
        parents=[common],
        help="households from a household list; prints the preview first",
    )
    households.add_argument("file", metavar="FILE", type=Path)
    households.add_argument(
        "--dry-run", action="store_true", help="print the preview and write nothing"
    )
    households.add_argument(
        "--strict",
        action="store_true",
        help="exit 3 when any row is not imported (rows with problems, rows not read)",
    )
    households.add_argument(
        "--on-match",
        choices=("update", "skip"),
        default="update",
        help="rows whose head of household and address are already in the "
        "list: update the household from the file (default) or leave it "
        "as it is",
    )
    households.add_argument(
        "--sheet",
        action="append",
        metavar="NAME",
        default=None,
        help="import only this sheet (repeatable; default: every sheet with a header)",
    )
    households.add_argument(
        "--json", action="store_true", help="the preview (and the result) as JSON, for scripts"
    )

    # The table is checked when the command runs: the registry lives in desktop.tabular.export,
    # which imports the data core, and building the parser must stay fast.
    exp = subparsers.add_parser(
        "export", parents=[common], help="export a table to .xlsx or .csv (UTF-8 with BOM)"
    )
    exp.add_argument(
        "table",
        metavar="TABLE",
        help="members, households, groups, stewards, rosters (one row per duty) or service_log",
    )
    exp.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        help="the file to write; its extension (.xlsx or .csv) is the format",
    )
    exp.add_argument(
        "--from",
        dest="date_from",
        type=date_arg,
        metavar="DATE",
        default=None,
        help="rosters and service_log: only the rows on or after this day",
    )
    exp.add_argument(
        "--to",
        dest="date_to",
        type=date_arg,
        metavar="DATE",
        default=None,
        help="rosters and service_log: only the rows on or before this day",
    )
    members.set_defaults(handler=cmd_import_members)
    households.set_defaults(handler=cmd_import_households)
    exp.set_defaults(handler=cmd_export)


class UnknownTable(UserError):
    exit_code = 2


def _service(args: argparse.Namespace) -> Any:
    return open_services(args).tabular


def cmd_import_members(args: argparse.Namespace) -> int:
    return _import(args, "members")


def cmd_import_households(args: argparse.Namespace) -> int:
    return _import(args, "households")


def _import(args: argparse.Namespace, kind: str) -> int:
    from desktop.tabular.member_import import Action
    from desktop.tabular.report import report_lines

    service = _service(args)
    book = service.read(args.file)
    plan = service.preview(book, on_match=Action(args.on_match), sheets=args.sheet, kind=kind)
    say = (lambda text: None) if args.json else out
    for line in report_lines(plan, args.dry_run):
        say(line)
    counts = plan.counts()
    households = kind == "households"
    if not any(sheet.layout and sheet.included for sheet in plan.sheets):
        say(
            (
                _("No sheet with households was found in {name}.")
                if households
                else _("No sheet with members was found in {name}.")
            ).format(name=args.file.name)
        )
        code = 1
    elif not plan.to_write():
        nothing = counts[Action.INVALID] or not plan.rows
        say(
            _("Nothing could be imported.")
            if nothing
            else _("Nothing to write: the list already holds these households.")
            if households
            else _("Nothing to write: the register already holds these members.")
        )
        code = 1 if nothing else 0
    else:
        code = 0
    result = None
    if code == 0 and plan.to_write() and not args.dry_run:
        result = service.commit(plan)
        say(
            _("Imported: {created} added, {updated} updated.").format(
                created=result.created, updated=result.updated
            )
        )
        if result.party_groups_created:
            say(
                ngettext(
                    "{n} party group created.",
                    "{n} party groups created.",
                    result.party_groups_created,
                ).format(n=result.party_groups_created)
            )
        if households and result.villager_groups_created:
            say(
                ngettext(
                    "{n} villager group created.",
                    "{n} villager groups created.",
                    result.villager_groups_created,
                ).format(n=result.villager_groups_created)
            )
    if code == 0 and (plan.cut or (args.strict and counts[Action.INVALID])):
        # Exit 3: what could be imported was (or, with --dry-run, would be), but rows of the
        # file were left out: rows past the row cap were not read (always), or rows have
        # problems (with --strict).
        code = 3
    if args.json:
        out_json(_plan_json(plan, result))
    if result is not None:
        take_backup_after(result.backup_after)  # after the result: the clerk has it already
    return code


def _plan_json(plan: Any, result: Any) -> dict[str, Any]:
    return {
        "file": str(plan.path),
        "sheets": [
            {
                "name": s.name,
                "included": s.included,
                "problem": s.problem,
                "header_row": s.layout.header_row + 1 if s.layout else None,
                "columns": {str(c.index): c.field for c in s.layout.columns} if s.layout else {},
            }
            for s in plan.sheets
        ],
        "counts": {str(action): n for action, n in plan.counts().items()},
        "not_read": {s.name: s.cut for s in plan.sheets if s.cut},
        "rows": [_row_json(plan, r) for r in plan.rows],
        "written": None
        if result is None
        else {
            "created": result.created,
            "updated": result.updated,
            "party_groups_created": result.party_groups_created,
            **(
                {"villager_groups_created": result.villager_groups_created}
                if plan.kind == "households"
                else {}
            ),
        },
    }


def _row_json(plan: Any, r: Any) -> dict[str, Any]:
    key = {"address": r.address} if plan.kind == "households" else {"id_number": r.id_number}
    return {
        "sheet": r.sheet,
        "row": r.row_number,
        "name": r.name,
        **key,
        "action": str(r.action),
        "changed": list(r.changed),
        "errors": r.errors,
        "warnings": r.warnings,
    }


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.tabular import export

    if args.table not in export.TABLES:
        raise UnknownTable(
            _("There is no table named {name}. Tables: {names}.").format(
                name=args.table, names=", ".join(export.TABLES)
            )
        )
    export.export_format(args.file)
    export.check_period(export.TABLES[args.table], args.date_from, args.date_to)
    service = _service(args)
    n = service.export(args.table, args.file, args.date_from, args.date_to)
    out(
        ngettext("Exported {n} row to {path}.", "Exported {n} rows to {path}.", n).format(
            n=n, path=args.file
        )
    )
    return 0
