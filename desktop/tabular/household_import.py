# SPDX-License-Identifier: GPL-3.0-or-later
"""Importing households (户) from a household list: the member import's plan, then one write.

The machinery is the member import's (readers, header detection, cell values, groups, the
plan and its report, `write_rows`); what differs is the vocabulary of the header, the row's
fields and how a row finds the household it describes: households have no ID number, so a row
matches a household of the branch by its head's name and its address, compared without spaces
and full-width characters. A matched row updates the household (or is skipped); blank cells
keep what the household holds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import UserError
from desktop.i18n import N_, _
from desktop.models.register import validation
from desktop.models.stewards import households
from desktop.models.stewards.household import Household
from desktop.models.stewards.rows import HouseholdDraft
from desktop.tabular import values
from desktop.tabular.groups import Groups
from desktop.tabular.headers import (
    HOUSEHOLD_FIELD_LABELS,
    HOUSEHOLD_HEADERS,
    HeaderLayout,
    detect_header,
)
from desktop.tabular.member_import import (
    MSG_NEW_PARTY_GROUP,
    MSG_NEW_VILLAGER_GROUP,
    MSG_NO_LONGER,
    MSG_REPEATED_HEADER,
    Action,
    ImportPlan,
    ImportResult,
    ProgressFn,
    RowPlan,
    apply_on_match,
    check_formula,
    column_of,
    field_problem,
    mark_duplicates,
    plan_sheets,
    problem_text,
    summary_row,
    write_rows,
)
from desktop.tabular.readers import Sheet, Workbook
from desktop.tabular.values import CellProblem

KIND = "households"
HOUSEHOLD_FIELDS = tuple(HOUSEHOLD_FIELD_LABELS)
FLAG_FIELDS = ("elderly_alone", "low_income", "needs_visits")
_REQUIRED_COLUMNS = ("head_name",)

MSG_NO_HEADER = N_(
    "No header row was found (a row with columns such as 户主 and 住址): "
    "the sheet was not imported."
)
MSG_NOT_A_HOUSEHOLD_ROW = N_("Not imported: the row has no head of household and no address.")
MSG_DUPLICATE_SAME = N_("The same household as row {row}: only that row counts.")
MSG_DUPLICATE_DIFFERENT = N_(
    "The same head of household and address as row {row}, with different details "
    "({fields}): keep one of the rows and import again."
)
MSG_GONE = N_("the household was deleted")


def household_key(head_name: str, address: str) -> tuple[str, str]:
    """What finds a household: its head's name and its address, half-width, without spaces."""
    return (
        "".join(values.clean_text(head_name).split()),
        "".join(values.clean_text(address).split()),
    )


@dataclasses.dataclass
class _Context:
    groups: Groups
    existing: dict[tuple[str, str], tuple[uuid.UUID, HouseholdDraft]]


def _parse_cell(ctx: _Context, field: str, raw: Any, row: RowPlan) -> Any:
    check_formula(raw)
    if field in FLAG_FIELDS:
        return bool(values.flag_cell(raw))
    if field == "notes":
        return values.cell_text(raw).strip()
    text = values.clean_text(values.cell_text(raw))
    if field == "party_group_id":
        group_id, row.new_party_group = ctx.groups.party_group(text)
        return group_id
    if field == "villager_group_id":
        group_id, row.new_villager_group = ctx.groups.villager_group(text)
        return group_id
    if field == "head_name":
        return validation.normalize_name(text)
    return text


def _plan_row(
    ctx: _Context,
    sheet: Sheet,
    layout: HeaderLayout,
    index: int,
    sheet_group: tuple[uuid.UUID | None, str | None],
) -> RowPlan | None:
    cells = sheet.rows[index]
    if all(values.is_blank(c) for c in cells):
        return None
    mapping = layout.mapping()
    row = RowPlan(sheet.name, index + 1, "", "", Action.CREATE)
    row.name = values.clean_text(
        values.cell_text(sheet.cell(index, column_of(mapping, "head_name")))
    )
    row.address = values.clean_text(
        values.cell_text(sheet.cell(index, column_of(mapping, "address")))
    )
    summary = summary_row(cells)
    # A household's own cells may say 4人 (its size): with an address, only a head cell that
    # is itself a total or a footer makes the row one.
    head_cell = sheet.cell(index, column_of(mapping, "head_name"))
    if summary and (not row.address or summary_row([head_cell])):
        row.action = Action.IGNORED
        row.warnings.append(_(summary))
        return row
    if not row.name and not row.address:
        row.action = Action.IGNORED
        row.warnings.append(_(MSG_NOT_A_HOUSEHOLD_ROW))
        return row
    if HOUSEHOLD_HEADERS.field_for(row.name) == "head_name":
        row.action = Action.IGNORED
        row.warnings.append(_(MSG_REPEATED_HEADER))
        return row

    parsed: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for column, field in mapping.items():
        try:
            parsed[field] = _parse_cell(ctx, field, sheet.cell(index, column), row)
        except CellProblem as problem:
            problems[field] = problem_text(problem)
    if "party_group_id" not in mapping.values() and any(sheet_group):
        parsed["party_group_id"], row.new_party_group = sheet_group

    key = household_key(row.name, row.address)
    match = ctx.existing.get(key) if row.name else None
    if match is not None:
        # Blank cells leave the household's current value: an older list never erases data.
        # The head and address are the household's own spelling: the row only matched them.
        base = match[1]
        parsed = {
            f: v
            for f, v in parsed.items()
            if f not in ("head_name", "address")
            and (
                not values.is_blank(sheet.cell(index, column_of(mapping, f)))
                or (f == "party_group_id" and "party_group_id" not in mapping.values())
            )
        }
        if row.new_party_group:
            parsed.pop("party_group_id", None)
    else:
        base = HouseholdDraft()
    draft = households.normalize_household(base.replace(**parsed))
    for field, message in households.draft_problems(draft).items():
        problems.setdefault(field, message)
    row.draft = draft
    if problems:
        row.action = Action.INVALID
        row.errors = [
            field_problem(f, m, KIND)
            for f, m in sorted(problems.items(), key=lambda item: HOUSEHOLD_FIELDS.index(item[0]))
        ]
        return row
    if row.new_party_group:
        row.warnings.append(_(MSG_NEW_PARTY_GROUP).format(name=row.new_party_group))
    if row.new_villager_group:
        row.warnings.append(_(MSG_NEW_VILLAGER_GROUP).format(name=row.new_villager_group))
    if match is None:
        return row
    row.match_id, row.match_name = match[0], match[1].head_name
    row.changed = tuple(f for f in HOUSEHOLD_FIELDS if getattr(draft, f) != getattr(match[1], f))
    if row.new_party_group and "party_group_id" not in row.changed:
        row.changed += ("party_group_id",)
    if row.new_villager_group and "villager_group_id" not in row.changed:
        row.changed += ("villager_group_id",)
    row.action = Action.UNCHANGED if not row.changed else Action.UPDATE
    return row


