# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures: a real SQLite file per test, a branch, factories, the demo branch (built once
per session, copied per test), and offscreen Qt."""

from __future__ import annotations

import os
import tempfile

# Before anything imports Qt: no screen here, and per-machine settings kept out of the home.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="red-steward-config-")
# Headless sign-in for the command line, also for tests that copy the environment at import.
os.environ.setdefault("RED_STEWARD_USER", "admin")
os.environ.setdefault("RED_STEWARD_PASSWORD", "test-Pa55word!")

import datetime as dt
import gc
import itertools
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from desktop import i18n, paths
from desktop.models.register import validation
from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.members import save_member
from desktop.models.register.rows import BranchInfo, MemberDraft, MemberRow
from desktop.models.store import keyring
from desktop.models.store.db import Database
from desktop.models.store.keyring import Credentials
from desktop.views.collector import collect_due

# As in the app (desktop/views/collector.py): a worker thread must never be the one that
# collects a cycle holding a widget, so cycles are collected on the main thread only.
gc.disable()

i18n.set_language("zh_CN")

# Hypothesis times each example (200 ms by default) and checks that generating data is quick:
# on a loaded CI machine a slow example fails a correct test (DeadlineExceeded, FailedHealthCheck).
settings.register_profile(
    "red-steward", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("red-steward")

_sequence = itertools.count(1)


#: The account every test signs in with (`init` and `demo` make it the administrator).
TEST_USER, TEST_PASSWORD = "admin", "test-Pa55word!"
#: The day the session's demo branch is placed on (its rosters, service log, meetings, and its
#: year: commitments and the assessment being scored), fixed when the tests start so that a test
#: after midnight (or New Year) still knows the demo's dates. See `_demo_folders`.
DEMO_DAY = dt.date.today()
#: Argon2id at a test's cost: the real one would add a quarter second to every database opened.
CHEAP_KDF = {"memory_kib": 64, "iterations": 1, "lanes": 1}


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Headless credentials in the environment (subprocesses inherit them), and a cheap KDF."""
    monkeypatch.setenv("RED_STEWARD_USER", TEST_USER)
    monkeypatch.setenv("RED_STEWARD_PASSWORD", TEST_PASSWORD)
    monkeypatch.setattr(keyring, "KDF_DEFAULT", CHEAP_KDF)


@pytest.fixture(autouse=True)
def _collect_on_the_main_thread() -> Iterator[None]:
    yield
    collect_due()


@pytest.fixture(autouse=True)
def _language_and_paths() -> Iterator[None]:
    i18n.set_language("zh_CN")
    yield
    i18n.set_language("zh_CN")
    paths.set_data_dir(None)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def db(data_dir: Path, request: pytest.FixtureRequest) -> Iterator[Database]:
    """A new data file; for a test that uses `demo_db` (directly or through another fixture),
    a copy of the demo data folder, whichever of `db` and `demo_db` pytest makes first."""
    if "demo_db" in request.fixturenames:
        request.getfixturevalue("demo_copy")(data_dir)
    database = Database.open(data_dir)
    yield database
    database.close()


@pytest.fixture
def branch(db: Database) -> BranchInfo:
    with db.unit_of_work() as session:
        info = create_branch(session, "测试村党支部", "青山镇", "临江县", "0731-84561234")
        add_party_group(session, info.id)
        add_party_group(session, info.id)
    return info


def member_draft(**overrides: object) -> MemberDraft:
    """A valid member; each call gets a distinct ID number and phone."""
    n = next(_sequence)
    # Born 1960–1972, so that joining in 1990 is always at 18 or older, however many members
    # the session has made; (birth, n % 1000) repeats only after 9000 members.
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=(37 * n) % 4500)
    values: dict[str, object] = {
        "name": "张" + "伟秀英明华"[n % 5] + ("国" if n % 2 else ""),
        "id_number": validation.make_id_number("430121", birth, n % 1000),
        "status": "full",
        "joined_on": dt.date(1990, 7, 1),
        "confirmed_on": dt.date(1991, 7, 1),
        "phone": f"139{n:08d}",
    }
    values.update(overrides)
    return MemberDraft(**values)  # type: ignore[arg-type]


@pytest.fixture
def make_member(db: Database, branch: BranchInfo):  # type: ignore[no-untyped-def]
    def make(**overrides: object) -> MemberRow:
        with db.unit_of_work() as session:
            return save_member(session, branch.id, member_draft(**overrides))

    return make


@pytest.fixture(scope="session")
def _demo_folders(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """The demo branch loaded once per session (per signed-in user) into a data folder that is
    then only copied: loading it writes thousands of change-log entries, seconds per test.

    Every copy is the SAME replica (the replica id is in the data file and in the origin of
    every change-log entry), so no test may use two copies as two PCs: the other PCs of a sync
    test start empty, as a new PC does. The dates are placed from DEMO_DAY."""
    from desktop.models.demo import loader

    built: dict[str, Path] = {}

    def folder(user: str) -> Path:
        if user not in built:
            made = tmp_path_factory.mktemp("demo") / "data"
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(keyring, "KDF_DEFAULT", CHEAP_KDF)
                database = Database.open(made, credentials=Credentials(user, TEST_PASSWORD))
            try:
                with database.unit_of_work() as session:
                    loader.load_demo(session, DEMO_DAY)
                # Everything into the data file: the copies are made of closed files.
                conn = database.raw_connection()
                try:
                    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    conn.close()
            finally:
                database.close()
            built[user] = made
        return built[user]

    return folder


@pytest.fixture
def demo_copy(_demo_folders: Callable[[str], Path]) -> Callable[..., Path]:
    """`demo_copy(folder, user=TEST_USER)`: fills `folder` with a copy of the demo data folder
    whose administrator is `user` (password TEST_PASSWORD), as `red-steward demo` would."""

    def copy(folder: Path, user: str = TEST_USER) -> Path:
        shutil.copytree(_demo_folders(user), folder, dirs_exist_ok=True)
        return folder

    return copy


@pytest.fixture
def demo_db(db: Database) -> Database:
    """`db` holding the demo branch (a copy: see `_demo_folders`)."""
    return db
