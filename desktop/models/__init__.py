# SPDX-License-Identifier: GPL-3.0-or-later
"""The data core: SQLAlchemy models and the services over them. No Qt here."""

from desktop.models.base import Base, SyncedRecord, uuid7
from desktop.models.branch import Branch, PartyGroup, VillagerGroup
from desktop.models.changelog import Change, ChangeBase, FieldHead, Replica
from desktop.models.household import Household, HouseholdCare
from desktop.models.member import Member
from desktop.models.roster import Duty, Roster
from desktop.models.service_log import ServiceHousehold, ServiceKind, ServicePerson, ServiceRecord
from desktop.models.steward import Commitment, Steward
from desktop.models.sync_state import (
    SyncCheckpoint,
    SyncConflict,
    SyncIdentity,
    SyncImport,
    SyncPeer,
)
from desktop.models.team import ServiceTeam, Unavailability, Volunteer

__all__ = [
    "Base",
    "Branch",
    "Change",
    "ChangeBase",
    "Commitment",
    "FieldHead",
    "Household",
    "HouseholdCare",
    "Duty",
    "Roster",
    "ServiceHousehold",
    "ServiceKind",
    "ServicePerson",
    "ServiceRecord",
    "ServiceTeam",
    "Unavailability",
    "Volunteer",
    "Member",
    "PartyGroup",
    "Replica",
    "Steward",
    "SyncCheckpoint",
    "SyncConflict",
    "SyncIdentity",
    "SyncImport",
    "SyncPeer",
    "SyncedRecord",
    "VillagerGroup",
    "uuid7",
]
