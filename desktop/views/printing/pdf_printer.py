# SPDX-License-Identifier: GPL-3.0-or-later
"""Sending a rendered PDF to a printer: each page drawn at 1:1 on the whole sheet.

The PDF already keeps margins safe for office printers, so the printer is set to full-page mode
and the page is not scaled a second time. QPdfDocument renders transparent pages, so each one is
composited on white first (otherwise some drivers print a black sheet).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

#: Enough for sharp Chinese strokes at 9 pt; a page of A3 at 300 dpi is a 50 MB image already.
PRINT_DPI = 300
PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "A3": QPageSize.PageSizeId.A3}


def configure(printer: QPrinter, paper: str, landscape: bool) -> None:
    printer.setPageSize(QPageSize(PAGE_SIZES[paper]))
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    printer.setFullPage(True)


def page_image(document: QPdfDocument, index: int, dpi: int) -> QImage:
    """One page as an opaque image at `dpi`."""
    points = document.pagePointSize(index)
    size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
    rendered = document.render(index, size)
    page = QImage(size, QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return page


def print_document(
    document: QPdfDocument,
    printer: QPrinter,
    dpi: int = PRINT_DPI,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Print the pages the printer's range selects (all by default); returns how many."""
    count = document.pageCount()
    first = max(printer.fromPage(), 1) if printer.fromPage() else 1
    last = min(printer.toPage(), count) if printer.toPage() else count
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    printed = 0
    try:
        for number in range(first, last + 1):
            if printed:
                printer.newPage()
            target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
            target.moveTo(0, 0)
            painter.drawImage(target, page_image(document, number - 1, dpi))
            printed += 1
            if progress is not None:
                progress(printed, last - first + 1)
    finally:
        painter.end()
    return printed