def _existing(
    session: Session, branch_id: uuid.UUID
) -> dict[tuple[str, str], tuple[uuid.UUID, HouseholdDraft]]:
    stmt = (
        select(Household)
        .where(~Household.deleted, Household.branch_id == branch_id)
        .order_by(Household.id)
    )
    existing: dict[tuple[str, str], tuple[uuid.UUID, HouseholdDraft]] = {}
    for household in session.scalars(stmt):
        key = household_key(household.head_name, household.address)
        existing.setdefault(key, (household.id, households.draft_of(household)))
    return existing


def plan_household_import(
    session: Session,
    branch_id: uuid.UUID,
    book: Workbook,
    *,
    on_match: Action = Action.UPDATE,
    layouts: Mapping[str, HeaderLayout] | None = None,
    sheets: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> ImportPlan:
    """What importing the household list `book` would do; reads the database, writes nothing.

    The arguments are those of `plan_import`; the plan's `kind` is "households".
    """
    del today  # no field of a household depends on the date; kept for the same signature
    if on_match not in (Action.UPDATE, Action.SKIP):
        raise ValueError(on_match)
    ctx = _Context(Groups(session, branch_id), _existing(session, branch_id))
    sheet_plans, rows = plan_sheets(
        book,
        ctx.groups,
        layouts,
        sheets,
        detect=lambda sheet: detect_header(sheet, HOUSEHOLD_HEADERS),
        required=_REQUIRED_COLUMNS,
        no_header=MSG_NO_HEADER,
        kind=KIND,
        plan_row=lambda sheet, layout, index, group: _plan_row(ctx, sheet, layout, index, group),
    )
    mark_duplicates(
        rows,
        lambda d: household_key(d.head_name, d.address) if d.head_name else None,
        "head_name",
        MSG_DUPLICATE_DIFFERENT,
        MSG_DUPLICATE_SAME,
        KIND,
        # Rows with one key name one household: their head and address differ in spaces only.
        comparable=lambda d: d.replace(head_name="", address=""),
    )
    apply_on_match(rows, on_match)
    return ImportPlan(
        book.path,
        book.encoding,
        sheet_plans,
        rows,
        on_match,
        kind=KIND,
        party_mapped=ctx.groups.party_mapped,
        villager_mapped=ctx.groups.villager_mapped,
    )


def commit_household_import(
    session: Session,
    branch_id: uuid.UUID,
    plan: ImportPlan,
    progress: ProgressFn | None = None,
    cancelled: threading.Event | None = None,
) -> ImportResult:
    """Write the plan's new and updated households in the caller's unit of work.

    The change log records each household as for any edit. If a row's household was deleted,
    or a household with the same head and address was added, since the preview, the import
    stops with that row and the caller's rollback leaves everything as it was.
    """
    if plan.kind != KIND:
        raise ValueError(f"not a households plan: {plan.kind}")
    existing = _existing(session, branch_id)

    def save(row: RowPlan, draft: HouseholdDraft) -> None:
        fields = {f: getattr(draft, f) for f in HOUSEHOLD_FIELDS}
        key = household_key(draft.head_name, draft.address)
        if row.match_id is None:
            if key in existing:
                raise UserError(
                    _(MSG_NO_LONGER).format(
                        row=row.row_number,
                        sheet=row.sheet,
                        problem=_("the household is already in the list"),
                    )
                )
            household_id = households.save_household(session, branch_id, draft)
            existing[key] = (household_id, draft)
            return
        household = session.get(Household, row.match_id)
        if household is None or household.deleted:
            raise UserError(
                _(MSG_NO_LONGER).format(row=row.row_number, sheet=row.sheet, problem=_(MSG_GONE))
            )
        # The interval and the head's member record are not in a list: they stay as they are.
        current = households.get_household(session, row.match_id)
        households.save_household(session, branch_id, current.replace(**fields), row.match_id)

    return write_rows(session, branch_id, plan, save, progress, cancelled)
