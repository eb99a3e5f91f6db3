# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures: a real SQLite file per test, a branch, factories, and offscreen Qt."""

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
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop import i18n, paths
from desktop.models.register import validation
from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.members import save_member
from desktop.models.register.rows import BranchInfo, MemberDraft, MemberRow
from desktop.models.store import keyring
from desktop.models.store.db import Database
from desktop.views.collector import collect_due

# As in the app (desktop/views/collector.py): a worker thread must never be the one that
# collects a cycle holding a widget, so cycles are collected on the main thread only.
gc.disable()

i18n.set_language("zh_CN")

_sequence = itertools.count(1)


#: The account every test signs in with (`init` and `demo` make it the administrator).
TEST_USER, TEST_PASSWORD = "admin", "test-Pa55word!"


@pytest.fixture(autouse=True)
def _credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Headless credentials in the environment (subprocesses inherit them), and a cheap KDF:
    Argon2id at its real cost would add a quarter second to every database a test opens."""
    monkeypatch.setenv("RED_STEWARD_USER", TEST_USER)
    monkeypatch.setenv("RED_STEWARD_PASSWORD", TEST_PASSWORD)
    monkeypatch.setattr(keyring, "KDF_DEFAULT", {"memory_kib": 64, "iterations": 1, "lanes": 1})


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
def db(data_dir: Path) -> Iterator[Database]:
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


@pytest.fixture
def demo_db(db: Database) -> Database:
    from desktop.models.demo import loader

    with db.unit_of_work() as session:
        loader.load_demo(session)
    return db
