# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo's stewards at work: teams, carers of households, this month's rosters and a few
months of service log. Every record gets a name-based id (see demo.py), so nothing duplicates.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable

from sqlalchemy.orm import Session

from desktop.models.demo.data import DemoBranch
from desktop.models.stewards import holidays_cn, rostering
from desktop.models.stewards.household import HouseholdCare
from desktop.models.stewards.roster import Duty, Roster
from desktop.models.stewards.service_record import ServiceHousehold, ServicePerson, ServiceRecord
from desktop.models.stewards.steward import Commitment, Steward
from desktop.models.stewards.team import ServiceTeam, Unavailability, Volunteer

#: Villagers who are not party members but serve on a team (two per team).
_VILLAGERS = (
    "周桂兰",
    "谭建国",
    "罗春花",
    "易满仓",
    "彭秋菊",
    "曾德胜",
    "李翠英",
    "陈水生",
    "黄玉梅",
    "胡长青",
    "刘香莲",
    "杨铁柱",
    "王秀芝",
    "张石头",
    "罗凤英",
    "谭四毛",
    "陈满妹",
    "易光明",
    "曾小芳",
    "彭老三",
    "周腊梅",
    "李国富",
    "黄月娥",
    "刘細伢",
)
_SLOTS = ("上午", "下午")
_NOTES = {
    "visit": (
        "上门看望，老人身体还好，叮嘱按时吃药",
        "询问生活困难，登记了用水问题",
        "陪老人聊天，帮忙检查电线插座",
    ),
    "cleaning": ("清理房前屋后垃圾", "疏通组里排水沟"),
    "mediation": ("调解两户宅基地边界纠纷，双方达成一致", "调解婆媳矛盾"),
    "paperwork": ("代办医保缴费", "协助办理养老保险资格认证"),
    "errand": ("代购降压药", "代领快递和米油"),
    "patrol": ("山塘安全巡查", "森林防火巡护"),
    "publicity": ("宣传防诈骗知识", "宣传医保政策"),
}


def load(
    session: Session,
    data: DemoBranch,
    branch_id: uuid.UUID,
    demo_id: Callable[[str], uuid.UUID],
    today: dt.date,
    year: int,
) -> None:
    groups = {n: demo_id(f"pgroup-{n}") for n in range(1, len(data.party_groups) + 1)}
    chief = next(s.member_key for s in data.stewards if s.role == "chief")
    aliases = {vg.number: vg.alias for vg in data.villager_groups}
    for s in data.stewards:
        steward = session.get_one(Steward, demo_id(f"steward-{s.member_key}"))
        steward.area = aliases[s.party_group] + "片区" if s.party_group else "全村"
        steward.phone_public = s.role == "chief" or (s.party_group or 0) % 3 != 0
        commitment = session.get_one(Commitment, demo_id(f"commitment-{s.member_key}-{year}"))
        # In the year's first weeks the stages are not dated ahead of the day the demo is loaded.
        commitment.pledged_on = min(dt.date(year, 1, 8), today)
        commitment.reviewed_on = min(dt.date(year, 1, 20), today)
        commitment.published_on = min(dt.date(year, 2, 2), today)
    session.flush()
    rng = random.Random(20260401)
    villagers = iter(_VILLAGERS)
    for number, group_id in groups.items():
        team = ServiceTeam(
            id=demo_id(f"team-{number}"),
            branch_id=branch_id,
            party_group_id=group_id,
            name=f"{data.party_groups[number - 1].name}红色管家服务队",
        )
        session.add(team)
        session.flush()
        people = []
        leader = next(s.member_key for s in data.stewards if s.party_group == number)
        members = [
            m
            for m in data.members
            if m.party_group == number and m.key != chief and not m.floating and not m.lost_contact
        ]
        members.sort(key=lambda m: m.key != leader)
        for m in members:
            people.append(
                Volunteer(
                    id=demo_id(f"volunteer-{m.key}"),
                    team_id=team.id,
                    member_id=demo_id(f"member-{m.key}"),
                    name="",
                    phone="",
                    joined_on=dt.date(year - 2, 3, 1),
                )
            )
        for i in range(2):
            people.append(
                Volunteer(
                    id=demo_id(f"villager-{number}-{i}"),
                    team_id=team.id,
                    name=next(villagers),
                    phone=f"1867310{number:02d}{i}{i}",
                    joined_on=dt.date(year - 1, 5, 1),
                )
            )
        session.add_all(people)
        session.flush()
        households = [h for h in data.households if h.party_group == number]
        for index, h in enumerate(households):
            session.add(
                HouseholdCare(
                    id=demo_id(f"care-{h.key}"),
                    household_id=demo_id(f"household-{h.key}"),
                    volunteer_id=people[index % len(people)].id,
                )
            )
        away = people[1 + number % (len(people) - 1)]
        first = today.replace(day=min(10 + number, 25))
        session.add(
            Unavailability(
                id=demo_id(f"away-{number}"),
                volunteer_id=away.id,
                starts_on=first,
                ends_on=first + dt.timedelta(days=4),
                reason="外出走亲戚",
            )
        )
        session.flush()
        _roster(
            session,
            demo_id,
            team.id,
            number,
            [p.id for p in people],
            away.id,
            first,
            today,
            branch_id,
            group_id,
        )
        _services(
            session,
            rng,
            demo_id,
            branch_id,
            group_id,
            number,
            people,
            households,
            today,
            (year, demo_id(f"commitment-{leader}-{year}")),
        )


