# SPDX-License-Identifier: GPL-3.0-or-later
"""The member register (花名册): the whole table, landscape, header repeated on every page.

An internal file copy, not a public sheet: it carries the ID numbers, as the county's form does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from reportlab.lib.enums import TA_CENTER

from desktop.i18n import _, format_date, ngettext
from desktop.models.documents.rows import MemberRegisterData
from desktop.printing import fonts, styles
from desktop.printing.result import Rendered
from desktop.printing.tables import Column, build_table_document


def register_title(data: MemberRegisterData) -> str:
    return _("{branch} member register").format(branch=data.branch_name)


def render_member_register(
    data: MemberRegisterData,
    out: BinaryIO,
    *,
    paper: str = "A4",
    landscape: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Rendered:
    c = TA_CENTER
    # Weights measured at 8 pt so that the ID number, the dates and the phone keep to one line.
    columns = [
        Column(_("Row number"), 4.5, c),
        Column(_("Name"), 6.5, c),
        Column(_("Gender"), 4.5, c),
        Column(_("Ethnicity"), 5, c),
        Column(_("ID number"), 15.5, c),
        Column(_("Birth date"), 9, c),
        Column(_("Education"), 8, c),
        Column(_("Member status"), 7.5, c),
        Column(_("Joined"), 9, c),
        Column(_("Confirmed"), 9, c),
        Column(_("Occupation"), 8, c),
        Column(_("Party group"), 8, c),
        Column(_("Phone"), 9.5, c),
        Column(_("Address"), 17),
        Column(_("Notes"), 9),
    ]
    rows = [
        [
            str(i),
            r.name,
            r.gender,
            r.ethnicity,
            r.id_number,
            r.birth_date,
            r.education,
            r.status,
            r.joined_on,
            r.confirmed_on,
            r.occupation,
            r.party_group,
            r.phone,
            r.address,
            r.notes,
        ]
        for i, r in enumerate(data.rows, start=1)
    ]
    fonts.check(
        [(_("The branch"), data.branch_name)]
        + [(r.name, "".join(row)) for r, row in zip(data.rows, rows, strict=True)]
    )
    size = 8.0 if paper.upper() == "A4" else 10.0
    subtitle = "　".join(
        [
            ngettext("{n} member", "{n} members", len(rows)).format(n=len(rows)),
            _("As of {date}").format(date=format_date(data.printed_on)),
        ]
    )
    pages = build_table_document(
        out,
        title=register_title(data),
        subtitle_lines=[subtitle],
        columns=columns,
        rows=rows,
        pagesize=styles.page_size(paper, landscape),
        footer_left=_("{branch} · printed on {date}").format(
            branch=data.branch_name, date=format_date(data.printed_on)
        ),
        font_size=size,
        progress=progress,
    )
    return Rendered(pages=pages)
