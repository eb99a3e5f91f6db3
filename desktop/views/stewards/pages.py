# SPDX-License-Identifier: GPL-3.0-or-later
"""The stewards area's pages for the main window, with their services bound to the data file."""

from __future__ import annotations

import uuid

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QWidget

from desktop.models.stewards.service import RosterService, ServiceLogService, StewardService
from desktop.models.store.db import Database
from desktop.views.stewards.households_page import HouseholdsPage
from desktop.views.stewards.rosters_page import RostersPage
from desktop.views.stewards.service_log_page import ServiceLogPage
from desktop.views.stewards.stewards_page import StewardsPage


def steward_pages(
    db: Database,
    branch_id: uuid.UUID,
    actor: str | None = None,
    undo_stack: QUndoStack | None = None,
) -> dict[str, QWidget]:
    """Navigation key → page, in the order they appear under the register."""
    stewards = StewardService(db, branch_id, actor)
    return {
        "stewards": StewardsPage(stewards),
        "households": HouseholdsPage(stewards, undo_stack=undo_stack),
        "rosters": RostersPage(RosterService(db, branch_id, actor), stewards),
        "service_log": ServiceLogPage(
            ServiceLogService(db, branch_id, actor), stewards, undo_stack=undo_stack
        ),
    }
