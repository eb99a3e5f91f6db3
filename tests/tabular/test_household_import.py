# SPDX-License-Identifier: GPL-3.0-or-later
"""Household lists as clerks keep them: every good row in, every bad row reported by row."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.errors import UserError
from desktop.i18n import _, ngettext
from desktop.models.register import groups, validation
from desktop.models.stewards.household import Household
from desktop.models.stewards.households import MSG_HEAD_REQUIRED
from desktop.models.store.changelog import Change
from desktop.tabular import values
from desktop.tabular.household_import import household_key
from desktop.tabular.member_import import Action, ImportCancelled, NothingToImport, field_problem
from desktop.tabular.readers import read_workbook
from desktop.tabular.report import report_lines, summary
from desktop.tabular.service import TabularService

KIND = "households"


@pytest.fixture
def service(db, branch):  # type: ignore[no-untyped-def]
    return TabularService(db, branch.id, actor="clerk")


def change_count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Change)) or 0


def households(db, branch) -> dict[str, dict]:  # type: ignore[no-untyped-def,type-arg]
    """The branch's households by head name, with group names instead of ids."""
    with db.read() as session:
        pgroups = {g.id: g.name for g in groups.list_party_groups(session, branch.id)}
        vgroups = {g.id: g.name for g in groups.list_villager_groups(session, branch.id)}
        return {
            h.head_name: {
                "address": h.address,
                "phone": h.phone,
                "party_group": pgroups.get(h.party_group_id, ""),
                "villager_group": vgroups.get(h.villager_group_id, ""),
                "flags": (h.elderly_alone, h.low_income, h.needs_visits),
                "notes": h.notes,
            }
            for h in session.scalars(
                select(Household).where(Household.branch_id == branch.id, ~Household.deleted)
            )
        }


def actions(plan) -> dict[tuple[str, int], str]:  # type: ignore[no-untyped-def]
    return {(row.sheet, row.row_number): str(row.action) for row in plan.rows}


