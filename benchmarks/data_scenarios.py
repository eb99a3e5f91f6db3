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
from typing import TYPE_CHECKING, Any

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
        ours = time.perf_counter() - started  # what the clerk waits for: the result
        after = _backup_after(result.backup_after)
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
    return Figure(ours, floor, "s", 2.0, note=f"{scale.excel_rows:,} rows, {after}")


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
        summary = target.sync.import_file(bundle)
        ours = time.perf_counter() - started  # what the clerk waits for: the summary
        after = _backup_after(summary.backup_after)
        reader = target.db.raw_connection()
        entries = reader.execute("SELECT count(*) FROM change_log").fetchone()[0]
        reader.close()
        floor = _executemany_floor(target.db, SYNC_ROWS, folder / "floor")
        source.db.close()
        target.db.close()
    return Figure(ours, floor, "s", 3.0, note=f"{entries:,} changes, {after}")


def _backup_after(after: Any) -> str:
    """Take the backup an import hands back (the window takes it in the background once the
    result shows, the command line after printing it): not in `ours`, but said in the line."""
    if after is None:
        raise RuntimeError("the import asked for no backup after it")
    started = time.perf_counter()
    after.take()
    return f"backup after {time.perf_counter() - started:.1f}s, after the result"


@contextmanager
def _printing_in(language: str) -> Iterator[None]:
    from desktop import i18n

    previous = i18n.language()
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language(previous)


#: The print scenarios count the CPU time of this process (ours and the floor alike are one
#: thread's work in it): on the shared two-core machine the wall clock of a few seconds' work
#: swings by half with the other engineers' load, and the ratio with it.
_cpu = time.process_time


def _process_setup() -> None:
    """What the window has done long before anything prints, so not counted: the language's
    date formats loaded (Babel reads its locale data on the first date, a third of a second;
    the floor writes no date through Babel)."""
    from desktop.i18n import format_date

    format_date(AS_OF)


def sync_first_copy(scale: Scale, seed: int) -> Figure:
    """A village's first copy to an empty hub in rounds, as `sync push` makes it (without the
    HTTP), at each size of `scale.copy_entries`: the time per entry at the largest size against
    the smallest. Linear rounds keep it flat (issue #14, case 9).

    The time is this process's CPU time (`_cpu`; the village and the hub both run in it, one
    thread): a large copy takes many minutes of wall clock on the shared two-core machine, over
    which the other engineers' load changes by half, and the ratio with it. The wall clock per
    entry is in the note."""
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
            started, cpu_started = time.perf_counter(), _cpu()
            exporting = 0.0
            rounds = 0
            while True:
                began = _cpu()
                batch = exchange.export_batch(village.db, hub.db.replica_id, scale.copy_batch)
                exporting += _cpu() - began
                status, answer, summary = exchange_once(hub.db, batch.data, scale.copy_batch)
                if status != 200:
                    raise RuntimeError(answer.decode(errors="replace")[:200])
                exchange.import_bundle(village.db, answer, "bench", backup_first=False)
                rounds += 1
                log.info("first copy of %d: round %d, %d waiting", size, rounds, batch.waiting)
                if batch.waiting == 0 and summary["waiting"] == 0:
                    break
            elapsed, cpu = time.perf_counter() - started, _cpu() - cpu_started
            reader = hub.db.raw_connection()
            entries = reader.execute("SELECT count(*) FROM change_log").fetchone()[0]
            reader.close()
            village.db.close()
            hub.db.close()
        per_entry.append(cpu / entries * 1e6)
        notes.append(
            f"{entries:,} entries: {per_entry[-1]:.0f}us CPU each "
            f"(export {exporting / entries * 1e6:.0f}us; wall {elapsed / entries * 1e6:.0f}us), "
            f"{rounds} rounds of {scale.copy_batch:,}"
        )
    return Figure(per_entry[-1], per_entry[0], "us", 1.5, note="; ".join(notes))


def print_register(scale: Scale, seed: int) -> Figure:
    """The member register (花名册) as a PDF, from the data file to the last page."""
    with _printing_in(scale.print_language):
        return _print_register(scale, seed)


