# SPDX-License-Identifier: GPL-3.0-or-later
"""Generating a fair duty roster: a pure function, no database (see docs/stewards.md).

The fairness rule: every slot is filled when enough people are available on its day; nobody is
put on a day they are unavailable or twice on one day; and duty counts are as even as the
availability allows. "As even as possible" is the balanced assignment: no duty can be moved,
directly or along a chain of swaps, from a person with c duties to one with c - 2 or fewer.
Such an assignment also has the smallest possible spread (max − min), and when everyone is
available every day the counts differ by at most one.

It works in two passes: a greedy pass fills each day with the least-loaded available people
(ties broken by who served longest ago, then by the team's order, which gives a rotation), and
a balancing pass moves duties along augmenting chains until no move evens things further.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque
from collections.abc import Hashable, Mapping, Sequence

Person = Hashable


@dataclasses.dataclass(frozen=True, slots=True)
class Slot:
    day: dt.date
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class Assignment:
    day: dt.date
    slot: str
    person: Person | None  # None: nobody was available


def _available(
    person: Person, day: dt.date, unavailable: Mapping[Person, frozenset[dt.date] | set[dt.date]]
) -> bool:
    return day not in unavailable.get(person, ())


def generate(
    days: Sequence[dt.date],
    slot_names: Sequence[str],
    people: Sequence[Person],
    unavailable: Mapping[Person, frozenset[dt.date] | set[dt.date]] | None = None,
) -> list[Assignment]:
    """One assignment per (day, slot), in order; `people` order is the rotation order."""
    unavailable = unavailable or {}
    slot_names = list(slot_names) or [""]
    people = list(dict.fromkeys(people))
    order = {p: i for i, p in enumerate(people)}
    counts = {p: 0 for p in people}
    last: dict[Person, int] = {p: -1 for p in people}
    # by_day[d] is the list of people on day index d (one per filled slot, in slot order).
    by_day: list[list[Person | None]] = []
    for index, day in enumerate(days):
        free = [p for p in people if _available(p, day, unavailable)]
        free.sort(key=lambda p: (counts[p], last[p], order[p]))
        chosen = free[: len(slot_names)]
        for p in chosen:
            counts[p] += 1
            last[p] = index
        by_day.append(chosen + [None] * (len(slot_names) - len(chosen)))
    _balance(list(days), by_day, people, counts, unavailable)
    return [
        Assignment(day, slot_names[i], person)
        for day, persons in zip(days, by_day, strict=True)
        for i, person in enumerate(persons)
    ]


def _balance(
    days: list[dt.date],
    by_day: list[list[Person | None]],
    people: list[Person],
    counts: dict[Person, int],
    unavailable: Mapping[Person, frozenset[dt.date] | set[dt.date]],
) -> None:
    """Move duties along chains from the most to the least loaded until none evens further."""
    while True:
        path = _find_chain(days, by_day, people, counts, unavailable)
        if path is None:
            return
        # path: [(giver, day_index, taker), ...]; each step hands one duty from giver to taker.
        for giver, d, taker in path:
            row = by_day[d]
            row[row.index(giver)] = taker
        counts[path[0][0]] -= 1
        counts[path[-1][2]] += 1


def _find_chain(
    days: list[dt.date],
    by_day: list[list[Person | None]],
    people: list[Person],
    counts: dict[Person, int],
    unavailable: Mapping[Person, frozenset[dt.date] | set[dt.date]],
) -> list[tuple[Person, int, Person]] | None:
    """A chain from a person with c duties to one with at most c - 2, or None."""
    # Try the most loaded first, so that each move lowers the maximum when it can.
    for source in sorted(people, key=lambda p: -counts[p]):
        parent: dict[Person, tuple[Person, int]] = {}
        queue = deque([source])
        seen = {source}
        while queue:
            giver = queue.popleft()
            for d, row in enumerate(by_day):
                if giver not in row:
                    continue
                for taker in people:
                    if taker in seen or taker in row or not _available(taker, days[d], unavailable):
                        continue
                    parent[taker] = (giver, d)
                    if counts[taker] <= counts[source] - 2:
                        chain = []
                        node = taker
                        while node != source:
                            prev, day_index = parent[node]
                            chain.append((prev, day_index, node))
                            node = prev
                        return list(reversed(chain))
                    seen.add(taker)
                    queue.append(taker)
    return None


def duty_counts(assignments: Sequence[Assignment], people: Sequence[Person]) -> dict[Person, int]:
    """How many duties each person has (everyone listed, zero included)."""
    counts = {p: 0 for p in people}
    for a in assignments:
        if a.person is not None:
            counts[a.person] = counts.get(a.person, 0) + 1
    return counts


def fairness_spread(counts: Mapping[Person, int]) -> int:
    """max − min of the duty counts (0 for nobody)."""
    return max(counts.values()) - min(counts.values()) if counts else 0
