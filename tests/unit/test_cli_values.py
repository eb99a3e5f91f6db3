# SPDX-License-Identifier: GPL-3.0-or-later
"""`members add|set FIELD=VALUE` reads values as the spreadsheet import reads its cells."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest

from desktop.cli.main import main
from desktop.i18n import translations_of
from desktop.models.register import member_fields
from desktop.models.register.values import CHOICE_FIELDS, CHOICE_WORDS
from desktop.tabular import values


@pytest.fixture(scope="module")
def _demo_template(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--data-dir", str(folder)]) == 0
    return folder


@pytest.fixture
def demo_dir(_demo_template, tmp_path):
    """A fresh copy of the demo per test (loading it once per module keeps the tests quick)."""
    shutil.copytree(_demo_template, tmp_path / "data")
    return str(tmp_path / "data")


def _show(capsys, demo_dir: str, id_number: str) -> dict:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["members", "show", id_number, "--json", "--data-dir", demo_dir]) == 0
    return json.loads(capsys.readouterr().out)


def _first_member(capsys, demo_dir: str, gender: str = "male") -> dict:  # type: ignore[no-untyped-def]
    capsys.readouterr()
    assert main(["members", "list", "--json", "--data-dir", demo_dir]) == 0
    return next(m for m in json.loads(capsys.readouterr().out) if m["gender"] == gender)


def test_the_words_the_import_accepts_are_accepted_by_set(demo_dir, capsys):
    """The three values the command line used to refuse, and more forms the import reads."""
    member = _first_member(capsys, demo_dir, gender="female")
    joined = dt.date.today() - dt.timedelta(days=200)
    code = main(
        [
            "members",
            "set",
            member["id_number"],
            "gender=女性",
            "ethnicity=汉",
            "status=预备党员",
            "confirmed_on=",
            "education=大专",
            "occupation=外出务工",
            f"joined_on={joined:%Y%m%d}",
            "floating=√",
            "floating_to=广东省深圳市",
            "party_group=第三党小组",
            "villager_group=下湾组",
            "--data-dir",
            demo_dir,
        ]
    )
    assert code == 0, capsys.readouterr().err
    after = _show(capsys, demo_dir, member["id_number"])
    assert after["gender"] == "female"
    assert after["ethnicity"] == "01"
    assert after["status"] == "probationary"
    assert after["education"] == "college"
    assert after["occupation"] == "migrant_worker"
    assert after["joined_on"] == joined.isoformat()
    assert after["confirmed_on"] is None
    assert after["floating"] is True
    assert after["party_group"] == "第三党小组"
    assert after["villager_group"].startswith("第二村民小组")


def test_groups_as_the_import_writes_them(demo_dir, capsys):
    member = _first_member(capsys, demo_dir)
    for written, shown in (
        ("三组", "第三党小组"),
        ("第5小组", "第五党小组"),
        ("12", "第十二党小组"),
    ):
        assert (
            main(
                [
                    "members",
                    "set",
                    member["id_number"],
                    f"party_group={written}",
                    "--data-dir",
                    demo_dir,
                ]
            )
            == 0
        ), capsys.readouterr().err
        assert _show(capsys, demo_dir, member["id_number"])["party_group"] == shown


def test_add_with_the_clerks_words(demo_dir, capsys):
    capsys.readouterr()
    code = main(
        [
            "members",
            "add",
            "name=王秀英",
            "id_number=11010519491231002X",
            "gender=女",
            "ethnicity=汉族",
            "status=正式党员",
            "joined_on=1975年7月",
            "confirmed_on=1976.7",
            "party_group=1",
            "--data-dir",
            demo_dir,
        ]
    )
    assert code == 0, capsys.readouterr().err
    added = _show(capsys, demo_dir, "11010519491231002X")
    assert (added["gender"], added["ethnicity"], added["status"]) == ("female", "01", "full")
    assert (added["joined_on"], added["confirmed_on"]) == ("1975-07-01", "1976-07-01")
    assert added["party_group"] == "第一党小组"


@pytest.mark.parametrize(
    "assignment", ["gender=maybe", "joined_on=2019", "ethnicity=火星族", "party_group=第九十九组"]
)
def test_what_the_import_refuses_is_refused(demo_dir, capsys, assignment):
    member = _first_member(capsys, demo_dir)
    code = main(["members", "set", member["id_number"], assignment, "--data-dir", demo_dir])
    assert code == 1
    assert assignment.partition("=")[0] in capsys.readouterr().err


def _written_forms() -> list[tuple[str, str]]:
    forms = []
    for field, choices in CHOICE_FIELDS.items():
        for code, label in choices.items():
            forms += [(field, code), *((field, word) for word in translations_of(label))]
        forms += [(field, word) for word in CHOICE_WORDS.get(field, {})]
    return forms


def test_every_choice_the_import_reads_the_command_line_reads_the_same():
    """One parser: each label (in every UI language) and each clerk's word gives the same code
    in a spreadsheet cell and after FIELD= (groups, which need the branch, are tested above)."""
    forms = _written_forms()
    assert len(forms) > 150
    for field, word in forms:
        assert member_fields.parse_value(None, None, field, word) == values.choice_cell(
            field, word
        ), (field, word)
