# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo village: stable, complete, and valid under every field rule."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from desktop.models.demo.data import DEMO_TODAY, DemoBranch, DemoMember, demo_branch
from desktop.models.register.validation import (
    add_years,
    birth_date_from_id,
    gender_from_id,
    id_number_problem,
    member_date_problems,
    name_problem,
    normalize_id_number,
    normalize_phone,
    phone_problem,
)

CHINESE_NAME = re.compile(r"[\u4e00-\u9fff]{2,3}")
EDUCATIONS = {
    "postgraduate", "university", "college", "secondary_vocational", "high_school",
    "junior_high", "primary",
}  # fmt: skip
OCCUPATIONS = {
    "farmer", "village_cadre", "worker", "self_employed", "migrant_worker", "retired", "student",
    "other",
}  # fmt: skip


@pytest.fixture(scope="module")
def branch() -> DemoBranch:
    return demo_branch()


def _members_by_key(branch: DemoBranch) -> dict[str, DemoMember]:
    return {m.key: m for m in branch.members}


def test_two_calls_give_equal_data(branch: DemoBranch) -> None:
    again = demo_branch()
    assert again == branch
    assert again is not branch


def test_branch_identity(branch: DemoBranch) -> None:
    assert branch.name == "红旗村党支部"
    assert (branch.village, branch.town, branch.county) == ("红旗村", "青山镇", "临江县")
    assert phone_problem(branch.phone) is None
    assert branch.phone.startswith("0731-")


def test_counts(branch: DemoBranch) -> None:
    assert len(branch.villager_groups) == 12
    assert len(branch.party_groups) == 12
    assert len(branch.members) == 60
    assert len(branch.stewards) == 13
    assert len(branch.households) == 96


def test_groups_are_numbered_and_named(branch: DemoBranch) -> None:
    assert [g.number for g in branch.villager_groups] == list(range(1, 13))
    assert branch.villager_groups[0].name == "第一村民小组"
    assert branch.villager_groups[11].name == "第十二村民小组"
    assert branch.party_groups[2].name == "第三党小组"
    assert branch.party_groups[11].name == "第十二党小组"
    assert all(p.villager_group == p.number for p in branch.party_groups)
    aliases = [g.alias for g in branch.villager_groups]
    assert len(set(aliases)) == 12
    assert all(a.endswith("组") for a in aliases)


def test_five_members_per_party_group(branch: DemoBranch) -> None:
    counts = Counter(m.party_group for m in branch.members)
    assert counts == dict.fromkeys(range(1, 13), 5)
    assert all(m.villager_group == m.party_group for m in branch.members)


def test_member_keys_are_stable_and_unique(branch: DemoBranch) -> None:
    assert [m.key for m in branch.members] == [f"m{n:02d}" for n in range(1, 61)]


def test_every_member_passes_validation(branch: DemoBranch) -> None:
    for m in branch.members:
        assert id_number_problem(m.id_number, DEMO_TODAY) is None, m
        assert phone_problem(m.phone) is None, m
        assert name_problem(m.name) is None, m
        problems = member_date_problems(
            m.birth_date, m.joined_on, m.confirmed_on, m.status, DEMO_TODAY
        )
        assert problems == {}, (m, problems)


def test_stored_values_are_already_normalised(branch: DemoBranch) -> None:
    for m in branch.members:
        assert normalize_id_number(m.id_number) == m.id_number
        assert normalize_phone(m.phone) == m.phone
    for h in branch.households:
        assert normalize_phone(h.phone) == h.phone


def test_id_numbers_are_unique_and_match_birth_and_gender(branch: DemoBranch) -> None:
    ids = [m.id_number for m in branch.members]
    assert len(set(ids)) == len(ids)
    for m in branch.members:
        assert m.id_number.startswith("430121")
        assert birth_date_from_id(m.id_number) == m.birth_date
        assert gender_from_id(m.id_number) == m.gender


def test_birth_years_are_in_range(branch: DemoBranch) -> None:
    years = [m.birth_date.year for m in branch.members]
    assert min(years) >= 1945
    assert max(years) <= 2000
    # Mixed generations: some born before 1961 and some after 1985.
    assert sum(y <= 1960 for y in years) >= 10
    assert sum(y > 1985 for y in years) >= 5


def test_phones_are_unique_valid_mobiles(branch: DemoBranch) -> None:
    phones = [m.phone for m in branch.members]
    assert len(set(phones)) == len(phones)
    for phone in phones:
        assert re.fullmatch(r"1(3\d|5\d|8\d|9\d)\d{8}", phone), phone


def test_names_are_two_or_three_chinese_characters(branch: DemoBranch) -> None:
    for m in branch.members:
        assert CHINESE_NAME.fullmatch(m.name), m.name
    assert len({m.name for m in branch.members}) == 60


def test_codes_come_from_the_value_sets(branch: DemoBranch) -> None:
    for m in branch.members:
        assert m.gender in ("male", "female")
        assert m.education in EDUCATIONS
        assert m.occupation in OCCUPATIONS
        assert m.standing == "normal"


