# SPDX-License-Identifier: GPL-3.0-or-later
"""The printed sheets' data: plain frozen rows, every value ready to print. The only part of
the models that `desktop.printing` reads."""

from __future__ import annotations

import dataclasses
import datetime as dt

#: The printed sheets, by the names the print centre and `red-steward print` use.
BOARD, ROSTER, MEMBERS = "board", "roster", "members"
#: The sheets of the print centre's list.
DOCUMENTS = (BOARD, ROSTER, MEMBERS)
#: The annual assessment's results (the wall list and each steward's form) and its blank
#: scoring sheets, one per scorer group.
ASSESSMENT, SCORE_SHEETS = "assessment", "score_sheets"
#: A meeting's sign-in sheet and its minutes, and the open decisions of the joint meetings.
SIGN_IN, MINUTES, DECISIONS = "sign_in", "minutes", "decisions"
#: A year's meeting register: what was held, attendance rates, held against due per kind.
MEETING_REGISTER = "meeting_register"

#: The longest commitment the board promises to print at 14 pt or more (tests/printing).
COMMITMENT_MAX_LENGTH = 150


@dataclasses.dataclass(frozen=True, slots=True)
class BoardSteward:
    """One card of the commitment board. Never an ID number: the sheet hangs in public."""

    name: str
    #: 总管家, or 第一党小组小管家.
    post: str
    #: The area or group served (全村; 第二村民小组（下湾组）).
    area: str
    #: The steward's own phone when they agreed to show it, otherwise the branch's.
    phone: str
    commitment: str
    #: A JPEG or PNG; None draws a placeholder silhouette.
    photo: bytes | None = None
    chief: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class CommitmentBoardData:
    village: str
    branch_name: str
    year: int
    branch_phone: str
    stewards: tuple[BoardSteward, ...]
    printed_on: dt.date
    #: 公示期: the days villagers may raise an objection (printed on the board).
    posted_from: dt.date | None = None
    posted_until: dt.date | None = None
    #: The town (镇) and its supervision phone, printed when known.
    town: str = ""
    town_phone: str = ""
    #: A draft for the branch meeting: commitments not yet reviewed, marked 草稿 on the sheet.
    draft: bool = False


#: How long a board is posted for objections (公示期 of at least five working days).
POSTING_DAYS = 7


@dataclasses.dataclass(frozen=True, slots=True)
class RosterSheetDuty:
    """One duty: a day, a slot of that day (上午, 夜间…), who is on it."""

    day: dt.date
    slot: str
    people: tuple[str, ...]
    phone: str = ""
    note: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class RosterSheetData:
    """A duty roster for one period and team, as it is printed (grid of days × slots, or a list)."""

    branch_name: str
    title: str
    team: str
    steward: str
    period_start: dt.date
    period_end: dt.date
    slots: tuple[str, ...]
    duties: tuple[RosterSheetDuty, ...]
    printed_on: dt.date
    phone: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class RegisterRow:
    """One line of the printed member register (花名册): every value already as text."""

    name: str
    gender: str
    ethnicity: str
    id_number: str
    birth_date: str
    education: str
    status: str
    joined_on: str
    confirmed_on: str
    occupation: str
    party_group: str
    phone: str
    address: str
    notes: str


@dataclasses.dataclass(frozen=True, slots=True)
class MemberRegisterData:
    branch_name: str
    rows: tuple[RegisterRow, ...]
    printed_on: dt.date
    #: The unit line: the town (镇) and county (县) the branch belongs to.
    town: str = ""
    county: str = ""
    #: The statistics line: counts over `rows`.
    full: int = 0
    probationary: int = 0
    male: int = 0
    female: int = 0
    floating: int = 0


# ---------------------------------------------------------------- the annual assessment (#20)


