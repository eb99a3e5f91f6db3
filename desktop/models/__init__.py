# SPDX-License-Identifier: GPL-3.0-or-later
"""The data core: SQLAlchemy models and the services over them. No Qt here."""

from desktop.models.base import Base, SyncedRecord, uuid7
from desktop.models.branch import Branch, PartyGroup, VillagerGroup
from desktop.models.changelog import Change, FieldHead, Replica
from desktop.models.household import Household
from desktop.models.member import Member
from desktop.models.steward import Commitment, Steward

__all__ = [
    "Base",
    "Branch",
    "Change",
    "Commitment",
    "FieldHead",
    "Household",
    "Member",
    "PartyGroup",
    "Replica",
    "Steward",
    "SyncedRecord",
    "VillagerGroup",
    "uuid7",
]
