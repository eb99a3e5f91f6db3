# SPDX-License-Identifier: GPL-3.0-or-later
"""Finding the header row of a hand-made roster and what each column holds.

Real rosters have a title (某某村党员花名册) and a date line above the header, headers split over
two rows with merged cells, full-width letters, stray spaces and line breaks inside cells, and
a dozen ways of naming each column. The header is the row (or pair of rows) among the first
ones whose cells name the most known fields.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping

from desktop.i18n import translations_of
from desktop.models import labels
from desktop.models.register.rows import MEMBER_FIELDS
from desktop.tabular.readers import Sheet
from desktop.tabular.values import cell_text, clean_text

#: How far down a header may be: titles, dates and notes above it rarely take more than a few.
HEADER_SCAN_ROWS = 20
#: Fewer known columns than this and the row is not a header.
MIN_HEADER_FIELDS = 2

#: Each member field's column label (labels.py's words): the export's header and the preview's
#: choices, in the order of the national register.
FIELD_LABELS: dict[str, str] = labels.field_messages("member", MEMBER_FIELDS)

#: What clerks write in the header for each field, besides the labels in every UI language.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "党员姓名", "姓 名"),
    "gender": ("性别",),
    "id_number": (
        "身份证号",
        "身份证号码",
        "公民身份号码",
        "公民身份证号码",
        "身份证",
        "身份证件号码",
        "证件号码",
        "居民身份证号码",
        "身份证号码(18位)",
    ),
    "ethnicity": ("民族",),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "出生时间", "生日"),
    "education": ("学历", "文化程度", "全日制学历", "最高学历"),
    "status": ("党员类别", "人员类别", "类别", "党员类型", "正式/预备"),
    "joined_on": ("入党时间", "入党日期", "入党年月", "加入党组织日期", "入党年份"),
    "confirmed_on": ("转正时间", "转正日期", "转正年月", "转为正式党员日期"),
    "occupation": ("工作岗位", "岗位", "职业", "现工作岗位", "现从事职业", "职务"),
    "phone": ("联系电话", "手机号码", "电话", "手机", "联系方式", "电话号码", "手机号"),
    "address": ("家庭住址", "住址", "地址", "家庭地址", "现居住地", "现住址", "居住地址"),
    "standing": ("党籍状态",),
    "lost_contact": ("失联党员", "是否失联", "失联", "是否失联党员"),
    "lost_contact_on": ("失联日期", "失去联系日期", "失联时间"),
    "floating": ("流动党员", "是否流动党员"),
    "floating_to": ("外出去向", "流动去向", "外出流向", "流向"),
    "party_group_id": ("党小组", "所在党小组", "党小组名称", "所属党小组"),
    "villager_group_id": ("村民小组", "所在村民小组", "组别", "所属村民小组"),
    "notes": ("备注", "说明"),
}
#: Columns that are recognised but not imported (a row number, or a value derived elsewhere).
IGNORED = ("序号", "编号", "年龄", "党龄", "no", "no.", "#")

_BRACKETS = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")
_NOISE = re.compile(r"[\s*:：·.、_\-]+")


def normalize_header(text: str) -> str:
    """A header as compared: half-width, lower case, no spaces, no (notes in brackets)."""
    text = clean_text(text).casefold()
    stripped = _BRACKETS.sub("", text)
    return _NOISE.sub("", stripped or text)


class HeaderVocabulary:
    """The fields of one kind of sheet and the words clerks use for them in a header."""

    def __init__(self, labels: Mapping[str, str], synonyms: Mapping[str, Iterable[str]]) -> None:
        self.labels, self.synonyms = dict(labels), {k: tuple(v) for k, v in synonyms.items()}
        self._lookup: dict[str, str] | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.labels)

    def field_for(self, text: str) -> str | None:
        """The field a header names, or None."""
        if self._lookup is None:
            lookup: dict[str, str] = {}
            for field in self.labels:
                words = [field, *self.synonyms.get(field, ()), *translations_of(self.labels[field])]
                for word in words:
                    lookup.setdefault(normalize_header(word), field)
            self._lookup = lookup
        return self._lookup.get(normalize_header(text))


MEMBER_HEADERS = HeaderVocabulary(FIELD_LABELS, SYNONYMS)

#: Each household field's column label; the export's households table uses the same words.
HOUSEHOLD_FIELD_LABELS: dict[str, str] = labels.field_messages(
    "household",
    (
        "head_name",
        "address",
        "phone",
        "party_group_id",
        "villager_group_id",
        "elderly_alone",
        "low_income",
        "needs_visits",
        "notes",
    ),
)
HOUSEHOLD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "head_name": ("户主", "户主姓名", "户主名字", "户主名", "户主名称"),
    "address": ("住址", "地址", "门牌号", "家庭住址", "家庭地址", "门牌", "现住址", "居住地址"),
    "phone": ("联系电话", "电话", "手机号码", "手机", "手机号", "联系方式", "电话号码"),
    "party_group_id": ("党小组", "所在党小组", "所属党小组", "联系党小组"),
    "villager_group_id": ("村民小组", "组别", "所在组", "所在村民小组", "所属村民小组", "组"),
    "elderly_alone": ("独居老人", "空巢老人", "是否独居老人", "是否空巢老人", "独居"),
    "low_income": ("低保户", "困难户", "低收入", "低收入户", "是否低保户", "低保"),
    "needs_visits": ("需定期走访", "重点关注", "定期走访", "是否重点关注", "需走访"),
    "notes": ("备注", "说明"),
}
HOUSEHOLD_HEADERS = HeaderVocabulary(HOUSEHOLD_FIELD_LABELS, HOUSEHOLD_SYNONYMS)


def field_for_header(text: str, vocabulary: HeaderVocabulary | None = None) -> str | None:
    """The field a header names (a member field unless another vocabulary is given), or None."""
    return (vocabulary or MEMBER_HEADERS).field_for(text)


@dataclasses.dataclass(frozen=True)
class Column:
    index: int
    header: str
    field: str | None


@dataclasses.dataclass(frozen=True)
class HeaderLayout:
    """Where the data of a sheet starts and what each column holds."""

    #: 0-based index of the last header row; data starts on the next row.
    header_row: int
    columns: tuple[Column, ...]

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    def mapping(self) -> dict[int, str]:
        return {c.index: c.field for c in self.columns if c.field}

    def with_mapping(self, mapping: Mapping[int, str | None]) -> HeaderLayout:
        """The same layout with the fields chosen by hand; a field is taken by one column."""
        taken: set[str] = set()
        columns = []
        for column in self.columns:
            field = mapping.get(column.index, column.field)
            if field in taken:
                field = None
            if field:
                taken.add(field)
            columns.append(dataclasses.replace(column, field=field))
        return dataclasses.replace(self, columns=tuple(columns))


def _labels(sheet: Sheet, row: int, upper: int | None) -> list[str]:
    width = max(
        len(sheet.rows[row]) if row < len(sheet.rows) else 0,
        len(sheet.rows[upper]) if upper is not None else 0,
    )
    labels = []
    for col in range(width):
        text = clean_text(cell_text(sheet.cell(row, col)))
        if not text and upper is not None:
            # A header merged down over two rows keeps its text in the upper cell.
            text = clean_text(cell_text(sheet.cell(upper, col)))
        labels.append(text)
    return labels


def _layout(
    row: int, labels: Iterable[str], vocabulary: HeaderVocabulary
) -> tuple[int, HeaderLayout]:
    taken: set[str] = set()
    columns = []
    for index, label in enumerate(labels):
        field = vocabulary.field_for(label) if label else None
        if field in taken:
            field = None
        if field:
            taken.add(field)
        columns.append(Column(index, label, field))
    return len(taken), HeaderLayout(row, tuple(columns))


def detect_header(sheet: Sheet, vocabulary: HeaderVocabulary | None = None) -> HeaderLayout | None:
    """The header of `sheet`, or None when no row among the first ones looks like one.

    The columns are named with `vocabulary`'s fields (member fields by default).
    """
    vocabulary = vocabulary or MEMBER_HEADERS
    best: tuple[int, HeaderLayout] | None = None
    for row in range(min(len(sheet.rows), HEADER_SCAN_ROWS)):
        candidates = [_layout(row, _labels(sheet, row, None), vocabulary)]
        if row > 0:
            candidates.append(_layout(row, _labels(sheet, row, row - 1), vocabulary))
        for score, layout in candidates:
            if score >= MIN_HEADER_FIELDS and (best is None or score > best[0]):
                best = (score, layout)
    return best[1] if best else None


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
