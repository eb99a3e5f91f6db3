# SPDX-License-Identifier: GPL-3.0-or-later
"""Cycles are collected on the GUI thread, never in a worker that happens to allocate."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from desktop.views.collector import GuiThreadCollector, collect_due

pytestmark = pytest.mark.gui


class _Node:
    def __init__(self) -> None:
        self.me = self  # a reference cycle: only the cycle collector frees it


def test_a_worker_that_allocates_never_collects_and_the_gui_thread_does(qtbot):  # type: ignore[no-untyped-def]
    collecting_threads: list[int] = []

    def record(phase: str, _info: dict) -> None:  # type: ignore[type-arg]
        if phase == "start":
            collecting_threads.append(threading.get_ident())

    gc.enable()  # as Python starts; the collector must switch it off
    gc.callbacks.append(record)
    collector = GuiThreadCollector(interval_ms=20)
    try:
        assert not gc.isenabled()
        gc.collect()
        cycle = _Node()
        gone = weakref.ref(cycle)
        del cycle

        def allocate() -> None:  # garbage cycles, far past the collector's first threshold
            for _ in range(20 * gc.get_threshold()[0]):
                _Node()

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        qtbot.waitUntil(lambda: gone() is None, timeout=10_000)
        assert collecting_threads, "the timer collected"
        assert set(collecting_threads) == {threading.main_thread().ident}
    finally:
        collector.timer.stop()
        gc.callbacks.remove(record)
        gc.disable()


def test_collect_due_collects_only_when_a_threshold_is_passed() -> None:
    gc.collect()
    assert collect_due() == 0, "nothing is due right after a collection"
    for _ in range(gc.get_threshold()[0] + 10):
        _Node()
    assert gc.get_count()[0] > gc.get_threshold()[0]
    assert collect_due() >= gc.get_threshold()[0]
    assert gc.get_count()[0] < gc.get_threshold()[0]
