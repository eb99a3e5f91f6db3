# SPDX-License-Identifier: GPL-3.0-or-later
"""The hybrid logical clock (Kulkarni et al., 2014) that stamps every change.

A stamp is one 64-bit integer: 48 bits of Unix milliseconds, then a 16-bit counter. It never goes
backwards on one replica, even when the PC's date is set back, and it moves past any stamp seen
from another replica, so history keeps its order. It is used to show when a change was made and
to break ties between concurrent edits; it never decides *whether* edits were concurrent (the
change log's base pointers do that).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Callable

COUNTER_BITS = 16
_COUNTER_MASK = (1 << COUNTER_BITS) - 1
#: A remote stamp further ahead of our wall clock than this does not move our clock (no poisoning).
MAX_FORWARD_MS = 24 * 3600 * 1000
#: For tests and drills only: run this process's change log N days off the PC's date (a PC whose
#: clock is wrong), e.g. `RED_STEWARD_CLOCK_OFFSET_DAYS=1095 red-steward ...` (docs/sync.md).
OFFSET_ENV = "RED_STEWARD_CLOCK_OFFSET_DAYS"
_DAY_MS = 24 * 3600 * 1000

log = logging.getLogger(__name__)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def from_environment() -> Callable[[], int] | None:
    """The skewed wall clock `OFFSET_ENV` asks for (days, may be negative or fractional), or
    None when it is unset. A value that is not a number is logged and ignored."""
    text = os.environ.get(OFFSET_ENV, "").strip()
    if not text:
        return None
    try:
        offset = round(float(text) * _DAY_MS)
    except ValueError:
        log.warning("%s=%r is not a number of days: the clock is not moved", OFFSET_ENV, text)
        return None
    return lambda: wall_ms() + offset


def pack(ms: int, counter: int) -> int:
    return (ms << COUNTER_BITS) | (counter & _COUNTER_MASK)


def physical_ms(stamp: int) -> int:
    return stamp >> COUNTER_BITS


def tick(last: int, now_ms: int | None = None) -> int:
    """The next local stamp after `last` (a send or local event)."""
    now_ms = wall_ms() if now_ms is None else now_ms
    last_ms, counter = physical_ms(last), last & _COUNTER_MASK
    if now_ms > last_ms:
        return pack(now_ms, 0)
    if counter == _COUNTER_MASK:  # the counter is full: borrow the next millisecond
        return pack(last_ms + 1, 0)
    return pack(last_ms, counter + 1)


def receive(last: int, remote: int, now_ms: int | None = None) -> int:
    """Merge a stamp seen on a change from another replica; returns our new last stamp."""
    now_ms = wall_ms() if now_ms is None else now_ms
    if physical_ms(remote) > now_ms + MAX_FORWARD_MS:
        return tick(last, now_ms)
    return tick(max(last, remote), now_ms)


def to_datetime(stamp: int) -> dt.datetime:
    """The stamp's wall time, in UTC, for display."""
    return dt.datetime.fromtimestamp(physical_ms(stamp) / 1000, tz=dt.UTC)
