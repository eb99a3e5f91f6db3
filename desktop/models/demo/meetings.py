# SPDX-License-Identifier: GPL-3.0-or-later
"""The demo's year of meetings: monthly committee meetings (and the party groups' for the last
three months), quarterly branch assemblies and party lectures, four joint meetings with the
town and their decisions (some done, some open, overdue ones among them).

Made through the meetings area's own functions, with name-based ids (see loader.py), so loading
the demo twice, or on two PCs that later sync, duplicates nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.models.meetings import decisions, meetings
from desktop.models.meetings.rows import AttendanceEntry, MeetingDraft
from desktop.models.meetings.schedule import add_months
from desktop.models.register.branch import PartyGroup
from desktop.models.register.member import Member
from desktop.models.stewards.steward import Steward

_LEAVE_REASONS = ("生病住院", "走亲戚", "农忙抢收", "照顾病人", "外出办事")
_LECTURES = (
    "学习党的二十届三中全会精神",
    "学习党章，做合格党员",
    "乡村振兴中的党员担当",
    "传承红色家风",
)
_ASSEMBLY_TOPICS = (
    "讨论发展党员",
    "通报村务和党费收缴情况",
    "评议红色管家履诺情况",
    "民主评议党员",
)
#: Four joint meetings with the town: topic, then (content, owner, due in days, done after days).
_JOINT = (
    (
        "研究春耕生产和人居环境整治",
        (
            ("组织党员帮缺劳力户春耕", "各党小组服务队", 30, 20),
            ("清理村道两侧垃圾", "红色管家", 20, 18),
            ("镇里协调农资供应", "青山镇党建中心", 15, 10),
        ),
    ),
    (
        "研究防汛和留守老人照看",
        (
            ("建立防汛值班表并上墙", "村支部", 10, 6),
            ("独居老人每周上门一次", "红色管家", 60, 40),
            ("山塘加固报镇水利站", "青山镇党建中心", 45, None),
        ),
    ),
    (
        "研究秋收和农产品销售",
        (
            ("对接收购商销售油茶", "第十党小组服务队", 40, None),
            ("修复村口路灯", "村支部", 30, 12),
        ),
    ),
    (
        "研究冬季防火和困难群众走访",
        (
            ("各组清理山林防火隔离带", "各党小组服务队", 45, None),
            ("走访困难群众并登记取暖需求", "红色管家", 90, None),
        ),
    ),
)
_POSTS = ("secretary", "deputy", "organisation", "publicity", "discipline")


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour))


def load(
    session: Session,
    branch_id: uuid.UUID,
    demo_id: Callable[[str], uuid.UUID],
    today: dt.date,
) -> None:
    rng = random.Random(21)
    members = {
        m.id: m
        for m in session.scalars(
            select(Member).where(Member.branch_id == branch_id, ~Member.deleted)
        )
    }
    stewards = session.scalars(
        select(Steward).where(Steward.branch_id == branch_id).order_by(Steward.party_group_id)
    ).all()
    chief = next(s for s in stewards if s.role == "chief")
    group_stewards = [s for s in stewards if s.role == "group"]
    numbers = {
        g.id: g.number
        for g in session.scalars(select(PartyGroup).where(PartyGroup.branch_id == branch_id))
    }
    group_stewards.sort(key=lambda s: numbers.get(s.party_group_id, 0))  # type: ignore[arg-type]
    first = add_months(today.replace(day=1), -11)
    committee = [chief, *group_stewards[1:5]]
    for post, steward in zip(_POSTS, committee, strict=True):
        meetings.seat_member(
            session,
            branch_id,
            steward.member_id,
            post,
            first - dt.timedelta(days=365),
            new_id=demo_id(f"seat-{post}"),
        )
    chair = members[chief.member_id].name
    recorder = members[committee[2].member_id].name

    def attend(meeting_id: uuid.UUID, leave_chance: float) -> None:
        detail = meetings.meeting_detail(session, meeting_id)
        entries = []
        for person in detail.unrecorded:
            member = members[person.member_id]
            if member.floating:
                entries.append(AttendanceEntry("leave", person.member_id, reason="外出务工"))
            elif member.lost_contact:
                entries.append(AttendanceEntry("absent", person.member_id, reason="失联"))
            elif rng.random() < leave_chance:
                reason = rng.choice(_LEAVE_REASONS)
                entries.append(AttendanceEntry("leave", person.member_id, reason=reason))
            else:
                entries.append(AttendanceEntry("present", person.member_id))
        meetings.record_attendance(session, meeting_id, entries)

    def meeting(key: str, draft: MeetingDraft) -> uuid.UUID:
        return meetings.save_meeting(session, branch_id, draft, new_id=demo_id(key)).id

    month = first
    while month <= today:
        key = f"{month:%Y-%m}"
        committee_day = month.replace(day=5)
        if committee_day < today:
            mid = meeting(
                f"meeting-committee-{key}",
                MeetingDraft(
                    "committee",
                    _at(committee_day, 9),
                    topic=f"{month.month}月支委会：研究本月工作",
                    place="村部会议室",
                    chair=chair,
                    recorder=recorder,
                    held=True,
                ),
            )
            attend(mid, 0.05)
        # Party group meetings of the last three months only: twelve groups a month would make
        # loading the demo (which many tests do) several seconds slower.
        for steward in group_stewards if month >= add_months(today.replace(day=1), -2) else ():
            number = numbers[steward.party_group_id]  # type: ignore[index]
            day = month.replace(day=8 + number % 10)
            if day >= today:
                continue
            mid = meeting(
                f"meeting-group-{number}-{key}",
                MeetingDraft(
                    "group",
                    _at(day, 19),
                    topic="学习传达支部会议精神，安排本组服务",
                    place="组长家中",
                    chair=members[steward.member_id].name,
                    recorder=members[steward.member_id].name,
                    party_group_id=steward.party_group_id,
                    held=True,
                ),
            )
            attend(mid, 0.08)
        if month.month % 3 == 0:
            quarter = month.month // 3 - 1
            for kind, day_of_month, topics in (
                ("assembly", 20, _ASSEMBLY_TOPICS),
                ("lecture", 21, _LECTURES),
            ):
                day = month.replace(day=day_of_month)
                if day >= today:
                    continue
                mid = meeting(
                    f"meeting-{kind}-{key}",
                    MeetingDraft(
                        kind,
                        _at(day, 14),
                        topic=topics[quarter],
                        place="村部会议室",
                        chair=chair,
                        recorder=recorder,
                        held=True,
                    ),
                )
                attend(mid, 0.06)
        month = add_months(month, 1)
    # The joint meetings: the middle month of each of the last four quarters.
    joint_days = [
        d for d in (add_months(first, i).replace(day=12) for i in range(1, 12, 3)) if d < today
    ][-4:]
    for index, (day, (topic, items)) in enumerate(zip(joint_days, _JOINT, strict=False)):
        mid = meeting(
            f"meeting-joint-{index}",
            MeetingDraft(
                "joint",
                _at(day, 14),
                topic=topic,
                place="村部会议室",
                chair=chair,
                recorder=recorder,
                agenda="一、通报上次议定事项落实情况\n二、" + topic,
                summary=f"镇党建中心、村支部和红色管家共同研究{topic}。",
                held=True,
            ),
        )
        attend(mid, 0.05)
        meetings.record_attendance(
            session,
            mid,
            [AttendanceEntry("present", guest_name="王明", guest_org="青山镇党建中心")],
        )
        for n, (content, owner, due_days, done_days) in enumerate(items):
            row = decisions.add_decision(
                session,
                mid,
                content,
                owner,
                day + dt.timedelta(days=due_days),
                new_id=demo_id(f"decision-{index}-{n}"),
            )
            if done_days is not None and day + dt.timedelta(days=done_days) <= today:
                decisions.update_decision(
                    session, row.id, state="done", today=day + dt.timedelta(days=done_days)
                )
    # Make-ups: recorded for everyone but the two most recent absences.
    open_ = meetings.make_ups(session, branch_id)
    for row in open_[:-2]:
        meetings.record_make_up(session, row.attendance_id, row.meeting_on + dt.timedelta(days=7))
    # Next month's committee meeting, planned.
    planned = add_months(today.replace(day=1), 1).replace(day=5)
    meeting(
        f"meeting-committee-{planned:%Y-%m}",
        MeetingDraft(
            "committee", _at(planned, 9), topic="研究下月工作", place="村部会议室", chair=chair
        ),
    )
