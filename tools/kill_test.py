# SPDX-License-Identifier: GPL-3.0-or-later
"""The long kill -9 run: an import and a restore, each killed KILLS times at random moments.

    PYTHONPATH=. .venv/bin/python tools/kill_test.py [KILLS] [ROWS]     # default 1000 and 200

After every kill the data must open, pass `integrity_check` and hold the state before or after
the operation, never a mix (tests/unit/crash_ops.py has the worker and the checks; the test
suite runs 24 kills of each). Prints how the kills fell: "none" (killed before the commit),
"all" (killed after it), "finished" (the worker ended first), and exits 1 at the first
violation. About 2 s per kill on a development machine: a thousand of each takes about an hour.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RED_STEWARD_USER", "killtest")
os.environ.setdefault("RED_STEWARD_PASSWORD", "killtest-Pa55word!")

from desktop.models.register.groups import create_branch
from desktop.models.store import backup, keyring
from desktop.models.store.db import Database
from tests.unit import crash_ops, crash_writer


def roster(folder: Path, rows: int):  # type: ignore[no-untyped-def]
    def write(n: int) -> Path:
        lines = ["姓名,身份证号,入党时间,转正时间"]
        for i in range(rows):
            draft = crash_writer.draft(n * rows + i, 0)
            lines.append(f"{draft.name},{draft.id_number},1990.07,1991.07")
        path = folder / f"roster-{n}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


def main(kills: int, rows: int) -> int:
    keyring.KDF_DEFAULT = {"memory_kib": 64, "iterations": 1, "lanes": 1}
    with tempfile.TemporaryDirectory(prefix="red-steward-kills-") as scratch:
        root = Path(scratch)
        data = root / "data"
        db = Database.open(data)
        with db.unit_of_work() as session:
            branch = create_branch(session, "试验村党支部", "青山镇", "临江县", "")
        db.close()
        started = time.monotonic()
        try:
            seen = crash_ops.kill_imports(data, branch.id, roster(root, rows), rows, kills)
        except AssertionError as error:
            print(f"import: FAILED: {error!r}")  # noqa: T201
            return 1
        print(f"import: {kills} kills, {dict(seen)}, {time.monotonic() - started:.0f} s")  # noqa: T201

        db = Database.open(data, create=False)
        made = backup.backup_to_folder(db, root / "stick")
        db.close()

        def change(folder: Path) -> None:
            again = Database.open(folder, create=False)
            try:
                from desktop.models.register.service import MemberService

                MemberService(again, branch.id).remove(
                    MemberService(again, branch.id).page(crash_ops_query(), 0, 1)[0].id
                )
            finally:
                again.close()

        change(data)
        started = time.monotonic()
        try:
            seen = crash_ops.kill_restores(data, made, kills, change)
        except AssertionError as error:
            print(f"restore: FAILED: {error!r}")  # noqa: T201
            return 1
        print(f"restore: {kills} kills, {dict(seen)}, {time.monotonic() - started:.0f} s")  # noqa: T201
    return 0


def crash_ops_query():  # type: ignore[no-untyped-def]
    from desktop.models.register.rows import MemberQuery

    return MemberQuery()


if __name__ == "__main__":
    sys.exit(main(*(int(a) for a in sys.argv[1:3])) if len(sys.argv) > 1 else main(1000, 200))
