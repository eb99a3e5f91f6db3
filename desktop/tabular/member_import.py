# SPDX-License-Identifier: GPL-3.0-or-later
"""Importing members from a roster: a plan first (nothing written), then one transaction.

`plan_import` reads every row into a `MemberDraft`, runs the same normalisation and validation
as the member dialog, and matches rows to existing members by ID number. The clerk (or the
command line's `--on-match`) decides per matched row whether to update or skip it. `commit_import`
then writes the plan through `members.save_member` inside the caller's unit of work, so
the change log records every field exactly as for an edit in the window; any failure or a
cancellation raises and the unit of work rolls back: the register is as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import RowsInvalid, UserError, ValidationFailed
from desktop.i18n import N_, _, format_date
from desktop.models.register import members, validation
from desktop.models.register.branch import PartyGroup, VillagerGroup
from desktop.models.register.member import GENDERS, Member
from desktop.models.register.rows import MEMBER_FIELDS, MemberDraft, MemberRow
from desktop.models.store.base import uuid7
from desktop.tabular import readers, values
from desktop.tabular.groups import Groups as _Groups
from desktop.tabular.groups import create_party_group as _create_party_group
from desktop.tabular.groups import create_villager_group as _create_villager_group
from desktop.tabular.groups import sheet_group
from desktop.tabular.headers import (
    FIELD_LABELS,
    HOUSEHOLD_FIELD_LABELS,
    HeaderLayout,
    detect_header,
    field_for_header,
)
from desktop.tabular.readers import Formula, Sheet, Workbook
from desktop.tabular.values import CellProblem

if TYPE_CHECKING:
    from desktop.models.store.backup import BackupAfter

ProgressFn = Callable[[int, int], None]


class Action(enum.StrEnum):
    CREATE = "create"  # a new member
    UPDATE = "update"  # matches a member by ID number; the file's values are written
    SKIP = "skip"  # matches a member; left as it is, by choice
    UNCHANGED = "unchanged"  # matches a member whose fields already equal the file's
    DUPLICATE = "duplicate"  # the same member as an earlier row of the file, identical
    INVALID = "invalid"  # has errors; not imported
    IGNORED = "ignored"  # not a member row (no name and no ID number, a repeated header)


#: Actions that write.
WRITES = (Action.CREATE, Action.UPDATE)


@dataclasses.dataclass
class RowPlan:
    sheet: str
    #: The row's number as the spreadsheet shows it (1-based).
    row_number: int
    name: str
    id_number: str
    action: Action
    draft: MemberDraft | None = None
    errors: list[str] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    match_id: uuid.UUID | None = None
    match_name: str = ""
    #: Fields an update changes (or would change, when skipped).
    changed: tuple[str, ...] = ()
    #: Names of groups that do not exist yet and are created when this row is written.
    new_party_group: str | None = None
    new_villager_group: str | None = None
    #: The birth date column gave only a year and month (出生年月): the ID number has the day.
    birth_month_only: bool = False
    #: A household row's address (what, with the head's name, finds the household).
    address: str = ""

    @property
    def matched(self) -> bool:
        return self.match_id is not None and self.action in (Action.UPDATE, Action.SKIP)


@dataclasses.dataclass
class SheetPlan:
    name: str
    layout: HeaderLayout | None
    included: bool
    #: Why the sheet's rows are not imported (translated), or "".
    problem: str = ""
    #: What of the sheet was not read (translated), or "": its rows are imported all the same.
    cut: str = ""


@dataclasses.dataclass
class ImportPlan:
    path: Path
    encoding: str
    sheets: list[SheetPlan]
    rows: list[RowPlan]
    on_match: Action
    #: What the rows are: "members" or "households".
    kind: str = "members"
    #: Groups as the rows wrote them → the branch's group found by its number (一组 → 第一党小组).
    party_mapped: dict[str, str] = dataclasses.field(default_factory=dict)
    villager_mapped: dict[str, str] = dataclasses.field(default_factory=dict)

    @property
    def cut(self) -> bool:
        """Rows of an imported sheet were not read (the file is longer than the row cap)."""
        return any(sheet.cut and sheet.included for sheet in self.sheets)

    def counts(self) -> Counter[Action]:
        return Counter(row.action for row in self.rows)

    def decide(self, index: int, action: Action) -> None:
        """Update or skip one matched row (the preview's per-row choice)."""
        row = self.rows[index]
        if not row.matched or action not in (Action.UPDATE, Action.SKIP):
            raise ValueError(f"row {index} is not a matched row")
        row.action = action

    def to_write(self) -> list[RowPlan]:
        return [row for row in self.rows if row.action in WRITES]

    def new_party_groups(self) -> list[str]:
        return list(dict.fromkeys(r.new_party_group for r in self.to_write() if r.new_party_group))

    def new_villager_groups(self) -> list[str]:
        return list(
            dict.fromkeys(r.new_villager_group for r in self.to_write() if r.new_villager_group)
        )


@dataclasses.dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    party_groups_created: int
    villager_groups_created: int
    #: The backup of the committed import, still to take (`TabularService.commit` adds it).
    backup_after: BackupAfter | None = dataclasses.field(default=None, compare=False, repr=False)


class NothingToImport(UserError):
    pass


class ImportCancelled(UserError):
    def __init__(self) -> None:
        super().__init__(_("The import was cancelled. Nothing was changed."))


# ----------------------------------------------------------------------------- planning

MSG_NO_HEADER = N_(
    "No header row was found (a row with columns such as 姓名 and 身份证号): "
    "the sheet was not imported."
)
MSG_NEEDS_COLUMNS = N_("The sheet has no column of {fields}: choose it in the preview.")
MSG_NOT_A_MEMBER_ROW = N_("Not imported: the row has no name and no ID number.")
MSG_REPEATED_HEADER = N_("Not imported: the row repeats the header.")
MSG_CUT_UNKNOWN = N_(
    "Only the first {rows} rows were read; the rest of the sheet was not read and not imported."
)
MSG_CUT = N_("Only the first {rows} rows were read; rows not read and not imported: {unread}.")
MSG_TOTAL_ROW = N_("Skipped: a total row.")
MSG_FOOTER_ROW = N_("Skipped: a footer row (who filled in or checked the form, a date).")
MSG_DUPLICATE_SAME = N_("The same member as row {row}: only that row counts.")
MSG_DUPLICATE_DIFFERENT = N_(
    "The ID number is also in row {row}, with different details ({fields}): keep one of "
    "the rows and import again."
)
MSG_NEW_PARTY_GROUP = N_("The party group {name} does not exist yet: it will be created.")
MSG_NEW_VILLAGER_GROUP = N_("The villager group {name} does not exist yet: it will be created.")
MSG_GENDER_FROM_ID = N_(
    "The gender written ({written}) does not match the ID number: the ID number's gender "
    "({kept}) was kept."
)
MSG_BIRTH_FROM_ID = N_(
    "The birth date written ({written}) does not match the ID number: the ID number's date "
    "({kept}) was kept."
)
MSG_SAME_NAME = N_(
    "{name} is already in the register with another ID number: check that this is "
    "a different person."
)

_REQUIRED_COLUMNS = ("name", "id_number")
_DATE_FIELDS = values.DATE_FIELDS


#: Each kind of import's fields and their column labels.
LABELS = {"members": FIELD_LABELS, "households": HOUSEHOLD_FIELD_LABELS}


def field_label(field: str, kind: str = "members") -> str:
    return _(LABELS[kind][field])


def field_problem(field: str, message: str, kind: str = "members") -> str:
    """A row's problem as the preview lists it: the column's label, then what is wrong."""
    return _("{field}: {problem}").format(field=field_label(field, kind), problem=message)


def problem_text(problem: CellProblem) -> str:
    """A cell's problem, translated and filled in."""
    return _(problem.message).format(**problem.params)


@dataclasses.dataclass
class _Context:
    session: Session
    branch_id: uuid.UUID
    today: dt.date
    groups: _Groups
    #: The members holding the file's ID numbers and the live groups, read before the rows.
    facts: members.RegisterFacts
    #: The ID numbers `facts` was asked about.
    looked_up: set[str]
    #: Date, choice and yes/no cells read so far, by field, the value's type and the value: a
    #: roster repeats its genders, categories and dates on every row (#22). A cell that cannot
    #: be read is not remembered (it raises again, each time with its own problem).
    read_cells: dict[tuple[str, type, Any], Any] = dataclasses.field(default_factory=dict)
    #: The layout of the sheet being planned and its mapping (made once, not once a row).
    layout: HeaderLayout | None = None
    mapping: dict[int, str] = dataclasses.field(default_factory=dict)

    def mapping_of(self, layout: HeaderLayout) -> dict[int, str]:
        if layout is not self.layout:
            self.layout, self.mapping = layout, layout.mapping()
        return self.mapping

    def facts_for(self, id_number: str) -> members.RegisterFacts:
        """`facts`, which know about `id_number` (looked up now if the file's first reading
        missed it: never for a number read from the ID-number column as `_file_id_numbers`
        reads it)."""
        if id_number and id_number not in self.looked_up:
            self.looked_up.add(id_number)
            found = members.holders_of(self.session, self.branch_id, [id_number])
            self.facts.holders.update(found)
        return self.facts

    def match(self, id_number: str) -> MemberRow | None:
        """The member the row updates: the one holding its ID number (the last in the
        register's group order, should two hold it)."""
        holders = self.facts_for(id_number).holders.get(id_number) if id_number else None
        return holders[-1] if holders else None


def _id_number_cell(sheet: Sheet, index: int, column: int) -> str:
    """The row's ID number as the row is planned with it (normalised), or "" when the cell
    has none that parses."""
    raw = sheet.cell(index, column)
    try:
        check_formula(raw)
        return validation.normalize_id_number(values.id_number_cell(raw))
    except CellProblem:
        return ""


def _file_id_numbers(todo: Sequence[tuple[Sheet, HeaderLayout]]) -> set[str]:
    """Every ID number of the sheets' data rows."""
    numbers: set[str] = set()
    for sheet, layout in todo:
        column = column_of(layout.mapping(), "id_number")
        for index in range(layout.first_data_row, len(sheet.rows)):
            numbers.add(_id_number_cell(sheet, index, column))
    numbers.discard("")
    return numbers


#: Fields whose cells `_parse_cell` remembers (`_Context.read_cells`).
_REMEMBERED = frozenset((*_DATE_FIELDS, *values.CHOICE_FIELDS, *values.BOOL_FIELDS))
_UNREAD = object()


def _parse_cell(ctx: _Context, field: str, raw: Any, row: RowPlan) -> Any:
    check_formula(raw)
    if field == "id_number":
        return values.id_number_cell(raw)
    if field in _REMEMBERED:
        key = (field, type(raw), raw)
        read = ctx.read_cells.get(key, _UNREAD)
        if read is _UNREAD:
            read = ctx.read_cells[key] = (
                values.date_cell_precise(raw)
                if field in _DATE_FIELDS
                else values.member_value(field, raw)
            )
        if field not in _DATE_FIELDS:
            return read
        date, month_only = read
        if month_only and field == "birth_date":
            row.birth_month_only = True
        return date
    if field not in ("party_group_id", "villager_group_id"):
        # The one parser of member values, which the command line's FIELD=VALUE uses too.
        return values.member_value(field, raw)
    text = values.clean_text(values.cell_text(raw))
    if field == "party_group_id":
        group_id, new = ctx.groups.party_group(text)
        row.new_party_group = new
        return group_id
    group_id, new = ctx.groups.villager_group(text)
    row.new_villager_group = new
    return group_id


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
    mapping = ctx.mapping_of(layout)
    row = RowPlan(sheet.name, index + 1, "", "", Action.CREATE)
    name_cell = sheet.cell(index, column_of(mapping, "name"))
    row.name = values.clean_text(values.cell_text(name_cell))
    id_cell = sheet.cell(index, column_of(mapping, "id_number"))
    row.id_number = (
        values.cell_text(id_cell) if not values.is_number(id_cell) else values.shown_number(id_cell)
    )
    # A total or footer row has no valid ID number: only such rows are read for one.
    summary = (
        summary_row(cells)
        if validation.id_number_problem(row.id_number, ctx.today) is not None
        else None
    )
    if summary:
        row.action = Action.IGNORED
        row.warnings.append(_(summary))
        return row
    if not row.name and values.is_blank(id_cell):
        row.action = Action.IGNORED
        row.warnings.append(_(MSG_NOT_A_MEMBER_ROW))
        return row
    if field_for_header(row.name) == "name":
        row.action = Action.IGNORED
        row.warnings.append(_(MSG_REPEATED_HEADER))
        return row

    parsed: dict[str, Any] = {}
    problems: dict[str, str] = {}
    width = len(cells)
    for column, field in mapping.items():
        raw = cells[column] if column < width else None
        try:
            value = _parse_cell(ctx, field, raw, row)
        except CellProblem as problem:
            problems[field] = problem_text(problem)
            continue
        parsed[field] = value
    if "party_group_id" not in mapping.values() and any(sheet_group):
        parsed["party_group_id"], row.new_party_group = sheet_group

    id_number = validation.normalize_id_number(parsed.get("id_number", ""))
    birth = parsed.get("birth_date")
    if (
        row.birth_month_only
        and birth
        and validation.id_number_problem(id_number, ctx.today) is None
    ):
        from_id = validation.birth_date_from_id(id_number)
        if (from_id.year, from_id.month) == (birth.year, birth.month):
            parsed["birth_date"] = from_id
    match = ctx.match(id_number)
    if match is not None:
        # Blank cells leave the member's current value: an older sheet never erases data.
        base = match.draft
        parsed = {
            f: v
            for f, v in parsed.items()
            if not values.is_blank(sheet.cell(index, column_of(mapping, f)))
            or (f == "party_group_id" and "party_group_id" not in mapping.values())
        }
        if row.new_party_group:
            parsed.pop("party_group_id", None)
    else:
        base = MemberDraft()
    if (
        values.is_blank(sheet.cell(index, column_of(mapping, "status")))
        and "status" not in problems
    ):
        # No category given: a confirmation date means a full member, none a probationary one
        # (a matched member keeps their category unless the file confirms them).
        if parsed.get("confirmed_on") is not None:
            parsed["status"] = "full"
        elif match is None:
            parsed["status"] = "probationary"
    draft = members.normalize(base.replace(**parsed))
    draft = _id_stands(ctx, draft, row)
    facts = ctx.facts_for(draft.id_number)
    for field, message in facts.validate(draft, match.id if match else None, ctx.today).items():
        problems.setdefault(field, message)
    row.draft = draft
    row.id_number = draft.id_number or row.id_number
    if problems:
        row.action = Action.INVALID
        row.errors = [field_problem(f, m) for f, m in _in_field_order(problems)]
        return row

    if id_number.endswith("000"):
        row.warnings.append(field_problem("id_number", _(values.MSG_ID_ZEROED)))
    row.warnings.extend(members.warnings(draft, ctx.today).values())
    if row.new_party_group:
        row.warnings.append(_(MSG_NEW_PARTY_GROUP).format(name=row.new_party_group))
    if row.new_villager_group:
        row.warnings.append(_(MSG_NEW_VILLAGER_GROUP).format(name=row.new_villager_group))
    if match is None:
        return row  # `_warn_namesakes` looks for namesakes in the register, for all rows at once
    row.match_id, row.match_name = match.id, match.name
    row.changed = tuple(f for f in MEMBER_FIELDS if getattr(draft, f) != getattr(match.draft, f))
    if row.new_party_group:
        row.changed += ("party_group_id",)
    if row.new_villager_group and "villager_group_id" not in row.changed:
        row.changed += ("villager_group_id",)
    row.action = Action.UNCHANGED if not row.changed else Action.UPDATE
    return row


_TOTAL = re.compile(r"(合计|总计|小计|共计|总人数|人数合计)(:.*)?|共?\d+(人|名|户)")
_FOOTER = re.compile(r"(填表|填报|制表|审核|审批|报送|日期|负责人|联系人|签字|签名|盖章).*")


MSG_FORMULA = N_(
    "The cell holds the formula {formula} without its result: open the file in Excel or WPS, "
    "save it, then import again."
)


def check_formula(raw: Any) -> None:
    """A formula cell the file keeps without its result is reported as one (not as empty)."""
    if isinstance(raw, Formula):
        raise CellProblem(MSG_FORMULA, formula=str(raw))


def summary_row(cells: Sequence[Any]) -> str | None:
    """MSG_TOTAL_ROW or MSG_FOOTER_ROW when a cell of the row says it is one (合计, 共41人, 41人,
    填表人：…, 日期：…), else None. Only asked of rows without a valid ID number or address."""
    texts = [
        values.clean_text(values.cell_text(c)).replace(" ", "").replace("：", ":")
        for c in cells
        if isinstance(c, str) and c.strip()
    ]
    if any(_TOTAL.fullmatch(text) for text in texts):
        return MSG_TOTAL_ROW
    if texts and _FOOTER.fullmatch(texts[0]):
        return MSG_FOOTER_ROW
    return None


def _id_stands(ctx: _Context, draft: MemberDraft, row: RowPlan) -> MemberDraft:
    """A valid ID number's gender and birth date over contradicting cells, with a warning each.

    The check digit proves the number, so a cell that disagrees with it is the mistake.
    """
    if validation.id_number_problem(draft.id_number, ctx.today) is not None:
        return draft
    gender, birth = (
        validation.gender_from_id(draft.id_number),
        validation.birth_date_from_id(draft.id_number),
    )
    if draft.gender in GENDERS and draft.gender != gender:
        row.warnings.append(
            field_problem(
                "gender",
                _(MSG_GENDER_FROM_ID).format(
                    written=_(GENDERS[draft.gender]), kept=_(GENDERS[gender])
                ),
            )
        )
        draft = draft.replace(gender=gender)
    if draft.birth_date is not None and draft.birth_date != birth:
        row.warnings.append(
            field_problem(
                "birth_date",
                _(MSG_BIRTH_FROM_ID).format(
                    written=format_date(draft.birth_date), kept=format_date(birth)
                ),
            )
        )
        draft = draft.replace(birth_date=birth)
    return draft


def column_of(mapping: Mapping[int, str], field: str) -> int:
    """The column mapped to `field`; a column no row reaches when there is none."""
    for column, mapped in mapping.items():
        if mapped == field:
            return column
    return 1 << 30  # a column no row reaches: its cell reads as None


_column_of, _message = column_of, problem_text


def _in_field_order(problems: Mapping[str, str]) -> list[tuple[str, str]]:
    return sorted(problems.items(), key=lambda item: MEMBER_FIELDS.index(item[0]))


def mark_duplicates(
    rows: Sequence[RowPlan],
    key: Callable[[Any], Any],
    field: str = "id_number",
    different: str = MSG_DUPLICATE_DIFFERENT,
    same: str = MSG_DUPLICATE_SAME,
    kind: str = "members",
    comparable: Callable[[Any], Any] = lambda draft: draft,
) -> None:
    """Rows of the file with the same `key` of their draft: identical ones count once, others
    are errors (reported on `field`, with the messages `different` and `same`). Drafts are
    compared as `comparable` gives them."""
    first: dict[Any, RowPlan] = {}
    for row in rows:
        if row.draft is None or row.action == Action.IGNORED or not key(row.draft):
            continue
        earlier = first.setdefault(key(row.draft), row)
        if earlier is row:
            continue
        if comparable(earlier.draft) == comparable(row.draft) and _same_new_groups(earlier, row):
            row.action = Action.DUPLICATE
            row.errors = []
            row.warnings = [_(same).format(row=_row_ref(earlier, row.sheet))]
            continue
        fields = "、".join(
            field_label(f, kind) for f in _differing(earlier, row, comparable) if f in LABELS[kind]
        )
        for one, other in ((row, earlier), (earlier, row)):
            one.action = Action.INVALID
            one.errors.append(
                field_problem(
                    field,
                    _(different).format(row=_row_ref(other, one.sheet), fields=fields),
                    kind,
                )
            )


def _same_new_groups(one: RowPlan, other: RowPlan) -> bool:
    return (one.new_party_group, one.new_villager_group) == (
        other.new_party_group,
        other.new_villager_group,
    )


def _differing(
    one: RowPlan, other: RowPlan, comparable: Callable[[Any], Any] = lambda d: d
) -> list[str]:
    """The fields in which two rows' drafts differ (groups also by the new name they give)."""
    assert one.draft is not None and other.draft is not None
    first, second = comparable(one.draft), comparable(other.draft)
    fields = [
        f.name
        for f in dataclasses.fields(first)
        if getattr(first, f.name) != getattr(second, f.name)
    ]
    if one.new_party_group != other.new_party_group and "party_group_id" not in fields:
        fields.append("party_group_id")
    if one.new_villager_group != other.new_villager_group and "villager_group_id" not in fields:
        fields.append("villager_group_id")
    return fields


def _mark_duplicates(rows: Sequence[RowPlan]) -> None:
    """Rows of the file with the same ID number: identical ones count once, others are errors."""
    mark_duplicates(rows, lambda draft: draft.id_number)


def _row_ref(row: RowPlan, from_sheet: str) -> str:
    if row.sheet == from_sheet:
        return str(row.row_number)
    return _("{row} of sheet {sheet}").format(row=row.row_number, sheet=row.sheet)


def plan_import(
    session: Session,
    branch_id: uuid.UUID,
    book: Workbook,
    *,
    on_match: Action = Action.UPDATE,
    layouts: Mapping[str, HeaderLayout] | None = None,
    sheets: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> ImportPlan:
    """What importing `book` would do; reads the database, writes nothing.

    `layouts` replaces the detected header of a sheet (the preview's edited mapping); `sheets`
    limits the import to those sheets (by default every sheet with a header).
    """
    if on_match not in (Action.UPDATE, Action.SKIP):
        raise ValueError(on_match)
    # The register is read in a few queries, not one per row (#22): the members holding the
    # file's ID numbers and the live groups before the rows are planned (`prepare`), namesakes
    # after (`_warn_namesakes`).
    ctx = _Context(
        session,
        branch_id,
        today or dt.date.today(),
        _Groups(session, branch_id),
        members.RegisterFacts({}, set(), set()),
        set(),
    )

    def prepare(todo: Sequence[tuple[Sheet, HeaderLayout]]) -> None:
        ctx.looked_up = _file_id_numbers(todo)
        ctx.facts = members.register_facts(session, branch_id, ctx.looked_up)

    sheet_plans, rows = plan_sheets(
        book,
        ctx.groups,
        layouts,
        sheets,
        detect=detect_header,
        required=_REQUIRED_COLUMNS,
        no_header=MSG_NO_HEADER,
        kind="members",
        plan_row=lambda sheet, layout, index, group: _plan_row(ctx, sheet, layout, index, group),
        prepare=prepare,
    )
    _warn_namesakes(session, branch_id, rows)
    _mark_duplicates(rows)
    apply_on_match(rows, on_match)
    return ImportPlan(
        book.path,
        book.encoding,
        sheet_plans,
        rows,
        on_match,
        party_mapped=ctx.groups.party_mapped,
        villager_mapped=ctx.groups.villager_mapped,
    )


def _warn_namesakes(session: Session, branch_id: uuid.UUID, rows: Sequence[RowPlan]) -> None:
    """A new member whose name a member of the register has with another ID number: a
    warning (a namesake, or the same person with a mistyped number)."""
    new = [row for row in rows if row.action == Action.CREATE and row.draft is not None]
    held = members.id_numbers_by_name(session, branch_id, {row.draft.name for row in new})
    for row in new:
        if held.get(row.draft.name, set()) - {row.draft.id_number}:
            row.warnings.append(_(MSG_SAME_NAME).format(name=row.draft.name))


RowPlanner = Callable[
    [Sheet, HeaderLayout, int, tuple[uuid.UUID | None, str | None]], "RowPlan | None"
]


def plan_sheets(
    book: Workbook,
    groups: _Groups,
    layouts: Mapping[str, HeaderLayout] | None,
    sheets: Iterable[str] | None,
    *,
    detect: Callable[[Sheet], HeaderLayout | None],
    required: Sequence[str],
    no_header: str,
    kind: str,
    plan_row: RowPlanner,
    prepare: Callable[[Sequence[tuple[Sheet, HeaderLayout]]], None] | None = None,
) -> tuple[list[SheetPlan], list[RowPlan]]:
    """Each sheet's header (`detect`ed or given in `layouts`) and its rows, planned by `plan_row`.

    A sheet without a header, or without one of the `required` columns, is reported and left
    out; `sheets` limits the import to those sheets. A sheet without a party group column that
    is named after a party group (第二党小组) gives its rows that group. `prepare` is given the
    sheets whose rows are planned (with their headers) before the first row is.
    """
    chosen = set(sheets) if sheets is not None else None
    sheet_plans: list[SheetPlan] = []
    todo: list[tuple[Sheet, HeaderLayout]] = []
    for sheet in book.sheets:
        layout = (layouts or {}).get(sheet.name) or detect(sheet)
        included = layout is not None and (chosen is None or sheet.name in chosen)
        plan = SheetPlan(sheet.name, layout, included)
        sheet_plans.append(plan)
        if sheet.cut:
            plan.cut = (
                _(MSG_CUT_UNKNOWN).format(rows=f"{readers.MAX_ROWS:,}")
                if sheet.unread_rows is None
                else _(MSG_CUT).format(
                    rows=f"{readers.MAX_ROWS:,}", unread=f"{sheet.unread_rows:,}"
                )
            )
        if layout is None:
            if sheet.rows:
                plan.problem = _(no_header)
            continue
        missing = [f for f in required if f not in layout.mapping().values()]
        if missing:
            plan.problem = _(MSG_NEEDS_COLUMNS).format(
                fields="、".join(field_label(f, kind) for f in missing)
            )
            plan.included = False
            continue
        if included:
            todo.append((sheet, layout))
    if prepare is not None:
        prepare(todo)
    rows: list[RowPlan] = []
    for sheet, layout in todo:
        group: tuple[uuid.UUID | None, str | None] = (None, None)
        if "party_group_id" not in layout.mapping().values():
            group = sheet_group(groups, sheet.name)
        for index in range(layout.first_data_row, len(sheet.rows)):
            planned = plan_row(sheet, layout, index, group)
            if planned is not None:
                rows.append(planned)
    return sheet_plans, rows


def apply_on_match(rows: Iterable[RowPlan], on_match: Action) -> None:
    """`--on-match skip`: matched rows that would update are skipped instead."""
    for row in rows:
        if row.action == Action.UPDATE and on_match == Action.SKIP:
            row.action = Action.SKIP


# ----------------------------------------------------------------------------- writing


def commit_import(
    session: Session,
    branch_id: uuid.UUID,
    plan: ImportPlan,
    progress: ProgressFn | None = None,
    cancelled: threading.Event | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Write the plan's create and update rows in the caller's unit of work.

    The preview validated every row with the dialog's rules; only the register can have changed
    since. So every row is checked again against the register as it is now (who holds each ID
    number, which groups exist, whether a matched member is still there), in batches: a row
    that fails stops the import with its problem, and the caller's rollback leaves everything
    as it was. New members are added `BATCH_ROWS` at a time by `members.add_members` (one
    insert of the members and one of their change-log entries, the entries `save_member`
    writes); updated members are set on their ORM objects as `save_member` sets them, flushed
    every `BATCH_ROWS`. Progress and cancellation are per batch.
    """
    rows = plan.to_write()
    if not rows:
        raise NothingToImport(_("There is nothing to import."))
    party_ids, villager_ids = create_new_groups(session, branch_id, plan)
    updates = [row for row in rows if row.match_id is not None]
    creates = [row for row in rows if row.match_id is None]
    done = 0

    def batch_done(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, len(rows))

    loaded: dict[uuid.UUID, Member] = {}
    suspect = {id(row) for row in _stale_rows(session, branch_id, updates, loaded)}
    for start in range(0, len(updates), BATCH_ROWS):
        _check(cancelled)
        batch = updates[start : start + BATCH_ROWS]
        for row in batch:
            draft = with_new_groups(row, party_ids, villager_ids)
            if id(row) in suspect:
                try:
                    members.save_member(session, branch_id, draft, row.match_id, today)
                except ValidationFailed as error:
                    raise _no_longer(row, error.problems) from error
                continue
            assert row.match_id is not None
            member, draft = loaded[row.match_id], members.normalize(draft)
            for field in MEMBER_FIELDS:  # as save_member sets them, so the log says the same
                if getattr(member, field, None) != getattr(draft, field):
                    setattr(member, field, getattr(draft, field))
        session.flush()
        batch_done(len(batch))
    # Made up front and sorted, so that members keep the file's order among equals.
    new_ids = iter(sorted(uuid7() for _row in creates))
    for start in range(0, len(creates), BATCH_ROWS):
        _check(cancelled)
        batch = creates[start : start + BATCH_ROWS]
        drafts = [with_new_groups(row, party_ids, villager_ids) for row in batch]
        try:
            # Validated by the preview: only what the register's changes since can break is
            # checked again (the rules ran once, not twice).
            members.add_members(session, branch_id, drafts, today, new_ids, validated=True)
        except RowsInvalid as error:
            raise _no_longer(batch[min(error.rows)], error.problems) from error
        batch_done(len(batch))
    _check(cancelled)
    return ImportResult(len(creates), len(updates), len(party_ids), len(villager_ids))


def _check(cancelled: threading.Event | None) -> None:
    if cancelled is not None and cancelled.is_set():
        raise ImportCancelled()


def _no_longer(row: RowPlan, problems: Mapping[str, str]) -> UserError:
    return UserError(
        _(MSG_NO_LONGER).format(
            row=row.row_number, sheet=row.sheet, problem="; ".join(problems.values())
        )
    )


#: Members written per flush by `commit_import`. Each batch costs some queries and three
#: statements to prepare: at 10,000 rows, batches of 500 took 0.13 s more CPU than batches of
#: 2,000 on a quiet machine, 0.3 s under load; 2,000 still moves the progress bar five times.
BATCH_ROWS = 2000
#: Values per `IN (...)` of a query (below SQLite's limit of bound parameters).
_IN_CHUNK = 500


def _stale_rows(
    session: Session, branch_id: uuid.UUID, rows: Sequence[RowPlan], loaded: dict[uuid.UUID, Member]
) -> list[RowPlan]:
    """The rows the register's changes since the preview may have made invalid: an ID number
    another member now has, a group removed since, a matched member removed since. Fills
    `loaded` with the matched members still there (the rows that update them)."""
    numbers = sorted({row.draft.id_number for row in rows if row.draft is not None})
    holders: dict[str, set[uuid.UUID]] = {}
    for start in range(0, len(numbers), _IN_CHUNK):
        for number, member_id in session.execute(
            select(Member.id_number, Member.id).where(
                ~Member.deleted,
                Member.branch_id == branch_id,
                Member.id_number.in_(numbers[start : start + _IN_CHUNK]),
            )
        ):
            holders.setdefault(number, set()).add(member_id)
    matched = sorted({row.match_id for row in rows if row.match_id is not None})
    for start in range(0, len(matched), _IN_CHUNK):
        for member in session.scalars(
            select(Member).where(Member.id.in_(matched[start : start + _IN_CHUNK]))
        ):
            if not member.deleted:
                loaded[member.id] = member
    live_party = set(
        session.scalars(
            select(PartyGroup.id).where(~PartyGroup.deleted, PartyGroup.branch_id == branch_id)
        )
    )
    live_villager = set(
        session.scalars(
            select(VillagerGroup.id).where(
                ~VillagerGroup.deleted, VillagerGroup.branch_id == branch_id
            )
        )
    )
    stale = []
    for row in rows:
        draft = row.draft
        assert draft is not None
        if (
            holders.get(draft.id_number, set()) - {row.match_id}
            or (row.match_id is not None and row.match_id not in loaded)
            or (
                draft.party_group_id is not None
                and not row.new_party_group
                and draft.party_group_id not in live_party
            )
            or (
                draft.villager_group_id is not None
                and not row.new_villager_group
                and draft.villager_group_id not in live_villager
            )
        ):
            stale.append(row)
    return stale


MSG_NO_LONGER = N_(
    "Row {row} of sheet {sheet} can no longer be imported ({problem}). "
    "Nothing was changed; open the file again to see the new preview."
)


def create_new_groups(
    session: Session, branch_id: uuid.UUID, plan: ImportPlan
) -> tuple[dict[str, uuid.UUID], dict[str, uuid.UUID]]:
    """Create the groups the plan's rows to write name but the branch lacks; their ids by
    the name the rows gave (party groups, villager groups)."""
    party_ids = {
        name: _create_party_group(session, branch_id, name) for name in plan.new_party_groups()
    }
    villager_ids = {
        name: _create_villager_group(session, branch_id, name)
        for name in plan.new_villager_groups()
    }
    return party_ids, villager_ids


def with_new_groups(
    row: RowPlan, party_ids: Mapping[str, uuid.UUID], villager_ids: Mapping[str, uuid.UUID]
) -> Any:
    """The row's draft with the ids of the groups `create_new_groups` made for it."""
    assert row.draft is not None
    draft = row.draft
    if row.new_party_group:
        draft = draft.replace(party_group_id=party_ids[row.new_party_group])
    if row.new_villager_group:
        draft = draft.replace(villager_group_id=villager_ids[row.new_villager_group])
    return draft


def write_rows(
    session: Session,
    branch_id: uuid.UUID,
    plan: ImportPlan,
    save: Callable[[RowPlan, Any], None],
    progress: ProgressFn | None = None,
    cancelled: threading.Event | None = None,
    *,
    flush_every: int | None = None,
) -> ImportResult:
    """Create the plan's new groups, then `save` each row to write with its groups' ids.

    With `flush_every`, the session is flushed after that many rows and after the last.
    Raises (and so rolls the caller's unit of work back) when there is nothing to write or
    when `cancelled` is set; `progress` is called after each row.
    """
    rows = plan.to_write()
    if not rows:
        raise NothingToImport(_("There is nothing to import."))
    party_ids, villager_ids = create_new_groups(session, branch_id, plan)
    created = updated = 0
    total = len(rows)
    for done, row in enumerate(rows):
        if cancelled is not None and cancelled.is_set():
            raise ImportCancelled()
        save(row, with_new_groups(row, party_ids, villager_ids))
        if row.match_id is None:
            created += 1
        else:
            updated += 1
        if flush_every and (done + 1) % flush_every == 0:
            session.flush()
        if progress is not None:
            progress(done + 1, total)
    if flush_every:
        session.flush()
    if cancelled is not None and cancelled.is_set():
        raise ImportCancelled()
    return ImportResult(created, updated, len(party_ids), len(villager_ids))
