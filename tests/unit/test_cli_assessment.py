# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward assessment …` and `print assessment`: a year driven from the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from desktop.cli.main import main
from tests.assessment_year import YEAR, make_year
from tests.printing import pdfcheck


@pytest.fixture
def year_dir(db, branch, make_member, data_dir):  # type: ignore[no-untyped-def]
    make_year(db, branch, make_member)
    db.close()
    return str(data_dir)


def _json(capsys, *args):  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main([*args, "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def _run(capsys, *args):  # type: ignore[no-untyped-def]
    capsys.readouterr()
    code = main(list(args))
    return code, capsys.readouterr()


def test_a_year_from_the_command_line(year_dir, capsys, tmp_path):
    where = ("--year", str(YEAR), "--data-dir", year_dir)
    rules = _json(capsys, "assessment", "rules", *where)
    assert rules["state"] == "open"
    assert [r["name"] for r in rules["rules"]] == ["服务数量", "服务质量", "践诺", "违纪扣分"]
    added = _json(
        capsys,
        "assessment",
        "rules",
        *where,
        "--add",
        "服务次数",
        "--source",
        "computed",
        "--max",
        "10",
        "--measure",
        "services",
        "--points",
        "per=1",
        "--kind",
        "bonus",
        "--excellent-share",
        "34",
    )
    assert added["rules"][-1] | {"id": None} == added["rules"][-1] | {
        "id": None,
        "name": "服务次数",
        "kind": "bonus",
        "maximum": "10",
        "points": {"per": "1"},
    }
    scorers = _json(capsys, "assessment", "scorers", *where, "--default")
    assert len(scorers) == 3 + 3 + 2 + 2 + 3  # two party groups, villager groups, the branch
    sheets = _json(capsys, "assessment", "scores", *where, "--start")
    assert [s["code"] for s in sheets] == ["2025-D1", "2025-D2", "2025-C1", "2025-C2", "2025-Z1"]
    # Rules are locked now: a change without a reason is one line and exit 1.
    code, captured = _run(capsys, "assessment", "rules", *where, "--add", "x", "--max", "1")
    assert (
        code == 1 and captured.err.startswith("red-steward: ") and "Traceback" not in captured.err
    )
    # Key every sheet from CSV files as typed from paper.
    values = {"D": "45", "C": "38", "Z": "0"}
    for sheet in sheets:
        grid = _json(capsys, "assessment", "scores", *where, "--sheet", sheet["code"])
        items = sorted({s["item"] for s in grid["scores"]})
        names = list(dict.fromkeys(s["steward"] for s in grid["scores"]))
        path = tmp_path / f"{sheet['code']}.csv"
        lines = ["姓名," + ",".join(items)]
        lines += [f"{n}," + ",".join(values[sheet["code"][5]] for _i in items) for n in names]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        keyed = _json(
            capsys, "assessment", "scores", *where, "--sheet", sheet["code"], "--csv", str(path)
        )
        assert keyed["missing"] == 0
    assert _json(capsys, "assessment", "scores", *where, "--missing") == []
    final = _json(capsys, "assessment", "finalise", *where, "--on", "2025-12-30")
    assert final["final"] and {s["total"] for s in final["stewards"]} == {"88", "83"}
    assert [s["grade"] for s in final["stewards"]] == ["competent"] * 3
    # The result list as a spreadsheet: one row per steward, one column per item, numbers.
    book = tmp_path / "考核结果.xlsx"
    code, captured = _run(capsys, "assessment", "results", *where, "--export", str(book))
    assert code == 0 and str(book) in captured.out
    _assert_exported(book, final)
    code, captured = _run(
        capsys, "assessment", "results", *where, "--export", str(tmp_path / "x.pdf")
    )
    assert code == 1 and ".xlsx" in captured.err and not (tmp_path / "x.pdf").exists()
    code, captured = _run(capsys, "assessment", "reopen", *where, "--reason", " ")
    assert code == 1 and "Traceback" not in captured.err
    reopened = _json(capsys, "assessment", "reopen", *where, "--reason", "复核")
    assert reopened == {"year": YEAR, "state": "scoring", "reason": "复核"}
    assert _json(capsys, "assessment", "results", *where)["final"] is False
    # Printing: the blank sheets and the results.
    blank = tmp_path / "blank.pdf"
    code, _c = _run(capsys, "print", "assessment", *where, "--out", str(blank), "--blank")
    assert code == 0 and pdfcheck.page_count(blank) == 5
    listed = tmp_path / "results.pdf"
    code, _c = _run(capsys, "print", "assessment", *where, "--out", str(listed))
    assert code == 0 and pdfcheck.page_count(listed) == 4
    assert "未定稿" in pdfcheck.flat(pdfcheck.text(listed, 1))


def _assert_exported(book, final) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    sheet = load_workbook(book).active
    assert sheet.title == f"{YEAR}年度考核"
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    assert header[:3] == ["名次", "姓名", "职务"] and "总分" in header and "等次" in header
    assert "1. 服务数量" in header and "5. 服务次数" in header
    total, grade = header.index("总分"), header.index("等次")
    by_name = {r[1]: r for r in rows[1:]}
    assert set(by_name) == {s["name"] for s in final["stewards"]}
    for steward in final["stewards"]:
        row = by_name[steward["name"]]
        assert row[0] == steward["rank"] and row[total] == float(steward["total"])
        assert row[grade] == "合格"
        for item in steward["items"]:
            cell = row[header.index(f"{item['number']}. {item['item']}")]
            assert cell == (None if item["points"] == "" else float(item["points"]))


def test_a_bad_csv_is_one_line_and_exit_one(year_dir, capsys, tmp_path):
    where = ("--year", str(YEAR), "--data-dir", year_dir)
    assert main(["assessment", "scores", *where, "--start"]) == 0
    path = tmp_path / "bad.csv"
    path.write_text("姓名,服务数量\n王一,55\n", encoding="utf-8")
    code, captured = _run(
        capsys, "assessment", "scores", *where, "--sheet", "2025-D1", "--csv", str(path)
    )
    assert code == 1 and "50" in captured.err and "Traceback" not in captured.err


def test_results_as_a_real_subprocess(year_dir):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "assessment",
            "results",
            "--year",
            str(YEAR),
            "--data-dir",
            year_dir,
            "--json",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert {s["name"] for s in json.loads(done.stdout)["stewards"]} == {"李书记", "王一", "赵二"}


def test_grade_thresholds_from_the_command_line(year_dir, capsys):
    where = ("--year", str(YEAR), "--data-dir", year_dir)
    set_ = _json(
        capsys, "assessment", "rules", *where,
        "--excellent-min", "92.5", "--basic-min", "65", "--posted-from", "2026-01-05",
    )  # fmt: skip
    assert set_["grading"] | {"posted_until": None} == {
        "excellent_min": "92.5",
        "competent_min": "70",
        "basic_min": "65",
        "excellent_share": 0,
        "drop_extremes": False,
        "posted_from": "2026-01-05",
        "posted_until": None,
    }
    code, captured = _run(capsys, "assessment", "rules", *where, "--competent-min", "95")
    assert code == 1 and "Traceback" not in captured.err
    assert _json(capsys, "assessment", "rules", *where)["grading"]["competent_min"] == "70"
