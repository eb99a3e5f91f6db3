# SPDX-License-Identifier: GPL-3.0-or-later
"""Every message a member's or a household's validation and the import can show is translated
(issue 15): each path is driven in English and in Chinese, and a message that comes out the
same in both is a string that bypassed the catalogue (or was never translated)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Callable, Iterator

import pytest

from desktop import i18n
from desktop.models.register import members, validation
from desktop.models.register.rows import MemberDraft
from desktop.models.stewards import households
from desktop.models.stewards.rows import HouseholdDraft
from desktop.tabular import member_import, values
from desktop.tabular.readers import Formula

TODAY = dt.date(2026, 6, 1)
BIRTH = dt.date(1970, 3, 5)
ID = validation.make_id_number("320106", BIRTH, 11)  # a man
GOOD = MemberDraft(
    name="王建国",
    id_number=ID,
    gender="male",
    birth_date=BIRTH,
    joined_on=dt.date(1995, 7, 1),
    confirmed_on=dt.date(1996, 7, 1),
    status="full",
)
PROPER_NAMES: set[str] = set()


def member_cases(clash_id: str) -> list[MemberDraft]:
    early = validation.make_id_number("320106", dt.date(1899, 1, 1), 11)
    young = dataclasses.replace(GOOD, joined_on=dt.date(1985, 1, 1), confirmed_on=None)
    return [
        GOOD.replace(name=""),
        GOOD.replace(name="王" * 31),
        GOOD.replace(name="王3"),
        GOOD.replace(name="王@"),
        GOOD.replace(id_number=""),
        GOOD.replace(id_number="3.20106E+17"),
        GOOD.replace(id_number="3201"),
        GOOD.replace(id_number="32010619700305011A"),
        GOOD.replace(id_number="00" + ID[2:]),
        GOOD.replace(id_number=ID[:10] + "1399" + ID[14:]),
        GOOD.replace(id_number=ID[:6] + "20990101" + ID[14:]),
        GOOD.replace(id_number=early, birth_date=None),
        GOOD.replace(id_number=ID[:17] + ("0" if ID[17] != "0" else "1")),
        GOOD.replace(id_number=clash_id),
        GOOD.replace(birth_date=dt.date(1970, 3, 6)),
        GOOD.replace(gender="female"),
        GOOD.replace(gender="x", id_number="3201"),
        GOOD.replace(ethnicity="x"),
        GOOD.replace(education="x"),
        GOOD.replace(occupation="x"),
        GOOD.replace(status="x"),
        GOOD.replace(standing="x"),
        GOOD.replace(joined_on=None),
        GOOD.replace(
            joined_on=TODAY + dt.timedelta(days=1), confirmed_on=None, status="probationary"
        ),
        GOOD.replace(joined_on=dt.date(1920, 1, 1)),
        young.replace(status="probationary"),
        GOOD.replace(status="probationary", joined_on=dt.date(2026, 1, 1)),
        GOOD.replace(confirmed_on=None),
        GOOD.replace(confirmed_on=dt.date(1995, 7, 1)),
        GOOD.replace(confirmed_on=TODAY + dt.timedelta(days=1)),
        GOOD.replace(id_number="3201", birth_date=TODAY + dt.timedelta(days=1)),
        GOOD.replace(phone="12345"),
        GOOD.replace(phone="84561234"),
        GOOD.replace(lost_contact=True),
        GOOD.replace(lost_contact=True, lost_contact_on=TODAY + dt.timedelta(days=1)),
        GOOD.replace(floating=True),
        GOOD.replace(party_group_id=uuid.uuid4()),
        GOOD.replace(villager_group_id=uuid.uuid4()),
    ]


def household_cases() -> list[HouseholdDraft]:
    good = HouseholdDraft(head_name="张大山", address="红旗村1组1号")
    return [
        good.replace(head_name=""),
        good.replace(phone="12345"),
        good.replace(address="号" * 201),
        good.replace(visit_interval_days=0),
        good.replace(party_group_id=uuid.uuid4()),
        good.replace(villager_group_id=uuid.uuid4()),
        good.replace(head_member_id=uuid.uuid4()),
    ]


CELLS: list[tuple[Callable[[object], object], object]] = [
    (values.date_cell, "2019"),
    (values.date_cell, "sometime"),
    (values.date_cell, 2019.1),
    (lambda v: values.choice_cell("gender", v), "x"),
    (values.id_number_cell, 3.2010619700305e17),
    (values.flag_cell, "maybe"),
    (lambda v: member_import.check_formula(v), Formula('=A1&"x"')),
]


def shown(db, branch, language: str) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """Every message of every path, in `language`."""
    i18n.set_language(language)
    with db.read() as session:
        clash = members.list_members(session, branch.id)[0].id_number
        for draft in member_cases(clash):
            problems = members.validate(session, branch.id, draft, None, TODAY)
            assert problems, draft
            yield from problems.values()
        overdue = GOOD.replace(status="probationary", confirmed_on=None)
        yield from members.warnings(overdue, TODAY).values()
        for hdraft in household_cases():
            problems = households.validate_household(session, branch.id, hdraft)
            assert problems, hdraft
            yield from problems.values()
    for parse, cell in CELLS:
        with pytest.raises(values.CellProblem) as problem:
            parse(cell)
        yield member_import.problem_text(problem.value)
    for message in (
        member_import.MSG_TOTAL_ROW,
        member_import.MSG_FOOTER_ROW,
        member_import.MSG_CUT_UNKNOWN,
        member_import.MSG_GENDER_FROM_ID,
        member_import.MSG_BIRTH_FROM_ID,
        member_import.MSG_DUPLICATE_DIFFERENT,
        member_import.MSG_DUPLICATE_SAME,
        member_import.MSG_NOT_A_MEMBER_ROW,
        member_import.MSG_NEW_PARTY_GROUP,
    ):
        yield i18n._(message)


@pytest.mark.parametrize("language", ["zh_CN", "zh_TW"])
def test_every_validation_and_import_message_is_translated(db, branch, make_member, language):
    make_member()
    try:
        english = list(shown(db, branch, "en"))
        chinese = list(shown(db, branch, language))
    finally:
        i18n.set_language("zh_CN")
    assert len(english) == len(chinese) > 50
    same = [e for e, c in zip(english, chinese, strict=True) if e == c and e not in PROPER_NAMES]
    assert same == [], f"not translated into {language}"
