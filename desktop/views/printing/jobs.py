# SPDX-License-Identifier: GPL-3.0-or-later
"""What the print centre renders: the choices, and the two steps run off the GUI thread.

Reading the data runs in the database pool; laying out the PDF runs in the global pool, so a
long register does not hold the one database thread. Neither step touches a widget.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.errors import UserError
from desktop.i18n import _
from desktop.models.documents.service import PrintService

ProgressFn = Callable[[int, int], None]

BOARD, ROSTER, MEMBERS = "board", "roster", "members"
DOCUMENTS = (BOARD, ROSTER, MEMBERS)
#: The paper each document is usually printed on: (paper, landscape).
DEFAULT_PAPER = {BOARD: ("A3", True), ROSTER: ("A4", False), MEMBERS: ("A4", True)}


class Cancelled(Exception):  # a signal, not an error
    """The user cancelled the rendering; nothing to report."""


@dataclass(frozen=True, slots=True)
class PrintOptions:
    document: str
    paper: str = "A3"
    landscape: bool = True
    year: int | None = None
    qr: bool = False


def load_data(service: PrintService, options: PrintOptions, printed_on: dt.date) -> Any:
    """The read model of the chosen document (runs in the database pool)."""
    if options.document == BOARD:
        years = service.commitment_years()
        year = options.year or (years[0] if years else printed_on.year)
        return service.commitment_board(year, printed_on)
    if options.document == MEMBERS:
        return service.member_register(printed_on)
    rosters = service.rosters(printed_on)
    if not rosters:
        raise UserError(_("There is no duty roster yet. Make one first, then print it."))
    return rosters[0]


def render(
    options: PrintOptions, data: Any, path: Path, progress: ProgressFn, cancelled: threading.Event
) -> Any:
    """Write the PDF to `path` (runs in the global pool); returns the template's `Rendered`."""

    def report(done: int, total: int) -> None:
        if cancelled.is_set():
            raise Cancelled
        progress(done, total)

    with path.open("wb") as out:
        if options.document == BOARD:
            from desktop.printing.board import render_commitment_board

            return render_commitment_board(
                data,
                out,
                paper=options.paper,
                landscape=options.landscape,
                qr=options.qr,
                progress=report,
            )
        if options.document == MEMBERS:
            from desktop.printing.register import render_member_register

            return render_member_register(
                data, out, paper=options.paper, landscape=options.landscape, progress=report
            )
        from desktop.printing.roster import render_roster_sheet

        return render_roster_sheet(
            data, out, paper=options.paper, landscape=options.landscape, progress=report
        )
