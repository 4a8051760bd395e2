"""Hybrid logical clocks for sync: timestamps that order edits across devices, never throw.

A timestamp is 46 characters that sort as they compare: ISO millis, a 4-hex counter and a
16-hex node id, `2025-01-01T00:00:00.000Z-0000-a1b2c3d4e5f60718` (Actual's format). Skewed
clocks are tolerated rather than refused, but never obeyed: a remote time more than a day ahead
of this device's clock still merges by its own order, but is not adopted into the local clock
(`recv` reports it, the app warns); a counter that would overflow carries into the
milliseconds, and at the largest time the format can write the clock saturates instead of
wrapping. A wall clock the format cannot write is refused with a clear error (`ClockError`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

COUNTER_MAX = 0xFFFF
# A local clock ahead of the wall clock by more than this is worth a warning, never a failure.
DRIFT_WARNING_MS = 5 * 60 * 1000
# A remote time further ahead of this device's clock than this is not adopted into the clock.
FUTURE_LIMIT_MS = 24 * 60 * 60 * 1000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# The format has four year digits: the latest millisecond it can write.
_MAX_MS = 253_402_300_799_999
_PATTERN = re.compile(
    r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)-([0-9a-fA-F]{4})-([0-9a-fA-F]{16})"
)
_NODE = re.compile(r"[0-9a-f]{16}")

# Sorts below every timestamp a device makes: what an unparseable or missing stamp counts as.
ZERO = "1970-01-01T00:00:00.000Z-0000-0000000000000000"


UNWRITABLE = (
    "This device's clock reads a date sync cannot write (before 1970 or after 9999). "
    "Set the date right; nothing was changed."
)


class ClockError(ValueError):
    """A wall clock time the timestamp format cannot write (before 1970 or after 9999)."""

    code = "bad-clock"


@dataclass(frozen=True, slots=True, order=True)
class Clock:
    """A clock reading: physical milliseconds since the epoch, a counter, and the node."""

    millis: int
    counter: int
    node: str

    def __str__(self) -> str:
        m = _EPOCH + timedelta(milliseconds=self.millis)
        return (
            f"{m.year:04d}-{m.month:02d}-{m.day:02d}T{m.hour:02d}:{m.minute:02d}:{m.second:02d}"
            f".{self.millis % 1000:03d}Z-{self.counter:04x}-{self.node}"
        )


def is_node(node: str) -> bool:
    """A node id is 16 lowercase hex digits (64 random bits minted by the shell)."""
    return bool(_NODE.fullmatch(node))


def parse(stamp: str) -> Clock | None:
    """The clock a timestamp encodes, or None for anything that is not one."""
    if not isinstance(stamp, str) or len(stamp) != 46 or _PATTERN.fullmatch(stamp) is None:
        return None
    year, month, day = int(stamp[0:4]), int(stamp[5:7]), int(stamp[8:10])
    hour, minute, second = int(stamp[11:13]), int(stamp[14:16]), int(stamp[17:19])
    if not (1 <= month <= 12 and 1 <= day <= _days_in(year, month)):
        return None
    if hour > 23 or minute > 59 or second > 59:
        return None
    seconds = ((_days_from_civil(year, month, day) * 24 + hour) * 60 + minute) * 60 + second
    return Clock(seconds * 1000 + int(stamp[20:23]), int(stamp[25:29], 16), stamp[30:].lower())


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(year: int, month: int, day: int) -> int:
    # Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm): the
    # parser runs for every field of every synced record, and strptime is too slow for that.
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def millis_of(now: datetime) -> int:
    """Milliseconds since the epoch of an aware datetime."""
    delta = now - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def _carry(millis: int, counter: int) -> tuple[int, int]:
    # 65,536 edits within one millisecond (or under a frozen clock) move time on by one; at
    # the largest writable time the clock saturates (the same stamp again), never wraps.
    if counter > COUNTER_MAX:
        millis, counter = millis + counter // (COUNTER_MAX + 1), counter % (COUNTER_MAX + 1)
    if millis > _MAX_MS:
        return _MAX_MS, COUNTER_MAX
    return millis, counter


def checked_now(now_ms: int) -> int:
    """The wall clock, if the format can write it; else a ClockError that says so."""
    if not 0 <= now_ms <= _MAX_MS:
        raise ClockError(UNWRITABLE)
    return now_ms


def is_future(remote: Clock, now_ms: int) -> bool:
    """Whether a remote time is too far ahead of this device's clock to adopt."""
    return remote.millis > now_ms + FUTURE_LIMIT_MS


def send(last: Clock, now_ms: int) -> Clock:
    """The timestamp of a local event: after `last` and not before the wall clock."""
    millis = max(last.millis, checked_now(now_ms))
    counter = last.counter + 1 if millis == last.millis else 0
    millis, counter = _carry(millis, counter)
    return Clock(millis, counter, last.node)


def recv(last: Clock, remote: Clock, now_ms: int) -> Clock:
    """The local clock after seeing `remote`: after both, unless the remote time is more than a
    day ahead of this device's clock; such a time is not adopted (a local event instead)."""
    if is_future(remote, checked_now(now_ms)):
        return send(last, now_ms)
    millis = max(last.millis, remote.millis, now_ms)
    if millis == last.millis == remote.millis:
        counter = max(last.counter, remote.counter) + 1
    elif millis == last.millis:
        counter = last.counter + 1
    elif millis == remote.millis:
        counter = remote.counter + 1
    else:
        counter = 0
    millis, counter = _carry(millis, counter)
    return Clock(millis, counter, last.node)


def overtake(stamp: Clock, node: str) -> Clock:
    """The first clock after another (for one field whose stamp is ahead of the local clock:
    a user's edit of it must still win, without moving the clock itself forward)."""
    millis, counter = _carry(stamp.millis, stamp.counter + 1)
    return Clock(millis, counter, node)


def is_drifting(last: Clock, now_ms: int) -> bool:
    """Whether the clock has run ahead of the wall clock far enough to tell the user."""
    return last.millis - now_ms > DRIFT_WARNING_MS