def _print_register(scale: Scale, seed: int) -> Figure:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    from desktop.printing.fonts import register_fonts
    from desktop.printing.register import render_member_register

    font = register_fonts()  # once per process, for both
    _process_setup()
    db = Database.open(county_file(scale.print_members, seed), create=False)
    try:
        services = Services(db)
        started = _cpu()
        data = services.printing.member_register(AS_OF)
        render_member_register(data, io.BytesIO())
        ours = _cpu() - started
    finally:
        db.close()
    started = _cpu()
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
    floor = _cpu() - started
    return Figure(ours, floor, "s", 2.0, note=f"{len(data.rows):,} members")


#: Commitments of realistic lengths (the data core takes up to 150 characters), cycled over the
#: stewards of the board scenario.
PLEDGES = (
    "每月走访联系户不少于一次，重点关照独居老人和留守儿童，帮忙代购药品、代办医保缴费。",
    "邻里有矛盾第一时间上门调解，做到小事不出组、大事不出村；每季度组织一次环境卫生整治，"
    "带头拆除乱搭乱建，保持房前屋后整洁。",
    "带头参加志愿服务，协助村里做好防汛抗旱和森林防火；汛期每天巡查山塘水库，发现险情立即报告。",
    "帮助困难户发展庭院经济，联系农技员上门指导种植养殖，年内帮助两户增收；"
    "及时宣传惠农政策，做到家喻户晓，为群众办事不推不拖、件件有回音。",
)
#: Each board is printed this many times on each paper, so that the figure is not only noise.
BOARD_ROUNDS = 5
#: The papers of the board: A3 landscape for the village notice board, A4 portrait for a door.
BOARD_PAPERS = (("A3", True), ("A4", False))


def print_board(scale: Scale, seed: int) -> Figure:
    """The commitment board (承诺公示) of the 2,000-member branch, from the data file to the last
    sheet, on A3 landscape and A4 portrait; every current steward with a reviewed commitment."""
    with _printing_in(scale.print_language):
        return _print_board(scale, seed)


def _print_board(scale: Scale, seed: int) -> Figure:
    from desktop.printing.board import render_commitment_board
    from desktop.printing.fonts import register_fonts

    register_fonts()  # once per process, for both
    _process_setup()
    year = AS_OF.year
    with _scratch() as folder:
        shutil.copytree(county_file(scale.print_members, seed), folder / "data")
        db = Database.open(folder / "data", create=False)
        try:
            services = Services(db, actor="bench")
            for n, steward in enumerate(services.stewards.stewards()):
                pledge = services.stewards.save_commitment(
                    steward.id, year, PLEDGES[n % len(PLEDGES)]
                )
                services.stewards.advance_commitment(pledge.id, AS_OF)  # reviewed
            pages: list[tuple[int, str, bool]] = []
            started = _cpu()
            for _round in range(BOARD_ROUNDS):
                for paper, landscape in BOARD_PAPERS:
                    data = services.printing.commitment_board(year, AS_OF)
                    rendered = render_commitment_board(
                        data, io.BytesIO(), paper=paper, landscape=landscape
                    )
                    pages.append((rendered.pages, paper, landscape))
            ours = _cpu() - started
        finally:
            db.close()
    started = _cpu()
    for sheets, paper, landscape in pages:
        _board_floor(data, sheets, paper, landscape)
    floor = _cpu() - started
    return Figure(
        ours,
        floor,
        "s",
        2.0,
        note=f"{len(data.stewards)} stewards, A3 and A4 boards x{BOARD_ROUNDS}",
    )


