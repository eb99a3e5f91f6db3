# SPDX-License-Identifier: GPL-3.0-or-later
"""How much SQLCipher costs the register's search: the same queries through the same service on
the encrypted data file and on a plain copy of it, as a ratio (so the machine's speed cancels).

    .venv/bin/python benchmarks/encrypted_search.py [MEMBERS]

Exits 1 when searching the encrypted file is more than MAX_RATIO times slower than the plain one.
Not part of the test suite (no timed tests there).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RED_STEWARD_USER", "bench")
os.environ.setdefault("RED_STEWARD_PASSWORD", "bench-Pa55word!")

from desktop.models.register import validation
from desktop.models.register.groups import create_branch
from desktop.models.register.members import save_member
from desktop.models.register.rows import MemberDraft, MemberQuery
from desktop.models.register.service import MemberService
from desktop.models.store import keyring
from desktop.models.store.db import Database, _make_engine, connect_raw

MAX_RATIO = 3.0
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英"


def fill(db: Database, n: int) -> tuple[object, list[str]]:
    ids = []
    with db.unit_of_work() as session:
        branch = create_branch(session, "测试村党支部", "青山镇", "临江县", "0731-84561234")
        for i in range(n):
            birth = dt.date(1940, 1, 1) + dt.timedelta(days=(i * 7) % 9000)
            id_number = validation.make_id_number("430121", birth, i % 1000)
            ids.append(id_number)
            save_member(
                session,
                branch.id,
                MemberDraft(
                    name=SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)],
                    id_number=id_number,
                    status="full",
                    joined_on=dt.date(1995 + i % 25, 7, 1),
                    confirmed_on=dt.date(1996 + i % 25, 7, 1),
                    phone=f"139{i:08d}",
                ),
            )
    return branch.id, ids


def plain_copy(db: Database, target: Path) -> Path:
    conn = db.raw_connection()
    try:
        conn.execute(f"ATTACH DATABASE '{target}' AS plain KEY ''")
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    return target


def timed(members: MemberService, ids: list[str], rounds: int) -> float:
    texts = ["王", "李芳", "张伟", "139000001"] + [ids[i * 37 % len(ids)] for i in range(8)]
    start = time.perf_counter()
    for _ in range(rounds):
        for text in texts:
            members.page(MemberQuery(text=text), 0, 50)
    return time.perf_counter() - start


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    keyring.KDF_DEFAULT = {"memory_kib": 64, "iterations": 1, "lanes": 1}
    folder = Path(tempfile.mkdtemp(prefix="red-steward-bench-"))
    encrypted = Database.open(folder)
    branch_id, ids = fill(encrypted, n)
    plain_path = plain_copy(encrypted, folder / "plain.sqlite3")
    with open(plain_path, "rb") as fh:
        assert fh.read(16) == b"SQLite format 3\x00", "the copy should be plain"
    connect_raw(plain_path, None).close()
    plain = Database(plain_path, _make_engine(plain_path, None), user=None)
    enc_members, plain_members = (
        MemberService(encrypted, branch_id),
        MemberService(plain, branch_id),
    )
    timed(enc_members, ids, 2), timed(plain_members, ids, 2)  # warm both caches
    rounds = 20
    t_plain = min(timed(plain_members, ids, rounds) for _ in range(3))
    t_enc = min(timed(enc_members, ids, rounds) for _ in range(3))
    ratio = t_enc / t_plain
    print(
        f"{n} members, {rounds * 12} searches: plain {t_plain:.3f}s, "
        f"encrypted {t_enc:.3f}s, ratio {ratio:.2f} (limit {MAX_RATIO})"
    )
    encrypted.close()
    plain.close()
    return 0 if ratio <= MAX_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