def messy_households_xlsx(path: Path) -> Path:
    """A title row, a two-row merged header, blank rows, flags in every form, a footer."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "户籍台账"
    ws["A1"] = "红旗村党员联系户台账"
    ws.merge_cells("A1:J1")
    for col, text in zip(
        "ABCDEFJ",
        ("序号", "户主 姓名", "家庭住址", "联系电话", "村民小组", "党小组", "备  注"),
        strict=True,
    ):
        ws[f"{col}2"] = text
        ws.merge_cells(f"{col}2:{col}3")
    ws["G2"] = "家庭情况"
    ws.merge_cells("G2:I2")
    ws["G3"], ws["H3"], ws["I3"] = "空巢老人", "低保户", "重点关注"
    rows = [
        # head, address, phone, villager group, party group, elderly, low income, visits, notes
        ("张大山", "红旗村1组12号", 13812345678, "1组", "第一党小组", "√", None, "是", "腿脚不便"),
        ("李  四", "红旗村２组３号", "139 0000 1111", "2", "第一党小组", "否", "Y", None, None),
        ("王五", "红旗村3组8号", "12345", "3组", "第二党小组", None, None, None, None),
        None,  # a blank row
        ("赵六", "红旗村1组20号", None, "1组", "第五党小组", "x", "1", "✓", None),
        ("张大山", "红旗村1组12号", 13812345678, "1组", "第一党小组", "√", None, "是", "腿脚不便"),
        ("孙七", "红旗村1组30号", None, "1组", "第一党小组", "也许", None, None, None),
        (None, "红旗村1组31号", None, "1组", None, None, None, None, None),
        ("周八", "红旗村2组9号", None, "2组", None, None, None, None, None),
        ("周八", "红旗村2组9号", "0731-84561234", "2组", None, None, None, None, None),
    ]
    for offset, row in enumerate(rows):
        r = 4 + offset
        if row is None:
            continue
        ws[f"A{r}"] = offset + 1
        for col, value in zip("BCDEFGHIJ", row, strict=True):
            if value is not None:
                ws[f"{col}{r}"] = value
    ws[f"A{4 + len(rows) + 1}"] = "制表人：王会计"
    book.save(path)
    return path


MESSY_EXPECTED = {
    ("户籍台账", 4): "create",
    ("户籍台账", 5): "create",  # full-width address, spaces in the name, a phone with spaces
    ("户籍台账", 6): "invalid",  # the phone 12345
    ("户籍台账", 8): "create",  # a new party group and marks x, 1, ✓
    ("户籍台账", 9): "duplicate",
    ("户籍台账", 10): "invalid",  # 也许 in a yes/no column
    ("户籍台账", 11): "invalid",  # an address without a head of household
    ("户籍台账", 12): "invalid",  # the same household as row 13, with another phone
    ("户籍台账", 13): "invalid",
    ("户籍台账", 15): "ignored",  # the footer
}


def test_a_messy_household_list(service, db, branch, tmp_path):
    plan = service.preview(service.read(messy_households_xlsx(tmp_path / "台账.xlsx")), kind=KIND)
    assert plan.kind == KIND
    assert actions(plan) == MESSY_EXPECTED
    layout = plan.sheets[0].layout
    assert layout.header_row == 2, "the second row of the merged header"
    assert [c.field for c in layout.columns] == [
        None,
        "head_name",
        "address",
        "phone",
        "villager_group_id",
        "party_group_id",
        "elderly_alone",
        "low_income",
        "needs_visits",
        "notes",
    ]
    by_row = {r.row_number: r for r in plan.rows}
    assert by_row[6].errors == [field_problem("phone", _(validation.MSG_PHONE_INVALID), KIND)]
    assert "4" in by_row[9].warnings[0]
    assert by_row[10].errors == [
        field_problem("elderly_alone", _(values.MSG_FLAG_UNKNOWN).format(value="也许"), KIND)
    ]
    assert by_row[11].errors == [field_problem("head_name", _(MSG_HEAD_REQUIRED), KIND)]
    assert "13" in by_row[12].errors[0] and "12" in by_row[13].errors[0]
    assert by_row[8].new_party_group == "第五党小组"
    assert by_row[4].new_villager_group == "1组"
    lines = report_lines(plan)
    assert any("6" in line and _(validation.MSG_PHONE_INVALID) in line for line in lines), (
        "the report names the row of the bad phone"
    )
    assert summary(plan).startswith(
        ngettext("{n} new household", "{n} new households", 3).format(n=3)
        + _(", ")
        + ngettext("{n} household to update", "{n} households to update", 0).format(n=0)
    )
    before = change_count(db)

    result = service.commit(plan)

    assert (result.created, result.updated) == (3, 0)
    assert (result.party_groups_created, result.villager_groups_created) == (1, 2)
    stored = households(db, branch)
    assert set(stored) == {"张大山", "李四", "赵六"}
    assert stored["张大山"] == {
        "address": "红旗村1组12号",
        "phone": "13812345678",
        "party_group": "第一党小组",
        "villager_group": "1组",
        "flags": (True, False, True),
        "notes": "腿脚不便",
    }
    assert stored["李四"]["address"] == "红旗村2组3号", "full-width digits made half-width"
    assert stored["李四"]["phone"] == "13900001111"
    assert stored["李四"]["flags"] == (False, True, False)
    assert stored["赵六"]["flags"] == (True, True, True)
    assert stored["赵六"]["party_group"] == "第五党小组"
    assert stored["李四"]["villager_group"] == "2组", "a villager group written as its number"
    with db.read() as session:
        new = session.scalars(
            select(Change).where(Change.field == "_row", Change.entity == "household")
        ).all()
    assert len(new) == 3 and {c.actor for c in new} == {db.user.username}
    assert change_count(db) > before


def gbk_households_csv(path: Path) -> Path:
    lines = [
        "户主名字,门牌号,手机号码,组别,独居老人,困难户,需定期走访,备注",
        "钱一,东街5号,13700000001,3组,√,,,",
        "钱二,东街6号,1370000,3组,,√,,电话待核实",
        "钱三,东街7号,,3组,,,是,",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path


def test_a_gbk_csv_with_other_header_words(service, db, branch, tmp_path):
    path = gbk_households_csv(tmp_path / "households.csv")
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    book = read_workbook(path)
    assert book.encoding == "gb18030"
    plan = service.preview(book, kind=KIND)
    assert actions(plan) == {
        ("households", 2): "create",
        ("households", 3): "invalid",
        ("households", 4): "create",
    }
    assert plan.rows[1].errors[0].startswith(_("Phone"))
    assert service.commit(plan).created == 2
    stored = households(db, branch)
    assert stored["钱一"]["flags"] == (True, False, False)
    assert stored["钱三"]["flags"] == (False, False, True)
    assert stored["钱一"]["villager_group"] == "3组"


def existing_list(service, tmp_path):  # type: ignore[no-untyped-def]
    path = tmp_path / "first.csv"
    path.write_text(
        "户主,住址,电话,低保户,备注\n"
        "张大山,红旗村1组12号,13812345678,是,原备注\n"
        "李四,红旗村2组3号,13900001111,,\n",
        encoding="utf-8",
    )
    service.commit(service.preview(read_workbook(path), kind=KIND))


def test_matches_by_head_and_address_update_or_skip(service, db, branch, tmp_path):
    existing_list(service, tmp_path)
    with db.read() as session:
        ids = {h.head_name: h.id for h in session.scalars(select(Household))}
    path = tmp_path / "second.csv"
    # Full-width characters and stray spaces still find the household; blank cells keep values.
    path.write_text(
        "户主姓名,家庭住址,联系电话,低保户,备注\n"
        "张 大山,红旗村１组 12号,13811112222,,\n"
        "李四,红旗村2组3号,13900001111,否,\n"
        "李四,红旗村2组4号,,,\n",
        encoding="utf-8",
    )
    book = read_workbook(path)
    plan = service.preview(book, kind=KIND)
    assert [r.action for r in plan.rows] == [Action.UPDATE, Action.UNCHANGED, Action.CREATE]
    assert plan.rows[0].match_id == ids["张大山"] and plan.rows[0].changed == ("phone",)

    skipped = service.preview(book, on_match=Action.SKIP, kind=KIND)
    assert [r.action for r in skipped.rows] == [Action.SKIP, Action.UNCHANGED, Action.CREATE]
    skipped.decide(0, Action.UPDATE)
    before = change_count(db)
    result = service.commit(skipped)
    assert (result.created, result.updated) == (1, 1)
    stored = households(db, branch)
    assert stored["张大山"]["phone"] == "13811112222"
    assert stored["张大山"]["notes"] == "原备注", "a blank cell never erases what is stored"
    assert stored["张大山"]["flags"] == (False, True, False)
    with db.read() as session:
        fields = session.scalars(
            select(Change.field)
            .where(Change.row_id == ids["张大山"], Change.seq > 0)
            .order_by(Change.seq.desc())
            .limit(1)
        ).all()
        assert session.scalar(select(func.count()).select_from(Household)) == 3
    assert fields == ["phone"]
    assert change_count(db) > before


def test_round_trip_export_then_import_changes_nothing(demo_db, tmp_path):
    with demo_db.read() as session:
        branch_id = groups.current_branch(session).id
    service = TabularService(demo_db, branch_id)
    with demo_db.read() as session:
        count = session.scalar(
            select(func.count())
            .select_from(Household)
            .where(Household.branch_id == branch_id, ~Household.deleted)
        )
    assert count
    before = change_count(demo_db)
    for suffix in (".xlsx", ".csv"):
        path = tmp_path / f"households{suffix}"
        assert service.export("households", path) == count
        plan = service.preview(read_workbook(path), kind=KIND)
        assert plan.counts()[Action.UNCHANGED] == count, report_lines(plan)
        assert not plan.to_write()
        with pytest.raises(NothingToImport):
            service.commit(plan)
    assert change_count(demo_db) == before


def test_cancelled_or_failed_import_writes_nothing(service, db, branch, tmp_path):
    plan = service.preview(read_workbook(messy_households_xlsx(tmp_path / "t.xlsx")), kind=KIND)
    before = change_count(db)
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done == 2:
            cancel.set()

    with pytest.raises(ImportCancelled):
        service.commit(plan, progress, cancel)
    assert households(db, branch) == {}
    assert change_count(db) == before
    with db.read() as session:
        assert "第五党小组" not in [g.name for g in groups.list_party_groups(session, branch.id)]

    # Between the preview and the commit, the same household is added by hand.
    with db.unit_of_work() as session:
        session.add(Household(branch_id=branch.id, head_name="赵六", address="红旗村1组20号"))
    before = change_count(db)
    with pytest.raises(UserError) as caught:
        service.commit(plan)
    assert "8" in caught.value.message
    assert set(households(db, branch)) == {"赵六"}
    assert change_count(db) == before


def test_household_key_ignores_spaces_and_full_width():
    assert household_key("张 大山", "红旗村１组 12号") == household_key("张大山", "红旗村1组12号")
    assert household_key("张大山", "1组12号") != household_key("张大山", "1组13号")


def test_member_import_does_not_take_a_household_list(service, tmp_path):
    plan = service.preview(read_workbook(messy_households_xlsx(tmp_path / "t.xlsx")))
    assert plan.kind == "members" and not plan.rows
    assert plan.sheets[0].problem


@pytest.mark.parametrize("language", ["en", "zh_TW"])
def test_round_trip_from_another_language(demo_db, tmp_path, language):
    from desktop import i18n

    with demo_db.read() as session:
        service = TabularService(demo_db, groups.current_branch(session).id)
    i18n.set_language(language)
    path = tmp_path / "households.xlsx"
    count = service.export("households", path)
    i18n.set_language("zh_CN")
    plan = service.preview(read_workbook(path), kind=KIND)
    assert plan.counts() == {Action.UNCHANGED: count}


def test_an_edit_in_the_exported_file_comes_back_as_changes(demo_db, tmp_path):
    from openpyxl import load_workbook

    with demo_db.read() as session:
        service = TabularService(demo_db, groups.current_branch(session).id)
    path = tmp_path / "households.xlsx"
    count = service.export("households", path)
    book = load_workbook(path)
    sheet = book.active
    head, address = sheet.cell(row=3, column=1).value, sheet.cell(row=3, column=2).value
    was_low_income = sheet.cell(row=3, column=7).value == "是"
    sheet.cell(row=3, column=7).value = "否" if was_low_income else "√"
    sheet.cell(row=3, column=9).value = "门前有台阶"
    book.save(path)
    plan = service.preview(read_workbook(path), kind=KIND)
    assert plan.counts() == {Action.UNCHANGED: count - 1, Action.UPDATE: 1}
    changed = plan.to_write()[0]
    assert (changed.name, changed.address, changed.row_number) == (head, address, 3)
    assert changed.changed == ("low_income", "notes")
    before = change_count(demo_db)
    assert service.commit(plan).updated == 1
    assert change_count(demo_db) == before + 2
    with demo_db.read() as session:
        stored = session.scalars(
            select(Household).where(Household.head_name == head, Household.address == address)
        ).one()
    assert (stored.low_income, stored.notes) == (not was_low_income, "门前有台阶")


def test_a_legacy_xls_household_list(service, db, branch, tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("第二党小组")
    ws.write_merge(0, 0, 0, 4, "第二党小组联系户")
    for col, text in enumerate(("户主", "地址", "手机号码", "独居老人", "低收入")):
        ws.write(1, col, text)
    ws.write(2, 0, "冯国庆")
    ws.write(2, 1, "西街1号")
    ws.write(2, 2, 13912345678)  # a phone in a number cell
    ws.write(2, 3, "√")
    ws.write(3, 0, "郑桂兰")
    ws.write(3, 1, "西街2号")
    ws.write(3, 4, 1)
    path = tmp_path / "联系户.xls"
    book.save(str(path))
    plan = service.preview(read_workbook(path), kind=KIND)
    assert actions(plan) == {("第二党小组", 3): "create", ("第二党小组", 4): "create"}
    service.commit(plan)
    stored = households(db, branch)
    assert stored["冯国庆"]["phone"] == "13912345678"
    assert stored["冯国庆"]["flags"] == (True, False, False)
    assert stored["郑桂兰"]["flags"] == (False, True, False)
    assert stored["冯国庆"]["party_group"] == stored["郑桂兰"]["party_group"] == "第二党小组", (
        "a sheet named after a party group puts its households there"
    )
