# SPDX-License-Identifier: GPL-3.0-or-later
"""Field-level validation rules: pure functions that say what is wrong, in words a clerk can act on.

Each `*_problem` function returns None when the value is acceptable, or an English message marked
with `N_`; the caller translates it with `_()` where it is shown. Messages carry no placeholders,
so `_(message)` is all the caller needs. No Qt and no database here.
"""

from __future__ import annotations

import functools
import operator
import re
from datetime import date

from desktop.i18n import N_

# --- Messages ------------------------------------------------------------------------------------

MSG_ID_REQUIRED = N_("Enter the ID number: it is required for every party member.")
MSG_ID_LENGTH = N_("The ID number must have 18 characters: 17 digits and a final digit or X.")
MSG_ID_SPREADSHEET = N_(
    "The ID number looks like a spreadsheet turned it into a number such as 3.2E+17: "
    "format the column as text and copy the number again."
)
MSG_ID_CHARACTERS = N_(
    "The first 17 characters of the ID number must be digits and the last a digit or X."
)
MSG_ID_REGION = N_(
    "The ID number does not start with a valid province code: check the first two digits."
)
MSG_ID_BIRTH_INVALID = N_(
    "The birth date in the ID number (characters 7 to 14) is not a real date: "
    "check the number again."
)
MSG_ID_BIRTH_FUTURE = N_(
    "The birth date in the ID number (characters 7 to 14) is in the future: check the number again."
)
MSG_ID_BIRTH_TOO_EARLY = N_(
    "The birth date in the ID number (characters 7 to 14) is before 1900: check the number again."
)
MSG_ID_CHECK = N_(
    "The last character of the ID number does not match: "
    "check the number again; a typing mistake is likely."
)

MSG_PHONE_INVALID = N_(
    "The phone number is not valid: enter an 11-digit mobile number such as 138 1234 5678, "
    "or a landline with its area code such as 0731-84561234."
)
MSG_PHONE_NEEDS_AREA_CODE = N_(
    "The landline number has no area code: add it in front, such as 0731-84561234."
)

MSG_NAME_REQUIRED = N_("Enter the name.")
MSG_NAME_TOO_LONG = N_("The name is too long: use at most 30 characters.")
MSG_NAME_DIGITS = N_("The name must not contain digits: check what was typed.")
MSG_NAME_CHARACTERS = N_(
    "The name may contain only Chinese characters, letters, spaces and the middle dot (·)."
)

MSG_BIRTH_FUTURE = N_("The birth date is in the future: check the date.")
MSG_JOINED_REQUIRED = N_("Enter the date the member joined the party.")
MSG_JOINED_FUTURE = N_("The date of joining the party is in the future: check the date.")
MSG_JOINED_BEFORE_FOUNDING = N_(
    "The date of joining the party is before the party was founded in 1921: check the year."
)
MSG_JOINED_UNDER_18 = N_(
    "The member was not yet 18 on the date of joining the party: "
    "check the date of joining and the birth date."
)
MSG_PROBATION_OVERDUE = N_(
    "The probation looks overdue: it lasts one year and may be extended once by at most a year. "
    "Check the status; if the member has been confirmed, enter the date of confirmation."
)
MSG_CONFIRMED_NOT_PROBATIONARY = N_(
    "A probationary member has no date of confirmation yet: clear the date, "
    "or change the status to full member."
)
MSG_CONFIRMED_REQUIRED = N_(
    "Enter the date the member became a full member (the end of probation)."
)
MSG_CONFIRMED_NOT_AFTER_JOINED = N_(
    "The date of becoming a full member must be after the date of joining the party: "
    "check both dates."
)
MSG_CONFIRMED_FUTURE = N_("The date of becoming a full member is in the future: check the date.")
MSG_STATUS_UNKNOWN = N_("Choose the status: full member or probationary member.")
MSG_BIRTH_NOT_ID = N_("The birth date does not match the ID number.")
MSG_GENDER_NOT_ID = N_("The gender does not match the ID number.")
MSG_CHOOSE_GENDER = N_("Choose the gender.")
MSG_CHOOSE_ETHNICITY = N_("Choose the ethnicity.")
MSG_CHOOSE_EDUCATION = N_("Choose the education.")
MSG_CHOOSE_POST = N_("Choose the post.")
MSG_CHOOSE_CATEGORY = N_("Choose the category.")
MSG_CHOOSE_STANDING = N_("Choose the membership status.")
MSG_LOST_CONTACT_ON_REQUIRED = N_("Enter the date contact was lost.")
MSG_LOST_CONTACT_ON_FUTURE = N_("The date contact was lost cannot be in the future.")
MSG_FLOATING_TO_REQUIRED = N_("Enter where the member has gone (province, city, county).")
MSG_NO_PARTY_GROUP = N_("This party group no longer exists. Choose another.")
MSG_NO_VILLAGER_GROUP = N_("This villager group no longer exists. Choose another.")

# --- Resident ID numbers (GB 11643-1999) ---------------------------------------------------------

