# SPDX-License-Identifier: GPL-3.0-or-later
"""The translation layer: every user-visible string goes through `_`, `ngettext` or `N_`.

Message ids are English; the catalogues live in `translations/<locale>/LC_MESSAGES/messages.po`
and are compiled to `.mo` by the setup command. A missing `.mo` falls back to reading the `.po`,
so a checkout run without the build step still shows Chinese. No Qt here.
"""

from __future__ import annotations

import datetime as dt
import gettext
import logging
from pathlib import Path

from desktop.paths import resource_path

log = logging.getLogger(__name__)

#: Locales the UI offers, in the order of the language picker; the first is the default.
LANGUAGES: tuple[str, ...] = ("zh_CN", "zh_TW", "en")
DEFAULT_LANGUAGE = "zh_CN"
# Babel's canonical names: the catalogue folders are named after these.
_CATALOGUE_DIR = {"zh_CN": "zh_Hans_CN", "zh_TW": "zh_Hant_TW", "en": "en"}

_catalog: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def translations_dir() -> Path:
    return resource_path("translations")


def _load(language: str) -> gettext.NullTranslations:
    folder = translations_dir() / _CATALOGUE_DIR[language] / "LC_MESSAGES"
    mo, po = folder / "messages.mo", folder / "messages.po"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.exists():
        import io

        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=_CATALOGUE_DIR[language])
        buf = io.BytesIO()
        write_mo(buf, catalog)
        buf.seek(0)
        return gettext.GNUTranslations(buf)
    log.warning("no catalogue for %s in %s", language, folder)
    return gettext.NullTranslations()


_cache: dict[str, gettext.NullTranslations] = {}


def _catalogue(language: str) -> gettext.NullTranslations:
    if language not in _cache:
        _cache[language] = _load(language)
    return _cache[language]


def translations_of(message: str) -> set[str]:
    """`message` in every UI language: lets typed input use any language's words."""
    return {message} | {_catalogue(lang).gettext(message) for lang in LANGUAGES}


def set_language(language: str) -> str:
    """Switch the active catalogue; an unknown language falls back to the default."""
    global _catalog, _language
    if language not in LANGUAGES:
        log.warning("unknown language %r, using %s", language, DEFAULT_LANGUAGE)
        language = DEFAULT_LANGUAGE
    _catalog = _catalogue(language)
    _language = language
    return language


def language() -> str:
    return _language


def babel_locale() -> str:
    return _CATALOGUE_DIR[_language]


def _(message: str) -> str:
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _catalog.pgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


#: The one way a date is written on every page, printout and message: Babel's "medium" form,
#: which is 2026年12月5日 in both Chinese locales and Dec 5, 2026 in English.
DATE_FORM = "medium"


def format_date(value: dt.date | None) -> str:
    """A date as the active locale writes it (2026年12月5日, Dec 5, 2026); empty for None.

    Every date the clerk reads goes through here, so the pages, the printouts and the messages
    agree (issue 18 found five styles side by side)."""
    if value is None:
        return ""
    from babel.dates import format_date as babel_format_date

    if isinstance(value, dt.datetime):
        value = value.date()
    return babel_format_date(value, format=DATE_FORM, locale=babel_locale())


#: The same style for Qt's date boxes (QDateEdit.setDisplayFormat), per language.
_QT_DATE_FORMATS = {"zh_CN": "yyyy年M月d日", "zh_TW": "yyyy年M月d日", "en": "MMM d, yyyy"}


def qt_date_format(time: bool = False) -> str:
    """A date box's display format matching `format_date` (and `format_datetime` with `time`)."""
    return _QT_DATE_FORMATS[_language] + (" HH:mm" if time else "")


def format_datetime(value: dt.datetime | None, *, seconds: bool = False) -> str:
    """A moment as the date (as `format_date` writes it) and the 24-hour time, in local time
    when `value` is aware; empty for None."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone()
    return f"{format_date(value.date())} {value:{'%H:%M:%S' if seconds else '%H:%M'}}"
