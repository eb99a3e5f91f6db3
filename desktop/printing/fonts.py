# SPDX-License-Identifier: GPL-3.0-or-later
"""The shipped Chinese font, and fallback faces for the rare characters of names.

Never the CID font `STSong-Light`: it is not embedded, so what prints depends on the viewer's
fonts (blank pages in poppler without poppler-data). WenQuanYi Micro Hei has TrueType outlines,
covers Simplified and Traditional, and ReportLab subsets it. It lacks the CJK extensions
(䶮 in Extension A, 𠈌 𪚥 in Extension B), which rural names use; ReportLab would draw nothing
for them and say nothing. So text is set in runs (`runs`, `markup`): each character the main
face lacks goes to the first fallback face that has it. The fallbacks are Hanazono Mincho
(花園明朝 A: the BMP with Extension A; B: the supplementary plane, Extensions B to F), free
(Hanazono Font License or OFL), TrueType with glyf outlines. At 53 MB they are not shipped:
they are read from `resources/fonts/` when a packager puts them there, else from the system
(Debian's fonts-hanazono), else BabelStone Han or Windows' SimSun-ExtB. A character that no
face has is reported by `missing_glyphs`, and the templates refuse to print it (`check`).
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from desktop.errors import UserError
from desktop.i18n import _
from desktop.paths import resource_path

#: The ReportLab name of the one face every document uses (titles are set larger, not bolder).
FONT = "WQYMicroHei"
FONT_FILE = "wqy-microhei.ttc"

#: Fallback faces in order of preference: (ReportLab name, file name, folders to look in).
_SYSTEM = ("/usr/share/fonts/truetype/hanazono", "/usr/local/share/fonts")
FALLBACKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("HanaMinA", "HanaMinA.ttf", _SYSTEM),
    ("HanaMinB", "HanaMinB.ttf", _SYSTEM),
    ("BabelStoneHan", "BabelStoneHan.ttf", ("/usr/share/fonts/truetype/babelstone",)),
    ("SimSunExtB", "simsunb.ttf", ("C:/Windows/Fonts",)),
)

_lock = threading.Lock()
_registered = False
#: (name, cmap) of the main face then each fallback found, once registered.
_faces: list[tuple[str, dict[int, int]]] = []
#: The characters of the main face, for `in_main_face`'s one set operation per text (a register
#: checks 30,000 values; almost none needs a fallback face).
_main_chars: set[str] = set()


def _find(file_name: str, folders: tuple[str, ...]) -> Path | None:
    for folder in (resource_path("fonts"), *map(Path, folders)):
        path = folder / file_name
        if path.is_file():
            return path
    return None


def fallback_files() -> list[Path]:
    """The fallback faces found on this computer, in order of preference (the window registers
    them with Qt too, so that the screen shows what the paper prints)."""
    return [path for _name, file_name, folders in FALLBACKS if (path := _find(file_name, folders))]


def _utf16_hex(code: int) -> str:
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap, but with characters beyond the BMP written as UTF-16
    surrogate pairs, as the PDF format requires. ReportLab writes them as five hex digits
    (<2020C>), so copying text or searching the PDF finds 𠈌 as ⠠ or nothing at all."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16_hex(code)}>" for i, code in enumerate(subset)),
        "endbfchar",
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines)


def register_fonts() -> str:
    """Register the shipped face and the fallbacks found (once per process); returns FONT."""
    global _registered
    if _registered:
        return FONT
    with _lock:
        if not _registered:
            from reportlab.pdfbase import pdfmetrics, ttfonts
            from reportlab.pdfbase.ttfonts import TTFont

            ttfonts.makeToUnicodeCMap = _to_unicode_cmap

            path = resource_path("fonts", FONT_FILE)
            # The .ttc holds two faces; 0 is the proportional one (1 is the monospaced).
            main = TTFont(FONT, str(path), subfontIndex=0)
            pdfmetrics.registerFont(main)
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT
            )
            _faces.append((FONT, main.face.charToGlyph))
            _main_chars.update(map(chr, main.face.charToGlyph))
            for name, file_name, folders in FALLBACKS:
                found = _find(file_name, folders)
                if found is None:
                    continue
                try:
                    face = TTFont(name, str(found))
                except Exception:  # a damaged or CFF-only file: go on without it
                    continue
                pdfmetrics.registerFont(face)
                _faces.append((name, face.face.charToGlyph))
            _registered = True
    return FONT


def face_for(ch: str) -> str | None:
    """The first face that can draw `ch` (FONT for spaces and controls), or None."""
    register_fonts()
    return _face_for(ch)


@functools.lru_cache(maxsize=1 << 16)
def _face_for(ch: str) -> str | None:
    """`face_for` once the faces are registered (they never change after): a register looks up
    every character of every row, most of them many times."""
    if ch.isspace() or ord(ch) < 0x20:
        return FONT
    for name, cmap in _faces:
        if ord(ch) in cmap:
            return name
    return None


def runs(text: str) -> Iterator[tuple[str, str]]:
    """`text` cut into (face, characters) runs; a character no face has stays in FONT."""
    if in_main_face(text):
        if text:
            yield FONT, text
        return
    current, start = FONT, 0
    for i, ch in enumerate(text):
        face = face_for(ch) or FONT
        if face != current:
            if i > start:
                yield current, text[start:i]
            current, start = face, i
    if len(text) > start:
        yield current, text[start:]


def markup(text: str) -> str:
    """Plain text as Paragraph markup: escaped, rare characters in their fallback face."""
    return "".join(
        escape(chunk) if face == FONT else f'<font name="{face}">{escape(chunk)}</font>'
        for face, chunk in runs(text)
    )


def in_main_face(text: str) -> bool:
    """Every character of `text` is in the main face (no run needs a fallback face)."""
    register_fonts()
    return _main_chars.issuperset(text)


@functools.lru_cache(maxsize=1 << 16)
def string_width(text: str, size: float) -> float:
    """The width of `text` at `size`, each run in its face. Cached: a register measures the same
    genders, statuses and dates thousands of times (the faces never change once registered)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(sum(stringWidth(chunk, face, size) for face, chunk in runs(text)))


