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

NOW_MS = 1_800_000_000_000  # 2027
YEARS_AHEAD = NOW_MS + 3 * 365 * 24 * 3600 * 1000


def _edit(node, member_id, **changes):
    with node.db.unit_of_work(node.name) as session:
        row = get_member(session, member_id)
        branch_id = session.get(Member, member_id).branch_id
        save_member(session, branch_id, row.draft.replace(**changes), member_id)


@pytest.fixture
def skewed(nodes):  # type: ignore[no-untyped-def]
    """An office PC on today's clock with the demo, a laptop three years ahead holding a copy
    of it, and the ids of the first two members."""
    laptop, office = nodes("laptop", "office")
    with office.db.unit_of_work() as session:
        loader.load_demo(session)
    office.db.wall_clock = lambda: NOW_MS
    laptop.db.wall_clock = lambda: YEARS_AHEAD
    pair(office, laptop)
    office.send(laptop)
    with office.db.read() as session:
        first_two = session.scalars(select(Member.id).order_by(Member.id).limit(2)).all()
    return laptop, office, tuple(first_two)


def test_a_clock_years_ahead_stays_on_its_own_changes(skewed):
    laptop, office, (first, second) = skewed
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
    assert clock.physical_ms(stamps[second]) < NOW_MS + clock.MAX_FORWARD_MS
    assert office.sync.conflicts() == []


def test_a_value_stamped_years_ahead_is_flagged_in_the_conflicts_with_its_claimed_time(skewed):
    laptop, office, (first, _second) = skewed
    _edit(laptop, first, phone="13900000888")  # concurrent edits: one stamped years ahead
    _edit(office, first, phone="13900000999")
    laptop.send(office)
    [conflict] = office.sync.conflicts()
    by_value = {o.value: o for o in conflict.options}
    ahead, today = by_value["13900000888"], by_value["13900000999"]
    assert ahead.clock_ahead and not today.clock_ahead
    assert ahead.when == clock.to_datetime(clock.pack(YEARS_AHEAD, 0)), "its claimed time"
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
    year = dt.datetime.now(dt.UTC).year
    monkeypatch.setenv(clock.OFFSET_ENV, "1095")
    assert phone_stamp(ahead, id_number, "13900000777")[:4] == str(year + 3)
    monkeypatch.delenv(clock.OFFSET_ENV)
    assert phone_stamp(today, id_number, "13900000777")[:4] == str(year)


def test_a_clock_offset_that_is_not_a_number_moves_nothing(monkeypatch):
    monkeypatch.setenv(clock.OFFSET_ENV, "three years")
    assert clock.from_environment() is None
    monkeypatch.setenv(clock.OFFSET_ENV, "-1.5")
    skewed = clock.from_environment()
    assert skewed is not None and abs(clock.wall_ms() - 36 * 3600 * 1000 - skewed()) < 60_000
