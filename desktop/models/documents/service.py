# SPDX-License-Identifier: GPL-3.0-or-later
"""The print centre's service: each method is one read of the data a printed sheet needs."""

from __future__ import annotations

import datetime as dt
import uuid

from desktop.models.documents import sheets
from desktop.models.documents.rows import CommitmentBoardData, MemberRegisterData, RosterSheetData
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
                sheets.roster_sheet(session, row.id, printed_on)
                for row in rosters.list_rosters(session, self.branch_id)
            ]
