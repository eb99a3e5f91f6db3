# SPDX-License-Identifier: GPL-3.0-or-later
"""The households as a Qt table model that pages from the database (as the register does).

The rows are counted, and only the pages the view shows are read (`PagedRowsModel`), in the
order and with the filters of a `HouseholdQuery`, so a county's households never sit in memory
at once (#22).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from desktop.models.stewards.rows import HouseholdQuery
from desktop.models.stewards.service import StewardService
from desktop.views.qtmodels.paged_model import PagedRowsModel
from desktop.views.qtmodels.rows_model import Column


class HouseholdTableModel(PagedRowsModel):
    def __init__(
        self, stewards: StewardService, columns: Sequence[Column], parent: Any = None
    ) -> None:
        super().__init__(columns, parent)
        self._stewards = stewards
        self._query = HouseholdQuery()

    @property
    def query(self) -> HouseholdQuery:
        return self._query

    def set_query(self, query: HouseholdQuery) -> None:
        """Show the households `query` gives (read again: also after a change)."""
        self._query = query
        self.set_source(
            lambda: self._stewards.household_count(query),
            lambda offset, limit: self._stewards.household_page(query, offset, limit),
        )

    def select_record(self, view: Any, household_id: uuid.UUID) -> bool:
        """Select and make current, in `view`, the row of this household (wherever it stands
        in the list, found by the database); False when the list does not hold it."""
        row = self._stewards.household_position(self._query, household_id)
        if row is None or not 0 <= row < self._count:
            return False
        view.selectRow(row)
        view.setCurrentIndex(self.index(row, 0))
        return True
