# SPDX-License-Identifier: GPL-3.0-or-later
"""The one place that makes services: every area's service object for one open data file.

The window's composition root (`desktop.views.app`) and the command line (`desktop.cli`) build
one `Services` and hand its parts on; pages and commands call service methods only, never a
session or SQL. Each service is made on first use, so a command that lists members never
imports sync or the spreadsheet libraries. No Qt here.

A new area adds its service as one property below.
"""

from __future__ import annotations

import uuid
from functools import cached_property
from typing import TYPE_CHECKING

from desktop.models.register.rows import BranchInfo
from desktop.models.register.service import BranchService, MemberService
from desktop.models.store.db import Database

if TYPE_CHECKING:
    from pathlib import Path

    from desktop.models.assessment.service import AssessmentService
    from desktop.models.audit.service import AuditService
    from desktop.models.demo.service import DemoService
    from desktop.models.documents.service import PrintService
    from desktop.models.meetings.service import MeetingService
    from desktop.models.stewards.service import (
        RosterService,
        ServiceLogService,
        StewardService,
    )
    from desktop.models.store.accounts import AccountService
    from desktop.models.store.keyring import Credentials
    from desktop.models.store.salvage import SalvageSummary
    from desktop.sync.service import SyncService
    from desktop.tabular.service import TabularService


class Services:
    """The services of one data file and its current branch.

    `actor` names who makes changes when no account is signed in (a hub's own work); with a
    signed-in account the change log records that account, whatever `actor` says.
    """

    def __init__(self, db: Database, actor: str | None = None) -> None:
        self.db, self.actor = db, actor

    # ------------------------------------------------------------------ the data file

    @cached_property
    def branches(self) -> BranchService:
        return BranchService(self.db, self.actor)

    @cached_property
    def accounts(self) -> AccountService:
        from desktop.models.store.accounts import AccountService

        return AccountService(self.db)

    @cached_property
    def sync(self) -> SyncService:
        from desktop.sync.service import SyncService

        return SyncService(self.db, self.actor)

    @cached_property
    def audit(self) -> AuditService:
        from desktop.models.audit.service import AuditService
        from desktop.sync.identity import replica_labels

        return AuditService(self.db, replica_labels)  # the PCs named as the sync page does

    @cached_property
    def demo(self) -> DemoService:
        """Loads the demo branch (then call `forget_branch`)."""
        from desktop.models.demo.service import DemoService

        return DemoService(self.db, self.actor)

    def restore(self, backup_file: Path, credentials: Credentials) -> tuple[Services, Path]:
        """Swap the data for a backup: close this file, restore, open the restored one.

        Returns the services of the restored file and where the previous data was kept. On a
        refusal (a wrong password, a damaged file) this file stays closed: sign in again.
        """
        from desktop.models.store import backup

        folder = self.db.path.parent
        self.db.close()
        aside = backup.restore_backup(backup_file, folder, credentials)
        db = Database.open(folder, create=False, credentials=credentials)
        return Services(db, self.actor), aside

    def salvage(self, credentials: Credentials) -> SalvageSummary:
        """What can be saved from this (damaged) data file, merged with the newest backup, in
        a file beside it; nothing is replaced (`use_salvaged`, `discard_salvaged`)."""
        from desktop.models.store import salvage

        return salvage.salvage(self.db.path.parent, credentials)

    def discard_salvaged(self) -> None:
        from desktop.models.store import salvage

        salvage.discard_salvaged(self.db.path.parent)

    def use_salvaged(self, credentials: Credentials) -> tuple[Services, Path]:
        """Swap the damaged file for the salvaged one (kept aside, as a restore does) and open
        it: the services of the salvaged file and where the damaged one is kept."""
        from desktop.models.store import salvage

        folder = self.db.path.parent
        self.db.close()
        aside = salvage.replace_with_salvaged(folder)
        db = Database.open(folder, create=False, credentials=credentials)
        return Services(db, self.actor), aside

    # ------------------------------------------------------------------ the current branch

    @cached_property
    def branch(self) -> BranchInfo:
        """The branch this data file keeps; a `NoBranch` error when there is none yet."""
        branch = self.branches.current()
        if branch is None:
            from desktop.errors import NoBranch

            raise NoBranch(self.db.path.parent)
        return branch

    @property
    def branch_id(self) -> uuid.UUID:
        return self.branch.id

    def for_branch(self, branch: BranchInfo) -> Services:
        """The services of another branch this data file holds (a town hub holds many): the
        same areas, working on `branch` (see `branches.all()`)."""
        other = Services(self.db, self.actor)
        other.__dict__["branch"] = branch
        return other

    def forget_branch(self) -> None:
        """After the branch was created or renamed: read it again on next use."""
        self.__dict__.pop("branch", None)

    @cached_property
    def members(self) -> MemberService:
        return MemberService(self.db, self.branch_id, self.actor)

    @cached_property
    def stewards(self) -> StewardService:
        from desktop.models.stewards.service import StewardService

        return StewardService(self.db, self.branch_id, self.actor)

    @cached_property
    def rosters(self) -> RosterService:
        from desktop.models.stewards.service import RosterService

        return RosterService(self.db, self.branch_id, self.actor)

    @cached_property
    def service_log(self) -> ServiceLogService:
        from desktop.models.stewards.service import ServiceLogService

        return ServiceLogService(self.db, self.branch_id, self.actor)

    @cached_property
    def meetings(self) -> MeetingService:
        from desktop.models.meetings.service import MeetingService

        return MeetingService(self.db, self.branch_id, self.actor)

    @cached_property
    def printing(self) -> PrintService:
        from desktop.models.documents.service import PrintService

        return PrintService(self.db, self.branch_id)

    @cached_property
    def tabular(self) -> TabularService:
        from desktop.tabular.service import TabularService

        return TabularService(self.db, self.branch_id, self.actor)

    @cached_property
    def assessment(self) -> AssessmentService:
        from desktop.models.assessment.service import AssessmentService

        return AssessmentService(self.db, self.branch_id, self.actor)
