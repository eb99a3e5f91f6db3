# SPDX-License-Identifier: GPL-3.0-or-later
"""A realistic demo village (红旗村) as plain frozen dataclasses, for the demo mode and tests.

The data is generated from a fixed seed, so every call returns the same village: screenshots,
printed samples and tests stay stable. It is made to pass every rule in `validation` as of
DEMO_TODAY. Nothing here touches the database; a loader elsewhere turns it into records.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from desktop.models.register.validation import add_years, make_id_number

#: The day the demo data is correct for: probation periods and ages are reckoned from it.
DEMO_TODAY = date(2026, 11, 23)
_SEED = 20261123
#: 长沙县, Hunan: the region code of the demo ID numbers, matching the 0731 area code.
COUNTY_CODE = "430121"
AREA_CODE = "0731"
_ADDRESS_PREFIX = "青山镇红旗村"
_GROUPS = 12
_MEMBERS_PER_GROUP = 5
_HOUSEHOLDS_PER_GROUP = 8
_MEMBER_HEADS_PER_GROUP = 2


# --- The data ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DemoVillagerGroup:
    number: int
    name: str
    alias: str


@dataclass(frozen=True, slots=True)
class DemoPartyGroup:
    number: int
    name: str
    villager_group: int


@dataclass(frozen=True, slots=True)
class DemoMember:
    key: str
    name: str
    gender: str
    id_number: str
    ethnicity: str
    birth_date: date
    education: str
    status: str
    joined_on: date
    confirmed_on: date | None
    occupation: str
    phone: str
    address: str
    standing: str
    lost_contact: bool
    lost_contact_on: date | None
    floating: bool
    floating_to: str
    party_group: int
    villager_group: int


@dataclass(frozen=True, slots=True)
class DemoSteward:
    member_key: str
    role: str
    party_group: int | None
    commitment: str


@dataclass(frozen=True, slots=True)
class DemoHousehold:
    key: str
    head_name: str
    address: str
    villager_group: int
    party_group: int
    phone: str
    elderly_alone: bool
    low_income: bool
    needs_visits: bool


@dataclass(frozen=True, slots=True)
class DemoBranch:
    name: str
    village: str
    town: str
    county: str
    phone: str
    villager_groups: tuple[DemoVillagerGroup, ...]
    party_groups: tuple[DemoPartyGroup, ...]
    members: tuple[DemoMember, ...]
    stewards: tuple[DemoSteward, ...]
    households: tuple[DemoHousehold, ...]


# --- Word lists ----------------------------------------------------------------------------------

_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")
# Hamlet names as Hunan villagers say them: 屋 (house cluster), 湾, 冲 (valley), 坪, 塘, 坡.
_ALIASES = (
    "上屋组", "下湾组", "枫树组", "塘边组", "新屋组", "竹山冲组",
    "杉木湾组", "石桥组", "茶园坪组", "大塘组", "樟树组", "黄泥坡组",
)  # fmt: skip
# Each hamlet is mostly one clan; the rest of the village mixes the common local surnames.
_CLAN_SURNAMES = ("刘", "陈", "李", "周", "彭", "罗", "谭", "曾", "易", "刘", "陈", "李")
_SURNAMES = (
    "刘",
    "李",
    "陈",
    "周",
    "彭",
    "罗",
    "谭",
    "曾",
    "易",
    "黄",
    "张",
    "王",
    "杨",
    "胡",
    "唐",
)
_SURNAME_WEIGHTS = (18, 12, 12, 10, 8, 8, 7, 7, 6, 4, 4, 3, 3, 3, 3)
_TUJIA_SURNAMES = ("向", "田", "覃")
# Given names by generation (born up to 1960, 1961-1980, after 1980) and gender.
_GIVEN_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    ("old", "male"): (
        "建国", "桂林", "国强", "德明", "正华", "光辉", "福生", "新民", "长根", "炳炎", "金山",
        "树林", "国庆", "建华", "卫东", "跃进", "振华", "春生", "永胜", "海清", "秋生", "德胜",
    ),
    ("old", "female"): (
        "秀英", "桂英", "冬梅", "玉兰", "淑珍", "桂香", "凤英", "秀兰", "菊华", "春花", "满秀",
        "翠兰", "月娥", "腊梅", "桂兰", "金莲",
    ),
    ("middle", "male"): (
        "志强", "伟", "军", "勇", "建军", "海波", "文华", "小平", "卫国", "湘平", "立新", "红兵",
        "俊", "国华", "斌", "辉", "建湘", "雄", "亮", "峰", "剑", "湘军",
    ),
    ("middle", "female"): (
        "丽娟", "艳", "红梅", "小红", "丽华", "芳", "敏", "湘莲", "玉梅", "春燕", "霞", "燕",
        "慧", "丽",
    ),
    ("young", "male"): (
        "浩然", "子豪", "宇航", "俊杰", "鹏", "晨", "磊", "志豪", "博文", "一帆", "凯", "宇",
        "思远", "天宇",
    ),
    ("young", "female"): (
        "思琪", "雨欣", "佳怡", "梦婷", "婷", "倩", "诗琪", "欣怡", "雅琪", "晓琳", "琳", "佳慧",
        "雪",
    ),
}  # fmt: skip
_BIRTH_YEARS = {"old": (1945, 1960), "middle": (1961, 1980), "young": (1981, 2000)}
_EDUCATION_WEIGHTS: dict[str, dict[str, int]] = {
    "old": {"primary": 45, "junior_high": 40, "high_school": 15},
    "middle": {
        "primary": 10, "junior_high": 40, "high_school": 30, "secondary_vocational": 12,
        "college": 8,
    },
    "young": {
        "high_school": 10, "secondary_vocational": 20, "college": 35, "university": 30,
        "postgraduate": 5,
    },
}  # fmt: skip
_OCCUPATION_WEIGHTS: dict[str, dict[str, int]] = {
    "old": {"farmer": 75, "retired": 20, "other": 5},
    "middle": {
        "farmer": 45, "worker": 10, "self_employed": 20, "migrant_worker": 20, "other": 5,
    },
    "young": {
        "migrant_worker": 35, "worker": 20, "self_employed": 20, "farmer": 10, "other": 10,
        "student": 5,
    },
}  # fmt: skip
_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "157", "158", "159", "180", "181", "182", "183", "186", "187", "188", "189", "191", "193",
    "198", "199",
)  # fmt: skip
_FLOATING_TO = ("广东省深圳市宝安区", "浙江省义乌市", "广东省东莞市长安镇")

_CHIEF_COMMITMENT = (
    "统筹全村十二个党小组的红色管家工作，每月召开一次管家例会，每季度走访全村低保户、"
    "独居老人和困难党员；带头领办群众急难愁盼事项，做到件件有回音、事事有着落。"
)
_GROUP_COMMITMENTS = (
    "每月走访联系的八户群众不少于一次，重点关照组里的独居老人，帮忙代购药品、代办医保缴费；"
    "邻里有矛盾第一时间上门调解，做到小事不出组、大事不出村。",
    "汛期前组织党员清理下湾组排水沟渠，暴雨天逐户查看危旧房屋；平时每周到留守老人家中坐一坐，"
    "帮助子女不在身边的老人缴纳水电费、办理社保认证。",
    "带领党员义务维护枫树组通组公路和路灯，发现问题当天报村委会；每月为行动不便的老人"
    "代领代办一次，春耕秋收时组织党员帮缺劳力户抢收抢种。",
    "负责塘边组山塘的日常巡查，雨季每天巡查一次并做好记录；宣传防溺水知识，暑假期间每周"
    "组织党员到塘边巡看，确保组里的孩子平安过暑假。",
    "每季度召开一次屋场恳谈会，听取群众对村务的意见建议并如实上报；帮助在外务工人员照看"
    "家中老人小孩，定期把家里情况通过微信告诉他们。",
    "协助做好竹山冲组森林防火，清明、冬至前后每天上山巡护；带头清理房前屋后垃圾，每月评一次"
    "美丽庭院，带动全组人居环境一年比一年好。",
    "为组里种植大户和脱贫户牵线联系收购商，帮助销售油茶、红薯粉等农产品；每月至少上门走访"
    "一次监测户，发现返贫苗头及时报告村支部。",
    "组织党员志愿者每周为石桥组独居和高龄老人送一次菜、量一次血压；逢年过节上门慰问困难党员"
    "和困难群众，帮助申请临时救助，让困难群众有人管。",
    "带头推广茶园坪组茶叶绿色种植技术，每年组织两次技术培训；帮助返乡青年对接小额贷款和"
    "创业政策，办好组内互助合作社，让群众在家门口增收。",
    "每月收集一次大塘组群众反映的急难愁盼问题，登记造册，一周内给出答复；协助开展医保、"
    "养老保险缴费宣传，做到应保尽保，不漏一户一人。",
    "经常与在外的流动党员保持联系，每季度通报一次村里情况；关心组里留守儿童学习，寒暑假"
    "组织党员开展作业辅导和安全教育，每月家访不少于两户。",
    "做好黄泥坡组移风易俗宣传，劝导红白喜事简办，自己带头不大操大办；调解婆媳、邻里和山林"
    "土地纠纷，做到有矛盾先上门，不把矛盾上交到村里。",
)

# --- Who is special: (party group, slot within the group) ----------------------------------------

_CHIEF = (1, 0)
_CHIEF_NAME = "刘志强"
_PROBATIONARY = frozenset({(4, 4), (7, 4), (11, 4)})
_FLOATING = {(3, 3): _FLOATING_TO[0], (6, 3): _FLOATING_TO[1], (9, 3): _FLOATING_TO[2]}
_LOST_CONTACT = (10, 3)
_TUJIA = frozenset({(5, 2), (8, 4)})
#: Group stewards who also sit on the village committee.
_CADRES = frozenset({(2, 0), (5, 0)})
#: Group stewards who are women (often the women's representative of the hamlet).
_WOMEN_STEWARDS = frozenset({4, 8, 11})


def _steward_slot(group: int) -> int:
    """Which member of a party group leads it: not the chief, who has the whole village."""
    return 1 if group == _CHIEF[0] else 0


# --- Small generators ----------------------------------------------------------------------------


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    """One key of `weights`, drawn in proportion to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _random_date(rng: random.Random, first: date, last: date) -> date:
    """A day between `first` and `last`, both included."""
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _address(villager_group: int, house_number: int) -> str:
    """A postal-style address as villagers write it: 青山镇红旗村第三村民小组27号."""
    return f"{_ADDRESS_PREFIX}{_villager_group_name(villager_group)}{house_number}号"


