# SPDX-License-Identifier: GPL-3.0-or-later
"""Appointments of stewards, their commitments and photos. Functions take the session first.

A member holds at most one steward post at a time; appointing a new steward to a post ends
the previous appointment the day before, so the history of who served when is kept.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from desktop.errors import NotFound, UserError, ValidationFailed
from desktop.i18n import _
from desktop.models.register.branch import PartyGroup
from desktop.models.register.member import Member
from desktop.models.stewards import photo as photo_module
from desktop.models.stewards import teams
from desktop.models.stewards.rows import CommitmentRow, StewardRow
from desktop.models.stewards.service_record import ServiceRecord
from desktop.models.stewards.steward import (
    COMMITMENT_MAX_CHARS,
    COMMITMENT_STAGES,
    Commitment,
    Steward,
)

STAGE_ORDER = tuple(COMMITMENT_STAGES)


def _is_current(steward: Steward, today: dt.date) -> bool:
    return (
        not steward.deleted
        and (steward.ended_on is None or steward.ended_on >= today)
        and (steward.started_on is None or steward.started_on <= today)
    )


def commitment_row(session: Session, c: Commitment) -> CommitmentRow:
    linked = (
        session.scalar(
            select(func.count())
            .select_from(ServiceRecord)
            .where(ServiceRecord.commitment_id == c.id, ~ServiceRecord.deleted)
        )
        or 0
    )
    return _commitment_row(c, linked)


def _commitment_row(c: Commitment, linked: int) -> CommitmentRow:
    dates = {stage: getattr(c, f"{stage}_on") for stage in STAGE_ORDER}
    return CommitmentRow(
        c.id, c.steward_id, c.year, c.content, c.stage, dates, c.evaluation, linked
    )


def _steward_row(
    s: Steward,
    member: tuple[str, str],
    group: tuple[int, str] | None,
    has_photo: bool,
    commitment: CommitmentRow | None,
    today: dt.date,
) -> StewardRow:
    name, phone = member
    return StewardRow(
        id=s.id,
        member_id=s.member_id,
        name=name,
        role=s.role,
        party_group_id=s.party_group_id,
        party_group_number=group[0] if group else None,
        party_group_name=group[1] if group else "",
        started_on=s.started_on,
        ended_on=s.ended_on,
        phone=phone,
        phone_public=bool(s.phone_public),
        area=s.area or "",
        has_photo=has_photo,
        current=_is_current(s, today),
        commitment=commitment,
    )


def _row(session: Session, s: Steward, today: dt.date, year: int) -> StewardRow:
    member = session.get_one(Member, s.member_id)
    group = session.get(PartyGroup, s.party_group_id) if s.party_group_id else None
    commitment = session.scalar(
        select(Commitment).where(
            Commitment.steward_id == s.id, Commitment.year == year, ~Commitment.deleted
        )
    )
    return _steward_row(
        s,
        (member.name, member.phone),
        (group.number, group.name) if group else None,
        s.photo is not None,
        commitment_row(session, commitment) if commitment else None,
        today,
    )


def list_stewards(
    session: Session,
    branch_id: uuid.UUID,
    *,
    history: bool = False,
    today: dt.date | None = None,
    year: int | None = None,
) -> list[StewardRow]:
    """The current stewards (the chief first, then by group); with `history`, past ones too.

    A few queries for all of them, and no photos (up to 200 KB each): a county register has a
    group steward per party group, thousands of them (#22).
    """
    today = today or dt.date.today()
    year = year or today.year
    found = session.execute(
        select(
            Steward,
            Steward.photo.is_not(None),
            Member.name,
            Member.phone,
            PartyGroup.number,
            PartyGroup.name,
        )
        .options(defer(Steward.photo))
        .join(Member, Member.id == Steward.member_id)
        .outerjoin(PartyGroup, PartyGroup.id == Steward.party_group_id)
        .where(Steward.branch_id == branch_id, ~Steward.deleted)
    ).all()
    if not history:
        found = [row for row in found if _is_current(row[0], today)]
    in_year = (
        select(Commitment)
        .join(Steward, Steward.id == Commitment.steward_id)
        .where(Steward.branch_id == branch_id, Commitment.year == year, ~Commitment.deleted)
    )
    commitments: dict[uuid.UUID, Commitment] = {}
    for c in session.scalars(in_year):
        commitments.setdefault(c.steward_id, c)
    linked = dict(
        session.execute(
            select(ServiceRecord.commitment_id, func.count())
            .join(Commitment, Commitment.id == ServiceRecord.commitment_id)
            .join(Steward, Steward.id == Commitment.steward_id)
            .where(Steward.branch_id == branch_id, Commitment.year == year, ~ServiceRecord.deleted)
            .group_by(ServiceRecord.commitment_id)
        ).all()
    )
    rows = []
    for s, has_photo, name, phone, number, group_name in found:
        c = commitments.get(s.id)
        rows.append(
            _steward_row(
                s,
                (name, phone),
                (number, group_name) if s.party_group_id and number is not None else None,
                bool(has_photo),
                _commitment_row(c, linked.get(c.id, 0)) if c else None,
                today,
            )
        )
    return sorted(
        rows,
        key=lambda r: (
            r.role != "chief",
            r.party_group_number or 0,
            not r.current,
            -(r.started_on or dt.date.min).toordinal(),
        ),
    )


def get_steward(
    session: Session,
    steward_id: uuid.UUID,
    *,
    today: dt.date | None = None,
    year: int | None = None,
) -> StewardRow:
    today = today or dt.date.today()
    steward = session.get(Steward, steward_id)
    if steward is None or steward.deleted:
        raise NotFound(_("That steward appointment no longer exists."))
    return _row(session, steward, today, year or today.year)


def appoint(
    session: Session,
    branch_id: uuid.UUID,
    member_id: uuid.UUID,
    role: str,
    party_group_id: uuid.UUID | None,
    started_on: dt.date,
    *,
    area: str = "",
    phone_public: bool = False,
) -> StewardRow:
    """Appoint a member; the post's previous holder's appointment ends the day before."""
    member = session.get(Member, member_id)
    if member is None or member.deleted:
        raise NotFound(_("That member is not in the register."))
    if role not in ("chief", "group"):
        raise ValidationFailed({"role": _("Choose chief steward or group steward.")})
    if role == "group" and party_group_id is None:
        raise ValidationFailed({"party_group_id": _("A group steward needs a party group.")})
    if role == "chief":
        party_group_id = None
    held = session.scalars(
        select(Steward).where(
            Steward.member_id == member_id,
            ~Steward.deleted,
            (Steward.ended_on.is_(None)) | (Steward.ended_on >= started_on),
        )
    ).all()
    if held:
        raise UserError(
            _("{name} already holds a steward post; end that appointment first.").format(
                name=member.name
            )
        )
    previous = session.scalars(
        select(Steward).where(
            Steward.branch_id == branch_id,
            Steward.role == role,
            ~Steward.deleted,
            Steward.party_group_id.is_(None)
            if party_group_id is None
            else Steward.party_group_id == party_group_id,
            (Steward.ended_on.is_(None)) | (Steward.ended_on >= started_on),
        )
    ).all()
    for old in previous:
        old.ended_on = max(started_on - dt.timedelta(days=1), old.started_on or dt.date.min)
    steward = Steward(
        branch_id=branch_id,
        member_id=member_id,
        role=role,
        party_group_id=party_group_id,
        started_on=started_on,
        area=area.strip(),
        phone_public=phone_public,
    )
    session.add(steward)
    session.flush()
    if party_group_id is not None:
        team = teams.ensure_team(session, branch_id, party_group_id)
        teams.ensure_member_volunteer(session, team.id, member_id, started_on)
    return get_steward(session, steward.id, today=started_on)


def end_appointment(session: Session, steward_id: uuid.UUID, ended_on: dt.date) -> None:
    steward = session.get_one(Steward, steward_id)
    if steward.started_on and ended_on < steward.started_on:
        raise ValidationFailed({"ended_on": _("The end cannot be before the start.")})
    steward.ended_on = ended_on


def set_details(
    session: Session,
    steward_id: uuid.UUID,
    *,
    area: str | None = None,
    phone_public: bool | None = None,
) -> None:
    steward = session.get_one(Steward, steward_id)
    if area is not None:
        if len(area.strip()) > 100:
            raise ValidationFailed({"area": _("The area can be at most 100 characters.")})
        steward.area = area.strip()
    if phone_public is not None:
        steward.phone_public = phone_public


def set_photo(session: Session, steward_id: uuid.UUID, data: bytes | None) -> int:
    """Store the photo (checked and cropped), or remove it with None; returns the stored size."""
    steward = session.get_one(Steward, steward_id)
    steward.photo = photo_module.prepare_photo(data) if data is not None else None
    return len(steward.photo or b"")


def steward_photo(session: Session, steward_id: uuid.UUID) -> bytes | None:
    return session.get_one(Steward, steward_id).photo


def check_commitment(content: str) -> str:
    text = content.strip()
    if not text:
        raise ValidationFailed({"content": _("Write the commitment's text.")})
    if len(text) > COMMITMENT_MAX_CHARS:
        raise ValidationFailed(
            {
                "content": _(
                    "The commitment has {count} characters; the board has room for {limit}. "
                    "Shorten it by {over}."
                ).format(
                    count=len(text),
                    limit=COMMITMENT_MAX_CHARS,
                    over=len(text) - COMMITMENT_MAX_CHARS,
                )
            }
        )
    return text


def save_commitment(
    session: Session,
    steward_id: uuid.UUID,
    year: int,
    content: str,
    pledged_on: dt.date | None = None,
) -> CommitmentRow:
    """Pledge (or reword) the steward's commitment for `year`."""
    text = check_commitment(content)
    commitment = session.scalar(
        select(Commitment).where(
            Commitment.steward_id == steward_id, Commitment.year == year, ~Commitment.deleted
        )
    )
    if commitment is None:
        commitment = Commitment(
            steward_id=steward_id,
            year=year,
            content=text,
            stage="pledged",
            pledged_on=pledged_on or dt.date.today(),
            evaluation="",
        )
        session.add(commitment)
    else:
        if (
            commitment.stage in ("published", "fulfilled", "evaluated")
            and commitment.content != text
        ):
            raise UserError(
                _("This commitment is already published; its text can no longer change this year.")
            )
        commitment.content = text
    session.flush()
    return commitment_row(session, commitment)


def advance_commitment(
    session: Session, commitment_id: uuid.UUID, on: dt.date, evaluation: str = ""
) -> CommitmentRow:
    """Move the commitment to its next stage (承诺→审核→公示→践诺→评诺), dated `on`."""
    commitment = session.get_one(Commitment, commitment_id)
    index = STAGE_ORDER.index(commitment.stage)
    if index + 1 >= len(STAGE_ORDER):
        raise UserError(_("This commitment has already been evaluated."))
    stage = STAGE_ORDER[index + 1]
    if stage == "evaluated":
        if not evaluation.strip():
            raise ValidationFailed({"evaluation": _("Write the evaluation first.")})
        commitment.evaluation = evaluation.strip()
    commitment.stage = stage
    setattr(commitment, f"{stage}_on", on)
    session.flush()
    return commitment_row(session, commitment)
