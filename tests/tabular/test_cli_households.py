# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward import households`: the preview, dry run, exit codes, JSON, a real process."""

from __future__ import annotations

import json
import subprocess
import sys

from desktop.cli.main import main
from tests.tabular.test_cli_tabular import ENV, change_count, init
from tests.tabular.test_household_import import MESSY_EXPECTED, messy_households_xlsx


def household_rows(tmp_path, capsys, data) -> list[list[str]]:  # type: ignore[no-untyped-def]
    """The households as `export households` writes them to CSV, without the header."""
    out = tmp_path / "out.csv"
    capsys.readouterr()
    assert main(["export", "households", str(out), "--data-dir", str(data)]) == 0
    return [line.split(",") for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]]


def test_dry_run_then_for_real_then_nothing_new(capsys, tmp_path):
    data = tmp_path / "data"
    init(data)
    path = messy_households_xlsx(tmp_path / "台账.xlsx")
    before = change_count(capsys, data)
    assert main(["import", "households", str(path), "--dry-run", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "新增 3 户，更新 0 户，跳过 0 户，0 户无变化，5 行有问题" in out
    assert "第 6 行" in out and "电话号码" in out, "the bad phone with its row number"
    assert "第 10 行" in out and "也许" in out
    assert out.splitlines()[-1] == "试运行：未写入任何数据。"
    assert household_rows(tmp_path, capsys, data) == [], "a dry run writes nothing"
    assert change_count(capsys, data) == before

    assert main(["import", "households", str(path), "--data-dir", str(data)]) == 0
    rows = household_rows(tmp_path, capsys, data)
    assert sorted(r[0] for r in rows) == sorted(["张大山", "李四", "赵六"])
    changes = change_count(capsys, data)
    # The same file again: every good row is unchanged and nothing could be imported.
    assert main(["import", "households", str(path), "--data-dir", str(data)]) == 1
    assert change_count(capsys, data) == changes


def test_exit_codes(capsys, tmp_path):
    data = tmp_path / "data"
    init(data)
    bad = tmp_path / "bad.csv"
    bad.write_text("户主,住址,电话\n张三,1组1号,12345\n", encoding="utf-8")
    assert main(["import", "households", str(bad), "--data-dir", str(data)]) == 1
    out = capsys.readouterr().out
    assert "第 2 行：张三：联系电话：电话号码不正确" in out
    assert out.splitlines()[-1] == "没有可以导入的行。"
    members_file = tmp_path / "members.csv"
    members_file.write_text("姓名,身份证号\n张三,110101199003070011\n", encoding="utf-8")
    assert main(["import", "households", str(members_file), "--data-dir", str(data)]) == 1
    assert "没有找到住户工作表" in capsys.readouterr().out
    assert (
        main(["import", "households", str(tmp_path / "missing.xlsx"), "--data-dir", str(data)]) == 1
    )
    assert "missing.xlsx" in capsys.readouterr().err
    good = tmp_path / "good.csv"
    good.write_text("户主,住址,电话\n张三,1组1号,13800000000\n", encoding="utf-8")
    assert main(["import", "households", str(good), "--data-dir", str(data)]) == 0
    # --on-match skip: the changed phone stays as it is, and the run is not an error.
    good.write_text("户主,住址,电话\n张三,1组1号,13900000000\n", encoding="utf-8")
    assert (
        main(["import", "households", str(good), "--on-match", "skip", "--data-dir", str(data)])
        == 0
    )
    assert household_rows(tmp_path, capsys, data)[0][2] == "13800000000"
    assert main(["import", "households", str(good), "--data-dir", str(data)]) == 0
    assert household_rows(tmp_path, capsys, data)[0][2] == "13900000000"


def test_report_as_json(capsys, tmp_path):
    data = tmp_path / "data"
    init(data)
    path = messy_households_xlsx(tmp_path / "台账.xlsx")
    capsys.readouterr()
    assert main(["import", "households", str(path), "--json", "--data-dir", str(data)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["counts"]["create"] == 3 and report["written"]["created"] == 3
    assert report["written"]["villager_groups_created"] == 2
    rows = {(r["sheet"], r["row"]): r for r in report["rows"]}
    assert {k: r["action"] for k, r in rows.items()} == MESSY_EXPECTED
    assert rows[("户籍台账", 5)]["address"] == "红旗村2组3号"
    assert report["sheets"][0]["columns"]["1"] == "head_name"


def test_round_trip_in_real_processes(tmp_path, demo_copy):
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
    before = run("changes", "list", "--limit", "100000", "--json")
    for suffix in (".xlsx", ".csv"):
        path = tmp_path / f"households{suffix}"
        assert run("export", "households", str(path)).returncode == 0
        done = run("import", "households", str(path), "--json")
        report = json.loads(done.stdout)
        assert set(report["counts"]) == {"unchanged"}, report["counts"]
        assert done.returncode == 0, done.stderr
        assert report["written"] is None
    after = run("changes", "list", "--limit", "100000", "--json")
    assert len(json.loads(after.stdout)) == len(json.loads(before.stdout))
