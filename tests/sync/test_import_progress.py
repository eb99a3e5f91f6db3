# SPDX-License-Identifier: GPL-3.0-or-later
"""A bundle import reports its progress and can be cancelled (issue #14): a cancelled import
changes nothing (one transaction), and importing the same bundle again applies it whole."""

from __future__ import annotations

import sys
import threading

import pytest
from sqlalchemy import func, select

from desktop.cli.main import main
from desktop.models.store.changelog import Change
from desktop.models.store.sync_state import SyncImport
from desktop.sync import errors, merge
from tests.sync.conftest import pair


def _counts(node) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with node.db.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Change)),
            session.scalar(select(func.count()).select_from(SyncImport)),
        )


def test_an_import_reports_monotonic_progress_ending_at_the_total(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    seen: list[tuple[int, int]] = []
    summary = laptop.sync.import_file(
        office.bundle_for(laptop), progress=lambda done, total: seen.append((done, total))
    )
    assert summary.records_added > 100
    assert seen[0] == (0, 0), "a busy bar while the bundle is checked"
    applying = seen[1:]
    total = applying[-1][1]
    assert total >= summary.records_added and applying[-1] == (total, total)
    assert all(t == total for _d, t in applying), "the total is known once applying starts"
    done = [d for d, _t in applying]
    assert done == sorted(done) and done[0] == 0
    assert len(applying) > 3, "reported while applying, not only at the end"
    assert laptop.snapshot() == office.snapshot()


def test_a_cancelled_import_changes_nothing_and_a_second_import_completes(nodes):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    bundle = office.bundle_for(laptop)
    before, counts = laptop.snapshot(), _counts(laptop)
    cancel = threading.Event()
    reports: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        reports.append((done, total))
        if done >= merge.CHUNK:  # some records applied (in the transaction), then Cancel
            cancel.set()

    with pytest.raises(errors.ImportCancelled):
        laptop.sync.import_file(bundle, progress=progress, cancel=cancel)
    assert cancel.is_set() and 0 < reports[-1][0] < reports[-1][1]
    assert laptop.snapshot() == before and _counts(laptop) == counts, "all or nothing"
    assert laptop.sync.conflicts() == []

    summary = laptop.sync.import_file(bundle)  # the same stick again: applied whole
    assert summary.records_added > 100 and summary.entries_known == 0
    assert laptop.snapshot() == office.snapshot()


def test_an_import_cancelled_before_it_starts_changes_nothing(nodes, capsys, monkeypatch):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    bundle = office.bundle_for(laptop)
    before = laptop.snapshot()
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(errors.ImportCancelled):
        laptop.sync.import_file(bundle, cancel=cancel)
    assert laptop.snapshot() == before
    laptop.close()

    # `sync import` at a terminal: the count on stderr, the summary on stdout as before.
    capsys.readouterr()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["sync", "import", str(bundle), "--data-dir", str(laptop.folder)]) == 0
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert 2 <= len(lines) <= 22 and lines[-1].endswith("条记录"), lines
    total = lines[-1].split(" / ")[1].split()[0]
    assert lines[-1].startswith(f"{total} / {total}") and "新增" in captured.out
