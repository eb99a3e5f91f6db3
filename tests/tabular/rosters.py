# SPDX-License-Identifier: GPL-3.0-or-later
"""Messy rosters as clerks keep them, built by the tests: xlsx (openpyxl), xls (xlwt), CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from desktop.models.register import validation

REGION = "320106"


def id_number(birth: dt.date, seq: int) -> str:
    return validation.make_id_number(REGION, birth, seq)


#: People of the messy roster: (name, birth, sequence). Sequences ending in an odd digit are men.
GOOD_A = ("王建国", dt.date(1965, 3, 12), 11)
GOOD_B = ("李秀英", dt.date(1972, 8, 30), 22)
GOOD_C = ("赵 强", dt.date(1980, 1, 5), 31)  # the space is stray
GOOD_D = ("陈红梅", dt.date(1990, 11, 2), 42)
NUMERIC = ("孙志刚", dt.date(1968, 6, 18), 51)
AMBIGUOUS = ("周海燕", dt.date(1975, 4, 9), 62)
BAD_CHECK = ("吴德明", dt.date(1958, 9, 21), 71)
GROUP2_A = ("郑桂兰", dt.date(1962, 2, 14), 82)
GROUP2_B = ("冯国庆", dt.date(1949, 10, 1), 91)
NEW_GROUP = ("何丽华", dt.date(1985, 5, 20), 102)


def wrong_check(number: str) -> str:
    last = "0" if number[-1] != "0" else "1"
    return number[:-1] + last


def messy_xlsx(path: Path) -> Path:
    """A roster with a title, a two-row merged header, blank rows, a footer and three sheets."""
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "花名册"
    ws["A1"] = "红旗村党支部党员花名册"
    ws.merge_cells("A1:K1")
    ws["A2"] = "填报日期：2024年3月"
    for col, text in zip(
        "ABCDEFIJK",
        (
            "序号",
            "姓  名",
            "性别",
            "公民身份号码（18位）",
            "出生年月",
            "文化程度",
            "联系电话",
            "所在党小组",
            "备注",
        ),
        strict=True,
    ):
        ws[f"{col}3"] = text
        ws.merge_cells(f"{col}3:{col}4")
    ws["G3"] = "党内时间"
    ws.merge_cells("G3:H3")
    ws["G4"] = "入党时间"
    ws["H4"] = "转正 时间"
    # Row 5 is blank.
    rows = [
        # name, gender, id, birth, education, joined, confirmed, phone, group, notes
        (
            GOOD_A[0],
            "男",
            id_number(*GOOD_A[1:]),
            "1965.03",
            "高中",
            "1990.07",
            "1991年7月",
            13812345678,
            "第一党小组",
            "老支书",
        ),
        (
            GOOD_B[0],
            "女",
            id_number(*GOOD_B[1:]),
            dt.datetime(1972, 8, 30),
            "大专",
            dt.datetime(2001, 7, 1),
            "2002/7/1",
            "139 0000 1111",
            "1",
            None,
        ),
        (
            GOOD_C[0],
            " 男 ",
            "３２０１０６" + id_number(*GOOD_C[1:])[6:].lower(),
            None,
            "本科",
            "2005-06-15",
            "20060615",
            None,
            "第一党小组",
            None,
        ),
        (
            NUMERIC[0],
            "男",
            float(id_number(*NUMERIC[1:])),
            None,
            "初中",
            "1995.05",
            "1996.05",
            None,
            "第一党小组",
            None,
        ),
        (
            AMBIGUOUS[0],
            "女",
            id_number(*AMBIGUOUS[1:]),
            None,
            "中专",
            2001.1,
            "2002.10",
            None,
            "第一党小组",
            None,
        ),
        None,  # a blank row in the middle
        (
            GOOD_A[0],
            "男",
            id_number(*GOOD_A[1:]),
            "1965.03",
            "高中",
            "1990.07",
            "1991年7月",
            13812345678,
            "第一党小组",
            "老支书",
        ),  # the same member again
        (
            BAD_CHECK[0],
            "男",
            wrong_check(id_number(*BAD_CHECK[1:])),
            None,
            "小学",
            "1980.01",
            "1981.01",
            None,
            "第一党小组",
            None,
        ),
        (
            GOOD_D[0],
            "女",
            id_number(*GOOD_D[1:]),
            None,
            "研究生",
            43282,
            43647,
            None,
            "第一党小组",
            None,
        ),
        (
            NEW_GROUP[0],
            "女",
            id_number(*NEW_GROUP[1:]),
            None,
            "高中",
            "2010.03",
            "2011.03",
            None,
            "第五党小组",
            None,
        ),
    ]
    for offset, values in enumerate(rows):
        r = 6 + offset
        if values is None:
            continue
        ws[f"A{r}"] = offset + 1
        for col, value in zip("BCDEFGHIJK", values, strict=True):
            if value is not None:
                ws[f"{col}{r}"] = value
    ws[f"A{6 + len(rows) + 1}"] = "制表人：王五"
    ws[f"E{6 + len(rows) + 1}"] = "审核人：李四"

    second = book.create_sheet("第二党小组")
    second.append(["姓名", "性别", "身份证号", "学历", "入党日期", "转正日期", "手机号码"])
    second.append(
        [
            GROUP2_A[0],
            "女",
            id_number(*GROUP2_A[1:]),
            "初中",
            "1988年3月",
            "1989年3月",
            "15912345678",
        ]
    )
    second.append([GROUP2_B[0], "男", id_number(*GROUP2_B[1:]), "小学", "1975.10", "1976.10", ""])

    stats = book.create_sheet("统计")
    stats.append(["合计", 8])
    book.save(path)
    return path


#: The messy xlsx, row by row: what the importer must decide.
MESSY_EXPECTED = {
    ("花名册", 6): "create",
    ("花名册", 7): "create",
    ("花名册", 8): "create",
    ("花名册", 9): "invalid",  # ID stored as a number
    ("花名册", 10): "invalid",  # 2001.1 as a number: January or October?
    ("花名册", 12): "duplicate",
    ("花名册", 13): "invalid",  # wrong check digit
    ("花名册", 14): "create",
    ("花名册", 15): "create",  # in a party group that does not exist yet
    ("花名册", 17): "ignored",  # the footer
    ("第二党小组", 2): "create",
    ("第二党小组", 3): "create",
}


def xls_roster(path: Path) -> Path:
    """A genuine BIFF8 .xls as Excel 2003 and WPS save it, written with xlwt."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    ws = book.add_sheet("党员名册")
    ws.write_merge(0, 0, 0, 6, "青山镇红旗村党员名册")
    for col, text in enumerate(
        ("姓名", "性别", "身份证号码", "出生日期", "入党时间", "转正时间", "电话", "党小组")
    ):
        ws.write(1, col, text)
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    rows = [
        (GOOD_A, "男", id_number(*GOOD_A[1:]), dt.date(1990, 7, 1), dt.date(1991, 7, 1)),
        (GOOD_B, "女", id_number(*GOOD_B[1:]), "2001.07", "2002.07"),
        (NUMERIC, "男", float(id_number(*NUMERIC[1:])), "1995.05", "1996.05"),
    ]
    for r, (person, gender, number, joined, confirmed) in enumerate(rows, start=2):
        ws.write(r, 0, person[0])
        ws.write(r, 1, gender)
        ws.write(r, 2, number)
        ws.write(r, 3, person[1], dates)
        for col, value in ((4, joined), (5, confirmed)):
            if isinstance(value, dt.date):
                ws.write(r, col, value, dates)
            else:
                ws.write(r, col, value)
        ws.write(r, 6, 13900000000 + r)
    # The group written once, merged down over its members' rows.
    ws.write_merge(2, 2 + len(rows) - 1, 7, 7, "第二党小组")
    book.save(str(path))
    return path


