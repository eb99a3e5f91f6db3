# SPDX-License-Identifier: GPL-3.0-or-later
"""The import preview as text: the same summary and problems the window shows."""

from __future__ import annotations

from desktop.i18n import _, ngettext
from desktop.tabular.headers import column_letter
from desktop.tabular.member_import import Action, ImportPlan, RowPlan, field_label


def summary(plan: ImportPlan) -> str:
    counts = plan.counts()
    if plan.kind == "households":
        parts = [
            ngettext("{n} new household", "{n} new households", counts[Action.CREATE]),
            ngettext("{n} household to update", "{n} households to update", counts[Action.UPDATE]),
            ngettext("{n} household skipped", "{n} households skipped", counts[Action.SKIP]),
            ngettext(
                "{n} household unchanged", "{n} households unchanged", counts[Action.UNCHANGED]
            ),
            ngettext("{n} row with problems", "{n} rows with problems", counts[Action.INVALID]),
        ]
    else:
        parts = [
            ngettext("{n} new member", "{n} new members", counts[Action.CREATE]),
            ngettext("{n} to update", "{n} to update", counts[Action.UPDATE]),
            ngettext("{n} skipped", "{n} skipped", counts[Action.SKIP]),
            ngettext("{n} unchanged", "{n} unchanged", counts[Action.UNCHANGED]),
            ngettext("{n} row with problems", "{n} rows with problems", counts[Action.INVALID]),
        ]
    text = _(", ").join(
        p.format(n=counts[a])
        for p, a in zip(
            parts,
            (Action.CREATE, Action.UPDATE, Action.SKIP, Action.UNCHANGED, Action.INVALID),
            strict=True,
        )
    )
    other = counts[Action.DUPLICATE] + counts[Action.IGNORED]
    if other:
        text += _(", ") + ngettext("{n} row not counted", "{n} rows not counted", other).format(
            n=other
        )
    return text


def new_groups(plan: ImportPlan) -> list[str]:
    """How the rows' group names were matched (一组 → 第一党小组) and the groups the import will
    create, said once (no group of the branch matched them)."""
    lines = []
    for label, mapped in (
        (_("Party groups as written → the branch's groups: {pairs}"), plan.party_mapped),
        (_("Villager groups as written → the branch's groups: {pairs}"), plan.villager_mapped),
    ):
        pairs = [f"{written} → {name}" for written, name in mapped.items() if written != name]
        if pairs:
            lines.append(label.format(pairs="；".join(pairs)))
    if plan.new_party_groups():
        lines.append(
            _("No party group of the branch matches {names}: they will be created.").format(
                names="、".join(plan.new_party_groups())
            )
        )
    if plan.new_villager_groups():
        lines.append(
            _("No villager group of the branch matches {names}: they will be created.").format(
                names="、".join(plan.new_villager_groups())
            )
        )
    return lines


def row_label(row: RowPlan) -> str:
    return _("Sheet {sheet}, row {row}").format(sheet=row.sheet, row=row.row_number)


def action_label(row: RowPlan, kind: str = "members") -> str:
    if row.action == Action.IGNORED and kind == "households":
        return _("Not a household")
    return {
        Action.CREATE: _("New"),
        Action.UPDATE: _("Update"),
        Action.SKIP: _("Skip"),
        Action.UNCHANGED: _("Unchanged"),
        Action.DUPLICATE: _("Duplicate"),
        Action.INVALID: _("Not imported"),
        Action.IGNORED: _("Not a member"),
    }[row.action]


def report_lines(plan: ImportPlan, dry_run: bool = False) -> list[str]:
    """The preview as the command line prints it: mapping, totals, then each row's problems."""
    lines = [_("File: {path}").format(path=plan.path)]
    for sheet in plan.sheets:
        if sheet.problem:
            lines.append(
                _("Sheet {sheet}: {problem}").format(sheet=sheet.name, problem=sheet.problem)
            )
        if sheet.layout is None or not sheet.included:
            continue
        if sheet.cut:
            lines.append(_("Sheet {sheet}: {problem}").format(sheet=sheet.name, problem=sheet.cut))
        mapped = [
            f"{column_letter(c.index)} {c.header} → {field_label(c.field, plan.kind)}"
            for c in sheet.layout.columns
            if c.field
        ]
        lines.append(
            _("Sheet {sheet}: header in row {row}; columns: {columns}").format(
                sheet=sheet.name, row=sheet.layout.header_row + 1, columns="; ".join(mapped)
            )
        )
    lines.append(summary(plan))
    lines.extend(new_groups(plan))
    for row in plan.rows:
        if row.action == Action.UPDATE and row.changed:
            lines.append(
                _("{where}: {name} will be updated ({fields})").format(
                    where=row_label(row),
                    name=row.name,
                    fields="、".join(field_label(f, plan.kind) for f in row.changed),
                )
            )
        for message in row.errors:
            lines.append(
                _("{where}: {name}: {problem}").format(
                    where=row_label(row), name=row.name or "-", problem=message
                )
            )
        for message in row.warnings:
            lines.append(
                _("{where}: {name}: note: {problem}").format(
                    where=row_label(row), name=row.name or "-", problem=message
                )
            )
    if dry_run:
        lines.append(_("Dry run: nothing was written."))
    return lines
