# SPDX-License-Identifier: GPL-3.0-or-later
"""Page furniture in one place: the footer line and 第 x 页 共 N 页 (only when N > 1).

The total is known only once every page is laid out, so the canvas keeps each page's state and
draws the furniture on all of them when the document is saved (ReportLab's two-pass recipe).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, BinaryIO

from reportlab.pdfgen.canvas import Canvas

from desktop.i18n import _
from desktop.printing import styles
from desktop.printing.fonts import draw_string, let_through, register_fonts

FOOTER_SIZE = 8.5


def page_number_text(page: int, total: int) -> str:
    return _("Page {page} of {total}").format(page=page, total=total)


class FurnishedCanvas(Canvas):
    """A canvas that adds the footer (left text, page x of N) to every page on save."""

    def __init__(
        self,
        *args: Any,
        footer_left: str = "",
        footer_right: str = "",
        on_page_done: Callable[[int], None] | None = None,
        header_right: str = "",
        **kwargs: Any,
    ) -> None:
        # Otherwise every page names Helvetica, an unembedded font, even if it never draws it.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or register_fonts()
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or 10
        super().__init__(*args, **kwargs)
        self._footer_left, self._footer_right = footer_left, footer_right
        self._header_right = header_right
        self._on_page_done = on_page_done
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        if self._on_page_done is not None:
            self._on_page_done(len(self._pages))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        blank = let_through()
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            if blank:
                self._draw_printed_anyway(blank)
            super().showPage()
        super().save()

    def _draw_printed_anyway(self, chars: tuple[str, ...]) -> None:
        """The mark of a printout made although some characters cannot be printed: in red at
        the top left of every page, so that nobody takes a blank for the name."""
        _width, height = self._pagesize
        self.saveState()
        self.setFillColor(styles.RED)
        draw_string(
            self,
            styles.MARGIN,
            height - styles.MARGIN + 3,
            _(
                "Printed anyway: {count} character(s) could not be printed and are left blank. "
                "Write them in by hand."
            ).format(count=len(chars)),
            9,
        )
        self.restoreState()

    def _draw_footer(self, total: int) -> None:
        width, height = self._pagesize
        if self._header_right:
            self.saveState()
            draw_string(
                self,
                width - styles.MARGIN,
                height - styles.MARGIN + 3,
                self._header_right,
                9,
                "right",
            )
            self.restoreState()
        y = styles.MARGIN - styles.FOOTER_HEIGHT + 2
        self.saveState()
        self.setFillColor(styles.MUTED)
        if self._footer_left:
            draw_string(self, styles.MARGIN, y, self._footer_left, FOOTER_SIZE)
        if self._footer_right:
            draw_string(self, width - styles.MARGIN, y, self._footer_right, FOOTER_SIZE, "right")
        if total > 1:
            text = page_number_text(self._pageNumber, total)
            draw_string(self, width / 2, y, text, FOOTER_SIZE, "centre")
        self.restoreState()


def canvas_maker(
    footer_left: str = "",
    footer_right: str = "",
    on_page_done: Callable[[int], None] | None = None,
    header_right: str = "",
) -> Callable[..., Canvas]:
    """For `doc.build(story, canvasmaker=...)`."""
    return functools.partial(
        FurnishedCanvas,
        footer_left=footer_left,
        footer_right=footer_right,
        on_page_done=on_page_done,
        header_right=header_right,
    )


def new_canvas(
    out: BinaryIO, pagesize: tuple[float, float], title: str, **furniture: Any
) -> Canvas:
    """A canvas drawn on directly (the board), with the same furniture and metadata."""
    canvas = FurnishedCanvas(out, pagesize=pagesize, invariant=1, **furniture)
    set_metadata(canvas, title)
    return canvas


def set_metadata(canvas: Canvas, title: str) -> None:
    canvas.setTitle(title)
    canvas.setAuthor(_("Red Steward"))
    canvas.setCreator("Red Steward")
