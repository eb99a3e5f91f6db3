# SPDX-License-Identifier: GPL-3.0-or-later
"""The clerk's own roster comes in whole (issue 15): probationary members, repeated rows, groups
written many ways, totals rows; in .xlsx, .xls and GBK .csv, each built here."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.i18n import _
from desktop.models.register import members as member_rules
from desktop.models.register import validation
from desktop.models.register.rows import MemberQuery
from desktop.tabular.member_import import Action, field_label
from desktop.tabular.service import TabularService
from tests.tabular.rosters import FORMATS, id_number, write_table

TODAY = dt.date.today()
RECENT = (TODAY - dt.timedelta(days=200)).isoformat()
HEADER = ["姓名", "性别", "身份证号", "入党时间", "转正时间"]


@pytest.fixture
def service(db, branch):  # type: ignore[no-untyped-def]
    return TabularService(db, branch.id, actor="clerk")


def stored(db, branch):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return {
            r.id_number: r for r in member_rules.list_members(session, branch.id, MemberQuery())
        }


def by_row(plan):  # type: ignore[no-untyped-def]
    return {row.row_number: row for row in plan.rows}


@pytest.mark.parametrize("fmt", FORMATS)
def test_probationary_members_come_in_without_a_confirmation_date(
    service, db, branch, tmp_path, fmt
):
    probationary = id_number(dt.date(1995, 4, 1), 11)
    full = id_number(dt.date(1970, 4, 1), 22)
    overdue = id_number(dt.date(1980, 4, 1), 31)
    path = write_table(
        tmp_path / f"roster.{fmt}",
        [
            HEADER,
            ["刘洋", "男", probationary, RECENT, None],
            ["张敏", "女", full, "1995-07-01", "1996-07-01"],
            ["高峰", "男", overdue, "2015-07-01", None],
        ],
    )
    plan = service.preview(service.read(path))
    rows = by_row(plan)
    assert [rows[n].action for n in (2, 3, 4)] == [Action.CREATE] * 3, [
        rows[n].errors for n in (2, 3, 4)
    ]
    assert rows[4].warnings == [_(validation.MSG_PROBATION_OVERDUE)]
    service.commit(plan)
    members = stored(db, branch)
    assert members[probationary].draft.status == "probationary"
    assert members[full].draft.status == "full"
    assert members[overdue].draft.status == "probationary"


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_category_column_decides_when_present(service, tmp_path, fmt):
    probationary = id_number(dt.date(1995, 4, 1), 11)
    full = id_number(dt.date(1970, 4, 1), 22)
    path = write_table(
        tmp_path / f"roster.{fmt}",
        [
            ["姓名", "性别", "身份证号", "人员类别", "入党时间", "转正时间"],
            ["刘洋", "男", probationary, "预备", RECENT, None],
            ["张敏", "女", full, "正式", "1995-07-01", None],
        ],
    )
    rows = by_row(service.preview(service.read(path)))
    assert rows[2].action == Action.CREATE and rows[2].draft.status == "probationary"
    assert rows[3].action == Action.INVALID, "a full member needs a confirmation date"
    assert _(validation.MSG_CONFIRMED_REQUIRED) in rows[3].errors[0]


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_exact_repeat_counts_once_and_a_different_one_names_both_rows(
    service, db, branch, tmp_path, fmt
):
    cheng = id_number(dt.date(1966, 5, 5), 11)
    other = id_number(dt.date(1970, 6, 6), 22)
    clash = id_number(dt.date(1975, 7, 7), 31)
    header = [*HEADER, "联系电话", "党小组"]
    path = write_table(
        tmp_path / f"roster.{fmt}",
        [
            header,
            ["程华", "男", cheng, "1990.07", "1991.07", "13812345678", "1"],
            ["张敏", "女", other, "1995-07-01", "1996-07-01", None, "第二党小组"],
            [
                "程 华",
                "男",
                full_width(cheng),
                "1990年7月",
                "1991/7/1",
                "138 1234 5678",
                "第一党小组",
            ],
            ["王刚", "男", clash, "2000-07-01", "2001-07-01", None, "1组"],
            ["王刚", "男", clash, "2003-07-01", "2004-07-01", None, "1组"],
        ],
    )
    plan = service.preview(service.read(path))
    rows = by_row(plan)
    assert rows[4].action == Action.DUPLICATE, rows[4].errors
    assert rows[4].warnings == [
        _("The same member as row {row}: only that row counts.").format(row=2)
    ]
    assert (rows[5].action, rows[6].action) == (Action.INVALID, Action.INVALID)
    joined, confirmed = field_label("joined_on"), field_label("confirmed_on")
    assert "6" in rows[5].errors[0] and "5" in rows[6].errors[0]
    for row in (rows[5], rows[6]):
        assert len(row.errors) == 1
        assert joined in row.errors[0] and confirmed in row.errors[0], row.errors
    result = service.commit(plan)
    assert result.created == 2
    assert stored(db, branch)[cheng].name == "程华"


def english_words(text: str) -> list[str]:
    """Runs of Latin letters (an untranslated message shows as English words)."""
    import re

    return re.findall(r"[A-Za-z]{3,}", text)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_id_numbers_gender_and_birth_date_stand_with_a_warning(
    service, db, branch, tmp_path, fmt
):
    man = id_number(dt.date(1966, 5, 5), 11)
    path = write_table(
        tmp_path / f"花名册.{fmt}",
        [[*HEADER, "出生日期"], ["程华", "女", man, "1990-07-01", "1991-07-01", "1966-06-05"]],
    )
    plan = service.preview(service.read(path))
    row = by_row(plan)[2]
    assert row.action == Action.CREATE, row.errors
    assert row.draft.gender == "male" and row.draft.birth_date == dt.date(1966, 5, 5)
    assert len(row.warnings) == 2, row.warnings
    assert _(field_label("gender")) in row.warnings[0]
    from desktop.i18n import language
    from desktop.tabular.report import report_lines, row_label

    lines = [line for line in report_lines(plan) if row_label(row) in line]
    assert len(lines) == 2
    if language().startswith("zh"):
        assert not english_words("\n".join(lines)), lines
    service.commit(plan)
    assert stored(db, branch)[man].draft.gender == "male"


NAMES = [
    "赵一",
    "钱二",
    "孙三",
    "李四",
    "周五",
    "吴六",
    "郑七",
    "王八",
    "冯九",
    "陈十",
    "褚甲",
    "卫乙",
    "蒋丙",
    "沈丁",
    "韩戊",
]
PARTY_GROUPS = {
    "第1党小组": 1, "第一党小组": 1, "一组": 1, "1组": 1, "第1组": 1, "1": 1,
    "第十二党小组": 12, "第12党小组": 12, "十二组": 12,
    "第十三党小组": None, "13": None, "第13党小组": None, "老党员组": None,
}  # fmt: skip
VILLAGER_GROUPS = ("第三村民小组", "三组", "3组")


@pytest.fixture
def twelve_groups(db, branch):  # type: ignore[no-untyped-def]
    from desktop.models.register import groups
    from desktop.models.register.branch import VillagerGroup

    with db.unit_of_work() as session:
        for _n in range(10):
            groups.add_party_group(session, branch.id)
        for n in (1, 2, 3):
            session.add(
                VillagerGroup(branch_id=branch.id, number=n, name=f"第{'一二三'[n - 1]}村民小组")
            )
    with db.read() as session:
        party = {g.number: g.id for g in groups.list_party_groups(session, branch.id)}
        villager = {g.number: g.id for g in groups.list_villager_groups(session, branch.id)}
    assert len(party) == 12
    return party, villager


def group_rows(names: dict[str, int | None], villager: tuple[str, ...]) -> list[list[object]]:
    rows: list[list[object]] = [["姓名", "身份证号", "入党时间", "转正时间", "党小组", "村民小组"]]
    for n, group in enumerate(names):
        rows.append(
            [
                NAMES[n],
                id_number(dt.date(1960 + n, 1, 1), 10 + n),
                "1990-07-01",
                "1991-07-01",
                group,
                villager[n % len(villager)],
            ]
        )
    return rows


@pytest.mark.parametrize("fmt", FORMATS)
def test_groups_written_in_any_style_are_the_branchs_groups_by_number(
    service, db, branch, tmp_path, fmt, twelve_groups
):
    party, villager = twelve_groups
    path = write_table(tmp_path / f"花名册.{fmt}", group_rows(PARTY_GROUPS, VILLAGER_GROUPS))
    plan = service.preview(service.read(path))
    rows = plan.rows
    assert all(row.action == Action.CREATE for row in rows), [r.errors for r in rows]
    for row, (written, number) in zip(rows, PARTY_GROUPS.items(), strict=True):
        if number is not None:
            assert (row.draft.party_group_id, row.new_party_group) == (party[number], None), written
        assert row.draft.villager_group_id == villager[3] and not row.new_villager_group
    assert plan.new_party_groups() == ["第十三党小组", "老党员组"]
    assert rows[10].new_party_group == rows[11].new_party_group == "第十三党小组", (
        "13 and 第13党小组 are the same new group as 第十三党小组"
    )
    from desktop.tabular.report import report_lines

    created = [line for line in report_lines(plan) if "第十三党小组、老党员组" in line]
    assert len(created) == 1, "the report says which groups will be created"
    mapped = [line for line in report_lines(plan) if "一组 → 第一党小组" in line]
    assert len(mapped) == 1 and "十二组 → 第十二党小组" in mapped[0], "each mapping shown once"
    assert "第一党小组 → " not in mapped[0], "an exact name is not a mapping"
    result = service.commit(plan)
    assert (result.created, result.party_groups_created, result.villager_groups_created) == (
        13,
        2,
        0,
    )


TOTAL_ROWS = (
    ["合计", None, None, None, "3人"],
    ["总计：3人"],
    [None, "小计", None, None, 3],
    ["共3人"],
    ["3人"],
)
FOOTER_ROWS = (
    ["填表人：王五", None, "审核：李四"],
    ["制表：王五"],
    ["审核人：李四", None, "日期：2024年3月1日"],
    ["日期：2024.03.01"],
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_total_and_footer_rows_are_skipped_once_each(service, tmp_path, fmt):
    from desktop.tabular.member_import import MSG_FOOTER_ROW, MSG_TOTAL_ROW

    member = id_number(dt.date(1966, 5, 5), 11)
    path = write_table(
        tmp_path / f"花名册.{fmt}",
        [HEADER, ["程华", "男", member, "1990-07-01", "1991-07-01"], *TOTAL_ROWS, *FOOTER_ROWS],
    )
    plan = service.preview(service.read(path))
    rows = by_row(plan)
    assert rows[2].action == Action.CREATE
    for n in range(3, 3 + len(TOTAL_ROWS)):
        assert (rows[n].action, rows[n].errors, rows[n].warnings) == (
            Action.IGNORED,
            [],
            [_(MSG_TOTAL_ROW)],
        ), n
    for n in range(3 + len(TOTAL_ROWS), 3 + len(TOTAL_ROWS) + len(FOOTER_ROWS)):
        assert (rows[n].action, rows[n].errors, rows[n].warnings) == (
            Action.IGNORED,
            [],
            [_(MSG_FOOTER_ROW)],
        ), n


@pytest.mark.parametrize("fmt", FORMATS)
def test_households_groups_by_number_totals_and_repeats(
    service, db, branch, tmp_path, fmt, twelve_groups
):
    from desktop.tabular.member_import import MSG_FOOTER_ROW, MSG_TOTAL_ROW

    party, villager = twelve_groups
    path = write_table(
        tmp_path / f"住户.{fmt}",
        [
            ["户主", "住址", "联系电话", "村民小组", "党小组", "备注"],
            ["张大山", "红旗村3组12号", "13812345678", "第三村民小组", "第1党小组"],
            ["李四", "红旗村3组14号", None, "三组", "一组", "4人"],
            ["张 大山", "红旗村3组 12号", "138 1234 5678", "3组", "1"],
            ["王五", "红旗村3组16号", None, "3组", "第十二党小组"],
            ["王五", "红旗村3组16号", "13900001111", "3组", "12"],
            ["合计：3户"],
            ["填表人：王五", None, "日期：2024年3月1日"],
        ],
    )
    plan = service.preview(service.read(path), kind="households")
    rows = by_row(plan)
    assert [rows[n].action for n in range(2, 9)] == [
        Action.CREATE,
        Action.CREATE,
        Action.DUPLICATE,
        Action.INVALID,
        Action.INVALID,
        Action.IGNORED,
        Action.IGNORED,
    ], [rows[n].errors for n in range(2, 9)]
    for n in (2, 3):
        assert rows[n].draft.party_group_id == party[1]
        assert rows[n].draft.villager_group_id == villager[3]
    assert not plan.new_party_groups() and not plan.new_villager_groups()
    assert field_label("phone", "households") in rows[5].errors[0] and "6" in rows[5].errors[0]
    assert (rows[7].warnings, rows[8].warnings) == ([_(MSG_TOTAL_ROW)], [_(MSG_FOOTER_ROW)])
    assert service.commit(plan).created == 2


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_round_trip_into_an_empty_branch_gives_the_same_data(demo_db, tmp_path, suffix):
    from desktop.models.register.groups import create_branch, current_branch
    from desktop.models.store.db import Database
    from desktop.tabular.readers import read_workbook

    with demo_db.read() as session:
        demo = current_branch(session)
    first = tmp_path / f"first{suffix}"
    TabularService(demo_db, demo.id).export("members", first)
    empty = Database.open(tmp_path / "empty")
    try:
        with empty.unit_of_work() as session:
            branch = create_branch(session, "新村党支部", "青山镇", "临江县", "")
        service = TabularService(empty, branch.id, actor="clerk")
        plan = service.preview(service.read(first))
        assert plan.counts()[Action.CREATE] == 60, [r.errors for r in plan.rows if r.errors]
        service.commit(plan)
        second = tmp_path / f"second{suffix}"
        service.export("members", second)
    finally:
        empty.close()
    assert read_workbook(second).sheets[0].rows == read_workbook(first).sheets[0].rows


def test_a_confirmation_date_in_the_file_confirms_a_probationary_member(
    service, make_member, tmp_path
):
    member = make_member(
        status="probationary", joined_on=dt.date.fromisoformat(RECENT), confirmed_on=None
    )
    confirmed = (TODAY - dt.timedelta(days=10)).isoformat()
    path = write_table(
        tmp_path / "花名册.xlsx",
        [HEADER[:1] + HEADER[2:], [member.name, member.id_number, RECENT, None]],
    )
    (row,) = service.preview(service.read(path)).rows
    assert row.action == Action.UNCHANGED, "a blank confirmation keeps the member probationary"
    path = write_table(
        tmp_path / "花名册2.xlsx",
        [HEADER[:1] + HEADER[2:], [member.name, member.id_number, RECENT, confirmed]],
    )
    (row,) = service.preview(service.read(path)).rows
    assert row.action == Action.UPDATE, row.errors
    assert set(row.changed) == {"status", "confirmed_on"}
