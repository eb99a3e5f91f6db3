# SPDX-License-Identifier: GPL-3.0-or-later
"""A deterministic county data file, written through the app's own write path.

`county_file(members, seed)` returns the folder of a data file holding one branch with
`members` members (valid ID numbers, in party and villager groups), a chief steward and a group
steward per party group (so a service team each), households, a month's rosters and two years of
service log. Everything goes through the services or the session-first functions they call, so
the change log, the clock and SQLCipher are all real; members go through the bulk path
(`MemberService.add_many`), the rest record by record.

The same seed and scale give the same data (names, numbers, dates; not the random ids), and the
file is kept in the cache folder so the next run reuses it.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import shutil
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from desktop.models.register import validation
from desktop.models.register.groups import add_party_group, create_branch
from desktop.models.register.rows import MemberDraft
from desktop.models.register.service import MemberService
from desktop.models.stewards import appointments, households, rosters, service_records
from desktop.models.stewards.rows import HouseholdDraft, ServiceDraft
from desktop.models.stewards.team import ServiceTeam, Volunteer
from desktop.models.store.db import Database
from desktop.tabular.groups import create_villager_group

log = logging.getLogger(__name__)

#: Bumped when the generated data changes, so that cached files are not reused (2: the
#: pinyin search keys of migration 0011).
VERSION = 2
#: The day the data is "as of": fixed, so that the same seed gives the same file on any day.
AS_OF = dt.date(2026, 6, 30)
#: Region codes of one county's towns (GB/T 2260 style: province, prefecture, county).
REGIONS = ("430121", "430122", "430123", "430124", "430181", "430182")
#: Common surnames, most frequent first (weights fall off like the real distribution).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国红玉梅文斌志春海林云峰德成"
    "秋生福金凤珍兵辉鹏飞荣宝新"
)
EDUCATIONS = ("primary", "junior_high", "high_school", "secondary_vocational", "college")
OCCUPATIONS = ("farmer", "farmer", "farmer", "worker", "self_employed", "migrant_worker")
#: Records written one by one (households, the service log) are capped: they are a branch's
#: work, not the register's scale, and the per-record path would take most of the time.
HOUSEHOLDS_MAX, SERVICES_MAX = 2000, 3000
SERVICE_KINDS = ("visit", "cleaning", "mediation", "paperwork", "errand", "patrol")


def cache_root() -> Path:
    import os
    import tempfile

    return Path(os.environ.get("RED_STEWARD_BENCH_CACHE") or Path(tempfile.gettempdir()) / "rsb")


def county_file(members: int, seed: int, fresh: bool = False) -> Path:
    """The data folder of the county file at this scale and seed, generated when not cached."""
    folder = cache_root() / f"county-v{VERSION}-{seed}-{members}"
    done = folder / "generated"
    if done.exists() and not fresh:
        # A file cached by an older version is brought to this schema here, once (with the
        # backup a migration takes first), never inside a scenario's timing.
        Database.open(folder).close()
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    db = Database.open(folder)
    try:
        generate(db, members, seed)
    finally:
        db.close()
    done.write_text(f"{time.perf_counter() - started:.1f} s\n")
    return folder


def _members(
    rng: random.Random,
    count: int,
    party: list[uuid.UUID],
    villager: list[tuple[uuid.UUID, str]],
) -> Iterator[MemberDraft]:
    weights = [1 / (i + 3) for i in range(len(SURNAMES))]
    seen: set[str] = set()
    oldest, youngest = dt.date(1935, 1, 1), dt.date(2004, 12, 31)
    span = (youngest - oldest).days
    for n in range(count):
        while True:
            birth = oldest + dt.timedelta(days=rng.randrange(span))
            id_number = validation.make_id_number(rng.choice(REGIONS), birth, rng.randrange(1000))
            if id_number not in seen:
                seen.add(id_number)
                break
        surname = rng.choices(SURNAMES, weights)[0]
        given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
        adult = validation.add_years(birth, 18)
        probationary = rng.random() < 0.03 and adult < AS_OF - dt.timedelta(days=400)
        if probationary:
            joined = AS_OF - dt.timedelta(days=rng.randrange(30, 360))
            confirmed = None
        else:
            latest = min(AS_OF - dt.timedelta(days=400), validation.add_years(adult, 40))
            joined = adult + dt.timedelta(days=rng.randrange(max(1, (latest - adult).days)))
            confirmed = validation.add_years(joined, 1)
        vgroup, vname = villager[n % len(villager)]
        yield MemberDraft(
            name=surname + given,
            id_number=id_number,
            ethnicity="01" if rng.random() < 0.92 else rng.choice(("03", "06", "13", "15")),
            education=rng.choice(EDUCATIONS),
            status="probationary" if probationary else "full",
            joined_on=joined,
            confirmed_on=confirmed,
            occupation=rng.choice(OCCUPATIONS),
            phone=f"1{rng.choice('3578')}{n:09d}",
            address=f"{vname}{rng.randrange(1, 120)}号",
            floating=rng.random() < 0.04,
            floating_to="广东省深圳市" if n % 2 else "浙江省杭州市",
            party_group_id=party[n % len(party)],
            villager_group_id=vgroup,
        )


def generate(db: Database, members: int, seed: int) -> None:
    """Fill an empty data file (see the module docstring for what it holds)."""
    rng = random.Random(seed)
    n_groups = max(2, min(members // 200, 1000))
    with db.unit_of_work("bench") as session:
        branch = create_branch(session, "城关镇红星村党总支部", "城关镇", "临江县", "0731-84561234")
        party = [add_party_group(session, branch.id).id for _ in range(n_groups)]
        villager = [
            (create_villager_group(session, branch.id, f"{n}组"), f"{n}组")
            for n in range(1, n_groups + 1)
        ]
    member_ids = MemberService(db, branch.id, "bench").add_many(
        _members(rng, members, party, villager),
        batch_size=5000,
        progress=lambda done: log.info("%s of %s members written", done, members),
    )
    log.info("%s members written", len(member_ids))
    _stewards(db, branch.id, party, member_ids)
    _care(db, rng, branch.id, members, party, villager)


def _stewards(
    db: Database, branch_id: uuid.UUID, party: list[uuid.UUID], member_ids: list[uuid.UUID]
) -> None:
    """A chief steward, and a group steward per party group (each gets a service team)."""
    started = AS_OF.replace(year=AS_OF.year - 3, month=1, day=1)
    for chunk in range(0, len(party), 500):
        with db.unit_of_work("bench") as session:
            if chunk == 0:
                appointments.appoint(session, branch_id, member_ids[-1], "chief", None, started)
            for index in range(chunk, min(chunk + 500, len(party))):
                # Member `index` is in party group `index` (`_members` deals them round).
                appointments.appoint(
                    session, branch_id, member_ids[index], "group", party[index], started
                )


def _care(
    db: Database,
    rng: random.Random,
    branch_id: uuid.UUID,
    members: int,
    party: list[uuid.UUID],
    villager: list[tuple[uuid.UUID, str]],
) -> None:
    """Households cared for by the teams, a month of rosters, and two years of service log."""
    from sqlalchemy import select

    with db.read() as session:
        teams = {
            group: team
            for team, group in session.execute(
                select(ServiceTeam.id, ServiceTeam.party_group_id).where(
                    ServiceTeam.branch_id == branch_id
                )
            )
        }
        volunteers = dict(
            session.execute(
                select(Volunteer.team_id, Volunteer.id).where(Volunteer.team_id.in_(teams.values()))
            ).all()
        )
    homes: list[tuple[uuid.UUID, uuid.UUID]] = []  # (household, volunteer)
    n_households = max(4, min(members // 50, HOUSEHOLDS_MAX))
    for chunk in range(0, n_households, 1000):
        with db.unit_of_work("bench") as session:
            for n in range(chunk, min(chunk + 1000, n_households)):
                group = party[n % len(party)]
                vgroup, vname = villager[n % len(villager)]
                draft = HouseholdDraft(
                    head_name=rng.choice(SURNAMES[:40]) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    address=f"{vname}{rng.randrange(1, 120)}号",
                    phone=f"1{rng.choice('3578')}8{n:08d}",
                    party_group_id=group,
                    villager_group_id=vgroup,
                    elderly_alone=rng.random() < 0.4,
                    low_income=rng.random() < 0.3,
                    needs_visits=True,
                )
                household = households.save_household(session, branch_id, draft)
                volunteer = volunteers[teams[group]]
                households.assign_carer(session, household, volunteer)
                homes.append((household, volunteer))
    first = AS_OF.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    with db.unit_of_work("bench") as session:
        for team in list(teams.values())[:20]:
            rosters.generate_roster(session, team, first, last, slots=("上午", "下午"))
    n_services = max(10, min(members // 50, SERVICES_MAX))
    start = AS_OF - dt.timedelta(days=730)
    for chunk in range(0, n_services, 1000):
        with db.unit_of_work("bench") as session:
            for n in range(chunk, min(chunk + 1000, n_services)):
                household, volunteer = homes[n % len(homes)]
                service_records.record_service(
                    session,
                    branch_id,
                    ServiceDraft(
                        served_on=start + dt.timedelta(days=(n * 730) // n_services),
                        kind=rng.choice(SERVICE_KINDS),
                        minutes=rng.choice((30, 45, 60, 90, 120)),
                        volunteer_ids=(volunteer,),
                        household_ids=(household,),
                        notes="上门看望，询问生活困难",
                    ),
                )
