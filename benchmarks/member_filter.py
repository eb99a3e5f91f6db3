# SPDX-License-Identifier: GPL-3.0-or-later
"""A keystroke in the register's filter, to the first visible page, at county scale (#22).

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/member_filter.py [--members 200000]

`ours` is what the register's table model does when the filter text changes (set the filter,
then read the first row the view shows); the floor is the same SQL in bare DB-API calls on the
same file (the statements the model ran, replayed on a raw connection: no ORM, no Qt). Medians
of repeated runs; the machine is shared and noisy, so ratios matter more than milliseconds.
The event loop is not run in between, so a count the model leaves for later is not included:
that is the point (the first page shows first).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication
from sqlalchemy import event, func, select

from benchmarks.register_paging import populate
from desktop import paths
from desktop.models.register.branch import Branch
from desktop.models.register.member import Member
from desktop.models.register.service import MemberService
from desktop.models.store.db import CACHE_KIB, Database, connect_raw
from desktop.views.qtmodels.member_table_model import MemberTableModel

#: (scenario, filter text): the typical filters of #22.
FILTERS = (
    ("surname", "王"),
    ("full name", "王伟芳"),
    ("ID fragment", "0315"),
    ("party group", "第三"),
    ("pinyin initials", "wwf"),
    ("pinyin full", "wangwei"),
    ("no match (letters)", "qqqq"),
    ("no match (Chinese)", "某某某"),
)
TARGET_MS, TARGET_RATIO = 50.0, 2.0


def median_ms(fn: Callable[[], object], repeat: int = 9) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument(
        "--folder", type=Path, help="keep the data here, and reuse it on the next run"
    )
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    failed = 0
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder or Path(scratch)
        reuse = paths.database_path(folder).exists()
        db = Database.open(folder)
        t0 = time.perf_counter()
        if reuse:
            with db.read() as session:
                branch_id = session.scalars(select(Branch.id)).one()
                count = session.scalar(select(func.count()).select_from(Member))
            print(f"members: {count:,} (reused {folder})")
        else:
            branch_id = populate(db, args.members)
            print(f"members: {args.members:,} (written in {time.perf_counter() - t0:.0f} s)")
        model = MemberTableModel(MemberService(db, branch_id))
        raw = connect_raw(db.path, db._key)
        raw.isolation_level = None  # autocommit: each replayed SELECT on its own, as a bare app
        raw.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # the same page cache as the app's
        statements: list[tuple[str, object]] = []

        @event.listens_for(db.engine, "before_cursor_execute")
        def _capture(_conn, _cursor, statement, parameters, _context, _many) -> None:  # type: ignore[no-untyped-def]
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
                statements.append((statement, parameters))

        for scenario, text in FILTERS:

            def ours(text: str = text) -> object:
                model.set_filter(text)
                return model.data(model.index(0, 0)) if model.rowCount() else None

            statements.clear()
            ours()
            replay = list(statements)

            def floor(replay: list[tuple[str, object]] = replay) -> object:
                return [raw.execute(sql, params).fetchall() for sql, params in replay]  # type: ignore[arg-type]

            mine, bare = median_ms(ours), median_ms(floor)
            ratio = mine / bare if bare else float("inf")
            ok = mine < TARGET_MS and ratio <= TARGET_RATIO
            failed += not ok
            print(
                f"filter {scenario:20s} ours={mine:7.1f}ms floor={bare:7.1f}ms "
                f"ratio={ratio:5.2f} rows={model.rowCount():>7,} {'ok' if ok else 'OVER'}"
            )
        raw.close()
        db.close()
    del app
    print(f"{len(FILTERS) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
