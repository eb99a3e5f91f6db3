# SPDX-License-Identifier: GPL-3.0-or-later
"""Meeting sheets from the demo branch: sign-in sheet, minutes, open decisions, the register."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from desktop.errors import UserError
from desktop.models.documents.service import PrintService
from desktop.models.meetings.rows import AttendanceEntry, MeetingDraft
from desktop.models.meetings.service import MeetingService
from desktop.printing.meetings import (
    render_meeting_register,
    render_minutes,
    render_open_decisions,
    render_sign_in_sheet,
)
from tests.printing.conftest import PRINTED_ON
from tests.printing.pdfcheck import A4, assert_fonts_embedded, assert_size, flat, page_count, text

HELD = dt.datetime(2026, 10, 15, 9, 0)


@pytest.fixture
def recorded(demo_db, demo_branch):  # type: ignore[no-untyped-def]
    """A joint meeting of the demo's stewards with a town guest, one on leave, decisions."""
    meetings = MeetingService(demo_db, demo_branch.id)
    row = meetings.save(
        MeetingDraft(
            kind="joint",
            starts_at=HELD,
            ends_at=HELD + dt.timedelta(hours=2),
            topic="研究冬季防火和困难群众走访",
            place="村部会议室",
            chair="刘志强",
            recorder="组织委员",
            agenda="一、通报上季度议定事项落实情况\n二、部署冬季森林防火",
            summary="刘志强通报了上季度工作。\n镇党建中心王明讲了冬季防火要求。",
        )
    )
    expected = meetings.detail(row.id).unrecorded
    meetings.attend(
        row.id,
        [
            AttendanceEntry("leave", member_id=expected[1].member_id, reason="外出务工"),
            AttendanceEntry("present", guest_name="王明", guest_org="青山镇党建中心"),
        ],
        all_present=True,
    )
    meetings.decide(row.id, "各组清理山林防火隔离带", "各党小组服务队", dt.date(2026, 11, 15))
    meetings.decide(row.id, "走访独居老人并登记取暖需求", "红色管家", dt.date(2026, 12, 31))
    return row.id, [p.name for p in expected], expected[1].name


def render(tmp_path, render_fn, data, name="x.pdf", **options):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    with path.open("wb") as out:
        result = render_fn(data, out, **options)
    assert path.read_bytes().startswith(b"%PDF")
    assert result.pages == page_count(path) and result.missing_glyphs == ()
    assert_fonts_embedded(path)
    return path


def test_the_sign_in_sheet_names_everyone_who_should_attend(
    tmp_path, demo_db, demo_branch, recorded
):
    meeting_id, names, on_leave = recorded
    data = PrintService(demo_db, demo_branch.id).meeting_sign_in(meeting_id, PRINTED_ON)
    assert [p.name for p in data.people] == names and len(names) == 13
    assert [p.leave for p in data.people if p.leave] == ["外出务工"]
    assert [(g.name, g.note) for g in data.guests] == [("王明", "青山镇党建中心")]
    path = render(tmp_path, render_sign_in_sheet, data)
    assert_size(path, A4)
    body = flat(text(path))
    assert "红旗村党支部联席会议签到表" in body
    assert all(name in body for name in names) and "王明" in body
    header = text(path, layout=True).splitlines()
    assert any("签名" in line and "请假" in line for line in header)
    assert "外出务工" in body and on_leave in body


def test_the_minutes_follow_the_record_book(tmp_path, demo_db, demo_branch, recorded):
    meeting_id, _names, on_leave = recorded
    data = PrintService(demo_db, demo_branch.id).meeting_minutes(meeting_id, PRINTED_ON)
    assert (data.expected, data.present) == ("13", "12")
    path = render(tmp_path, render_minutes, data)
    body = flat(text(path))
    for words in (
        "红旗村党支部联席会议记录",
        "会议类型",
        "主持人",
        "记录人",
        "应到/实到",
        "13/12",
        f"{on_leave}（请假：外出务工）",
        "王明（青山镇党建中心）",
        "部署冬季森林防火",
        "1.各组清理山林防火隔离带（责任人：各党小组服务队；完成时限2026年11月15日）",
        "主持人签字",
        "记录人签字",
    ):
        assert words in body, words
    # A long record flows over pages instead of failing.
    long = dataclasses.replace(data, summary="\n".join(["发言记录：" + "村里" * 40] * 60))
    assert page_count(render(tmp_path, render_minutes, long, "long.pdf")) >= 2


def test_open_decisions_list_overdue_first(tmp_path, demo_db, demo_branch, recorded):
    data = PrintService(demo_db, demo_branch.id).open_decisions(dt.date(2026, 11, 20))
    lines = [line for line in data.lines if line.source == "联席会议 2026年10月15日"]
    assert [line.overdue for line in lines] == [True, False]
    assert data.lines[0].overdue
    path = render(tmp_path, render_open_decisions, data)
    body = flat(text(path))
    assert "各组清理山林防火隔离带" in body and "已超期" in body
    with pytest.raises(UserError):
        render(tmp_path, render_open_decisions, dataclasses.replace(data, lines=()))


def test_the_years_register_has_attendance_rates(tmp_path, demo_db, demo_branch, recorded):
    data = PrintService(demo_db, demo_branch.id).meeting_register(2026, dt.date(2026, 12, 31))
    day = ("2026年10月15日", "联席会议")
    [line] = [line for line in data.lines if (line.day, line.kind) == day]
    assert (line.expected, line.present, line.leave, line.rate) == ("13", "12", "1", "92%")
    path = render(tmp_path, render_meeting_register, data)
    body = flat(text(path))
    assert "红旗村党支部2026年会议登记" in body and "出勤率" in body and "92%" in body
    with pytest.raises(UserError):
        render(tmp_path, render_meeting_register, dataclasses.replace(data, lines=()))
