# SPDX-License-Identifier: GPL-3.0-or-later
"""How the member register scales: the pages the table asks for, at town and county scale.

    .venv/bin/python benchmarks/register_paging.py [--members 200000]

The machine is shared and noisy, so nothing is timed against a wall-clock limit. Each figure is a
ratio against a floor measured in the same run on the same file: one full scan of the member table
(`count(*)` with a LIKE no index can serve). What the register does on a keystroke must stay a
small multiple of that floor, and opening the register (the first page, sorted by name) must be a
fraction of it, because it walks the name index instead of the table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select

from desktop.models.register import (
    members,
    validation,
)
from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.member import Member
from desktop.models.register.rows import MemberQuery
from desktop.models.store.base import uuid7
from desktop.models.store.db import Database

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"
#: Upper bounds of each figure, as a multiple of the floor.
TARGETS = {
    "open the register (page 1 by name)": 0.5,
    "scroll to the middle": 3.0,
    "count with a filter": 5.0,
    "filter by name as typed (page 1)": 5.0,
    "filter by ID-number digits (page 1)": 5.0,
}


def populate(db: Database, count: int) -> uuid.UUID:
    """`count` members in 12 groups; inserted with Core, as an import of old records would be."""
    with db.unit_of_work() as session:
        branch = create_branch(session, "基准村党支部", "青山镇", "临江县")
        groups = [add_party_group(session, branch.id).id for _ in range(12)]
    rows = []
    start = dt.date(1940, 1, 1)
    for n in range(count):
        birth = start + dt.timedelta(days=n % 20000)
        rows.append(
            {
                "id": uuid7(),
                "deleted": False,
                "branch_id": branch.id,
                "party_group_id": groups[n % 12],
                "name": SURNAMES[n % 24] + GIVEN[(n // 24) % 24] + GIVEN[(n // 576) % 24],
                "gender": "male" if n % 2 else "female",
                "id_number": validation.make_id_number("430121", birth, n % 1000),
                "ethnicity": "01",
                "birth_date": birth,
                "status": "full",
                "joined_on": dt.date(1990, 7, 1),
                "confirmed_on": dt.date(1991, 7, 1),
                "phone": f"139{n:08d}",
                "address": "",
                "standing": "normal",
                "lost_contact": False,
                "floating": False,
                "floating_to": "",
                "notes": "",
            }
        )
        if len(rows) == 20000:
            with db.engine.begin() as conn:
                conn.execute(insert(Member), rows)
            rows.clear()
    if rows:
        with db.engine.begin() as conn:
            conn.execute(insert(Member), rows)
    return branch.id


def best_of(fn: Callable[[], object], repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(sorted(times)[: max(3, repeat // 2)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Database.open(Path(folder))
        branch_id = populate(db, args.members)

        def read(fn: Callable[..., object], *a: object) -> Callable[[], object]:
            def run() -> object:
                with db.read() as session:
                    return fn(session, *a)

            return run

        def scan(session) -> object:  # type: ignore[no-untyped-def]
            return session.scalar(
                select(func.count())
                .select_from(Member)
                .where(Member.notes.like("%没有这样的备注%"))
            )

        floor = best_of(read(scan))
        by_name = MemberQuery()
        figures = {
            "open the register (page 1 by name)": best_of(
                read(members.page_members, branch_id, by_name, 0, 200)
            ),
            "scroll to the middle": best_of(
                read(members.page_members, branch_id, by_name, args.members // 2, 200)
            ),
            "count with a filter": best_of(
                read(members.count_members, branch_id, MemberQuery("王伟"))
            ),
            "filter by name as typed (page 1)": best_of(
                read(members.page_members, branch_id, MemberQuery("王伟"), 0, 200)
            ),
            "filter by ID-number digits (page 1)": best_of(
                read(members.page_members, branch_id, MemberQuery("0315"), 0, 200)
            ),
        }
        db.close()
    print(f"members: {args.members:,}; floor (one full scan): {floor * 1000:.1f} ms")
    failed = 0
    for name, seconds in figures.items():
        ratio = seconds / floor
        ok = ratio <= TARGETS[name]
        failed += not ok
        print(
            f"{name:40s} {ratio:6.2f} x floor  (target <= {TARGETS[name]})"
            f"  {'ok' if ok else 'OVER'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
