# SPDX-License-Identifier: GPL-3.0-or-later
"""Member values as clerks write them: the one parser of the import and the command line.

A value arrives as a spreadsheet cell gives it (`str`, `int`, `float`, `bool`, `datetime`, `date`
or None) or as text typed after `FIELD=` on the command line. Each function here either returns
the value the data keeps or raises `CellProblem` (a `ValueError`) with a message (English,
marked with `N_`) that says what to fix. Dates come in every form (2019-07-01, 2019.7,
2019年7月, 20190701, a spreadsheet's serial number), codes as labels in any UI language or as
the words clerks use (男, 女性, 汉, 预备党员), groups by number or name (3, 第三党小组, 三组).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping
from typing import Any

from desktop.i18n import N_, _, translations_of
from desktop.models.register.member import (
    EDUCATIONS,
    ETHNICITIES,
    GENDERS,
    OCCUPATIONS,
    STANDINGS,
    STATUSES,
)
from desktop.models.register.validation import to_half_width

Cell = Any

CHOICE_FIELDS: dict[str, Mapping[str, str]] = {
    "gender": GENDERS,
    "status": STATUSES,
    "standing": STANDINGS,
    "education": EDUCATIONS,
    "occupation": OCCUPATIONS,
    "ethnicity": ETHNICITIES,
}
DATE_FIELDS = ("birth_date", "joined_on", "confirmed_on", "lost_contact_on")
BOOL_FIELDS = ("lost_contact", "floating")

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


_DATE = re.compile(r"^\s*(\d{4})\s*[-./年]\s*(\d{1,2})\s*(?:[-./月]\s*(\d{1,2})\s*日?)?\s*月?\s*$")
_DATE_DIGITS = re.compile(r"^\s*((?:19|20)\d{2})(\d{2})(\d{2})?\s*$")


def parse_date(text: str) -> dt.date | None:
    """A date typed as text (2019-07-01, 2019.7.1, 2019/7/1, 2019年7月1日, 20190701, also in
    full-width digits); a year and month alone (2019.7, 201907) mean the first of that month;
    ValueError when it is none of these."""
    text = to_half_width(text).strip()
    if not text:
        return None
    match = _DATE.match(text) or _DATE_DIGITS.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    return dt.date(year, month, day)


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
        return parse_date(text), bool(_MONTH_ONLY.fullmatch(text))
    except ValueError:
        raise CellProblem(MSG_DATE_UNREADABLE) from None


def date_cell(value: Cell) -> dt.date | None:
    """A date in any of the forms clerks type; None for an empty cell."""
    return date_cell_precise(value)[0]


# ----------------------------------------------------------------------------- choices

#: Words clerks write for each code, beyond the labels of the UI languages.
CHOICE_WORDS: dict[str, dict[str, str]] = {
    "gender": {
        "男": "male", "女": "female", "男性": "male", "女性": "female", "m": "male", "f": "female",
    },
    "status": {
        "正式": "full", "正式党员": "full", "党员": "full",
        "预备": "probationary", "预备党员": "probationary", "預備": "probationary",
        "預備黨員": "probationary",
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
        lookup: dict[str, str] = {}
        for code, label in CHOICE_FIELDS[field].items():
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
    choices = "、".join(_(label) for label in CHOICE_FIELDS[field].values())
    if field == "ethnicity":
        choices = _("a name such as 汉族")
    raise CellProblem(MSG_CHOICE_UNKNOWN, value=text, choices=choices)


#: Yes and no as clerks write them, besides "Yes" and "No" in every UI language.
_TRUE = {"1", "true", "yes", "y", "是", "有", "√", "✓"}
_FALSE = {"0", "false", "no", "n", "否", "无", "没有", "×", ""}


@functools.cache
def answer_words(answer: str) -> frozenset[str]:
    """ "Yes" or "No" in every UI language, casefolded (once: the catalogues load once)."""
    return frozenset(t.casefold() for t in translations_of(answer))


def bool_cell(value: Cell) -> bool:
    if isinstance(value, bool):
        return value
    text = clean_text(cell_text(value)).casefold()
    if text in _TRUE or text in answer_words("Yes"):
        return True
    if text in _FALSE or text in answer_words("No"):
        return False
    raise CellProblem(MSG_CHOICE_UNKNOWN, value=text, choices="是、否")


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


# ----------------------------------------------------------------------------- fields


def member_value(field: str, value: Cell) -> Any:
    """The value a member's `field` keeps, read from a cell or a typed text.

    Groups are not read here (finding one needs the branch's groups: `group_number` and the
    caller's lookup); any other field not named above is text, trimmed and half-width (the
    notes only trimmed, their lines kept).
    """
    if field in DATE_FIELDS:
        return date_cell(value)
    if field in CHOICE_FIELDS:
        return choice_cell(field, value)
    if field in BOOL_FIELDS:
        return False if is_blank(value) else bool_cell(value)
    if field == "notes":
        return cell_text(value).strip()
    return clean_text(cell_text(value))
