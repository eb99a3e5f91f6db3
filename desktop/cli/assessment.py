# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward assessment rules|scorers|scores|results|finalise|reopen`: the annual assessment.

Thin shells over AssessmentService (the window's service); no session, no SQL here. The command
names and options are a contract with the town's scripts: add, never break.
"""

from __future__ import annotations

import argparse
import csv
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from desktop.cli.common import date_arg, open_services
from desktop.errors import UserError
from desktop.i18n import _, ngettext

ACTIONS = ("rules", "scorers", "scores", "results", "finalise", "reopen", "town")


def _points(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(
            _("{text} is not a number of points.").format(text=text)
        ) from None


def _mapping(text: str) -> dict[str, str]:
    """ "per=2" or "published=6,evaluated=10"."""
    pairs = [p.split("=", 1) for p in text.replace("，", ",").split(",") if p.strip()]
    if any(len(p) != 2 for p in pairs):
        raise argparse.ArgumentTypeError(
            _("Write the points as per=2, or as stage=points pairs: published=6,evaluated=10.")
        )
    return {k.strip(): v.strip() for k, v in pairs}


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    top = sub.add_parser("assessment", parents=[common], help="the annual assessment (年度考核)")
    asub = top.add_subparsers(dest="action", metavar="ACTION", required=True)
    parsers = {}
    helps = {
        "rules": "the year's rules (考核细则): list, open the year, add a rule",
        "scorers": "which groups score which stewards",
        "scores": "the sheets: start scoring, show a sheet, key one from a CSV, what is missing",
        "results": "totals, grades and ranks",
        "finalise": "grade the year and lock it",
        "reopen": "reopen a final year (a reason is required and logged)",
        "town": "every branch this data folder holds (a town hub): results and grades",
    }
    for name in ACTIONS:
        p = asub.add_parser(name, parents=[common], help=helps[name])
        p.add_argument("--year", type=int, required=True, metavar="YYYY")
        p.add_argument("--json", action="store_true")
        parsers[name] = p
    rules = parsers["rules"]
    rules.add_argument("--open", action="store_true", help="start the year (rules copied)")
    rules.add_argument("--copy-from", type=int, metavar="YYYY", help="with --open: copy that year")
    rules.add_argument("--add", metavar="NAME", help="add a rule with this name")
    rules.add_argument(
        "--source",
        choices=("party_group", "villager_group", "branch", "computed"),
        default="party_group",
    )
    rules.add_argument("--max", type=_points, metavar="POINTS", help="the item's maximum")
    rules.add_argument("--kind", choices=("item", "bonus", "deduction"), default="item")
    rules.add_argument("--weight", type=int, default=100, metavar="PERCENT")
    rules.add_argument("--description", default="")
    rules.add_argument(
        "--measure",
        choices=("services", "hours", "duties", "overdue_visits", "commitment"),
        default="",
    )
    rules.add_argument("--points", type=_mapping, default={}, metavar="MAPPING")
    rules.add_argument("--reason", default="", help="needed once scoring has started")
    rules.add_argument("--excellent-share", type=int, metavar="PERCENT")
    for grade, usual in (("excellent", 90), ("competent", 70), ("basic", 60)):
        rules.add_argument(
            f"--{grade}-min",
            type=_points,
            metavar="POINTS",
            help=f"the lowest total graded {grade} (default {usual})",
        )
    rules.add_argument("--drop-extremes", choices=("yes", "no"))
    rules.add_argument("--posted-from", type=date_arg, metavar="DATE")
    rules.add_argument("--posted-until", type=date_arg, metavar="DATE")
    parsers["scorers"].add_argument(
        "--default",
        action="store_true",
        help="every party group scores all; villager groups score the stewards serving their area",
    )
    scores = parsers["scores"]
    scores.add_argument("--start", action="store_true", help="lock the rules, make the sheets")
    scores.add_argument("--sheet", metavar="CODE", help="one sheet (2026-D1)")
    scores.add_argument(
        "--csv",
        type=Path,
        metavar="FILE",
        help="with --sheet: key the sheet from this CSV "
        "(first column the name, one column per item number or name)",
    )
    scores.add_argument("--missing", action="store_true", help="list the empty boxes")
    parsers["results"].add_argument(
        "--export",
        type=Path,
        metavar="FILE",
        help="also write the results to this .xlsx (or .csv) file: one row per steward",
    )
    parsers["finalise"].add_argument("--on", type=date_arg, default=None, metavar="DATE")
    parsers["reopen"].add_argument("--reason", required=True)
    handlers = {
        "rules": cmd_rules,
        "scorers": cmd_scorers,
        "scores": cmd_scores,
        "results": cmd_results,
        "finalise": cmd_finalise,
        "reopen": cmd_reopen,
        "town": cmd_town,
    }
    for name, parser in parsers.items():
        parser.set_defaults(handler=handlers[name])


def _service(args: argparse.Namespace) -> Any:
    return open_services(args).assessment


def _text(value: Decimal | None) -> str:
    from desktop.models.assessment.results import text

    return text(value)


def _rule_json(r: Any) -> dict[str, Any]:
    return {
        "id": str(r.id),
        "number": r.number,
        "name": r.name,
        "kind": r.kind,
        "source": r.source,
        "maximum": _text(r.maximum),
        "weight": r.weight,
        "measure": r.measure,
        "points": r.mapping,
        "description": r.description,
        "change_reason": r.change_reason,
    }


def cmd_rules(args: argparse.Namespace) -> int:
    from desktop.cli.common import out, out_json
    from desktop.models.assessment.assessment import SOURCES
    from desktop.models.assessment.rows import AssessmentOptions, RuleDraft

    service = _service(args)
    if args.open:
        service.open_year(args.year, args.copy_from)
    if args.add:
        if args.max is None:
            raise UserError(_("Give the item's maximum with --max."))
        draft = RuleDraft(
            name=args.add,
            source=args.source,
            maximum=args.max,
            kind=args.kind,
            weight=args.weight,
            description=args.description,
            measure=args.measure,
            mapping=args.points,
        )
        service.save_rule(args.year, draft, reason=args.reason)
    options = AssessmentOptions(
        drop_extremes=None if args.drop_extremes is None else args.drop_extremes == "yes",
        excellent_min=args.excellent_min,
        competent_min=args.competent_min,
        basic_min=args.basic_min,
        excellent_share=args.excellent_share,
        published_from=args.posted_from,
        published_until=args.posted_until,
    )
    if any(
        v is not None
        for v in (
            options.drop_extremes,
            options.excellent_min,
            options.competent_min,
            options.basic_min,
            options.excellent_share,
            options.published_from,
            options.published_until,
        )
    ):
        service.set_options(args.year, options)
    year = service.year(args.year)
    rows = service.rules(args.year)
    if args.json:
        grading = {
            "excellent_min": _text(year.excellent_min),
            "competent_min": _text(year.competent_min),
            "basic_min": _text(year.basic_min),
            "excellent_share": year.excellent_share,
            "drop_extremes": year.drop_extremes,
            "posted_from": year.published_from,
            "posted_until": year.published_until,
        }
        out_json(
            {
                "year": year.year,
                "state": year.state,
                "rules": [_rule_json(r) for r in rows],
                "grading": grading,
            }
        )
        return 0
    for r in rows:
        out(f"{r.number}\t{r.name}\t{_(SOURCES[r.source])}\t{_text(r.maximum)}\t{r.weight}%")
    return 0


def cmd_scorers(args: argparse.Namespace) -> int:
    from desktop.cli.common import out, out_json

    service = _service(args)
    rows = service.default_scorers(args.year) if args.default else service.scorers(args.year)
    if args.json:
        out_json(
            [
                {
                    "scorer_kind": r.scorer.kind,
                    "scorer": r.scorer.name,
                    "group_id": r.scorer.group_id,
                    "steward_id": r.steward_id,
                    "steward": r.steward_name,
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        out(f"{r.scorer.name}\t{r.steward_name}")
    return 0


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        with path.expanduser().open(encoding="utf-8-sig", newline="") as fh:
            lines = list(csv.reader(fh))
    except OSError as error:
        raise UserError(
            _("Could not read {path}: {reason}").format(path=path, reason=error.strerror or error)
        ) from error
    except UnicodeDecodeError as error:
        raise UserError(
            _('{path} is not a UTF-8 CSV file; save it as "CSV UTF-8" and try again.').format(
                path=path
            )
        ) from error
    if not lines:
        raise UserError(_("{path} is empty.").format(path=path))
    return lines[0], lines[1:]


def _grid_json(grid: Any) -> dict[str, Any]:
    names = dict(grid.stewards)
    rules = {r.id: r.name for r in grid.rules}
    return {
        "code": grid.sheet.code,
        "scorer": grid.sheet.scorer.name,
        "boxes": grid.sheet.boxes,
        "missing": grid.sheet.missing,
        "scores": [
            {
                "steward": names.get(b.steward_id, ""),
                "item": rules[b.rule_id],
                "score": None if b.value is None else _text(b.value),
            }
            for b in grid.boxes
        ],
    }


def cmd_scores(args: argparse.Namespace) -> int:
    from desktop.cli.common import out, out_json

    service = _service(args)
    if args.start:
        service.start_scoring(args.year)
    if args.csv is not None and not args.sheet:
        raise UserError(_("Name the sheet the CSV was typed from with --sheet."))
    if args.sheet:
        if args.csv is not None:
            header, table = _read_csv(args.csv)
            grid = service.key_table(args.year, args.sheet, header, table)
        else:
            grid = service.sheet(args.year, args.sheet)
        if args.json:
            out_json(_grid_json(grid))
            return 0
        out(f"{grid.sheet.code}\t{grid.sheet.scorer.name}")
        out("\t" + "\t".join(f"{r.number}.{r.name}" for r in grid.rules))
        for sid, name in grid.stewards:
            cells = [grid.box(sid, r.id) for r in grid.rules]
            out(
                name
                + "\t"
                + "\t".join("" if c is None or c.value is None else _text(c.value) for c in cells)
            )
        return 0
    if args.missing:
        empty = service.missing(args.year)
        if args.json:
            out_json([{"sheet": c, "steward": s, "item": i} for c, s, i in empty])
        else:
            for code, steward, item in empty:
                out(f"{code}\t{steward}\t{item}")
        return 0
    sheets = service.sheets(args.year)
    if args.json:
        out_json(
            [
                {
                    "code": s.code,
                    "scorer_kind": s.scorer.kind,
                    "scorer": s.scorer.name,
                    "stewards": s.stewards,
                    "boxes": s.boxes,
                    "missing": s.missing,
                }
                for s in sheets
            ]
        )
        return 0
    for s in sheets:
        out(
            f"{s.code}\t{s.scorer.name}\t"
            + ngettext("{n} box empty", "{n} boxes empty", s.missing).format(n=s.missing)
        )
    return 0


def _results_json(sheet: Any) -> dict[str, Any]:
    rules = {r.id: r for r in sheet.rules}
    return {
        "year": sheet.assessment.year,
        "state": sheet.assessment.state,
        "final": sheet.final,
        "missing": sheet.missing,
        "stewards": [
            {
                "steward_id": s.steward_id,
                "name": s.name,
                "post": s.post,
                "total": _text(s.total),
                "grade": s.grade,
                "grade_by_total": s.grade_by_total,
                "rank": s.rank,
                "items": [
                    {
                        "number": rules[i.rule_id].number,
                        "item": rules[i.rule_id].name,
                        "means": {k: _text(v) for k, v in i.means.items()},
                        "points": _text(i.points),
                        "counts": _text(i.contribution),
                        "scores": i.scores,
                        "missing": i.missing,
                    }
                    for i in s.items
                ],
            }
            for s in sheet.stewards
        ],
    }


def _print_results(sheet: Any) -> None:
    from desktop.cli.common import out
    from desktop.models.assessment.assessment import GRADES

    for s in sorted(sheet.stewards, key=lambda r: (r.rank, r.name)):
        out(f"{s.rank}\t{s.name}\t{s.post}\t{_text(s.total)}\t{_(GRADES[s.grade])}")
    if sheet.missing:
        out(
            ngettext("{n} box is still empty.", "{n} boxes are still empty.", sheet.missing).format(
                n=sheet.missing
            )
        )


def cmd_results(args: argparse.Namespace) -> int:
    from desktop.cli.common import out, out_json

    services = open_services(args)
    if args.export is not None:
        from desktop.tabular import export

        export.export_format(args.export)  # a wrong file type is refused before anything
    sheet = services.assessment.results(args.year)
    if args.json:
        out_json(_results_json(sheet))
    else:
        _print_results(sheet)
    if args.export is not None:
        path = args.export.expanduser()
        n = services.tabular.export_assessment(args.year, path)
        if not args.json:  # the output stays one JSON value
            out(
                ngettext(
                    "Exported {n} steward to {path}.", "Exported {n} stewards to {path}.", n
                ).format(n=n, path=path)
            )
    return 0


def cmd_finalise(args: argparse.Namespace) -> int:
    from desktop.cli.common import out, out_json

    sheet = _service(args).finalise(args.year, args.on)
    if args.json:
        out_json(_results_json(sheet))
    else:
        _print_results(sheet)
        out(_("The {year} assessment is final.").format(year=args.year))
    return 0


def cmd_reopen(args: argparse.Namespace) -> int:
    from desktop.cli.common import out, out_json

    service = _service(args)
    service.reopen(args.year, args.reason)
    row = service.year(args.year)
    if args.json:
        out_json({"year": row.year, "state": row.state, "reason": row.reopen_reason})
    else:
        out(_("The {year} assessment is open for scoring again.").format(year=args.year))
    return 0


def cmd_town(args: argparse.Namespace) -> int:
    """Each branch's results of the year (final or provisional): what the town sees on its
    hub, the same totals and grades as the branch's own `results`."""
    from desktop.cli.common import out, out_json
    from desktop.models.assessment.assessment import STATES

    services = open_services(args)
    report = []
    for branch in services.branches.all():
        service = services.for_branch(branch).assessment
        held = any(a.year == args.year for a in service.years())
        report.append((branch, service.results(args.year) if held else None))
    if args.json:
        out_json(
            [
                {"branch_id": str(branch.id), "branch": branch.name, "town": branch.town}
                | (_results_json(sheet) if sheet else {"year": args.year, "state": None})
                for branch, sheet in report
            ]
        )
        return 0
    if not report:
        out(_("This data folder holds no branch yet."))
    for branch, sheet in report:
        state = (
            _(STATES.get(sheet.assessment.state, sheet.assessment.state))
            if sheet is not None
            else _("no assessment")
        )
        out(
            _("{branch} ({town}), {year}: {state}").format(
                branch=branch.name, town=branch.town, year=args.year, state=state
            )
        )
        if sheet is None:
            continue
        _print_results(sheet)
    return 0
