# SPDX-License-Identifier: GPL-3.0-or-later
"""`red-steward selftest`: the check the installers run on the installed files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
STEPS = [
    "在新的加密数据文件中创建党支部",
    "写入并读取加密数据文件",
    "打印含中文的 PDF 并嵌入字体",
    "打开并关闭主窗口",
    "制作并校验备份",
    "封装并打开同步包",
]


def selftest(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "selftest", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=300,
    )


def test_selftest_passes_every_step_and_keeps_what_it_made_in_the_folder(tmp_path: Path):
    result = selftest("--folder", str(tmp_path / "work"), "--screenshot", str(tmp_path / "w.png"))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines == [f"[{n}] {step}：正常" for n, step in enumerate(STEPS, 1)] + [
        "自检通过：本软件安装正常。"
    ]
    pdf = (tmp_path / "work" / "members.pdf").read_bytes()
    assert b"+WenQuanYiMicroHei" in pdf
    assert (tmp_path / "w.png").stat().st_size > 10_000  # a picture of the window, not a blank


def test_a_failing_step_is_named_in_the_users_language_and_exits_1(tmp_path: Path):
    # A folder below a file cannot be made (not even by root): the first step fails.
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = selftest("--folder", str(blocker / "work"), "--lang", "en")
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "[1] Create a branch in a new encrypted data file: FAILED"
    ]
    assert result.stderr.startswith(
        "red-steward: The self-test failed at step 1, Create a branch in a new encrypted data "
        "file: NotADirectoryError"
    ), result.stderr
    assert "Traceback" not in result.stderr