def _villager_group_name(number: int) -> str:
    """第一村民小组 … 第十二村民小组: the official name, numbered in Chinese."""
    return f"第{_NUMERALS[number - 1]}村民小组"


def _party_group_name(number: int) -> str:
    """第一党小组 … 第十二党小组."""
    return f"第{_NUMERALS[number - 1]}党小组"


class _Uniques:
    """Draws names, phones and ID sequences that no one else in the village already has."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._names: set[str] = set()
        self._phones: set[str] = set()
        self._sequences: set[int] = set()

    def name(self, surname: str, cohort: str, gender: str) -> str:
        """A full name of the right generation and gender; the surname is kept if possible."""
        for attempt in range(200):
            family = surname if attempt < 50 else self._surname()
            candidate = family + self._rng.choice(_GIVEN_NAMES[(cohort, gender)])
            if candidate not in self._names:
                self._names.add(candidate)
                return candidate
        raise RuntimeError("ran out of demo names")  # pragma: no cover - the lists are long enough

    def reserve(self, name: str) -> None:
        """Keep a hand-picked name from being drawn again."""
        self._names.add(name)

    def mobile(self) -> str:
        while True:
            candidate = self._rng.choice(_MOBILE_PREFIXES) + f"{self._rng.randrange(10**8):08d}"
            if candidate not in self._phones:
                self._phones.add(candidate)
                return candidate

    def landline(self) -> str:
        while True:
            candidate = f"{AREA_CODE}-8{self._rng.randrange(10**7):07d}"
            if candidate not in self._phones:
                self._phones.add(candidate)
                return candidate

    def sequence(self, gender: str) -> int:
        """An ID sequence number whose last digit is odd for men and even for women."""
        while True:
            candidate = self._rng.randrange(500) * 2 + (1 if gender == "male" else 0)
            if candidate not in self._sequences:
                self._sequences.add(candidate)
                return candidate

    def _surname(self) -> str:
        return self._rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]


# --- Members -------------------------------------------------------------------------------------


def _cohort_for(rng: random.Random, slot: tuple[int, int]) -> str:
    """Village branches are old: about four in ten members were born before 1961."""
    group, index = slot
    if slot in _PROBATIONARY:
        return "young"
    if index == _steward_slot(group) or slot in _FLOATING or slot == _LOST_CONTACT:
        return "middle"
    return rng.choices(("old", "middle", "young"), weights=(40, 35, 25))[0]


def _gender_for(rng: random.Random, slot: tuple[int, int]) -> str:
    """About a quarter of rural members are women; group stewards follow _WOMEN_STEWARDS."""
    group, index = slot
    if index == _steward_slot(group):
        return "female" if group in _WOMEN_STEWARDS else "male"
    return "female" if rng.random() < 0.25 else "male"


def _joined_on(rng: random.Random, birth: date, probationary: bool) -> date:
    """A date of joining at 18 or later; full members were confirmed by mid-2026."""
    if probationary:
        earliest = max(add_years(birth, 18), DEMO_TODAY - timedelta(days=355))
        return _random_date(rng, earliest, DEMO_TODAY - timedelta(days=60))
    earliest = max(add_years(birth, 20), date(1965, 1, 1))
    latest = min(add_years(birth, 40), date(2025, 6, 30))
    return _random_date(rng, earliest, max(earliest, latest))


def _occupation_for(rng: random.Random, slot: tuple[int, int], cohort: str) -> str:
    """Cadres and migrants are placed by hand; the rest follow their generation."""
    if slot == _CHIEF or slot in _CADRES:
        return "village_cadre"
    if slot in _FLOATING or slot == _LOST_CONTACT:
        return "migrant_worker"
    if slot[1] == _steward_slot(slot[0]):
        # Stewards live in the village: no migrant workers among them.
        return _weighted(rng, {"farmer": 60, "self_employed": 30, "worker": 10})
    return _weighted(rng, _OCCUPATION_WEIGHTS[cohort])


def _member(
    rng: random.Random, uniques: _Uniques, slot: tuple[int, int], house_number: int
) -> DemoMember:
    """One member of party group `slot[0]`, position `slot[1]` in it."""
    group, index = slot
    cohort = _cohort_for(rng, slot)
    gender = "male" if slot == _CHIEF else _gender_for(rng, slot)
    if slot in _TUJIA:
        surname = rng.choice(_TUJIA_SURNAMES)
    elif rng.random() < 0.5:
        surname = _CLAN_SURNAMES[group - 1]
    else:
        surname = rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]
    name = _CHIEF_NAME if slot == _CHIEF else uniques.name(surname, cohort, gender)

    if slot == _CHIEF:
        birth = date(1971, 8, 14)
    elif slot in _PROBATIONARY:
        birth = _random_date(rng, date(1994, 1, 1), date(2000, 12, 31))
    else:
        first_year, last_year = _BIRTH_YEARS[cohort]
        birth = _random_date(rng, date(first_year, 1, 1), date(last_year, 12, 31))
    probationary = slot in _PROBATIONARY
    joined = date(1996, 7, 1) if slot == _CHIEF else _joined_on(rng, birth, probationary)
    education = "college" if slot == _CHIEF else _weighted(rng, _EDUCATION_WEIGHTS[cohort])
    lost = slot == _LOST_CONTACT
    return DemoMember(
        key=f"m{(group - 1) * _MEMBERS_PER_GROUP + index + 1:02d}",
        name=name,
        gender=gender,
        id_number=make_id_number(COUNTY_CODE, birth, uniques.sequence(gender)),
        ethnicity="15" if slot in _TUJIA else "01",
        birth_date=birth,
        education=education,
        status="probationary" if probationary else "full",
        joined_on=joined,
        confirmed_on=None if probationary else add_years(joined, 1),
        occupation=_occupation_for(rng, slot, cohort),
        phone=uniques.mobile(),
        address=_address(group, house_number),
        standing="normal",
        lost_contact=lost,
        lost_contact_on=date(2024, 3, 18) if lost else None,
        floating=slot in _FLOATING,
        floating_to=_FLOATING.get(slot, ""),
        party_group=group,
        villager_group=group,
    )


# --- Households ----------------------------------------------------------------------------------


def _household_flags(rng: random.Random, count: int) -> list[tuple[bool, bool, bool]]:
    """(elderly_alone, low_income, needs_visits) for `count` households not headed by members.

    Over the whole village about 15% of households are old people living alone and 8% are on
    low income (低保); a few more need visits for other reasons (illness, left-behind children).
    """
    total = count + _GROUPS * _MEMBER_HEADS_PER_GROUP
    elderly = set(rng.sample(range(count), round(total * 0.15)))
    # Low income overlaps with living alone in a few cases, as it does in a real village.
    low_income = set(rng.sample(sorted(elderly), 3))
    others = [i for i in range(count) if i not in elderly]
    low_income |= set(rng.sample(others, round(total * 0.08) - len(low_income)))
    flags: list[tuple[bool, bool, bool]] = []
    for i in range(count):
        extra = i not in elderly and i not in low_income and rng.random() < 0.08
        flags.append((i in elderly, i in low_income, i in elderly or i in low_income or extra))
    return flags


def _household_phone(rng: random.Random, uniques: _Uniques, elderly_alone: bool) -> str:
    """Old people living alone often have no phone of their own, or only a landline."""
    draw = rng.random()
    if elderly_alone:
        return "" if draw < 0.4 else uniques.landline() if draw < 0.6 else uniques.mobile()
    return "" if draw < 0.12 else uniques.mobile()


def _households(
    rng: random.Random,
    uniques: _Uniques,
    members: list[DemoMember],
    house_pool: dict[int, list[int]],
) -> list[DemoHousehold]:
    """Eight households per hamlet, two of them headed by party members who live there.

    `house_pool` holds each hamlet's house numbers: the members' first, then free ones.
    """
    non_member_count = _GROUPS * (_HOUSEHOLDS_PER_GROUP - _MEMBER_HEADS_PER_GROUP)
    flags = iter(_household_flags(rng, non_member_count))
    rows: list[tuple[int, int, DemoHousehold]] = []
    for group in range(1, _GROUPS + 1):
        in_group = members[(group - 1) * _MEMBERS_PER_GROUP : group * _MEMBERS_PER_GROUP]
        at_home = [
            (house_pool[group][index], m)
            for index, m in enumerate(in_group)
            if not (m.floating or m.lost_contact)
        ]
        # The older members head their own households; the young still live with parents.
        heads = sorted(at_home, key=lambda pair: pair[1].birth_date)[:_MEMBER_HEADS_PER_GROUP]
        for number, head in heads:
            rows.append((group, number, _household(head.name, group, number, head.phone)))
        free = house_pool[group][_MEMBERS_PER_GROUP:]
        for number in free[: _HOUSEHOLDS_PER_GROUP - _MEMBER_HEADS_PER_GROUP]:
            elderly_alone, low_income, needs_visits = next(flags)
            cohort = "old" if elderly_alone else rng.choices(("old", "middle"), (45, 55))[0]
            # Most household heads are men; a widow living alone heads her own.
            female = rng.random() < (0.6 if elderly_alone else 0.12)
            surname = (
                _CLAN_SURNAMES[group - 1]
                if rng.random() < 0.5
                else rng.choices(_SURNAMES, weights=_SURNAME_WEIGHTS)[0]
            )
            name = uniques.name(surname, cohort, "female" if female else "male")
            phone = _household_phone(rng, uniques, elderly_alone)
            flagged = _household(
                name, group, number, phone, elderly_alone, low_income, needs_visits
            )
            rows.append((group, number, flagged))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [
        replace(household, key=f"h{index:03d}")
        for index, (_, _, household) in enumerate(rows, start=1)
    ]


def _household(
    head_name: str,
    group: int,
    house_number: int,
    phone: str,
    elderly_alone: bool = False,
    low_income: bool = False,
    needs_visits: bool = False,
) -> DemoHousehold:
    """A household without its key: keys are given once the village is sorted by address."""
    return DemoHousehold(
        key="",
        head_name=head_name,
        address=_address(group, house_number),
        villager_group=group,
        party_group=group,
        phone=phone,
        elderly_alone=elderly_alone,
        low_income=low_income,
        needs_visits=needs_visits,
    )


# --- The branch ----------------------------------------------------------------------------------


def _stewards(members: list[DemoMember]) -> list[DemoSteward]:
    """The branch secretary as chief steward, and the leader of each party group."""
    by_slot = {(m.party_group, (int(m.key[1:]) - 1) % _MEMBERS_PER_GROUP): m for m in members}
    stewards = [DemoSteward(by_slot[_CHIEF].key, "chief", None, _CHIEF_COMMITMENT)]
    for group in range(1, _GROUPS + 1):
        leader = by_slot[(group, _steward_slot(group))]
        stewards.append(DemoSteward(leader.key, "group", group, _GROUP_COMMITMENTS[group - 1]))
    return stewards


def demo_branch() -> DemoBranch:
    """The demo village: 12 hamlets, 60 members, 13 stewards and 96 households.

    Built afresh from a fixed seed on every call, so callers may keep or discard it freely.
    """
    rng = random.Random(_SEED)
    uniques = _Uniques(rng)
    uniques.reserve(_CHIEF_NAME)
    house_pool = {
        group: rng.sample(range(1, 80), _MEMBERS_PER_GROUP + _HOUSEHOLDS_PER_GROUP)
        for group in range(1, _GROUPS + 1)
    }
    members = [
        _member(rng, uniques, (group, index), house_pool[group][index])
        for group in range(1, _GROUPS + 1)
        for index in range(_MEMBERS_PER_GROUP)
    ]
    return DemoBranch(
        name="红旗村党支部",
        village="红旗村",
        town="青山镇",
        county="临江县",
        phone=f"{AREA_CODE}-84561234",
        villager_groups=tuple(
            DemoVillagerGroup(n, _villager_group_name(n), _ALIASES[n - 1])
            for n in range(1, _GROUPS + 1)
        ),
        party_groups=tuple(
            DemoPartyGroup(n, _party_group_name(n), n) for n in range(1, _GROUPS + 1)
        ),
        members=tuple(members),
        stewards=tuple(_stewards(members)),
        households=tuple(_households(rng, uniques, members, house_pool)),
    )
