"""Hybrid logical clocks: timestamps that sort as their clocks do, and local events that keep
increasing whatever the wall clock does."""

from __future__ import annotations

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


def test_a_record_from_the_year_2999_is_merged_and_a_later_edit_still_wins() -> None:
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
    assert hlc.is_drifting(applied.clock, T0)
