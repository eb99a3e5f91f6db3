# SPDX-License-Identifier: GPL-3.0-or-later
"""Kill -9 runs of an import and of a restore: the worker process and the loops that kill it.

    python -m tests.unit.crash_ops import DATA_DIR BRANCH_ID CSV    # the worker
    python -m tests.unit.crash_ops restore DATA_DIR BACKUP

The worker prints "ready" once the data is open, then does the one operation, then "done".
`kill_imports` and `kill_restores` start it again and again, kill it with SIGKILL at a random
moment and check after each kill that the data opens, passes `integrity_check` and holds the
state before or after the operation, never a mix (all-or-nothing). tests/unit/test_crash_safety.py
runs a few dozen kills; tools/kill_test.py runs a thousand and prints the counts.
Credentials come from RED_STEWARD_USER / RED_STEWARD_PASSWORD.
"""

from __future__ import annotations

import collections
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def worker(op: str, folder: Path, *rest: str) -> None:
    from desktop.models.store import backup
    from desktop.models.store.db import Database
    from desktop.models.store.keyring import Credentials

    if op == "import":
        from desktop.tabular.readers import read_workbook
        from desktop.tabular.service import TabularService

        db = Database.open(folder, create=False)
        service = TabularService(db, uuid.UUID(rest[0]))
        plan = service.preview(read_workbook(Path(rest[1])))
        print("ready", flush=True)  # noqa: T201 - the protocol with the driver
        result = service.commit(plan)
        if result.backup_after is not None:  # as the window and the command line do next
            result.backup_after.take()
    else:
        print("ready", flush=True)  # noqa: T201
        backup.restore_backup(Path(rest[0]), folder, Credentials.from_env())  # type: ignore[arg-type]
    print("done", flush=True)  # noqa: T201


def _run_and_kill(
    args: list[str], rng: random.Random, within_s: float | None
) -> tuple[bool, float]:
    """Start the worker and kill it at a random moment (None: let it finish); returns whether
    it finished and how long it ran after "ready"."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.unit.crash_ops", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout is not None
    ready = proc.stdout.readline()
    if ready.strip() != "ready":
        raise AssertionError(proc.communicate(timeout=60)[1])
    start = time.monotonic()
    if within_s is None:
        done = proc.stdout.readline()
        took = time.monotonic() - start
        out, err = proc.communicate(timeout=300)
        if done.strip() != "done":
            raise AssertionError(err)
        return True, took
    time.sleep(rng.uniform(0.0, within_s))
    proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    if proc.returncode not in (0, -signal.SIGKILL):
        raise AssertionError(err)
    return "done" in out, time.monotonic() - start


def _members_after_a_kill(folder: Path) -> int:
    from sqlalchemy import func, select

    from desktop.models.register.member import Member
    from desktop.models.store.db import Database

    listing = sorted(p.name for p in folder.iterdir())
    try:
        db = Database.open(folder, create=False)  # a restore cut short rolls forward
    except Exception as error:
        found = sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))
        raise AssertionError(f"{listing} {found}") from error
    try:
        conn = db.raw_connection()
        try:
            assert [r[0] for r in conn.execute("PRAGMA integrity_check")] == ["ok"]
        finally:
            conn.close()
        with db.read() as session:
            return session.scalar(select(func.count()).where(Member.deleted.is_(False))) or 0
    finally:
        db.close()


def kill_imports(
    folder: Path, branch_id: uuid.UUID, roster: object, rows: int, kills: int, seed: int = 16
) -> collections.Counter[str]:
    """Kill an import of `rows` new members (`roster(n)` writes the n-th roster file) `kills`
    times at random moments within the time an uncut import takes; each time the register holds
    all of them or none."""
    rng = random.Random(seed)
    before = _members_after_a_kill(folder)
    args = ["import", str(folder), str(branch_id)]
    _done, took = _run_and_kill([*args, str(roster(0))], rng, None)  # type: ignore[operator]
    before += rows
    assert _members_after_a_kill(folder) == before
    seen: collections.Counter[str] = collections.Counter()
    for n in range(1, kills + 1):
        finished, _took = _run_and_kill([*args, str(roster(n))], rng, took * 1.5)  # type: ignore[operator]
        count = _members_after_a_kill(folder)
        assert count in (before, before + rows), f"half an import: {count - before} of {rows}"
        seen["finished" if finished else "all" if count != before else "none"] += 1
        before = count
    return seen


def kill_restores(
    folder: Path, made: Path, kills: int, add_after: object, seed: int = 16
) -> collections.Counter[str]:
    """Kill a restore of `made` `kills` times; each time the folder opens with the data as it
    was or as the backup holds it. `add_after(folder)` changes the data again after a restore."""
    from desktop.models.store import backup
    from desktop.models.store.keyring import Credentials

    rng = random.Random(seed)
    current = _members_after_a_kill(folder)
    restored = backup.read_header(made)["members"]
    assert restored != current
    _done, took = _run_and_kill(["restore", str(folder), str(made)], rng, None)
    assert _members_after_a_kill(folder) == restored
    add_after(folder)  # type: ignore[operator]
    seen: collections.Counter[str] = collections.Counter()
    history = []
    for _ in range(kills):
        finished, _took = _run_and_kill(["restore", str(folder), str(made)], rng, took * 1.5)
        history.append(sorted(p.name for p in folder.iterdir()))
        try:
            count = _members_after_a_kill(folder)
        except AssertionError as error:
            raise AssertionError(f"{history}") from error
        assert count in (current, restored), f"neither before nor after: {count}"
        assert backup.verify_backup(made, Credentials.from_env())  # type: ignore[arg-type]
        if count == restored:
            seen["finished" if finished else "rolled forward or done"] += 1
            add_after(folder)  # type: ignore[operator]
            assert _members_after_a_kill(folder) == current
        else:
            seen["none"] += 1
    return seen


if __name__ == "__main__":
    worker(sys.argv[1], Path(sys.argv[2]), *sys.argv[3:])