def draw_string(canvas, x: float, y: float, text: str, size: float, align: str = "left") -> None:  # type: ignore[no-untyped-def]
    """One line on a canvas, switching faces per run; `align` is left, centre or right."""
    width = string_width(text, size)
    if align == "centre":
        x -= width / 2
    elif align == "right":
        x -= width
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for face, chunk in runs(text):
        canvas.setFont(face, size)
        canvas.drawString(x, y, chunk)
        x += stringWidth(chunk, face, size)


def missing_glyphs(texts: Iterable[str]) -> list[str]:
    """The characters of `texts` no face can draw, in order of first appearance."""
    missing: dict[str, None] = {}
    for text in texts:
        if in_main_face(text):
            continue
        for ch in text:
            if ch not in missing and face_for(ch) is None:
                missing[ch] = None
    return list(missing)


class UnprintableCharacter(UserError):
    """A character no face has, in the text of `whose`: printing stops, unless the user chooses
    to print anyway (`printing_anyway`), marked."""

    def __init__(self, message: str, whose: str, chars: tuple[str, ...]) -> None:
        super().__init__(message)
        self.whose, self.chars = whose, chars


#: While printing anyway: the characters let through so far (they print blank), else None.
_let_through: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "let_through", default=None
)


@contextlib.contextmanager
def printing_anyway() -> Iterator[list[str]]:
    """Within this block `check` lets characters no face has through instead of stopping, and
    collects them; `page.FurnishedCanvas` then marks every page of the printout."""
    collected: list[str] = []
    token = _let_through.set(collected)
    try:
        yield collected
    finally:
        _let_through.reset(token)


def let_through() -> tuple[str, ...]:
    """The characters printed blank in this printout (with `printing_anyway`), for the mark."""
    return tuple(_let_through.get() or ())


def check(items: Iterable[tuple[str, str]]) -> None:
    """Refuse to print a character no face has: `items` are (whose, text), e.g. a member's name
    and every value of their row. A wrong name on a public board is worse than no board.
    Within `printing_anyway` the characters are collected instead."""
    collected = _let_through.get()
    for whose, text in items:
        missing = missing_glyphs([text])
        if not missing:
            continue
        if collected is not None:
            collected.extend(c for c in missing if c not in collected)
            continue
        raise UnprintableCharacter(
            _(
                "{whose}: the character {chars} cannot be printed (no font on this computer "
                "has it). Install the Hanazono fonts (fonts-hanazono) or correct the "
                "text, and print again."
            ).format(whose=whose, chars=" ".join(f"“{c}”(U+{ord(c):04X})" for c in missing)),
            whose,
            tuple(missing),
        )
