# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward meetings …` and `print meeting|decisions`, in-process and in a real process."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys

import pytest

from desktop.cli.main import main
from tests.printing.pdfcheck import assert_fonts_embedded, flat, text


@pytest.fixture(scope="module")
def _demo_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    _placed_on.append(dt.date.today())  # the demo's dates follow the day it is loaded
    assert main(["demo", "--data-dir", str(folder)]) == 0
    return folder


#: The day the module's demo was loaded on: a test after midnight (or New Year) uses it.
_placed_on: list[dt.date] = []


@pytest.fixture
def demo_dir(_demo_template, tmp_path):
    shutil.copytree(_demo_template, tmp_path / "data")
    return str(tmp_path / "data")


def _json(capsys, *args):  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_record_a_joint_meeting_with_attendance_and_decisions(demo_dir, capsys, tmp_path):
    d = ["--data-dir", demo_dir]
    made = _json(
        capsys,
        "meetings", "add", *d,
        "--kind", "joint", "--at", "2026-11-10 14:00", "--topic", "研究冬季防火",
        "--place", "村部", "--chair", "刘志强", "--held",
    )  # fmt: skip
    assert made["kind"] == "joint" and made["held"] and made["audience"] == "stewards"
    short = made["id"][:8]
    shown = _json(capsys, "meetings", "show", short, *d)
    names = shown["unrecorded"]
    assert len(names) == 13
    attended = _json(
        capsys,
        "meetings", "attend", short, *d,
        "--leave", f"{names[1]}:外出务工", "--absent", names[2],
        "--guest", "王明@青山镇党建中心", "--all-present",
    )  # fmt: skip
    assert (attended["expected"], attended["present"], attended["leave"]) == (13, 11, 1)
    decision = _json(
        capsys,
        "meetings", "decide", short, *d,
        "--content", "清理防火隔离带", "--owner", "各党小组", "--due", "2026-11-30",
    )  # fmt: skip
    assert decision["state"] == "open"
    assert [x["content"] for x in _json(capsys, "meetings", "decisions", *d, "--state", "open")]
    changed = _json(
        capsys, "meetings", "decide", *d, "--decision", decision["id"][:8], "--state", "done"
    )
    assert changed["state"] == "done" and changed["done_on"]
    mistaken = _json(capsys, "meetings", "decide", short, *d, "--content", "误录")
    removed = _json(capsys, "meetings", "decide", *d, "--decision", mistaken["id"], "--remove")
    assert removed == {"id": mistaken["id"], "removed": True}
    assert mistaken["id"] not in [x["id"] for x in _json(capsys, "meetings", "decisions", *d)]
    assert main(["meetings", "decide", short, *d, "--remove"]) == 1
    plan = _json(capsys, "meetings", "plan", *d, "--today", "2026-11-20")
    assert {r["kind"] for r in plan["due"]} >= {"committee", "joint", "assembly"}
    joint = next(r for r in plan["due"] if r["kind"] == "joint")
    assert joint["state"] == "held"
    listed = _json(capsys, "meetings", "list", *d, "--year", "2026", "--kind", "joint")
    assert made["id"] in [m["id"] for m in listed]
    # Plain text for people, errors as one translated line.
    capsys.readouterr()
    assert main(["meetings", "show", short, *d]) == 0
    assert "王明" in capsys.readouterr().out
    assert main(["meetings", "attend", short, *d, "--present", "没有这个人"]) == 1
    assert "没有这个人" in capsys.readouterr().err
    assert main(["meetings", "show", "zzzz", *d]) == 1
    # The sheets, through the print command.
    signin, minutes = tmp_path / "signin.pdf", tmp_path / "minutes.pdf"
    assert main(["print", "meeting", *d, "--id", short, "--out", str(signin)]) == 0
    assert all(n in flat(text(signin)) for n in names)
    assert (
        main(["print", "meeting", *d, "--id", short, "--sheet", "minutes", "--out", str(minutes)])
        == 0
    )
    assert "清理防火隔离带" in flat(text(minutes))
    assert_fonts_embedded(minutes)


