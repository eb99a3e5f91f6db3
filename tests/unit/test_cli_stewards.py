# SPDX-License-Identifier: GPL-3.0-or-later
"""The stewards commands: generate and show rosters, list and sum services, add one."""

from __future__ import annotations

import json

import pytest

from desktop.cli.main import main


@pytest.fixture
def demo_dir(demo_copy, tmp_path):
    """A fresh copy of the demo per test (tests/conftest.py loads it once per session)."""
    return str(demo_copy(tmp_path / "data"))


def _json(capsys, *args):  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_generate_by_steward_name_then_list_and_show(demo_dir, capsys):
    stewards = _json(capsys, "stewards", "list", "--data-dir", demo_dir)
    leader = next(s for s in stewards if s["group"] == "第二党小组")
    made = _json(
        capsys,
        "roster",
        "generate",
        "--team",
        leader["name"],
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-31",
        "--slots",
        "上午,下午",
        "--data-dir",
        demo_dir,
    )
    assert made["team"] == "第二党小组红色管家服务队" and made["duties"] == 44
    assert made["spread"] <= 1 and made["unfilled"] == 0
    listed = _json(capsys, "roster", "list", "--team", "2", "--data-dir", demo_dir)
    assert made["id"] in [r["id"] for r in listed]
    shown = _json(capsys, "roster", "show", made["id"][:13], "--data-dir", demo_dir)
    assert shown["rows"] == made["rows"]
    assert sum(f["duties"] for f in shown["fairness"]) == 44


def test_add_then_sum_agrees_with_the_list(demo_dir, capsys):
    before = _json(capsys, "service", "sum", "--by", "kind", "--data-dir", demo_dir)
    people = _json(capsys, "service", "list", "--group", "1", "--data-dir", demo_dir)
    person = people[0]["people"][0]
    capsys.readouterr()
    assert (
        main(
            [
                "service",
                "add",
                "--person",
                person,
                "--kind",
                "cleaning",
                "--hours",
                "2.5",
                "--notes",
                "清理水沟",
                "--data-dir",
                demo_dir,
            ]
        )
        == 0
    )
    assert "清洁" in capsys.readouterr().out
    after = {
        r["key"]: r for r in _json(capsys, "service", "sum", "--by", "kind", "--data-dir", demo_dir)
    }
    old = {r["key"]: r for r in before}
    assert after["cleaning"]["minutes"] == old["cleaning"]["minutes"] + 150
    assert after["cleaning"]["records"] == old["cleaning"]["records"] + 1
    mine = _json(capsys, "service", "list", "--person", person, "--data-dir", demo_dir)
    sums = {
        r["label"]: r
        for r in _json(
            capsys, "service", "sum", "--by", "person", "--person", person, "--data-dir", demo_dir
        )
    }
    assert sums[person]["minutes"] == sum(r["minutes"] for r in mine)


def test_the_demo_has_overdue_households(demo_dir, capsys):
    late = _json(capsys, "households", "list", "--overdue", "--data-dir", demo_dir)
    assert late and all(r["overdue_days"] > 0 for r in late)


@pytest.mark.parametrize(
    "args",
    [
        ["roster", "generate", "--team", "99", "--month", "2026-03"],
        ["roster", "generate", "--team", "1"],
        ["roster", "show", "nonsense"],
        ["service", "add", "--person", "无此人"],
        ["service", "sum", "--group", "42"],
    ],
)
def test_bad_input_is_one_line_and_exit_one(demo_dir, capsys, args):
    capsys.readouterr()
    assert main([*args, "--data-dir", demo_dir]) == 1
    err = capsys.readouterr().err
    assert err.startswith("red-steward: ") and "Traceback" not in err


def test_a_bad_date_is_a_usage_error(demo_dir, capsys):
    with pytest.raises(SystemExit) as info:
        main(
            [
                "roster",
                "generate",
                "--team",
                "1",
                "--from",
                "3月1日",
                "--to",
                "2026-03-31",
                "--data-dir",
                demo_dir,
            ]
        )
    assert info.value.code == 2
    assert "2026-03-01" in capsys.readouterr().err


def test_a_service_added_as_fulfilling_the_commitment_is_counted(demo_dir, capsys):
    def linked() -> int:
        stewards = _json(capsys, "stewards", "list", "--data-dir", demo_dir)
        return next(s for s in stewards if s["group"] == "第一党小组")["commitment_services"]

    before = linked()
    person = _json(capsys, "service", "list", "--group", "1", "--data-dir", demo_dir)[0]["people"][
        0
    ]
    capsys.readouterr()
    assert (
        main(["service", "add", "--person", person, "--fulfils-commitment", "--data-dir", demo_dir])
        == 0
    )
    assert linked() == before + 1