#: First two digits of the region code: provinces, plus 71 Taiwan, 81 Hong Kong, 82 Macao,
#: 83 the national code for residence permits, 91 reserved for overseas Chinese.
PROVINCE_CODES: frozenset[str] = frozenset(
    [str(n) for n in range(11, 16)]
    + [str(n) for n in range(21, 24)]
    + [str(n) for n in range(31, 38)]
    + [str(n) for n in range(41, 47)]
    + [str(n) for n in range(50, 55)]
    + [str(n) for n in range(61, 66)]
    + ["71", "81", "82", "83", "91"]
)
ID_LENGTH = 18
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)
_PARTY_FOUNDED = date(1921, 7, 1)
_ADULT_AGE = 18
#: Probation is one year, extendable once by at most one year.
_LONGEST_PROBATION_YEARS = 2

# Full-width forms (U+FF01..U+FF5E) map to ASCII by a fixed offset; U+3000 is the ideographic space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FULL_WIDTH_CHAR = re.compile("[\uff01-\uff5e\u3000]")
_SCIENTIFIC = re.compile(r"\d(\.\d+)?E\+?\d+")


def to_half_width(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII: Chinese IMEs often type them."""
    # Looked for first: most text has none, and `translate` looks up every character in a
    # dict (an import normalises about 20 texts a row: #22).
    if text.isascii() or _FULL_WIDTH_CHAR.search(text) is None:
        return text
    return text.translate(_FULL_WIDTH)


def normalize_id_number(text: str) -> str:
    """The ID number as it is stored: ASCII, no spaces, a capital X.

    Clerks copy numbers from scans, WeChat and spreadsheets, so spaces and full-width characters
    are common and carry no meaning.
    """
    return "".join(to_half_width(text).split()).upper()


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    if len(first17) != len(_ID_WEIGHTS):
        raise ValueError(f"an ID number's check character needs 17 digits, got {first17!r}")
    total = sum(map(operator.mul, map(int, first17), _ID_WEIGHTS))
    return _ID_CHECK_CHARS[total % 11]


def _embedded_birth_date(id_number: str) -> date | None:
    """The birth date in characters 7-14, or None when it is not a real date."""
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


# Remembered: an import asks about each row's number four times (is it a total row, then
# `normalize`, the number's gender and birth date, the rules); one check answers them (#22).
@functools.lru_cache(maxsize=1024)
def id_number_problem(id_number: str, today: date) -> str | None:
    """Why the ID number is not a valid 18-character resident ID, or None when it is.

    Checks run from the coarsest to the finest, so the message names the first thing to fix.
    """
    number = normalize_id_number(id_number)
    if not number:
        return MSG_ID_REQUIRED
    if _SCIENTIFIC.fullmatch(number):
        return MSG_ID_SPREADSHEET
    if len(number) != 18:
        return MSG_ID_LENGTH
    if not (number[:17].isascii() and number[:17].isdigit()) or number[17] not in "0123456789X":
        return MSG_ID_CHARACTERS
    if number[:2] not in PROVINCE_CODES:
        return MSG_ID_REGION
    birth = _embedded_birth_date(number)
    if birth is None:
        return MSG_ID_BIRTH_INVALID
    if birth > today:
        return MSG_ID_BIRTH_FUTURE
    if birth < _EARLIEST_BIRTH:
        return MSG_ID_BIRTH_TOO_EARLY
    if id_check_char(number[:17]) != number[17]:
        return MSG_ID_CHECK
    return None


def birth_date_from_id(id_number: str) -> date:
    """The birth date an ID number encodes; the number must be valid."""
    number = normalize_id_number(id_number)
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from_id(id_number: str) -> str:
    """'male' or 'female' from the 17th digit (odd is male); the number must be valid."""
    return "male" if int(normalize_id_number(id_number)[16]) % 2 else "female"


def make_id_number(region: str, birth: date, sequence: int) -> str:
    """A valid ID number for a 6-digit region code, a birth date and a sequence 0-999.

    The last digit of the sequence sets the gender (odd is male). Used by the demo data and tests.
    """
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if not 0 <= sequence <= 999:
        raise ValueError(f"sequence must be 0-999, got {sequence}")
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_char(first17)


# --- Phone numbers -------------------------------------------------------------------------------

_MOBILE = re.compile(r"(?:\+86|0086|86)?(1[3-9]\d{9})")
# Area codes 010 and 020-029 have three digits; all others have four (0731, 0512 ...).
# The local number may be split before its last four digits (0731-8456 1234).
_LANDLINE = re.compile(r"\(?(0[12]\d|0[3-9]\d{2})\)?[- ]?([2-9]\d{2,3}[- ]?\d{4})(?:-(\d{1,6}))?")
_LOCAL_ONLY = re.compile(r"[2-9]\d{6,7}")


def _clean_phone(phone: str) -> str:
    """ASCII, trimmed, with runs of spaces collapsed to one."""
    return " ".join(to_half_width(phone).split())


def _parse_phone(phone: str) -> str | None:
    """The stored form of a valid phone number, or None when it is not one."""
    text = _clean_phone(phone)
    mobile = _MOBILE.fullmatch(re.sub(r"[ -]", "", text))
    if mobile:
        return mobile.group(1)
    landline = _LANDLINE.fullmatch(text)
    if landline:
        area, number, extension = landline.groups()
        number = re.sub(r"[ -]", "", number)
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    return None


def phone_problem(phone: str) -> str | None:
    """Why the phone number is not a mainland mobile or landline, or None; empty is allowed."""
    text = _clean_phone(phone)
    if not text or _parse_phone(text) is not None:
        return None
    if _LOCAL_ONLY.fullmatch(re.sub(r"[ -]", "", text)):
        return MSG_PHONE_NEEDS_AREA_CODE
    return MSG_PHONE_INVALID


def normalize_phone(phone: str) -> str:
    """The stored form: '13812345678' for mobiles, '0731-84561234' for landlines.

    One form per number lets searches and duplicate checks compare strings. Input that is not
    a valid number comes back trimmed but otherwise unchanged, so nothing the user typed is lost.
    """
    parsed = _parse_phone(phone)
    return parsed if parsed is not None else _clean_phone(phone)


# --- Names ---------------------------------------------------------------------------------------

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_PADDING = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


def normalize_name(name: str) -> str:
    """A name as stored: half-width, trimmed, without the spaces that pad a Chinese name
    (程 华, 程  华 and 程华 are one name); spaces between Latin words stay single."""
    return _PADDING.sub("", " ".join(to_half_width(name).split()))


NAME_MAX_LENGTH = 30
_NAME_PUNCTUATION = frozenset("· ")


def name_problem(name: str) -> str | None:
    """Why a person's name is not acceptable, or None.

    Minority names such as 买买提·艾力 use the middle dot; digits are always a typing mistake.
    """
    text = name.strip()
    if not text:
        return MSG_NAME_REQUIRED
    if len(text) > NAME_MAX_LENGTH:
        return MSG_NAME_TOO_LONG
    if text.isalpha():
        return None  # the usual name, at once (no character is both a letter and a digit)
    if any(ch.isdigit() for ch in text):
        return MSG_NAME_DIGITS
    if not all(ch.isalpha() or ch in _NAME_PUNCTUATION for ch in text):
        return MSG_NAME_CHARACTERS
    if not any(ch.isalpha() for ch in text):
        return MSG_NAME_CHARACTERS
    return None


# --- Membership dates ----------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _joined_on_problem(
    birth_date: date | None, joined_on: date | None, status: str, today: date
) -> str | None:
    """The first problem with the date of joining the party, or None."""
    if joined_on is None:
        return MSG_JOINED_REQUIRED
    if joined_on > today:
        return MSG_JOINED_FUTURE
    if joined_on < _PARTY_FOUNDED:
        return MSG_JOINED_BEFORE_FOUNDING
    if birth_date is not None and joined_on < add_years(birth_date, _ADULT_AGE):
        return MSG_JOINED_UNDER_18
    return None


def probation_overdue(joined_on: date | None, status: str, today: date) -> bool:
    """A probationary member who joined more than two years ago: a warning, never an error.

    The member is still probationary until the branch confirms them, so the register must be
    able to hold them (a roster brings such members in); the clerk is told to check.
    """
    return (
        status == "probationary"
        and joined_on is not None
        and today > add_years(joined_on, _LONGEST_PROBATION_YEARS)
    )


def _confirmed_on_problem(
    joined_on: date | None, confirmed_on: date | None, status: str, today: date
) -> str | None:
    """The first problem with the date of becoming a full member, or None."""
    if status == "probationary":
        return MSG_CONFIRMED_NOT_PROBATIONARY if confirmed_on is not None else None
    if confirmed_on is None:
        return MSG_CONFIRMED_REQUIRED
    if joined_on is not None and confirmed_on <= joined_on:
        return MSG_CONFIRMED_NOT_AFTER_JOINED
    if confirmed_on > today:
        return MSG_CONFIRMED_FUTURE
    return None


def member_date_problems(
    birth_date: date | None,
    joined_on: date | None,
    confirmed_on: date | None,
    status: str,
    today: date,
) -> dict[str, str]:
    """Problems with a member's dates, keyed by field name; empty when all is well.

    Keys are 'birth_date', 'joined_on', 'confirmed_on' and, for a status other than
    'full' or 'probationary', 'status'. Each field gets at most one message: the first to fix.
    """
    problems: dict[str, str] = {}
    if birth_date is not None and birth_date > today:
        problems["birth_date"] = MSG_BIRTH_FUTURE
    if status not in ("full", "probationary"):
        problems["status"] = MSG_STATUS_UNKNOWN
    joined = _joined_on_problem(birth_date, joined_on, status, today)
    if joined is not None:
        problems["joined_on"] = joined
    if status in ("full", "probationary"):
        confirmed = _confirmed_on_problem(joined_on, confirmed_on, status, today)
        if confirmed is not None:
            problems["confirmed_on"] = confirmed
    return problems
