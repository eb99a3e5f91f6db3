# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's print examples run as written (the CLI is a contract), and `--orientation`."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from desktop.cli.main import main
from tests.printing.conftest import DEMO_YEAR
from tests.printing.pdfcheck import A3, A4, assert_size, page_count

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_lines(command: str) -> list[str]:
    lines = README.read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.startswith(command)]


def expand(line: str) -> list[list[str]]:
    """Every command a README line stands for: each choice of a|b|c, with and without each
    [--option …], one choice of each A4|A3."""
    optional = re.findall(r"\[([^\]]+)\]", line)
    base = re.sub(r"\s*\[[^\]]+\]", "", line).split()[1:]
    commands = []
    for word_choices in itertools.product(
        *[w.split("|") if "|" in w and not w.startswith("-") else [w] for w in base]
    ):
        commands.append(list(word_choices))
        for extra in optional:
            words = extra.split()
            commands.append([*word_choices, *[w.split("|")[-1] if "|" in w else w for w in words]])
    return commands


def test_every_print_example_of_the_readme_runs(tmp_path, demo_db):
    lines = readme_lines("red-steward print")
    assert lines
    for n, command in enumerate(c for line in lines for c in expand(line)):
        out = tmp_path / f"{n}.pdf"
        args = [
            {"D": str(demo_db.path.parent), "FILE.pdf": str(out), "YYYY": str(DEMO_YEAR)}.get(
                word, word
            )
            for word in command
        ]
        if args[1] == "roster":
            # The README prints a roster that `roster generate` made before.
            generate = readme_lines("red-steward roster generate")[0].split()[1:]
            made = [str(demo_db.path.parent) if w == "D" else w for w in generate]
            assert main(made) == 0, made
        assert main(args) == 0, args
        assert page_count(out) >= 1, args


def test_roster_generate_takes_the_group_name_or_number(demo_db):
    data = str(demo_db.path.parent)
    for team in ("第一党小组", "2"):
        done = main(
            ["roster", "generate", "--team", team, "--month", "2027-01", "--data-dir", data]
        )
        assert done == 0, team


@pytest.mark.parametrize(
    "args,size",
    [
        (["board", "--paper", "A3", "--orientation", "portrait"], A3),
        (["board", "--paper", "A4", "--orientation", "landscape"], (A4[1], A4[0])),
        (["board", "--paper", "A4", "--landscape"], (A4[1], A4[0])),
        (["roster", "--orientation", "landscape"], (A4[1], A4[0])),
    ],
)
def test_orientation(tmp_path, demo_db, args, size):
    data = str(demo_db.path.parent)
    if args[0] == "roster":
        assert (
            main(["roster", "generate", "--team", "1", "--month", "2027-02", "--data-dir", data])
            == 0
        )
    out = tmp_path / "o.pdf"
    assert main(["print", *args, "--data-dir", data, "--out", str(out)]) == 0
    assert_size(out, size)


def test_the_register_refuses_portrait(tmp_path, demo_db, capsys):
    data = str(demo_db.path.parent)
    out = tmp_path / "m.pdf"
    assert (
        main(
            ["print", "members", "--orientation", "portrait", "--data-dir", data, "--out", str(out)]
        )
        == 1
    )
    assert "横向" in capsys.readouterr().err
    assert not out.exists()
