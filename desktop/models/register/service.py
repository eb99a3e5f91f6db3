# SPDX-License-Identifier: GPL-3.0-or-later
"""Thin service objects for the views: each method is one unit of work over the functions.

Views receive these by injection (never as globals), and tests pass ones bound to a test database.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from desktop.errors import RowsInvalid
from desktop.models.register import groups, member_fields, members
from desktop.models.register.rows import (
    BranchInfo,
    MemberDraft,
    MemberQuery,
    MemberRow,
    PartyGroupRow,
    VillagerGroupRow,
)
from desktop.models.store import history
from desktop.models.store.db import Database
from desktop.models.store.history import ChangeRow

if TYPE_CHECKING:
    from desktop.models.meetings.rows import AttendanceCount


class BranchService:
    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db, self.actor = db, actor

    def all(self) -> list[BranchInfo]:
        """Every branch this data file holds (a town hub holds its villages')."""
        with self.db.read() as session:
            return groups.list_branches(session)

    def current(self) -> BranchInfo | None:
        with self.db.read() as session:
            return groups.current_branch(session)

    def create(self, name: str, town: str, county: str, phone: str = "") -> BranchInfo:
        with self.db.unit_of_work(self.actor) as session:
            return groups.create_branch(session, name, town, county, phone)

    def party_groups(self, branch_id: uuid.UUID) -> list[PartyGroupRow]:
        with self.db.read() as session:
            return groups.list_party_groups(session, branch_id)

    def villager_groups(self, branch_id: uuid.UUID) -> list[VillagerGroupRow]:
        with self.db.read() as session:
            return groups.list_villager_groups(session, branch_id)

    def add_party_group(self, branch_id: uuid.UUID, name: str = "") -> PartyGroupRow:
        with self.db.unit_of_work(self.actor) as session:
            return groups.add_party_group(session, branch_id, name)

    def rename_party_group(self, group_id: uuid.UUID, name: str) -> None:
        with self.db.unit_of_work(self.actor) as session:
            groups.rename_party_group(session, group_id, name)

    def party_group_removal_problem(self, group_id: uuid.UUID) -> str | None:
        """Why the group cannot be removed (asked before the clerk confirms), or None."""
        with self.db.read() as session:
            return groups.party_group_removal_problem(session, group_id)

    def remove_party_group(self, group_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as session:
            groups.remove_party_group(session, group_id)

    def restore_party_group(self, group_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as session:
            groups.restore_party_group(session, group_id)

    def load_demo(self) -> BranchInfo:
        """Fill an empty data file with the demonstration branch (the first-run choice)."""
        from desktop.models.demo import loader

        with self.db.unit_of_work(self.actor) as session:
            _created, branch = loader.load_demo(session)
        return branch

    def pending_changes(self) -> int:
        with self.db.read() as session:
            return history.pending_change_count(session)

    def recent_changes(self, limit: int = 100) -> list[ChangeRow]:
        """The change log's latest entries, newest first."""
        with self.db.read() as session:
            return history.recent_changes(session, limit)

    def party_group_id(self, branch_id: uuid.UUID, number: int) -> uuid.UUID | None:
        """The party group with this number, if the branch has one."""
        with self.db.read() as session:
            return groups.party_group_by_number(session, branch_id, number)


class MemberService:
    def __init__(self, db: Database, branch_id: uuid.UUID, actor: str | None = None) -> None:
        self.db, self.branch_id, self.actor = db, branch_id, actor

    def count(self, query: MemberQuery) -> int:
        with self.db.read() as session:
            return members.count_members(session, self.branch_id, query)

    def page(self, query: MemberQuery, offset: int, limit: int) -> list[MemberRow]:
        with self.db.read() as session:
            return members.page_members(session, self.branch_id, query, offset, limit)

    def get(self, member_id: uuid.UUID) -> MemberRow:
        with self.db.read() as session:
            return members.get_member(session, member_id)

    def attendance(self, member_id: uuid.UUID, year: int) -> AttendanceCount | None:
        """The member's meetings of `year` (expected, present, leave, absent, made up): the
        meetings area's count, for the member dialog; None when no meeting expected them."""
        from desktop.models.meetings import meetings as meeting_records

        with self.db.read() as session:
            found = meeting_records.attendance_counts(session, self.branch_id, year, member_id)
        return found[0] if found and found[0].expected else None

    # The rules the member dialog applies as the clerk types (no session needed).

    @staticmethod
    def read_date(text: str) -> dt.date | None:
        """A date as a clerk types it (2019-07-01, 2019.7.1, 2019-07); ValueError if unreadable."""
        from desktop.models.register.member_fields import parse_date

        return parse_date(text)

    @staticmethod
    def id_number_facts(text: str, today: dt.date) -> tuple[str, dt.date, str] | None:
        """A complete, valid ID number as typed: (the number as stored, the birth date and the
        gender it carries); None while it is incomplete or wrong."""
        from desktop.models.register import validation

        id_number = validation.normalize_id_number(text)
        if (
            len(id_number) != validation.ID_LENGTH
            or validation.id_number_problem(id_number, today) is not None
        ):
            return None
        return (
            id_number,
            validation.birth_date_from_id(id_number),
            validation.gender_from_id(id_number),
        )

    def validate(self, draft: MemberDraft, member_id: uuid.UUID | None = None) -> dict[str, str]:
        with self.db.read() as session:
            draft = members.normalize(draft)
            return members.validate(session, self.branch_id, draft, member_id)

    def save(self, draft: MemberDraft, member_id: uuid.UUID | None = None) -> MemberRow:
        with self.db.unit_of_work(self.actor) as session:
            return members.save_member(session, self.branch_id, draft, member_id)

    def move_to_group(self, member_ids: list[uuid.UUID], party_group_id: uuid.UUID) -> int:
        """Move the members to the party group in one transaction; how many moved."""
        with self.db.unit_of_work(self.actor) as session:
            return members.move_members(session, self.branch_id, member_ids, party_group_id)

    def add_many(
        self,
        drafts: Iterable[MemberDraft],
        batch_size: int = 5000,
        progress: Callable[[int], None] | None = None,
    ) -> list[uuid.UUID]:
        """Add many members (imports, a hub's first fill), `batch_size` per unit of work.

        The rules and change-log entries are those of `save`. Each batch is all or nothing: an
        invalid draft raises `RowsInvalid` (indexes counted from the first draft of the call)
        and its batch is not written; earlier batches stay saved. `progress` gets the number
        of members saved so far after each batch.
        """
        ids: list[uuid.UUID] = []
        batch: list[MemberDraft] = []

        def flush() -> None:
            try:
                with self.db.unit_of_work(self.actor) as session:
                    ids.extend(members.add_members(session, self.branch_id, batch))
            except RowsInvalid as error:
                raise RowsInvalid(
                    {len(ids) + index: problems for index, problems in error.rows.items()}
                ) from None
            batch.clear()
            if progress is not None:
                progress(len(ids))

        for draft in drafts:
            batch.append(draft)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        return ids

    def remove(self, member_id: uuid.UUID) -> None:
        with self.db.unit_of_work(self.actor) as session:
            members.remove_member(session, member_id)

    def restore(self, member_id: uuid.UUID) -> MemberRow:
        with self.db.unit_of_work(self.actor) as session:
            return members.restore_member(session, member_id)

    def rows(self, query: MemberQuery) -> list[MemberRow]:
        """Every member the query matches (for a listing or a script, not a widget)."""
        with self.db.read() as session:
            return members.list_members(session, self.branch_id, query)

    def find_by_id_number(self, id_number: str, removed: bool = False) -> MemberRow | None:
        """The member with this ID number; with `removed`, one whose removal can be undone."""
        with self.db.read() as session:
            return members.find_by_id_number(session, self.branch_id, id_number, removed)

    def save_fields(
        self, assignments: Iterable[str], member_id: uuid.UUID | None = None
    ) -> MemberRow:
        """Add a member (or change `member_id`) from `FIELD=VALUE` texts, read as the
        spreadsheet import reads its cells; every unreadable one is reported together."""
        with self.db.unit_of_work(self.actor) as session:
            draft = members.get_member(session, member_id).draft if member_id else MemberDraft()
            draft = member_fields.apply_assignments(session, self.branch_id, draft, assignments)
            return members.save_member(session, self.branch_id, draft, member_id)
