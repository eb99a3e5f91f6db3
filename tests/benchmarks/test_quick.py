# SPDX-License-Identifier: GPL-3.0-or-later
"""The benchmarks' smoke run: `python -m benchmarks --quick` prints every scenario's line in
the agreed format and its tally, and no scenario crashes. Figures and ratios are not asserted:
the benchmarks are not tests (docs/benchmarks.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.run import NAMES

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"^(?P<name>[a-z-]+) ours=(?P<ours>[0-9.e+]+[a-zA-Z]+) floor=[0-9.e+]+[a-zA-Z]+ "
    r"ratio=(?:[0-9.]+|inf) target=\S+ (?P<verdict>ok|FAIL)( \(.*\))?$"
)


@pytest.mark.slow
def test_the_quick_run_prints_every_scenario_and_the_tally(tmp_path: Path) -> None:
    env = dict(os.environ)
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        RED_STEWARD_BENCH_CACHE=str(tmp_path / "cache"),
        QT_QPA_PLATFORM="offscreen",
    )
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    lines = done.stdout.splitlines()
    assert "crashed" not in done.stdout, done.stdout + done.stderr[-2000:]
    matched = [LINE.match(text) for text in lines[:-1]]
    assert all(matched), done.stdout
    assert [m["name"] for m in matched if m] == list(NAMES)
    verdicts = [m["verdict"] for m in matched if m]
    tally = f"{verdicts.count('ok')} passed, {verdicts.count('FAIL')} failed"
    assert lines[-1] == tally
    assert done.returncode == (0 if "FAIL" not in verdicts else 1)