def _roster(
    session: Session,
    demo_id: Callable[[str], uuid.UUID],
    team_id: uuid.UUID,
    number: int,
    people: list[uuid.UUID],
    away: uuid.UUID,
    away_from: dt.date,
    today: dt.date,
    branch_id: uuid.UUID,
    group_id: uuid.UUID,
) -> None:
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    month = f"{first:%Y-%m}"
    unavailable = {away: frozenset(away_from + dt.timedelta(days=i) for i in range(5))}
    assignments = rostering.generate(
        holidays_cn.duty_days(first, last), _SLOTS, people, unavailable
    )
    roster = Roster(
        id=demo_id(f"roster-{number}-{month}"),
        team_id=team_id,
        starts_on=first,
        ends_on=last,
        days="workdays",
        slots="|".join(_SLOTS),
    )
    session.add(roster)
    session.flush()
    session.add_all(
        Duty(
            id=demo_id(f"duty-{number}-{a.day}-{a.slot}"),
            roster_id=roster.id,
            day=a.day,
            slot=a.slot,
            volunteer_id=a.person,
        )
        for a in assignments
    )
    session.flush()
    # The first week's signed sheet has come back: its hours are keyed in as service records.
    keyed = [
        a
        for a in assignments
        if a.person is not None and a.day < today and a.day <= first + dt.timedelta(days=7)
    ]
    for a in keyed:
        key = f"dutyhours-{number}-{a.day}-{a.slot}"
        session.add(
            ServiceRecord(
                id=demo_id(key),
                branch_id=branch_id,
                served_on=a.day,
                kind="duty",
                minutes=180,
                notes=a.slot,
                party_group_id=group_id,
                duty_id=demo_id(f"duty-{number}-{a.day}-{a.slot}"),
            )
        )
        session.flush()
        session.add(
            ServicePerson(id=demo_id(key + "-p"), record_id=demo_id(key), volunteer_id=a.person)
        )


def _services(
    session: Session,
    rng: random.Random,
    demo_id: Callable[[str], uuid.UUID],
    branch_id: uuid.UUID,
    group_id: uuid.UUID,
    number: int,
    people: list[Volunteer],
    households: list,
    today: dt.date,
    commitment: tuple[int, uuid.UUID] | None = None,
) -> None:
    """About four months of services; every third group neglects one flagged household.

    The recent visits to flagged households fulfil the group steward's commitment (践诺)."""
    flagged = [h for h in households if h.elderly_alone or h.needs_visits or h.low_income]
    neglected = flagged[0].key if flagged and number % 3 == 0 else None
    for i in range(rng.randint(22, 30)):
        served_on = today - dt.timedelta(days=rng.randint(1, 120))
        kind = rng.choice(
            (
                "visit",
                "visit",
                "visit",
                "cleaning",
                "mediation",
                "paperwork",
                "errand",
                "patrol",
                "publicity",
            )
        )
        pool = [
            h
            for h in (flagged if kind == "visit" and flagged else households)
            if h.key != neglected
        ]
        record = ServiceRecord(
            id=demo_id(f"service-{number}-{i}"),
            branch_id=branch_id,
            served_on=served_on,
            kind=kind,
            minutes=rng.choice((30, 45, 60, 60, 90, 120, 180)),
            notes=rng.choice(_NOTES[kind]),
            party_group_id=group_id,
        )
        session.add(record)
        session.flush()
        for j, person in enumerate(rng.sample(people, rng.choice((1, 1, 2)))):
            session.add(
                ServicePerson(
                    id=demo_id(f"service-{number}-{i}-p{j}"),
                    record_id=record.id,
                    volunteer_id=person.id,
                )
            )
        if kind in ("visit", "mediation", "paperwork", "errand") and pool:
            for j, h in enumerate(rng.sample(pool, 2 if kind == "mediation" else 1)):
                session.add(
                    ServiceHousehold(
                        id=demo_id(f"service-{number}-{i}-h{j}"),
                        record_id=record.id,
                        household_id=demo_id(f"household-{h.key}"),
                    )
                )
    # The flagged households visited recently enough, except the neglected one.
    for k, h in enumerate(flagged):
        if h.key == neglected:
            continue
        record = ServiceRecord(
            id=demo_id(f"service-{number}-recent-{k}"),
            branch_id=branch_id,
            served_on=today - dt.timedelta(days=1 + k % 5),
            kind="visit",
            minutes=60,
            notes=_NOTES["visit"][k % 3],
            party_group_id=group_id,
        )
        if commitment and record.served_on.year == commitment[0]:
            record.commitment_id = commitment[1]
        session.add(record)
        session.flush()
        session.add(
            ServicePerson(
                id=demo_id(f"service-{number}-recent-{k}-p"),
                record_id=record.id,
                volunteer_id=people[k % len(people)].id,
            )
        )
        session.add(
            ServiceHousehold(
                id=demo_id(f"service-{number}-recent-{k}-h"),
                record_id=record.id,
                household_id=demo_id(f"household-{h.key}"),
            )
        )
