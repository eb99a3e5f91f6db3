# SPDX-License-Identifier: GPL-3.0-or-later
"""The window's scenarios on the county file: start-up, filtering as the clerk types, memory,
the audit trail's first page and its record filter.

Start-up and memory run the window in a subprocess (`benchmarks.probe`), so each starts from a
cold process, as the clerk's does; filtering runs in this process through the register's own
table model (what a keystroke in the filter box calls), beside the same query in bare SQL; the
audit page is shown in this process beside its first page read in bare SQL.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from benchmarks.county import cache_root, county_file
from benchmarks.run import Figure

if TYPE_CHECKING:
    from benchmarks.run import Scale

#: A start that has not shown the list by then has failed.
START_TIMEOUT_S = 600


def _env() -> dict[str, str]:
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    env["QT_QPA_PLATFORM"] = "offscreen"
    # The window's per-PC settings (QSettings) go to a folder of the benchmarks' own.
    env["XDG_CONFIG_HOME"] = str(cache_root() / "config")
    return env


def _probe(kind: str, folder: Path, scroll: bool = False) -> tuple[float, float | None]:
    """(seconds from process start to the first row shown, peak RSS in MB when scrolled)."""
    command = [sys.executable, "-m", "benchmarks.probe", kind, str(folder)]
    if scroll:
        command.append("--scroll")
    shown: float | None = None
    rss: float | None = None
    # stderr to a file, not a pipe: a chatty window can never block on a full pipe.
    with tempfile.TemporaryFile(mode="w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, env=_env()
        )
        assert process.stdout is not None
        watchdog = threading.Timer(START_TIMEOUT_S, process.kill)  # a hang is a failure
        watchdog.start()
        try:
            for text in process.stdout:
                if text.startswith("READY") and shown is None:
                    shown = time.perf_counter() - started
                elif text.startswith("RSS "):
                    rss = float(text.split()[1])
            process.wait()
        finally:
            watchdog.cancel()
        errors.seek(0)
        said = errors.read().strip().splitlines() or [""]
    # The probe ends (or crashes) without waiting for the daily backup the start began: its
    # half-written copy, as big as the data file, would pile up at every start.
    for leftover in (folder / "backups").glob(".red-steward-backup-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    if shown is None or process.returncode != 0:
        # A crash's own line (Python's "Fatal Python error: …" or the exception), else the last.
        reason = next((t for t in said if t.startswith("Fatal Python error")), said[-1])
        raise RuntimeError(f"{kind} exited {process.returncode} before the list: {reason}")
    return shown, rss


def startup(scale: Scale, seed: int) -> Figure:
    folder = county_file(scale.members, seed)
    ours = min(_probe("app", folder)[0] for _ in range(scale.repeats))
    floor = min(_probe("bare", folder)[0] for _ in range(scale.repeats))
    return Figure(ours, floor, "s", 2.5, note=f"{scale.members:,} members")


def memory(scale: Scale, seed: int) -> Figure:
    folder = county_file(scale.members, seed)
    _shown, ours = _probe("app", folder, scroll=True)
    _shown, floor = _probe("bare", folder, scroll=True)
    assert ours is not None and floor is not None
    return Figure(ours, floor, "MB", None, limit=300, note=f"{scale.members:,} members")


#: The floor of a text filter: the first page of the same matches, by name, in bare SQL.
_FLOOR_TEXT = """
SELECT m.id, m.name, m.gender, m.id_number, m.birth_date, m.status, m.joined_on, m.phone,
       p.number, p.name, v.name
FROM member m
LEFT JOIN party_group p ON p.id = m.party_group_id
LEFT JOIN villager_group v ON v.id = m.villager_group_id
WHERE m.deleted = 0 AND m.branch_id = ?
  AND (m.name LIKE ? OR m.phone LIKE ? OR m.id_number LIKE ?)
ORDER BY m.name, m.id LIMIT 200
"""
_FLOOR_GROUP = """
SELECT m.id, m.name, m.gender, m.id_number, m.birth_date, m.status, m.joined_on, m.phone,
       p.number, p.name, v.name
