# SPDX-License-Identifier: GPL-3.0-or-later
"""Meetings (三会一课, 主题党日, 组织生活会, 联席会议): the record, who attended, what was decided.

Every table is a synced record: a meeting recorded on the office PC and its decisions edited on
the secretary's laptop meet again through sync like any other data.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desktop.i18n import N_
from desktop.models.store.base import SyncedRecord

#: Kinds of meeting (code → label), in the order the page and the register list them.
KINDS = {
    "assembly": N_("Branch assembly"),  # 党员大会
    "committee": N_("Committee meeting"),  # 支委会
    "group": N_("Party group meeting"),  # 党小组会
    "lecture": N_("Party lecture"),  # 党课
    "theme_day": N_("Theme party day"),  # 主题党日
    "life": N_("Organisational life meeting"),  # 组织生活会
    "joint": N_("Joint meeting"),  # 联席会议
}
#: Who should attend (应到): derived from the register when the meeting is recorded.
AUDIENCES = {
    "members": N_("All members"),
    "committee": N_("The branch committee"),
    "group": N_("One party group"),
    "stewards": N_("The red stewards"),
    "guests": N_("Named guests only"),
}
DEFAULT_AUDIENCE = {
    "assembly": "members",
    "committee": "committee",
    "group": "group",
    "lecture": "members",
    "theme_day": "members",
    "life": "members",
    "joint": "stewards",
}
#: Required frequency in months (0: none set), from 《中国共产党支部工作条例(试行)》; a branch may
#: change it. The joint meeting's interval is the branch's own choice (quarterly to start with).
DEFAULT_FREQUENCY = {
    "assembly": 3,
    "committee": 1,
    "group": 1,
    "lecture": 3,
    "theme_day": 1,
    "life": 12,
    "joint": 3,
}
ATTENDANCE_STATES = {
    "present": N_("Present"),
    "leave": N_("Absent with leave"),  # 请假
    "absent": N_("Absent"),
}
QUORUM_STATES = {
    "": N_("Not checked"),
    "not_required": N_("No quorum required"),
    "met": N_("Quorum met"),
    "not_met": N_("No quorum"),
}
DECISION_STATES = {"open": N_("Open"), "done": N_("Done"), "dropped": N_("Dropped")}
#: Posts on the branch committee (支部委员会).
POSTS = {
    "secretary": N_("Secretary"),  # 书记
    "deputy": N_("Deputy secretary"),  # 副书记
    "organisation": N_("Organisation member"),  # 组织委员
    "publicity": N_("Publicity member"),  # 宣传委员
    "discipline": N_("Discipline member"),  # 纪检委员
    "member": N_("Committee member"),  # 委员
}


class Meeting(SyncedRecord):
    """One meeting, planned (held is False) or held and recorded (会议记录)."""

    __tablename__ = "meeting"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    topic: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    ends_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(100), default="")
    chair: Mapped[str] = mapped_column(String(50), default="")
    recorder: Mapped[str] = mapped_column(String(50), default="")
    audience: Mapped[str] = mapped_column(String(20), default="members")
    #: The party group of a group meeting (audience "group").
    party_group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("party_group.id"))
    agenda: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    held: Mapped[bool] = mapped_column(Boolean, default=False)
    #: One of QUORUM_STATES, worked out whenever attendance is recorded.
    quorum: Mapped[str] = mapped_column(String(20), default="")


class Attendance(SyncedRecord):
    """One person's attendance: a member (member_id) or a named guest (the town's delegate)."""

    __tablename__ = "attendance"

    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"), index=True)
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id"), index=True)
    guest_name: Mapped[str] = mapped_column(String(50), default="")
    #: The guest's organisation or post (青山镇党建中心).
    guest_org: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(10), default="present")
    reason: Mapped[str] = mapped_column(String(100), default="")
    #: The day an absent member made the meeting up (补课), if they have.
    made_up_on: Mapped[dt.date | None] = mapped_column(Date)


class Decision(SyncedRecord):
    """A decision (议定事项) to follow up: who does it, by when, and where it stands."""

    __tablename__ = "decision"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    meeting_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("meeting.id"), index=True)
    content: Mapped[str] = mapped_column(Text)
    #: A steward, a team, the branch, the town: as the minutes name them.
    owner: Mapped[str] = mapped_column(String(100), default="")
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(10), default="open")
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    #: The later joint meeting whose agenda this open decision was carried over to.
    carried_to_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("meeting.id"))


class MeetingFrequency(SyncedRecord):
    """A branch's required frequency of one kind (its id is made from branch and kind, so two
    PCs setting it meet in one record)."""

    __tablename__ = "meeting_frequency"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    #: Every this many months (1, 2, 3, 4, 6 or 12), 0 for no set frequency.
    months: Mapped[int] = mapped_column(Integer, default=0)
    #: A fixed day of the month (主题党日 on the 15th), if the branch keeps one.
    day: Mapped[int | None] = mapped_column(Integer)


class CommitteeSeat(SyncedRecord):
    """A member's seat on the branch committee: who a committee meeting expects."""

    __tablename__ = "committee_seat"

    branch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("branch.id"), index=True)
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id"), index=True)
    post: Mapped[str] = mapped_column(String(20), default="member")
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