def _board_floor(data, sheets: int, paper: str, landscape: bool) -> None:  # type: ignore[no-untyped-def]
    """Bare ReportLab: the same sheets drawn with nothing of ours in between: the title and
    motto, each card (its frame and red strip, the post, a grey photo box with a silhouette,
    the name, area, phone, a rule and the commitment broken into lines by width) and the footer
    lines with the page number, in the same face and sizes, on as many sheets."""
    import math

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A3, A4
    from reportlab.lib.pagesizes import landscape as turned
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from desktop.printing.fonts import FONT

    red, grey = colors.HexColor("#C8161D"), colors.HexColor("#B5B5B5")
    size = {"A3": A3, "A4": A4}[paper]
    width, height = turned(size) if landscape else size
    canvas = Canvas(io.BytesIO(), pagesize=(width, height), initialFontName=FONT)
    stewards = list(data.stewards)
    per_sheet = math.ceil(len(stewards) / sheets)
    margin = 14 * mm
    title = f"{data.village}{data.year}年度红色管家承诺公示"
    footer = [
        f"公示期：{data.posted_from} 至 {data.posted_until}",
        f"欢迎广大村民监督红色管家履行承诺情况。监督电话：{data.branch_phone}",
    ]
    for sheet in range(sheets):
        cards = stewards[sheet * per_sheet : (sheet + 1) * per_sheet]
        canvas.setFillColor(red)
        canvas.setFont(FONT, 30)
        canvas.drawCentredString(width / 2, height - margin - 30, title)
        canvas.setFont(FONT, 13.5)
        canvas.drawCentredString(width / 2, height - margin - 48, "亮身份 · 作承诺 · 受监督")
        canvas.line(margin, height - margin - 56, width - margin, height - margin - 56)
        cols = max(1, math.ceil(math.sqrt(len(cards))))
        rows = math.ceil(len(cards) / cols)
        card_w = (width - 2 * margin) / cols
        card_h = (height - 2 * margin - 120) / rows
        for n, steward in enumerate(cards):
            x = margin + (n % cols) * card_w
            y = height - margin - 60 - (n // cols + 1) * card_h
            canvas.setStrokeColor(red)
            canvas.roundRect(x + 3, y + 3, card_w - 6, card_h - 6, 6)
            canvas.setFillColor(red)
            canvas.rect(x + 3, y + card_h - 3 - 34, card_w - 6, 34, stroke=0, fill=1)
            canvas.setFillColor(colors.white)
            canvas.setFont(FONT, 16)
            canvas.drawCentredString(x + card_w / 2, y + card_h - 24, steward.post)
            photo_w, photo_h = card_w * 0.3 - 12, card_h * 0.45
            photo_y = y + card_h - 46 - photo_h
            canvas.setFillColor(colors.HexColor("#E4E4E4"))
            canvas.rect(x + 12, photo_y, photo_w, photo_h, stroke=0, fill=1)
            canvas.setFillColor(grey)
            canvas.circle(x + 12 + photo_w / 2, photo_y + photo_h * 0.62, photo_w * 0.21, 0, 1)
            canvas.setFillColor(colors.black)
            canvas.setFont(FONT, 24)
            canvas.drawCentredString(x + card_w * 0.16, photo_y - 30, steward.name)
            canvas.setFont(FONT, 13)
            canvas.drawString(x + card_w * 0.32, y + card_h - 56, f"服务范围：{steward.area}")
            canvas.drawString(x + card_w * 0.32, y + card_h - 74, f"联系电话：{steward.phone}")
            canvas.line(x + card_w * 0.32, y + card_h - 80, x + card_w - 12, y + card_h - 80)
            canvas.setFont(FONT, 16)
            room, line, top = card_w * 0.65, "", y + card_h - 100
            for ch in f"我的承诺：{steward.commitment}":
                if stringWidth(line + ch, FONT, 16) > room:
                    canvas.drawString(x + card_w * 0.32, top, line)
                    line, top = "", top - 20
                line += ch
            canvas.drawString(x + card_w * 0.32, top, line)
        canvas.setFont(FONT, 13)
        for n, text in enumerate(footer):
            canvas.drawString(margin, margin + 40 - n * 18, text)
        canvas.drawRightString(width - margin, margin + 40, f"{data.branch_name}（盖章）")
        canvas.drawRightString(width - margin, margin + 22, str(data.printed_on))
        canvas.setFont(FONT, 8.5)
        canvas.drawCentredString(width / 2, margin / 2, f"第 {sheet + 1} 页 共 {sheets} 页")
        canvas.showPage()
    canvas.save()
