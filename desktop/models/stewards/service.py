# SPDX-License-Identifier: GPL-3.0-or-later
"""Thin service objects of the stewards area: each method is one unit of work (see services.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from pathlib import Path

from desktop.models.register import pinyin
from desktop.models.stewards import (
    appointments,
    households,
    people,
    rosters,
    service_records,
    teams,
)
from desktop.models.stewards.rows import (
    CommitmentRow,
    GradeRow,
    HouseholdDraft,
    HouseholdQuery,
    HouseholdRow,
    RosterDetail,
    RosterRow,
    ServiceDraft,
    ServiceKindRow,
    ServiceQuery,
    ServiceRecordRow,
    ServiceSumRow,
    StewardRow,
    TeamRow,
    UnavailabilityRow,
    VolunteerRow,
)
from desktop.models.store.db import Database


class _Area:
    def __init__(self, db: Database, branch_id: uuid.UUID, actor: str | None = None) -> None:
        self.db, self.branch_id, self.actor = db, branch_id, actor


class StewardService(_Area):
    @staticmethod
    def name_search_text(name: str) -> str:
        """A name with its pinyin and initials ("陈建国 chenjianguo cjg"): what a suggestion
        list matches what the clerk types against (no database involved)."""
        keys = pinyin.name_keys(name)
        return f"{name} {keys.full} {keys.initials}"

    @staticmethod
    def in_pinyin_order(names: Iterable[str]) -> list[str]:
        """Names sorted as the register lists them: by pinyin, then by the characters."""
        return sorted(names, key=lambda name: (pinyin.full_of(name), name))

    def stewards(self, history: bool = False) -> list[StewardRow]:
        with self.db.read() as s:
            return appointments.list_stewards(s, self.branch_id, history=history)

    def appoint(
        self,
        member_id: uuid.UUID,
        role: str,
        party_group_id: uuid.UUID | None,
        started_on: dt.date,
        area: str = "",
    ) -> StewardRow:
        with self.db.unit_of_work(self.actor) as s:
            return appointments.appoint(
                s, self.branch_id, member_id, role, party_group_id, started_on, area=area
            )

    def candidates(
        self, text: str = "", limit: int = -1
    ) -> list[tuple[uuid.UUID, str, uuid.UUID | None, str]]:
        """Members who may be appointed or join a team, matching `text` as the register's
        filter does: (id, name, party group id, party group name), by name; at most `limit`
        (-1: all). The window asks for the first few matches of what the clerk types, never
        the whole register, and reads the groups' names with them (not every group, #22)."""
        from desktop.models.register import members
        from desktop.models.register.rows import MemberQuery

        with self.db.read() as s:
            rows = members.page_members(s, self.branch_id, MemberQuery(text=text), 0, limit)
        return [(r.id, r.name, r.party_group_id, r.party_group_name) for r in rows]

    def party_groups(self) -> list[tuple[uuid.UUID, str]]:
        from desktop.models.register import groups

        with self.db.read() as s:
            return [(gid, name) for gid, _n, name in groups.party_group_names(s, self.branch_id)]

    def end_appointment(self, steward_id: uuid.UUID, ended_on: dt.date) -> None:
        with self.db.unit_of_work(self.actor) as s:
            appointments.end_appointment(s, steward_id, ended_on)

    def set_details(
        self, steward_id: uuid.UUID, area: str | None = None, phone_public: bool | None = None
    ) -> None:
        with self.db.unit_of_work(self.actor) as s:
            appointments.set_details(s, steward_id, area=area, phone_public=phone_public)

    def set_photo(self, steward_id: uuid.UUID, data: bytes | None) -> int:
        with self.db.unit_of_work(self.actor) as s:
            return appointments.set_photo(s, steward_id, data)

    def set_photo_file(self, steward_id: uuid.UUID, path: Path) -> int:
        """The steward's photo from a picture file (checked and shrunk first)."""
        from desktop.models.stewards.photo import read_photo_file

        return self.set_photo(steward_id, read_photo_file(path))

    def photo(self, steward_id: uuid.UUID) -> bytes | None:
        with self.db.read() as s:
            return appointments.steward_photo(s, steward_id)

    def save_commitment(self, steward_id: uuid.UUID, year: int, content: str) -> CommitmentRow:
        with self.db.unit_of_work(self.actor) as s:
            return appointments.save_commitment(s, steward_id, year, content)

    def grades(self, steward_id: uuid.UUID) -> list[GradeRow]:
        """The steward's grades in the final years of the annual assessment, newest first."""
        from desktop.models.assessment import grading
        from desktop.models.assessment.rows import GRADES

        with self.db.read() as s:
            return [
                GradeRow(h.year, h.total, h.grade, GRADES.get(h.grade, h.grade))
                for h in grading.grade_history(s, steward_id)
            ]

    def advance_commitment(
        self, commitment_id: uuid.UUID, on: dt.date, evaluation: str = ""
    ) -> CommitmentRow:
        with self.db.unit_of_work(self.actor) as s:
            return appointments.advance_commitment(s, commitment_id, on, evaluation)

    def teams(self) -> list[TeamRow]:
        with self.db.read() as s:
            return teams.list_teams(s, self.branch_id)

    def volunteers(self, team_id: uuid.UUID) -> list[VolunteerRow]:
        with self.db.read() as s:
            return teams.list_volunteers(s, team_id)

    def group_volunteers(self, party_group_id: uuid.UUID) -> list[VolunteerRow]:
        """The people of the party group's team (the carers a household of the group may have)."""
        with self.db.read() as s:
            return teams.list_group_volunteers(s, self.branch_id, party_group_id)

    def team_people(self) -> list[tuple[uuid.UUID, str, uuid.UUID]]:
        """Every current member of the branch's teams: (volunteer id, name, team id)."""
        with self.db.read() as s:
            return people.team_people(s, self.branch_id)

    def add_volunteer(
        self,
        team_id: uuid.UUID,
        member_id: uuid.UUID | None = None,
        name: str = "",
        phone: str = "",
    ) -> VolunteerRow:
        with self.db.unit_of_work(self.actor) as s:
            return teams.add_volunteer(s, team_id, member_id=member_id, name=name, phone=phone)

    def remove_volunteer(self, volunteer_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as s:
            teams.remove_volunteer(s, volunteer_id)

    def unavailability(self, volunteer_ids: list[uuid.UUID]) -> list[UnavailabilityRow]:
        with self.db.read() as s:
            return teams.list_unavailability(s, volunteer_ids)

    def add_unavailability(
        self, volunteer_id: uuid.UUID, first: dt.date, last: dt.date, reason: str = ""
    ) -> UnavailabilityRow:
        with self.db.unit_of_work(self.actor) as s:
            return teams.add_unavailability(s, volunteer_id, first, last, reason)

    def households(
        self, party_group_id: uuid.UUID | None = None, text: str = ""
    ) -> list[HouseholdRow]:
        """`text`: only households whose head (name, pinyin or initials), address or phone
        holds every word of it."""
        with self.db.read() as s:
            return households.list_households(
                s, self.branch_id, party_group_id=party_group_id, text=text
            )

    def household_page(self, query: HouseholdQuery, offset: int, limit: int) -> list[HouseholdRow]:
        """`limit` households of the list `query` gives, from `offset` (a page of the list)."""
        with self.db.read() as s:
            return households.page_households(s, self.branch_id, query, offset, limit)

    def household_count(self, query: HouseholdQuery) -> int:
        with self.db.read() as s:
            return households.count_households(s, self.branch_id, query)

    def household_position(self, query: HouseholdQuery, household_id: uuid.UUID) -> int | None:
        """Where a household stands in the list `query` gives; None when not in it."""
        with self.db.read() as s:
            return households.household_position(s, self.branch_id, query, household_id)

    def overdue_households(self, text: str = "") -> list[HouseholdRow]:
        with self.db.read() as s:
            return households.overdue_households(s, self.branch_id, text=text)

    def assign_carer(self, household_id: uuid.UUID, volunteer_id: uuid.UUID | None) -> None:
        with self.db.unit_of_work(self.actor) as s:
            households.assign_carer(s, household_id, volunteer_id)

    def villager_groups(self) -> list[tuple[uuid.UUID, str]]:
        from desktop.models.register import groups

        with self.db.read() as s:
            return [(g.id, g.name) for g in groups.list_villager_groups(s, self.branch_id)]

    def household(self, household_id: uuid.UUID) -> HouseholdDraft:
        with self.db.read() as s:
            return households.get_household(s, household_id)

    def validate_household(self, draft: HouseholdDraft) -> dict[str, str]:
        with self.db.read() as s:
            return households.validate_household(
                s, self.branch_id, households.normalize_household(draft)
            )

    def save_household(
        self, draft: HouseholdDraft, household_id: uuid.UUID | None = None
    ) -> uuid.UUID:
        with self.db.unit_of_work(self.actor) as s:
            return households.save_household(s, self.branch_id, draft, household_id)

    def remove_household(self, household_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as s:
            households.remove_household(s, household_id)

    def restore_household(self, household_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as s:
            households.restore_household(s, household_id)

    def find_team(self, text: str) -> TeamRow:
        """A team by its party group's number, its steward's name or its own name."""
        with self.db.read() as s:
            return teams.find_team(s, self.branch_id, text)


class RosterService(_Area):
    def rosters(self, team_id: uuid.UUID | None = None) -> list[RosterRow]:
        with self.db.read() as s:
            return rosters.list_rosters(s, self.branch_id, team_id)

    def find_id(self, prefix: str) -> uuid.UUID | None:
        """The one roster whose id starts with `prefix` (as `roster list` shows it); None when
        no roster, or more than one, does."""
        with self.db.read() as s:
            return rosters.find_roster_id(s, self.branch_id, prefix)

    def detail(self, roster_id: uuid.UUID) -> RosterDetail:
        with self.db.read() as s:
            return rosters.roster_detail(s, roster_id)

    def generate(
        self,
        team_id: uuid.UUID,
        first: dt.date,
        last: dt.date,
        slots: tuple[str, ...] = (),
        days: str = "workdays",
    ) -> RosterDetail:
        with self.db.unit_of_work(self.actor) as s:
            return rosters.generate_roster(s, team_id, first, last, slots=slots, days=days)

    def reassign(self, duty_id: uuid.UUID, volunteer_id: uuid.UUID | None) -> RosterDetail:
        with self.db.unit_of_work(self.actor) as s:
            return rosters.reassign_duty(s, duty_id, volunteer_id)

    def swap(self, first_id: uuid.UUID, second_id: uuid.UUID) -> RosterDetail:
        with self.db.unit_of_work(self.actor) as s:
            return rosters.swap_duties(s, first_id, second_id)

    def key_hours(self, duty_id: uuid.UUID, minutes: int) -> RosterDetail:
        with self.db.unit_of_work(self.actor) as s:
            return rosters.key_duty_hours(s, duty_id, minutes)

    def mark_printed(self, roster_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as s:
            rosters.mark_printed(s, roster_id)

    def remove(self, roster_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as s:
            rosters.remove_roster(s, roster_id)


class ServiceLogService(_Area):
    def kinds(self) -> list[ServiceKindRow]:
        with self.db.read() as s:
            return service_records.list_kinds(s, self.branch_id)

    def all_kinds(self) -> list[ServiceKindRow]:
        """Every kind, the hidden ones too (for configuring them)."""
        with self.db.read() as s:
            return service_records.list_kinds(s, self.branch_id, include_hidden=True)

    def save_kind(self, code: str, name: str, active: bool = True) -> None:
        with self.db.unit_of_work(self.actor) as s:
            service_records.save_kind(s, self.branch_id, code, name, active)

    def validate(self, draft: ServiceDraft) -> dict[str, str]:
        with self.db.read() as s:
            return service_records.validate(s, self.branch_id, draft)

    def record(self, draft: ServiceDraft) -> ServiceRecordRow:
        with self.db.unit_of_work(self.actor) as s:
            return service_records.record_service(s, self.branch_id, draft)

    def update(self, record_id: uuid.UUID, draft: ServiceDraft) -> ServiceRecordRow:
        """Change a recorded service (one transaction; change-logged and audited)."""
        with self.db.unit_of_work(self.actor) as s:
            return service_records.update_service(s, self.branch_id, record_id, draft)

    def remove(self, record_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as s:
            service_records.remove_service(s, record_id)

    def restore(self, record_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as s:
            service_records.restore_service(s, record_id)

    def records(self, query: ServiceQuery = ServiceQuery()) -> list[ServiceRecordRow]:
        with self.db.read() as s:
            return service_records.list_services(s, self.branch_id, query)

    def record_page(self, query: ServiceQuery, offset: int, limit: int) -> list[ServiceRecordRow]:
        """`limit` records of the list `query` gives, newest first, from `offset`."""
        with self.db.read() as s:
            return service_records.page_services(s, self.branch_id, query, offset, limit)

    def record_count(self, query: ServiceQuery) -> tuple[int, int]:
        """How many records `query` gives, and their minutes."""
        with self.db.read() as s:
            return service_records.count_services(s, self.branch_id, query)

    def record_position(self, query: ServiceQuery, record_id: uuid.UUID) -> int | None:
        """Where the record stands in the list `query` gives (None: not in it)."""
        with self.db.read() as s:
            return service_records.service_position(s, self.branch_id, query, record_id)

    def sums(self, by: str, query: ServiceQuery = ServiceQuery()) -> list[ServiceSumRow]:
        with self.db.read() as s:
            return service_records.sum_services(s, self.branch_id, by, query)

    def find_volunteer(self, name: str) -> uuid.UUID | None:
        """The one team member called `name`; None when nobody, or more than one, is."""
        with self.db.read() as s:
            return people.find_volunteer(s, self.branch_id, name)

    def find_household(self, name: str) -> uuid.UUID | None:
        """The one household whose head or address is `name`; None when none, or several."""
        with self.db.read() as s:
            return people.find_household(s, self.branch_id, name)

    def search_households(self, text: str, limit: int) -> list[tuple[uuid.UUID, str, str]]:
        """The first `limit` households matching `text` (head by name, pinyin or initials,
        address, phone), by the head's pinyin: (id, head, address). Never every household."""
        with self.db.read() as s:
            return people.search_households(s, self.branch_id, text, limit)
