# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading member fields from text: `FIELD=VALUE` on the command line.

Every value goes through the import's own parser (`register.values`), so the command line
accepts whatever a spreadsheet may hold: codes or labels in any UI language (男, 女性, male),
the words clerks use (汉, 预备党员), dates as 2019-07-01, 2019.7, 2019年7月1日 or 20190701,
groups by number, name or alias (3, 第三党小组, 三组).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import ValidationFailed
from desktop.i18n import _
from desktop.models.register import values
from desktop.models.register.branch import PartyGroup, VillagerGroup
from desktop.models.register.rows import MEMBER_FIELDS, MemberDraft
from desktop.models.register.values import BOOL_FIELDS, CHOICE_FIELDS, DATE_FIELDS, parse_date

__all__ = [
    "ALIASES",
    "BOOL_FIELDS",
    "CHOICE_FIELDS",
    "DATE_FIELDS",
    "apply_assignments",
    "parse_date",
    "parse_value",
]

#: Names accepted for a field besides its code name.
ALIASES = {"party_group": "party_group_id", "villager_group": "villager_group_id"}


def _group(session: Session, model: Any, branch_id: uuid.UUID, text: str) -> uuid.UUID | None:
    """A group of the branch by name (or a villager group's alias) or number, as the import
    finds it; ValueError when the branch has no such group (the command line creates none)."""
    key = values.clean_text(text).replace(" ", "")
    if not key:
        return None
    live = select(model.id).where(~model.deleted, model.branch_id == branch_id)
    names = [model.name]
    if model is VillagerGroup:
        names.append(VillagerGroup.alias)
    for column in names:
        found = session.scalar(live.where(column.in_({key, text.strip()})))
        if found is not None:
            return found
    number = values.group_number(key)
    found = None if number is None else session.scalar(live.where(model.number == number))
    if found is None:
        raise ValueError(text)
    return found


def parse_value(session: Session, branch_id: uuid.UUID, field: str, text: str) -> Any:
    """The typed value of `field` written as `text`; ValueError when it cannot be read."""
    if field == "party_group_id":
        return _group(session, PartyGroup, branch_id, text)
    if field == "villager_group_id":
        return _group(session, VillagerGroup, branch_id, text)
    return values.member_value(field, text)


def apply_assignments(
    session: Session, branch_id: uuid.UUID, draft: MemberDraft, assignments: Iterable[str]
) -> MemberDraft:
    """`draft` with each `FIELD=VALUE` applied; every unreadable one is reported together."""
    changes: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for assignment in assignments:
        name, sep, text = assignment.partition("=")
        field = ALIASES.get(name.strip(), name.strip())
        if not sep or field not in MEMBER_FIELDS:
            problems[name or assignment] = _("Unknown field {field}. Fields: {fields}.").format(
                field=name, fields=", ".join(_public_fields())
            )
            continue
        try:
            changes[field] = parse_value(session, branch_id, field, text)
        except ValueError:
            problems[field] = _("Cannot read the value {value}.").format(value=text)
    if problems:
        raise ValidationFailed(problems)
    return draft.replace(**changes)


def _public_fields() -> list[str]:
    reverse = {v: k for k, v in ALIASES.items()}
    return [reverse.get(f, f) for f in MEMBER_FIELDS]
