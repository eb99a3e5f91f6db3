# SPDX-License-Identifier: GPL-3.0-or-later
"""Pinyin keys of names: read right (surnames as surnames), stored, kept, never logged (#18)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import create_engine, select

from desktop import paths
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, page_members, save_member
from desktop.models.register.pinyin import (
    _char_dictionary,
    char_readings,
    first_syllables,
    key_range,
    name_keys,
)
from desktop.models.register.rows import MemberQuery
from desktop.models.stewards.household import Household
from desktop.models.stewards.households import save_household
from desktop.models.stewards.rows import HouseholdDraft
from desktop.models.store import migrate
from desktop.models.store.changelog import Change
from desktop.models.store.db import Database


@pytest.mark.parametrize(
    ("name", "full", "initials"),
    [
        ("陈建国", "chenjianguo", "cjg"),
        ("曾国藩", "zengguofan", "zgf"),
        ("单雄信", "shanxiongxin", "sxx"),
        ("解缙", "xiejin", "xj"),
        ("仇英", "qiuying", "qy"),
        ("区永", "ouyong", "oy"),
        ("欧阳修", "ouyangxiu", "oyx"),
        ("长孙无忌", "zhangsunwuji", "zswj"),
        ("吕 布", "lvbu", "lb"),
        ("阿依·买买提", "ayimaimaiti", "aymmt"),
        ("", "", ""),
    ],
)
def test_names_read_with_the_surname_as_a_surname(name, full, initials):
    assert name_keys(name)[:2] == (full, initials)


def test_the_given_name_follows_the_surname():
    assert name_keys("陈建国").given == "建国"
    assert name_keys("欧阳修").given == "修"
    assert name_keys("Tom").given == "Tom"


def test_every_character_reads_as_pypinyin_reads_it_without_pypinyin():
    from pypinyin import Style, pinyin

    chars = [chr(int(code)) for code in _char_dictionary()]
    assert len(chars) > 40_000
    wrong = [
        c
        for c in chars
        if char_readings(c) != [s.lower() for s in pinyin(c, style=Style.NORMAL, heteronym=True)[0]]
    ]
    assert wrong == []
    assert char_readings("绿") == ["lv", "lu"]
    assert first_syllables("曾") == ("zeng",)
    assert first_syllables("单") == ("chan", "shan")  # 单于 and the surname


def test_a_typed_name_is_searched_without_loading_pypinyin():
    """pypinyin's first import costs about a second and 55 MB: a keystroke must not pay it."""
    code = (
        "import sys\n"
        "from desktop.models.register.pinyin import first_syllables\n"
        "assert 'wang' in first_syllables('王')\n"
        "print('pypinyin' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "False"


def test_a_key_range_holds_exactly_the_keys_with_the_prefix():
    low, high = key_range("Chen")
    assert (low, high) == ("chen", "cheo")
    assert low <= "chenjianguo" < high and not low <= "cheo" < high
    assert key_range("zz") == ("zz", None)


def _keys(db, member_id):
    with db.read() as session:
        return session.execute(
            select(Member.name_pinyin, Member.name_initials).where(Member.id == member_id)
        ).one()


def test_the_keys_follow_the_name_and_are_never_logged(db, branch, make_member):
    row = make_member(name="曾建国")
    assert tuple(_keys(db, row.id)) == ("zengjianguo", "zjg")
    with db.unit_of_work() as session:
        draft = get_member(session, row.id).draft.replace(name="单小红")
        save_member(session, branch.id, draft, row.id)
    assert tuple(_keys(db, row.id)) == ("shanxiaohong", "sxh")
    with db.read() as session:
        fields = set(session.scalars(select(Change.field).where(Change.row_id == row.id)))
    assert "name" in fields and not fields & {"name_pinyin", "name_initials"}


def test_a_household_head_has_keys_too(db, branch):
    with db.unit_of_work() as session:
        household_id = save_household(session, branch.id, HouseholdDraft(head_name="解放"))
    with db.unit_of_work() as session:
        household = session.get(Household, household_id)
        assert (household.head_pinyin, household.head_initials) == ("xiefang", "xf")
        household.head_name = "仇大海"
    with db.read() as session:
        household = session.get(Household, household_id)
        assert (household.head_pinyin, household.head_initials) == ("qiudahai", "qdh")


def test_migration_0011_fills_the_keys_of_existing_rows(data_dir):
    data_dir.mkdir()
    path = paths.database_path(data_dir)
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0010")
    engine.dispose()
    branch, member, household = (uuid.uuid4().hex for _ in range(3))
    with sqlite3.connect(path) as conn:
        conn.execute(
            "INSERT INTO branch (id, name, town, county, phone, deleted) "
            "VALUES (?, '老数据村党支部', '青山镇', '临江县', '', 0)",
            (branch,),
        )
        conn.execute(
            "INSERT INTO member (id, branch_id, name, gender, id_number, ethnicity, status, "
            "phone, address, standing, lost_contact, floating, floating_to, notes, deleted) "
            "VALUES (?, ?, '曾建国', 'male', '430121196001010011', '01', 'full', '', '', "
            "'normal', 0, 0, '', '', 0)",
            (member, branch),
        )
        conn.execute(
            "INSERT INTO household (id, branch_id, head_name, address, phone, elderly_alone, "
            "low_income, needs_visits, notes, deleted) "
            "VALUES (?, ?, '单大山', '', '', 0, 0, 0, '', 0)",
            (household, branch),
        )
    db = Database.open(data_dir)
    try:
        assert tuple(_keys(db, uuid.UUID(member))) == ("zengjianguo", "zjg")
        with db.read() as session:  # the ID-number fragment index is built too
            found = page_members(session, uuid.UUID(branch), MemberQuery("0100"), 0, 10)
        assert [r.name for r in found] == ["曾建国"]
        with db.read() as session:
            found = session.get(Household, uuid.UUID(household))
            assert (found.head_pinyin, found.head_initials) == ("shandashan", "sds")
    finally:
        db.close()
