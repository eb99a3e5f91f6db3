# SPDX-License-Identifier: GPL-3.0-or-later
"""Names and phones of team volunteers: a member's come from the register, others are stored."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models.register.member import Member
from desktop.models.stewards.team import Volunteer


def volunteer_names(session: Session, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """volunteer id → (name, phone), for the ids given (removed volunteers included)."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(Volunteer.id, Volunteer.name, Volunteer.phone, Member.name, Member.phone)
        .outerjoin(Member, Member.id == Volunteer.member_id)
        .where(Volunteer.id.in_(wanted))
    )
    return {vid: (mname or vname, mphone or vphone) for vid, vname, vphone, mname, mphone in rows}
