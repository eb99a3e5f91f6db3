# SPDX-License-Identifier: GPL-3.0-or-later
"""Pinyin search keys for people's names: 陈建国 → "chenjianguo" and "cjg".

The keys are stored beside the name (derived data: never logged, recomputed wherever the name is
written) and indexed, so that typing "cjg" or "chen" finds 陈建国 with an index range rather than
a scan of the county. They are also the names' sort order.

The given name is read by pypinyin with its phrase dictionary. The surname is read first and on
its own, from the table below where the surname reading differs from the everyday one (曾 is
zeng as a surname, ceng elsewhere; 单 shan, 解 xie, 仇 qiu, 区 ou...); pypinyin has no surname
mode, and reading the whole name as a phrase gets exactly these wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, String, and_, event
from sqlalchemy.orm import mapped_column

#: Compound surnames (复姓) whose reading pypinyin gets wrong or that must not be split.
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "长孙": ("zhang", "sun"),
    "尉迟": ("yu", "chi"),
    "万俟": ("mo", "qi"),
    "单于": ("chan", "yu"),
    "澹台": ("tan", "tai"),
    "令狐": ("ling", "hu"),
    "欧阳": ("ou", "yang"),
    "司马": ("si", "ma"),
    "上官": ("shang", "guan"),
    "诸葛": ("zhu", "ge"),
    "皇甫": ("huang", "fu"),
    "东方": ("dong", "fang"),
    "夏侯": ("xia", "hou"),
    "公孙": ("gong", "sun"),
    "宇文": ("yu", "wen"),
    "慕容": ("mu", "rong"),
    "司徒": ("si", "tu"),
    "闻人": ("wen", "ren"),
    "乐正": ("yue", "zheng"),
}

#: Single surnames read differently as a surname (姓氏读音) than pypinyin's everyday reading.
SURNAMES: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "朴": "piao",
    "覃": "qin",
    "盖": "ge",
    "缪": "miao",
    "乐": "yue",
    "员": "yun",
    "繁": "po",
    "种": "chong",
    "秘": "bi",
    "翟": "zhai",
    "召": "shao",
    "折": "she",
    "尉": "wei",
    "句": "gou",
    "谌": "chen",
    "隗": "wei",
    "宿": "su",
    "阚": "kan",
    "卜": "bu",
    "薄": "bo",
    "长": "chang",
    "重": "chong",
    "那": "na",
    "黑": "he",
    "牟": "mou",
    "能": "nai",
    "莘": "shen",
    "应": "ying",
    "角": "jue",
    "都": "du",
    "祭": "zhai",
    "藏": "zang",
    "柏": "bai",
    "曲": "qu",
    "燕": "yan",
    "相": "xiang",
    "任": "ren",
    "沈": "shen",
    "石": "shi",
    "车": "che",
    "华": "hua",
    "过": "guo",
    "纪": "ji",
    "屈": "qu",
    "適": "kuo",
    "宓": "fu",
    "洗": "xian",
    "冼": "xian",
    "殷": "yin",
    "厍": "she",
    "甄": "zhen",
    "蕃": "pi",
}

#: Keys are capped like the name column (50 characters), so that a pasted paragraph in the
#: name field cannot make an oversized index entry.
MAX_KEY = 200


class NameKeys(NamedTuple):
    full: str  # "chenjianguo": every syllable, no tones, lower case
    initials: str  # "cjg": the first letter of each syllable
    given: str  # "建国": the name after the surname (a compound surname is one surname)


def _syllables(text: str) -> list[str]:
    # Imported on first use: its dictionaries take about a second and 55 MB to load.
    from pypinyin import Style, lazy_pinyin

    # Characters that are not Chinese (Latin letters, digits) come back as runs: kept, lowered.
    return [s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors="default") if s]


def _split_surname(name: str) -> tuple[list[str], str]:
    """The surname's syllables, read as a surname, and the rest of the name (all of it when
    the surname reads as usual: the whole name is then read with its phrase context)."""
    if name[:2] in COMPOUND_SURNAMES:
        return list(COMPOUND_SURNAMES[name[:2]]), name[2:]
    if name[:1] in SURNAMES:
        return [SURNAMES[name[0]]], name[1:]
    return [], name


def given_name(name: str) -> str:
    """The name after its surname: 陈建国 → 建国, 欧阳修 → 修 (a name not in Chinese: itself)."""
    if name[:2] in COMPOUND_SURNAMES:
        return name[2:]
    first = name[:1]
    return name[1:] if first and not first.isascii() and len(name) > 1 else name


@lru_cache(maxsize=65536)
def name_keys(name: str | None) -> NameKeys:
    """The pinyin keys of a person's name (surname read as a surname)."""
    text = "".join((name or "").split())
    if not text:
        return NameKeys("", "", "")
    surname, rest = _split_surname(text)
    syllables = surname + (_syllables(rest) if rest else [])
    # Separators (the middle dot of 阿依·买买提, hyphens) are not typed when searching.
    parts = [s for s in ("".join(c for c in s if c.isalnum()) for s in syllables) if s]
    full = "".join(parts)[:MAX_KEY]
    initials = "".join(p[0] for p in parts)[:MAX_KEY]
    return NameKeys(full, initials, given_name(text)[:50])


