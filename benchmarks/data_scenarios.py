# SPDX-License-Identifier: GPL-3.0-or-later
"""The data scenarios: writing members, the Excel import, the sync import, a first copy to the
hub in rounds, printing.

Each runs the app's own service call (what the window and the command line call), and its floor
is the same work with nothing of ours in between: SQLCipher's `executemany` of exactly the rows
our call wrote, into the same kind of encrypted file; openpyxl's read-only read of the same
workbook; ReportLab laying out the same rows in the same font.
"""

from __future__ import annotations

import io
import logging
import random
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.county import AS_OF, _members, county_file
from benchmarks.run import Figure
from desktop.models.register.rows import MemberDraft
from desktop.models.store.db import Database
from desktop.services import Services

if TYPE_CHECKING:
    from benchmarks.run import Scale

#: Party and villager groups of the scenario files (named as the generator names them).
GROUPS = 20


@contextmanager
def _scratch() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="rsb-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _branch(folder: Path) -> tuple[Services, list[uuid.UUID], list[tuple[uuid.UUID, str]]]:
    """A new data file with the generator's branch and groups; its services and the groups."""
    from desktop.tabular.groups import create_villager_group

    db = Database.open(folder)
    services = Services(db, actor="bench")
    branch = services.branches.create("城关镇红星村党总支部", "城关镇", "临江县")
    party = [services.branches.add_party_group(branch.id).id for _ in range(GROUPS)]
    with db.unit_of_work("bench") as session:
        villager = [
            (create_villager_group(session, branch.id, f"{n}组"), f"{n}组")
            for n in range(1, GROUPS + 1)
        ]
    services.forget_branch()
    return services, party, villager


def _drafts(
    count: int, seed: int, party: list[uuid.UUID], villager: list[tuple[uuid.UUID, str]]
) -> list[MemberDraft]:
    return list(_members(random.Random(seed), count, party, villager))


def _executemany_floor(source: Database, tables: tuple[str, ...], folder: Path) -> float:
    """Seconds to insert every row of `tables` of `source`, with one `executemany` per table in
    one transaction, into a new encrypted data file of the same schema."""
    reader = source.raw_connection()
    rows = {table: reader.execute(f"SELECT * FROM {table}").fetchall() for table in tables}
    reader.close()
    target = Database.open(folder)
    conn = target.raw_connection()
    try:
        started = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        for table, values in rows.items():
            if values:
                marks = ", ".join("?" * len(values[0]))
                conn.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        conn.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        conn.close()
        target.close()


#: What adding members writes (its floor copies these rows).
MEMBER_ROWS = ("member", "change_log", "field_head")


def write(scale: Scale, seed: int) -> Figure:
    """Members added through the services in batches (`MemberService.add_many`)."""
    with _scratch() as folder:
        services, party, villager = _branch(folder / "ours")
        drafts = _drafts(scale.write_members, seed, party, villager)
        started = time.perf_counter()
        services.members.add_many(drafts)
        ours = time.perf_counter() - started
        floor = _executemany_floor(services.db, MEMBER_ROWS, folder / "floor")
        services.db.close()
    rate = scale.write_members / ours
    return Figure(ours, floor, "s", 3.0, note=f"{scale.write_members:,} members, {rate:.0f}/s")


def excel_import(scale: Scale, seed: int) -> Figure:
    """An .xlsx of members (the app's own export) imported into a register without them."""
    import openpyxl

    with _scratch() as folder:
        source, party, villager = _branch(folder / "source")
        source.members.add_many(_drafts(scale.excel_rows, seed, party, villager))
        book_path = folder / "members.xlsx"
        source.tabular.export("members", book_path)
        source.db.close()
        services, _party, _villager = _branch(folder / "ours")
        started = time.perf_counter()
        plan = services.tabular.preview(services.tabular.read(book_path))
        result = services.tabular.commit(plan)
        ours = time.perf_counter() - started
        if result.created != scale.excel_rows:
            raise RuntimeError(f"imported {result.created} of {scale.excel_rows} rows")
        started = time.perf_counter()
        book = openpyxl.load_workbook(book_path, read_only=True)
        for sheet in book.worksheets:
            for _row in sheet.iter_rows(values_only=True):
                pass
        book.close()
        floor = time.perf_counter() - started
        floor += _executemany_floor(services.db, MEMBER_ROWS, folder / "floor")
        services.db.close()
    return Figure(ours, floor, "s", 2.0, note=f"{scale.excel_rows:,} rows")


#: What a sync import into an empty replica writes (its floor copies these rows).
SYNC_ROWS = (
    "branch",
    "party_group",
    "villager_group",
    "member",
    "change_log",
    "change_base",
    "change_signature",
    "field_head",
)


