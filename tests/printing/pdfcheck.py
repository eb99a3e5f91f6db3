# SPDX-License-Identifier: GPL-3.0-or-later
"""Looking inside the PDFs we write, with poppler's tools (installed by `./dev.sh test`)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

A4 = (595.28, 841.89)
A3 = (841.89, 1190.55)


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} (poppler-utils) is not installed; ./dev.sh test installs it")
    return path


def text(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    """The text; `layout` keeps each printed line together (a table's header row, say)."""
    pages = ["-f", str(page), "-l", str(page)] if page else []
    pages += ["-layout"] if layout else []
    return subprocess.run(
        [_tool("pdftotext"), "-enc", "UTF-8", *pages, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def flat(value: str) -> str:
    """Without any whitespace: wrapped lines join up again."""
    return re.sub(r"\s+", "", value)


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(
        [_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    return {k.strip(): v.strip() for k, _s, v in (line.partition(":") for line in out.splitlines())}


def page_count(pdf: Path) -> int:
    return int(info(pdf)["Pages"])


def page_size(pdf: Path) -> tuple[float, float]:
    match = re.match(r"([\d.]+) x ([\d.]+) pts", info(pdf)["Page size"])
    assert match, info(pdf)
    return float(match[1]), float(match[2])


def fonts(pdf: Path) -> list[tuple[str, str, str]]:
    """(name, type, embedded) of every font the PDF uses."""
    out = subprocess.run(
        [_tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    rows = []
    for line in out:
        parts = line.split()
        emb_index = -5
        rows.append((parts[0], " ".join(parts[1 : emb_index - 1]), parts[emb_index]))
    return rows


def assert_fonts_embedded(pdf: Path) -> None:
    assert b"/FontFile2" in pdf.read_bytes()
    used = fonts(pdf)
    assert used, "no fonts at all"
    assert all(emb == "yes" for _name, _type, emb in used), used
    # The shipped face, and the fallback faces for the CJK extensions (fonts.FALLBACKS).
    faces = ("WenQuanYi", "HanaMin", "BabelStone", "SimSun")
    assert all(any(f in name for f in faces) for name, _type, _emb in used), used


def assert_size(pdf: Path, expected: tuple[float, float]) -> None:
    width, height = page_size(pdf)
    assert abs(width - expected[0]) < 1 and abs(height - expected[1]) < 1, (width, height)


def image(pdf: Path, page: int = 1, dpi: int = 50):  # type: ignore[no-untyped-def]
    """The page as a greyscale PIL image, rendered by pdftoppm."""
    from PIL import Image

    png = subprocess.run(
        [
            _tool("pdftoppm"),
            "-gray",
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            str(pdf),
        ],
        capture_output=True,
        check=True,
    ).stdout
    import io

    return Image.open(io.BytesIO(png)).convert("L")


def dark_share(img, box: tuple[float, float, float, float]) -> float:  # type: ignore[no-untyped-def]
    """Share of dark pixels in a box given as fractions of the page (left, top, right, bottom)."""
    w, h = img.size
    crop = img.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    pixels = crop.tobytes()
    return sum(1 for p in pixels if p < 100) / max(len(pixels), 1)
