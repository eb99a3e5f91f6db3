# SPDX-License-Identifier: GPL-3.0-or-later
"""Real-world rosters: every good row in, every bad row reported, nothing wrong written."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from desktop.errors import UserError
from desktop.i18n import _
from desktop.models.register import groups as group_rules
from desktop.models.register import members as member_rules
from desktop.models.register import validation
from desktop.models.register.rows import MemberQuery
from desktop.models.store.changelog import Change
from desktop.tabular import member_import, values
from desktop.tabular.member_import import (
    Action,
    ImportCancelled,
    NothingToImport,
    field_problem,
)
from desktop.tabular.readers import Sheet, Workbook, read_workbook
from desktop.tabular.service import TabularService
from tests.tabular import rosters


@pytest.fixture
def service(db, branch):  # type: ignore[no-untyped-def]
    return TabularService(db, branch.id, actor="clerk")


def change_count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Change)) or 0


def members(db, branch):  # type: ignore[no-untyped-def]
    with db.read() as session:
        return {
            row.id_number: row
            for row in member_rules.list_members(session, branch.id, MemberQuery())
        }


def actions(plan) -> dict[tuple[str, int], str]:  # type: ignore[no-untyped-def]
    return {(row.sheet, row.row_number): str(row.action) for row in plan.rows}


def test_a_messy_roster_every_good_row_in_every_bad_row_reported(service, db, branch, tmp_path):
    plan = service.preview(service.read(rosters.messy_xlsx(tmp_path / "花名册.xlsx")))
    assert actions(plan) == rosters.MESSY_EXPECTED
    by_row = {(r.sheet, r.row_number): r for r in plan.rows}
    numeric = by_row[("花名册", 9)]
    assert numeric.errors == [
        field_problem("id_number", _(values.MSG_ID_NUMERIC).format(shown="3.20106E+17"))
    ]
    assert numeric.id_number == "3.20106E+17", "the preview shows what the clerk sees"
    assert "2001.1" in by_row[("花名册", 10)].errors[0]
    assert by_row[("花名册", 13)].errors == [field_problem("id_number", _(validation.MSG_ID_CHECK))]
    assert "6" in by_row[("花名册", 12)].warnings[0]
    assert by_row[("花名册", 15)].new_party_group == "第五党小组"
    assert by_row[("花名册", 17)].warnings
    sheets = {s.name: s for s in plan.sheets}
    assert sheets["统计"].problem and not sheets["统计"].included
    before = change_count(db)

    result = service.commit(plan)

    assert (result.created, result.updated, result.party_groups_created) == (7, 0, 1)
    stored = members(db, branch)
    assert len(stored) == 7
    a = stored[rosters.id_number(*rosters.GOOD_A[1:])]
    assert (a.name, a.gender, a.education, a.phone, a.notes) == (
        "王建国",
        "male",
        "high_school",
        "13812345678",
        "老支书",
    )
    # 出生年月 gave 1965.03; the day comes from the ID number.
    assert a.birth_date == dt.date(1965, 3, 12)
    assert (a.joined_on, a.confirmed_on) == (dt.date(1990, 7, 1), dt.date(1991, 7, 1))
    assert a.party_group_name == "第一党小组"
    b = stored[rosters.id_number(*rosters.GOOD_B[1:])]
    assert b.party_group_name == "第一党小组", "a group written as its number"
    assert b.phone == "13900001111" and b.confirmed_on == dt.date(2002, 7, 1)
    c = stored[rosters.id_number(*rosters.GOOD_C[1:])]
    assert c.name == "赵强" and c.gender == "male", "full-width ID digits, padded name and gender"
    d = stored[rosters.id_number(*rosters.GOOD_D[1:])]
    assert (d.joined_on, d.confirmed_on) == (dt.date(2018, 7, 1), dt.date(2019, 7, 1))
    assert stored[rosters.id_number(*rosters.NEW_GROUP[1:])].party_group_name == "第五党小组"
    with db.read() as session:
        groups = {g.name: g.number for g in group_rules.list_party_groups(session, branch.id)}
    assert groups == {"第一党小组": 1, "第二党小组": 2, "第五党小组": 5}
    for person in (rosters.GROUP2_A, rosters.GROUP2_B):
        assert stored[rosters.id_number(*person[1:])].party_group_name == "第二党小组", (
            "a sheet named after a party group puts its members there"
        )
    for person in (rosters.NUMERIC, rosters.AMBIGUOUS, rosters.BAD_CHECK):
        assert rosters.id_number(*person[1:]) not in stored
    assert not any(n.startswith("320106") and n.endswith("000") for n in stored)
    # Written through the data core: the change log has every new member, by the clerk.
    with db.read() as session:
        new = session.scalars(select(Change).where(Change.field == "_row")).all()
        assert sum(1 for c in new if c.entity == "member") == 7
        assert {c.actor for c in new if c.entity == "member"} == {db.user.username}
    assert change_count(db) > before


def test_a_legacy_xls_file(service, db, branch, tmp_path):
    path = rosters.xls_roster(tmp_path / "名册.xls")
    assert path.read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a real BIFF file"
    book = read_workbook(path)
    assert book.sheets[0].name == "党员名册"
    plan = service.preview(book)
    assert actions(plan) == {
        ("党员名册", 3): "create",
        ("党员名册", 4): "create",
        ("党员名册", 5): "invalid",
    }
    assert "3.20106E+17" in plan.rows[2].errors[0]
    service.commit(plan)
    a = members(db, branch)[rosters.id_number(*rosters.GOOD_A[1:])]
    assert a.joined_on == dt.date(1990, 7, 1), "a date cell of the .xls"
    assert a.birth_date == rosters.GOOD_A[1]
    assert a.phone == "13900000002", "a phone in a number cell"
    b = members(db, branch)[rosters.id_number(*rosters.GOOD_B[1:])]
    assert a.party_group_name == b.party_group_name == "第二党小组", "a merged group cell"


def test_a_group_merged_down_over_its_members(service, db, branch, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["党员花名册"])
    sheet.merge_cells("A1:E1")
    sheet.append(["党小组", "姓名", "身份证号", "入党时间", "转正时间"])
    people = (rosters.GOOD_A, rosters.GOOD_B, rosters.GOOD_C, rosters.GOOD_D)
    for n, person in enumerate(people):
        sheet.append(
            [
                "第二党小组" if n == 0 else None,
                person[0],
                rosters.id_number(*person[1:]),
                "2010.07",
                "2011.07",
            ]
        )
    sheet.merge_cells("A3:A5")  # three members; the fourth has no group
    path = tmp_path / "merged.xlsx"
    book.save(path)
    plan = service.preview(read_workbook(path))
    assert [r.action for r in plan.rows] == [Action.CREATE] * 4
    service.commit(plan)
    stored = members(db, branch)
    groups = [stored[rosters.id_number(*p[1:])].party_group_name for p in people]
    assert groups == ["第二党小组", "第二党小组", "第二党小组", ""]


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_gbk_csv(service, db, branch, tmp_path, delimiter):
    path = rosters.gbk_csv(tmp_path / "roster.csv", delimiter)
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    book = read_workbook(path)
    assert book.encoding == "gb18030"
    plan = service.preview(book)
    assert actions(plan) == {
        ("roster", 2): "create",
        ("roster", 3): "invalid",
        ("roster", 4): "create",
    }
    assert plan.rows[1].errors == [field_problem("id_number", _(validation.MSG_ID_SPREADSHEET))]
    assert service.commit(plan).created == 2


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig"])
def test_utf8_csv_with_or_without_bom(service, tmp_path, encoding):
    number = rosters.id_number(*rosters.GOOD_A[1:])
    path = tmp_path / "r.csv"
    path.write_text(
        f"姓名,身份证号,入党时间,转正时间\n王建国,{number},1990.07,1991.07\n", encoding=encoding
    )
    book = read_workbook(path)
    assert book.encoding == encoding
    plan = service.preview(book)
    assert [r.action for r in plan.rows] == [Action.CREATE]
    assert plan.rows[0].draft.name == "王建国"


def test_matches_update_or_skip_and_blank_cells_keep_values(
    service, db, branch, make_member, tmp_path
):
    existing = make_member(name="王建国", phone="13700000000", notes="原备注")
    other = make_member(name="李秀英")
    path = tmp_path / "r.csv"
    path.write_text(
        "姓名,身份证号,联系电话,备注\n"
        f"王建国,{existing.id_number},13811112222,\n"
        f"李秀英,{other.id_number},{other.phone},\n",
        encoding="utf-8",
    )
    book = read_workbook(path)
    plan = service.preview(book)
    assert [r.action for r in plan.rows] == [Action.UPDATE, Action.UNCHANGED]
    assert plan.rows[0].changed == ("phone",)
    assert plan.rows[0].match_id == existing.id

    skipped = service.preview(book, on_match=Action.SKIP)
    assert [r.action for r in skipped.rows] == [Action.SKIP, Action.UNCHANGED]
    with pytest.raises(NothingToImport):
        service.commit(skipped)
    skipped.decide(0, Action.UPDATE)  # the per-row choice of the preview
    with pytest.raises(ValueError):
        skipped.decide(1, Action.UPDATE)
    before = change_count(db)
    assert service.commit(skipped).updated == 1
    stored = members(db, branch)[existing.id_number]
    assert stored.phone == "13811112222"
    assert stored.notes == "原备注", "a blank cell never erases what the register holds"
    with db.read() as session:
        fields = session.scalars(
            select(Change.field)
            .where(Change.row_id == existing.id)
            .order_by(Change.seq.desc())
            .limit(1)
        ).all()
    assert fields == ["phone"]
    assert change_count(db) == before + 1


def test_duplicates_with_different_details_are_both_refused(service, tmp_path):
    number = rosters.id_number(*rosters.GOOD_A[1:])
    path = tmp_path / "r.csv"
    path.write_text(
        "姓名,身份证号,入党时间,转正时间\n"
        f"王建国,{number},1990.07,1991.07\n"
        f"王建华,{number},1990.07,1991.07\n",
        encoding="utf-8",
    )
    plan = service.preview(read_workbook(path))
    assert [r.action for r in plan.rows] == [Action.INVALID, Action.INVALID]
    assert "3" in plan.rows[0].errors[-1] and "2" in plan.rows[1].errors[-1]


def test_an_edited_mapping_is_used(service, tmp_path):
    number = rosters.id_number(*rosters.GOOD_A[1:])
    path = tmp_path / "r.csv"
    path.write_text(
        f"姓名,号码,入党时间,转正时间\n王建国,{number},1990.07,1991.07\n", encoding="utf-8"
    )
    book = read_workbook(path)
    plan = service.preview(book)
    sheet = plan.sheets[0]
    assert sheet.problem and not sheet.included and not plan.rows
    layout = sheet.layout.with_mapping({1: "id_number"})
    plan = service.preview(book, layouts={sheet.name: layout})
    assert [r.action for r in plan.rows] == [Action.CREATE]


def test_cancelled_import_changes_nothing(service, db, branch, tmp_path, monkeypatch):
    plan = service.preview(read_workbook(rosters.messy_xlsx(tmp_path / "r.xlsx")))
    monkeypatch.setattr(member_import, "BATCH_ROWS", 1)  # progress and cancellation per batch
    before = change_count(db)
    cancel = threading.Event()
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        seen.append(done)
        if done == 3:
            cancel.set()

    with pytest.raises(ImportCancelled):
        service.commit(plan, progress, cancel)
    assert seen == [1, 2, 3]
    assert members(db, branch) == {}
    assert change_count(db) == before
    with db.read() as session:
        names = [g.name for g in group_rules.list_party_groups(session, branch.id)]
    assert "第五党小组" not in names, "the new group went with the rollback"


def test_failed_import_changes_nothing(service, db, branch, tmp_path, make_member):
    plan = service.preview(read_workbook(rosters.messy_xlsx(tmp_path / "r.xlsx")))
    # Between the preview and the commit, someone adds a member with a row's ID number.
    make_member(
        name="李秀英",
        id_number=rosters.id_number(*rosters.GOOD_B[1:]),
        joined_on=dt.date(2001, 7, 1),
        confirmed_on=dt.date(2002, 7, 1),
    )
    before = change_count(db)
    with pytest.raises(UserError) as caught:
        service.commit(plan)
    assert "7" in caught.value.message  # the row
    assert len(members(db, branch)) == 1
    assert change_count(db) == before


def test_unreadable_files_get_a_message(service, tmp_path):
    fake = tmp_path / "roster.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UserError):
        service.read(fake)
    binary = tmp_path / "roster.xls"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(UserError):
        service.read(binary)
    with pytest.raises(UserError):
        service.read(tmp_path / "missing.xlsx")


def test_imported_names_are_found_by_pinyin_and_a_renamed_one_too(service, db, branch, tmp_path):
    number = rosters.id_number(*rosters.GOOD_A[1:])
    path = tmp_path / "r.csv"

    def found(text: str) -> list[str]:
        with db.read() as session:
            rows = member_rules.page_members(session, branch.id, MemberQuery(text), 0, 10)
            return [r.name for r in rows]

    path.write_text(f"姓名,身份证号,入党时间,转正时间\n曾建国,{number},1990.07,1991.07\n", "utf-8")
    assert service.commit(service.preview(read_workbook(path))).created == 1
    assert found("zjg") == ["曾建国"] and found("zeng") == ["曾建国"]
    path.write_text(f"姓名,身份证号,入党时间,转正时间\n单建国,{number},1990.07,1991.07\n", "utf-8")
    plan = service.preview(read_workbook(path))
    assert [r.action for r in plan.rows] == [Action.UPDATE]
    assert service.commit(plan).updated == 1
    assert found("sjg") == ["单建国"] and found("zeng") == []


def _logged(db) -> list[tuple[str, str, str, str | None, str | None]]:  # type: ignore[no-untyped-def]
    """Each member's change-log entries in seq order, members in register (id) order, keyed by
    ID number (ids differ between two data files: fields holding one are left out)."""
    from desktop.models.register.member import Member

    with db.read() as session:
        number_of = {i: n for i, n in session.execute(select(Member.id, Member.id_number))}
        order = sorted(number_of)
        found = session.execute(
            select(Change.row_id, Change.field, Change.op, Change.old_value, Change.new_value)
            .where(Change.entity == "member")
            .order_by(Change.seq)
        ).all()
    return [
        (number_of[row_id], field, op, old, new)
        for member_id in order
        for row_id, field, op, old, new in found
        if row_id == member_id and not field.endswith("_id")
    ]


def test_a_batched_import_writes_what_saving_each_row_writes(
    service, db, branch, tmp_path, monkeypatch
):
    from desktop.models.register.groups import create_branch
    from desktop.models.store.db import Database
    from desktop.tabular import member_import

    book = read_workbook(rosters.messy_xlsx(tmp_path / "r.xlsx"))
    # The same file into a second data file, each row through save_member.
    other = Database.open(tmp_path / "other")
    try:
        with other.unit_of_work() as session:
            other_branch = create_branch(session, "测试村党支部", "青山镇", "临江县", "")
            group_rules.add_party_group(session, other_branch.id)
            group_rules.add_party_group(session, other_branch.id)
        plan = TabularService(other, other_branch.id).preview(book)
        with other.unit_of_work("clerk") as session:

            def save(row, draft):  # type: ignore[no-untyped-def]
                member_rules.save_member(session, other_branch.id, draft, row.match_id)

            member_import.write_rows(session, other_branch.id, plan, save)
        expected = _logged(other)
    finally:
        other.close()
    monkeypatch.setattr(member_import, "BATCH_ROWS", 2)  # several flushes, the last one short

    result = service.commit(service.preview(book))

    assert result.created == 7
    assert _logged(db) == expected, "the same entries, members in the file's order"


def test_a_member_removed_since_the_preview_stops_the_import(
    service, db, branch, make_member, tmp_path
):
    existing = make_member(name="王建国", phone="13700000000")
    path = tmp_path / "r.csv"
    path.write_text(
        f"姓名,身份证号,联系电话\n王建国,{existing.id_number},13811112222\n", encoding="utf-8"
    )
    plan = service.preview(read_workbook(path))
    assert [r.action for r in plan.rows] == [Action.UPDATE]
    with db.unit_of_work() as session:
        member_rules.remove_member(session, existing.id)
    before = change_count(db)

    with pytest.raises(UserError) as caught:
        service.commit(plan)

    assert caught.value.message == _("This member was removed. Undo the removal to edit them.")
    assert change_count(db) == before


def test_the_preview_of_a_thousand_rows_asks_the_data_file_a_few_times(
    service, db, branch, make_member, tmp_path
):
    """Not a query per row (#22): the file's ID numbers and names are looked up in batches.
    What the queries find still shows: a match, a holder of an ID number, a namesake."""
    from sqlalchemy import event

    holder = make_member(name="周海燕")
    namesake = make_member(name="李秀英")
    lines = ["姓名,身份证号,党小组,入党时间,转正时间"]
    given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华兰"
    for n in range(1000):
        number = validation.make_id_number("320106", dt.date(1960, 1, 1) + dt.timedelta(n), n)
        name = f"张{given[n % 25]}{given[n // 25 % 25]}" if n else namesake.name
        lines.append(f"{name},{number},{1 + n % 2},2000.7,2001.7")
    lines.append(f"{holder.name},{holder.id_number},1,,")  # matches: an update
    path = tmp_path / "千人.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    book = service.read(path)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        plan = service.preview(book)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)

    assert plan.counts() == {Action.CREATE: 1000, Action.UPDATE: 1}
    assert plan.rows[-1].match_id == holder.id
    assert plan.rows[0].warnings == [_(member_import.MSG_SAME_NAME).format(name=namesake.name)]
    assert len(statements) < 50, f"{len(statements)} statements for 1,001 rows"


def test_imported_members_and_their_new_group_sync_to_another_pc(tmp_path):
    """The batched write logs every imported member and field, so a second PC gets them all."""
    from desktop.models.register.groups import create_branch
    from tests.sync.conftest import Node, pair

    office, laptop = Node(tmp_path, "office"), Node(tmp_path, "laptop")
    try:
        with office.db.unit_of_work() as session:
            branch_id = create_branch(session, "测试村党支部", "青山镇", "临江县", "").id
            group_rules.add_party_group(session, branch_id)
            group_rules.add_party_group(session, branch_id)
        service = TabularService(office.db, branch_id, actor="clerk")
        result = service.commit(
            service.preview(read_workbook(rosters.messy_xlsx(tmp_path / "r.xlsx")))
        )
        assert (result.created, result.party_groups_created) == (7, 1)
        pair(office, laptop)
        office.send(laptop)
        assert laptop.snapshot() == office.snapshot()
        with laptop.db.read() as session:
            rows = member_rules.list_members(session, branch_id, MemberQuery())
        assert len(rows) == 7
        assert "第五党小组" in {row.party_group_name for row in rows}
    finally:
        office.close()
        laptop.close()


# ----------------------------------------------------------------------------- cells read once

_HEADER = ["姓名", "性别", "公民身份号码", "出生年月", "入党时间", "转正时间"]


def _book(tmp_path, *rows):  # type: ignore[no-untyped-def]
    return Workbook(tmp_path / "名册.xlsx", [Sheet("花名册", [_HEADER, *map(list, rows)])])


def test_a_month_repeated_in_the_birth_column_takes_each_rows_day_from_its_id(service, tmp_path):
    may_6, may_23 = dt.date(1980, 5, 6), dt.date(1980, 5, 23)
    plan = service.preview(
        _book(
            tmp_path,
            ("王建国", "男", rosters.id_number(may_6, 11), "1980.05", "2005.07", "2006.07"),
            ("李秀英", "女", rosters.id_number(may_23, 22), "1980.05", "2005.07", "2006.07"),
        )
    )
    assert [row.draft.birth_date for row in plan.rows] == [may_6, may_23]
    assert [row.warnings for row in plan.rows] == [[], []]
    assert [row.draft.joined_on for row in plan.rows] == [dt.date(2005, 7, 1)] * 2


def test_a_cell_that_cannot_be_read_is_reported_on_every_row_that_has_it(service, tmp_path):
    plan = service.preview(
        _book(
            tmp_path,
            ("王建国", "外星", rosters.id_number(*rosters.GOOD_A[1:]), None, "1990.07", "1991.07"),
            ("李秀英", "外星", rosters.id_number(*rosters.GOOD_B[1:]), None, "2001.07", "2002.07"),
        )
    )
    assert [row.action for row in plan.rows] == [Action.INVALID, Action.INVALID]
    assert plan.rows[0].errors == plan.rows[1].errors
    assert "外星" in plan.rows[0].errors[0]


def test_equal_cells_of_different_types_are_read_each_as_its_type(service, tmp_path):
    # 1 is a spreadsheet's day number (a date, too early to join); TRUE is no date at all. They
    # are equal in Python, so a cell remembered by its value alone would read TRUE as 1.
    plan = service.preview(
        _book(
            tmp_path,
            ("王建国", "男", rosters.id_number(*rosters.GOOD_A[1:]), None, 1, None),
            ("李秀英", "女", rosters.id_number(*rosters.GOOD_B[1:]), None, True, None),
        )
    )
    unreadable = field_problem("joined_on", _(values.MSG_DATE_UNREADABLE))
    assert plan.rows[0].action == Action.INVALID
    assert unreadable not in plan.rows[0].errors
    assert plan.rows[1].errors == [unreadable]