@dataclasses.dataclass(frozen=True, slots=True)
class AssessmentItemHead:
    """A column of a scoring sheet: the item's number, name, maximum and how it is scored."""

    number: int
    name: str
    maximum: str
    description: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class BlankScoreSheetData:
    """One scorer group's blank sheet (测评表): its stewards × its items, boxes empty."""

    branch_name: str
    year: int
    code: str
    #: The scorer group (第一党小组, 第二村民小组（下湾组）, 支部委员会).
    scorer: str
    items: tuple[AssessmentItemHead, ...]
    #: (name, post) of each steward the group scores.
    stewards: tuple[tuple[str, str], ...]
    printed_on: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class AssessmentFormLine:
    """One item on a steward's 年度考核表: every value already as text."""

    number: int
    name: str
    kind: str
    scored_by: str
    maximum: str
    #: The mean the groups gave (or the computed points), and what it adds to the total.
    score: str
    points: str


@dataclasses.dataclass(frozen=True, slots=True)
class AssessmentFormData:
    """A steward's individual annual assessment form (年度考核表)."""

    branch_name: str
    year: int
    name: str
    post: str
    lines: tuple[AssessmentFormLine, ...]
    total: str
    grade: str
    rank: str
    commitment: str
    evaluation: str
    remarks: str
    printed_on: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class AssessmentResultLine:
    rank: str
    name: str
    post: str
    total: str
    grade: str


@dataclasses.dataclass(frozen=True, slots=True)
class AssessmentResultListData:
    """The result list for the wall (公示), with its publication period and grading rules."""

    branch_name: str
    year: int
    lines: tuple[AssessmentResultLine, ...]
    #: The thresholds and, when there is one, the cap on 优秀 with its tie rule, as sentences.
    rules_text: tuple[str, ...]
    published_from: dt.date | None
    published_until: dt.date | None
    branch_phone: str
    #: False while the year is not final: the sheet says it is provisional.
    final: bool
    printed_on: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class AssessmentPrintData:
    """What `print assessment` prints: the wall list, then one form per steward."""

    result_list: AssessmentResultListData
    forms: tuple[AssessmentFormData, ...]


# --- Meetings (会议) -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class SignInPerson:
    """One line of a sign-in sheet: the signature column is left blank for the pen."""

    name: str
    #: The party group (members) or the organisation (guests).
    note: str = ""
    #: Leave already asked for (请假), with its reason, printed in the 请假 column.
    leave: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class MeetingHeader:
    """What every meeting sheet says about the meeting, as text."""

    branch_name: str
    kind: str
    topic: str
    when: str
    place: str
    chair: str
    recorder: str


@dataclasses.dataclass(frozen=True, slots=True)
class SignInSheetData:
    meeting: MeetingHeader
    people: tuple[SignInPerson, ...]
    guests: tuple[SignInPerson, ...]
    printed_on: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class MinutesData:
    """The minutes (会议记录) in the record book's layout; every value already as text."""

    meeting: MeetingHeader
    expected: str
    present: str
    #: Absent members and why (缺席人员及原因), one text.
    absent: str
    #: Guests and people attending without a vote (列席人员).
    guests: str
    quorum: str
    agenda: str
    summary: str
    decisions: tuple[str, ...]
    printed_on: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class DecisionLine:
    content: str
    owner: str
    due: str
    state: str
    #: Where it was decided (联席会议 2026.03.10).
    source: str
    notes: str = ""
    overdue: bool = False


@dataclasses.dataclass(frozen=True, slots=True)
class DecisionListData:
    branch_name: str
    title: str
    lines: tuple[DecisionLine, ...]
    printed_on: dt.date


@dataclasses.dataclass(frozen=True, slots=True)
class MeetingRegisterLine:
    day: str
    kind: str
    topic: str
    expected: str
    present: str
    leave: str
    absent: str
    rate: str
    notes: str = ""


@dataclasses.dataclass(frozen=True, slots=True)
class MeetingRegisterData:
    """A year's meetings as held, with attendance rates (会议登记)."""

    branch_name: str
    year: int
    lines: tuple[MeetingRegisterLine, ...]
    #: Held against due per kind: "党员大会 4/4" …
    summary: tuple[str, ...]
    printed_on: dt.date
