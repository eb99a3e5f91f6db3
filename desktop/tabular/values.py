# SPDX-License-Identifier: GPL-3.0-or-later
"""Cell values as clerks leave them: dates in every form, labels for codes, numbers as text.

A cell arrives as what the reader gives: `str`, `int`, `float`, `bool`, `datetime`, `date` or
None. Each function here either returns the value the data keeps or raises `CellProblem` with a
message (English, marked with `N_`) that says what to fix.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from desktop.i18n import N_
from desktop.models.register import member_fields
from desktop.models.register.validation import to_half_width

Cell = Any

#: Excel's day 0 in the 1900 date system, with the fake 29 February 1900 already skipped.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
#: Serial numbers that can be a date in a roster (1900-01-01 to 2099-12-31).
_SERIAL_RANGE = (1, 73415)
_YEARS = (1900, 2100)

MSG_DATE_UNREADABLE = N_("Cannot read this date: write it as 2019-07-01, 2019.07 or 2019年7月.")
MSG_DATE_YEAR_ONLY = N_("Only the year is given: add at least the month, such as 2019.07.")
MSG_DATE_TEN_OR_ONE = N_(
    "The spreadsheet stored this date as the number {value}: it may mean January or October "
    "(2019.10 loses its last 0). Write the month with two digits in a text cell, "
    "such as 2019.01 or 2019.10."
)
MSG_ID_NUMERIC = N_(
    "The ID number is stored as a number ({shown}), so the spreadsheet may have changed its "
    "last digits: format the column as text, type the number again from the ID card, "
    "then import again."
)
MSG_ID_ZEROED = N_(
    "The ID number ends in 000, as ID numbers do after a spreadsheet damaged them: "
    "compare it with the ID card."
)
MSG_CHOICE_UNKNOWN = N_("Cannot read {value}: use one of {choices}.")


class CellProblem(ValueError):
    """A cell that cannot be read; `message` is marked with N_ and formatted with `params`."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message, self.params = message, params


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_number(value: Cell) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def clean_text(text: str) -> str:
    """Half-width, trimmed, with runs of whitespace (including newlines in cells) as one space."""
    return " ".join(to_half_width(text).split())


def cell_text(value: Cell) -> str:
    """A cell as text: whole numbers without '.0', dates as ISO, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def shown_number(value: float | int) -> str:
    """A number as Excel's General format shows it: 3.20106E+17 once it has over 11 digits."""
    if abs(value) >= 1e11:
        mantissa, exponent = f"{value:.5E}".split("E")
        return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent):02d}"
    return cell_text(value)


# ----------------------------------------------------------------------------- ID numbers


def id_number_cell(value: Cell) -> str:
    """The ID number a cell holds; a number cell is refused, as its digits cannot be trusted.

    A spreadsheet keeps 15 significant digits, so an 18-digit ID number typed into a number cell
    has already lost its last three (shown as 3.20106E+17). The check digit would catch most of
    these, but not one in eleven, so the importer never takes an ID number from a number cell.
    """
    if is_number(value):
        raise CellProblem(MSG_ID_NUMERIC, shown=shown_number(value))
    text = cell_text(value).strip()
    # Tricks people use to keep a spreadsheet from turning the number into 3.2E+17: a leading
    # apostrophe ('320106…) and a formula wrapper (="320106…"), as CSV files carry them.
    wrapped = _FORMULA_TEXT.fullmatch(text)
    if wrapped:
        return wrapped[1]
    return text[1:] if text.startswith(("'", "‘", "’")) else text


_FORMULA_TEXT = re.compile(r'="([^"]*)"')


# ----------------------------------------------------------------------------- dates

