# SPDX-License-Identifier: GPL-3.0-or-later
from hypothesis import given
from hypothesis import strategies as st

from desktop.models.store import clock

MS = st.integers(min_value=0, max_value=(1 << 47))


@given(last_ms=MS, counter=st.integers(0, 0xFFFF), now=MS)
def test_tick_is_strictly_monotone(last_ms, counter, now):
    last = clock.pack(last_ms, counter)
    assert clock.tick(last, now) > last


@given(last=MS, remote_ms=MS, now=MS)
def test_receive_moves_past_a_plausible_remote_stamp(last, remote_ms, now):
    remote = clock.pack(remote_ms, 3)
    merged = clock.receive(clock.pack(last, 0), remote, now)
    if remote_ms <= now + clock.MAX_FORWARD_MS:
        assert merged > remote
    else:  # a stamp from a PC dated years ahead does not drag our clock along
        assert clock.physical_ms(merged) <= max(last, now) + 1


def test_tick_uses_the_wall_clock_when_it_is_ahead():
    assert clock.tick(clock.pack(1000, 7), 5000) == clock.pack(5000, 0)
    assert clock.tick(clock.pack(5000, 7), 1000) == clock.pack(5000, 8)
