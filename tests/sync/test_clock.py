# SPDX-License-Identifier: GPL-3.0-or-later
"""A PC whose clock runs years ahead never drags a healthy PC's clock along (#14, case 5)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from desktop.i18n import _
from desktop.models.demo import loader
from desktop.models.register.member import Member
from desktop.models.register.members import get_member, save_member
from desktop.models.store import clock
from desktop.models.store.changelog import Change
from desktop.sync.readmodels import CLOCK_AHEAD
from desktop.views.sync.conflicts_model import option_text
from tests.sync.conftest import pair

THREE_YEARS_MS = 3 * 365 * 24 * 3600 * 1000


def _edit(node, member_id, **changes):
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


@pytest.fixture
def skewed(nodes):  # type: ignore[no-untyped-def]
    """An office PC on today's clock with the demo, a laptop three years ahead holding a copy
    of it, the ids of the first two members, and the office's "now" in Unix milliseconds.

    "Now" is read after the demo is loaded at the real time: the office's clock stops there
    (a fixed date would be passed by the real one, and the demo's stamps with it)."""
    laptop, office = nodes("laptop", "office")
    with office.db.unit_of_work() as session:
        loader.load_demo(session)
    now_ms = clock.wall_ms()
    office.db.wall_clock = lambda: now_ms
    laptop.db.wall_clock = lambda: now_ms + THREE_YEARS_MS
    pair(office, laptop)
    office.send(laptop)
    with office.db.read() as session:
        first_two = session.scalars(select(Member.id).order_by(Member.id).limit(2)).all()
    return laptop, office, tuple(first_two), now_ms


def test_a_clock_years_ahead_stays_on_its_own_changes(skewed):
    laptop, office, (first, second), now_ms = skewed
    _edit(laptop, first, phone="13900000888")  # stamped three years ahead
    laptop.send(office)
    _edit(office, first, phone="13900000999")  # must show over the laptop's value
    _edit(office, second, address="红旗村五组")  # another record: today's date
    with office.db.read() as session:
        assert session.get(Member, first).phone == "13900000999"
        stamps = dict(
            session.execute(
                select(Change.row_id, Change.hlc).where(
                    Change.origin == office.id, Change.field.in_(["phone", "address"])
                )
            ).all()
        )
    assert clock.physical_ms(stamps[second]) < now_ms + clock.MAX_FORWARD_MS
    assert office.sync.conflicts() == []


def test_a_value_stamped_years_ahead_is_flagged_in_the_conflicts_with_its_claimed_time(skewed):
    laptop, office, (first, _second), now_ms = skewed
    _edit(laptop, first, phone="13900000888")  # concurrent edits: one stamped years ahead
    _edit(office, first, phone="13900000999")
    laptop.send(office)
    [conflict] = office.sync.conflicts()
    by_value = {o.value: o for o in conflict.options}
    ahead, today = by_value["13900000888"], by_value["13900000999"]
    assert ahead.clock_ahead and not today.clock_ahead
    assert ahead.when == clock.to_datetime(clock.pack(now_ms + THREE_YEARS_MS, 0)), "its claim"
    marker = _(CLOCK_AHEAD)  # the page says it with the claimed date
    assert marker in option_text(ahead) and marker not in option_text(today)


def test_a_process_runs_years_ahead_by_the_documented_setting(
    tmp_path, capsys, monkeypatch, demo_copy
):
    """`RED_STEWARD_CLOCK_OFFSET_DAYS` (docs/sync.md) runs a whole command years ahead, as a PC
    whose date is wrong would: its change is stamped then; the same command without it, on a
    copy of the same data, stamps today."""
    import json

    from desktop.cli.main import main

    def phone_stamp(folder: str, id_number: str, phone: str) -> str:
        assert main(["members", "set", id_number, f"phone={phone}", "--data-dir", folder]) == 0
        capsys.readouterr()
        assert main(["changes", "list", "--json", "--limit", "20", "--data-dir", folder]) == 0
        changes = json.loads(capsys.readouterr().out)
        return next(c["when"] for c in changes if c["field"] == "phone" and c["new"] == phone)

    ahead, today = (str(demo_copy(tmp_path / name)) for name in ("ahead", "today"))
    assert main(["members", "list", "--json", "--data-dir", ahead]) == 0
    id_number = json.loads(capsys.readouterr().out)[0]["id_number"]
    monkeypatch.setenv(clock.OFFSET_ENV, "1095")
    assert within(lambda: phone_stamp(ahead, id_number, "13900000777"), dt.timedelta(days=1095))
    monkeypatch.delenv(clock.OFFSET_ENV)
    assert within(lambda: phone_stamp(today, id_number, "13900000777"), dt.timedelta(0))


def within(command, offset: dt.timedelta) -> bool:  # type: ignore[no-untyped-def]
    """Whether the time `command` returns (ISO) is `offset` after the time it ran. Not "the
    year + 3": 1095 days after a Dec 31 that has a Feb 29 ahead is a Dec 30, and a run can
    cross midnight on Dec 31."""
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)  # stamps keep milliseconds
    when = dt.datetime.fromisoformat(command())
    after = dt.datetime.now(dt.UTC)
    return before + offset <= when <= after + offset


def test_a_clock_offset_that_is_not_a_number_moves_nothing(monkeypatch):
    monkeypatch.setenv(clock.OFFSET_ENV, "three years")
    assert clock.from_environment() is None
    monkeypatch.setenv(clock.OFFSET_ENV, "-1.5")
    skewed = clock.from_environment()
    assert skewed is not None and abs(clock.wall_ms() - 36 * 3600 * 1000 - skewed()) < 60_000