def sync_import(scale: Scale, seed: int) -> Figure:
    """A bundle of about `sync_changes` change-log entries imported into an empty replica."""
    with _scratch() as folder:
        source, party, villager = _branch(folder / "source")
        source.members.add_many(_drafts(scale.sync_changes // 20, seed, party, villager))
        target = Services(Database.open(folder / "ours"), actor="bench")
        for a, b in ((source, target), (target, source)):
            card = a.sync.write_card(folder / f"{a.db.replica_id}.card")
            b.sync.trust(b.sync.read_card(card), [source.branch_id])
        bundle = folder / "first.rsb"
        source.sync.export(target.db.replica_id, bundle)
        started = time.perf_counter()
        target.sync.import_file(bundle)
        ours = time.perf_counter() - started
        reader = target.db.raw_connection()
        entries = reader.execute("SELECT count(*) FROM change_log").fetchone()[0]
        reader.close()
        floor = _executemany_floor(target.db, SYNC_ROWS, folder / "floor")
        source.db.close()
        target.db.close()
    return Figure(ours, floor, "s", 3.0, note=f"{entries:,} changes")


def sync_first_copy(scale: Scale, seed: int) -> Figure:
    """A village's first copy to an empty hub in rounds, as `sync push` makes it (without the
    HTTP), at each size of `scale.copy_entries`: the time per entry at the largest size against
    the smallest. Linear rounds keep it flat (issue #14, case 9)."""
    from desktop.hub.app import exchange_once
    from desktop.sync import exchange

    log = logging.getLogger(__name__)
    per_entry: list[float] = []
    notes: list[str] = []
    for size in scale.copy_entries:
        with _scratch() as folder:
            village, party, villager = _branch(folder / "village")
            # Ten members a transaction, as a clerk's day of entries (a transaction is never
            # split between rounds: one of the whole branch would make one round).
            drafts = _drafts(max(1, size // 20), seed, party, villager)
            village.members.add_many(drafts, batch_size=10)
            hub = Services(Database.open(folder / "hub"), actor="bench")
            for a, b in ((village, hub), (hub, village)):
                card = a.sync.write_card(folder / f"{a.db.replica_id}.card")
                b.sync.trust(b.sync.read_card(card), [village.branch_id])
            started = time.perf_counter()
            exporting = 0.0
            rounds = 0
            while True:
                began = time.perf_counter()
                batch = exchange.export_batch(village.db, hub.db.replica_id, scale.copy_batch)
                exporting += time.perf_counter() - began
                status, answer, summary = exchange_once(hub.db, batch.data, scale.copy_batch)
                if status != 200:
                    raise RuntimeError(answer.decode(errors="replace")[:200])
                exchange.import_bundle(village.db, answer, "bench", backup_first=False)
                rounds += 1
                log.info("first copy of %d: round %d, %d waiting", size, rounds, batch.waiting)
                if batch.waiting == 0 and summary["waiting"] == 0:
                    break
            elapsed = time.perf_counter() - started
            reader = hub.db.raw_connection()
            entries = reader.execute("SELECT count(*) FROM change_log").fetchone()[0]
            reader.close()
            village.db.close()
            hub.db.close()
        per_entry.append(elapsed / entries * 1e6)
        notes.append(
            f"{entries:,} entries: {per_entry[-1]:.0f}us each "
            f"(export {exporting / entries * 1e6:.0f}us), {rounds} rounds of {scale.copy_batch:,}"
        )
    return Figure(per_entry[-1], per_entry[0], "us", 1.5, note="; ".join(notes))


def print_register(scale: Scale, seed: int) -> Figure:
    """The member register (花名册) as a PDF, from the data file to the last page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from desktop.printing.fonts import register_fonts
    from desktop.printing.register import render_member_register

    font = register_fonts()  # once per process, for both
    db = Database.open(county_file(scale.print_members, seed), create=False)
    try:
        services = Services(db)
        started = time.perf_counter()
        data = services.printing.member_register(AS_OF)
        render_member_register(data, io.BytesIO())
        ours = time.perf_counter() - started
    finally:
        db.close()
    started = time.perf_counter()
    fields = [
        "name",
        "gender",
        "ethnicity",
        "id_number",
        "birth_date",
        "education",
        "status",
        "joined_on",
        "confirmed_on",
        "occupation",
        "party_group",
        "phone",
        "address",
        "notes",
    ]
    table = Table(
        [["#", *fields]]
        + [[str(i), *(getattr(r, f) for f in fields)] for i, r in enumerate(data.rows, 1)],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), font, 7),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.black),
            ]
        )
    )
    document = SimpleDocTemplate(
        io.BytesIO(), pagesize=landscape(A4), leftMargin=10 * mm, rightMargin=10 * mm
    )
    document.build([table])
    floor = time.perf_counter() - started
    return Figure(ours, floor, "s", 2.0, note=f"{len(data.rows):,} members")
