"""Date arithmetic only: deadlines, overdue-ness, expiry, horizons and ISO weeks.

Timed follow-ups compare instants with `now` (UTC); all-day ones (a promise due on a day) compare
local dates with `today`. Nothing here reads a clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def deadline(at: datetime, hours: int) -> datetime:
    """The instant `hours` after `at`: "within 24 hours" of a meeting is `deadline(at, 24)`."""
    return at + timedelta(hours=hours)


def all_day_instant(day: date) -> datetime:
    """A stand-in instant for an all-day due date, used only to order follow-ups."""
    return datetime.combine(day, time(12), UTC)


def hours_late(due: datetime, now: datetime) -> float:
    """How many hours past `due` we are (0 when not yet due)."""
    return max(0.0, (now - due) / HOUR)


def days_late(due_date: date, today: date) -> int:
    return max(0, (today - due_date).days)


def is_expired(due: datetime, now: datetime, expire_days: int) -> bool:
    """Expired: more than `expire_days` past due. Such follow-ups are dropped, not nagged about."""
    return now - due > timedelta(days=expire_days)


def within(due: datetime, now: datetime, horizon_days: int) -> bool:
    """Due before the end of the horizon (`horizon_days` from now)."""
    return due <= now + timedelta(days=horizon_days)


def iso_week(day: date) -> str:
    """ "2026-W48" for a date, as the insights chart labels weeks."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())
