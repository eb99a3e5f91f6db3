# SPDX-License-Identifier: GPL-3.0-or-later
"""The print centre's service: each method is one read of the data a printed sheet needs."""

from __future__ import annotations

import datetime as dt
import uuid

from desktop.errors import NotFound
from desktop.i18n import _
from desktop.models.documents import sheets
from desktop.models.documents.rows import (
    ASSESSMENT,
    BOARD,
    DECISIONS,
    MEETING_REGISTER,
    MEMBERS,
    MINUTES,
    SCORE_SHEETS,
    SIGN_IN,
    AssessmentPrintData,
    BlankScoreSheetData,
    CommitmentBoardData,
    DecisionListData,
    MeetingRegisterData,
    MemberRegisterData,
    MinutesData,
    RosterSheetData,
    SignInSheetData,
)
from desktop.models.stewards import rosters
from desktop.models.stewards.rows import RosterRow
from desktop.models.store.db import Database


class PrintService:
    def __init__(self, db: Database, branch_id: uuid.UUID) -> None:
        self.db, self.branch_id = db, branch_id

    def commitment_years(self) -> list[int]:
        with self.db.read() as session:
            return sheets.commitment_years(session, self.branch_id)

    def assessment_years(self) -> list[int]:
        """The years with an annual assessment, the newest first."""
        from desktop.models.assessment import rules

        with self.db.read() as session:
            return [a.year for a in rules.list_assessments(session, self.branch_id)]

    def commitment_board(
        self, year: int, printed_on: dt.date, draft: bool = False
    ) -> CommitmentBoardData:
        """The board of `year`: reviewed commitments only, or every one as a draft (草稿)."""
        with self.db.read() as session:
            return sheets.commitment_board(session, self.branch_id, year, printed_on, draft)

    def member_register(self, printed_on: dt.date) -> MemberRegisterData:
        with self.db.read() as session:
            return sheets.member_register(session, self.branch_id, printed_on)

    def rosters(self, printed_on: dt.date) -> list[RosterSheetData]:
        """The rosters that can be printed, newest first."""
        with self.db.read() as session:
            return [
                sheets.roster_sheet(session, row.id, printed_on)
                for row in rosters.list_rosters(session, self.branch_id)
            ]

    def roster_choices(self) -> list[RosterRow]:
        """The stored rosters (without their duties), newest first, to choose one to print."""
        with self.db.read() as session:
            return rosters.list_rosters(session, self.branch_id)

    def rosters_of_month(self, month: dt.date, printed_on: dt.date) -> list[RosterSheetData]:
        """Every team's rosters that start in `month`'s month, in team order (the print centre's
        "all teams" choice)."""
        with self.db.read() as session:
            rows = [
                row
                for row in rosters.list_rosters(session, self.branch_id)
                if (row.starts_on.year, row.starts_on.month) == (month.year, month.month)
            ]
            # list_rosters is newest first, then by team: keep the teams' order, oldest first.
            rows.sort(key=lambda row: row.starts_on)
            return [sheets.roster_sheet(session, row.id, printed_on) for row in rows]

    def meeting_years(self) -> list[int]:
        """The years with meetings, the newest first."""
        from desktop.models.documents import meeting_sheets

        with self.db.read() as session:
            return meeting_sheets.meeting_years(session, self.branch_id)

    def roster(self, roster_id: uuid.UUID | None, printed_on: dt.date) -> RosterSheetData | None:
        """One roster's sheet, the newest when `roster_id` is None; None when there is none."""
        with self.db.read() as session:
            if roster_id is None:
                newest = rosters.list_rosters(session, self.branch_id)
                if not newest:
                    return None
                roster_id = newest[0].id
            return sheets.roster_sheet(session, roster_id, printed_on)

    def sheet(
        self,
        document: str,
        printed_on: dt.date,
        year: int | None = None,
        roster_id: uuid.UUID | None = None,
        meeting_id: uuid.UUID | None = None,
        draft: bool = False,
        month: dt.date | None = None,
    ) -> (
        CommitmentBoardData
        | MemberRegisterData
        | RosterSheetData
        | list[RosterSheetData]
        | AssessmentPrintData
        | list[BlankScoreSheetData]
        | SignInSheetData
        | MinutesData
        | DecisionListData
        | MeetingRegisterData
    ):
        """The data of one printed sheet (`rows.DOCUMENTS`): the board of `year` (default: the
        latest year with commitments), the register, a roster (default: the newest), or the
        assessment of `year` (default: this year): its results or its blank scoring sheets, a
        meeting's sign-in sheet or minutes, the open decisions, or the meeting register of `year`
        (default: this year). With `month`, the roster is every team's rosters starting in it."""
        if document == MEETING_REGISTER:
            return self.meeting_register(year or printed_on.year, printed_on)
        if document == ASSESSMENT:
            return self.assessment_results(year or printed_on.year, printed_on)
        if document == SCORE_SHEETS:
            return self.assessment_sheets(year or printed_on.year, printed_on)
        if document in (SIGN_IN, MINUTES):
            if meeting_id is None:
                raise NotFound(_("Choose the meeting to print."))
            if document == SIGN_IN:
                return self.meeting_sign_in(meeting_id, printed_on)
            return self.meeting_minutes(meeting_id, printed_on)
        if document == DECISIONS:
            return self.open_decisions(printed_on)
        if document == BOARD:
            if year is None:
                years = self.commitment_years()
                year = years[0] if years else printed_on.year
            return self.commitment_board(year, printed_on, draft)
        if document == MEMBERS:
            return self.member_register(printed_on)
        if month is not None:
            month_rosters = self.rosters_of_month(month, printed_on)
            if not month_rosters:
                raise NoRoster(_("There is no duty roster to print for this month."))
            return month_rosters
        data = self.roster(roster_id, printed_on)
        if data is None:
            raise NoRoster(_("There is no duty roster yet. Make one first, then print it."))
        return data

    def assessment_sheets(self, year: int, printed_on: dt.date) -> list[BlankScoreSheetData]:
        """The blank scoring sheets of `year`, one per scorer group."""
        from desktop.models.documents import assessment_sheets

        with self.db.read() as session:
            return assessment_sheets.blank_sheets(session, self.branch_id, year, printed_on)

    def assessment_results(self, year: int, printed_on: dt.date) -> AssessmentPrintData:
        """The result list for the wall and every steward's 年度考核表."""
        from desktop.models.documents import assessment_sheets

        with self.db.read() as session:
            return assessment_sheets.assessment_print(session, self.branch_id, year, printed_on)

    # ------------------------------------------------------------------ meetings

    def meeting_sign_in(self, meeting_id: uuid.UUID, printed_on: dt.date) -> SignInSheetData:
        from desktop.models.documents import meeting_sheets

        with self.db.read() as session:
            return meeting_sheets.sign_in_sheet(session, meeting_id, printed_on)

    def meeting_minutes(self, meeting_id: uuid.UUID, printed_on: dt.date) -> MinutesData:
        from desktop.models.documents import meeting_sheets

        with self.db.read() as session:
            return meeting_sheets.minutes(session, meeting_id, printed_on)

    def open_decisions(self, printed_on: dt.date) -> DecisionListData:
        from desktop.models.documents import meeting_sheets

        with self.db.read() as session:
            return meeting_sheets.open_decisions(session, self.branch_id, printed_on)

    def meeting_register(self, year: int, printed_on: dt.date) -> MeetingRegisterData:
        from desktop.models.documents import meeting_sheets

        with self.db.read() as session:
            return meeting_sheets.meeting_register(session, self.branch_id, year, printed_on)


class NoRoster(NotFound):
    """The branch has no duty roster to print yet."""
