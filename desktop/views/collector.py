# SPDX-License-Identifier: GPL-3.0-or-later
"""Python's cycle collector, run on the GUI thread only.

Left automatic, the collector runs in whichever thread happens to allocate. When a worker
thread (an import, a sync) allocates heavily, it can collect a cycle that holds a widget or
another Qt object living on the GUI thread, and Qt then destroys that object from the wrong
thread while the event loop is using it: a segmentation fault, seen in CI. So automatic
collection is switched off and the GUI thread collects, generation by generation, whenever
Python's own thresholds say it is due.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500


def collect_due() -> int:
    """Collect the generations whose thresholds are exceeded, as automatic collection would;
    returns the number of unreachable objects found."""
    thresholds = gc.get_threshold()
    counts = gc.get_count()
    found = 0
    for generation in (2, 1, 0):  # the oldest due generation also collects the younger ones
        if thresholds[generation] and counts[generation] > thresholds[generation]:
            found += gc.collect(generation)
            break
    return found


class GuiThreadCollector(QObject):
    """Switch automatic collection off and collect from a timer on the GUI thread."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(collect_due)
        self.timer.start()
