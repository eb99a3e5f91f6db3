# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward print …` on the demo branch: in-process and as a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys

from desktop.cli.main import main
from tests.printing.conftest import DEMO_YEAR
from tests.printing.pdfcheck import (
    A3,
    A4,
    assert_fonts_embedded,
    assert_size,
    flat,
    page_count,
    text,
)

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


def test_print_board_on_the_demo_branch_in_a_real_process(tmp_path, demo_copy):
    data = demo_copy(tmp_path / "data")
    out = tmp_path / "board.pdf"
    year = str(DEMO_YEAR)  # the demo's commitments, also after New Year's midnight
    done = run("print", "board", "--data-dir", str(data), "--out", str(out), "--qr", "--year", year)
    assert done.returncode == 0, done.stderr
    assert f"已写入 {out}（共 3 页）" in done.stdout, done.stdout
    assert page_count(out) == 3
    assert_size(out, (A3[1], A3[0]))
    assert_fonts_embedded(out)
    assert "刘志强" in flat(text(out))
    assert not list(tmp_path.glob("*.part"))
    # Headless printing never loads Qt.
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from desktop.cli.main import main; "
            f"main(['print', 'board', '--data-dir', {str(data)!r}, '--out', {str(out)!r}]); "
            "print('PySide6' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert probe.stdout.strip().endswith("False"), probe.stdout + probe.stderr


def test_print_options_in_process(tmp_path, capsys, demo_db):
    data = str(demo_db.path.parent)
    board = tmp_path / "a4.pdf"
    assert (
        main(
            [
                "print",
                "board",
                "--data-dir",
                data,
                "--out",
                str(board),
                "--paper",
                "a4",
                "--year",
                str(DEMO_YEAR),
            ]
        )
        == 0
    )
    assert_size(board, A4)
    assert page_count(board) == 7
    members = tmp_path / "members.pdf"
    assert main(["print", "members", "--data-dir", data, "--out", str(members)]) == 0
    assert_size(members, (A4[1], A4[0]))
    assert f"共 {page_count(members)} 页" in capsys.readouterr().out


def test_print_errors_are_one_line_and_exit_codes(tmp_path, capsys, demo_db):
    data = str(demo_db.path.parent)
    assert (
        main(
            [
                "print",
                "board",
                "--data-dir",
                data,
                "--year",
                "1999",
                "--out",
                str(tmp_path / "b.pdf"),
            ]
        )
        == 1
    )
    assert "1999" in capsys.readouterr().err
    assert not (tmp_path / "b.pdf").exists() and not list(tmp_path.glob("*.part"))
    assert (
        main(["print", "board", "--data-dir", data, "--out", str(tmp_path / "missing" / "b.pdf")])
        == 1
    )
    assert "不存在" in capsys.readouterr().err
    bad = run("print", "board", "--data-dir", data, "--out", "x.pdf", "--paper", "B5")
    assert bad.returncode == 2
