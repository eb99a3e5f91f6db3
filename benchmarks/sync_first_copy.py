# SPDX-License-Identifier: GPL-3.0-or-later
"""A large first copy to the hub: bounded rounds against one whole bundle.

    .venv/bin/python benchmarks/sync_first_copy.py [--members 2000] [--batch 5000]

The machine is shared and noisy, so nothing is timed against a wall-clock limit. The floor is the
old way, measured in the same run on the same data: one bundle with everything, imported by the
hub in one transaction (`exchange_once` without a limit). The figure is the same copy in bounded
rounds (`export_batch` + `exchange_once(limit)` + applying each answer, as `sync push` does
without the HTTP), as a multiple of that floor. A round streams its part of the export
(docs/sync.md, "Cost"); whether the time per entry stays flat as the copy grows is the
`sync-first-copy` scenario of `python -m benchmarks`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from desktop.hub.app import exchange_once
from desktop.models.register import validation
from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.members import save_member
from desktop.models.register.rows import MemberDraft
from desktop.models.store import keyring
from desktop.models.store.changelog import Change
from desktop.models.store.db import Database
from desktop.sync import exchange
from desktop.sync.service import SyncService

#: Upper bound of the rounds' time, as a multiple of the one-bundle floor.
TARGET = 4.0


def populate(db: Database, members: int) -> int:
    """A branch of `members` members entered through the service (so the change log has them)."""
    with db.unit_of_work("bench") as session:
        branch = create_branch(session, "基准村党支部", "青山镇", "临江县")
        add_party_group(session, branch.id)
    for start in range(0, members, 200):
        with db.unit_of_work("bench") as session:
            for n in range(start, min(start + 200, members)):
                birth = dt.date(1940, 1, 1) + dt.timedelta(days=n % 20000)
                save_member(
                    session,
                    branch.id,
                    MemberDraft(
                        name="王" + "伟芳娜秀英"[n % 5],
                        id_number=validation.make_id_number("430121", birth, n % 1000),
                        status="full",
                        joined_on=dt.date(1990, 7, 1),
                        confirmed_on=dt.date(1991, 7, 1),
                        phone=f"139{n:08d}",
                        address=f"{n % 9 + 1}组",
                    ),
                )
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Change)) or 0


def pair(a: SyncService, b: SyncService, folder: Path) -> None:
    for x, y in ((a, b), (b, a)):
        card = x.write_card(folder / f"{id(x)}.card")
        y.trust(y.read_card(card))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=exchange.BATCH_ENTRIES)
    args = parser.parse_args()
    # Throwaway replicas: a bench account, and a cheap key derivation (not what is measured).
    os.environ.setdefault("RED_STEWARD_USER", "bench")
    os.environ.setdefault("RED_STEWARD_PASSWORD", "bench-Pa55word!")
    keyring.KDF_DEFAULT = {"memory_kib": 64, "iterations": 1, "lanes": 1}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        office, whole, rounds = (Database.open(root / n) for n in ("office", "hub1", "hub2"))
        services = {db: SyncService(db, "bench") for db in (office, whole, rounds)}
        entries = populate(office, args.members)
        pair(services[office], services[whole], root)
        pair(services[office], services[rounds], root)

        t0 = time.perf_counter()
        data, _count = exchange.export_bytes(office, whole.replica_id)
        status, answer, _summary = exchange_once(whole, data)
        exchange.import_bundle(office, answer, "bench", backup_first=False)
        floor = time.perf_counter() - t0
        assert status == 200

        t0 = time.perf_counter()
        made = 0
        while True:
            made += 1
            batch = exchange.export_batch(office, rounds.replica_id, args.batch)
            status, answer, summary = exchange_once(rounds, batch.data, args.batch)
            exchange.import_bundle(office, answer, "bench", backup_first=False)
            if batch.waiting == 0 and summary["waiting"] == 0:
                break
        bounded = time.perf_counter() - t0
        for db in (office, whole, rounds):
            db.close()
    ratio = bounded / floor
    print(f"{entries} entries; one bundle (floor): {floor:.2f} s")
    print(
        f"{made} rounds of {args.batch}: {bounded:.2f} s = {ratio:.2f} x floor (target <= {TARGET})"
    )
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
