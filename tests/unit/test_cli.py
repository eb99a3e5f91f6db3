# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line is a contract: driven in-process and as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from desktop import __version__
from desktop.cli.main import main

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


def members_json(capsys, data_dir) -> list[dict]:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["members", "list", "--data-dir", str(data_dir), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def change_count(capsys, data_dir) -> int:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert (
        main(["changes", "list", "--data-dir", str(data_dir), "--limit", "100000", "--json"]) == 0
    )
    return len(json.loads(capsys.readouterr().out))


def test_version_and_demo_twice_in_a_real_process(tmp_path):
    version = run("--version")
    assert version.returncode == 0 and __version__ in version.stdout
    first = run("demo", "--data-dir", str(tmp_path))
    assert first.returncode == 0, first.stderr
    second = run("demo", "--data-dir", str(tmp_path))
    assert second.returncode == 0, second.stderr
    listed = run("members", "list", "--json", "--data-dir", str(tmp_path))
    members = json.loads(listed.stdout)
    assert len(members) == 60, "the second demo duplicated nothing"
    for key in (
        "id",
        "name",
        "gender",
        "id_number",
        "birth_date",
        "phone",
        "party_group",
        "status",
    ):
        assert key in members[0]
    assert {m["party_group"] for m in members} == {
        f"第{n}党小组" for n in "一二三四五六七八九十"
    } | {"第十一党小组", "第十二党小组"}


def test_the_data_dir_comes_from_the_environment_too(tmp_path):
    env = {**ENV, "RED_STEWARD_DATA": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "init",
            "--branch",
            "东山村党支部",
            "--town",
            "青山镇",
            "--county",
            "临江县",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "red-steward.sqlite3").exists()


def test_init_twice_is_refused(tmp_path, capsys):
    args = [
        "init",
        "--data-dir",
        str(tmp_path),
        "--branch",
        "东山村党支部",
        "--town",
        "青山镇",
        "--county",
        "临江县",
    ]
    assert main(args) == 0
    assert main(args) == 1
    assert "东山村党支部" in capsys.readouterr().err


def test_set_validates_like_the_dialog_and_logs_the_change(tmp_path, capsys, demo_copy):
    demo_copy(tmp_path)
    member = members_json(capsys, tmp_path)[0]
    before = change_count(capsys, tmp_path)

    bad = main(
        [
            "members",
            "set",
            member["id_number"],
            "phone=12345",
            "joined_on=2099-01-01",
            "--data-dir",
            str(tmp_path),
        ]
    )
    err = capsys.readouterr().err
    assert bad == 1
    assert "phone" in err and "joined_on" in err
    assert change_count(capsys, tmp_path) == before, "a refused change writes nothing"

    good = main(
        [
            "members",
            "set",
            member["id_number"],
            "phone=139 0000 1111",
            "address=红旗村一组8号",
            "--data-dir",
            str(tmp_path),
        ]
    )
    assert good == 0
    after = {m["id"]: m for m in members_json(capsys, tmp_path)}[member["id"]]
    assert after["phone"] == "13900001111"
    assert after["address"] == "红旗村一组8号"
    assert change_count(capsys, tmp_path) == before + 2


def test_set_accepts_labels_and_group_numbers(tmp_path, capsys, demo_copy):
    demo_copy(tmp_path)
    member = members_json(capsys, tmp_path)[0]
    assert (
        main(
            [
                "members",
                "set",
                member["id_number"],
                "party_group=3",
                "education=高中",
                "--data-dir",
                str(tmp_path),
            ]
        )
        == 0
    )
    after = {m["id"]: m for m in members_json(capsys, tmp_path)}[member["id"]]
    assert after["party_group"] == "第三党小组"
    assert after["education"] == "high_school"


@pytest.mark.parametrize("assignment", ["nosuchfield=1", "gender=maybe", "joined_on=July"])
def test_unreadable_values_exit_nonzero(tmp_path, capsys, assignment, demo_copy):
    demo_copy(tmp_path)
    member = members_json(capsys, tmp_path)[0]
    assert (
        main(["members", "set", member["id_number"], assignment, "--data-dir", str(tmp_path)]) == 1
    )
    assert capsys.readouterr().err.strip()


def test_remove_and_restore(tmp_path, capsys, demo_copy):
    demo_copy(tmp_path)
    member = members_json(capsys, tmp_path)[0]
    assert main(["members", "remove", member["id_number"], "--data-dir", str(tmp_path)]) == 0
    assert len(members_json(capsys, tmp_path)) == 59
    assert main(["members", "remove", member["id_number"], "--data-dir", str(tmp_path)]) == 1
    assert main(["members", "restore", member["id_number"], "--data-dir", str(tmp_path)]) == 0
    assert len(members_json(capsys, tmp_path)) == 60


def test_add_a_member(tmp_path, capsys):
    assert (
        main(
            [
                "init",
                "--data-dir",
                str(tmp_path),
                "--branch",
                "东山村党支部",
                "--town",
                "青山镇",
                "--county",
                "临江县",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "members",
                "add",
                "name=王建国",
                "id_number=11010519491231002X",
                "joined_on=1975.7.1",
                "confirmed_on=1976年7月1日",
                "phone=13800138000",
                "--data-dir",
                str(tmp_path),
            ]
        )
        == 0
    ), capsys.readouterr().err
    [member] = members_json(capsys, tmp_path)
    assert member["birth_date"] == "1949-12-31"
    assert member["gender"] == "female"
    assert member["confirmed_on"] == "1976-07-01"


def test_no_branch_yet_is_explained(tmp_path, capsys):
    assert main(["members", "list", "--data-dir", str(tmp_path / "empty")]) == 1
    assert "red-steward init" in capsys.readouterr().err


def test_a_damaged_file_is_one_line_not_a_traceback(tmp_path):
    (tmp_path / "red-steward.sqlite3").write_bytes(b"garbage" * 50)
    result = run("members", "list", "--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
