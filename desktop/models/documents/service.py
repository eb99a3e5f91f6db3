# SPDX-License-Identifier: GPL-3.0-or-later
"""The print centre's service: each method is one read of the data a printed sheet needs."""

from __future__ import annotations

import datetime as dt
import uuid

from desktop.models.documents import sheets
from desktop.models.documents.rows import (
    CommitmentBoardData,
    DecisionListData,
    MeetingRegisterData,
    MemberRegisterData,
    MinutesData,
    RosterSheetData,
    SignInSheetData,
)
from desktop.models.stewards import rosters
from desktop.models.store.db import Database


class PrintService:
    def __init__(self, db: Database, branch_id: uuid.UUID) -> None:
        self.db, self.branch_id = db, branch_id

    def commitment_years(self) -> list[int]:
        with self.db.read() as session:
            return sheets.commitment_years(session, self.branch_id)

    def commitment_board(self, year: int, printed_on: dt.date) -> CommitmentBoardData:
        with self.db.read() as session:
            return sheets.commitment_board(session, self.branch_id, year, printed_on)

    def member_register(self, printed_on: dt.date) -> MemberRegisterData:
        with self.db.read() as session:
            return sheets.member_register(session, self.branch_id, printed_on)

    def rosters(self, printed_on: dt.date) -> list[RosterSheetData]:
        """The rosters that can be printed, newest first."""
        with self.db.read() as session:
            return [
                sheets.roster_sheet_data(
                    rosters.roster_sheet(session, row.id), row.slots, printed_on
                )
                for row in rosters.list_rosters(session, self.branch_id)
            ]

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
