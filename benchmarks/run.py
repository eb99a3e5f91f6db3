# SPDX-License-Identifier: GPL-3.0-or-later
"""The runner: options, the scenarios in order, one line each, and the tally.

    python -m benchmarks [--quick] [--members N] [--only SCENARIO ...] [--seed N]

Each scenario prints exactly one line,
`SCENARIO ours=<v><unit> floor=<v><unit> ratio=<r> target=<t>` followed by `ok` or `FAIL`, and the
run ends with `N passed, M failed`. A scenario that crashes prints a FAIL line with the error and
the run goes on. The exit status is 0 only when every scenario is on target.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import sys
import time
import traceback
from collections.abc import Callable

import benchmarks  # noqa: F401  (the environment defaults)


@dataclasses.dataclass(frozen=True)
class Scale:
    """How big each scenario's work is."""

    members: int  # the county file: startup, filter, memory, audit, audit-filter
    excel_rows: int
    sync_changes: int
    write_members: int
    print_members: int
    #: The sizes of the first copy to the hub in rounds (entries), smallest first.
    copy_entries: tuple[int, ...] = (10_000, 100_000)
    #: Entries per round of that copy (`sync push --batch`).
    copy_batch: int = 5_000
    #: Repetitions of each start-up and of each filter (the best or the median counts).
    repeats: int = 3
    #: The language the print scenarios print in: the app's default (Chinese), as a clerk's
    #: register and board come out; `--language en` for the English sheets.
    print_language: str = "zh_CN"

    @classmethod
    def county(cls, members: int = 500_000) -> Scale:
        return cls(members, 10_000, 100_000, 10_000, 2_000)

    @classmethod
    def quick(cls) -> Scale:
        return cls(500, 100, 2_000, 200, 100, copy_entries=(500, 2_000), copy_batch=200, repeats=1)


@dataclasses.dataclass(frozen=True)
class Figure:
    """A scenario's measurement: ours and the floor in one unit, and the verdict's target."""

    ours: float
    floor: float
    unit: str
    #: The largest ratio allowed (None: only `limit` counts).
    max_ratio: float | None
    #: An absolute bound on `ours` as well, in `unit` (None: none).
    limit: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.ours / self.floor if self.floor > 0 else float("inf")

    @property
    def ok(self) -> bool:
        return (self.max_ratio is None or self.ratio <= self.max_ratio) and (
            self.limit is None or self.ours <= self.limit
        )

    def target(self) -> str:
        parts = []
        if self.max_ratio is not None:
            parts.append(f"{self.max_ratio:g}x")
        if self.limit is not None:
            parts.append(f"<={self.limit:g}{self.unit}")
        return ",".join(parts)


def _value(value: float) -> str:
    return f"{value:.3g}" if value < 100 else f"{value:.0f}"


def line(name: str, figure: Figure) -> str:
    verdict = "ok" if figure.ok else "FAIL"
    note = f" ({figure.note})" if figure.note else ""
    return (
        f"{name} ours={_value(figure.ours)}{figure.unit} "
        f"floor={_value(figure.floor)}{figure.unit} ratio={figure.ratio:.2f} "
        f"target={figure.target()} {verdict}{note}"
    )


def failed_line(name: str, target: str, error: BaseException) -> str:
    reason = f"{type(error).__name__}: {error}".splitlines()[0][:200]
    return f"{name} ours=- floor=- ratio=- target={target} FAIL (crashed: {reason})"


def _scenarios() -> dict[str, tuple[str, Callable[..., Figure]]]:
    from benchmarks import app_scenarios, data_scenarios

    return {
        "startup": ("2.5x", app_scenarios.startup),
        "filter": ("2x,<=50ms", app_scenarios.filter_),
        "memory": ("<=300MB", app_scenarios.memory),
        "audit": ("<=500ms", app_scenarios.audit),
        "audit-filter": ("<=500ms", app_scenarios.audit_filter),
        "excel-import": ("2x", data_scenarios.excel_import),
        "sync-import": ("3x", data_scenarios.sync_import),
        "sync-first-copy": ("1.5x", data_scenarios.sync_first_copy),
        "write": ("3x", data_scenarios.write),
        "print": ("2x", data_scenarios.print_register),
        "print-board": ("2x", data_scenarios.print_board),
    }


NAMES = (
    "startup",
    "filter",
    "memory",
    "audit",
    "audit-filter",
    "excel-import",
    "sync-import",
    "sync-first-copy",
    "write",
    "print",
    "print-board",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a small scale that runs in seconds")
    parser.add_argument(
        "--members",
        "--scale",
        type=int,
        default=500_000,
        metavar="N",
        help="members in the county file (startup, filter, memory, audit…); default 500000",
    )
    parser.add_argument(
        "--only", action="append", choices=NAMES, metavar="SCENARIO", help=", ".join(NAMES)
    )
    parser.add_argument(
        "--copy-entries",
        type=int,
        nargs="+",
        metavar="N",
        help="sizes of the first copy in rounds (sync-first-copy); default 10000 100000",
    )
    parser.add_argument("--seed", type=int, default=1, help="of the generated data (default 1)")
    parser.add_argument(
        "--repeats", type=int, metavar="N", help="of each start-up (best counts) and filter"
    )
    parser.add_argument(
        "--language",
        default="zh_CN",
        choices=("zh_CN", "zh_TW", "en"),
        help="of the printed sheets (print, print-board); default zh_CN, the app's default",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(name)s: %(message)s",
    )
    scale = Scale.quick() if args.quick else Scale.county(args.members)
    if args.copy_entries:
        scale = dataclasses.replace(scale, copy_entries=tuple(sorted(args.copy_entries)))
    if args.repeats:
        scale = dataclasses.replace(scale, repeats=max(1, args.repeats))
    scale = dataclasses.replace(scale, print_language=args.language)
    scenarios = _scenarios()
    passed = failed = 0
    for name in args.only or NAMES:
        target, run = scenarios[name]
        started = time.perf_counter()
        try:
            figure = run(scale, args.seed)
        except Exception as error:  # a crash is a failed line, never the end of the run
            logging.getLogger(__name__).debug("%s", traceback.format_exc())
            if args.verbose:
                traceback.print_exc()
            print(failed_line(name, target, error), flush=True)
            failed += 1
            continue
        print(line(name, figure), flush=True)
        logging.getLogger(__name__).info("%s took %.1f s", name, time.perf_counter() - started)
        passed += figure.ok
        failed += not figure.ok
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