def test_print_open_decisions_in_a_real_process(demo_dir, tmp_path):
    d = ["--data-dir", demo_dir]
    assert main(["meetings", "add", *d, "--kind", "joint", "--at", "2026-03-10 14:00"]) == 0
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    meeting = json.loads(
        subprocess.run(
            [sys.executable, "-m", "desktop", "meetings", "list", *d, "--kind", "joint", "--json"],
            capture_output=True, text=True, env=env, timeout=120, check=True,
        ).stdout
    )[-1]  # fmt: skip
    assert main(["meetings", "decide", meeting["id"], *d, "--content", "修路灯"]) == 0
    out = tmp_path / "decisions.pdf"
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "print", "decisions", *d, "--out", str(out)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "修路灯" in flat(text(out))


def test_print_the_years_meeting_register(demo_dir, capsys, tmp_path):
    d = ["--data-dir", demo_dir]
    year = _placed_on[0].year  # the demo's meetings: its year, also after New Year's midnight
    held = [m for m in _json(capsys, "meetings", "list", *d, "--year", str(year)) if m["held"]]
    assert held
    out = tmp_path / "register.pdf"
    capsys.readouterr()
    assert main(["print", "meetings", *d, "--year", str(year), "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    body = flat(text(out))
    assert f"{year}" in body and "出勤率" in body
    assert all(flat(m["topic"]) in body for m in held if m["topic"])
    assert_fonts_embedded(out)
    # A year without a held meeting is a one-line refusal, no file.
    empty = tmp_path / "empty.pdf"
    assert main(["print", "meetings", *d, "--year", "2001", "--out", str(empty)]) == 1
    assert not empty.exists()
    assert "2001" in capsys.readouterr().err


def test_frequencies_and_the_committee_from_the_command_line(demo_dir, capsys):
    d = ["--data-dir", demo_dir]
    rows = _json(capsys, "meetings", "frequency", *d)
    assert {r["kind"]: r["every_months"] for r in rows}["joint"] == 3
    rows = _json(
        capsys, "meetings", "frequency", *d, "--kind", "joint", "--every", "1", "--day", "20"
    )
    assert next(r for r in rows if r["kind"] == "joint") | {"kind_label": ""} == {
        "kind": "joint", "kind_label": "", "every_months": 1, "day": 20,
    }  # fmt: skip
    plan = _json(capsys, "meetings", "plan", *d)
    joint = next(r for r in plan["due"] if r["kind"] == "joint")
    assert joint["every_months"] == 1
    assert main(["meetings", "frequency", *d, "--every", "2"]) == 1  # which kind?
    with pytest.raises(SystemExit) as usage:  # not a divisor of twelve: a usage error
        main(["meetings", "frequency", *d, "--kind", "joint", "--every", "5"])
    assert usage.value.code == 2

    seats = _json(capsys, "meetings", "committee", *d)
    assert [s["post"] for s in seats][:2] == ["secretary", "deputy"]
    seated = {s["name"] for s in seats}
    names = [m["name"] for m in _json(capsys, "members", "list", *d)]
    newcomer = next(n for n in names if n not in seated and names.count(n) == 1)
    after = _json(capsys, "meetings", "committee", *d, "--seat", newcomer, "--post", "publicity")
    mine = next(s for s in after if s["name"] == newcomer)
    assert mine["post"] == "publicity" and mine["until"] is None
    ended = _json(capsys, "meetings", "committee", *d, "--end", mine["id"])
    assert newcomer not in {s["name"] for s in ended}
    everyone = _json(capsys, "meetings", "committee", *d, "--all")
    assert next(s for s in everyone if s["id"] == mine["id"])["until"] is not None
    assert main(["meetings", "committee", *d, "--seat", "没有这个人"]) == 1
