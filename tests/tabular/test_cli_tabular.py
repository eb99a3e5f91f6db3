# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward import members` and `red-steward export`: in-process and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from desktop.cli.main import main
from tests.tabular import rosters

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def member_count(capsys, data_dir) -> int:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["members", "list", "--json", "--data-dir", str(data_dir)]) == 0
    return len(json.loads(capsys.readouterr().out))


def change_count(capsys, data_dir) -> int:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert (
        main(["changes", "list", "--limit", "100000", "--json", "--data-dir", str(data_dir)]) == 0
    )
    return len(json.loads(capsys.readouterr().out))


def init(data_dir) -> None:  # type: ignore[no-untyped-def]
    assert (
        main(
            [
                "init",
                "--branch",
                "测试村党支部",
                "--town",
                "青山镇",
                "--county",
                "临江县",
                "--data-dir",
                str(data_dir),
            ]
        )
        == 0
    )


def test_import_dry_run_then_for_real(capsys, tmp_path):
    data = tmp_path / "data"
    init(data)
    path = rosters.messy_xlsx(tmp_path / "花名册.xlsx")
    capsys.readouterr()
    assert main(["import", "members", str(path), "--dry-run", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "新增 7 人，更新 0 人，跳过 0 人" in out, out
    assert "第 9 行" in out and "3.20106E+17" in out, "each problem with its row"
    assert "第 13 行" in out
    assert member_count(capsys, data) == 0, "a dry run writes nothing"
    assert not list((data / "backups").glob("auto-*-import.rsbackup"))

    assert main(["import", "members", str(path), "--data-dir", str(data)]) == 0
    assert member_count(capsys, data) == 7
    # A verified backup of the register as it was is taken before the import writes.
    taken = list((data / "backups").glob("auto-*-import.rsbackup"))
    assert len(taken) == 1
    from desktop.models.store import backup
    from desktop.models.store.keyring import Credentials

    assert backup.verify_backup(taken[0], Credentials.from_env()).reason == "import"
    # ...and one of the register with the import, after the command printed its result.
    [after] = (data / "backups").glob("auto-*-imported.rsbackup")
    assert backup.verify_backup(after, Credentials.from_env()).members == 7
    assert main(["groups", "list", "--json", "--data-dir", str(data)]) == 0
    groups = json.loads(capsys.readouterr().out)
    # A fresh branch: the groups the roster names are created, numbered as they are named.
    assert {(g["number"], g["name"], g["member_count"]) for g in groups} == {
        (1, "第一党小组", 4),
        (2, "第二党小组", 2),
        (5, "第五党小组", 1),
    }
    changes = change_count(capsys, data)
    # The same file again: every good row is now unchanged; nothing is written.
    assert main(["import", "members", str(path), "--data-dir", str(data)]) == 1
    assert change_count(capsys, data) == changes


def test_nothing_importable_exits_non_zero(capsys, tmp_path):
    data = tmp_path / "data"
    init(data)
    bad = tmp_path / "bad.csv"
    bad.write_text("姓名,身份证号\n张三,3.20106E+17\n", encoding="utf-8")
    assert main(["import", "members", str(bad), "--data-dir", str(data)]) == 1
    assert "3.2E+17" in capsys.readouterr().out
    empty = tmp_path / "empty.csv"
    empty.write_text("合计,5\n", encoding="utf-8")
    assert main(["import", "members", str(empty), "--data-dir", str(data)]) == 1
    assert main(["import", "members", str(tmp_path / "missing.xlsx"), "--data-dir", str(data)]) == 1
    assert "missing.xlsx" in capsys.readouterr().err


def test_export_then_import_round_trip_in_real_processes(tmp_path, demo_copy):
    data = tmp_path / "data"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "desktop", *args, "--data-dir", str(data)],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=120,
        )

    demo_copy(data)
    for table in ("members", "households", "groups"):
        for suffix in (".xlsx", ".csv"):
            done = run("export", table, str(tmp_path / f"{table}{suffix}"))
            assert done.returncode == 0, done.stderr
            assert (tmp_path / f"{table}{suffix}").stat().st_size > 0
    before = run("changes", "list", "--limit", "100000", "--json")
    for suffix in (".xlsx", ".csv"):
        done = run("import", "members", str(tmp_path / f"members{suffix}"), "--on-match", "update")
        assert done.returncode == 0, done.stderr
        assert "新增 0 人，更新 0 人，跳过 0 人，60 人无变化" in done.stdout, done.stdout
    after = run("changes", "list", "--limit", "100000", "--json")
    assert len(json.loads(after.stdout)) == len(json.loads(before.stdout))
    bad = run("export", "rosterz", str(tmp_path / "x.xlsx"))
    assert bad.returncode == 2 and "members" in bad.stderr


def test_one_sheet_and_skipping_matches(capsys, tmp_path):
    data = tmp_path / "data"
    init(data)
    path = rosters.messy_xlsx(tmp_path / "花名册.xlsx")
    capsys.readouterr()
    assert (
        main(["import", "members", str(path), "--sheet", "第二党小组", "--data-dir", str(data)])
        == 0
    )
    assert member_count(capsys, data) == 2
    # Change a phone in a CSV of those two, then import it with --on-match skip: nothing moves.
    number = rosters.id_number(*rosters.GROUP2_A[1:])
    csv_path = tmp_path / "changed.csv"
    csv_path.write_text(
        f"姓名,身份证号,联系电话\n郑桂兰,{number},13700001111\n", encoding="utf-8-sig"
    )
    capsys.readouterr()
    assert (
        main(["import", "members", str(csv_path), "--on-match", "skip", "--data-dir", str(data)])
        == 0
    )
    out = capsys.readouterr().out
    assert "跳过 1 人" in out
    assert main(["members", "show", number, "--json", "--data-dir", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["phone"] == "15912345678"
    assert main(["import", "members", str(csv_path), "--data-dir", str(data)]) == 0
    capsys.readouterr()
    assert main(["members", "show", number, "--json", "--data-dir", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["phone"] == "13700001111"


def test_import_report_as_json(capsys, tmp_path):
    data = tmp_path / "data"
    init(data)
    path = rosters.messy_xlsx(tmp_path / "花名册.xlsx")
    capsys.readouterr()
    assert main(["import", "members", str(path), "--json", "--data-dir", str(data)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["create"] == 7 and report["written"]["created"] == 7
    rows = {(r["sheet"], r["row"]): r for r in report["rows"]}
    assert {k: r["action"] for k, r in rows.items()} == rosters.MESSY_EXPECTED
    assert "3.20106E+17" in rows[("花名册", 9)]["errors"][0]
    assert report["sheets"][0]["header_row"] == 4
    assert report["sheets"][0]["columns"]["3"] == "id_number"
