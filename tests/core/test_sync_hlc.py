"""Hybrid logical clocks: timestamps that sort as their clocks do, and local events that keep
increasing whatever the wall clock does."""

from __future__ import annotations

import pytest
from followup import hlc
from followup.sync import (
    Replica,
    apply_remote,
    stamp,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from .sync_builders import NODE_A, NODE_B, T0, clock, edit, person

# --- Hybrid logical clocks ----------------------------------------------------------------------


def test_a_timestamp_reads_back_as_the_same_clock() -> None:
    stamp_ = "2025-01-01T00:00:00.000Z-0000-a1b2c3d4e5f60718"

    parsed = hlc.parse(stamp_)

    assert parsed == hlc.Clock(1_735_689_600_000, 0, NODE_A)
    assert str(parsed) == stamp_


@settings(deadline=None)  # a shared, busy machine must not make a correct test fail
@given(st.integers(0, 253_402_300_799_999), st.integers(0, 0xFFFF))
def test_timestamps_sort_as_their_clocks_do(millis: int, counter: int) -> None:
    a = hlc.Clock(millis, counter, NODE_A)
    b = hlc.send(a, millis)

    assert len(str(a)) == 46
    assert hlc.parse(str(a)) == a
    assert (str(a) < str(b)) == (a < b)


def test_what_is_not_a_timestamp_parses_as_none() -> None:
    for text in (
        "",
        "2025-01-01",
        "2025-13-01T00:00:00.000Z-0000-a1b2c3d4e5f60718",
        "2025-02-29T00:00:00.000Z-0000-a1b2c3d4e5f60718",
        "2025-01-01T24:00:00.000Z-0000-a1b2c3d4e5f60718",
        "x" * 46,
    ):
        assert hlc.parse(text) is None


def test_a_leap_day_parses() -> None:
    assert hlc.parse("2024-02-29T23:59:59.999Z-ffff-a1b2c3d4e5f60718") == hlc.Clock(
        1_709_251_199_999, 0xFFFF, NODE_A
    )


def test_local_events_get_increasing_timestamps_under_a_monotonic_clock() -> None:
    c = clock()
    stamps = []
    for now in range(T0, T0 + 100, 7):
        c = hlc.send(c, now)
        stamps.append(str(c))

    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


def test_local_events_get_increasing_timestamps_under_a_stuttering_clock() -> None:
    c = clock()
    stamps = []
    for now in [T0] * 5 + [T0 + 1] * 5 + [T0 + 1] * 3:
        c = hlc.send(c, now)
        stamps.append(str(c))

    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


def test_local_events_get_increasing_timestamps_under_a_regressing_clock() -> None:
    c = clock()
    stamps = []
    for now in range(T0 + 1000, T0, -50):
        c = hlc.send(c, now)
        stamps.append(str(c))

    assert stamps == sorted(stamps)
    assert len(set(stamps)) == len(stamps)


def test_receiving_puts_the_clock_after_both_the_remote_and_the_local_time() -> None:
    local = hlc.Clock(T0, 3, NODE_A)
    remote = hlc.Clock(T0 + 500, 9, NODE_B)

    after = hlc.recv(local, remote, T0 + 100)

    assert after > local
    assert (after.millis, after.counter) > (remote.millis, remote.counter)
    assert after.node == NODE_A


def test_seventy_thousand_edits_under_a_frozen_clock_carry_instead_of_raising() -> None:
    c = clock(millis=T0)
    previous = str(c)
    for _ in range(70_000):
        c = hlc.send(c, T0)
        assert str(c) > previous
        previous = str(c)

    assert c.millis == T0 + 1
    assert c.counter == 70_000 - 0x10000


def test_a_record_from_the_year_2999_is_merged_not_adopted_and_a_later_edit_still_wins() -> None:
    future = hlc.Clock(32_503_680_000_000, 0, NODE_B)  # 3000-01-01
    theirs = Replica("people", "p1", {"name": ("From the future", str(future))})
    ours, pending = edit(None, person(name="Ada"))

    applied = apply_remote(ours, pending, [theirs], clock(millis=T0), T0)
    assert applied.replica.fields["name"][0] == "From the future"
    later, _, _ = stamp(
        applied.replica, "people", "p1", person(name="Ada again"), {}, applied.clock, T0
    )

    assert later.fields["name"][0] == "Ada again"
    assert later.fields["name"][1] > str(future)
    # The far-future time is not adopted into this device's clock; the merge reports it.
    assert applied.future
    assert applied.clock.millis == T0
    assert not hlc.is_drifting(applied.clock, T0)


# --- The server's (or another device's) clock advises, never commands ----------------------------

DAY = hlc.FUTURE_LIMIT_MS
MAX_MS = 253_402_300_799_999  # 9999-12-31T23:59:59.999Z


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=MAX_MS),
            st.integers(min_value=0, max_value=0xFFFF),
            st.booleans(),
            st.integers(min_value=-5_000, max_value=5_000),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_whatever_remote_stamps_arrive_local_stamps_increase_and_stay_within_a_day(
    events: list[tuple[int, int, bool, int]],
) -> None:
    now = latest = T0
    c = clock(millis=T0)
    previous = c
    for millis, counter, is_remote, tick in events:
        now = max(0, now + tick)  # a wall clock that stutters and regresses
        latest = max(latest, now)
        remote = hlc.Clock(millis, counter, NODE_B)
        c = hlc.recv(c, remote, now) if is_remote else hlc.send(c, now)
        assert c > previous
        # Never past a day after the latest wall-clock reading this device has made.
        assert c.millis <= latest + DAY
        previous = c


def test_a_remote_stamp_from_the_year_9999_is_not_adopted() -> None:
    remote = hlc.Clock(MAX_MS, 0xFFFF, NODE_B)

    after = hlc.recv(clock(millis=T0), remote, T0)

    assert hlc.is_future(remote, T0)
    assert after.millis == T0


def test_a_remote_stamp_within_a_day_is_adopted() -> None:
    remote = hlc.Clock(T0 + DAY - 1, 4, NODE_B)

    after = hlc.recv(clock(millis=T0), remote, T0)

    assert (after.millis, after.counter) == (T0 + DAY - 1, 5)


def test_at_the_largest_time_the_counter_saturates_and_never_wraps() -> None:
    c = hlc.Clock(MAX_MS, 0xFFFE, NODE_A)
    for _ in range(5):
        c = hlc.send(c, MAX_MS)
        assert str(c) == "9999-12-31T23:59:59.999Z-ffff-" + NODE_A
    assert hlc.overtake(c, NODE_A) == hlc.Clock(MAX_MS, 0xFFFF, NODE_A)


def test_a_wall_clock_the_format_cannot_write_is_refused_with_a_clear_error() -> None:
    for bad in (MAX_MS + 1, -1):
        with pytest.raises(hlc.ClockError, match="after 9999"):
            hlc.send(clock(millis=T0), bad)