_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})?")
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _from_serial(serial: float) -> dt.date:
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def _from_number(value: float | int) -> tuple[dt.date, bool]:
    """A date typed into a number cell: a serial, 2019.07 (a year.month), 201907 or 20190701."""
    if _YEARS[0] <= value < _YEARS[1]:
        year = int(value)
        if value == year:
            raise CellProblem(MSG_DATE_YEAR_ONLY)
        hundredths = round((value - year) * 100, 6)
        if hundredths == 10:
            raise CellProblem(MSG_DATE_TEN_OR_ONE, value=cell_text(value))
        if hundredths != int(hundredths):
            raise CellProblem(MSG_DATE_UNREADABLE)
        return _date(year, int(hundredths), 1), True
    if value == int(value):
        digits = str(int(value))
        compact = _COMPACT.fullmatch(digits)
        if compact and _YEARS[0] <= int(compact[1]) < _YEARS[1]:
            return _date(int(compact[1]), int(compact[2]), int(compact[3] or 1)), not compact[3]
    if _SERIAL_RANGE[0] <= value <= _SERIAL_RANGE[1]:
        return _from_serial(value), False
    raise CellProblem(MSG_DATE_UNREADABLE)


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellProblem(MSG_DATE_UNREADABLE) from None


_MONTH_ONLY = re.compile(r"\d{4}[-./年]\d{1,2}月?")


def date_cell_precise(value: Cell) -> tuple[dt.date | None, bool]:
    """The date in a cell, and whether only its year and month were given (day set to 1)."""
    if is_blank(value):
        return None, False
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if is_number(value):
        return _from_number(value)
    text = _TIME_SUFFIX.sub("", clean_text(str(value))).replace(" ", "")
    if re.fullmatch(r"\d{4}年?", text):
        raise CellProblem(MSG_DATE_YEAR_ONLY)
    if re.fullmatch(r"\d{5,8}", text):
        # 201907, 20190701 or a serial number that lost its cell type in a CSV.
        return _from_number(int(text))
    if re.fullmatch(r"\d{4}\.\d{1,2}", text):
        # Typed as text: 2019.1 is January, as the clerk wrote it.
        year, month = text.split(".")
        return _date(int(year), int(month), 1), True
    try:
        return member_fields.parse_date(text), bool(_MONTH_ONLY.fullmatch(text))
    except ValueError:
        raise CellProblem(MSG_DATE_UNREADABLE) from None


def date_cell(value: Cell) -> dt.date | None:
    """A date in any of the forms clerks type; None for an empty cell."""
    return date_cell_precise(value)[0]


# ----------------------------------------------------------------------------- choices

#: Words clerks write for each code, beyond the labels of the UI languages.
CHOICE_WORDS: dict[str, dict[str, str]] = {
    "gender": {"男": "male", "女": "female", "男性": "male", "女性": "female"},
    "status": {
        "正式": "full", "正式党员": "full", "党员": "full",
        "预备": "probationary", "预备党员": "probationary", "預備黨員": "probationary",
    },
    "standing": {"正常": "normal", "停止党籍": "suspended", "停止": "suspended"},
    "education": {
        "研究生": "postgraduate", "博士": "postgraduate", "硕士": "postgraduate",
        "博士研究生": "postgraduate", "硕士研究生": "postgraduate",
        "本科": "university", "大学": "university", "大学本科": "university", "大本": "university",
        "大专": "college", "专科": "college", "大学专科": "college", "高职": "college",
        "中专": "secondary_vocational", "中技": "secondary_vocational",
        "职高": "secondary_vocational",
        "技校": "secondary_vocational", "中等专科": "secondary_vocational",
        "高中": "high_school", "普高": "high_school",
        "初中": "junior_high", "初级中学": "junior_high",
        "小学": "primary", "小学及以下": "primary", "文盲": "primary", "半文盲": "primary",
        "扫盲班": "primary",
    },
    "occupation": {
        "农民": "farmer", "务农": "farmer", "农牧渔民": "farmer",
        "村干部": "village_cadre", "村(社区)干部": "village_cadre",
        "工人": "worker",
        "个体": "self_employed", "个体户": "self_employed", "个体工商户": "self_employed",
        "外出务工": "migrant_worker", "务工": "migrant_worker", "外出务工人员": "migrant_worker",
        "退休": "retired", "离退休": "retired", "离退休人员": "retired",
        "学生": "student", "在校学生": "student",
        "其他": "other", "其它": "other",
    },
}  # fmt: skip


def _choice_key(text: str) -> str:
    return clean_text(text).replace(" ", "").casefold()


_choice_lookup: dict[str, dict[str, str]] = {}


