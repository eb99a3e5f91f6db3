# SPDX-License-Identifier: GPL-3.0-or-later
"""Render resources/icons/red-steward.svg to the PNG sizes and the Windows .ico.

    PYTHONPATH=$PWD .venv/bin/python tools/make_icons.py

Qt's own SVG renderer draws the PNGs (no other tool needed); Pillow packs the .ico. The
results are committed, so a build needs neither; run this after changing the SVG.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICONS / "red-steward.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_pngs() -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (fonts)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        sys.exit(f"{SVG}: not a valid SVG")
    made = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        path = ICONS / f"red-steward-{size}.png"
        if not image.save(str(path)):
            sys.exit(f"could not write {path}")
        made.append(path)
    return made


def write_ico(pngs: list[Path]) -> Path:
    from PIL import Image

    path = ICONS / "red-steward.ico"
    largest = Image.open(pngs[-1])
    largest.save(path, format="ICO", sizes=[(s, s) for s in SIZES])
    return path


def main() -> None:
    pngs = render_pngs()
    ico = write_ico(pngs)
    for path in [*pngs, ico]:
        sys.stdout.write(f"{path.relative_to(ICONS.parent.parent)}  {path.stat().st_size} bytes\n")


if __name__ == "__main__":
    main()
