# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward sync …` end to end, and an import killed half-way then run again."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from desktop.cli.main import main
from desktop.models.demo import loader
from desktop.models.register.members import save_member
from desktop.models.store.db import Database
from tests.conftest import member_draft
from tests.sync.conftest import Node, pair

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def cli(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_pairing_filling_a_laptop_and_settling_a_conflict_from_the_command_line(
    tmp_path, capsys, demo_copy
):
    office, laptop = str(demo_copy(tmp_path / "office")), str(tmp_path / "laptop")
    code, text, _ = cli(
        capsys, "sync", "card", "--data-dir", office, "--out", str(tmp_path / "office.card")
    )
    assert code == 0 and "指纹" in text
    fingerprint = text.strip().splitlines()[-1].split()[-8:]
    assert (
        cli(capsys, "sync", "card", "--data-dir", laptop, "--out", str(tmp_path / "laptop.card"))[0]
        == 0
    )
    code, text, _ = cli(
        capsys, "sync", "trust", str(tmp_path / "office.card"), "--data-dir", laptop
    )
    assert code == 0 and " ".join(fingerprint) in text, "the same fingerprint on both PCs"
    assert cli(capsys, "sync", "trust", str(tmp_path / "laptop.card"), "--data-dir", office)[0] == 0

    stick = tmp_path / "stick" / "office-to-laptop.rsb"
    code, text, _ = cli(
        capsys,
        "sync",
        "export",
        "--data-dir",
        office,
        "--peer-card",
        str(tmp_path / "laptop.card"),
        "--out",
        str(stick),
    )
    assert code == 0 and stick.exists()
    code, text, _ = cli(capsys, "sync", "import", str(stick), "--data-dir", laptop, "--json")
    summary = json.loads(text)
    assert code == 0 and summary["records_added"] > 100 and summary["conflicts"] == 0
    code, _text, err = cli(capsys, "sync", "import", str(stick), "--data-dir", laptop)
    assert code == 1 and "已经导入" in err

    code, text, _ = cli(capsys, "members", "list", "--data-dir", office, "--json")
    id_number = json.loads(text)[0]["id_number"]
    assert (
        cli(capsys, "members", "set", id_number, "phone=13900001111", "--data-dir", office)[0] == 0
    )
    assert (
        cli(capsys, "members", "set", id_number, "phone=13900002222", "--data-dir", laptop)[0] == 0
    )
    laptop_id = json.loads(cli(capsys, "sync", "peers", "--data-dir", office, "--json")[1])[0]["id"]
    back = tmp_path / "stick" / "back.rsb"
    assert (
        cli(
            capsys,
            "sync",
            "export",
            "--data-dir",
            office,
            "--peer",
            laptop_id[:8],
            "--out",
            str(back),
        )[0]
        == 0
    )
    assert cli(capsys, "sync", "import", str(back), "--data-dir", laptop)[0] == 0

    code, text, _ = cli(capsys, "sync", "conflicts", "--data-dir", laptop, "--json")
    [conflict] = json.loads(text)
    assert {o["value"] for o in conflict["options"]} == {"13900001111", "13900002222"}
    code, text, _ = cli(capsys, "sync", "conflicts", "--data-dir", laptop)
    assert "13900001111" in text and "13900002222" in text
    assert "联系电话" in text and "phone" not in text, "the field as the pages call it"
    code, text, err = cli(
        capsys, "sync", "resolve", str(conflict["id"]), "--pick", "9", "--data-dir", laptop
    )
    assert code == 1 and "请选择 1 到 2 之间的一个值（输入的是 9）" in err, err
    pick = next(o["pick"] for o in conflict["options"] if o["value"] == "13900001111")
    assert (
        cli(
            capsys,
            "sync",
            "resolve",
            str(conflict["id"]),
            "--pick",
            str(pick),
            "--data-dir",
            laptop,
        )[0]
        == 0
    )
    code, text, _ = cli(capsys, "sync", "conflicts", "--data-dir", laptop)
    assert "没有" in text
    code, text, _ = cli(capsys, "members", "show", id_number, "--data-dir", laptop, "--json")
    assert json.loads(text)["phone"] == "13900001111"


def test_import_refusals_are_clear_lines_not_tracebacks(tmp_path, capsys, demo_copy):
    a, b = str(demo_copy(tmp_path / "a")), str(tmp_path / "b")
    cli(capsys, "sync", "card", "--data-dir", b, "--out", str(tmp_path / "b.card"))
    cli(capsys, "sync", "trust", str(tmp_path / "b.card"), "--data-dir", a)
    bundle = tmp_path / "a-to-b.rsb"
    cli(
        capsys,
        "sync",
        "export",
        "--data-dir",
        a,
        "--peer-card",
        str(tmp_path / "b.card"),
        "--out",
        str(bundle),
    )
    code, _out, err = cli(capsys, "sync", "import", str(bundle), "--data-dir", b)
    assert code == 1 and "不信任" in err and "Traceback" not in err
    junk = tmp_path / "junk.rsb"
    junk.write_bytes(b"hello")
    code, _out, err = cli(capsys, "sync", "import", str(junk), "--data-dir", b)
    assert code == 1 and "损坏" in err
    code, _out, err = cli(
        capsys,
        "sync",
        "export",
        "--data-dir",
        a,
        "--peer",
        "ffff",
        "--out",
        str(tmp_path / "x.rsb"),
    )
    assert code == 1 and "ffff" in err


def test_duplicates_listed_and_merged_from_the_command_line(tmp_path, capsys, demo_copy):
    demo_copy(tmp_path / "office")
    office, laptop = Node(tmp_path, "office"), Node(tmp_path, "laptop")
    branch_id = loader.demo_id("branch")
    pair(office, laptop)
    office.send(laptop)
    draft = member_draft(name="李重复")
    for node in (office, laptop):
        with node.db.unit_of_work() as session:
            save_member(session, branch_id, draft)
    laptop.send(office)
    laptop.close()
    folder = str(office.folder)
    code, text, _ = cli(capsys, "sync", "duplicates", "--data-dir", folder)
    assert code == 0 and draft.id_number in text and text.count("李重复") == 2
    assert "merge-duplicates" in text
    code, text, _ = cli(capsys, "sync", "merge-duplicates", draft.id_number, "--data-dir", folder)
    assert code == 0 and "李重复" in text
    code, text, _ = cli(capsys, "sync", "duplicates", "--data-dir", folder, "--json")
    assert json.loads(text) == []
    code, _text, err = cli(
        capsys, "sync", "merge-duplicates", draft.id_number, "--data-dir", folder
    )
    assert code != 0 and draft.id_number in err and "Traceback" not in err
    office.close()


KILLER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from desktop.sync import merge
    from desktop.sync.service import SyncService
    from desktop.models.store.db import Database

    folder, bundle, marker = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    after = int(sys.argv[4])
    real, calls = merge.load_entries_of, [0]

    def slow(conn, entity, row_ids):  # records are applied a chunk at a time
        calls[0] += len(row_ids)
        if calls[0] >= after:
            marker.write_text("half-way")
            time.sleep(600)
        return real(conn, entity, row_ids)

    merge.load_entries_of = slow
    SyncService(Database.open(folder)).import_file(bundle)
""")


@pytest.mark.parametrize("after", [1, 120])
def test_an_import_killed_half_way_then_run_again_loses_and_duplicates_nothing(
    tmp_path, after, demo_copy
):
    demo_copy(tmp_path / "office")
    office, laptop = Node(tmp_path, "office"), Node(tmp_path, "laptop")
    pair(office, laptop)
    path = office.bundle_for(laptop)
    before = laptop.snapshot()
    laptop.close()
    marker = tmp_path / "marker"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLER, str(laptop.folder), str(path), str(marker), str(after)],
        env=ENV,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert process.poll() is None, "the import ended before reaching the kill point"
            assert time.monotonic() < deadline
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait()
    laptop.db = Database.open(laptop.folder)
    from desktop.sync.service import SyncService

    laptop.sync = SyncService(laptop.db)
    assert laptop.snapshot() == before, "nothing of the killed import was kept"
    summary = laptop.sync.import_file(path)
    assert summary.entries_known == 0 and summary.records_added > 100
    assert laptop.snapshot() == office.snapshot()
    office.close()
    laptop.close()


def test_the_command_prints_the_import_then_takes_the_backup_after_it(
    tmp_path, capsys, demo_copy, monkeypatch
):
    from desktop.models.store import backup

    demo_copy(tmp_path / "office")
    office, laptop = Node(tmp_path, "office"), Node(tmp_path, "laptop")
    pair(office, laptop)
    path = office.bundle_for(laptop)
    office.close()
    laptop.close()
    printed_before: list[str] = []
    take = backup.BackupAfter.take

    def spied(self: backup.BackupAfter) -> object:
        printed_before.append(capsys.readouterr().out)  # what the clerk had read by then
        return take(self)

    monkeypatch.setattr(backup.BackupAfter, "take", spied)
    code, _out, _err = cli(capsys, "sync", "import", str(path), "--data-dir", str(laptop.folder))
    assert code == 0
    assert len(printed_before) == 1 and "新增" in printed_before[0], "the summary came first"
    newest, before = backup.automatic_backups(laptop.folder)[:2]
    assert (newest.reason, before.reason) == ("synced", "sync")
    assert newest.when > before.when
