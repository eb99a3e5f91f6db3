# SPDX-License-Identifier: GPL-3.0-or-later
"""Counting what the services read: every query run in a block, with the rows it returned.

A list that loads a whole table looks fine with a test's few rows; counting the rows each
statement returns shows it anyway (issue #22: a county register holds 500,000 members and
thousands of party groups, and a hub holds thousands of branches).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session


class Read(NamedTuple):
    sql: str
    rows: int


@contextmanager
def reads() -> Iterator[list[Read]]:
    """The SELECTs every session runs inside the block, in order, with their row counts."""
    seen: list[Read] = []

    def count(state: ORMExecuteState) -> Any:
        if not state.is_select:
            return None
        frozen = state.invoke_statement().freeze()
        seen.append(Read(str(state.statement), len(frozen().all())))
        return frozen()

    event.listen(Session, "do_orm_execute", count)
    try:
        yield seen
    finally:
        event.remove(Session, "do_orm_execute", count)


def most_rows(seen: list[Read]) -> Read:
    return max(seen, key=lambda read: read.rows, default=Read("", 0))
