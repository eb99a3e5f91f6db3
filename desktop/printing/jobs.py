# SPDX-License-Identifier: GPL-3.0-or-later
"""Printing one sheet, as the print centre and `red-steward print` both do it. No Qt.

The caller fetches the sheet's data through the print service (`services.printing.sheet`);
here the options are settled (the document's usual paper and orientation), the template is
chosen, and the PDF is written to a file in one step, so that no half-written file is left
behind. ReportLab is imported only when a sheet is rendered.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from desktop.errors import UserError
from desktop.i18n import _
from desktop.models.documents.rows import (
    ASSESSMENT,
    BOARD,
    DECISIONS,
    DOCUMENTS,
    MEETING_REGISTER,
    MEMBERS,
    MINUTES,
    ROSTER,
    SCORE_SHEETS,
    SIGN_IN,
)
from desktop.printing.result import Rendered

__all__ = [
    "ASSESSMENT",
    "BOARD",
    "DECISIONS",
    "DEFAULT_PAPER",
    "DOCUMENTS",
    "MEETING_REGISTER",
    "MEMBERS",
    "MINUTES",
    "ROSTER",
    "SCORE_SHEETS",
    "SIGN_IN",
    "Cancelled",
    "PrintOptions",
    "choose_options",
    "render",
    "write_pdf",
]

ProgressFn = Callable[[int, int], None]

#: The paper each document is usually printed on: (paper, landscape).
DEFAULT_PAPER = {
    BOARD: ("A3", True),
    ROSTER: ("A4", False),
    MEMBERS: ("A4", True),
    ASSESSMENT: ("A4", False),
    SCORE_SHEETS: ("A4", True),
    SIGN_IN: ("A4", False),
    MINUTES: ("A4", False),
    DECISIONS: ("A4", True),
    MEETING_REGISTER: ("A4", True),
}


class Cancelled(Exception):
    """The user cancelled the rendering; nothing to report."""


@dataclass(frozen=True, slots=True)
class PrintOptions:
    document: str
    paper: str = "A3"
    landscape: bool = True
    year: int | None = None
    qr: bool = False
    #: The roster to print; None prints the newest.
    roster_id: uuid.UUID | None = None
    #: The meeting whose sign-in sheet or minutes are printed.
    meeting_id: uuid.UUID | None = None
    #: The board as a draft (草稿): commitments not yet reviewed too, marked on every sheet.
    draft: bool = False
    #: Every team's rosters that start in this month (its first day), in one document; it
    #: takes the place of `roster_id`.
    month: dt.date | None = None
    #: Print although some characters cannot be printed (they stay blank; every page is marked).
    anyway: bool = False


def choose_options(
    document: str,
    paper: str | None = None,
    landscape: bool | None = None,
    year: int | None = None,
    qr: bool = False,
    roster_id: uuid.UUID | None = None,
    meeting_id: uuid.UUID | None = None,
    draft: bool = False,
) -> PrintOptions:
    """Options with the document's usual paper and orientation where none is given.

    The board is landscape on its A3 and portrait on any other paper unless asked; the member
    register is always landscape (its columns need the width); a roster is portrait unless asked.
    """
    usual_paper, usual_landscape = DEFAULT_PAPER[document]
    paper = (paper or usual_paper).upper()
    if document == MEMBERS:
        landscape = True
    elif landscape is None:
        landscape = usual_landscape and paper == usual_paper
    return PrintOptions(
        document,
        paper,
        bool(landscape),
        year,
        qr,
        roster_id,
        meeting_id,
        draft and document == BOARD,
    )


def render(
    options: PrintOptions,
    data: Any,
    out: BinaryIO,
    progress: ProgressFn | None = None,
    cancelled: threading.Event | None = None,
) -> Rendered:
    """Lay the sheet out as PDF into `out` with the template of `options.document`.

    `cancelled`, once set, stops the layout at the next page with `Cancelled`.
    """

    def report(done: int, total: int) -> None:
        if cancelled is not None and cancelled.is_set():
            raise Cancelled
        if progress is not None:
            progress(done, total)

    if options.anyway:
        from desktop.printing.fonts import printing_anyway

        with printing_anyway() as blank:
            result = _render(options, data, out, report)
        return dataclasses.replace(result, missing_glyphs=tuple(blank))
    return _render(options, data, out, report)


def _render(options: PrintOptions, data: Any, out: BinaryIO, report: ProgressFn) -> Rendered:

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
    if options.document in (ASSESSMENT, SCORE_SHEETS):
        from desktop.printing import assessment

        template = (
            assessment.render_assessment_results
            if options.document == ASSESSMENT
            else assessment.render_blank_sheets
        )
        return template(
            data, out, paper=options.paper, landscape=options.landscape, progress=report
        )
    if options.document in (SIGN_IN, MINUTES, DECISIONS, MEETING_REGISTER):
        from desktop.printing import meetings

        template = {
            SIGN_IN: meetings.render_sign_in_sheet,
            MINUTES: meetings.render_minutes,
            DECISIONS: meetings.render_open_decisions,
            MEETING_REGISTER: meetings.render_meeting_register,
        }[options.document]
        return template(
            data, out, paper=options.paper, landscape=options.landscape, progress=report
        )
    from desktop.printing.roster import render_roster_sheets

    # A month of every team's rosters comes as a list, one roster as itself.
    return render_roster_sheets(
        data if isinstance(data, list) else [data],
        out,
        paper=options.paper,
        landscape=options.landscape,
        progress=report,
    )


def write_pdf(
    path: Path,
    options: PrintOptions,
    data: Any,
    progress: ProgressFn | None = None,
    cancelled: threading.Event | None = None,
) -> Rendered:
    """Render into a temporary file beside `path`, then move it in: no half-written PDF is left,
    whether the layout fails, is cancelled or the disk is full."""
    path = path.expanduser().resolve()
    if not path.parent.is_dir():
        raise UserError(_("The folder {folder} does not exist.").format(folder=path.parent))
    temporary = path.with_name(path.name + ".part")
    try:
        with temporary.open("wb") as out:
            result = render(options, data, out, progress, cancelled)
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UserError(
            _("Could not write {path}: {reason}").format(path=path, reason=error.strerror or error)
        ) from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return result
