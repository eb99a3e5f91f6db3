# SPDX-License-Identifier: GPL-3.0-or-later
"""Long work off the GUI thread: one helper, progress by signal, failures always reported."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

ProgressFn = Callable[[int, int], None]


class TaskSignals(QObject):
    progress = Signal(int, int)  # done, total
    finished = Signal(object)
    failed = Signal(object)  # the exception


class Task(QRunnable):
    def __init__(self, fn: Callable[[ProgressFn, threading.Event], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.cancelled = threading.Event()
        self.signals = TaskSignals()

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit, self.cancelled)
        except Exception as exc:  # always reported, never swallowed
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


_db_pool: QThreadPool | None = None
_running: set[Task] = set()


def db_pool() -> QThreadPool:
    """The one writer thread: everything that opens a session runs here, one at a time."""
    global _db_pool
    if _db_pool is None:
        _db_pool = QThreadPool()
        _db_pool.setMaxThreadCount(1)
    return _db_pool


def run_task(
    fn: Callable[[ProgressFn, threading.Event], Any],
    on_finished: Callable[[Any], None],
    on_failed: Callable[[BaseException], None],
    on_progress: Callable[[int, int], None] | None = None,
    pool: QThreadPool | None = None,
) -> Task:
    task = Task(fn)
    _running.add(task)

    def done(result: Any) -> None:
        _running.discard(task)
        on_finished(result)

    def failed(error: BaseException) -> None:
        _running.discard(task)
        on_failed(error)

    task.signals.finished.connect(done)
    task.signals.failed.connect(failed)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    (pool or db_pool()).start(task)
    return task
