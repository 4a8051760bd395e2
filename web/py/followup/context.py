"""What every rule needs while it runs: the state, `now`/`today`, the landing (if any), and one
way to build a FollowUp so priorities, channels and wording follow the same conventions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import NamedTuple

from .greeting import called
from .model import (
    ACTIVE_STAGES,
    NO_REFS,
    Channel,
    FollowUp,
    FollowUpStatus,
    Opportunity,
    PersonId,
    Refs,
    Stage,
)
from .schedule import all_day_instant, days_late, hours_late
from .settings import Rule, RuleTiming
from .state import State

# (on time, late). Referrals and thank-yous outrank everything else; a late referral rises
# further each day (seed 004: the introducer's reputation is at stake); cadence stays at the bottom.
PRIORITIES: Mapping[Rule, tuple[int, int]] = MappingProxyType(
    {
        Rule.REACH_OUT: (80, 100),
        Rule.THANK_YOU: (70, 72),
        Rule.MET_AT_EVENT: (70, 72),
        Rule.REJECTION_THANKS: (70, 72),
        Rule.COURTESY_NOTE: (68, 69),
        Rule.GRATITUDE: (65, 66),
        Rule.CLOSE_LOOP: (60, 62),
        Rule.CLOSE_LOOP_OUTCOME: (60, 62),
        Rule.PROMISE: (55, 58),
        Rule.REPORT_BACK: (50, 52),
        Rule.ACT_ON_ADVICE: (40, 42),
        Rule.KEEP_IN_TOUCH: (10, 10),
        Rule.LAST_NOTE: (20, 20),
        Rule.REPLY: (45, 48),  # above keep-in-touch: someone is waiting for you
    }
)
MAX_REFERRAL_RISE = 20
MOST_DOORS_BONUS = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class Landing:
    """The job the user accepted most recently, and when the search that led to it began."""

    opportunity: Opportunity
    at: datetime
    search_start: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    state: State
    now: datetime
    today: date
    landing: Landing | None
    # Landed and not searching again: keep-in-touch slows down (seed 001).
    is_landed: bool

    def timing(self, rule: Rule) -> RuleTiming:
        return self.state.settings.rules[rule]

    def name(self, person_id: PersonId) -> str:
        return self.state.name(person_id) or "someone"

    def first(self, person_id: PersonId) -> str:
        """What the user calls them (greeting.py), else their name as filed, else "them"."""
        return called(self.state.people.get(person_id)) or self.state.name(person_id) or "them"


def make_context(state: State, now: datetime, today: date) -> Context:
    accepted = [
        o for o in state.opportunities.values() if o.stage is Stage.ACCEPTED and o.stage_at <= now
    ]
    if not accepted:
        return Context(state=state, now=now, today=today, landing=None, is_landed=False)
    latest = max(accepted, key=lambda o: (o.stage_at, o.id))
    earlier = [o.stage_at for o in accepted if o.stage_at < latest.stage_at]
    lookback = latest.stage_at - timedelta(days=state.settings.gratitude_lookback_days)
    start = max([lookback, *earlier])
    searching_again = any(
        o.stage in ACTIVE_STAGES and o.created_at > latest.stage_at
        for o in state.opportunities.values()
    )
    landing = Landing(opportunity=latest, at=latest.stage_at, search_start=start)
    return Context(
        state=state,
        now=now,
        today=today,
        landing=landing,
        is_landed=not searching_again,
    )


class Owed(NamedTuple):
    """A follow-up as a rule finds it: cheap to make, so Today can rank thousands and write up
    (`finish`) only the few it shows. `explain` words the why when it is written up.
    A named tuple rather than a frozen dataclass: it is built ~3x faster, and a heavy user has
    thousands of these per call."""

    rule: Rule
    key: str
    person_ids: tuple[PersonId, ...]
    since: datetime
    due: datetime  # for all-day follow-ups, only used for ordering
    channels: tuple[Channel, ...]
    explain: Callable[[Context, Owed], str]
    due_date: date | None = None  # set for all-day follow-ups
    refs: Refs = NO_REFS
    who: str | None = None
    group: str | None = None
    mark: str | None = None
    roles: tuple[str, ...] = ()
    bonus: int = 0


def owe_on(due_date: date) -> datetime:
    """The stand-in instant that orders an all-day follow-up among timed ones."""
    return all_day_instant(due_date)


def lateness(owed: Owed, now: datetime, today: date) -> float:
    """Hours past due (whole days for all-day follow-ups); 0 when not late."""
    if owed.due_date is not None:
        return float(days_late(owed.due_date, today) * 24)
    return hours_late(owed.due, now)


def priority(owed: Owed, late: float) -> int:
    """The rule's priority, raised when late; a late referral rises a point a day."""
    on_time, late_priority = PRIORITIES[owed.rule]
    if late <= 0:
        return on_time + owed.bonus
    rise = min(int(late // 24), MAX_REFERRAL_RISE) if owed.rule is Rule.REACH_OUT else 0
    return late_priority + rise + owed.bonus


def finish(
    ctx: Context,
    owed: Owed,
    status: FollowUpStatus = FollowUpStatus.OPEN,
    snoozed_until: datetime | None = None,
) -> FollowUp:
    """The follow-up written up: who, why, channels, overdue-ness and priority."""
    late = lateness(owed, ctx.now, ctx.today)
    return FollowUp(
        key=owed.key,
        rule=owed.rule.value,
        person_ids=owed.person_ids,
        who=owed.who if owed.who is not None else who_of(ctx, owed.person_ids),
        why=owed.explain(ctx, owed),
        since=owed.since,
        due=owed.due,
        due_date=owed.due_date,
        overdue=late > 0,
        overdue_hours=round(late, 1),
        priority=priority(owed, late),
        channels=channels_for(ctx.state, owed.person_ids, owed.channels),
        group=owed.group,
        mark=owed.mark,
        roles=owed.roles,
        refs=owed.refs,
        status=status,
        snoozed_until=snoozed_until,
    )


def who_of(ctx: Context, person_ids: Iterable[PersonId]) -> str:
    """ "Ann Smith", "Ann Smith and Bo Li", "Ann Smith, Bo Li and Cy Doe"."""
    return join_names([ctx.name(pid) for pid in person_ids]) or "someone"


def join_names(names: list[str]) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def channels_for(
    state: State, person_ids: Iterable[PersonId], preferred: Iterable[Channel]
) -> tuple[Channel, ...]:
    """The rule's preferred channels, keeping those we have details for (a card always works)."""
    people = [state.people[p] for p in person_ids if p in state.people]
    has_email = any(p.emails for p in people)
    has_phone = any(p.phones for p in people)
    wanted = tuple(preferred)
    usable = tuple(
        c
        for c in wanted
        if c is Channel.CARD
        or (c is Channel.EMAIL and has_email)
        or (c in (Channel.SMS, Channel.CALL) and has_phone)
    )
    return usable or wanted


def span(hours: int) -> str:
    """ "24 hours", "2 days", "a week": how long a rule gives you, in words."""
    if hours == 7 * 24:
        return "a week"
    if hours >= 48 and hours % 24 == 0:
        return f"{hours // 24} days"
    return "1 hour" if hours == 1 else f"{hours} hours"


def ago(since: datetime, now: datetime) -> str:
    """ "in the last day", "a day ago", "3 days ago": a distance that needs no time zone."""
    days = (now - since).days
    if days <= 0:
        return "in the last day"
    if days == 1:
        return "a day ago"
    return f"{days} days ago"
