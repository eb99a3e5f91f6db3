# SPDX-License-Identifier: GPL-3.0-or-later
"""The message catalogues: complete, in step with the code, and safe to `.format()`."""

from __future__ import annotations

import re
import string
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from desktop import i18n

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LOCALES = ("zh_Hans_CN", "zh_Hant_TW", "en")
CJK = re.compile(r"[\u4e00-\u9fff]")
# An accelerator: "&" before a character, except the escaped "&&".
ACCELERATOR = re.compile(r"(?<!&)&(?!&)(\w)")


def catalogue(locale: str) -> Catalog:
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=locale)


def pairs(message: Message) -> Iterator[tuple[str, str]]:
    """(msgid, msgstr) for every non-empty msgstr; plural forms are held to the plural msgid."""
    if isinstance(message.id, str):
        if message.string:
            yield message.id, message.string
    else:
        for i, text in enumerate(message.string):
            if text:
                yield message.id[min(i, 1)], text


def fields(text: str) -> list[str]:
    """The names of the `{placeholders}` of `text`, sorted, repeats kept."""
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@pytest.mark.parametrize("locale", LOCALES)
def test_translations_keep_the_placeholders(locale: str) -> None:
    problems = []
    for message in catalogue(locale):
        for msgid, msgstr in pairs(message):
            try:
                if set(fields(msgstr)) != set(fields(msgid)):
                    problems.append(f"{msgid!r} -> {msgstr!r}: {fields(msgstr)} != {fields(msgid)}")
            except ValueError as error:  # a stray brace: .format() would raise in the app
                problems.append(f"{msgid!r} -> {msgstr!r}: {error}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "zh_Hant_TW"])
def test_translations_keep_the_accelerators(locale: str) -> None:
    problems = []
    for message in catalogue(locale):
        for msgid, msgstr in pairs(message):
            if ACCELERATOR.search(msgid) and len(ACCELERATOR.findall(msgstr)) != 1:
                problems.append(f"{msgid!r} -> {msgstr!r}: needs one accelerator, like 姓名(&N)")
    assert not problems, "\n".join(problems)


def test_catalogues_are_current_and_complete() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "update_translations.py"), "--check"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def language() -> Iterator[None]:
    yield
    i18n.set_language("zh_CN")


@pytest.mark.usefixtures("language")
def test_the_app_shows_each_language() -> None:
    i18n.set_language("zh_CN")
    members = i18n._("Members")
    assert members != "Members"
    assert CJK.search(members)
    assert i18n._("Party group") == "党小组"
    assert i18n.ngettext("{n} member", "{n} members", 3).format(n=3) == "3 名党员"

    i18n.set_language("zh_TW")
    assert i18n._("Party group") == "黨小組"
    assert i18n._("Full member") == "正式黨員"

    i18n.set_language("en")
    assert i18n._("Members") == "Members"
    assert i18n.ngettext("{n} member", "{n} members", 1).format(n=1) == "1 member"
    assert i18n.ngettext("{n} member", "{n} members", 3).format(n=3) == "3 members"