@lru_cache(maxsize=4096)
def first_syllables(char: str) -> tuple[str, ...]:
    """Every way the key of a name starting with `char` can start: its surname reading when it
    has one (and those of the compound surnames it begins), else each of its readings. A name
    typed in Chinese is looked up by these ranges of the pinyin key, which come out in order."""
    found = {
        syllables[0] for compound, syllables in COMPOUND_SURNAMES.items() if compound[0] == char
    }
    if char in SURNAMES:
        found.add(SURNAMES[char])
    else:
        found.update(char_readings(char))
    return tuple(sorted(s for s in found if s))


@lru_cache(maxsize=1)
def _char_dictionary() -> dict[str, str]:
    """pypinyin's own single-character dictionary (code point → "wáng,wàng"), read from its
    file without importing pypinyin: importing it loads the phrase dictionary as well, about a
    second and 55 MB, which a keystroke in the filter must not pay (the stored keys serve it);
    this file is 8 MB and a fiftieth of the time. Written names still go through pypinyin."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pypinyin")  # finds the package without importing it
    if spec is None or spec.origin is None:
        return {}
    return json.loads((Path(spec.origin).parent / "pinyin_dict.json").read_text("utf-8"))


def _toneless(reading: str) -> str:
    """pypinyin's Style.NORMAL of one reading: no tone marks, ü as v ("lǜ" → "lv"), ê kept."""
    import unicodedata

    text = unicodedata.normalize("NFD", reading.lower())
    text = text.replace("u\u0308", "v").replace("e\u0302", "ê")
    return "".join(c for c in text if not unicodedata.combining(c))


def char_readings(char: str) -> list[str]:
    """Every reading of one character, toneless, as pypinyin's `pinyin(char, Style.NORMAL,
    heteronym=True)` gives them (a character it does not know: itself, lowered)."""
    readings = _char_dictionary().get(str(ord(char))) if char else None
    if not readings:
        return [char.lower()] if char else []
    seen: dict[str, None] = {}
    for reading in readings.split(","):
        seen.setdefault(_toneless(reading))
    return list(seen)


def text_range(prefix: str) -> tuple[str, str]:
    """[low, high) of the texts starting with `prefix`: a range an index serves (SQLite's LIKE
    uses an index only for ASCII under its default settings)."""
    return prefix, prefix + chr(0x10FFFF)


def key_range(prefix: str) -> tuple[str, str | None]:
    """The half-open range [low, high) of keys starting with `prefix` (ASCII letters), for an
    index range scan. The bound is the prefix with its last letter stepped on ("chen" → "cheo"),
    which orders the same under SQLite's and PostgreSQL's collations; None: no upper bound."""
    low = prefix.lower()
    stem = low.rstrip("z")
    if not stem:
        return low, None
    return low, stem[:-1] + chr(ord(stem[-1]) + 1)


def starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    """`column` starts with `prefix` (a name, an ID number), as an index range (`text_range`)."""
    low, high = text_range(prefix)
    return and_(column >= low, column < high)


def key_starts_with(column: Any, prefix: str) -> ColumnElement[bool]:
    """A pinyin key `column` starts with `prefix`, as an index range (`key_range`)."""
    low, high = key_range(prefix)
    return column >= low if high is None else and_(column >= low, column < high)


def is_id_fragment(token: str) -> bool:
    """Three or more digits (an X ends an ID number): part of an ID number or a phone."""
    return len(token) >= 3 and token.rstrip("xX").isdigit()


def is_pinyin(token: str) -> bool:
    """Whether a typed token can be pinyin: ASCII letters only (ü typed as v)."""
    return token.isascii() and token.isalpha()


# ----------------------------------------------------------------------------- stored keys
#
# A key column is marked in its `info` as derived from a source column. The change log skips it
# (it is not data anyone edited: each replica computes it), sync's merge recomputes it when it
# writes the source, the ORM recomputes it when the source attribute is set (`keep_keys`), and
# a Core INSERT that leaves it out gets it from its default, computed from the inserted name.


def full_of(name: str | None) -> str:
    return name_keys(name).full


def initials_of(name: str | None) -> str:
    return name_keys(name).initials


def given_of(name: str | None) -> str:
    return name_keys(name).given


def _default(source: str, derive: Callable[[str | None], str]) -> Callable[[Any], str]:
    def default(context: Any) -> str:
        return derive(context.get_current_parameters().get(source))

    return default


def key_column(source: str, derive: Callable[[str | None], str], length: int) -> Any:
    """A stored key column computed from the column `source` by `derive`."""
    return mapped_column(
        String(length),
        default=_default(source, derive),
        nullable=False,
        info={"derived_from": source, "derive": derive},
    )


def derived_values(columns: Iterable[Any], values: dict[str, Any]) -> None:
    """Fill in `values` (column name → value, as about to be written) the key columns derived
    from a source column present in `values`."""
    for column in columns:
        source = column.info.get("derived_from")
        if source is not None and source in values:
            values[column.name] = column.info["derive"](values[source])


def is_derived(column: Any) -> bool:
    return "derived_from" in column.info


def keep_keys(cls: type, source: str) -> None:
    """Recompute `cls`'s key columns whenever its `source` attribute is set through the ORM."""
    keys = [c for c in cls.__table__.columns if c.info.get("derived_from") == source]  # type: ignore[attr-defined]

    @event.listens_for(getattr(cls, source), "set", retval=False)
    def _on_set(target: Any, value: Any, _old: Any, _initiator: Any) -> None:
        for column in keys:
            setattr(target, column.key, column.info["derive"](value))
