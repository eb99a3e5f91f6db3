# SPDX-License-Identifier: GPL-3.0-or-later
"""The print centre's service: each method is one read of the data a printed sheet needs."""

from __future__ import annotations

import datetime as dt
import uuid

from desktop.models import board, roster_service
from desktop.models.db import Database
from desktop.models.readmodels import CommitmentBoardData, MemberRegisterData, RosterSheetData


class PrintService:
    def __init__(self, db: Database, branch_id: uuid.UUID) -> None:
        self.db, self.branch_id = db, branch_id

    def commitment_years(self) -> list[int]:
        with self.db.read() as session:
            return board.commitment_years(session, self.branch_id)

    def commitment_board(self, year: int, printed_on: dt.date) -> CommitmentBoardData:
        with self.db.read() as session:
            return board.commitment_board(session, self.branch_id, year, printed_on)

    def member_register(self, printed_on: dt.date) -> MemberRegisterData:
        with self.db.read() as session:
            return board.member_register(session, self.branch_id, printed_on)

    def rosters(self, printed_on: dt.date) -> list[RosterSheetData]:
        """The rosters that can be printed, newest first."""
        with self.db.read() as session:
            return [
                board.roster_sheet_data(roster_service.roster_sheet(session, row.id), row.slots,
                                        printed_on)
                for row in roster_service.list_rosters(session, self.branch_id)
            ]