FROM member m
LEFT JOIN party_group p ON p.id = m.party_group_id
LEFT JOIN villager_group v ON v.id = m.villager_group_id
WHERE m.deleted = 0 AND m.branch_id = ? AND m.party_group_id = ?
ORDER BY m.name, m.id LIMIT 200
"""


def filter_(scale: Scale, seed: int) -> Figure:
    """A keystroke's filter to the first rows the list shows: surname, ID-number fragment,
    party group, pinyin initials, no match (the median over all of them)."""
    from PySide6.QtWidgets import QApplication

    from desktop.models.register.rows import MemberQuery
    from desktop.models.store.db import Database
    from desktop.services import Services
    from desktop.views.qtmodels.member_table_model import MemberTableModel

    qapp = QApplication.instance() or QApplication([])
    db = Database.open(county_file(scale.members, seed), create=False)
    try:
        services = Services(db)
        groups = services.branches.party_groups(services.branch_id)
        sample = services.members.page(MemberQuery(), scale.members // 3, 1)[0]
        raw = db.raw_connection()
        branch_key, group_key = raw.execute(
            "SELECT b.id, p.id FROM branch b JOIN party_group p ON p.branch_id = b.id "
            "WHERE p.number = ? ORDER BY b.id LIMIT 1",
            (groups[min(1, len(groups) - 1)].number,),
        ).fetchone()
        cases: list[tuple[str, Any, tuple[Any, ...]]] = [
            ("王", None, ()),
            (sample.id_number[8:14], None, ()),  # digits of a birth date and sequence
            ("", groups[min(1, len(groups) - 1)].id, (group_key,)),
            ("wjg", None, ()),  # pinyin initials (王建国)
            ("没有这个人", None, ()),
        ]
        model = MemberTableModel(services.members)
        ours: list[float] = []
        floor: list[float] = []
        for text, group_id, group_args in cases:
            for _ in range(scale.repeats * 2):
                started = time.perf_counter()
                model.set_filter(text, group_id)
                qapp.processEvents()
                if model.rowCount():
                    model.data(model.index(0, 0))  # the first visible row, as the view asks
                ours.append(time.perf_counter() - started)
                started = time.perf_counter()
                if group_args:
                    raw.execute(_FLOOR_GROUP, (branch_key, *group_args)).fetchall()
                else:
                    like = f"%{text}%"
                    raw.execute(_FLOOR_TEXT, (branch_key, like, like, like.upper())).fetchall()
                floor.append(time.perf_counter() - started)
        raw.close()
    finally:
        db.close()
    return Figure(
        statistics.median(ours) * 1000,
        statistics.median(floor) * 1000,
        "ms",
        2.0,
        limit=50,
        note=f"median of {len(cases)} filters, {scale.members:,} members",
    )


#: The floor of the audit page: its first page of the change log and its records' names.
_FLOOR_AUDIT_PAGE = """
SELECT origin, seq, hlc, entity, row_id, field, op, old_value, new_value, actor
FROM change_log WHERE hlc <= ? ORDER BY hlc DESC, origin DESC, seq DESC LIMIT ?
"""
_FLOOR_AUDIT_NAMES = """
SELECT row_id, field, new_value FROM change_log
WHERE entity = ? AND row_id IN ({marks}) AND field IN ('name', 'head_name', 'id_number')
"""


def audit(scale: Scale, seed: int) -> Figure:
    """The audit page built and shown (its accounts, its first page of the change log, the
    names of the page's records and PCs) to its first row, against that page and its
    records' names read in bare SQL; the median. It took about 300 s on a county file (#22)."""
    from PySide6.QtWidgets import QApplication

    from desktop.models.audit import trail
    from desktop.models.store.db import Database
    from desktop.services import Services
    from desktop.views.security.audit_page import AuditPage

    qapp = QApplication.instance() or QApplication([])
    db = Database.open(county_file(scale.members, seed), create=False)
    ours: list[float] = []
    floor: list[float] = []
    try:
        services = Services(db)
        raw = db.raw_connection()
        entries = raw.execute("SELECT count(*) FROM change_log").fetchone()[0]
        # The first showing loads what the window has long loaded before the clerk opens
        # the page (Babel's locale data, the query compilation): not counted.
        for run in range(scale.repeats * 2 + 1):
            started = time.perf_counter()
            page = AuditPage(services.audit)
            page.show()
            qapp.processEvents()
            model = page.table.model()
            if model.rowCount():
                model.data(model.index(0, 0))  # the first visible row, as the view asks
            if run:
                ours.append(time.perf_counter() - started)
            assert model.rowCount() == trail.PAGE_SIZE
            page.close()
            page.deleteLater()
            qapp.processEvents()
            started = time.perf_counter()
            rows = raw.execute(_FLOOR_AUDIT_PAGE, (2**63 - 1, trail.PAGE_SIZE)).fetchall()
            by_entity: dict[str, set[bytes]] = {}
            for row in rows:
                by_entity.setdefault(row[3], set()).add(row[4])
            for entity, ids in by_entity.items():
                marks = ",".join("?" * len(ids))
                raw.execute(_FLOOR_AUDIT_NAMES.format(marks=marks), (entity, *ids)).fetchall()
            floor.append(time.perf_counter() - started)
        raw.close()
    finally:
        db.close()
    return Figure(
        statistics.median(ours) * 1000,
        statistics.median(floor) * 1000,
        "ms",
        None,  # a ratio to a millisecond of SQL says little: the page's own bound counts
        limit=500,
        note=f"first page of {entries:,} changes, {scale.members:,} members",
    )


#: The floor of the audit page's record filter: the matching members by the name's index (at
#: most as many as the page takes), then the first page of their entries by record.
_FLOOR_FILTER_IDS = "SELECT id FROM member WHERE name >= ? AND name < ? LIMIT ?"
_FLOOR_FILTER_PAGE = """
SELECT origin, seq, hlc, entity, row_id, field, op, old_value, new_value, actor
FROM change_log WHERE entity = 'member' AND row_id IN ({marks})
ORDER BY hlc DESC, origin DESC, seq DESC LIMIT ?
"""


def audit_filter(scale: Scale, seed: int) -> Figure:
    """A record typed in the audit page's filter to its first row and its count line (what
    the page does once the clerk pauses): a surname, a whole name, pinyin initials, an
    ID-number fragment, no match; the median. Against the matching members found by the
    name's index and their first page of entries, in bare SQL. Typing a name took 1.3-2.6 s
    at 500,000 members when the filter scanned the tables (#22)."""
    from PySide6.QtWidgets import QApplication

    from desktop.models.audit import trail
    from desktop.models.register.rows import MemberQuery
    from desktop.models.store.db import Database
    from desktop.services import Services
    from desktop.views.security.audit_page import AuditPage

    qapp = QApplication.instance() or QApplication([])
    db = Database.open(county_file(scale.members, seed), create=False)
    ours: list[float] = []
    floor: list[float] = []
    try:
        services = Services(db)
        sample = services.members.page(MemberQuery(), scale.members // 3, 1)[0].draft
        needles = ("王", sample.name, "wjg", sample.id_number[8:14], "没有这个人")
        raw = db.raw_connection()
        page = AuditPage(services.audit)
        page.show()
        qapp.processEvents()
        model = page.table.model()
        for needle in needles:
            for _ in range(scale.repeats * 2):
                page.record_edit.clear()
                page.reload()
                started = time.perf_counter()
                page.record_edit.setText(needle)
                page.reload()  # what the pause in typing (or Enter) runs
                if model.rowCount():
                    model.data(model.index(0, 0))  # the first visible row, as the view asks
                qapp.processEvents()  # the count line, on the event loop's next turn
                ours.append(time.perf_counter() - started)
                assert page.count_label.text()
                started = time.perf_counter()
                prefix = needle if not needle.isascii() else sample.name[:1]
                found = raw.execute(
                    _FLOOR_FILTER_IDS, (prefix, prefix + chr(0x10FFFF), trail.MATCH_LIMIT + 1)
                ).fetchall()
                ids = [row[0] for row in found]
                if ids:
                    marks = ",".join("?" * len(ids))
                    raw.execute(
                        _FLOOR_FILTER_PAGE.format(marks=marks), (*ids, trail.PAGE_SIZE)
                    ).fetchall()
                floor.append(time.perf_counter() - started)
        page.close()
        raw.close()
    finally:
        db.close()
    return Figure(
        statistics.median(ours) * 1000,
        statistics.median(floor) * 1000,
        "ms",
        None,  # as `audit`: the page's own bound counts
        limit=500,
        note=f"median of {len(needles)} records typed, {scale.members:,} members",
    )
