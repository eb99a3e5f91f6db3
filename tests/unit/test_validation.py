# SPDX-License-Identifier: GPL-3.0-or-later
"""Field-level validation rules: ID numbers, phones, names and membership dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.models.register import validation as v
from desktop.models.register.validation import (
    add_years,
    birth_date_from_id,
    gender_from_id,
    id_check_char,
    id_number_problem,
    make_id_number,
    member_date_problems,
    name_problem,
    normalize_id_number,
    normalize_phone,
    phone_problem,
)

TODAY = date(2026, 11, 23)

# Worked by hand with the MOD 11-2 weights; the first is the example printed in GB 11643-1999.
KNOWN_VALID_IDS = [
    "11010519491231002X",  # Beijing, 1949-12-31, female, check X
    "430121198005061237",  # the demo county, 1980-05-06, male
    "440305199910010015",  # Shenzhen, 1999-10-01, male
    "510107200002290029",  # Chengdu, a leap day, female
]


# --- ID numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("number", KNOWN_VALID_IDS)
def test_known_valid_ids_pass(number: str) -> None:
    assert id_number_problem(number, TODAY) is None


def test_known_ids_decode_birth_and_gender() -> None:
    assert birth_date_from_id("11010519491231002X") == date(1949, 12, 31)
    assert gender_from_id("11010519491231002X") == "female"
    assert birth_date_from_id("430121198005061237") == date(1980, 5, 6)
    assert gender_from_id("430121198005061237") == "male"
    assert birth_date_from_id("510107200002290027") == date(2000, 2, 29)


def test_check_char_matches_hand_computation() -> None:
    # Weighted sum of 11010519491231002 is 167; 167 % 11 == 2, which maps to 'X'.
    assert id_check_char("11010519491231002") == "X"
    assert id_check_char("43012119800506123") == "7"


def test_make_id_number_builds_the_known_examples() -> None:
    assert make_id_number("110105", date(1949, 12, 31), 2) == "11010519491231002X"
    assert make_id_number("430121", date(1980, 5, 6), 123) == "430121198005061237"


@pytest.mark.parametrize(
    ("region", "sequence"), [("43012", 1), ("43012a", 1), ("430121", -1), ("430121", 1000)]
)
def test_make_id_number_rejects_bad_arguments(region: str, sequence: int) -> None:
    with pytest.raises(ValueError):
        make_id_number(region, date(1980, 1, 1), sequence)


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
    region=st.sampled_from(["430121", "110105", "440305", "650102", "810000"]),
)
def test_make_id_number_is_valid_and_round_trips(birth: date, sequence: int, region: str) -> None:
    number = make_id_number(region, birth, sequence)
    assert len(number) == 18
    assert id_number_problem(number, TODAY) is None
    assert birth_date_from_id(number) == birth
    assert gender_from_id(number) == ("male" if sequence % 2 else "female")


_VALID_ID = st.builds(
    make_id_number,
    st.sampled_from(["430121", "110105", "320106", "530102"]),
    st.dates(min_value=date(1930, 1, 1), max_value=date(2005, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


@given(number=_VALID_ID, data=st.data())
def test_changing_any_one_character_invalidates_the_id(number: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(min_value=0, max_value=17), label="position")
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(
        st.sampled_from([c for c in alphabet if c != number[position]]), label="replacement"
    )
    corrupted = number[:position] + replacement + number[position + 1 :]
    assert id_number_problem(corrupted, TODAY) is not None


@pytest.mark.parametrize("position", range(17))
def test_each_digit_change_of_a_fixed_id_is_caught(position: int) -> None:
    number = "430121198005061237"
    for digit in "0123456789":
        if digit == number[position]:
            continue
        corrupted = number[:position] + digit + number[position + 1 :]
        assert id_number_problem(corrupted, TODAY) is not None, corrupted


def test_swapped_digits_fail_the_check_digit() -> None:
    # 0506 → 0605 is still a real date, so only the check character can catch it.
    assert id_number_problem("430121198006051237", TODAY) == v.MSG_ID_CHECK


def test_wrong_check_digit_gives_the_typing_mistake_message() -> None:
    message = id_number_problem("110105194912310021", TODAY)
    assert message == v.MSG_ID_CHECK
    assert "typing mistake" in message


def test_trailing_lowercase_x_is_normalised_and_accepted() -> None:
    assert normalize_id_number("11010519491231002x") == "11010519491231002X"
    assert id_number_problem("11010519491231002x", TODAY) is None
    assert gender_from_id("11010519491231002x") == "female"


def test_full_width_and_spaced_input_is_normalised() -> None:
    full_width = "１１０１０５　１９４９１２３１　００２ｘ"
    assert normalize_id_number(full_width) == "11010519491231002X"
    assert id_number_problem(full_width, TODAY) is None
    assert normalize_id_number(" 430121 19800506 1237 ") == "430121198005061237"
    assert normalize_id_number("１２３") == "123"


def test_full_width_characters_among_chinese_text_are_made_half_width() -> None:
    assert v.to_half_width("红星村３组　１２号（东）") == "红星村3组 12号(东)"
    assert v.to_half_width("红星村3组12号") == "红星村3组12号"
    assert v.to_half_width("ＡＢｃ") == "ABc"
    assert v.to_half_width("13812345678") == "13812345678"


def test_an_id_number_is_judged_on_the_day_asked() -> None:
    # Born tomorrow: wrong today, right tomorrow (an answer kept for the first day must not
    # serve the second).
    number = make_id_number("430121", TODAY + timedelta(days=1), 123)
    assert id_number_problem(number, TODAY) == v.MSG_ID_BIRTH_FUTURE
    assert id_number_problem(number, TODAY + timedelta(days=1)) is None
    assert id_number_problem(number, TODAY) == v.MSG_ID_BIRTH_FUTURE


@pytest.mark.parametrize("digits", ["4301211980050612", "430121198005061237", ""])
def test_the_check_char_needs_exactly_17_digits(digits: str) -> None:
    with pytest.raises(ValueError):
        id_check_char(digits)


def test_empty_id_is_required() -> None:
    assert id_number_problem("", TODAY) == v.MSG_ID_REQUIRED
    assert id_number_problem("   ", TODAY) == v.MSG_ID_REQUIRED


def test_old_15_digit_id_gets_the_length_message() -> None:
    assert id_number_problem("110105491231002", TODAY) == v.MSG_ID_LENGTH


@pytest.mark.parametrize("number", ["4301211980050612", "4301211980050612370"])
def test_wrong_length_gets_the_length_message(number: str) -> None:
    assert id_number_problem(number, TODAY) == v.MSG_ID_LENGTH


@pytest.mark.parametrize("number", ["3.20106E+17", "4.30121E17", "3.2e+17"])
def test_scientific_notation_from_a_spreadsheet_is_rejected(number: str) -> None:
    assert id_number_problem(number, TODAY) == v.MSG_ID_SPREADSHEET


@pytest.mark.parametrize(
    "number", ["43012119800506123A", "4301211980O5061237", "X30121198005061237"]
)
def test_letters_in_the_wrong_place_are_rejected(number: str) -> None:
    assert id_number_problem(number, TODAY) == v.MSG_ID_CHARACTERS


@pytest.mark.parametrize("region", ["000000", "100000", "160000", "390000", "900000", "990000"])
def test_invalid_province_codes_are_rejected(region: str) -> None:
    number = make_id_number(region, date(1980, 5, 6), 123)
    assert id_number_problem(number, TODAY) == v.MSG_ID_REGION


@pytest.mark.parametrize("region", ["110000", "150000", "710000", "810000", "820000", "830000"])
def test_edge_province_codes_are_accepted(region: str) -> None:
    assert id_number_problem(make_id_number(region, date(1980, 5, 6), 123), TODAY) is None


def _with_birth_digits(birth: str) -> str:
    """An ID number whose birth digits are `birth` and whose check character is right."""
    first17 = f"430121{birth}123"
    return first17 + id_check_char(first17)


@pytest.mark.parametrize("birth", ["19800230", "19810229", "19801301", "19800001", "19800500"])
def test_impossible_birth_dates_are_rejected(birth: str) -> None:
    assert id_number_problem(_with_birth_digits(birth), TODAY) == v.MSG_ID_BIRTH_INVALID


def test_leap_day_birth_is_accepted() -> None:
    assert id_number_problem(_with_birth_digits("19800229"), TODAY) is None


def test_future_birth_date_is_rejected() -> None:
    number = make_id_number("430121", TODAY + timedelta(days=1), 123)
    assert id_number_problem(number, TODAY) == v.MSG_ID_BIRTH_FUTURE
    assert id_number_problem(make_id_number("430121", TODAY, 123), TODAY) is None


def test_birth_before_1900_is_rejected() -> None:
    number = make_id_number("430121", date(1899, 12, 31), 123)
    assert id_number_problem(number, TODAY) == v.MSG_ID_BIRTH_TOO_EARLY
    assert id_number_problem(make_id_number("430121", date(1900, 1, 1), 123), TODAY) is None


def test_id_messages_are_distinct_sentences() -> None:
    messages = [
        v.MSG_ID_REQUIRED,
        v.MSG_ID_LENGTH,
        v.MSG_ID_SPREADSHEET,
        v.MSG_ID_CHARACTERS,
        v.MSG_ID_REGION,
        v.MSG_ID_BIRTH_INVALID,
        v.MSG_ID_BIRTH_FUTURE,
        v.MSG_ID_BIRTH_TOO_EARLY,
        v.MSG_ID_CHECK,
    ]
    assert len(set(messages)) == len(messages)
    assert all(m.endswith(".") and "%" not in m for m in messages)


# --- Phones --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+86-13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0086 199 0731 0000", "19907310000"),
        ("１５９１２３４５６７８", "15912345678"),
        ("  18673112345 ", "18673112345"),
    ],
)
def test_valid_mobiles_are_accepted_and_stored_without_separators(raw: str, stored: str) -> None:
    assert phone_problem(raw) is None
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("0731-84561234", "0731-84561234"),
        ("0731 84561234", "0731-84561234"),
        ("073184561234", "0731-84561234"),
        ("0731-8456 1234", "0731-84561234"),
        ("(0731)84561234", "0731-84561234"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("0512-6234567", "0512-6234567"),
        ("0731-84561234-123", "0731-84561234-123"),
    ],
)
def test_valid_landlines_are_stored_as_area_dash_number(raw: str, stored: str) -> None:
    assert phone_problem(raw) is None
    assert normalize_phone(raw) == stored


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_phone_is_allowed(raw: str) -> None:
    assert phone_problem(raw) is None
    assert normalize_phone(raw) == ""


@pytest.mark.parametrize(
    "raw",
    [
        "1381234567",  # 10 digits
        "138123456789",  # 12 digits
        "12812345678",  # no mobile prefix starts 12
        "11812345678",
        "138abcd5678",
        "phone",
        "+1 415 555 0100",
        "0731-845612",  # local part too short
        "0731-845612345",  # local part too long
        "0731-04561234",  # local numbers never start with 0
    ],
)
def test_invalid_phones_are_rejected(raw: str) -> None:
    assert phone_problem(raw) == v.MSG_PHONE_INVALID


def test_invalid_phone_is_kept_as_typed() -> None:
    assert normalize_phone(" 138abcd5678 ") == "138abcd5678"


@pytest.mark.parametrize("raw", ["84561234", "8456-1234", "6234567"])
def test_landline_without_area_code_asks_for_it(raw: str) -> None:
    assert phone_problem(raw) == v.MSG_PHONE_NEEDS_AREA_CODE


# --- Names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["刘建国", "周秀英", "李", "欧阳春花", "买买提·艾力", "John Smith", "  彭丽娟  ", "𠮷祥"],
)
def test_acceptable_names(name: str) -> None:
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["", "   ", "\u3000"])
def test_name_is_required(name: str) -> None:
    assert name_problem(name) == v.MSG_NAME_REQUIRED


def test_name_length_limit_is_30_after_trimming() -> None:
    assert name_problem("刘" * 30) is None
    assert name_problem("  " + "刘" * 30 + "  ") is None
    assert name_problem("刘" * 31) == v.MSG_NAME_TOO_LONG


@pytest.mark.parametrize("name", ["刘建国2", "李1", "周秀英１"])
def test_names_with_digits_are_rejected(name: str) -> None:
    assert name_problem(name) == v.MSG_NAME_DIGITS


@pytest.mark.parametrize("name", ["刘建国!", "李@华", "周-秀英", "·", "王_五", "陈，明"])
def test_names_with_other_characters_are_rejected(name: str) -> None:
    assert name_problem(name) == v.MSG_NAME_CHARACTERS


# --- Membership dates ----------------------------------------------------------------------------

BIRTH = date(1980, 5, 6)
EIGHTEENTH = date(1998, 5, 6)


def test_add_years_keeps_the_day_and_moves_leap_days_to_march() -> None:
    assert add_years(date(1980, 5, 6), 18) == date(1998, 5, 6)
    assert add_years(date(2000, 2, 29), 18) == date(2018, 3, 1)
    assert add_years(date(2000, 2, 29), 4) == date(2004, 2, 29)


def test_a_normal_full_member_has_no_problems() -> None:
    assert member_date_problems(BIRTH, date(2005, 7, 1), date(2006, 7, 1), "full", TODAY) == {}


def test_a_recent_probationary_member_has_no_problems() -> None:
    assert member_date_problems(BIRTH, date(2026, 6, 1), None, "probationary", TODAY) == {}


def test_all_dates_may_be_missing_except_joined() -> None:
    assert member_date_problems(None, None, None, "probationary", TODAY) == {
        "joined_on": v.MSG_JOINED_REQUIRED
    }


def test_joining_on_the_18th_birthday_is_accepted() -> None:
    problems = member_date_problems(BIRTH, EIGHTEENTH, add_years(EIGHTEENTH, 1), "full", TODAY)
    assert problems == {}


def test_joining_the_day_before_the_18th_birthday_is_rejected() -> None:
    joined = EIGHTEENTH - timedelta(days=1)
    problems = member_date_problems(BIRTH, joined, add_years(joined, 1), "full", TODAY)
    assert problems == {"joined_on": v.MSG_JOINED_UNDER_18}


def test_leap_day_birth_turns_18_on_1_march() -> None:
    leap = date(2000, 2, 29)
    ok = member_date_problems(leap, date(2018, 3, 1), date(2019, 3, 1), "full", TODAY)
    early = member_date_problems(leap, date(2018, 2, 28), date(2019, 3, 1), "full", TODAY)
    assert ok == {}
    assert early == {"joined_on": v.MSG_JOINED_UNDER_18}


def test_age_is_not_checked_without_a_birth_date() -> None:
    assert member_date_problems(None, date(2005, 7, 1), date(2006, 7, 1), "full", TODAY) == {}


def test_joined_in_the_future_is_rejected() -> None:
    problems = member_date_problems(BIRTH, TODAY + timedelta(days=1), None, "probationary", TODAY)
    assert problems == {"joined_on": v.MSG_JOINED_FUTURE}
    assert member_date_problems(BIRTH, TODAY, None, "probationary", TODAY) == {}


def test_joined_before_the_party_existed_is_rejected() -> None:
    problems = member_date_problems(None, date(1901, 7, 1), date(1902, 7, 1), "full", TODAY)
    assert problems == {"joined_on": v.MSG_JOINED_BEFORE_FOUNDING}


def test_future_birth_date_is_reported_on_its_own_key() -> None:
    problems = member_date_problems(
        TODAY + timedelta(days=1), date(2005, 7, 1), date(2006, 7, 1), "full", TODAY
    )
    assert problems["birth_date"] == v.MSG_BIRTH_FUTURE


def test_probationary_member_with_confirmation_date_is_rejected() -> None:
    problems = member_date_problems(
        BIRTH, date(2026, 1, 5), date(2026, 6, 1), "probationary", TODAY
    )
    assert problems == {"confirmed_on": v.MSG_CONFIRMED_NOT_PROBATIONARY}


def test_probation_of_exactly_two_years_is_still_accepted() -> None:
    joined = add_years(TODAY, -2)
    assert member_date_problems(BIRTH, joined, None, "probationary", TODAY) == {}


def test_probation_over_two_years_looks_overdue_a_warning_not_a_problem() -> None:
    joined = add_years(TODAY, -2) - timedelta(days=1)
    assert member_date_problems(BIRTH, joined, None, "probationary", TODAY) == {}
    assert v.probation_overdue(joined, "probationary", TODAY)
    assert not v.probation_overdue(joined + timedelta(days=1), "probationary", TODAY)
    assert not v.probation_overdue(joined, "full", TODAY)


def test_full_member_needs_a_confirmation_date() -> None:
    problems = member_date_problems(BIRTH, date(2005, 7, 1), None, "full", TODAY)
    assert problems == {"confirmed_on": v.MSG_CONFIRMED_REQUIRED}


@pytest.mark.parametrize("confirmed", [date(2005, 7, 1), date(2005, 6, 30)])
def test_confirmation_must_be_strictly_after_joining(confirmed: date) -> None:
    problems = member_date_problems(BIRTH, date(2005, 7, 1), confirmed, "full", TODAY)
    assert problems == {"confirmed_on": v.MSG_CONFIRMED_NOT_AFTER_JOINED}


def test_confirmation_one_day_after_joining_is_accepted() -> None:
    assert member_date_problems(BIRTH, date(2005, 7, 1), date(2005, 7, 2), "full", TODAY) == {}


def test_confirmation_in_the_future_is_rejected() -> None:
    joined = date(2026, 1, 5)
    problems = member_date_problems(BIRTH, joined, TODAY + timedelta(days=1), "full", TODAY)
    assert problems == {"confirmed_on": v.MSG_CONFIRMED_FUTURE}
    assert member_date_problems(BIRTH, joined, TODAY, "full", TODAY) == {}


def test_an_old_full_member_is_not_overdue() -> None:
    # The overdue rule is for probationary members only.
    assert member_date_problems(BIRTH, date(2000, 7, 1), date(2001, 7, 1), "full", TODAY) == {}


def test_unknown_status_is_reported() -> None:
    problems = member_date_problems(BIRTH, date(2005, 7, 1), date(2006, 7, 1), "expelled", TODAY)
    assert problems == {"status": v.MSG_STATUS_UNKNOWN}


def test_several_problems_are_reported_together() -> None:
    problems = member_date_problems(BIRTH, date(1990, 1, 1), date(1989, 1, 1), "full", TODAY)
    assert problems == {
        "joined_on": v.MSG_JOINED_UNDER_18,
        "confirmed_on": v.MSG_CONFIRMED_NOT_AFTER_JOINED,
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("程 华", "程华"), ("程  华 ", "程华"), ("　程华", "程华"), ("买买提 · 艾力", "买买提·艾力"),
     ("John  Smith", "John Smith")],
)  # fmt: skip
def test_a_padded_chinese_name_is_one_name(typed: str, stored: str) -> None:
    assert v.normalize_name(typed) == stored
