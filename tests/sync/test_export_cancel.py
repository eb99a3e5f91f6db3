# SPDX-License-Identifier: GPL-3.0-or-later
"""A bundle export can be cancelled (issue #14): no file is left, not even a partial one, and
the bundle number is not used up."""

from __future__ import annotations

import threading

import pytest

from desktop.sync import exchange
from desktop.sync.errors import ExportCancelled
from tests.sync.conftest import pair


def test_a_cancelled_export_leaves_no_file_and_the_next_one_is_applied(nodes, tmp_path):
    office, laptop = nodes("office", "laptop", demo="office")
    pair(office, laptop)
    out = tmp_path / "stick" / "for-laptop.rsb"
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ExportCancelled):
        office.sync.export(laptop.id, out, cancel)
    assert list(out.parent.glob("*")) == []

    result = office.sync.export(laptop.id, out)
    assert out.exists() and result.entries > 0
    laptop.sync.import_file(out)
    assert laptop.snapshot() == office.snapshot(), "the bundle numbers still follow"


def test_a_write_cancelled_halfway_removes_the_partial_file(tmp_path, monkeypatch):
    monkeypatch.setattr(exchange, "WRITE_CHUNK", 4)
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) > 2  # two chunks written, then Cancel

    out = tmp_path / "bundle.rsb"
    with pytest.raises(ExportCancelled):
        exchange.write_atomically(out, b"0123456789abcdef", cancelled)
    assert len(asked) == 3 and list(tmp_path.iterdir()) == []
