# SPDX-License-Identifier: GPL-3.0-or-later
"""Keep the message catalogues in step with the code.

    .venv/bin/python tools/update_translations.py          # extract, update, regenerate zh_TW
    .venv/bin/python tools/update_translations.py --check  # CI: exit 1 if anything is out of date

What a run does:

1. extracts the English message ids from desktop/**.py into translations/messages.pot
   (`pybabel extract -F babel.cfg -k N_ -c L10N: --no-location --sort-output`); the file is only
   rewritten when a message changed, so a run on an unchanged tree changes nothing;
2. creates or updates translations/<locale>/LC_MESSAGES/messages.po for zh_Hans_CN, zh_Hant_TW
   and en: no fuzzy matching, obsolete entries dropped, sorted, no line numbers;
3. zh_Hant_TW: every message whose msgstr is empty, or that carries the translator comment
   `# auto: s2twp`, is converted from zh_Hans_CN with OpenCC 's2twp' and marked with that
   comment (curly quotes become 「」 and 『』). To fix a Traditional translation by hand, edit
   it and delete the comment line: the entry is then left alone;
4. en: msgstrs are left empty (gettext shows the English msgid), except plural entries, whose
   msgstr[0] and msgstr[1] are set to the singular and plural msgids.

Translators work in translations/zh_Hans_CN/LC_MESSAGES/messages.po only, then run this again.

`--check` writes nothing. It exits 1 and says what is wrong when the .pot differs from the code,
when a zh_Hans_CN message is untranslated (or fuzzy), or when a .po file is not what a run of
this tool would write. The .mo files are compiled by dev.sh, not here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
DOMAIN = "messages"
PROJECT = "Red Steward"

SOURCE_LOCALE = "zh_Hans_CN"
TRADITIONAL_LOCALE = "zh_Hant_TW"
ENGLISH_LOCALE = "en"
LOCALES = (SOURCE_LOCALE, TRADITIONAL_LOCALE, ENGLISH_LOCALE)

#: Translator comment on zh_Hant_TW entries generated from zh_Hans_CN.
AUTO_MARK = "auto: s2twp"
WIDTH = 100
TAIWAN_QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})
#: Taiwan's standard forms where OpenCC writes a variant: 帳 (帳戶, 帳號, 台帳), not 賬.
TAIWAN_FORMS = str.maketrans({"賬": "帳"})


def out(text: str = "", *, err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


# --- reading, writing, comparing ---------------------------------------------------------------


def extract(output: Path) -> None:
    """Run `pybabel extract` over the code (from the repository root, as babel.cfg expects)."""
    command = [
        sys.executable, "-c", "import sys; from babel.messages.frontend import main; main()",
        "-q", "extract", "-F", "babel.cfg", "-k", "N_", "-c", "L10N:",
        "--no-location", "--sort-output", "--project", PROJECT, "-o", str(output), ".",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0 or not output.exists():
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"pybabel extract failed (exit code {result.returncode})")


def load(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale, domain=DOMAIN)


def render(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(
        buf, catalog, width=WIDTH, omit_header=False, sort_output=True, include_lineno=False,
        no_location=True, ignore_obsolete=True, include_previous=False,
    )  # fmt: skip
    return buf.getvalue()


def strings(message: Message, num_plurals: int) -> tuple[str, ...]:
    """The msgstr(s) as write_po writes them: one, or exactly `num_plurals`."""
    if isinstance(message.id, (list, tuple)):
        given = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        return tuple((given[i] if i < len(given) else "") or "" for i in range(num_plurals))
    if isinstance(message.string, (list, tuple)):
        return (message.string[0] or "",) if message.string else ("",)
    return (message.string or "",)


def key(message: Message) -> tuple[str, str | None]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return msgid, message.context


def show(message: Message) -> str:
    msgid = message.id if isinstance(message.id, str) else " / ".join(message.id)
    return f"{msgid!r}" + (f" (context {message.context!r})" if message.context else "")


def digest(catalog: Catalog, with_strings: bool = True) -> dict[tuple[str, str | None], tuple]:
    """What matters of each message, keyed by (msgid, context); header and order left out."""
    out = {}
    for message in catalog:
        if not message.id:
            continue
        out[key(message)] = (
            message.id if isinstance(message.id, str) else tuple(message.id),
            strings(message, catalog.num_plurals) if with_strings else None,
            tuple(sorted(message.flags)),
            tuple(message.auto_comments),
            tuple(message.user_comments) if with_strings else None,
        )
    return out


def translated(message: Message | None, num_plurals: int) -> bool:
    return (
        message is not None
        and not message.fuzzy
        and all(s.strip() for s in strings(message, num_plurals))
    )


# --- building the catalogues -------------------------------------------------------------------


def updated_catalog(locale: str, template_bytes: bytes) -> tuple[Catalog, Catalog | None]:
    """The catalogue for `locale` merged with the template, and the one on disk (None if new)."""
    path = po_path(locale)
    template = read_po(io.BytesIO(template_bytes), domain=DOMAIN)
    if path.exists():
        old = load(path, locale)
        catalog = load(path, locale)
    else:  # what `pybabel init` makes
        old = None
        catalog = Catalog(locale=locale, domain=DOMAIN, project=PROJECT, fuzzy=False)
        catalog.revision_date = dt.datetime.now(dt.UTC)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()  # translations of messages gone from the code are dropped
    return catalog, old


def s2twp_converter() -> Callable[[str], str] | None:
    try:
        from opencc import OpenCC
    except ImportError:
        return None
    converter = OpenCC("s2twp")

    def convert(text: str) -> str:
        # Taiwan quotes with corner brackets: “…” → 「…」, ‘…’ → 『…』 (OpenCC leaves them);
        # 賬 → 帳, the form Taiwan writes.
        return converter.convert(text).translate(TAIWAN_QUOTES).translate(TAIWAN_FORMS)

    return convert


def fill_traditional(
    catalog: Catalog, source: Catalog, convert: Callable[[str], str] | None
) -> list[str]:
    """Regenerate the machine-made zh_Hant_TW entries; returns what could not be generated."""
    unconverted = []
    for message in catalog:
        if not message.id:
            continue
        own = strings(message, catalog.num_plurals)
        marked = AUTO_MARK in message.user_comments
        if not marked and all(s.strip() for s in own):
            continue  # a person's translation: keep it
        original = source.get(*key(message))
        if not translated(original, source.num_plurals):
            new = ("",) * len(own)  # nothing to convert yet; the mark makes a later run do it
        elif convert is None:
            if not all(s.strip() for s in own):
                unconverted.append(show(message))
            continue  # cannot regenerate: keep the previous conversion
        else:
            converted = [convert(s) for s in strings(original, source.num_plurals)]
            new = tuple(converted[min(i, len(converted) - 1)] for i in range(len(own)))
        message.string = new if isinstance(message.id, (list, tuple)) else new[0]
        message.flags.discard("fuzzy")
        if not marked:
            message.user_comments = [*message.user_comments, AUTO_MARK]
    return unconverted


def fill_english(catalog: Catalog) -> None:
    for message in catalog:
        if message.id and isinstance(message.id, (list, tuple)):
            ids = tuple(message.id)
            message.string = tuple(ids[min(i, len(ids) - 1)] for i in range(catalog.num_plurals))
            message.flags.discard("fuzzy")


def build(template_bytes: bytes, convert: Callable[[str], str] | None):
    """Every catalogue as this tool wants it: {locale: (new, on disk or None)}, and problems."""
    catalogs = {locale: updated_catalog(locale, template_bytes) for locale in LOCALES}
    problems = fill_traditional(
        catalogs[TRADITIONAL_LOCALE][0], catalogs[SOURCE_LOCALE][0], convert
    )
    fill_english(catalogs[ENGLISH_LOCALE][0])
    return catalogs, problems


# --- the two modes ------------------------------------------------------------------------------


def check(template_path: Path) -> int:
    failures: list[str] = []
    fresh = load(template_path)
    fresh_digest = digest(fresh, with_strings=False)
    if not POT.exists():
        failures.append(f"{rel(POT)} is missing.")
    else:
        current = digest(load(POT), with_strings=False)
        added = [show(fresh.get(*k)) for k in fresh_digest if k not in current]
        gone = [repr(k[0]) for k in current if k not in fresh_digest]
        changed = [repr(k[0]) for k in fresh_digest.keys() & current.keys()
                   if current[k] != fresh_digest[k]]  # fmt: skip
        if added or gone or changed:
            failures.append(f"{rel(POT)} is out of date with the code:")
            failures += [f"  new in the code: {m}" for m in added]
            failures += [f"  gone from the code: {m}" for m in gone]
            failures += [f"  changed (plural, flags or comments): {m}" for m in changed]

    source_path = po_path(SOURCE_LOCALE)
    source = load(source_path, SOURCE_LOCALE) if source_path.exists() else None
    missing = [
        show(message) for message in fresh
        if message.id and not translated(
            source.get(*key(message)) if source else None, source.num_plurals if source else 1
        )
    ]  # fmt: skip
    if missing:
        failures.append(f"{len(missing)} message(s) have no {SOURCE_LOCALE} translation "
                        f"(or are marked fuzzy) in {rel(source_path)}:")  # fmt: skip
        failures += [f"  {m}" for m in missing]

    convert = s2twp_converter()
    catalogs, unconverted = build(template_path.read_bytes(), convert)
    for locale, (new, old) in catalogs.items():
        if old is None:
            failures.append(f"{rel(po_path(locale))} is missing.")
        elif digest(new) != digest(old):
            before, after = digest(old), digest(new)
            stale = sorted({k[0] for k in before.keys() | after.keys()
                            if before.get(k) != after.get(k)})  # fmt: skip
            failures.append(f"{rel(po_path(locale))} is not up to date ({len(stale)} message(s), "
                            f"e.g. {', '.join(map(repr, stale[:3]))}).")  # fmt: skip
    if unconverted:
        failures.append(f"opencc is not installed, so {len(unconverted)} {TRADITIONAL_LOCALE} "
                        "message(s) cannot be generated.")  # fmt: skip

    if failures:
        out("\n".join(failures))
        out("Run `.venv/bin/python tools/update_translations.py`, then translate what is "
              f"missing in {rel(source_path)} and run it again.")  # fmt: skip
        return 1
    out(f"Translations are up to date ({len(fresh_digest)} messages).")
    return 0


def write(template_path: Path) -> int:
    if POT.exists() and digest(load(POT), False) == digest(load(template_path), False):
        out(f"{rel(POT)}: unchanged")
    else:
        POT.parent.mkdir(parents=True, exist_ok=True)
        POT.write_bytes(template_path.read_bytes())
        out(f"{rel(POT)}: written")

    convert = s2twp_converter()
    if convert is None:
        out("opencc is not installed (pip install opencc-python-reimplemented): "
              f"{TRADITIONAL_LOCALE} is not regenerated.", err=True)  # fmt: skip
    catalogs, _ = build(POT.read_bytes(), convert)
    for locale, (new, old) in catalogs.items():
        path = po_path(locale)
        if old is not None and digest(new) == digest(old):
            out(f"{rel(path)}: unchanged")
            continue
        if old is not None:
            new.revision_date = dt.datetime.now(dt.UTC)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render(new))
        out(f"{rel(path)}: {'created' if old is None else 'updated'}")

    source = load(po_path(SOURCE_LOCALE), SOURCE_LOCALE)
    missing = [m for m in source if m.id and not translated(m, source.num_plurals)]
    if missing:
        out(f"{len(missing)} message(s) still need a {SOURCE_LOCALE} translation:")
        for message in missing:
            out(f"  {show(message)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true",
        help="write nothing; exit 1 if the template or a catalogue is out of date, "
             f"or a {SOURCE_LOCALE} message is untranslated",
    )  # fmt: skip
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="red-steward-i18n-") as tmp:
        template_path = Path(tmp) / "messages.pot"
        extract(template_path)
        return check(template_path) if args.check else write(template_path)


if __name__ == "__main__":
    sys.exit(main())
