# SPDX-License-Identifier: GPL-3.0-or-later
"""A PC whose clock runs years ahead never drags a healthy PC's clock along (#14, case 5)."""

from __future__ import annotations

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


def test_a_clock_years_ahead_stays_on_its_own_changes(nodes):
    laptop, office = nodes("laptop", "office")
    with office.db.unit_of_work() as session:
        loader.load_demo(session)
    office.db.wall_clock = lambda: NOW_MS
    laptop.db.wall_clock = lambda: YEARS_AHEAD
    pair(office, laptop)
    office.send(laptop)
    with office.db.read() as session:
        first, second = session.scalars(select(Member.id).order_by(Member.id).limit(2)).all()
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


def test_a_value_stamped_years_ahead_is_flagged_in_the_conflicts_with_its_claimed_time(nodes):
    laptop, office = nodes("laptop", "office")
    with office.db.unit_of_work() as session:
        loader.load_demo(session)
    office.db.wall_clock = lambda: NOW_MS
    laptop.db.wall_clock = lambda: YEARS_AHEAD
    pair(office, laptop)
    office.send(laptop)
    with office.db.read() as session:
        first = session.scalars(select(Member.id).order_by(Member.id).limit(1)).one()
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
