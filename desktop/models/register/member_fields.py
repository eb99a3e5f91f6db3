# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading member fields from text: `FIELD=VALUE` on the command line (and later, imports).

Values are accepted as clerks write them: codes or labels in any UI language (男, male),
dates as 2019-07-01, 2019.7.1, 2019/7/1 or 2019年7月1日, groups by number or name.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.errors import ValidationFailed
from desktop.i18n import _, translations_of
from desktop.models.register.branch import PartyGroup, VillagerGroup
from desktop.models.register.member import (
    EDUCATIONS,
    ETHNICITIES,
    GENDERS,
    OCCUPATIONS,
    STANDINGS,
    STATUSES,
)
from desktop.models.register.rows import MEMBER_FIELDS, MemberDraft

#: Names accepted for a field besides its code name.
ALIASES = {"party_group": "party_group_id", "villager_group": "villager_group_id"}
CHOICE_FIELDS: dict[str, Mapping[str, str]] = {
    "gender": GENDERS,
    "status": STATUSES,
    "standing": STANDINGS,
    "education": EDUCATIONS,
    "occupation": OCCUPATIONS,
    "ethnicity": ETHNICITIES,
}
DATE_FIELDS = {"birth_date", "joined_on", "confirmed_on", "lost_contact_on"}
BOOL_FIELDS = {"lost_contact", "floating"}
_TRUE = {"1", "true", "yes", "y", "是", "有"}
_FALSE = {"0", "false", "no", "n", "否", "无", "没有", ""}
# Labels clerks use that are not the catalogue's wording.
_EXTRA_LABELS = {
    "gender": {"男": "male", "女": "female", "m": "male", "f": "female"},
    "status": {"正式": "full", "预备": "probationary", "預備": "probationary"},
}

_DATE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(\d{1,2})\s*日?)?\s*月?\s*$")


def parse_date(text: str) -> dt.date | None:
    """A date as a clerk types it; a year and month alone mean the first of that month."""
    text = text.strip()
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    return dt.date(year, month, day)


def _choice(field: str, text: str) -> str:
    choices = CHOICE_FIELDS[field]
    key = text.strip()
    if key in choices:
        return key
    lowered = key.casefold()
    extra = _EXTRA_LABELS.get(field, {})
    if lowered in extra:
        return extra[lowered]
    # A label in any of the UI languages is accepted, whichever is active.
    for code, label in choices.items():
        if lowered in {t.casefold() for t in translations_of(label)}:
            return code
    raise ValueError(text)


def _group(session: Session, model: Any, branch_id: uuid.UUID, text: str) -> uuid.UUID | None:
    text = text.strip()
    if not text:
        return None
    stmt = select(model.id).where(~model.deleted, model.branch_id == branch_id)
    if text.isdigit():
        found = session.scalar(stmt.where(model.number == int(text)))
    else:
        found = session.scalar(stmt.where(model.name == text))
    if found is None:
        raise ValueError(text)
    return found


def parse_value(session: Session, branch_id: uuid.UUID, field: str, text: str) -> Any:
    """The typed value of `field` written as `text`; ValueError when it cannot be read."""
    if field in CHOICE_FIELDS:
        if not text.strip() and field in ("education", "occupation"):
            return None
        return _choice(field, text)
    if field in DATE_FIELDS:
        return parse_date(text)
    if field in BOOL_FIELDS:
        lowered = text.strip().casefold()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError(text)
    if field == "party_group_id":
        return _group(session, PartyGroup, branch_id, text)
    if field == "villager_group_id":
        return _group(session, VillagerGroup, branch_id, text)
    return text


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