def _choices(field: str) -> dict[str, str]:
    """Every way of writing each code of `field`, normalised: labels in all UI languages,
    the clerk's words, and the code itself."""
    if field not in _choice_lookup:
        from desktop.i18n import translations_of

        lookup: dict[str, str] = {}
        for code, label in member_fields.CHOICE_FIELDS[field].items():
            for word in (code, *translations_of(label)):
                lookup.setdefault(_choice_key(word), code)
        for word, code in CHOICE_WORDS.get(field, {}).items():
            lookup.setdefault(_choice_key(word), code)
        _choice_lookup[field] = lookup
    return _choice_lookup[field]


def choice_cell(field: str, value: Cell) -> str | None:
    """The code of a labelled value (男 → male); None for an empty optional field."""
    text = clean_text(cell_text(value))
    if not text:
        if field in ("education", "occupation"):
            return None
        return {"ethnicity": "01", "status": "full", "standing": "normal"}.get(field, "")
    lookup = _choices(field)
    key = _choice_key(text)
    candidates = [key]
    if field == "ethnicity":
        # 汉 as well as 汉族 (the catalogue names the group with 族), and 1 as well as 01.
        candidates = [key.zfill(2)] if key.isdigit() else [key, key + "族"]
    for candidate in candidates:
        if candidate in lookup:
            return lookup[candidate]
    from desktop.i18n import _

    choices = "、".join(_(label) for label in member_fields.CHOICE_FIELDS[field].values())
    if field == "ethnicity":
        choices = _("a name such as 汉族")
    raise CellProblem(MSG_CHOICE_UNKNOWN, value=text, choices=choices)


def _code(field: str, text: str) -> Any:
    # Yes/no fields need no session: only group fields look anything up.
    return member_fields.parse_value(None, None, field, text)  # type: ignore[arg-type]


def bool_cell(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(cell_text(value)).casefold()
    from desktop.i18n import translations_of

    if text in {t.casefold() for t in translations_of("Yes")} | {"√", "✓", "是"}:
        return True
    if text in {t.casefold() for t in translations_of("No")} | {"×", "否"}:
        return False
    try:
        return bool(_code("floating", text))
    except ValueError:
        raise CellProblem(MSG_CHOICE_UNKNOWN, value=text, choices="是、否") from None


# ----------------------------------------------------------------------------- groups

_CHINESE_DIGITS = {ch: n for n, ch in enumerate("零一二三四五六七八九")}


def chinese_numeral(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23; None when it is not such a number."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in _CHINESE_DIGITS and ch != "十" for ch in text):
        return None
    if "十" not in text:
        return _CHINESE_DIGITS[text] if len(text) == 1 else None
    tens, _sep, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


_GROUP_NUMBER = re.compile(r"^第?([0-9一二三四五六七八九十]+)(?:党小组|村民小组|小组|组)?$")


def group_number(text: str) -> int | None:
    """The number a group is written with: 3, 第三党小组, 第3小组, 三组; None for a plain name."""
    match = _GROUP_NUMBER.match(text.replace(" ", ""))
    return chinese_numeral(match[1]) if match else None


# ----------------------------------------------------------------------------- flags

#: Marks that set a flag column (独居老人, 低保户): a tick, a cross drawn in the box, 是, Y, 1.
_FLAG_YES = {"是", "√", "✓", "✔", "☑", "y", "yes", "1", "x", "有", "true", "t"}
#: Marks that clear it; × (the multiplication sign) is how Chinese forms write "no".
_FLAG_NO = {"否", "×", "✗", "✘", "n", "no", "0", "无", "false", "f", "-", "—", "/"}
MSG_FLAG_UNKNOWN = N_("Cannot read {value}: write 是 (or √, Y, 1) or 否, or leave it blank.")


def flag_cell(value: Cell) -> bool | None:
    """A yes/no column of a household list: True, False, or None for a blank cell.

    An "x" marks the box (a flag column only has marks where it applies); "×" means no.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = clean_text(cell_text(value)).casefold()
    from desktop.i18n import translations_of

    if text in _FLAG_YES or text in {t.casefold() for t in translations_of("Yes")}:
        return True
    if text in _FLAG_NO or text in {t.casefold() for t in translations_of("No")}:
        return False
    raise CellProblem(MSG_FLAG_UNKNOWN, value=cell_text(value))
