# SPDX-License-Identifier: GPL-3.0-or-later
"""Cell values as spreadsheets leave them: what only a spreadsheet does to ID numbers and flags.

Member values (dates, labels for codes, yes/no, group numbers) are read by the one parser in
`desktop.models.register.values`, which the command line uses too; its names are available
here as well, so the import reads every cell through this module.
"""

from __future__ import annotations

import re

from desktop.i18n import N_
from desktop.models.register.values import (
    BOOL_FIELDS,
    CHOICE_FIELDS,
    CHOICE_WORDS,
    DATE_FIELDS,
    MSG_CHOICE_UNKNOWN,
    MSG_DATE_TEN_OR_ONE,
    MSG_DATE_UNREADABLE,
    MSG_DATE_YEAR_ONLY,
    Cell,
    CellProblem,
    answer_words,
    bool_cell,
    cell_text,
    chinese_numeral,
    choice_cell,
    clean_text,
    date_cell,
    date_cell_precise,
    group_number,
    is_blank,
    is_number,
    member_value,
)

__all__ = [
    "BOOL_FIELDS",
    "CHOICE_FIELDS",
    "CHOICE_WORDS",
    "DATE_FIELDS",
    "MSG_CHOICE_UNKNOWN",
    "MSG_DATE_TEN_OR_ONE",
    "MSG_DATE_UNREADABLE",
    "MSG_DATE_YEAR_ONLY",
    "MSG_FLAG_UNKNOWN",
    "MSG_ID_NUMERIC",
    "MSG_ID_ZEROED",
    "Cell",
    "CellProblem",
    "answer_words",
    "bool_cell",
    "cell_text",
    "chinese_numeral",
    "choice_cell",
    "clean_text",
    "date_cell",
    "date_cell_precise",
    "flag_cell",
    "group_number",
    "id_number_cell",
    "is_blank",
    "is_number",
    "member_value",
    "shown_number",
]

MSG_ID_NUMERIC = N_(
    "The ID number is stored as a number ({shown}), so the spreadsheet may have changed its "
    "last digits: format the column as text, type the number again from the ID card, "
    "then import again."
)
MSG_ID_ZEROED = N_(
    "The ID number ends in 000, as ID numbers do after a spreadsheet damaged them: "
    "compare it with the ID card."
)


def shown_number(value: float | int) -> str:
    """A number as Excel's General format shows it: 3.20106E+17 once it has over 11 digits."""
    if abs(value) >= 1e11:
        mantissa, exponent = f"{value:.5E}".split("E")
        return f"{mantissa.rstrip('0').rstrip('.')}E+{int(exponent):02d}"
    return cell_text(value)


# ----------------------------------------------------------------------------- ID numbers


def id_number_cell(value: Cell) -> str:
    """The ID number a cell holds; a number cell is refused, as its digits cannot be trusted.

    A spreadsheet keeps 15 significant digits, so an 18-digit ID number typed into a number cell
    has already lost its last three (shown as 3.20106E+17). The check digit would catch most of
    these, but not one in eleven, so the importer never takes an ID number from a number cell.
    """
    if is_number(value):
        raise CellProblem(MSG_ID_NUMERIC, shown=shown_number(value))
    text = cell_text(value).strip()
    # Tricks people use to keep a spreadsheet from turning the number into 3.2E+17: a leading
    # apostrophe ('320106…) and a formula wrapper (="320106…"), as CSV files carry them.
    wrapped = _FORMULA_TEXT.fullmatch(text)
    if wrapped:
        return wrapped[1]
    return text[1:] if text.startswith(("'", "‘", "’")) else text


_FORMULA_TEXT = re.compile(r'="([^"]*)"')


# ----------------------------------------------------------------------------- flags

#: Marks that set a flag column (独居老人, 低保户): a tick, a cross drawn in the box, 是, Y, 1.
_FLAG_YES = {"是", "√", "✓", "✔", "☑", "y", "yes", "1", "x", "有", "true", "t"}
#: Marks that clear it; × (the multiplication sign) is how Chinese forms write "no".
_FLAG_NO = {"否", "×", "✗", "✘", "n", "no", "0", "无", "false", "f", "-", "—", "/"}
MSG_FLAG_UNKNOWN = N_("Cannot read {value}: write 是 (or √, Y, 1) or 否, or leave it blank.")


def flag_cell(value: Cell) -> bool | None:
    """A yes/no column of a household list: True, False, or None for a blank cell.

    An "x" marks the box (a flag column only has marks where it applies); "×" means no.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return value
    text = clean_text(cell_text(value)).casefold()
    if text in _FLAG_YES or text in answer_words("Yes"):
        return True
    if text in _FLAG_NO or text in answer_words("No"):
        return False
    raise CellProblem(MSG_FLAG_UNKNOWN, value=cell_text(value))