def test_ethnicities_are_mostly_han_with_one_or_two_tujia(branch: DemoBranch) -> None:
    counts = Counter(m.ethnicity for m in branch.members)
    assert set(counts) == {"01", "15"}
    assert 1 <= counts["15"] <= 2


def test_three_recent_probationary_members(branch: DemoBranch) -> None:
    probationary = [m for m in branch.members if m.status == "probationary"]
    assert len(probationary) == 3
    for m in probationary:
        assert m.confirmed_on is None
        assert add_years(DEMO_TODAY, -1) <= m.joined_on <= DEMO_TODAY


def test_full_members_were_confirmed_a_year_after_joining(branch: DemoBranch) -> None:
    full = [m for m in branch.members if m.status == "full"]
    assert len(full) == 57
    for m in full:
        assert m.confirmed_on == add_years(m.joined_on, 1)
        assert m.joined_on >= add_years(m.birth_date, 18)


def test_joining_dates_span_the_decades(branch: DemoBranch) -> None:
    decades = {m.joined_on.year // 10 * 10 for m in branch.members}
    assert {1970, 1980, 1990, 2000, 2010} <= decades


def test_lost_contact_and_floating_members(branch: DemoBranch) -> None:
    lost = [m for m in branch.members if m.lost_contact]
    assert len(lost) == 1
    assert lost[0].lost_contact_on is not None
    assert lost[0].joined_on < lost[0].lost_contact_on <= DEMO_TODAY
    assert all(m.lost_contact_on is None for m in branch.members if not m.lost_contact)

    floating = [m for m in branch.members if m.floating]
    assert len(floating) == 3
    assert len({m.floating_to for m in floating}) == 3
    for m in floating:
        assert m.floating_to.endswith(("区", "市", "镇"))
        assert m.occupation == "migrant_worker"
    assert all(m.floating_to == "" for m in branch.members if not m.floating)


def test_addresses_name_the_members_villager_group(branch: DemoBranch) -> None:
    names = {g.number: g.name for g in branch.villager_groups}
    for m in branch.members:
        assert re.fullmatch(rf"青山镇红旗村{names[m.villager_group]}\d+号", m.address), m.address


def test_exactly_one_chief_who_is_the_secretary_in_group_one(branch: DemoBranch) -> None:
    members = _members_by_key(branch)
    chiefs = [s for s in branch.stewards if s.role == "chief"]
    assert len(chiefs) == 1
    chief = chiefs[0]
    assert chief.party_group is None
    assert members[chief.member_key].party_group == 1
    assert members[chief.member_key].occupation == "village_cadre"


def test_each_group_steward_belongs_to_the_group_they_lead(branch: DemoBranch) -> None:
    members = _members_by_key(branch)
    group_stewards = [s for s in branch.stewards if s.role == "group"]
    assert sorted(s.party_group for s in group_stewards if s.party_group) == list(range(1, 13))
    for s in group_stewards:
        leader = members[s.member_key]
        assert leader.party_group == s.party_group
        assert leader.status == "full"
        assert not (leader.floating or leader.lost_contact)


def test_each_member_holds_at_most_one_stewardship(branch: DemoBranch) -> None:
    keys = [s.member_key for s in branch.stewards]
    assert len(set(keys)) == 13


def test_commitments_are_distinct_and_60_to_120_characters(branch: DemoBranch) -> None:
    commitments = [s.commitment for s in branch.stewards]
    assert len(set(commitments)) == 13
    for text in commitments:
        assert 60 <= len(text) <= 120, (len(text), text)
        assert text.endswith("。")
        assert re.search(r"[\u4e00-\u9fff]", text)


def test_households_per_group_and_keys(branch: DemoBranch) -> None:
    assert Counter(h.villager_group for h in branch.households) == dict.fromkeys(range(1, 13), 8)
    assert all(h.party_group == h.villager_group for h in branch.households)
    assert [h.key for h in branch.households] == [f"h{n:03d}" for n in range(1, 97)]
    assert len({h.address for h in branch.households}) == 96


def test_some_households_are_headed_by_members_living_there(branch: DemoBranch) -> None:
    by_name = {m.name: m for m in branch.members}
    member_headed = [h for h in branch.households if h.head_name in by_name]
    assert 12 <= len(member_headed) < 96
    for h in member_headed:
        head = by_name[h.head_name]
        assert h.address == head.address
        assert h.villager_group == head.villager_group


def test_household_heads_and_phones_are_valid(branch: DemoBranch) -> None:
    for h in branch.households:
        assert name_problem(h.head_name) is None, h
        assert CHINESE_NAME.fullmatch(h.head_name), h.head_name
        assert phone_problem(h.phone) is None, h
    assert any(h.phone == "" for h in branch.households)
    assert sum(h.phone != "" for h in branch.households) > 80


def test_household_flags_have_realistic_proportions(branch: DemoBranch) -> None:
    households = branch.households
    elderly = sum(h.elderly_alone for h in households)
    low_income = sum(h.low_income for h in households)
    assert 10 <= elderly <= 20  # about 15%
    assert 5 <= low_income <= 11  # about 8%
    for h in households:
        if h.elderly_alone or h.low_income:
            assert h.needs_visits, h
    assert sum(h.needs_visits for h in households) < 48
