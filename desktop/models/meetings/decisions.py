# SPDX-License-Identifier: GPL-3.0-or-later
"""Decisions (议定事项) to follow up: owner, due date, state, carried over, overdue.

Each decision of a joint meeting has an owner (a steward, a team, the branch, the town) and a
due date; an open one is carried over to the next joint meeting's agenda until it is done.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from desktop.errors import NotFound, ValidationFailed
from desktop.i18n import _
from desktop.models.meetings.meeting import DECISION_STATES, Decision, Meeting
from desktop.models.meetings.rows import DecisionRow

CONTENT_MAX = 1000


def decision_row(session: Session, d: Decision) -> DecisionRow:
    meeting = session.get(Meeting, d.meeting_id)
    carried = session.get(Meeting, d.carried_to_id) if d.carried_to_id else None
    assert meeting is not None
    return DecisionRow(
        id=d.id,
        meeting_id=d.meeting_id,
        meeting_kind=meeting.kind,
        meeting_on=meeting.starts_at.date(),
        meeting_topic=meeting.topic,
        content=d.content,
        owner=d.owner,
        due_on=d.due_on,
        state=d.state,
        state_label=_(DECISION_STATES.get(d.state, d.state)),
        done_on=d.done_on,
        notes=d.notes,
        carried_to_id=d.carried_to_id if carried is not None and not carried.deleted else None,
        carried_to_on=carried.starts_at.date()
        if carried is not None and not carried.deleted
        else None,
    )


def _decision(session: Session, decision_id: uuid.UUID) -> Decision:
    d = session.get(Decision, decision_id)
    if d is None or d.deleted:
        raise NotFound(_("The decision was not found."))
    return d


def _check(content: str, owner: str, due_on: dt.date | None, meeting: Meeting) -> None:
    problems = {}
    if not content.strip():
        problems["content"] = _("Write what was decided.")
    elif len(content.strip()) > CONTENT_MAX:
        problems["content"] = _("A decision is at most {n} characters.").format(n=CONTENT_MAX)
    if len(owner.strip()) > 100:
        problems["owner"] = _("This is at most {n} characters.").format(n=100)
    if due_on is not None and due_on < meeting.starts_at.date():
        problems["due_on"] = _("A decision cannot be due before the meeting that made it.")
    if problems:
        raise ValidationFailed(problems)


def add_decision(
    session: Session,
    meeting_id: uuid.UUID,
    content: str,
    owner: str = "",
    due_on: dt.date | None = None,
    new_id: uuid.UUID | None = None,
) -> DecisionRow:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.deleted:
        raise NotFound(_("The meeting was not found."))
    _check(content, owner, due_on, meeting)
    d = Decision(
        branch_id=meeting.branch_id,
        meeting_id=meeting.id,
        content=content.strip(),
        owner=owner.strip(),
        due_on=due_on,
        state="open",
        notes="",
    )
    if new_id is not None:
        d.id = new_id
    session.add(d)
    session.flush()
    return decision_row(session, d)


_UNCHANGED: object = object()


def update_decision(
    session: Session,
    decision_id: uuid.UUID,
    *,
    content: str | None = None,
    owner: str | None = None,
    due_on: dt.date | object | None = _UNCHANGED,
    state: str | None = None,
    notes: str | None = None,
    today: dt.date | None = None,
) -> DecisionRow:
    """Change what is given; marking it done records `today` as the day it was done."""
    d = _decision(session, decision_id)
    meeting = session.get(Meeting, d.meeting_id)
    assert meeting is not None
    new_due = d.due_on if due_on is _UNCHANGED else due_on
    _check(
        content if content is not None else d.content,
        owner if owner is not None else d.owner,
        new_due,
        meeting,
    )  # type: ignore[arg-type]
    if state is not None and state not in DECISION_STATES:
        raise ValidationFailed({"state": _("A decision is open, done or dropped.")})
    if content is not None and content.strip() != d.content:
        d.content = content.strip()
    if owner is not None and owner.strip() != d.owner:
        d.owner = owner.strip()
    if new_due != d.due_on:
        d.due_on = new_due  # type: ignore[assignment]
    if notes is not None and notes.strip() != d.notes:
        d.notes = notes.strip()
    if state is not None and state != d.state:
        d.state = state
        d.done_on = (today or dt.date.today()) if state == "done" else None
    session.flush()
    return decision_row(session, d)


def list_decisions(
    session: Session,
    branch_id: uuid.UUID,
    *,
    state: str | None = None,
    meeting_id: uuid.UUID | None = None,
    carried_to_id: uuid.UUID | None = None,
    kind: str | None = None,
) -> list[DecisionRow]:
    """Decisions in the order they fall due (those without a due date last), then by meeting."""
    stmt = (
        select(Decision)
        .join(Meeting, Meeting.id == Decision.meeting_id)
        .where(Decision.branch_id == branch_id, ~Decision.deleted, ~Meeting.deleted)
    )
    if state:
        stmt = stmt.where(Decision.state == state)
    if meeting_id:
        stmt = stmt.where(Decision.meeting_id == meeting_id)
    if carried_to_id:
        stmt = stmt.where(Decision.carried_to_id == carried_to_id)
    if kind:
        stmt = stmt.where(Meeting.kind == kind)
    stmt = stmt.order_by(Decision.due_on.is_(None), Decision.due_on, Meeting.starts_at, Decision.id)
    return [decision_row(session, d) for d in session.scalars(stmt)]


def overdue_decisions(session: Session, branch_id: uuid.UUID, today: dt.date) -> list[DecisionRow]:
    return [r for r in list_decisions(session, branch_id, state="open") if r.overdue(today)]


def carry_over(session: Session, meeting: Meeting) -> list[DecisionRow]:
    """Put the open decisions of earlier joint meetings on this joint meeting's agenda.

    A decision already carried to a later meeting stays there; one carried to an earlier
    meeting moves on to this one (it is still open, so it comes up again).
    """
    if meeting.kind != "joint" or meeting.deleted:
        return []
    source = aliased(Meeting)
    target = aliased(Meeting)
    stmt = (
        select(Decision, target)
        .join(source, source.id == Decision.meeting_id)
        .outerjoin(target, target.id == Decision.carried_to_id)
        .where(
            Decision.branch_id == meeting.branch_id,
            ~Decision.deleted,
            Decision.state == "open",
            ~source.deleted,
            source.kind == "joint",
            source.starts_at < meeting.starts_at,
        )
    )
    carried = []
    for d, current in session.execute(stmt):
        if current is not None and current.id == meeting.id:
            carried.append(d)
            continue
        if current is None or current.deleted or current.starts_at < meeting.starts_at:
            d.carried_to_id = meeting.id
            carried.append(d)
    session.flush()
    return [decision_row(session, d) for d in carried]


def remove_decision(session: Session, decision_id: uuid.UUID) -> None:
    _decision(session, decision_id).deleted = True
    session.flush()
