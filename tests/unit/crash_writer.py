# SPDX-License-Identifier: GPL-3.0-or-later
"""A writer process for the crash-safety test: adds members through the data core, forever.

    python -m tests.unit.crash_writer DATA_DIR BRANCH_ID FIRST

Each transaction adds two members whose notes name the batch; after its commit returns, the
batch number is printed (and flushed). Everything printed must survive a SIGKILL at any moment.
Credentials come from RED_STEWARD_USER / RED_STEWARD_PASSWORD, as for the command line.
"""

from __future__ import annotations

import datetime as dt
import sys
import uuid
from pathlib import Path

from desktop.models.register import validation
from desktop.models.register.members import save_member
from desktop.models.register.rows import MemberDraft
from desktop.models.store.db import Database

PER_BATCH = 2


def draft(n: int, batch: int) -> MemberDraft:
    # Born 1950–1971, so 18 or older when joining in 1990 however many the writer adds
    # (a fast run once reached a member born in 1972); (birth, sequence) never repeats.
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=n % 8000)
    return MemberDraft(
        name="李" + "红军建国秀兰"[n % 6],
        status="full",
        id_number=validation.make_id_number("430121", birth, (n // 8000) % 1000),
        joined_on=dt.date(1990, 7, 1),
        confirmed_on=dt.date(1991, 7, 1),
        phone=f"137{n:08d}",
        notes=f"batch-{batch}",
    )


def main(folder: Path, branch_id: uuid.UUID, first: int) -> None:
    db = Database.open(folder, create=False)
    print("ready", flush=True)  # noqa: T201 - the protocol with the test
    batch = first
    while True:
        with db.unit_of_work() as session:
            for i in range(PER_BATCH):
                save_member(session, branch_id, draft(batch * PER_BATCH + i, batch))
        print(f"committed {batch}", flush=True)  # noqa: T201
        batch += 1


if __name__ == "__main__":
    main(Path(sys.argv[1]), uuid.UUID(sys.argv[2]), int(sys.argv[3]))
