# SPDX-License-Identifier: GPL-3.0-or-later
"""The data core: SQLAlchemy models and the services over them. No Qt here."""

from desktop.models.assessment.assessment import (
    Assessment,
    AssessmentResult,
    AssessmentRule,
    AssessmentScorer,
    Score,
    ScoreSheet,
)
from desktop.models.meetings.meeting import (
    Attendance,
    CommitteeSeat,
    Decision,
    Meeting,
    MeetingFrequency,
)
from desktop.models.register.branch import Branch, PartyGroup, VillagerGroup
from desktop.models.register.member import Member
from desktop.models.stewards.household import Household, HouseholdCare
from desktop.models.stewards.roster import Duty, Roster
from desktop.models.stewards.service_record import (
    ServiceHousehold,
    ServiceKind,
    ServicePerson,
    ServiceRecord,
)
from desktop.models.stewards.steward import Commitment, Steward
from desktop.models.stewards.team import ServiceTeam, Unavailability, Volunteer
from desktop.models.store.base import Base, SyncedRecord, uuid7
from desktop.models.store.changelog import Change, ChangeBase, FieldHead, Replica
from desktop.models.store.sync_state import (
    SyncCheckpoint,
    SyncConflict,
    SyncIdentity,
    SyncImport,
    SyncPeer,
)

__all__ = [
    "Assessment",
    "AssessmentResult",
    "AssessmentRule",
    "AssessmentScorer",
    "Attendance",
    "Base",
    "Branch",
    "Change",
    "ChangeBase",
    "Commitment",
    "CommitteeSeat",
    "Decision",
    "Duty",
    "FieldHead",
    "Household",
    "HouseholdCare",
    "Meeting",
    "MeetingFrequency",
    "Member",
    "PartyGroup",
    "Replica",
    "Roster",
    "Score",
    "ScoreSheet",
    "ServiceHousehold",
    "ServiceKind",
    "ServicePerson",
    "ServiceRecord",
    "ServiceTeam",
    "Steward",
    "SyncCheckpoint",
    "SyncConflict",
    "SyncIdentity",
    "SyncImport",
    "SyncPeer",
    "SyncedRecord",
    "Unavailability",
    "VillagerGroup",
    "Volunteer",
    "uuid7",
]