def gbk_csv(path: Path, delimiter: str = ",") -> Path:
    """A CSV as Excel saves it on a Chinese PC: GBK, no BOM, CRLF."""
    lines = [
        ["姓名", "性别", "身份证号", "出生日期", "入党时间", "转正时间", "学历", "联系电话"],
        [
            GOOD_A[0],
            "男",
            id_number(*GOOD_A[1:]),
            "1965-03-12",
            "1990年7月",
            "1991年7月",
            "高中",
            "13812345678",
        ],
        [GOOD_B[0], "女", "3.20106E+17", "", "2001.07", "2002.07", "大专", ""],
        [GOOD_D[0], "女", id_number(*GOOD_D[1:]), "", "2018/7/1", "2019/7/1", "研究生", ""],
    ]
    text = "\r\n".join(delimiter.join(line) for line in lines) + "\r\n"
    path.write_bytes(text.encode("gbk"))
    return path


FORMATS = ("xlsx", "xls", "csv")


def write_table(path: Path, rows: list[list[object]], sheet: str = "花名册") -> Path:
    """`rows` as a one-sheet .xlsx (openpyxl), .xls (xlwt) or GBK .csv, by `path`'s suffix.

    Every value is written as text except numbers (int, float): the tests choose what a clerk
    would have typed.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        ws = book.active
        ws.title = sheet
        for row in rows:
            ws.append(list(row))
        book.save(path)
    elif suffix == ".xls":
        import xlwt

        xbook = xlwt.Workbook(encoding="utf-8")
        xs = xbook.add_sheet(sheet)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    xs.write(r, c, value)
        xbook.save(str(path))
    else:
        lines = [",".join("" if v is None else str(v) for v in row) for row in rows]
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    return path
