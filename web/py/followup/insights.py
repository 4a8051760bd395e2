"""Insights as plain data for the UI's charts: how fast you reach out, how reliably you thank,
which loops are open, who introduces you most, and how many meetings you have each week.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from statistics import median

from .agenda import open_followups
from .model import CONTACT_KINDS, THANK_YOU_KINDS, PersonId
from .schedule import HOUR, iso_week, week_start
from .settings import Rule
from .state import State

WEEKS = 12
# "Good" on the thank-you meter: this share of the people you met thanked within 24 hours.
THANKED_GOAL = 0.8
LOOP_RULES = (Rule.CLOSE_LOOP, Rule.CLOSE_LOOP_OUTCOME)
_THANKS_WINDOW = timedelta(hours=24)


@dataclass(frozen=True, slots=True, kw_only=True)
class IntroducerCount:
    person_id: PersonId
    name: str
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class WeekCount:
    week: str
    start: date
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Insights:
    referral_to_contact_median_hours: float | None
    thanked_within_24h_share: float | None
    open_loops: int
    introductions_per_introducer: tuple[IntroducerCount, ...]
    meetings_per_week: tuple[WeekCount, ...]


def insights(state: State, now: datetime, today: date) -> Insights:
    """Everything the insights screen shows; `None` where there is nothing to measure yet."""
    return Insights(
        referral_to_contact_median_hours=_referral_median(state, now),
        thanked_within_24h_share=_thanked_share(state, now),
        open_loops=len(open_followups(state, now, today, LOOP_RULES)),
        introductions_per_introducer=_per_introducer(state),
        meetings_per_week=_meetings_per_week(state, today),
    )


def _referral_median(state: State, now: datetime) -> float | None:
    """Median hours from getting a name to first contact, over referrals you contacted."""
    hours = []
    for intro in state.introductions.values():
        first = state.log(intro.introduced_id).first_since(intro.at, CONTACT_KINDS)
        if first is not None and first <= now:
            hours.append((first - intro.at) / HOUR)
    return round(median(hours), 1) if hours else None


def _thanked_share(state: State, now: datetime) -> float | None:
    """Of the people you met whose 24 hours are over, the share you thanked in time."""
    met = thanked = 0
    for at, interaction_id in state.index.log.meetings:
        if at + _THANKS_WINDOW > now:
            break
        for pid in state.interactions[interaction_id].person_ids:
            met += 1
            first = state.log(pid).first_since(at, THANK_YOU_KINDS)
            if first is not None and first <= at + _THANKS_WINDOW:
                thanked += 1
    return round(thanked / met, 3) if met else None


def _per_introducer(state: State) -> tuple[IntroducerCount, ...]:
    counts = [
        IntroducerCount(person_id=pid, name=state.name(pid), count=len(ids))
        for pid, ids in state.index.intro.by_introducer.items()
    ]
    return tuple(sorted(counts, key=lambda c: (-c.count, c.name, c.person_id)))


def _meetings_per_week(state: State, today: date) -> tuple[WeekCount, ...]:
    """The last 12 weeks (Monday to Sunday, by the meeting's UTC date), this week last."""
    first = week_start(today) - timedelta(weeks=WEEKS - 1)
    counts = {first + timedelta(weeks=i): 0 for i in range(WEEKS)}
    since = bisect_left(state.index.log.meetings, (datetime.combine(first, time(), UTC),))
    for at, _ in state.index.log.meetings[since:]:
        start = week_start(at.date())
        if start in counts:
            counts[start] += 1
    return tuple(WeekCount(week=iso_week(s), start=s, count=n) for s, n in counts.items())
