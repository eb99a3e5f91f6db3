# SPDX-License-Identifier: GPL-3.0-or-later
"""Frozen rows of the stewards area for views and the command line (no SQLAlchemy inside).

A stored roster is read as a RosterDetail (its RosterRow, DutyRows and FairnessRows); the shape
the printed duty sheet takes is documents.rows.RosterSheetData, made from it by
documents.sheets.roster_sheet: printing imports only documents.rows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from decimal import Decimal

from desktop.i18n import N_
from desktop.models.documents.rows import COMMITMENT_MAX_LENGTH

_frozen = dataclasses.dataclass(frozen=True, slots=True)

# ------------------------------------------------------------------ choices (code → label)

ROLES = {"chief": N_("Chief steward"), "group": N_("Group steward")}
#: The commitment's yearly life: 承诺 → 审核 → 公示 → 践诺 → 评诺.
COMMITMENT_STAGES = {
    "pledged": N_("Pledged"),
    "reviewed": N_("Reviewed"),
    "published": N_("Published"),
    "fulfilled": N_("Fulfilled"),
    "evaluated": N_("Evaluated"),
}
#: The longest commitment text: what the printed board promises to fit, even with 16 stewards
#: on one A3 sheet (one constant, tested by the printing tests).
COMMITMENT_MAX_CHARS = COMMITMENT_MAX_LENGTH

#: key households weekly, the others of concern monthly (see docs/stewards-and-rosters.md).
DEFAULT_VISIT_INTERVALS = {"elderly_alone": 7, "needs_visits": 14, "low_income": 30}

#: The kinds every branch starts with (code → label); a branch may rename, add and hide kinds.
DEFAULT_KINDS = {
    "visit": N_("Visit"),
    "cleaning": N_("Cleaning"),
    "mediation": N_("Dispute mediation"),
    "paperwork": N_("Paperwork help"),
    "errand": N_("Errands"),
    "patrol": N_("Patrol"),
    "publicity": N_("Policy publicity"),
    "duty": N_("Duty"),
    "other": N_("Other"),
}


@_frozen
class CommitmentRow:
    id: uuid.UUID
    steward_id: uuid.UUID
    year: int
    content: str
    stage: str
    #: stage code → the day it was reached (None when not known or not reached)
    stage_dates: dict[str, dt.date | None]
    evaluation: str
    #: How many service records are linked as fulfilling it (践诺).
    service_count: int


@_frozen
class StewardRow:
    id: uuid.UUID
    member_id: uuid.UUID
    name: str
    role: str
    party_group_id: uuid.UUID | None
    party_group_number: int | None
    party_group_name: str
    started_on: dt.date | None
    ended_on: dt.date | None
    phone: str
    phone_public: bool
    area: str
    has_photo: bool
    current: bool
    commitment: CommitmentRow | None


@_frozen
class TeamRow:
    id: uuid.UUID
    name: str
    party_group_id: uuid.UUID | None
    party_group_number: int | None
    steward_name: str
    volunteer_count: int


@_frozen
class VolunteerRow:
    id: uuid.UUID
    team_id: uuid.UUID
    member_id: uuid.UUID | None
    name: str
    phone: str
    is_steward: bool
    household_count: int

    @property
    def is_member(self) -> bool:
        return self.member_id is not None


@_frozen
class UnavailabilityRow:
    id: uuid.UUID
    volunteer_id: uuid.UUID
    starts_on: dt.date
    ends_on: dt.date
    reason: str


@_frozen
class HouseholdRow:
    id: uuid.UUID
    head_name: str
    address: str
    phone: str
    party_group_id: uuid.UUID | None
    party_group_name: str
    villager_group_name: str
    elderly_alone: bool
    low_income: bool
    needs_visits: bool
    #: Days between visits (its own or the default for its flags); None when not flagged.
    visit_interval: int | None
    carer_id: uuid.UUID | None
    carer_name: str
    last_visit: dt.date | None
    #: Days past the interval on the reference day (0 or less: not overdue; None: no interval).
    overdue_days: int | None
    notes: str = ""


@_frozen
class HouseholdQuery:
    """Which households a list shows: `text` (every word in the head's name, pinyin or
    initials, the address or the phone), one party group, or only those overdue a visit
    (then the longest overdue first)."""

    text: str = ""
    party_group_id: uuid.UUID | None = None
    overdue_only: bool = False


@_frozen
class RosterRow:
    id: uuid.UUID
    team_id: uuid.UUID
    team_name: str
    starts_on: dt.date
    ends_on: dt.date
    days: str
    slots: tuple[str, ...]
    duty_count: int
    unfilled: int
    printed_at: dt.datetime | None
    edited_at: dt.datetime | None

    @property
    def changed_after_print(self) -> bool:
        return (
            self.printed_at is not None
            and self.edited_at is not None
            and self.edited_at > self.printed_at
        )


@_frozen
class DutyRow:
    id: uuid.UUID
    day: dt.date
    slot: str
    volunteer_id: uuid.UUID | None
    person_name: str
    phone: str
    #: Hours keyed back from the signed sheet (as a service record), in minutes; None: not yet.
    signed_minutes: int | None = None


@_frozen
class FairnessRow:
    volunteer_id: uuid.UUID
    name: str
    duties: int
    #: Days of the roster's period the person is unavailable.
    unavailable_days: int
    #: duties minus the team's mean, rounded to one decimal (shown as +1.3 / −0.7).
    deviation: float


@_frozen
class RosterDetail:
    roster: RosterRow
    duties: tuple[DutyRow, ...]
    fairness: tuple[FairnessRow, ...]

    @property
    def spread(self) -> int:
        counts = [f.duties for f in self.fairness]
        return max(counts) - min(counts) if counts else 0


@_frozen
class ServiceKindRow:
    code: str
    label: str
    active: bool


@_frozen
class ServiceDraft:
    """A service as entered, before validation (the entry form, the CLI, a keyed-back sheet)."""

    served_on: dt.date | None = None
    kind: str = "visit"
    minutes: int = 60
    volunteer_ids: tuple[uuid.UUID, ...] = ()
    household_ids: tuple[uuid.UUID, ...] = ()
    notes: str = ""
    commitment_id: uuid.UUID | None = None
    duty_id: uuid.UUID | None = None
    #: Link the service to the commitment of the year of the first person's team steward (践诺),
    #: when commitment_id is not given.
    fulfils_commitment: bool = False


@_frozen
class ServiceRecordRow:
    id: uuid.UUID
    served_on: dt.date
    kind: str
    kind_label: str
    minutes: int
    people: tuple[str, ...]
    households: tuple[str, ...]
    notes: str
    party_group_id: uuid.UUID | None
    party_group_name: str
    commitment_id: uuid.UUID | None

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


@_frozen
class ServiceQuery:
    """A filter over the service log; None matches everything."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    volunteer_id: uuid.UUID | None = None
    party_group_id: uuid.UUID | None = None
    household_id: uuid.UUID | None = None
    kind: str | None = None


@_frozen
class ServiceSumRow:
    """One line of a sum: the person, group, household or kind, with records and time."""

    key: str
    label: str
    records: int
    minutes: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)


@_frozen
class HouseholdDraft:
    """A household's fields as the household dialog and the import edit them (groups and head
    by id); a row of a household list never sets the interval or the head's member record."""

    head_name: str = ""
    address: str = ""
    phone: str = ""
    party_group_id: uuid.UUID | None = None
    villager_group_id: uuid.UUID | None = None
    elderly_alone: bool = False
    low_income: bool = False
    needs_visits: bool = False
    #: Days between visits; None: the default for its flags.
    visit_interval_days: int | None = None
    notes: str = ""
    head_member_id: uuid.UUID | None = None

    def replace(self, **changes: object) -> HouseholdDraft:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


HOUSEHOLD_DRAFT_FIELDS = tuple(f.name for f in dataclasses.fields(HouseholdDraft))


@_frozen
class GradeRow:
    """A steward's final result of one year's assessment (年度考核), for the stewards page."""

    year: int
    total: Decimal
    #: The grade's code and its label (an N_ message, translated when shown).
    grade: str
    grade_name: str
