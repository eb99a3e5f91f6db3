# SPDX-License-Identifier: GPL-3.0-or-later
"""Cell values as clerks type them: dates, labels, and ID numbers a spreadsheet may have damaged."""

from __future__ import annotations

import datetime as dt

import pytest

from desktop.i18n import translations_of
from desktop.models.register import validation
from desktop.tabular import values
from desktop.tabular.values import CellProblem


@pytest.mark.parametrize(("cell", "expected"), [
    ("2019.07", dt.date(2019, 7, 1)),
    ("2019.7", dt.date(2019, 7, 1)),
    ("2019.1", dt.date(2019, 1, 1)),  # typed as text: January, as written
    ("2019年7月", dt.date(2019, 7, 1)),
    ("2019年07月01日", dt.date(2019, 7, 1)),
    ("2019/7/1", dt.date(2019, 7, 1)),
    ("2019-07-01", dt.date(2019, 7, 1)),
    ("2019-07-01 00:00:00", dt.date(2019, 7, 1)),
    ("２０１９．０７", dt.date(2019, 7, 1)),
    (" 2019 年 7 月 ", dt.date(2019, 7, 1)),
    ("201907", dt.date(2019, 7, 1)),
    ("20190701", dt.date(2019, 7, 1)),
    (201907, dt.date(2019, 7, 1)),
    (43647, dt.date(2019, 7, 1)),  # an Excel serial number
    (43647.0, dt.date(2019, 7, 1)),
    ("43647", dt.date(2019, 7, 1)),  # a serial that lost its type in a CSV
    (2019.07, dt.date(2019, 7, 1)),  # "2019.07" typed into a number cell
    (2019.12, dt.date(2019, 12, 1)),
    (dt.datetime(2019, 7, 1, 0, 0), dt.date(2019, 7, 1)),
    (dt.date(2019, 7, 1), dt.date(2019, 7, 1)),
    (None, None),
    ("  ", None),
])  # fmt: skip
def test_dates_in_every_form_clerks_type(cell, expected):
    assert values.date_cell(cell) == expected


def test_month_precision_is_known():
    assert values.date_cell_precise("1965.03") == (dt.date(1965, 3, 1), True)
    assert values.date_cell_precise("1965年3月") == (dt.date(1965, 3, 1), True)
    assert values.date_cell_precise("1965-03-12") == (dt.date(1965, 3, 12), False)
    assert values.date_cell_precise(23813) == (dt.date(1965, 3, 12), False)


@pytest.mark.parametrize(("cell", "message"), [
    (2019.1, values.MSG_DATE_TEN_OR_ONE),  # 2019.10 in a number cell loses its 0
    (2019, values.MSG_DATE_YEAR_ONLY),
    ("2019", values.MSG_DATE_YEAR_ONLY),
    ("2019年", values.MSG_DATE_YEAR_ONLY),
    ("2019.13", values.MSG_DATE_UNREADABLE),
    ("2019-02-30", values.MSG_DATE_UNREADABLE),
    ("七月一日", values.MSG_DATE_UNREADABLE),
    (-5, values.MSG_DATE_UNREADABLE),
])  # fmt: skip
def test_unreadable_dates_say_why(cell, message):
    with pytest.raises(CellProblem) as caught:
        values.date_cell(cell)
    assert caught.value.message == message


@pytest.mark.parametrize(("field", "cell", "code"), [
    ("gender", "男", "male"), ("gender", " 女 ", "female"), ("gender", "Female", "female"),
    ("status", "预备党员", "probationary"), ("status", "正式", "full"), ("status", None, "full"),
    ("education", "大专", "college"), ("education", "大学本科", "university"),
    ("education", "本科", "university"), ("education", "硕士研究生", "postgraduate"),
    ("education", "中专", "secondary_vocational"), ("education", "小学", "primary"),
    ("education", "", None),
    ("ethnicity", "汉族", "01"), ("ethnicity", "汉", "01"), ("ethnicity", "回族", "03"),
    ("ethnicity", 1, "01"), ("ethnicity", None, "01"),
    ("occupation", "农民", "farmer"), ("occupation", "村（社区）干部", "village_cadre"),
    ("standing", "正常", "normal"),
])  # fmt: skip
def test_labels_become_codes(field, cell, code):
    assert values.choice_cell(field, cell) == code


def test_an_unknown_label_lists_the_choices():
    with pytest.raises(CellProblem) as caught:
        values.choice_cell("education", "大学肄业")
    assert caught.value.params["value"] == "大学肄业"
    assert "大学专科" in caught.value.params["choices"]


@pytest.mark.parametrize(("cell", "expected"), [
    ("是", True), ("否", False), ("√", True), ("yes", True), ("No", False), (True, True),
    (0, False),
])  # fmt: skip
def test_yes_and_no(cell, expected):
    assert values.bool_cell(cell) is expected


@pytest.mark.parametrize(("answer", "expected"), [("Yes", True), ("No", False)])
def test_yes_and_no_in_every_ui_language(answer, expected):
    for word in translations_of(answer):
        assert values.bool_cell(f" {word.upper()} ") is expected
        assert values.flag_cell(word) is expected


def test_an_id_number_in_a_number_cell_is_never_taken():
    number = validation.make_id_number("320106", dt.date(1980, 1, 1), 123)
    # What Excel keeps of it (15 significant digits), and the exact value (still refused).
    for cell in (float(number[:15] + "000"), int(number[:17] + "0"), float(number)):
        with pytest.raises(CellProblem) as caught:
            values.id_number_cell(cell)
        assert caught.value.message == values.MSG_ID_NUMERIC
        assert caught.value.params["shown"] == "3.20106E+17"
    assert values.id_number_cell(number) == number
    assert values.id_number_cell("'" + number) == number
    assert values.id_number_cell(f'="{number}"') == number


def test_numbers_as_text():
    assert values.cell_text(13812345678) == "13812345678"
    assert values.cell_text(13812345678.0) == "13812345678"
    assert values.cell_text(1.5) == "1.5"
    assert values.cell_text(dt.datetime(2019, 7, 1)) == "2019-07-01"
    assert values.shown_number(320106198001011234.0) == "3.20106E+17"


@pytest.mark.parametrize(("text", "number"), [
    ("3", 3), ("第三党小组", 3), ("第3党小组", 3), ("三组", 3), ("第十二党小组", 12),
    ("二十一", 21), ("上屋组", None), ("党小组", None),
])  # fmt: skip
def test_group_numbers(text, number):
    assert values.group_number(text) == number
